//! Looking at the parts a fit has learned (chapter 10): [`normalise`]
//! puts the rows of H on one scale for display, and [`match_parts`] pairs
//! learned parts with known ones, to measure how many were recovered.
//!
//! The matching lives in the library rather than in an example because
//! the book measures recovery in its snippets, which can only call the
//! library, and the examples that draw the parts use the same pairing to
//! put each learned part beside the true one. It is a measurement, not a
//! step of any fit: nothing in [`crate::Nmf`] calls it.

use nalgebra::DMatrix;

use crate::error::{Factor, NmfError};

/// How [`normalise`] scales each row of H.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowScale {
    /// The largest absolute entry of each row becomes 1: a part drawn as
    /// an image then uses the whole grey scale.
    Max,
    /// Each row gets Euclidean norm 1.
    Norm,
}

/// Every entry finite (and ≥ 0 if `non_negative`), else an
/// [`NmfError::InvalidFactor`] for the first offender, column by column.
pub(crate) fn check_factor(
    factor: Factor,
    x: &DMatrix<f64>,
    non_negative: bool,
) -> Result<(), NmfError> {
    for col in 0..x.ncols() {
        for row in 0..x.nrows() {
            let value = x[(row, col)];
            if !value.is_finite() || (non_negative && value < 0.0) {
                return Err(NmfError::InvalidFactor {
                    factor,
                    row,
                    col,
                    value,
                });
            }
        }
    }
    Ok(())
}

// ANCHOR: normalise
/// Rescales a factorisation for display: row k of H is divided by its
/// size s_k (the largest absolute entry for [`RowScale::Max`], the
/// Euclidean norm for [`RowScale::Norm`]) and column k of W multiplied by
/// it. Each term w_mk h_kn keeps its value, so WH is unchanged up to
/// rounding (chapter 1, exercise 2). A row of H that is all zeros is
/// left as it is, with its column of W.
///
/// Entries may have either sign (the same scaling serves the singular
/// vectors of chapter 10), but must be finite: else
/// [`NmfError::InvalidFactor`]. W must have one column per row of H, else
/// [`NmfError::ShapeMismatch`].
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// use nmf_core::{normalise, RowScale};
/// let w = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 0.0]);
/// let h = DMatrix::from_row_slice(2, 3, &[0.5, 2.0, 1.0, 0.0, 0.25, 0.0]);
/// let (w1, h1) = normalise(&w, &h, RowScale::Max)?;
/// assert_eq!(h1.row(0).max(), 1.0);
/// assert_eq!(h1.row(1).max(), 1.0);
/// assert!((&w1 * &h1 - &w * &h).amax() < 1e-12);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn normalise(
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
    scale: RowScale,
) -> Result<(DMatrix<f64>, DMatrix<f64>), NmfError> {
    if w.ncols() != h.nrows() {
        return Err(NmfError::ShapeMismatch {
            what: "W must have one column per row of H",
            expected_rows: w.nrows(),
            expected_cols: h.nrows(),
            found_rows: w.nrows(),
            found_cols: w.ncols(),
        });
    }
    check_factor(Factor::W, w, false)?;
    check_factor(Factor::H, h, false)?;
    let (mut w, mut h) = (w.clone(), h.clone());
    for k in 0..h.nrows() {
        let size = match scale {
            RowScale::Max => h.row(k).amax(),
            RowScale::Norm => h.row(k).norm(),
        };
        if size > 0.0 && size.is_finite() {
            h.row_mut(k).unscale_mut(size);
            w.column_mut(k).scale_mut(size);
        }
    }
    Ok((w, h))
}
// ANCHOR_END: normalise

/// One pair of [`match_parts`]: a true part, the learned part put with
/// it, and how alike they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartPair {
    /// The row of the true parts.
    pub truth: usize,
    /// The row of the learned parts.
    pub learned: usize,
    /// Their cosine similarity ⟨a, b⟩ / (‖a‖ ‖b‖): 1 when one is a
    /// positive multiple of the other; 0 when they share no pixel, or
    /// when either is all zeros.
    pub cosine: f64,
}

/// The cosine similarity of rows `i` of `a` and `j` of `b`, with 0 for a
/// zero row.
fn cosine(a: &DMatrix<f64>, i: usize, b: &DMatrix<f64>, j: usize) -> f64 {
    let (x, y) = (a.row(i), b.row(j));
    let scale = x.norm() * y.norm();
    if scale > 0.0 {
        x.dot(&y) / scale
    } else {
        0.0
    }
}

// ANCHOR: match_parts
/// Pairs the rows of `learned` (k₁ × n) with the rows of `truth`
/// (k₂ × n) one to one, so that the sum of the cosine similarities of the
/// pairs is as large as it can be, and returns the min(k₁, k₂) pairs in
/// the order of the true rows. Rows left over on the larger side stay
/// unpaired.
///
/// A greedy pairing (the most similar pair first, then the best among
/// the rest, ...) can miss the best total; this one cannot. It is the
/// assignment problem, solved exactly by a version of the Hungarian method
/// of Kuhn (1955), with potentials, in O(k₁ k₂ min(k₁, k₂)) steps after
/// the k₁ k₂ similarities.
/// Scaling a row by a positive number changes no similarity, so neither
/// the scale of the parts nor their order matters.
///
/// Both must have the same number of columns
/// ([`NmfError::ShapeMismatch`]) and finite entries
/// ([`NmfError::InvalidFactor`], reported as H).
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// use nmf_core::match_parts;
/// let truth = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 0.0, 0.0, 1.0, 1.0]);
/// // The same parts, swapped and rescaled, and a third one.
/// let learned = DMatrix::from_row_slice(3, 3, &[0.0, 0.0, 5.0, 0.0, 2.0, 2.0, 3.0, 0.0, 0.0]);
/// let pairs = match_parts(&learned, &truth)?;
/// assert_eq!(pairs.iter().map(|p| p.learned).collect::<Vec<_>>(), [2, 1]);
/// assert!(pairs.iter().all(|p| (p.cosine - 1.0).abs() < 1e-15));
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn match_parts(
    learned: &DMatrix<f64>,
    truth: &DMatrix<f64>,
) -> Result<Vec<PartPair>, NmfError> {
    if learned.ncols() != truth.ncols() {
        return Err(NmfError::ShapeMismatch {
            what: "the learned parts must have as many columns as the true ones",
            expected_rows: learned.nrows(),
            expected_cols: truth.ncols(),
            found_rows: learned.nrows(),
            found_cols: learned.ncols(),
        });
    }
    check_factor(Factor::H, learned, false)?;
    check_factor(Factor::H, truth, false)?;
    let (k_learned, k_truth) = (learned.nrows(), truth.nrows());
    // The smaller side gives the rows of the cost table, so that each of
    // its rows gets a column.
    let truth_rows = k_truth <= k_learned;
    let (rows, cols) = if truth_rows {
        (k_truth, k_learned)
    } else {
        (k_learned, k_truth)
    };
    let similarity = |i: usize, j: usize| {
        if truth_rows {
            cosine(truth, i, learned, j)
        } else {
            cosine(truth, j, learned, i)
        }
    };
    let cost: Vec<Vec<f64>> = (0..rows)
        .map(|i| (0..cols).map(|j| -similarity(i, j)).collect())
        .collect();
    let mut pairs: Vec<PartPair> = assign(&cost, cols)
        .into_iter()
        .enumerate()
        .map(|(i, j)| {
            let (t, l) = if truth_rows { (i, j) } else { (j, i) };
            PartPair {
                truth: t,
                learned: l,
                cosine: similarity(i, j),
            }
        })
        .collect();
    pairs.sort_by_key(|p| p.truth);
    Ok(pairs)
}
// ANCHOR_END: match_parts

/// The Hungarian method with potentials: for a table of `cost.len()`
/// rows and `cols ≥ rows` columns of finite costs, the column of each row
/// in an assignment of least total cost, no column used twice.
///
/// Rows enter one at a time. Each entry grows a tree of alternating paths
/// from the new row, keeping potentials u (rows) and v (columns) with
/// cost[i][j] − u_i − v_j ≥ 0 everywhere and = 0 on the assignment, until
/// it reaches a free column; the assignment is then flipped along that
/// path. Index 0 is a sentinel, so rows and columns count from 1 inside.
fn assign(cost: &[Vec<f64>], cols: usize) -> Vec<usize> {
    let rows = cost.len();
    let mut u = vec![0.0; rows + 1];
    let mut v = vec![0.0; cols + 1];
    let mut owner = vec![0usize; cols + 1]; // the row assigned to column j
    let mut way = vec![0usize; cols + 1]; // the previous column on the path
    for row in 1..=rows {
        owner[0] = row;
        let mut j0 = 0;
        let mut min_slack = vec![f64::INFINITY; cols + 1];
        let mut used = vec![false; cols + 1];
        loop {
            used[j0] = true;
            let i0 = owner[j0];
            let (mut delta, mut j1) = (f64::INFINITY, 0);
            for j in 1..=cols {
                if !used[j] {
                    let slack = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if slack < min_slack[j] {
                        min_slack[j] = slack;
                        way[j] = j0;
                    }
                    if min_slack[j] < delta {
                        delta = min_slack[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=cols {
                if used[j] {
                    u[owner[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_slack[j] -= delta;
                }
            }
            j0 = j1;
            if owner[j0] == 0 {
                break;
            }
        }
        // Flip the assignment along the path back to the new row.
        loop {
            let j1 = way[j0];
            owner[j0] = owner[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut column_of = vec![0; rows];
    for j in 1..=cols {
        if owner[j] != 0 {
            column_of[owner[j] - 1] = j - 1;
        }
    }
    column_of
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The least total cost by trying every assignment.
    fn brute(cost: &[Vec<f64>], cols: usize) -> f64 {
        fn go(cost: &[Vec<f64>], i: usize, used: &mut Vec<bool>) -> f64 {
            if i == cost.len() {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for j in 0..used.len() {
                if !used[j] {
                    used[j] = true;
                    best = best.min(cost[i][j] + go(cost, i + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        go(cost, 0, &mut vec![false; cols])
    }

    #[test]
    fn the_assignment_is_optimal_on_small_tables() {
        // A fixed pseudo-random sequence, so the test needs no generator.
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        };
        for rows in 1..=5 {
            for cols in rows..=6 {
                for _ in 0..20 {
                    let cost: Vec<Vec<f64>> = (0..rows)
                        .map(|_| (0..cols).map(|_| next()).collect())
                        .collect();
                    let a = assign(&cost, cols);
                    let mut seen = a.clone();
                    seen.sort_unstable();
                    seen.dedup();
                    assert_eq!(seen.len(), rows, "a column used twice");
                    let total: f64 = a.iter().enumerate().map(|(i, &j)| cost[i][j]).sum();
                    assert!((total - brute(&cost, cols)).abs() < 1e-12);
                }
            }
        }
    }
}
