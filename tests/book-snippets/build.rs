//! Turns every Rust block of the book, and of the README, into a test
//! (see skeptic.rs).

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut chapters = skeptic::markdown_files_of_directory(root.join("src").to_str().unwrap());
    chapters.push(root.join("README.md"));
    for chapter in &chapters {
        println!("cargo:rerun-if-changed={}", chapter.display());
    }
    skeptic::generate_doc_tests(&chapters);
}
