//! Turns every Rust block of the book, and of the README, into a test
//! (see tests/skeptic.rs).

fn main() {
    let mut chapters = skeptic::markdown_files_of_directory("src/");
    chapters.push("README.md".into());
    for chapter in &chapters {
        println!("cargo:rerun-if-changed={}", chapter.display());
    }
    skeptic::generate_doc_tests(&chapters);
}
