//! Checks of the book's sources that neither skeptic nor mdBook makes:
//! every code block has a language, every Rust block can be compiled by
//! both runners, and every include names a file and anchor that exist
//! (mdBook silently inserts nothing for a missing anchor).

use std::fs;
use std::path::{Path, PathBuf};

/// One problem found in one markdown file.
#[derive(Debug, PartialEq)]
struct Problem {
    line: usize,
    what: String,
}

/// A fenced code block: the line of its opening fence, its info string and body.
struct Block {
    line: usize,
    info: String,
    body: Vec<String>,
}

fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, Block)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        let fence: String = line.chars().take_while(|&c| c == '`' || c == '~').collect();
        match &mut open {
            Some((_, marker, block)) => {
                if fence.len() >= marker.len()
                    && fence.starts_with(&marker[..1])
                    && line[fence.len()..].trim().is_empty()
                {
                    let (_, _, block) = open.take().unwrap();
                    blocks.push(block);
                } else {
                    block.body.push(raw.to_string());
                }
            }
            None if fence.len() >= 3
                && fence.chars().all(|c| c == fence.chars().next().unwrap()) =>
            {
                let info = line[fence.len()..].trim().to_string();
                open = Some((
                    i + 1,
                    fence,
                    Block {
                        line: i + 1,
                        info,
                        body: Vec::new(),
                    },
                ));
            }
            None => {}
        }
    }
    if let Some((line, _, _)) = open {
        blocks.push(Block {
            line,
            info: "<unclosed>".into(),
            body: Vec::new(),
        });
    }
    blocks
}

/// Problems with the code blocks of one markdown text.
fn check_blocks(text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    for block in fenced_blocks(text) {
        let mut problem = |what: &str| {
            problems.push(Problem {
                line: block.line,
                what: what.to_string(),
            })
        };
        if block.info.is_empty() {
            problem("code block without a language tag");
            continue;
        }
        if block.info == "<unclosed>" {
            problem("code block never closed");
            continue;
        }
        let words: Vec<&str> = block.info.split(',').map(str::trim).collect();
        if words[0] != "rust" || words.contains(&"ignore") {
            continue;
        }
        let has = |needle: &str| block.body.iter().any(|l| l.trim() == needle);
        // skeptic does not wrap a snippet in `fn main`; mdbook would, but
        // then the two runners would compile different programs.
        if !block
            .body
            .iter()
            .any(|l| l.trim_start().starts_with("# fn main("))
        {
            problem("rust block without a hidden `# fn main(`");
        }
        // mdbook test passes no --extern, so each crate must be named.
        if block.body.iter().any(|l| l.contains("nmf_core")) && !has("# extern crate nmf_core;") {
            problem("rust block uses nmf_core without `# extern crate nmf_core;`");
        }
    }
    problems
}

/// Problems with the `{{#include}}` and `{{#rustdoc_include}}` links of a
/// markdown file in `dir`.
fn check_includes(text: &str, dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let link = after[..end].trim();
            rest = &after[end + 2..];
            let Some(target) = link
                .strip_prefix("include ")
                .or_else(|| link.strip_prefix("rustdoc_include "))
            else {
                continue;
            };
            let mut parts = target.trim().splitn(2, ':');
            let path = dir.join(parts.next().unwrap());
            let anchor = parts.next();
            let problem = |what: String| Problem { line: i + 1, what };
            let Ok(source) = fs::read_to_string(&path) else {
                problems.push(problem(format!(
                    "include of a missing file {}",
                    path.display()
                )));
                continue;
            };
            if let Some(anchor) =
                anchor.filter(|a| !a.starts_with(|c: char| c.is_ascii_digit() || c == ':'))
            {
                let marks = |kind: &str| {
                    source
                        .lines()
                        .filter(|l| {
                            // Rust marks with `//`, Python and shell with `#`.
                            let l = l.trim();
                            let rest = l.strip_prefix("//").or_else(|| l.strip_prefix('#'));
                            rest.is_some_and(|r| r.trim() == format!("{kind}: {anchor}"))
                        })
                        .count()
                };
                if marks("ANCHOR") != 1 || marks("ANCHOR_END") != 1 {
                    problems.push(problem(format!(
                        "anchor `{anchor}` is not exactly once in {}",
                        path.display()
                    )));
                }
            }
        }
    }
    problems
}

/// Problems with the figures of a markdown file in `dir`: every image must
/// exist, have alt text, and sit in a `<figure>` with a caption.
fn check_figures(text: &str, dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let figures = text.matches("<figure>").count();
    if figures != text.matches("<figcaption>").count() {
        problems.push(Problem {
            line: 0,
            what: "a <figure> without a <figcaption>".into(),
        });
    }
    for (i, line) in text.lines().enumerate() {
        let Some(start) = line.find("<img ") else {
            continue;
        };
        let tag = &line[start..];
        let attribute = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|at| {
                let value = &tag[at + key.len()..];
                value[..value.find('"').unwrap_or(value.len())].to_string()
            })
        };
        let problem = |what: String| Problem { line: i + 1, what };
        match attribute("src") {
            Some(src) if dir.join(&src).is_file() => {}
            Some(src) => problems.push(problem(format!("image {src} does not exist"))),
            None => problems.push(problem("image without src".into())),
        }
        if attribute("alt").is_none_or(|alt| alt.trim().len() < 20) {
            problems.push(problem("image without a real alt text".into()));
        }
    }
    if text.matches("<img ").count() > figures {
        problems.push(Problem {
            line: 0,
            what: "an image outside a <figure>".into(),
        });
    }
    problems
}

fn book_sources() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<PathBuf> = fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_chapter_passes_the_lint() {
    let files = book_sources();
    assert!(files.len() >= 8, "found only {} chapters", files.len());
    let mut report = String::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let dir = file.parent().unwrap();
        for p in check_blocks(&text)
            .into_iter()
            .chain(check_includes(&text, dir))
            .chain(check_figures(&text, dir))
        {
            report += &format!("{}:{}: {}\n", file.display(), p.line, p.what);
        }
    }
    assert!(report.is_empty(), "\n{report}");
}

#[test]
fn every_chapter_in_the_summary_exists_and_every_chapter_is_in_the_summary() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let linked: Vec<&str> = summary
        .split("](")
        .skip(1)
        .map(|s| &s[..s.find(')').unwrap()])
        .collect();
    for link in &linked {
        assert!(
            src.join(link).is_file(),
            "SUMMARY.md links to a missing {link}"
        );
    }
    for file in book_sources() {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            name == "SUMMARY.md" || linked.contains(&name),
            "{name} is not in SUMMARY.md"
        );
    }
}

// The lint itself must catch what it claims to catch.

#[test]
fn lint_flags_a_block_without_a_language() {
    let problems = check_blocks("text\n```\nlet x = 1;\n```\n");
    assert_eq!(
        problems,
        vec![Problem {
            line: 2,
            what: "code block without a language tag".into()
        }]
    );
}

#[test]
fn lint_flags_a_rust_block_without_its_hidden_lines() {
    let problems = check_blocks("```rust\nlet y = nmf_core::loss;\n```\n");
    assert_eq!(problems.len(), 2, "{problems:?}");
    let fine =
        "```rust\n# extern crate nmf_core;\n# fn main() {\nlet y = nmf_core::loss;\n# }\n```\n";
    assert!(check_blocks(fine).is_empty());
    assert!(check_blocks("```rust,ignore\nlet y = nmf_core::loss;\n```\n").is_empty());
    assert!(check_blocks("```sh\ncargo test\n```\n").is_empty());
}

#[test]
fn lint_flags_missing_files_and_anchors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let good = "{{#include ../nmf-core/src/mu.rs:update_w}}";
    assert!(check_includes(good, &dir).is_empty());
    assert_eq!(
        check_includes("{{#include ../nmf-core/src/mu.rs:no_such_anchor}}", &dir).len(),
        1
    );
    assert_eq!(
        check_includes("{{#rustdoc_include ../no/such/file.rs}}", &dir).len(),
        1
    );
    assert!(check_includes("{{#include ../nmf-core/src/mu.rs:10:20}}", &dir).is_empty());
    // A Python file marks its anchors with `#`.
    assert!(check_includes("{{#include ../tools/sklearn_side_by_side.py:fit}}", &dir).is_empty());
    assert_eq!(
        check_includes("{{#include ../tools/sklearn_side_by_side.py:nope}}", &dir).len(),
        1
    );
}

#[test]
fn lint_flags_missing_images_alt_texts_and_captions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let good = "<figure>\n<img src=\"figures/linear_2d.png\" alt=\"Two scatter plots of the same points\">\n<figcaption>Figure</figcaption>\n</figure>";
    assert!(check_figures(good, &dir).is_empty());
    let missing = good.replace("linear_2d.png", "nothing.png");
    assert_eq!(check_figures(&missing, &dir).len(), 1);
    let no_alt = good.replace("alt=\"Two scatter plots of the same points\"", "");
    assert_eq!(check_figures(&no_alt, &dir).len(), 1);
    let no_caption = good.replace("<figcaption>Figure</figcaption>", "");
    assert_eq!(check_figures(&no_caption, &dir).len(), 1);
}
