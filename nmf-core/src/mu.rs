//! The multiplicative updates of chapter 4, twice: once written exactly as
//! the equations ([`update_w`], [`update_h`]), and once as the fit loop runs
//! them ([`Workspace`]), with matrix products into buffers made once.

use nalgebra::DMatrix;

use crate::error::NmfError;
use crate::hals::{sweep, sweep_block};
use crate::kernel;
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

// ANCHOR: mu_iteration
/// One iteration of the multiplicative updates, written as the equations
/// (chapter 5, "One iteration, and watching it"): W by (4.7) from the
/// current H ([`update_w`]), then H by (4.8) from the new W
/// ([`update_h`]), then the loss D of the new pair ([`loss`](crate::loss)).
///
/// Returns (W, H, D). [`Solver::step`](crate::Solver::step) computes the
/// same iterates with the matrix products of chapter 11; the tests hold
/// the two equal.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_fn(4, 3, |m, n| (1 + m + 2 * n) as f64);
/// let (w, h) = (DMatrix::from_element(4, 2, 1.0), DMatrix::from_element(2, 3, 0.5));
/// let d0 = nmf_core::loss(&y, &w, &h)?;
/// let (w, h, d1) = nmf_core::mu_iteration(&y, &w, &h)?;
/// assert_eq!(d1, nmf_core::loss(&y, &w, &h)?);
/// assert!(d1 < d0);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
pub fn mu_iteration(
    y: &DMatrix<f64>,
    w: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<(DMatrix<f64>, DMatrix<f64>, f64), NmfError> {
    let w = update_w(y, w, h)?; // (4.7), from the current H
    let h = update_h(y, &w, h)?; // (4.8), from the new W
    let d = crate::loss(y, &w, &h)?;
    Ok((w, h, d))
}
// ANCHOR_END: mu_iteration

// ANCHOR: workspace
/// Buffers for the fast updates, allocated once for an m × n problem at
/// rank k, so that an iteration creates no matrix (chapter 5). The big
/// products of the separate path may still take scratch memory inside
/// `matrixmultiply`; the fused pass and the kernel take none.
#[derive(Debug, Clone)]
pub struct Workspace {
    m: usize,
    n: usize,
    k: usize,
    ht: DMatrix<f64>,     // Hᵀ, n × k
    wt: DMatrix<f64>,     // Wᵀ, k × m
    gram: DMatrix<f64>,   // HHᵀ or WᵀW, k × k
    num_w: DMatrix<f64>,  // YHᵀ, m × k
    den_w: DMatrix<f64>,  // W(HHᵀ), m × k
    num_h: DMatrix<f64>,  // WᵀY, k × n
    den_h: DMatrix<f64>,  // (WᵀW)H, k × n
    hht: DMatrix<f64>,    // HHᵀ, k × k, for the loss
    num_ht: DMatrix<f64>, // (WᵀY)ᵀ, n × k, for the HALS sweep over Hᵀ
    partials: Vec<f64>,   // one number per block of a HALS sweep
    wty_parts: Vec<f64>,  // WᵀY by chunks of the fused pass, k' × n each
    wtw_parts: Vec<f64>,  // WᵀW by chunks of the fused pass, k' × k each
    packed: Vec<f64>,     // W_bᵀ by chunks of the fused pass, k' × 64 each
    wh_parts: Vec<f64>,   // W_b H by chunks, at most 64 × 256 each, for the loss
    threads: usize,       // for YHᵀ and WᵀY
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
            num_ht: DMatrix::zeros(n, k),
            partials: vec![0.0; m.max(n).div_ceil(crate::hals::SWEEP_BLOCK)],
            wty_parts: vec![0.0; fused_len(m, n, k, n)],
            wtw_parts: vec![0.0; fused_len(m, n, k, k)],
            packed: vec![0.0; fused_len(m, n, k, FUSED_ROWS)],
            wh_parts: vec![0.0; loss_chunks(m, n, k) * loss_tile(m, n)],
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
        apply(w, &self.num_w, &self.den_w, 0.0);
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
        kernel::product(&mut self.gram, h, &self.ht);
        Ok(())
    }

    /// WᵀY into `num_h` and WᵀW into `gram`: what every H step needs.
    pub(crate) fn products_h(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<(), NmfError> {
        self.check(y, w, h)?;
        w.transpose_to(&mut self.wt);
        par::wt_y(&self.wt, y, &mut self.num_h, self.threads);
        kernel::product(&mut self.gram, &self.wt, w);
        Ok(())
    }

    /// The W half step: YHᵀ and HHᵀ, then the multiplicative update (4.7)
    /// or, with `hals`, the HALS sweep (12.3) ([`crate::hals_update_w`]),
    /// with every entry kept at least `floor`, and then up to `inner − 1`
    /// more updates on the same products ([`repeat`]).
    pub(crate) fn w_step(
        &mut self,
        y: &DMatrix<f64>,
        w: &mut DMatrix<f64>,
        h: &DMatrix<f64>,
        floor: f64,
        inner: usize,
        hals: bool,
    ) -> Result<(), NmfError> {
        self.products_w(y, w, h)?;
        let (gram, num, den) = (&self.gram, &self.num_w, &mut self.den_w);
        let (threads, partials) = (self.threads, &mut self.partials);
        if hals {
            repeat(inner, || sweep(w, gram, num, floor, threads, partials));
        } else {
            repeat(inner, || {
                kernel::product(den, w, gram);
                apply(w, num, den, floor)
            });
        }
        Ok(())
    }

    /// Whether the fit runs the fused pass ([`Workspace::w_fused`]) on
    /// this problem: only where the products are big enough to be spread
    /// over threads. Smaller problems take the two separate products.
    pub(crate) fn fuses(&self) -> bool {
        fuses(self.m, self.n, self.k)
    }

    // ANCHOR: fused
    /// One pass over Y for the products of a whole iteration (chapter 11,
    /// "One pass over Y"). For each block Y_b of rows, with the same rows
    /// W_b of W: Y_b Hᵀ, then the new W_b, by the multiplicative update
    /// (4.7) or, with `hals`, by a HALS sweep (12.3), with the floor; then,
    /// while Y_b is still in cache, W_bᵀ Y_b and W_bᵀ W_b added into the
    /// sums of the block's chunk. The chunks are fixed, whatever the number
    /// of threads, and their sums are added in chunk order, so the bits do
    /// not depend on the thread count. Leaves WᵀY in `num_h` and WᵀW in
    /// `gram`, ready for [`Workspace::h_from_products`].
    pub(crate) fn w_fused(
        &mut self,
        y: &DMatrix<f64>,
        w: &mut DMatrix<f64>,
        h: &DMatrix<f64>,
        floor: f64,
        hals: bool,
    ) -> Result<(), NmfError> {
        self.check(y, w, h)?;
        let (m, n, k) = (self.m, self.n, self.k);
        let kp = padded(k);
        h.transpose_to(&mut self.ht);
        kernel::product(&mut self.gram, h, &self.ht); // HHᵀ
        let blocks = m.div_ceil(FUSED_ROWS);
        let chunks = FUSED_CHUNKS.min(blocks);
        let gram = &self.gram;
        let read = [y.as_ptr(), h.as_ptr(), gram.as_ptr()].map(|p| par::Out(p as *mut f64));
        let out = [
            w.as_mut_ptr(),
            self.num_w.as_mut_ptr(),
            self.den_w.as_mut_ptr(),
        ]
        .map(par::Out);
        let parts = [
            self.wty_parts.as_mut_ptr(),
            self.wtw_parts.as_mut_ptr(),
            self.packed.as_mut_ptr(),
        ]
        .map(par::Out);
        par::spread(chunks, self.threads, |c| {
            // Whole `Out`s, not their fields, cross into the thread.
            let (read, out, parts) = (&read, &out, &parts);
            let ([y, h, hht], [w, num, den]) = (read.map(|p| p.0), out.map(|o| o.0));
            let [wty, wtw, packed] = parts.map(|p| p.0);
            // SAFETY: chunk c writes rows of W, YHᵀ and W(HHᵀ) of its own
            // blocks and its own slices of the partial sums and of the
            // packed W_bᵀ; it reads Y, H and HHᵀ, which no chunk writes.
            // Every pointer stays inside its matrix: rows first..first +
            // len ≤ m, columns < n or k, and k' rows of the partial sums.
            unsafe {
                let wty = wty.add(c * kp * n);
                let wtw = wtw.add(c * kp * k);
                let p_b = packed.add(c * kp * FUSED_ROWS);
                let chunk_blocks = c * blocks / chunks..(c + 1) * blocks / chunks;
                for b in chunk_blocks.clone() {
                    // The chunk's first block starts its sums from zero.
                    let add = b > chunk_blocks.start;
                    let first = b * FUSED_ROWS;
                    let len = FUSED_ROWS.min(m - first);
                    let (y_b, w_b) = (y.add(first), w.add(first));
                    // Y_b Hᵀ, the numerator of (4.7) and the product of (12.3).
                    kernel::gemm([len, k, n], y_b, m, h, [k, 1], num.add(first), m, false);
                    if hals {
                        sweep_block(w, num, m, first, len, gram, floor);
                    } else {
                        // W_b (HHᵀ), the denominator of (4.7).
                        kernel::gemm([len, k, k], w_b, m, hht, [1, k], den.add(first), m, false);
                        for col in 0..k {
                            for i in first + col * m..first + len + col * m {
                                let new = multiplicative(*w.add(i), *num.add(i), *den.add(i));
                                *w.add(i) = if floor > 0.0 { new.max(floor) } else { new };
                            }
                        }
                    }
                    // W_bᵀ, its rows padded with zeros to k', so that the
                    // kernel runs down whole registers.
                    for i in 0..len {
                        for col in 0..kp {
                            *p_b.add(col + i * kp) =
                                if col < k { *w_b.add(i + col * m) } else { 0.0 };
                        }
                    }
                    // With the new W_b, while Y_b is in cache: W_bᵀ Y_b, W_bᵀ W_b.
                    kernel::gemm([kp, n, len], p_b, kp, y_b, [1, m], wty, kp, add);
                    kernel::gemm([kp, k, len], p_b, kp, w_b, [1, m], wtw, kp, add);
                }
            }
        });
        // The chunks' sums, added in chunk order, without the padding rows;
        // WᵀY's in blocks of columns over threads.
        let wty = par::Out(self.num_h.as_mut_ptr());
        let sum = |to: par::Out, parts: &[f64], cols: usize, first: usize, len: usize| {
            for j in first..first + len {
                for row in 0..k {
                    let at = |c: usize| parts[c * kp * cols + j * kp + row];
                    // SAFETY: entry (row, j) of a k × cols matrix, written
                    // by this block of columns alone.
                    unsafe { *to.0.add(row + j * k) = (1..chunks).fold(at(0), |s, c| s + at(c)) };
                }
            }
        };
        let parts = &self.wty_parts;
        par::spread(n.div_ceil(SUM_COLUMNS), self.threads, |b| {
            let first = b * SUM_COLUMNS;
            sum(wty, parts, n, first, SUM_COLUMNS.min(n - first))
        });
        sum(par::Out(self.gram.as_mut_ptr()), &self.wtw_parts, k, 0, k);
        Ok(())
    }
    // ANCHOR_END: fused

    /// The H half step from WᵀY in `num_h` and WᵀW in `gram`: the
    /// multiplicative update (4.8) or, with `hals`, the HALS sweep (12.4)
    /// ([`crate::hals_update_h`]) over Hᵀ, so that each column of H is a
    /// row of contiguous memory; with the floor, then up to `inner − 1`
    /// more updates on the same products.
    pub(crate) fn h_from_products(
        &mut self,
        h: &mut DMatrix<f64>,
        floor: f64,
        inner: usize,
        hals: bool,
    ) {
        let (gram, num, den) = (&self.gram, &self.num_h, &mut self.den_h);
        let (threads, partials) = (self.threads, &mut self.partials);
        if hals {
            h.transpose_to(&mut self.ht);
            num.transpose_to(&mut self.num_ht);
            let (ht, num_ht) = (&mut self.ht, &self.num_ht);
            repeat(inner, || sweep(ht, gram, num_ht, floor, threads, partials));
            self.ht.transpose_to(h);
        } else {
            repeat(inner, || {
                apply_h(h, gram, num, den, floor, threads, partials)
            });
        }
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
        apply(h, &self.num_h, &self.den_h, 0.0);
        Ok(())
    }
    // ANCHOR_END: fast_update_h

    /// The loss ‖Y − WH‖²_F: the same number as [`crate::loss`], up to
    /// rounding, with WH built a block at a time, so that no m × n matrix
    /// is made: each block of 64 rows of W times 256 columns of H, by the
    /// kernel of chapter 11, while the same block of Y is in cache. On a
    /// problem big enough for the fused pass the blocks of rows are those
    /// of the pass, in its fixed chunks, spread over threads; each chunk
    /// adds its blocks in order, and the chunks are added in chunk order:
    /// the same bits on any number of threads.
    pub fn loss(
        &mut self,
        y: &DMatrix<f64>,
        w: &DMatrix<f64>,
        h: &DMatrix<f64>,
    ) -> Result<f64, NmfError> {
        self.check(y, w, h)?;
        let (m, n, k) = (self.m, self.n, self.k);
        let blocks = m.div_ceil(FUSED_ROWS);
        let chunks = loss_chunks(m, n, k).min(blocks);
        let tile = loss_tile(m, n);
        let mut sums = [0.0; FUSED_CHUNKS];
        let read = [y.as_ptr(), w.as_ptr(), h.as_ptr()].map(|p| par::Out(p as *mut f64));
        let out = [self.wh_parts.as_mut_ptr(), sums.as_mut_ptr()].map(par::Out);
        par::spread(chunks, self.threads, |c| {
            let (read, out) = (&read, &out);
            let [y, w, h] = read.map(|p| p.0 as *const f64);
            let [wh, sums] = out.map(|o| o.0);
            // SAFETY: chunk c writes its own tile of `wh_parts` and its own
            // entry of `sums`, and reads Y, W and H, which no chunk writes;
            // every index stays inside its matrix (rows first..first + len
            // ≤ m, columns j0..j0 + cols ≤ n, depth k), and len × cols fits
            // the tile.
            unsafe {
                let wh = wh.add(c * tile);
                let mut d = 0.0;
                for b in c * blocks / chunks..(c + 1) * blocks / chunks {
                    let first = b * FUSED_ROWS;
                    let len = FUSED_ROWS.min(m - first);
                    for j0 in (0..n).step_by(LOSS_PANEL) {
                        let cols = LOSS_PANEL.min(n - j0);
                        let h_panel = h.add(j0 * k);
                        kernel::gemm(
                            [len, cols, k],
                            w.add(first),
                            m,
                            h_panel,
                            [1, k],
                            wh,
                            len,
                            false,
                        );
                        let mut panel = Lanes::default();
                        for q in 0..cols {
                            let y_q = std::slice::from_raw_parts(y.add(first + (j0 + q) * m), len);
                            let wh_q = std::slice::from_raw_parts(wh.add(q * len), len);
                            panel.add_squares(y_q, wh_q);
                        }
                        d += panel.total();
                    }
                }
                *sums.add(c) = d;
            }
        });
        Ok(sums[..chunks].iter().sum())
    }

    /// One multiplicative iteration on two separate products, the way of
    /// chapter 11 before its fused pass: [`Workspace::update_w`], then
    /// [`Workspace::update_h`], then the loss from the products the H step
    /// made (the cheap loss). `y_squared` is ‖Y‖²_F. Returns the loss.
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// use nmf_core::{loss, Workspace};
    /// let y = DMatrix::from_fn(6, 5, |i, j| (i + 2 * j) as f64);
    /// let (mut w, mut h) = (DMatrix::from_element(6, 2, 1.0), DMatrix::from_element(2, 5, 1.0));
    /// let mut ws = Workspace::new(6, 5, 2);
    /// let d = ws.iterate(&y, &mut w, &mut h, y.norm_squared())?;
    /// assert!((d - loss(&y, &w, &h)?).abs() < 1e-9 * d);
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn iterate(
        &mut self,
        y: &DMatrix<f64>,
        w: &mut DMatrix<f64>,
        h: &mut DMatrix<f64>,
        y_squared: f64,
    ) -> Result<f64, NmfError> {
        self.update_w(y, w, h)?;
        self.update_h(y, w, h)?;
        self.loss_after_h_step(y, y_squared, w, h)
    }

    // ANCHOR: cheap_loss
    /// The loss right after an H step, from the products that step made.
    ///
    /// ‖Y − WH‖² = ‖Y‖² − 2⟨H, WᵀY⟩ + ⟨WᵀW, HHᵀ⟩, and the H step has just
    /// computed WᵀY and WᵀW for the current W: only HHᵀ (n k² multiply–adds) is
    /// new, against m n k for WH. The three terms nearly cancel when the fit is
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
        kernel::product(&mut self.hht, h, &self.ht);
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

/// Rows of Y per block of the fused pass (chapter 11, "One pass over Y"):
/// 64 rows of a 2000-column Y are 1 MiB, about what one core's cache holds.
pub const FUSED_ROWS: usize = 64;

/// Columns of WᵀY per block when the fused pass adds up its chunks' sums.
const SUM_COLUMNS: usize = 256;

/// The fused pass cuts the blocks into this many chunks, whatever the
/// number of threads; each chunk keeps its own sums of WᵀY and WᵀW
/// (chapter 11, "Memory").
pub const FUSED_CHUNKS: usize = 8;

/// k rounded up to a whole number of the widest registers (8 f64), the
/// rows of the fused pass's W_bᵀ and of its partial sums.
pub(crate) fn padded(k: usize) -> usize {
    k.next_multiple_of(crate::kernel::AVX512_TILE.lanes)
}

/// The length of a fused-pass buffer of k' rows and `cols` columns per
/// chunk, or 0 for a problem that does not fuse.
fn fused_len(m: usize, n: usize, k: usize, cols: usize) -> usize {
    if fuses(m, n, k) {
        FUSED_CHUNKS * padded(k) * cols
    } else {
        0
    }
}

/// Whether an m × n problem at rank k is big enough for the fused pass:
/// the same size at which the products are spread over threads.
fn fuses(m: usize, n: usize, k: usize) -> bool {
    m.saturating_mul(n).saturating_mul(k) >= par::PARALLEL_WORK && m >= 2 * FUSED_ROWS
}

/// Eight running sums, one per position modulo 8, for a sum of squares
/// whose additions do not wait on each other (one chain of additions
/// waits a few cycles for each); the order is fixed, so the bits are too.
#[derive(Default)]
pub(crate) struct Lanes([f64; 8]);

impl Lanes {
    /// Adds Σ (a_i − b_i)² over the entries of two slices of one length.
    pub(crate) fn add_squares(&mut self, a: &[f64], b: &[f64]) {
        let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
        let (ra, rb) = (a8.remainder(), b8.remainder());
        for (a, b) in a8.zip(b8) {
            for ((s, a), b) in self.0.iter_mut().zip(a).zip(b) {
                let e = a - b;
                *s += e * e;
            }
        }
        for (l, (a, b)) in ra.iter().zip(rb).enumerate() {
            let e = a - b;
            self.0[l] += e * e;
        }
    }

    /// The sum of the eight, in a fixed order.
    pub(crate) fn total(&self) -> f64 {
        let s = &self.0;
        ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
    }
}

/// ‖x‖², by [`Lanes`].
pub(crate) fn norm_squared(x: &DMatrix<f64>) -> f64 {
    let mut lanes = Lanes::default();
    let x8 = x.as_slice().chunks_exact(8);
    let rest = x8.remainder();
    for a in x8 {
        for (s, a) in lanes.0.iter_mut().zip(a) {
            *s += a * a;
        }
    }
    for (l, a) in rest.iter().enumerate() {
        lanes.0[l] += a * a;
    }
    lanes.total()
}

/// Columns of W_b H built at a time by [`Workspace::loss`]: with 64 rows,
/// 128 KiB, which stays in a core's cache beside Y_b's panel.
const LOSS_PANEL: usize = 256;

/// The chunks of [`Workspace::loss`]: those of the fused pass where it
/// runs, one (on one thread) on smaller problems.
fn loss_chunks(m: usize, n: usize, k: usize) -> usize {
    if fuses(m, n, k) {
        FUSED_CHUNKS
    } else {
        1
    }
}

/// The entries of one chunk's tile of W_b H in [`Workspace::loss`].
fn loss_tile(m: usize, n: usize) -> usize {
    m.min(FUSED_ROWS) * n.min(LOSS_PANEL)
}

/// The cheap loss is used while it is at least this share of the size of
/// its terms, so that it keeps all but about two of its digits (chapter 11,
/// "The cheap loss").
pub const CHEAP_LOSS_MARGIN: f64 = 1e-2;

// ANCHOR: repeat
/// Runs `update` once, then again while it keeps paying: at most `inner`
/// times in all, stopping once an update changes the factor by at most
/// a tenth of what the first one did (in the Frobenius norm). The big
/// product an update reads costs about n/k times as much as the update
/// itself, so reusing it is cheap. This is a rule of the kind Gillis and
/// Glineur (2012) propose; their published code stops at a tenth too.
/// `update` returns Σ (new − old)².
fn repeat(inner: usize, mut update: impl FnMut() -> f64) {
    let first = update();
    for _ in 1..inner {
        if update() <= INNER_STOP * INNER_STOP * first {
            break;
        }
    }
}
// ANCHOR_END: repeat

/// The share of the first update's change below which [`repeat`] stops.
const INNER_STOP: f64 = 0.1;

/// The multiplicative H update (4.8) with the floor, from WᵀY (`num`) and
/// WᵀW (`gram`): for each block of columns of H, (WᵀW)H into `den` and
/// then [`apply`]'s rule, the blocks spread over threads. Returns Σ (new −
/// old)², its blocks' sums added in block order.
fn apply_h(
    h: &mut DMatrix<f64>,
    gram: &DMatrix<f64>,
    num: &DMatrix<f64>,
    den: &mut DMatrix<f64>,
    floor: f64,
    threads: usize,
    partials: &mut [f64],
) -> f64 {
    let (k, n) = h.shape();
    let (gram, num, den) = (
        par::Out(gram.as_ptr() as *mut f64),
        num.as_ptr(),
        par::Out(den.as_mut_ptr()),
    );
    let num = par::Out(num as *mut f64);
    par::rows_in_blocks(
        n,
        crate::hals::SWEEP_BLOCK,
        n * k * k,
        threads,
        h,
        partials,
        |first, len, h| {
            let (gram, num, den) = (gram, num, den);
            // SAFETY: the block reads and writes columns first..first + len of
            // H and of den, which no other block touches, and reads WᵀY and
            // WᵀW, which nothing writes meanwhile; all are k rows tall.
            unsafe {
                let (h, num, den) = (h.add(first * k), num.0.add(first * k), den.0.add(first * k));
                kernel::gemm([k, len, k], gram.0, k, h, [1, k], den, k, false);
                let slice = |p: *const f64| std::slice::from_raw_parts(p, len * k);
                let h = std::slice::from_raw_parts_mut(h, len * k);
                apply_entries(h, slice(num), slice(den), floor)
            }
        },
    )
}

/// x ← max(floor, x · num / den), entry by entry, with the zero-denominator
/// rule of [`multiplicative`]; returns Σ (new − old)². A zero floor leaves
/// the plain update bit for bit.
fn apply(x: &mut DMatrix<f64>, num: &DMatrix<f64>, den: &DMatrix<f64>, floor: f64) -> f64 {
    apply_entries(x.as_mut_slice(), num.as_slice(), den.as_slice(), floor)
}

/// [`apply`] on entries in slices of the same length.
fn apply_entries(x: &mut [f64], num: &[f64], den: &[f64], floor: f64) -> f64 {
    let mut change = 0.0;
    for ((x, &num), &den) in x.iter_mut().zip(num).zip(den) {
        let mut new = multiplicative(*x, num, den);
        if floor > 0.0 {
            new = new.max(floor);
        }
        change += (new - *x) * (new - *x);
        *x = new;
    }
    change
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The eight running sums give the sum of squares, at every length
    /// (whole groups of eight and a remainder), to rounding.
    #[test]
    fn lanes_sum_the_squares() {
        for len in [0, 1, 7, 8, 9, 63, 64, 100] {
            let a: Vec<f64> = (0..len).map(|i| (i as f64 * 0.37).sin() + 1.5).collect();
            let b: Vec<f64> = (0..len).map(|i| (i as f64 * 0.11).cos()).collect();
            let mut lanes = Lanes::default();
            lanes.add_squares(&a, &b);
            let plain: f64 = a.iter().zip(&b).map(|(a, b)| (a - b) * (a - b)).sum();
            assert!(
                (lanes.total() - plain).abs() <= 1e-14 * plain.max(1.0),
                "{len}"
            );
            let x = DMatrix::from_column_slice(len, 1, &a);
            let exact = x.norm_squared();
            assert!(
                (norm_squared(&x) - exact).abs() <= 1e-14 * exact.max(1.0),
                "{len}"
            );
        }
    }
}
