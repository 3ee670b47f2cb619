//! The generalised Kullback–Leibler divergence of chapter 9, its auxiliary
//! function and its multiplicative updates, twice: once written exactly as
//! the equations ([`update_w_kl`], [`update_h_kl`]), and once as the fit
//! runs them ([`KlWorkspace`]), with matrix products into buffers made once.

use nalgebra::DMatrix;

use crate::error::NmfError;
use crate::kernel;
use crate::mu::{multiplicative, padded};
use crate::objective::{dims, expect_shape, lambda};

/// The smallest entry of Y that counts: 2⁻¹⁰²² ≈ 2.2 × 10⁻³⁰⁸, the
/// smallest normal f64. A positive entry below it (a subnormal number,
/// with fewer than 53 bits) counts as 0 (chapter 9, "Edge cases").
pub(crate) const SMALLEST_COUNT: f64 = f64::MIN_POSITIVE;

/// Whether an entry y of Y counts as positive.
#[inline]
fn counts(y: f64) -> bool {
    y >= SMALLEST_COUNT
}

/// The reconstruction ŷ_mn = Σ_k w_mk h_kn of one entry.
fn y_hat(w: &DMatrix<f64>, h: &DMatrix<f64>, m: usize, n: usize) -> f64 {
    (0..w.ncols()).map(|k| w[(m, k)] * h[(k, n)]).sum()
}

// ANCHOR: kl_term
/// One term y log(y / ŷ) − y + ŷ of the divergence, with 0 log 0 = 0.
///
/// y = 0, or y below 2⁻¹⁰²², gives ŷ. y > 0 with ŷ = 0 gives +∞, the true
/// value. Otherwise the logarithm is taken of y / ŷ when that ratio is a
/// normal number, and as ln y − ln ŷ when it is not (ŷ huge or tiny
/// beside y), so that it never turns into log 0 or log ∞.
pub(crate) fn kl_term(y: f64, y_hat: f64) -> f64 {
    if !counts(y) {
        y_hat
    } else if y_hat == 0.0 {
        f64::INFINITY
    } else {
        let q = y / y_hat;
        let log = if q.is_normal() {
            q.ln()
        } else {
            y.ln() - y_hat.ln()
        };
        y * log - y + y_hat
    }
}
// ANCHOR_END: kl_term

/// The ratio y / ŷ of the updates, with 0 where y = 0 (whatever ŷ): such an
/// entry adds ŷ to the divergence and nothing to the numerators. So does
/// a y below 2⁻¹⁰²².
#[inline]
fn ratio(y: f64, y_hat: f64) -> f64 {
    if !counts(y) {
        0.0
    } else {
        y / y_hat
    }
}

/// The generalised Kullback–Leibler divergence (chapter 9, equation 9.1):
///
/// D_KL(Y | WH) = Σ_mn [ y_mn log(y_mn / ŷ_mn) − y_mn + ŷ_mn ],
/// ŷ_mn = Σ_k w_mk h_kn,
///
/// with 0 log 0 = 0. There is no ½ in front. It is ≥ 0, and 0 exactly when
/// WH = Y. Where ŷ_mn = 0 but y_mn > 0 the divergence is +∞, and this
/// function returns `f64::INFINITY`; it never returns a NaN.
///
/// An entry of Y below 2⁻¹⁰²² ≈ 2.2 × 10⁻³⁰⁸ (a subnormal number) counts
/// as 0. Wherever 10⁻³⁰⁰ ≤ ŷ ≤ 10³⁰⁰ that changes its term by less than
/// 10⁻³⁰⁴, and it keeps a ŷ that underflows to 0 there from making the
/// divergence infinite: a y of 10⁻³²³ and a y of 0 give the same number.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(1, 2, &[1.0, 0.0]);
/// let w = DMatrix::from_row_slice(1, 1, &[1.0]);
/// let h = DMatrix::from_row_slice(1, 2, &[2.0, 3.0]);
/// // 1·log(1/2) − 1 + 2 for the first entry, 0 − 0 + 3 for the second.
/// let d = nmf_core::loss_kl(&y, &w, &h)?;
/// assert!((d - (4.0 - 2f64.ln())).abs() < 1e-15);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn loss_kl(y: &DMatrix<f64>, w: &DMatrix<f64>, h: &DMatrix<f64>) -> Result<f64, NmfError> {
    let (m, n, _) = dims(y, w, h)?;
    let mut d = 0.0;
    for col in 0..n {
        for row in 0..m {
            d += kl_term(y[(row, col)], y_hat(w, h, row, col));
        }
    }
    Ok(d)
}

/// One term −y λ log(x / λ) of the Jensen bound of chapter 9, x = w_mk h_kn.
/// y = 0 or λ = 0 gives 0 (the term is absent); x = 0 with y, λ > 0 gives
/// +∞, the limit of −log x. A y below 2⁻¹⁰²² counts as 0, as in [`loss_kl`].
fn jensen_term_kl(y: f64, x: f64, lambda: f64) -> f64 {
    if !counts(y) || lambda == 0.0 {
        0.0
    } else if x == 0.0 {
        f64::INFINITY
    } else {
        -y * lambda * (x.ln() - lambda.ln())
    }
}

/// The auxiliary function of chapter 9 (equation 9.4):
///
/// G_KL(W, H | Wᵗ, Hᵗ) = Σ_mn [ y_mn log y_mn − y_mn + Σ_k w_mk h_kn
///                        − y_mn Σ_k λ_kmn log(w_mk h_kn / λ_kmn) ],
///
/// with the weights λ of chapter 3 computed from the anchor Wᵗ, Hᵗ by
/// [`lambda`], 0 log 0 = 0, and a term with λ_kmn = 0 left out. Jensen's
/// inequality for the convex −log gives G_KL ≥ D_KL for every W, H, and
/// G_KL = D_KL when W = Wᵗ and H = Hᵗ. Entries of Y below 2⁻¹⁰²² count
/// as 0, as in [`loss_kl`].
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// use nmf_core::{auxiliary_kl, loss_kl};
/// let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
/// let (w_t, h_t) = (DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.2, 1.0]), DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 2.0, 1.0]));
/// let (w, h) = (DMatrix::from_row_slice(2, 2, &[0.7, 0.6, 0.4, 1.1]), DMatrix::from_row_slice(2, 2, &[1.2, 0.9, 1.5, 1.3]));
/// assert!(auxiliary_kl(&y, &w, &h, &w_t, &h_t)? >= loss_kl(&y, &w, &h)?);
/// let at_anchor = auxiliary_kl(&y, &w_t, &h_t, &w_t, &h_t)?;
/// assert!((at_anchor - loss_kl(&y, &w_t, &h_t)?).abs() < 1e-12);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn auxiliary_kl(
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
            let y_mn = if counts(y_mn) { y_mn } else { 0.0 };
            let y_log_y = if y_mn > 0.0 { y_mn * y_mn.ln() } else { 0.0 };
            let bound: f64 = (0..k)
                .map(|kk| jensen_term_kl(y_mn, w[(row, kk)] * h[(kk, col)], lambda[kk][(row, col)]))
                .sum();
            g += y_log_y - y_mn + y_hat(w, h, row, col) + bound;
        }
    }
    Ok(g)
}

/// x · num / den for the KL updates: [`multiplicative`], except that a
/// zero entry stays zero even where num is +∞ (a term y / 0 that only a
/// zero entry could have met), so that 0 · ∞ never becomes NaN.
#[inline]
fn step_entry(x: f64, num: f64, den: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        multiplicative(x, num, den)
    }
}

/// max(floor, x), except that a NaN stays a NaN, for the fit to report.
#[inline]
fn raised(x: f64, floor: f64) -> f64 {
    if x < floor {
        floor
    } else {
        x
    }
}

/// h · r for one term of a numerator, with 0 where h = 0, so that a ratio
/// y / 0 = +∞ meets only entries that cannot carry it.
#[inline]
fn weighted(h: f64, r: f64) -> f64 {
    if h == 0.0 {
        0.0
    } else {
        h * r
    }
}

// ANCHOR: update_w_kl
/// The W update of chapter 9 (equation 9.6), written as the equation:
///
/// w_mk ← w_mk · Σ_n h_kn (y_mn / ŷ_mn) / Σ_n h_kn.
///
/// Returns the new W. A term with y_mn = 0 adds nothing to the numerator.
/// Where Σ_n h_kn = 0 the entry keeps its value, as in chapter 5. It costs
/// O(m n k²) and exists to be read and to check the fit against.
pub fn update_w_kl(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    let (m_len, n_len, k_len) = dims(y, w, h)?;
    let mut w_new = w.clone();
    for m in 0..m_len {
        for k in 0..k_len {
            let mut num = 0.0; // Σ_n h_kn y_mn / ŷ_mn
            let mut den = 0.0; // Σ_n h_kn
            for n in 0..n_len {
                let r = ratio(y[(m, n)], y_hat(w, h, m, n));
                num += weighted(h[(k, n)], r);
                den += h[(k, n)];
            }
            w_new[(m, k)] = step_entry(w[(m, k)], num, den);
        }
    }
    Ok(w_new)
}
// ANCHOR_END: update_w_kl

// ANCHOR: update_h_kl
/// The H update of chapter 9 (equation 9.7), written as the equation:
///
/// h_kn ← h_kn · Σ_m w_mk (y_mn / ŷ_mn) / Σ_m w_mk.
///
/// Pass the W that was just updated. Where Σ_m w_mk = 0 the entry keeps
/// its value.
pub fn update_h_kl(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>, NmfError> {
    let (m_len, n_len, k_len) = dims(y, w, h)?;
    let mut h_new = h.clone();
    for k in 0..k_len {
        for n in 0..n_len {
            let mut num = 0.0; // Σ_m w_mk y_mn / ŷ_mn
            let mut den = 0.0; // Σ_m w_mk
            for m in 0..m_len {
                let r = ratio(y[(m, n)], y_hat(w, h, m, n));
                num += weighted(w[(m, k)], r);
                den += w[(m, k)];
            }
            h_new[(k, n)] = step_entry(h[(k, n)], num, den);
        }
    }
    Ok(h_new)
}
// ANCHOR_END: update_h_kl

/// The first entry (row, col) where ŷ = 0 but y counts as positive, if
/// any: where the divergence of a start is infinite.
pub(crate) fn infinite_entry(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Option<(usize, usize)> {
    (0..y.ncols())
        .flat_map(|col| (0..y.nrows()).map(move |row| (row, col)))
        .find(|&(row, col)| counts(y[(row, col)]) && y_hat(w, h, row, col) == 0.0)
}

/// Columns of WH, and of Y ⊘ WH, built at a time.
const BLOCK: usize = 64;

/// The KL passes cut the blocks of columns into this many chunks on a
/// problem big enough for threads, whatever their number; each chunk keeps
/// its own sum of RHᵀ, and the sums are added in chunk order, so the bits
/// do not depend on the thread count. Smaller problems take one chunk.
const KL_CHUNKS: usize = 4;

// ANCHOR: kl_workspace
/// Buffers for the KL updates as the fit runs them, made once for an m × n
/// problem at rank k. No m × n matrix is ever made: WH and the ratio
/// R = Y ⊘ WH are built a block of at most 64 columns at a time, in each
/// of a few fixed chunks of blocks that run on threads.
///
/// An iteration makes four passes of m n k multiply–adds: WH then WᵀR for
/// the H step, and WH then RHᵀ after it, which give both the divergence at
/// the new point and the numerator RHᵀ of the next W step.
#[derive(Debug, Clone)]
pub(crate) struct KlWorkspace {
    m: usize,
    n: usize,
    k: usize,
    chunks: usize,
    ht: DMatrix<f64>,    // Hᵀ, n × k
    wt: Vec<f64>,        // Wᵀ padded with zero rows to k', k' × m
    block: Vec<f64>,     // per chunk, a block of WH, then of R = Y ⊘ WH, m × 64
    num_w: DMatrix<f64>, // RHᵀ at the current point, m × k
    parts: Vec<f64>,     // per chunk, its share of RHᵀ, m × k
    num_h: Vec<f64>,     // per chunk, a block of WᵀR, k' × 64
    sums: Vec<f64>,      // row sums of H, or column sums of W
    threads: usize,
}
// ANCHOR_END: kl_workspace

/// A column-major `rows × cols` view of the buffer at `p`.
///
/// # Safety
/// `p` must point to `rows · cols` numbers that nothing else touches while
/// the view lives.
unsafe fn view<'a>(p: *mut f64, rows: usize, cols: usize) -> nalgebra::DMatrixViewMut<'a, f64> {
    // SAFETY: as the caller promises.
    let slice = unsafe { std::slice::from_raw_parts_mut(p, rows * cols) };
    nalgebra::DMatrixViewMut::from_slice(slice, rows, cols)
}

impl KlWorkspace {
    /// Buffers for Y of shape m × n and rank k.
    pub(crate) fn new(m: usize, n: usize, k: usize) -> Self {
        let b = n.min(BLOCK);
        let big = m.saturating_mul(n).saturating_mul(k) >= crate::par::PARALLEL_WORK;
        let chunks = if big {
            KL_CHUNKS.min(n.div_ceil(BLOCK))
        } else {
            1
        };
        KlWorkspace {
            m,
            n,
            k,
            chunks,
            ht: DMatrix::zeros(n, k),
            wt: vec![0.0; padded(k) * m],
            block: vec![0.0; chunks * m * b],
            num_w: DMatrix::zeros(m, k),
            parts: vec![0.0; if chunks > 1 { chunks * m * k } else { 0 }],
            num_h: vec![0.0; chunks * padded(k) * b],
            sums: vec![0.0; k],
            threads: 1,
        }
    }

    /// Runs the chunks on up to `threads` threads (0 for every core): the
    /// same bits for any count.
    pub(crate) fn with_threads(mut self, threads: usize) -> Self {
        self.threads = crate::par::resolve(threads);
        self
    }

    fn check(&self, y: &DMatrix<f64>, w: &DMatrix<f64>, h: &DMatrix<f64>) -> Result<(), NmfError> {
        expect_shape("Y must match the workspace", y, self.m, self.n)?;
        expect_shape("W must be m x k", w, self.m, self.k)?;
        expect_shape("H must be k x n", h, self.k, self.n)
    }

    /// The blocks of columns of chunk `c`.
    fn chunk_blocks(&self, c: usize) -> std::ops::Range<usize> {
        let blocks = self.n.div_ceil(BLOCK);
        c * blocks / self.chunks..(c + 1) * blocks / self.chunks
    }

    /// Fills `r` (m × cols) with R = Y ⊘ WH for the columns `start..start
    /// + cols`, from `h_b`, those columns of H (k × cols, contiguous), and
    /// returns their divergence if `divergence`, else 0.
    ///
    /// # Safety
    /// `h_b` must point to k · cols numbers that nothing writes meanwhile.
    unsafe fn ratio_block(
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h_b: *const f64,
        r: &mut nalgebra::DMatrixViewMut<'_, f64>,
        start: usize,
        divergence: bool,
    ) -> f64 {
        let (m, cols, k) = (r.nrows(), r.ncols(), w.ncols());
        // SAFETY: r is m × cols with contiguous columns, W is m × k, and
        // h_b holds k × cols numbers, as the caller promises.
        unsafe {
            kernel::gemm(
                [m, cols, k],
                w.as_ptr(),
                m,
                h_b,
                [1, k],
                r.as_mut_ptr(),
                m,
                false,
            );
        }
        let mut d = 0.0;
        for (v, &y) in r.iter_mut().zip(y.columns(start, cols).iter()) {
            if divergence {
                d += kl_term(y, *v);
            }
            *v = ratio(y, *v);
        }
        d
    }

    // ANCHOR: divergence_and_num_w
    /// The divergence D_KL(Y | WH), and RHᵀ into `num_w`: the numerator of
    /// the next W step, from the same pass over WH.
    pub(crate) fn divergence_and_num_w(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<f64, NmfError> {
        self.check(y, w, h)?;
        Ok(self.pass_num_w(y, w, h, true))
    }
    // ANCHOR_END: divergence_and_num_w

    /// RHᵀ into `num_w`, and the divergence if `divergence` (else 0): each
    /// chunk adds its blocks' R_b H_bᵀ into its own sum, and the sums are
    /// added in chunk order.
    fn pass_num_w(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
        divergence: bool,
    ) -> f64 {
        let (m, k, chunks) = (self.m, self.k, self.chunks);
        let b = self.n.min(BLOCK);
        h.transpose_to(&mut self.ht);
        let mut d = [0.0; KL_CHUNKS];
        let (block, ht) = (crate::par::Out(self.block.as_mut_ptr()), &self.ht);
        // One chunk sums straight into num_w; more sum into their parts.
        let parts = crate::par::Out(if chunks > 1 {
            self.parts.as_mut_ptr()
        } else {
            self.num_w.as_mut_ptr()
        });
        let out = crate::par::Out(d.as_mut_ptr());
        let this = &*self;
        crate::par::spread(chunks, this.threads, |c| {
            let (block, parts, out) = (&block, &parts, &out);
            // SAFETY: chunk c uses only its own block buffer, its own part
            // of RHᵀ (m × k) and its own entry of d.
            unsafe {
                let mut part = view(parts.0.add(c * m * k), m, k);
                part.fill(0.0);
                let mut sum = 0.0;
                for blk in this.chunk_blocks(c) {
                    let start = blk * BLOCK;
                    let cols = BLOCK.min(this.n - start);
                    let mut r = view(block.0.add(c * m * b), m, cols);
                    let h_b = h.as_ptr().add(start * k);
                    sum += Self::ratio_block(y, w, h_b, &mut r, start, divergence);
                    // part += R_b H_bᵀ, with H_bᵀ rows start.. of Hᵀ (n × k).
                    let ht_b = ht.as_ptr().add(start);
                    kernel::gemm(
                        [m, k, cols],
                        r.as_ptr(),
                        m,
                        ht_b,
                        [1, this.n],
                        part.as_mut_ptr(),
                        m,
                        true,
                    );
                }
                *out.0.add(c) = sum;
            }
        });
        if chunks > 1 {
            let (num_w, parts) = (self.num_w.as_mut_slice(), &self.parts);
            for (i, x) in num_w.iter_mut().enumerate() {
                *x = (1..chunks).fold(parts[i], |s, c| s + parts[c * m * k + i]);
            }
        }
        d[..chunks].iter().sum()
    }

    /// The W step alone, w_mk ← max(floor, w_mk (RHᵀ)_mk / Σ_n h_kn), from
    /// the RHᵀ that the last call of [`KlWorkspace::divergence_and_num_w`]
    /// left, which must have been made at this W and H.
    pub(crate) fn step_w(&mut self, w: &mut DMatrix<f64>, h: &DMatrix<f64>, floor: f64) {
        for (k, s) in self.sums.iter_mut().enumerate() {
            *s = h.row(k).sum();
        }
        for k in 0..self.k {
            for m in 0..self.m {
                w[(m, k)] = raised(
                    step_entry(w[(m, k)], self.num_w[(m, k)], self.sums[k]),
                    floor,
                );
            }
        }
    }

    // ANCHOR: kl_step
    /// One iteration from (W, H), where the last call of
    /// [`KlWorkspace::divergence_and_num_w`] was made: W from the stored
    /// RHᵀ and the row sums of H, then H a block of columns at a time
    /// (column n of the new H needs only column n of R), every entry kept
    /// at least `floor`. Returns the divergence at the new point, or 0
    /// without `divergence` (which saves a logarithm per entry), and
    /// leaves RHᵀ there for the next call.
    pub(crate) fn step(
        &mut self,
        y: &DMatrix<f64>,
        w: &mut DMatrix<f64>,
        h: &mut DMatrix<f64>,
        floor: f64,
        divergence: bool,
    ) -> Result<f64, NmfError> {
        self.check(y, w, h)?;
        self.step_w(w, h, floor);
        // H step: h_kn ← h_kn (WᵀR)_kn / Σ_m w_mk, R from the new W.
        for (k, s) in self.sums.iter_mut().enumerate() {
            *s = w.column(k).sum();
        }
        // Wᵀ made once, its rows padded with zeros to k', so that the
        // kernel runs WᵀR down whole registers.
        let (m, k) = (self.m, self.k);
        let kp = padded(k);
        for i in 0..m {
            for row in 0..kp {
                self.wt[row + i * kp] = if row < k { w[(i, row)] } else { 0.0 };
            }
        }
        let b = self.n.min(BLOCK);
        let [block, num_h, h_out] = [
            self.block.as_mut_ptr(),
            self.num_h.as_mut_ptr(),
            h.as_mut_ptr(),
        ]
        .map(crate::par::Out);
        let this = &*self;
        let w = &*w;
        crate::par::spread(this.chunks, this.threads, |c| {
            let (block, num_h, h_out) = (&block, &num_h, &h_out);
            // SAFETY: chunk c uses its own buffers, and reads and writes
            // only the columns of H in its own blocks, which no other chunk
            // touches; R of a block needs only those columns of H.
            unsafe {
                for blk in this.chunk_blocks(c) {
                    let start = blk * BLOCK;
                    let cols = BLOCK.min(this.n - start);
                    let mut r = view(block.0.add(c * m * b), m, cols);
                    // R_b, from the block's columns of H, read before they
                    // are written.
                    Self::ratio_block(y, w, h_out.0.add(start * k), &mut r, start, false);
                    let num = num_h.0.add(c * kp * b);
                    kernel::gemm(
                        [kp, cols, m],
                        this.wt.as_ptr(),
                        kp,
                        r.as_ptr(),
                        [1, m],
                        num,
                        kp,
                        false,
                    );
                    for j in 0..cols {
                        for kk in 0..k {
                            let at = h_out.0.add(kk + (start + j) * k);
                            let x = step_entry(*at, *num.add(kk + j * kp), this.sums[kk]);
                            *at = raised(x, floor);
                        }
                    }
                }
            }
        });
        Ok(self.pass_num_w(y, w, &*h, divergence))
    }
    // ANCHOR_END: kl_step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_zero_only_on_the_fit_and_never_nan() {
        assert_eq!(kl_term(2.0, 2.0), 0.0);
        assert_eq!(kl_term(0.0, 0.0), 0.0);
        assert_eq!(kl_term(0.0, 3.0), 3.0);
        assert_eq!(kl_term(1.0, 0.0), f64::INFINITY);
        // y / ŷ underflows (first) or overflows (second), and ln y − ln ŷ
        // takes over.
        let expect = |y: f64, f: f64| y * (y.ln() - f.ln()) - y + f;
        assert_eq!(kl_term(1e-300, 1e10), expect(1e-300, 1e10));
        assert_eq!(kl_term(1.0, 1e-310), expect(1.0, 1e-310));
        assert!((kl_term(1.0, 1e-310) - (310.0 * 10f64.ln() - 1.0)).abs() < 1e-12);
        // A subnormal y counts as 0.
        assert_eq!(kl_term(1e-323, 0.0), 0.0);
        assert_eq!(kl_term(1e-323, 2.0), 2.0);
        assert_eq!(kl_term(f64::MIN_POSITIVE, 0.0), f64::INFINITY);
    }

    #[test]
    fn the_workspace_matches_the_equations() {
        let y = DMatrix::from_fn(5, 130, |m, n| ((m * 7 + n * 3) % 5) as f64);
        let mut w = DMatrix::from_fn(5, 2, |m, k| 0.5 + ((m + 2 * k) % 3) as f64);
        let mut h = DMatrix::from_fn(2, 130, |k, n| 0.5 + ((k + n) % 4) as f64);
        let mut ws = KlWorkspace::new(5, 130, 2);
        let d0 = ws.divergence_and_num_w(&y, &w, &h).unwrap();
        assert!((d0 - loss_kl(&y, &w, &h).unwrap()).abs() < 1e-12 * d0);
        let w1 = update_w_kl(&y, &w, &h).unwrap();
        let h1 = update_h_kl(&y, &w1, &h).unwrap();
        let d1 = ws.step(&y, &mut w, &mut h, 0.0, true).unwrap();
        assert!((&w - &w1).amax() < 1e-12 * w1.amax());
        assert!((&h - &h1).amax() < 1e-12 * h1.amax());
        assert!((d1 - loss_kl(&y, &w1, &h1).unwrap()).abs() < 1e-12 * d1);
        assert!(d1 < d0);
    }
}
