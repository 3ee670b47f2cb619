//! Hierarchical alternating least squares (HALS, chapter 12), scikit-learn's
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
use crate::par;

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

// ANCHOR: sweep
/// One coordinate sweep over `x` (C × K): W itself, or Hᵀ. Each row of `x`
/// is one independent least-squares problem (a row of W, or a column of H).
/// For each k in turn, every row c gets x_ck ← max(floor, x_ck − g_ck / gram_kk)
/// with g_ck = −num_ck + Σ_j gram_kj x_cj, summed in the order j = 1..K
/// (scikit-learn takes the sum first, by a BLAS dot product, then
/// subtracts num_ck). Rows do not interact, so they are
/// cut into fixed blocks of [`SWEEP_BLOCK`] spread over threads, which gives
/// the same bits for any thread count. Returns Σ (new − old)², the squared
/// size of the change, summed block by block in order (`partials` holds one
/// entry per block).
pub(crate) fn sweep(
    x: &mut DMatrix<f64>,
    gram: &DMatrix<f64>,
    num: &DMatrix<f64>,
    floor: f64,
    threads: usize,
    partials: &mut [f64],
) -> f64 {
    let (rows, k_len) = x.shape();
    debug_assert_eq!((gram.shape(), num.shape()), ((k_len, k_len), (rows, k_len)));
    let num = num.as_slice();
    par::rows_in_blocks(
        rows,
        SWEEP_BLOCK,
        rows * k_len * k_len,
        threads,
        x,
        partials,
        |first, len, x| {
            // SAFETY: the rows of this block belong to it alone, and nothing
            // writes `num` meanwhile.
            unsafe { sweep_block(x, num.as_ptr(), rows, first, len, gram, floor) }
        },
    )
}

/// The sweep of [`sweep`] over rows first..first + len (at most
/// [`SWEEP_BLOCK`]) of `x`, whose columns are `rows` apart, against `num`
/// stored the same way. Returns Σ (new − old)² over the block.
///
/// # Safety
/// `x` and `num` must point to `rows × K` column-major storage with
/// first + len ≤ rows, and no other thread may touch these rows of `x`
/// or write these rows of `num` meanwhile.
pub(crate) unsafe fn sweep_block(
    x: *mut f64,
    num: *const f64,
    rows: usize,
    first: usize,
    len: usize,
    gram: &DMatrix<f64>,
    floor: f64,
) -> f64 {
    let k_len = gram.nrows();
    let mut g = [0.0; SWEEP_BLOCK];
    let g = &mut g[..len];
    let mut change = 0.0;
    for k in 0..k_len {
        let at = |j: usize| j * rows + first;
        // SAFETY (for the views below): rows first..first + len of each
        // column belong to this block, and each view ends before the
        // mutable view of column k begins.
        let num_k = unsafe { std::slice::from_raw_parts(num.add(at(k)), len) };
        g.iter_mut().zip(num_k).for_each(|(g, n)| *g = -n);
        for j in 0..k_len {
            let a = gram[(k, j)];
            let x_j = unsafe { std::slice::from_raw_parts(x.add(at(j)), len) };
            g.iter_mut().zip(x_j).for_each(|(g, x)| *g += a * x);
        }
        let c = gram[(k, k)];
        let x_k = unsafe { std::slice::from_raw_parts_mut(x.add(at(k)), len) };
        for (x, &g) in x_k.iter_mut().zip(g.iter()) {
            let new = coordinate(*x, g, c, floor);
            change += (new - *x) * (new - *x);
            *x = new;
        }
    }
    change
}
// ANCHOR_END: sweep

/// Rows of a factor per block of a HALS sweep (chapter 12, "The code"): the
/// block's K columns (60 KiB at K = 30) stay in the core's cache while the K
/// passes run over them.
pub const SWEEP_BLOCK: usize = 256;
