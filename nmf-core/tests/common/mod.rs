//! Helpers shared by the integration tests.
#![allow(dead_code)]

use nmf_core::nalgebra::DMatrix;
use proptest::prelude::*;
use std::path::Path;

/// Reads a comma-separated fixture from `tests/fixtures/`.
pub fn fixture(name: &str) -> DMatrix<f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<Vec<f64>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|v| v.trim().parse().expect("a number"))
                .collect()
        })
        .collect();
    let cols = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == cols), "{name}: ragged rows");
    DMatrix::from_row_iterator(rows.len(), cols, rows.into_iter().flatten())
}

/// The largest entry-wise relative error |a − b| / |b| over all entries.
pub fn max_rel_err(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (x - y).abs() / y.abs().max(f64::MIN_POSITIVE))
        .fold(0.0, f64::max)
}

/// How far the loss may rise from one iteration to the next through
/// rounding alone: a small multiple of machine precision times ‖Y‖²_F.
pub fn rounding_slack(y: &DMatrix<f64>) -> f64 {
    1e-12 * y.norm_squared()
}

/// Asserts that the loss never rises by more than rounding.
pub fn assert_monotone(losses: &[f64], y: &DMatrix<f64>) {
    let slack = rounding_slack(y);
    for (t, p) in losses.windows(2).enumerate() {
        assert!(
            p[1] <= p[0] + slack,
            "loss rose at iteration {}: {} -> {} (slack {slack})",
            t + 1,
            p[0],
            p[1]
        );
    }
}

/// A non-negative entry: exactly zero one time in four, else in [0, 10).
pub fn entry() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 3 => 0.0..10.0f64]
}

/// A random rows × cols matrix of [`entry`] values.
pub fn matrix(rows: usize, cols: usize) -> impl Strategy<Value = DMatrix<f64>> {
    proptest::collection::vec(entry(), rows * cols)
        .prop_map(move |v| DMatrix::from_vec(rows, cols, v))
}

/// A strictly positive rows × cols matrix, for starts (which may not be all zero).
pub fn positive(rows: usize, cols: usize) -> impl Strategy<Value = DMatrix<f64>> {
    proptest::collection::vec(0.01..5.0f64, rows * cols)
        .prop_map(move |v| DMatrix::from_vec(rows, cols, v))
}

/// Y (m × n), W (m × k), H (k × n) with m, n, k from 1 to 30, zeros included.
pub fn problem() -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>)> {
    (1..=30usize, 1..=30usize, 1..=30usize)
        .prop_flat_map(|(m, n, k)| (matrix(m, n), matrix(m, k), matrix(k, n)))
}
