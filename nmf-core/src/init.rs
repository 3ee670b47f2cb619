//! Where to start (chapter 8): the best scale α* of a start, the truncated
//! SVD with fixed signs, and the NNDSVD starts of Boutsidis and
//! Gallopoulos (2008) with their two filled variants.

use nalgebra::{DMatrix, DVector};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::error::{Factor, NmfError};
use crate::objective::dims;

/// The best scale of a start, α* = ⟨Y, WH⟩ / ‖WH‖²_F (chapter 8, eq. 8.1):
/// the α that makes ‖Y − αWH‖²_F smallest. Multiplying W (or H) by α*
/// lowers the loss by ‖WH‖²_F (α* − 1)² (eq. 8.2).
///
/// Where WH = 0 every α gives the same loss, and this returns 1, which
/// leaves the start as it is. Shapes that do not fit are an
/// [`NmfError::ShapeMismatch`]; a NaN or an infinity in Y, W or H is an
/// error too, as is a WH whose entries overflow.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(2, 2, &[2.0, 4.0, 6.0, 12.0]);
/// let w = DMatrix::from_row_slice(2, 1, &[1.0, 3.0]);
/// let h = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
/// // WH is Y halved, so doubling it is best.
/// assert_eq!(nmf_core::best_scale(&y, &w, &h)?, 2.0);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn best_scale(y: &DMatrix<f64>, w: &DMatrix<f64>, h: &DMatrix<f64>) -> Result<f64, NmfError> {
    dims(y, w, h)?;
    check_finite(y)?;
    for (factor, x) in [(Factor::W, w), (Factor::H, h)] {
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            let (row, col) = (i % x.nrows(), i / x.nrows());
            let value = x[i];
            return Err(NmfError::InitEntry {
                factor,
                row,
                col,
                value,
            });
        }
    }
    let y_hat = w * h;
    let top = y_hat.amax();
    if !top.is_finite() {
        return Err(NmfError::LossOverflow(f64::INFINITY));
    }
    if top == 0.0 {
        return Ok(1.0);
    }
    // Both sums are taken on Y and WH scaled to at most 1, so that
    // neither can overflow; the scales come back as one ratio.
    let scale_y = if y.amax() > 0.0 { y.amax() } else { 1.0 };
    let p = y_hat / top;
    let alpha = (scale_y / top) * ((y / scale_y).dot(&p) / p.norm_squared());
    if alpha.is_finite() {
        Ok(alpha)
    } else {
        Err(NmfError::LossOverflow(alpha))
    }
}

/// The truncated singular value decomposition Y ≈ U diag(σ) Vᵀ at rank k
/// (chapter 8): U is m × k, σ holds σ₁ ≥ … ≥ σ_k ≥ 0, and Vᵀ is k × n.
/// It is computed from nalgebra's exact SVD, in O(mn·min(m, n)).
///
/// The sign of each pair (u_j, v_j) is free, since (−u_j)(−v_j)ᵀ = u_j v_jᵀ.
/// It is fixed as scikit-learn fixes it (`svd_flip`): the entry of u_j
/// with the largest absolute value, the first such on a tie, is positive.
/// For distinct singular values the result is then unique.
///
/// `k` must be from 1 to min(m, n), and Y finite and not empty.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(3, 2, &[3.0, 0.0, 0.0, -2.0, 0.0, 0.0]);
/// let (u, sigma, v_t) = nmf_core::truncated_svd(&y, 2)?;
/// assert_eq!((sigma[0], sigma[1]), (3.0, 2.0));
/// // The second pair is flipped so that u₂'s largest entry is positive.
/// assert_eq!((u[(1, 1)], v_t[(1, 1)]), (1.0, -1.0));
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
// The triple (U, σ, Vᵀ) reads as the mathematics; a named type would hide it.
#[allow(clippy::type_complexity)]
pub fn truncated_svd(
    y: &DMatrix<f64>,
    k: usize,
) -> Result<(DMatrix<f64>, DVector<f64>, DMatrix<f64>), NmfError> {
    check_finite(y)?;
    check_rank(y, k)?;
    let svd = y.clone().svd(true, true);
    let (Some(u), Some(v_t)) = (svd.u, svd.v_t) else {
        unreachable!("both factors were asked for");
    };
    let mut u = u.columns(0, k).into_owned();
    let mut v_t = v_t.rows(0, k).into_owned();
    let sigma = svd.singular_values.rows(0, k).into_owned();
    for j in 0..k {
        // The first index of the largest |u_mj|, as NumPy's argmax gives it.
        let mut top = 0;
        for i in 1..u.nrows() {
            if u[(i, j)].abs() > u[(top, j)].abs() {
                top = i;
            }
        }
        if u[(top, j)] < 0.0 {
            u.column_mut(j).neg_mut();
            v_t.row_mut(j).neg_mut();
        }
    }
    Ok((u, sigma, v_t))
}

/// NNDSVD (Boutsidis and Gallopoulos 2008; chapter 8): a start W (m × k),
/// H (k × n), both ≥ 0, built from the truncated SVD of Y.
///
/// The first pair becomes w₁ = √σ₁ |u₁|, h₁ = √σ₁ |v₁|. Every later pair
/// (u_j, v_j) is split into positive and negative parts,
/// u_j = u⁺ − u⁻ and v_j = v⁺ − v⁻; of the two non-negative products
/// u⁺v⁺ᵀ and u⁻v⁻ᵀ the one with the larger norm, m = ‖u^±‖‖v^±‖, is kept
/// (the positive one only if it is strictly larger, as in scikit-learn),
/// and shared evenly: w_j = √(σ_j m) u^±/‖u^±‖, h_j = √(σ_j m) v^±/‖v^±‖,
/// so that w_j h_jᵀ = σ_j u^± v^±ᵀ.
///
/// It uses no seed: the same Y gives the same bits. Many entries are
/// exactly zero, and the multiplicative updates never move a zero
/// (chapter 4); [`nndsvd_a`] and [`nndsvd_ar`] fill them.
///
/// Where it differs from scikit-learn's `_initialize_nmf(init="nndsvd")`:
/// the SVD is exact, not randomised; no entry is set to zero for being
/// below 10⁻⁶ (an absolute threshold, which would break
/// NNDSVD(cY) = √c NNDSVD(Y)); and a pair whose singular value is
/// rounding, σ_j ≤ max(m, n) ε σ₁, gives a zero component instead of one
/// built from arbitrary singular vectors.
///
/// Y must be non-empty, finite and ≥ 0, and k from 1 to min(m, n):
/// otherwise an [`NmfError`], among them [`NmfError::RankAboveMinDim`].
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(3, 3, &[4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0]);
/// let (w, h) = nmf_core::nndsvd(&y, 2)?;
/// assert!(w.iter().chain(h.iter()).all(|v| *v >= 0.0));
/// assert_eq!(nmf_core::nndsvd(&y, 2)?, (w, h)); // no seed, same bits
/// assert!(nmf_core::nndsvd(&y, 4).is_err()); // k above min(m, n)
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
// ANCHOR: nndsvd
pub fn nndsvd(y: &DMatrix<f64>, k: usize) -> Result<(DMatrix<f64>, DMatrix<f64>), NmfError> {
    check_data(y)?;
    let (u, sigma, v_t) = truncated_svd(y, k)?;
    let (m, n) = y.shape();
    let mut w = DMatrix::zeros(m, k);
    let mut h = DMatrix::zeros(k, n);
    let rounding = sigma[0] * m.max(n) as f64 * f64::EPSILON;
    for j in 0..k {
        if sigma[j] <= rounding {
            continue; // includes Y = 0, where every σ_j is 0
        }
        let x: DVector<f64> = u.column(j).into_owned();
        let v: DVector<f64> = v_t.row(j).transpose();
        let (x, v) = if j == 0 {
            (x.abs(), v.abs())
        } else {
            dominant_part(&x, &v)
        };
        // ‖x‖‖v‖ is ρ of the kept part (1 for the first pair).
        let (nx, nv) = (x.norm(), v.norm());
        if nx == 0.0 || nv == 0.0 {
            continue;
        }
        let scale = (sigma[j] * nx * nv).sqrt();
        w.column_mut(j).copy_from(&(x * (scale / nx)));
        h.row_mut(j).copy_from(&(v * (scale / nv)).transpose());
    }
    Ok((w, h))
}

/// Of u⁺v⁺ᵀ and u⁻v⁻ᵀ, the pair (u^±, v^±) whose product has the larger
/// norm ‖u^±‖‖v^±‖; the negative one on a tie.
fn dominant_part(u: &DVector<f64>, v: &DVector<f64>) -> (DVector<f64>, DVector<f64>) {
    let (u_pos, v_pos) = (u.map(|x| x.max(0.0)), v.map(|x| x.max(0.0)));
    let (u_neg, v_neg) = (u.map(|x| (-x).max(0.0)), v.map(|x| (-x).max(0.0)));
    if u_pos.norm() * v_pos.norm() > u_neg.norm() * v_neg.norm() {
        (u_pos, v_pos)
    } else {
        (u_neg, v_neg)
    }
}
// ANCHOR_END: nndsvd

/// NNDSVDa (chapter 8): [`nndsvd`] with every zero entry of W and H
/// replaced by the mean of Y, so that no entry starts at a zero that the
/// multiplicative updates could never leave. Deterministic, like NNDSVD;
/// it is scikit-learn's `init="nndsvda"` on the exact SVD.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(3, 3, &[4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0]);
/// let (w, h) = nmf_core::nndsvd_a(&y, 2)?;
/// assert!(w.iter().chain(h.iter()).all(|v| *v > 0.0));
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn nndsvd_a(y: &DMatrix<f64>, k: usize) -> Result<(DMatrix<f64>, DMatrix<f64>), NmfError> {
    let (mut w, mut h) = nndsvd(y, k)?;
    let mean = mean(y);
    for v in w.iter_mut().chain(h.iter_mut()) {
        if *v == 0.0 {
            *v = mean;
        }
    }
    Ok((w, h))
}

/// NNDSVDar (chapter 8): [`nndsvd`] with every zero entry of W and H
/// replaced by a small random value, mean(Y) · u / 100 with u uniform on
/// (0, 1], drawn from ChaCha8 seeded by `seed`: W first, then H, each in
/// column-major order. (scikit-learn draws |mean(Y) · N(0, 1)| / 100
/// instead, from NumPy's generator.)
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(3, 3, &[4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0]);
/// let (w, h) = nmf_core::nndsvd_ar(&y, 2, 7)?;
/// let (w0, h0) = nmf_core::nndsvd(&y, 2)?;
/// // The non-zero entries of NNDSVD are kept, the zeros become small.
/// let small = 16.0 / 9.0 / 100.0; // mean(Y) / 100
/// for (a, b) in w.iter().chain(h.iter()).zip(w0.iter().chain(h0.iter())) {
///     assert!(if *b == 0.0 { 0.0 < *a && *a <= small } else { a == b });
/// }
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn nndsvd_ar(
    y: &DMatrix<f64>,
    k: usize,
    seed: u64,
) -> Result<(DMatrix<f64>, DMatrix<f64>), NmfError> {
    let (mut w, mut h) = nndsvd(y, k)?;
    let small = mean(y) / 100.0;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for v in w.iter_mut().chain(h.iter_mut()) {
        if *v == 0.0 {
            // 1 − r lies in (0, 1], so the filled entry is never zero.
            *v = small * (1.0 - rng.random::<f64>());
        }
    }
    Ok((w, h))
}

/// The mean of Y, divided before it is summed so that it cannot overflow.
fn mean(y: &DMatrix<f64>) -> f64 {
    let count = y.len() as f64;
    y.iter().map(|v| v / count).sum()
}

/// Y must not be empty and must be finite.
fn check_finite(y: &DMatrix<f64>) -> Result<(), NmfError> {
    let (rows, cols) = y.shape();
    if rows == 0 || cols == 0 {
        return Err(NmfError::EmptyData { rows, cols });
    }
    match y.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(NmfError::NonFiniteData {
            row: i % rows,
            col: i / rows,
            value: y[i],
        }),
        None => Ok(()),
    }
}

/// Y must be non-empty, finite and ≥ 0; the first offending entry is named.
fn check_data(y: &DMatrix<f64>) -> Result<(), NmfError> {
    check_finite(y)?;
    match y.iter().position(|v| *v < 0.0) {
        Some(i) => Err(NmfError::NegativeData {
            row: i % y.nrows(),
            col: i / y.nrows(),
            value: y[i],
        }),
        None => Ok(()),
    }
}

/// The rank must be from 1 to min(m, n).
fn check_rank(y: &DMatrix<f64>, k: usize) -> Result<(), NmfError> {
    let (rows, cols) = y.shape();
    if k == 0 {
        return Err(NmfError::ZeroRank);
    }
    if k > rows.min(cols) {
        return Err(NmfError::RankAboveMinDim {
            rank: k,
            rows,
            cols,
        });
    }
    Ok(())
}
