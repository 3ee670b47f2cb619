//! The multiplicative updates of chapter 4, twice: once written exactly as
//! the equations ([`update_w`], [`update_h`]), and once as the fit loop runs
//! them ([`Workspace`]), with matrix products into buffers made once.

use nalgebra::DMatrix;

use crate::error::NmfError;
use crate::hals::{sweep_columns, sweep_rows};
use crate::objective::{dims, expect_shape};
use crate::par;

/// One multiplicative step x ← x · num / den (chapter 5, "zero denominators").
///
/// Where the denominator is exactly zero the entry is left as it is. With
/// W, H ≥ 0 that can only happen when the entry does not touch the loss at
/// all (for w_mk > 0 it means row k of H is zero), so leaving it keeps the
/// loss where it was, and 0/0 never turns into NaN. The product x · num is
/// taken first, so a zero entry stays exactly zero even when num/den is huge.
// ANCHOR: multiplicative
#[inline]
pub(crate) fn multiplicative(x: f64, num: f64, den: f64) -> f64 {
    if den > 0.0 {
        x * num / den
    } else {
        x
    }
}
// ANCHOR_END: multiplicative

// ANCHOR: update_w
/// The W update of chapter 4 (equation 4.7), written as the equation:
///
/// w_mk ← w_mk · Σ_n y_mn h_kn / Σ_n (Σ_j w_mj h_jn) h_kn
///      = w_mk · (YHᵀ)_mk / (WHHᵀ)_mk.
///
/// Returns the new W. It costs O(m n k²) and exists to be read and to check
/// [`Workspace::update_w`] against.
pub fn update_w(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    let (m_len, n_len, k_len) = dims(y, w, h)?;
    let mut w_new = w.clone();
    for m in 0..m_len {
        for k in 0..k_len {
            let mut yht = 0.0; // (YHᵀ)_mk
            let mut whht = 0.0; // (WHHᵀ)_mk
            for n in 0..n_len {
                let wh_mn: f64 = (0..k_len).map(|j| w[(m, j)] * h[(j, n)]).sum();
                yht += y[(m, n)] * h[(k, n)];
                whht += wh_mn * h[(k, n)];
            }
            w_new[(m, k)] = multiplicative(w[(m, k)], yht, whht);
        }
    }
    Ok(w_new)
}
// ANCHOR_END: update_w

// ANCHOR: update_h
/// The H update of chapter 4 (equation 4.8), written as the equation:
///
/// h_kn ← h_kn · Σ_m w_mk y_mn / Σ_m w_mk (Σ_j w_mj h_jn)
///      = h_kn · (WᵀY)_kn / (WᵀWH)_kn.
///
/// Pass the W that was just updated: one iteration is W first, then H from
/// the new W.
pub fn update_h(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    let (m_len, n_len, k_len) = dims(y, w, h)?;
    let mut h_new = h.clone();
    for k in 0..k_len {
        for n in 0..n_len {
            let mut wty = 0.0; // (WᵀY)_kn
            let mut wtwh = 0.0; // (WᵀWH)_kn
            for m in 0..m_len {
                let wh_mn: f64 = (0..k_len).map(|j| w[(m, j)] * h[(j, n)]).sum();
                wty += w[(m, k)] * y[(m, n)];
                wtwh += w[(m, k)] * wh_mn;
            }
            h_new[(k, n)] = multiplicative(h[(k, n)], wty, wtwh);
        }
    }
    Ok(h_new)
}
// ANCHOR_END: update_h

// ANCHOR: workspace
/// Buffers for the fast updates, allocated once for an m × n problem at
/// rank k, so that an iteration creates no matrix (chapter 5). The matrix
/// products themselves may still take scratch memory of their own inside
/// nalgebra.
#[derive(Debug, Clone)]
pub struct Workspace {
    m: usize,
    n: usize,
    k: usize,
    ht: DMatrix<f64>,    // Hᵀ, n × k
    wt: DMatrix<f64>,    // Wᵀ, k × m
    gram: DMatrix<f64>,  // HHᵀ or WᵀW, k × k
    num_w: DMatrix<f64>, // YHᵀ, m × k
    den_w: DMatrix<f64>, // W(HHᵀ), m × k
    num_h: DMatrix<f64>, // WᵀY, k × n
    den_h: DMatrix<f64>, // (WᵀW)H, k × n
    hht: DMatrix<f64>,   // HHᵀ, k × k, for the loss
    wh: DMatrix<f64>,    // WH, a block of at most 64 columns, for the loss
    threads: usize,      // for YHᵀ and WᵀY
}
// ANCHOR_END: workspace

impl Workspace {
    /// Buffers for Y of shape m × n and rank k.
    pub fn new(m: usize, n: usize, k: usize) -> Self {
        Workspace {
            m,
            n,
            k,
            ht: DMatrix::zeros(n, k),
            wt: DMatrix::zeros(k, m),
            gram: DMatrix::zeros(k, k),
            num_w: DMatrix::zeros(m, k),
            den_w: DMatrix::zeros(m, k),
            num_h: DMatrix::zeros(k, n),
            den_h: DMatrix::zeros(k, n),
            hht: DMatrix::zeros(k, k),
            wh: DMatrix::zeros(m, n.min(LOSS_BLOCK)),
            threads: par::resolve(0),
        }
    }

    /// Computes the two big products YHᵀ and WᵀY on `threads` threads (0,
    /// the default, for every core). Every thread count gives the same
    /// bits: the products are cut into the same blocks whatever the count.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = par::resolve(threads);
        self
    }

    fn check(&self, y: &DMatrix<f64>, w: &DMatrix<f64>, h: &DMatrix<f64>) -> Result<(), NmfError> {
        expect_shape("Y must match the workspace", y, self.m, self.n)?;
        expect_shape("W must be m x k", w, self.m, self.k)?;
        expect_shape("H must be k x n", h, self.k, self.n)
    }

    // ANCHOR: fast_update_w
    /// The W update of [`update_w`], in place, from three products:
    /// YHᵀ (m n k flops), HHᵀ (n k²) and W(HHᵀ) (m k²).
    ///
    /// The order matters: (WH)Hᵀ would cost m n k twice over, W(HHᵀ) costs
    /// only m k² once HHᵀ is known.
    pub fn update_w(
        &mut self,
        y: &DMatrix<f64>,
        w: &mut DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<(), NmfError> {
        self.products_w(y, w, h)?;
        self.den_w.gemm(1.0, w, &self.gram, 0.0);
        apply(w, &self.num_w, &self.den_w);
        Ok(())
    }
    // ANCHOR_END: fast_update_w

    /// YHᵀ into `num_w` and HHᵀ into `gram`: what every W step needs.
    fn products_w(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<(), NmfError> {
        self.check(y, w, h)?;
        h.transpose_to(&mut self.ht);
        par::y_ht(y, &self.ht, &mut self.num_w, self.threads);
        self.gram.gemm(1.0, h, &self.ht, 0.0);
        Ok(())
    }

    /// WᵀY into `num_h` and WᵀW into `gram`: what every H step needs.
    fn products_h(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<(), NmfError> {
        self.check(y, w, h)?;
        w.transpose_to(&mut self.wt);
        par::wt_y(&self.wt, y, &mut self.num_h, self.threads);
        self.gram.gemm(1.0, &self.wt, w, 0.0);
        Ok(())
    }

    /// The HALS update of W ([`crate::hals_update_w`]), in place, from the
    /// same products YHᵀ and HHᵀ, with every entry kept at least `floor`.
    pub(crate) fn hals_w(
        &mut self,
        y: &DMatrix<f64>,
        w: &mut DMatrix<f64>,
        h: &DMatrix<f64>,
        floor: f64,
    ) -> Result<(), NmfError> {
        self.products_w(y, w, h)?;
        sweep_columns(w, &self.gram, &self.num_w, floor);
        Ok(())
    }

    /// The HALS update of H ([`crate::hals_update_h`]), in place, from WᵀY
    /// and WᵀW, with every entry kept at least `floor`.
    pub(crate) fn hals_h(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &mut DMatrix<f64>,
        floor: f64,
    ) -> Result<(), NmfError> {
        self.products_h(y, w, h)?;
        sweep_rows(h, &self.gram, &self.num_h, floor);
        Ok(())
    }

    // ANCHOR: fast_update_h
    /// The H update of [`update_h`], in place, from WᵀY, WᵀW and (WᵀW)H.
    pub fn update_h(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &mut DMatrix<f64>,
    ) -> Result<(), NmfError> {
        self.products_h(y, w, h)?;
        self.den_h.gemm(1.0, &self.gram, h, 0.0);
        apply(h, &self.num_h, &self.den_h);
        Ok(())
    }
    // ANCHOR_END: fast_update_h

    /// The loss ‖Y − WH‖²_F: the same number as [`crate::loss`], with WH
    /// built a block of columns at a time, so that no m × n matrix is made.
    pub fn loss(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<f64, NmfError> {
        self.check(y, w, h)?;
        let mut d = 0.0;
        for start in (0..self.n).step_by(LOSS_BLOCK) {
            let cols = LOSS_BLOCK.min(self.n - start);
            let mut wh = self.wh.columns_mut(0, cols);
            wh.gemm(1.0, w, &h.columns(start, cols), 0.0);
            let r = y.columns(start, cols);
            d += r
                .iter()
                .zip(wh.iter())
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>();
        }
        Ok(d)
    }

    // ANCHOR: cheap_loss
    /// The loss right after an H step, from the products that step made.
    ///
    /// ‖Y − WH‖² = ‖Y‖² − 2⟨H, WᵀY⟩ + ⟨WᵀW, HHᵀ⟩, and the H step has just
    /// computed WᵀY and WᵀW for the current W: only HHᵀ (n k² flops) is new,
    /// against m n k for WH. The three terms nearly cancel when the fit is
    /// close, and each carries a rounding error of about 10⁻¹⁶ times its
    /// size; so where the loss is below 1% of their total size, it is
    /// computed the exact way instead ([`Workspace::loss`]).
    pub(crate) fn loss_after_h_step(
        &mut self,
        y: &DMatrix<f64>,
        y_squared: f64,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<f64, NmfError> {
        self.check(y, w, h)?;
        h.transpose_to(&mut self.ht);
        self.hht.gemm(1.0, h, &self.ht, 0.0);
        let cross = h.dot(&self.num_h); // ⟨H, WᵀY⟩
        let quad = self.gram.dot(&self.hht); // ⟨WᵀW, HHᵀ⟩
        let d = y_squared - 2.0 * cross + quad;
        let size = y_squared + 2.0 * cross.abs() + quad;
        if size.is_finite() && d >= CHEAP_LOSS_MARGIN * size {
            Ok(d)
        } else {
            self.loss(y, w, h)
        }
    }
    // ANCHOR_END: cheap_loss
}

/// Columns of WH built at a time by [`Workspace::loss`].
const LOSS_BLOCK: usize = 64;

/// The cheap loss is used while it is at least this share of the size of
/// its terms, so that it keeps all but about two of its digits.
const CHEAP_LOSS_MARGIN: f64 = 1e-2;

/// x ← x ∘ num ⊘ den, entry by entry, with the zero-denominator rule of
/// [`multiplicative`].
fn apply(x: &mut DMatrix<f64>, num: &DMatrix<f64>, den: &DMatrix<f64>) {
    for ((x, &num), &den) in x.iter_mut().zip(num.iter()).zip(den.iter()) {
        *x = multiplicative(*x, num, den);
    }
}
