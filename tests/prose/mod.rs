//! The book's text as the tests read it: every chapter of `src/` and the
//! README, so that a number the text states can be compared with what
//! the committed results or the library give. The tests that use it are
//! `tests/speed_claims.rs` (chapter 11), `tests/hals_claims.rs`
//! (chapter 12) and `tests/figure_claims.rs` (the numbers that describe
//! the figures); the preface says what they cover.
//!
//! A claim is found by a pattern: the words of the text, with `{}` where
//! a number stands. Whitespace in both is collapsed, so a pattern may
//! break its lines anywhere; everything else (Markdown, `$…$` maths,
//! backticks) is written as the source writes it. Fenced code blocks are
//! left out of the search: the numbers there are checked by the code
//! itself. A pattern must match exactly once in the whole book, so that
//! it names one sentence, wherever that sentence lives.
//!
//! A number is digits, perhaps with a decimal point and decimals, and
//! perhaps grouped by thousands with a comma (`40,000`) or a space
//! (`15 000`); or a number word from "zero" to "twenty" ("six times as
//! long"), or "twice". [`says`] prints a value as the text prints the number at the
//! same place, with as many decimals and the same grouping, and compares
//! the two strings.
#![allow(dead_code)] // each test uses its own part

use std::cell::RefCell;
use std::path::Path;
use std::sync::OnceLock;

/// One file of the book, prepared for searching.
pub struct Page {
    /// The path from the repository's root, e.g. `src/ch11-making-it-fast.md`.
    pub name: String,
    /// The text, without its fenced code blocks, whitespace collapsed.
    pub text: String,
}

/// Stands where a fenced code block or a blank line was: no pattern
/// contains it, so no match runs across a code block or a paragraph.
const BREAK: char = '\u{0}';

/// Every page: `src/*.md` in name order, then `README.md`.
pub fn pages() -> &'static [Page] {
    static PAGES: OnceLock<Vec<Page>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(root.join("src"))
            .expect("src/ of the book")
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md"))
            .map(|n| format!("src/{n}"))
            .collect();
        names.sort();
        names.push("README.md".to_string());
        names
            .into_iter()
            .map(|name| {
                let source = std::fs::read_to_string(root.join(&name)).unwrap();
                Page {
                    text: prepare(&source),
                    name,
                }
            })
            .collect()
    })
}

/// The page `name` (e.g. `src/ch11-making-it-fast.md`).
pub fn page(name: &str) -> &'static Page {
    pages()
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no page {name}"))
}

/// The text without fenced code blocks, blank lines as [`BREAK`], and
/// every other run of whitespace as one space.
pub fn prepare(source: &str) -> String {
    let mut kept = String::new();
    let mut fence: Option<&str> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(f) => {
                if trimmed.starts_with(f) {
                    fence = None;
                }
                continue;
            }
            None => {
                if let Some(f) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
                    fence = Some(f);
                    kept.push(BREAK);
                    continue;
                }
            }
        }
        if trimmed.is_empty() {
            kept.push(BREAK);
        } else {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    collapse(&kept)
}

/// Every run of whitespace as one space, and a space next to a
/// [`BREAK`] dropped.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() && !out.ends_with(BREAK) && !word.starts_with(BREAK) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A number as the text writes it.
#[derive(Debug, Clone)]
pub struct Number {
    /// The characters of the text, e.g. `41.78`, `40,000`, `six`.
    pub text: String,
    pub value: f64,
    /// Where it stands in its page's prepared text, in bytes.
    pub at: usize,
}

const WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

impl Number {
    /// The decimals the text prints.
    pub fn decimals(&self) -> usize {
        self.text.split_once('.').map_or(0, |(_, d)| d.len())
    }

    /// `x` as the text prints this number: as many decimals, the same
    /// grouping of thousands, or a word.
    pub fn print(&self, x: f64) -> String {
        if self.text == "twice" {
            return if x.round() == 2.0 {
                "twice".to_string()
            } else {
                format!("{:.0} times", x)
            };
        }
        if WORDS.iter().any(|w| self.text.eq_ignore_ascii_case(w)) {
            let word = |n: f64| {
                let n = n.round();
                if (0.0..=20.0).contains(&n) {
                    WORDS[n as usize].to_string()
                } else {
                    format!("{n}")
                }
            };
            let printed = word(x);
            // As capitalised as the text.
            let mut chars = printed.chars();
            return match (self.text.starts_with(char::is_uppercase), chars.next()) {
                (true, Some(first)) => first.to_uppercase().chain(chars).collect(),
                _ => printed,
            };
        }
        let plain = format!("{:.*}", self.decimals(), x);
        let separator = self.text.chars().find(|c| *c == ',' || *c == ' ');
        match separator {
            None => plain,
            Some(sep) => {
                let (sign, digits) = match plain.strip_prefix('-') {
                    Some(rest) => ("-", rest),
                    None => ("", plain.as_str()),
                };
                let (whole, decimals) = match digits.split_once('.') {
                    Some((w, d)) => (w, format!(".{d}")),
                    None => (digits, String::new()),
                };
                let mut grouped = String::new();
                for (i, c) in whole.chars().enumerate() {
                    if i > 0 && (whole.len() - i) % 3 == 0 {
                        grouped.push(sep);
                    }
                    grouped.push(c);
                }
                format!("{sign}{grouped}{decimals}")
            }
        }
    }
}

/// The length of the number that starts `s`, if one does.
fn number_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let lead = digits(0);
    if lead == 0 {
        // A number word, as a whole word.
        let word = WORDS
            .iter()
            .chain(&["twice"])
            .filter(|w| {
                s.get(..w.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(w))
            })
            .map(|w| w.len())
            .max()?;
        let next = s[word..].chars().next();
        return match next {
            Some(c) if c.is_alphanumeric() => None,
            _ => Some(word),
        };
    }
    let mut end = lead;
    // Thousands: a comma or a space, then exactly three digits.
    if lead <= 3 {
        while end + 4 <= b.len() && (b[end] == b',' || b[end] == b' ') && digits(end + 1) == 3 {
            end += 4;
        }
    }
    if end + 1 < b.len() && b[end] == b'.' && digits(end + 1) > 0 {
        end += 1 + digits(end + 1);
    }
    Some(end)
}

/// The value of a number's text.
fn value_of(text: &str) -> f64 {
    if text == "twice" {
        return 2.0;
    }
    if let Some(i) = WORDS.iter().position(|w| text.eq_ignore_ascii_case(w)) {
        return i as f64;
    }
    text.replace([',', ' '], "").parse().unwrap()
}

/// One place where a pattern matches.
#[derive(Debug, Clone)]
pub struct Match {
    pub page: &'static str,
    /// The matched text, and where it starts in its page, in bytes.
    pub text: String,
    pub at: usize,
    pub numbers: Vec<Number>,
}

/// The match of `pieces` (a pattern split at its `{}`) at byte `at` of
/// `text`, if there is one.
fn match_at(text: &str, at: usize, pieces: &[&str]) -> Option<(usize, Vec<Number>)> {
    let mut pos = at + pieces[0].len();
    let mut numbers = Vec::new();
    for piece in &pieces[1..] {
        let len = number_len(&text[pos..])?;
        let written = &text[pos..pos + len];
        numbers.push(Number {
            text: written.to_string(),
            value: value_of(written),
            at: pos,
        });
        pos += len;
        if !text[pos..].starts_with(piece) {
            return None;
        }
        pos += piece.len();
    }
    Some((pos, numbers))
}

/// Every match of `pattern` in the book.
pub fn matches(pattern: &str) -> Vec<Match> {
    let pattern = collapse(pattern);
    let pieces: Vec<&str> = pattern.split("{}").collect();
    assert!(
        !pieces[0].is_empty(),
        "a pattern starts with words, not with a number: {pattern:?}"
    );
    let mut found = Vec::new();
    for page in pages() {
        let text = &page.text;
        let mut from = 0;
        while let Some(i) = text[from..].find(pieces[0]) {
            let at = from + i;
            if let Some((end, numbers)) = match_at(text, at, &pieces) {
                found.push(Match {
                    page: &page.name,
                    text: text[at..end].to_string(),
                    at,
                    numbers,
                });
            }
            from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

thread_local! {
    /// The numbers found while [`recording`], as (page, byte) pairs.
    static RECORD: RefCell<Option<Vec<(&'static str, usize)>>> = const { RefCell::new(None) };
}

/// The one match of `pattern` in the book; panics, naming the pattern and
/// what it found, if there is none or more than one.
#[track_caller]
pub fn find(pattern: &str) -> Match {
    let found = matches(pattern);
    match found.len() {
        1 => {
            let m = found.into_iter().next().unwrap();
            RECORD.with(|r| {
                if let Some(seen) = r.borrow_mut().as_mut() {
                    seen.extend(m.numbers.iter().map(|n| (m.page, n.at)));
                }
            });
            m
        }
        0 => panic!(
            "the book does not say {:?}{}",
            collapse(pattern),
            near_misses(pattern)
        ),
        _ => panic!(
            "the book says {:?} {} times, so the pattern names no one sentence: {:#?}",
            collapse(pattern),
            found.len(),
            found
                .iter()
                .map(|m| format!("{}: {}", m.page, m.text))
                .collect::<Vec<_>>()
        ),
    }
}

/// Where the words of `pattern` before its first number appear, to help
/// find what changed.
fn near_misses(pattern: &str) -> String {
    let pattern = collapse(pattern);
    let first = pattern.split("{}").next().unwrap_or("");
    let span = pattern.len() + 40;
    let places: Vec<String> = pages()
        .iter()
        .flat_map(|p| {
            p.text.match_indices(first).map(move |(at, _)| {
                let end = (at + span).min(p.text.len());
                let end = (end..=p.text.len())
                    .find(|&e| p.text.is_char_boundary(e))
                    .unwrap();
                format!("{}: {}", p.name, &p.text[at..end])
            })
        })
        .take(5)
        .collect();
    if places.is_empty() {
        String::new()
    } else {
        format!("; its first words are followed by: {places:#?}")
    }
}

/// The numbers of the one match of `pattern`, as the text writes them.
#[track_caller]
pub fn numbers(pattern: &str) -> Vec<Number> {
    find(pattern).numbers
}

/// The values of the numbers of the one match of `pattern`.
#[track_caller]
pub fn values(pattern: &str) -> Vec<f64> {
    numbers(pattern).iter().map(|n| n.value).collect()
}

/// The value of the one number of the one match of `pattern`.
#[track_caller]
pub fn value(pattern: &str) -> f64 {
    let v = values(pattern);
    assert_eq!(v.len(), 1, "{pattern:?} should hold one number");
    v[0]
}

/// Asserts that the book says `pattern` with `values` where its `{}`
/// stand: each value, printed as the text prints the number in its place
/// (as many decimals, the same grouping), is the text's number. To
/// compare at tens or hundreds, round the value first.
#[track_caller]
pub fn says(pattern: &str, values: &[f64]) {
    let m = find(pattern);
    assert_eq!(
        m.numbers.len(),
        values.len(),
        "{:?} holds {} numbers, the test gives {}",
        collapse(pattern),
        m.numbers.len(),
        values.len()
    );
    let printed: Vec<String> = m
        .numbers
        .iter()
        .zip(values)
        .map(|(n, &x)| n.print(x))
        .collect();
    if m.numbers.iter().zip(&printed).any(|(n, p)| n.text != *p) {
        // The text again, with the results' numbers in place of its own.
        let mut results = String::new();
        let mut last = m.at;
        for (n, p) in m.numbers.iter().zip(&printed) {
            results.push_str(&m.text[last - m.at..n.at - m.at]);
            results.push_str(p);
            last = n.at + n.text.len();
        }
        results.push_str(&m.text[last - m.at..]);
        panic!(
            "the book and the results disagree, in {}:\n  the book says: {:?}\n  the results:   {:?}",
            m.page, m.text, results
        );
    }
}

/// Runs `f`, and returns every number that the patterns it found hold,
/// as (page, byte) pairs of the prepared text.
pub fn recording(f: impl FnOnce()) -> Vec<(&'static str, usize)> {
    RECORD.with(|r| *r.borrow_mut() = Some(Vec::new()));
    f();
    RECORD.with(|r| r.borrow_mut().take().unwrap())
}

/// Every number with a decimal point, or followed by `%`, in the text of
/// `page` (code blocks left out), as (byte, text, the text around it):
/// the form a measured number takes in running text (numbers inside
/// `$…$` maths are worked examples, left out). The numbers of equations, such as
/// `(11.1)` and `\tag{11.1}`, and of figures are left out.
pub fn decimal_numbers(page: &str) -> Vec<(usize, String, String)> {
    let text = &self::page(page).text;
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.' || b[i - 1] == b','));
        if !starts {
            i += 1;
            continue;
        }
        let len = number_len(&text[i..]).unwrap();
        let token = &text[i..i + len];
        let after = &text[i + len..];
        let measured = (token.contains('.') || after.starts_with('%')) && !in_maths(text, i);
        let from = (i.saturating_sub(12)..=i)
            .find(|&s| text.is_char_boundary(s))
            .unwrap();
        let before = text[from..i].to_lowercase();
        let name = (i > 0 && b[i - 1] == b'(' && after.starts_with(')'))
            || ["figure ", "\\tag{", "appendix ", "section "]
                .iter()
                .any(|w| before.ends_with(w));
        if measured && !name {
            let from = (i.saturating_sub(50)..=i)
                .find(|&s| text.is_char_boundary(s))
                .unwrap();
            let to = (i + len + 50).min(text.len());
            let to = (to..=text.len())
                .find(|&e| text.is_char_boundary(e))
                .unwrap();
            out.push((i, token.to_string(), text[from..to].to_string()));
        }
        i += len;
    }
    out
}

/// Whether byte `at` of `text` lies inside `$…$` or `$$…$$` maths: an
/// odd number of unescaped `$` signs before it in its paragraph.
fn in_maths(text: &str, at: usize) -> bool {
    let start = text[..at].rfind(BREAK).map_or(0, |i| i + 1);
    let dollars = text[start..at]
        .char_indices()
        .filter(|&(i, c)| c == '$' && !text[start..start + i].ends_with('\\'))
        .count();
    // `$$` blocks count two, and stand in paragraphs of their own.
    dollars % 2 == 1 || text[start..at].starts_with("$$")
}

/// Every number in the alt text of the image `file` (e.g.
/// `parts_rank.png`) on `page`, as (byte, text, the text around it):
/// digits not joined to a letter before them (so not the 1 of `v1`).
/// The image is an HTML `<img src="figures/FILE" alt="…">` or a Markdown
/// `![…](src/figures/FILE)`.
pub fn alt_numbers(page: &str, file: &str) -> Vec<(usize, String, String)> {
    let text = &self::page(page).text;
    let html = format!("<img src=\"figures/{file}\" alt=\"");
    let (start, end) = if let Some(i) = text.find(&html) {
        let start = i + html.len();
        (start, start + text[start..].find('"').unwrap())
    } else {
        let markdown = format!("](src/figures/{file})");
        let end = text
            .find(&markdown)
            .unwrap_or_else(|| panic!("{page} shows no {file}"));
        (text[..end].rfind("![").unwrap() + 2, end)
    };
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let joined = b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.' || b[i - 1] == b',';
        if !b[i].is_ascii_digit() || joined {
            i += 1;
            continue;
        }
        let len = number_len(&text[i..]).unwrap();
        let from = (i.saturating_sub(40)..=i)
            .find(|&s| text.is_char_boundary(s))
            .unwrap();
        let to = (i + len + 40).min(text.len());
        let to = (to..=text.len())
            .find(|&e| text.is_char_boundary(e))
            .unwrap();
        out.push((i, text[i..i + len].to_string(), text[from..to].to_string()));
        i += len;
    }
    out
}

/// Runs `checks` and asserts that together they read every number of
/// `page` with a decimal point or a per cent sign, the form a measured
/// number takes, and every number of the alt text of the figure `file`.
pub fn every_measured_number_is_read(page: &'static str, file: &str, checks: &[fn()]) {
    every_number_is_read(checks, &[(page, file)], &[page]);
}

/// Runs `checks` and asserts that together they read every number of the
/// alt text of each of `figures` (page, file), and every number with a
/// decimal point or a per cent sign of each of `pages`.
pub fn every_number_is_read(
    checks: &[fn()],
    figures: &[(&'static str, &str)],
    pages: &[&'static str],
) {
    let read = recording(|| {
        for check in checks {
            check();
        }
    });
    let alt = figures.iter().flat_map(|&(page, file)| {
        alt_numbers(page, file)
            .into_iter()
            .map(move |(at, n, c)| (page, at, format!("{file}: {n}: …{c}…")))
    });
    let text = pages.iter().flat_map(|&page| {
        decimal_numbers(page)
            .into_iter()
            .map(move |(at, n, c)| (page, at, format!("{page}: {n}: …{c}…")))
    });
    let unread: Vec<String> = alt
        .chain(text)
        .filter(|(page, at, _)| !read.contains(&(*page, *at)))
        .map(|(_, _, what)| what)
        .collect();
    assert!(unread.is_empty(), "numbers that no test reads: {unread:#?}");
}

/// `n` in words, as the text writes a count below a hundred ("fifty").
pub fn words(n: usize) -> String {
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match n {
        0..=19 => WORDS[n].to_string(),
        20..=99 if n.is_multiple_of(10) => TENS[n / 10].to_string(),
        20..=99 => format!("{}-{}", TENS[n / 10], WORDS[n % 10]),
        _ => panic!("{n} is too large to spell"),
    }
}

#[cfg(test)]
mod reading {
    use super::*;

    #[test]
    fn numbers_are_read_as_written() {
        fn n(s: &str) -> Option<&str> {
            number_len(s).map(|l| &s[..l])
        }
        assert_eq!(n("41.78 ms"), Some("41.78"));
        assert_eq!(n("0.39."), Some("0.39"));
        assert_eq!(n("0.38, 6.55"), Some("0.38"));
        assert_eq!(n("40,000 bytes"), Some("40,000"));
        assert_eq!(n("15 000 to about"), Some("15 000"));
        assert_eq!(n("16 and 32"), Some("16"));
        assert_eq!(n("six times"), Some("six"));
        assert_eq!(n("sixteen parts"), Some("sixteen"));
        assert_eq!(n("sixth"), None);
        assert_eq!(n("ms"), None);
        let number = |text: &str| Number {
            text: text.into(),
            value: value_of(text),
            at: 0,
        };
        assert_eq!(number("15 000").value, 15000.0);
        assert_eq!(number("15 000").print(14_987.2), "14 987");
        assert_eq!(number("0.020").print(0.02022), "0.020");
        assert_eq!(number("six").print(6.2), "six");
        assert_eq!(number("six").print(7.0), "seven");
        assert_eq!(number("15.30").print(15.305), "15.30");
    }

    #[test]
    fn code_blocks_and_paragraphs_are_kept_apart() {
        let text = prepare("a 1\nb  2\n\n```rust\nlet x = 3;\n```\nc 4\n");
        assert_eq!(text, "a 1 b 2\u{0}\u{0}c 4");
    }
}
