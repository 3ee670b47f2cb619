//! Builds the whole book, with math typeset, and fails on any warning or
//! error that mdBook or the math preprocessor reports.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use mdbook_driver::MDBook;
use mdbook_katex::preprocess::KatexProcessor;

/// Everything logged at WARN or above during the build.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

#[test]
fn the_book_builds_without_warnings_and_with_typeset_math() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let out = std::env::temp_dir().join(format!("nmf-book-build-{}", std::process::id()));
    let mut book = MDBook::load(root()).expect("book.toml and SUMMARY.md load");
    book.config.build.build_dir = out.clone();
    // The same preprocessor as `mdbook-katex`, run in this process.
    book.with_preprocessor(KatexProcessor);
    book.build().expect("the book builds");

    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(logged.is_empty(), "the build logged:\n{logged}");

    let chapter = std::fs::read_to_string(out.join("ch03-jensen.html")).unwrap();
    assert!(
        chapter.contains(r#"class="katex""#),
        "chapter 3 has no typeset math"
    );
    assert!(
        !chapter.contains("$$"),
        "chapter 3 has untypeset display math"
    );
    assert!(
        chapter.contains("katex/katex.min.css"),
        "chapter 3 does not link the shipped stylesheet"
    );
    assert!(
        !chapter.contains("cdn.jsdelivr") && !chapter.contains("mathjax"),
        "chapter 3 loads from a CDN"
    );
    assert!(
        out.join("katex/fonts/KaTeX_Main-Regular.woff2").is_file(),
        "the KaTeX fonts are not shipped"
    );
    std::fs::remove_dir_all(&out).ok();
}
