//! The objective D and the auxiliary function G of chapters 2 and 3.

use nalgebra::DMatrix;

use crate::error::NmfError;

/// Checks that `a` is `rows × cols`.
pub(crate) fn expect_shape(
    what: &'static str,
    a: &DMatrix<f64>,
    rows: usize,
    cols: usize,
) -> Result<(), NmfError> {
    if a.shape() == (rows, cols) {
        Ok(())
    } else {
        Err(NmfError::ShapeMismatch {
            what,
            expected_rows: rows,
            expected_cols: cols,
            found_rows: a.nrows(),
            found_cols: a.ncols(),
        })
    }
}

/// Checks that Y (m × n), W (m × k) and H (k × n) fit together and
/// returns (m, n, k).
pub(crate) fn dims(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<(usize, usize, usize), NmfError> {
    let (m, n) = y.shape();
    let k = w.ncols();
    expect_shape("W must be m x k", w, m, k)?;
    expect_shape("H must be k x n", h, k, n)?;
    Ok((m, n, k))
}

/// The reconstruction ŷ_mn = Σ_k w_mk h_kn of one entry.
fn y_hat(w: &DMatrix<f64>, h: &DMatrix<f64>, m: usize, n: usize) -> f64 {
    (0..w.ncols()).map(|k| w[(m, k)] * h[(k, n)]).sum()
}

/// The loss D_EU(Y | WH) = ‖Y − WH‖²_F = Σ_mn (y_mn − Σ_k w_mk h_kn)²
/// (chapter 2, equation 2.1). There is no ½ in front.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
/// let w = DMatrix::from_row_slice(2, 1, &[1.0, 1.0]);
/// let h = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
/// // WH = [1 2; 1 2], so only the second row misses, by 2 and 2.
/// assert_eq!(nmf_core::loss(&y, &w, &h)?, 8.0);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn loss(y: &DMatrix<f64>, w: &DMatrix<f64>, h: &DMatrix<f64>) -> Result<f64, NmfError> {
    let (m, n, _) = dims(y, w, h)?;
    let mut d = 0.0;
    for col in 0..n {
        for row in 0..m {
            let r = y[(row, col)] - y_hat(w, h, row, col);
            d += r * r;
        }
    }
    Ok(d)
}

/// The Jensen weights λ_kmn = w_mk h_kn / Σ_j w_mj h_jn (chapter 3,
/// equation 3.2), returned as one m × n matrix per k: `lambda(&w, &h)?[k][(m, n)]`.
///
/// For each (m, n) the K weights are ≥ 0 and sum to 1. Where every term
/// w_mk h_kn is zero, any weights summing to 1 make a valid bound; this
/// function then takes them all equal to 1/K.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let w = DMatrix::from_row_slice(1, 2, &[1.0, 3.0]);
/// let h = DMatrix::from_row_slice(2, 1, &[2.0, 2.0]);
/// let lambda = nmf_core::lambda(&w, &h)?;
/// assert_eq!((lambda[0][(0, 0)], lambda[1][(0, 0)]), (0.25, 0.75));
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn lambda(w: &DMatrix<f64>, h: &DMatrix<f64>) -> Result<Vec<DMatrix<f64>>, NmfError> {
    let (m, k) = w.shape();
    let n = h.ncols();
    expect_shape("H must be k x n", h, k, n)?;
    let mut out = vec![DMatrix::zeros(m, n); k];
    for col in 0..n {
        for row in 0..m {
            let total = y_hat(w, h, row, col);
            for (kk, l) in out.iter_mut().enumerate() {
                l[(row, col)] = if total > 0.0 {
                    w[(row, kk)] * h[(kk, col)] / total
                } else {
                    1.0 / k as f64
                };
            }
        }
    }
    Ok(out)
}

/// One term (w_mk h_kn)² / λ_kmn of G, with the limit 0 where both are 0.
/// Where λ is 0 but the term is not, G is +∞: the bound still holds, and
/// its minimiser keeps that entry at zero.
fn jensen_term(wh: f64, lambda: f64) -> f64 {
    if wh == 0.0 {
        0.0
    } else if lambda > 0.0 {
        wh * wh / lambda
    } else {
        f64::INFINITY
    }
}

/// The auxiliary function G(W, H | Wᵗ, Hᵗ) of chapter 3 (equation 3.3):
///
/// G = Σ_mn [ y_mn² − 2 y_mn Σ_k w_mk h_kn + Σ_k (w_mk h_kn)² / λ_kmn ],
///
/// with λ computed from the anchor Wᵗ, Hᵗ by [`lambda`]. Jensen's
/// inequality gives G ≥ D for every W, H, and G = D when W = Wᵗ and H = Hᵗ.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
/// let (w_t, h_t) = (DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.2, 1.0]), DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 2.0, 1.0]));
/// let (w, h) = (DMatrix::from_row_slice(2, 2, &[0.7, 0.6, 0.4, 1.1]), DMatrix::from_row_slice(2, 2, &[1.2, 0.9, 1.5, 1.3]));
/// let d = nmf_core::loss(&y, &w, &h)?;
/// assert!(nmf_core::auxiliary(&y, &w, &h, &w_t, &h_t)? >= d);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn auxiliary(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
    w_t: &DMatrix<f64>,
    h_t: &DMatrix<f64>,
) -> Result<f64, NmfError> {
    let (m, n, k) = dims(y, w, h)?;
    expect_shape("the anchor Wt must be m x k", w_t, m, k)?;
    expect_shape("the anchor Ht must be k x n", h_t, k, n)?;
    let lambda = lambda(w_t, h_t)?;
    let mut g = 0.0;
    for col in 0..n {
        for row in 0..m {
            let y_mn = y[(row, col)];
            let bound: f64 = (0..k)
                .map(|kk| jensen_term(w[(row, kk)] * h[(kk, col)], lambda[kk][(row, col)]))
                .sum();
            g += y_mn * y_mn - 2.0 * y_mn * y_hat(w, h, row, col) + bound;
        }
    }
    Ok(g)
}

/// The gradient ∂D/∂W = −2 (Y − WH) Hᵀ (chapter 4, equation 4.1).
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(1, 1, &[2.0]);
/// // D(w) = (2 − w·1)², so dD/dw = −2 (2 − w) = −2 at w = 1.
/// assert_eq!(nmf_core::grad_w(&y, &DMatrix::from_row_slice(1, 1, &[1.0]), &DMatrix::from_row_slice(1, 1, &[1.0]))?[(0, 0)], -2.0);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn grad_w(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    dims(y, w, h)?;
    Ok((y - w * h) * h.transpose() * -2.0)
}

/// The gradient ∂D/∂H = −2 Wᵀ (Y − WH) (chapter 4, equation 4.2).
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(1, 1, &[2.0]);
/// assert_eq!(nmf_core::grad_h(&y, &DMatrix::from_row_slice(1, 1, &[1.0]), &DMatrix::from_row_slice(1, 1, &[3.0]))?[(0, 0)], 2.0);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn grad_h(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    dims(y, w, h)?;
    Ok(w.transpose() * (y - w * h) * -2.0)
}
