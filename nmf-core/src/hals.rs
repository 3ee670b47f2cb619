//! Hierarchical alternating least squares (HALS, chapter 11), scikit-learn's
//! `cd` solver: each column of W, then each row of H, is the exact minimiser of
//! the loss over non-negative values with everything else fixed.
//!
//! For column k of W, with the other columns held, the loss is a parabola in
//! each entry w_mk, with curvature (HHᵀ)_kk and slope
//! g_mk = Σ_j w_mj (HHᵀ)_jk − (YHᵀ)_mk (half of ∂D/∂w_mk). Its minimiser
//! over w_mk ≥ 0 is max(0, w_mk − g_mk / (HHᵀ)_kk). The entries of one column
//! do not interact, so the column is solved exactly in one sweep; the next
//! column then sees the new one. The H step is the same with the roles
//! swapped, from the new W.

use nalgebra::DMatrix;

use crate::error::NmfError;
use crate::objective::dims;

/// One coordinate step x ← max(floor, x − g / c), or x unchanged when the
/// curvature c is zero (the entry then has no effect on the loss).
#[inline]
pub(crate) fn coordinate(x: f64, g: f64, c: f64, floor: f64) -> f64 {
    if c != 0.0 {
        (x - g / c).max(floor)
    } else {
        x
    }
}

/// The HALS update of W, written as the equations: for each column k in
/// turn and each row m, w_mk ← max(0, w_mk − g_mk / (HHᵀ)_kk) with
/// g_mk = Σ_j w_mj (HHᵀ)_jk − (YHᵀ)_mk, where the w_mj already hold the new
/// values of the columns before k. Returns the new W. It exists to be read
/// and to check the fast version against.
pub fn hals_update_w(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    let (m_len, n_len, k_len) = dims(y, w, h)?;
    let hh = |j: usize, k: usize| (0..n_len).map(|n| h[(j, n)] * h[(k, n)]).sum::<f64>();
    let mut w_new = w.clone();
    for k in 0..k_len {
        for m in 0..m_len {
            let yh: f64 = (0..n_len).map(|n| y[(m, n)] * h[(k, n)]).sum();
            let g = (0..k_len).map(|j| w_new[(m, j)] * hh(j, k)).sum::<f64>() - yh;
            w_new[(m, k)] = coordinate(w_new[(m, k)], g, hh(k, k), 0.0);
        }
    }
    Ok(w_new)
}

/// The HALS update of H, written as the equations: for each row k in turn
/// and each column n, h_kn ← max(0, h_kn − g_kn / (WᵀW)_kk) with
/// g_kn = Σ_j (WᵀW)_kj h_jn − (WᵀY)_kn. Pass the W that was just updated.
pub fn hals_update_h(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    let (m_len, n_len, k_len) = dims(y, w, h)?;
    let ww = |j: usize, k: usize| (0..m_len).map(|m| w[(m, j)] * w[(m, k)]).sum::<f64>();
    let mut h_new = h.clone();
    for k in 0..k_len {
        for n in 0..n_len {
            let wy: f64 = (0..m_len).map(|m| w[(m, k)] * y[(m, n)]).sum();
            let g = (0..k_len).map(|j| ww(k, j) * h_new[(j, n)]).sum::<f64>() - wy;
            h_new[(k, n)] = coordinate(h_new[(k, n)], g, ww(k, k), 0.0);
        }
    }
    Ok(h_new)
}

/// The coordinate sweep over the columns of `x` (m × k) against the Gram
/// matrix `gram` (k × k) and the products `num` (m × k), in place, in
/// scikit-learn's order of operations: columns in turn, and within an
/// entry the slope summed as −num + Σ_j gram_kj x_mj.
pub(crate) fn sweep_columns(
    x: &mut DMatrix<f64>,
    gram: &DMatrix<f64>,
    num: &DMatrix<f64>,
    floor: f64,
) {
    let (rows, k_len) = x.shape();
    for k in 0..k_len {
        let c = gram[(k, k)];
        for m in 0..rows {
            let mut g = -num[(m, k)];
            for j in 0..k_len {
                g += gram[(k, j)] * x[(m, j)];
            }
            x[(m, k)] = coordinate(x[(m, k)], g, c, floor);
        }
    }
}

/// The same sweep over the rows of `x` (k × n), against `num` (k × n).
pub(crate) fn sweep_rows(
    x: &mut DMatrix<f64>,
    gram: &DMatrix<f64>,
    num: &DMatrix<f64>,
    floor: f64,
) {
    let (k_len, cols) = x.shape();
    for k in 0..k_len {
        let c = gram[(k, k)];
        for n in 0..cols {
            let mut g = -num[(k, n)];
            for j in 0..k_len {
                g += gram[(k, j)] * x[(j, n)];
            }
            x[(k, n)] = coordinate(x[(k, n)], g, c, floor);
        }
    }
}
