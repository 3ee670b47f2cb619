//! Readers of the benchmark's committed results in
//! nmf-core/benches/results, shared by the tests that check the words of
//! chapters 11 and 12 against them (`tests/speed_claims.rs`,
//! `tests/hals_claims.rs`; the words are read by `tests/prose`).
#![allow(dead_code)] // each test uses its own part

pub const STAGES_CSV: &str = include_str!("../../nmf-core/benches/results/stages.csv");
pub const STAGES_MD: &str = include_str!("../../nmf-core/benches/results/stages.md");
pub const SKLEARN_MD: &str = include_str!("../../nmf-core/benches/results/sklearn.md");
/// The benchmark's losses after 200 iterations (`--losses`), as committed.
pub const LOSSES_CSV: &str = include_str!("../../nmf-core/benches/results/losses.csv");

/// The benchmark's problems: (m, n, k), as in nmf-core/benches/speed.rs
/// ([`sizes_of_the_benchmark`] reads them there).
pub const SIZES: [(usize, usize, usize); 3] = [(500, 400, 10), (2000, 1000, 20), (5000, 2000, 30)];
pub const SMALL: (usize, usize, usize) = SIZES[0];
pub const MIDDLE: (usize, usize, usize) = SIZES[1];
pub const LARGE: (usize, usize, usize) = SIZES[2];

pub fn round(x: f64, digits: i32) -> f64 {
    (x * 10f64.powi(digits)).round() / 10f64.powi(digits)
}

/// One row of stages.csv.
pub struct Row {
    pub size: String,
    pub stage: String,
    pub ms: f64,
    pub bound_ms: f64,
    pub threads: usize,
    pub gflops_1: f64,
    pub gflops_all: f64,
}

pub fn stages() -> Vec<Row> {
    let mut lines = STAGES_CSV.lines();
    assert_eq!(
        lines.next(),
        Some("size,stage,ms,bound_ms,threads,gflops_1,gflops_all")
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 7, "{line}");
            let number = |i: usize| f[i].parse::<f64>().unwrap();
            Row {
                size: f[0].to_string(),
                stage: f[1].to_string(),
                ms: number(2),
                bound_ms: number(3),
                threads: f[4].parse().unwrap(),
                gflops_1: number(5),
                gflops_all: number(6),
            }
        })
        .collect()
}

pub fn label((m, n, k): (usize, usize, usize)) -> String {
    format!("{m}x{n}k{k}")
}

/// Milliseconds per iteration of `stage` at `size`.
pub fn ms(size: (usize, usize, usize), stage: &str) -> f64 {
    let rows = stages();
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| r.size == label(size) && r.stage == stage)
        .collect();
    assert_eq!(found.len(), 1, "{stage} at {}", label(size));
    found[0].ms
}

/// One row of sklearn.md's table, as printed: (problem, mu ms, cd ms,
/// mu loss, cd loss).
pub fn sklearn_rows() -> Vec<[String; 5]> {
    SKLEARN_MD
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains('×'))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            assert_eq!(cells.len(), 5, "{l}");
            [0, 1, 2, 3, 4].map(|i| cells[i].clone())
        })
        .collect()
}

pub fn sklearn_row((m, n, k): (usize, usize, usize)) -> [String; 5] {
    let problem = format!("{m} × {n}, K = {k}");
    let rows: Vec<[String; 5]> = sklearn_rows()
        .into_iter()
        .filter(|r| r[0] == problem)
        .collect();
    assert_eq!(rows.len(), 1, "{problem}");
    rows[0].clone()
}

/// nmf-core's (MU, HALS) losses after 200 iterations at `size`.
pub fn losses((m, n, k): (usize, usize, usize)) -> (f64, f64) {
    let key = format!("{m}x{n}k{k}");
    let line = LOSSES_CSV
        .lines()
        .find(|l| l.starts_with(&format!("{key},")))
        .unwrap_or_else(|| panic!("no losses for {key}"));
    let f: Vec<f64> = line
        .split(',')
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    (f[0], f[1])
}

/// The problems as the benchmark's source defines them: the array
/// `SIZES` of nmf-core/benches/speed.rs.
pub fn sizes_of_the_benchmark() -> Vec<(usize, usize, usize)> {
    let source = include_str!("../../nmf-core/benches/speed.rs");
    let start = source
        .find("const SIZES: [(usize, usize, usize); 3] = [")
        .expect("the benchmark's SIZES");
    let line = source[start..].lines().next().unwrap();
    let numbers: Vec<usize> = line
        .split_once("= [")
        .unwrap()
        .1
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    numbers.chunks(3).map(|c| (c[0], c[1], c[2])).collect()
}

/// The problem as the tables name it: "5000 × 2000, K = 30".
pub fn problem((m, n, k): (usize, usize, usize)) -> String {
    format!("{m} × {n}, K = {k}")
}

/// The rows of a Markdown table in `md`, each as its cells, trimmed: the
/// header first, without the line of dashes.
pub fn table(md: &str) -> Vec<Vec<String>> {
    md.lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The cell of stages.md in the row of `size` and the column `stage`, as
/// printed (to 0.01 ms).
pub fn printed(size: (usize, usize, usize), stage: &str) -> String {
    let rows = table(STAGES_MD);
    let column = rows[0]
        .iter()
        .position(|c| c == stage)
        .unwrap_or_else(|| panic!("no column {stage}"));
    let row = rows
        .iter()
        .find(|r| r[0] == problem(size))
        .unwrap_or_else(|| panic!("no row {}", problem(size)));
    row[column].clone()
}
