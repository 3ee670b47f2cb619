//! Turns every Rust block of the book into a test (see tests/skeptic.rs).

fn main() {
    let chapters = skeptic::markdown_files_of_directory("src/");
    for chapter in &chapters {
        println!("cargo:rerun-if-changed={}", chapter.display());
    }
    skeptic::generate_doc_tests(&chapters);
}
