//! The builder [`Nmf`], the step-by-step [`Solver`] and the [`Observer`]
//! that watches it (chapter 5).

use nalgebra::DMatrix;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::error::{Factor, NmfError};
use crate::kl::KlWorkspace;
use crate::mu::Workspace;

/// How the factors start.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Init {
    /// Entries a · u with u uniform on (0, 2] and a = √(mean(Y) / k), drawn
    /// from ChaCha8 seeded by [`Nmf::seed`]: W first, then H, each in
    /// column-major order. Each entry has mean a, so the start WH matches
    /// the mean of Y on average, and no entry is exactly zero.
    Random,
    /// A start of your own: W is m × k, H is k × n, both finite, ≥ 0 and
    /// not all zero. A component whose column of W and row of H differ in
    /// scale by more than 2⁶⁴ is first rebalanced by a power of two, which
    /// leaves WH, and every later WH, unchanged to the bit.
    Custom {
        /// The starting weights, m × k.
        w: DMatrix<f64>,
        /// The starting basis, k × n.
        h: DMatrix<f64>,
    },
    /// NNDSVD (chapter 8, [`crate::nndsvd`]): built from the truncated SVD
    /// of Y, with no randomness, so the seed is ignored. Many entries are
    /// exactly zero, and the multiplicative updates never move a zero.
    /// Needs k ≤ min(m, n), else [`NmfError::RankAboveMinDim`].
    Nndsvd,
    /// NNDSVDa (chapter 8, [`crate::nndsvd_a`]): NNDSVD with its zeros
    /// replaced by the mean of Y. Deterministic; needs k ≤ min(m, n).
    NndsvdA,
    /// NNDSVDar (chapter 8, [`crate::nndsvd_ar`]): NNDSVD with its zeros
    /// replaced by mean(Y) · u / 100, u uniform on (0, 1], from ChaCha8
    /// seeded by [`Nmf::seed`]. Needs k ≤ min(m, n).
    NndsvdAr,
}

/// Which algorithm updates the factors. Both minimise the same loss
/// ‖Y − WH‖², update W then H from the new W, and never raise the loss.
/// The multiplicative updates also minimise the divergence of
/// [`Loss::KullbackLeibler`]; HALS does not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Algorithm {
    /// The multiplicative updates of chapter 4 ([`crate::update_w`],
    /// [`crate::update_h`]).
    #[default]
    Mu,
    /// Hierarchical alternating least squares ([`crate::hals_update_w`],
    /// [`crate::hals_update_h`]): each column of W, then each row of H, is
    /// the exact non-negative minimiser with the rest fixed. From the same
    /// start it follows scikit-learn's `cd` solver with `shuffle=False`.
    Hals,
}

/// Which loss the fit minimises (chapter 9), chosen with [`Nmf::loss`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Loss {
    /// D = ‖Y − WH‖²_F ([`crate::loss`]), by either [`Algorithm`].
    #[default]
    Frobenius,
    /// The generalised Kullback–Leibler divergence
    /// D_KL(Y | WH) = Σ y log(y / ŷ) − y + ŷ ([`crate::loss_kl`]), by the
    /// multiplicative updates of chapter 9 ([`crate::update_w_kl`],
    /// [`crate::update_h_kl`]) only: with [`Algorithm::Hals`] the fit is an
    /// [`NmfError::LossNotSupported`]. A start whose WH is zero where Y is
    /// positive has an infinite divergence, which the updates can never
    /// lower, and is an [`NmfError::InfiniteDivergence`]. The KL updates
    /// run on one thread, whatever [`Nmf::threads`] says, and recompute
    /// their ratio Y ⊘ WH for every update, so `inner_iterations` does not
    /// change them.
    KullbackLeibler,
}

/// A checked builder for one factorisation Y ≈ WH at rank k.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// use nmf_core::{Init, Nmf};
///
/// let y = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 2.0, 4.0, 6.1]);
/// let fit = Nmf::new(1).max_iter(500).tol(0.0).seed(7).init(Init::Random).fit(&y)?;
/// assert_eq!((fit.w.shape(), fit.h.shape()), ((2, 1), (1, 3)));
/// assert_eq!(fit.losses.len(), fit.n_iter + 1);
/// assert!(fit.losses[fit.n_iter] < 1e-2 * fit.losses[0]);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Nmf {
    rank: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
    init: Init,
    floor: f64,
    algorithm: Algorithm,
    threads: usize,
    inner: usize,
    loss: Loss,
    loss_every: usize,
}

/// What [`Nmf::fit`] returns.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Factorization {
    /// The weights, m × k: row m says how much of each basis vector point m uses.
    pub w: DMatrix<f64>,
    /// The basis, k × n: each row is one basis vector.
    pub h: DMatrix<f64>,
    /// The loss D (the one chosen by [`Nmf::loss`]) at the start
    /// (`losses[0]`) and after each iteration
    /// (`losses[t]` after t iterations): `n_iter + 1` entries. With
    /// [`Nmf::loss_every`] above 1, only the losses computed: after the
    /// iterations of `loss_at`.
    pub losses: Vec<f64>,
    /// The iteration after which each entry of `losses` was computed:
    /// 0, 1, 2, …, `n_iter` by default; 0, n, 2n, …, and `n_iter` with
    /// `loss_every(n)`.
    pub loss_at: Vec<usize>,
    /// How many iterations ran.
    pub n_iter: usize,
    /// Whether the fit stopped because the relative decrease fell below `tol`
    /// (rather than at `max_iter`).
    pub converged: bool,
}

/// What an [`Observer`] sees: the iterate after `iter` iterations.
#[derive(Debug, Clone, Copy)]
pub struct State<'a> {
    /// Iterations done so far (0 for the start).
    pub iter: usize,
    /// The current W.
    pub w: &'a DMatrix<f64>,
    /// The current H.
    pub h: &'a DMatrix<f64>,
    /// The current loss D (the one chosen by [`Nmf::loss`]).
    pub loss: f64,
}

/// Watches a fit: [`Nmf::fit_with`] calls [`Observer::observe`] once for the
/// start and once after every iteration (with [`Nmf::loss_every`], after
/// each iteration whose loss is computed). The default does nothing.
///
/// Any `FnMut(&State)` closure is an observer:
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.2, 1.0]);
/// let mut seen = Vec::new();
/// let fit = nmf_core::Nmf::new(2).max_iter(5).tol(0.0)
///     .fit_with(&y, &mut |s: &nmf_core::State| seen.push((s.iter, s.loss)))?;
/// assert_eq!(seen.len(), 6);
/// assert_eq!(seen[5], (5, fit.losses[5]));
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
// ANCHOR: observer
pub trait Observer {
    /// Called with the start and after each iteration.
    fn observe(&mut self, _state: &State<'_>) {}
}

/// The observer that watches nothing.
impl Observer for () {}

impl<F: FnMut(&State<'_>)> Observer for F {
    fn observe(&mut self, state: &State<'_>) {
        self(state)
    }
}
// ANCHOR_END: observer

impl Nmf {
    /// A builder at rank `rank` with the defaults: `max_iter(200)`,
    /// `tol(1e-4)`, `seed(0)`, `init(Init::Random)`, `floor(0.0)`,
    /// `algorithm(Algorithm::Mu)`, `threads(0)`, `inner_iterations(1)`,
    /// `loss(Loss::Frobenius)`, `loss_every(1)`. Nothing is checked yet: [`Nmf::solver`],
    /// [`Nmf::fit`] and [`Nmf::transform`] check the settings.
    pub fn new(rank: usize) -> Self {
        Nmf {
            rank,
            max_iter: 200,
            tol: 1e-4,
            seed: 0,
            init: Init::Random,
            floor: 0.0,
            algorithm: Algorithm::Mu,
            threads: 0,
            inner: 1,
            loss: Loss::Frobenius,
            loss_every: 1,
        }
    }

    /// The most iterations to run.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Stop once an iteration lowers the loss by at most `tol` times its
    /// previous value. `0.0` runs all `max_iter` iterations.
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// The seed of the ChaCha8 generator behind [`Init::Random`]: the same
    /// seed gives the same bits on every platform.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How the factors start.
    pub fn init(mut self, init: Init) -> Self {
        self.init = init;
        self
    }

    /// Which algorithm updates the factors (default [`Algorithm::Mu`]).
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// use nmf_core::{Algorithm, Nmf};
    /// let y = DMatrix::from_row_slice(3, 2, &[1.0, 0.2, 0.5, 1.0, 0.9, 0.9]);
    /// let fit = Nmf::new(2).tol(0.0).algorithm(Algorithm::Hals).fit(&y)?;
    /// assert!(fit.losses[fit.n_iter] < 1e-6 * fit.losses[0]);
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Which loss to minimise (default [`Loss::Frobenius`]). The losses of
    /// the fit, and of its observer, are then that loss.
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// use nmf_core::{loss_kl, Loss, Nmf};
    /// let y = DMatrix::from_row_slice(3, 2, &[4.0, 0.0, 1.0, 2.0, 0.0, 7.0]);
    /// let fit = Nmf::new(2).tol(0.0).loss(Loss::KullbackLeibler).fit(&y)?;
    /// assert_eq!(fit.losses[fit.n_iter], loss_kl(&y, &fit.w, &fit.h)?);
    /// assert!(fit.losses.windows(2).all(|p| p[1] <= p[0]));
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn loss(mut self, loss: Loss) -> Self {
        self.loss = loss;
        self
    }

    /// How many threads compute the big products YHᵀ and WᵀY: 0, the
    /// default, for every core. The result does not depend on it, to the
    /// bit: the products are cut into the same blocks for any count.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// How many times each half-step may update its factor from one
    /// computation of its big product: YHᵀ for W, WᵀY for H (chapter 12,
    /// "Reusing the products"). The default 1 is the plain algorithm, one
    /// update per product, as in scikit-learn. With `inner > 1`, the update
    /// is repeated on the same products, up to `inner` times, until one
    /// changes the factor by at most a tenth of what the first did (a rule
    /// of the kind Gillis and Glineur 2012 propose). Each repeat costs
    /// O(mk²) or O(nk²) against O(mnk) for the product, and cannot raise
    /// the loss, so an iteration does more for little more time. An iteration is
    /// still one computation of each product. 0 is an
    /// [`NmfError::ZeroInnerIterations`].
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// use nmf_core::{Algorithm, Nmf};
    /// let y = DMatrix::from_fn(40, 30, |i, j| ((i * 7 + j * 3) % 11) as f64);
    /// let run = |inner| Nmf::new(4).tol(0.0).max_iter(20).algorithm(Algorithm::Hals)
    ///     .inner_iterations(inner).fit(&y);
    /// let (plain, reused) = (run(1)?, run(10)?);
    /// assert!(reused.losses[20] < plain.losses[20]);
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn inner_iterations(mut self, inner: usize) -> Self {
        self.inner = inner;
        self
    }

    /// Computes the loss only at the start, after every `n`-th iteration
    /// and after the last (chapter 11, "The loss when it is needed"), as
    /// scikit-learn's `mu` solver checks its error every 10 iterations
    /// when its `tol` is positive. On data that the
    /// rank fits well the exact loss costs as much as a third big product,
    /// so skipping it saves time; `losses` then holds only the losses
    /// computed, with their iterations in `loss_at`, the observer sees only
    /// those iterates, and [`Nmf::tol`] compares each computed loss with
    /// the one before it, `n` iterations earlier (fewer for the last).
    /// The default, 1, computes
    /// every loss. 0 is an [`NmfError::ZeroLossEvery`].
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// use nmf_core::Nmf;
    /// let y = DMatrix::from_fn(30, 20, |i, j| ((i * 7 + j * 3) % 11) as f64);
    /// let every = Nmf::new(3).tol(0.0).max_iter(25).fit(&y)?;
    /// let tenth = Nmf::new(3).tol(0.0).max_iter(25).loss_every(10).fit(&y)?;
    /// assert_eq!(tenth.loss_at, [0, 10, 20, 25]);
    /// assert_eq!((&tenth.w, &tenth.h), (&every.w, &every.h)); // the same iterates
    /// for (t, d) in tenth.loss_at.iter().zip(&tenth.losses) {
    ///     assert_eq!(*d, every.losses[*t]);
    /// }
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn loss_every(mut self, n: usize) -> Self {
        self.loss_every = n;
        self
    }

    /// Keeps every entry of W and H at least `eps`: the start is raised to
    /// `eps`, and each update becomes x ← max(eps, x · num / den)
    /// (chapter 4, "Fixed points"). Each such step still minimises the
    /// auxiliary function, now over x ≥ eps, so the loss still never rises,
    /// and no entry can get stuck at zero. Gillis and Glineur (2012) prove
    /// that every limit point of these updates is a stationary point of
    /// min ‖Y − WH‖² subject to W ≥ eps, H ≥ eps.
    /// With [`Algorithm::Hals`] each coordinate step is floored the same
    /// way, x ← max(eps, x − g / c), still an exact minimiser over x ≥ eps.
    ///
    /// The default `0.0` means no floor: the plain updates, bit for bit.
    /// A negative, NaN or infinite `eps` is an [`NmfError::InvalidFloor`].
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// let y = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 1.0]);
    /// let fit = nmf_core::Nmf::new(2).tol(0.0).floor(1e-6).fit(&y)?;
    /// assert!(fit.w.iter().chain(fit.h.iter()).all(|v| *v >= 1e-6));
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn floor(mut self, eps: f64) -> Self {
        self.floor = eps;
        self
    }

    /// The settings of the builder, checked on their own: what
    /// [`Nmf::solver`] and [`Nmf::transform`] both refuse.
    fn check_settings(&self) -> Result<(), NmfError> {
        if self.rank == 0 {
            return Err(NmfError::ZeroRank);
        }
        if self.tol.is_nan() || self.tol < 0.0 {
            return Err(NmfError::InvalidTol(self.tol));
        }
        if !(self.floor.is_finite() && self.floor >= 0.0) {
            return Err(NmfError::InvalidFloor(self.floor));
        }
        if self.inner == 0 {
            return Err(NmfError::ZeroInnerIterations);
        }
        if self.loss_every == 0 {
            return Err(NmfError::ZeroLossEvery);
        }
        if self.loss == Loss::KullbackLeibler && self.algorithm == Algorithm::Hals {
            return Err(NmfError::LossNotSupported {
                loss: self.loss,
                algorithm: self.algorithm,
            });
        }
        Ok(())
    }

    /// Checks the parameters and the data, builds the start and returns a
    /// [`Solver`] that runs one iteration per [`Solver::step`].
    pub fn solver<'y>(&self, y: &'y DMatrix<f64>) -> Result<Solver<'y>, NmfError> {
        self.check_settings()?;
        check_data(y)?;
        check_size(y.nrows(), y.ncols(), self.rank)?;
        let (w, h) = match &self.init {
            // Zero only where Y is all zeros, and then W = H = 0 is exact.
            Init::Random => random_start(y, self.rank, self.seed),
            Init::Custom { w, h } => {
                check_start(Factor::W, w, y.nrows(), self.rank)?;
                check_start(Factor::H, h, self.rank, y.ncols())?;
                (w.clone(), h.clone())
            }
            Init::Nndsvd => crate::init::nndsvd(y, self.rank)?,
            Init::NndsvdA => crate::init::nndsvd_a(y, self.rank)?,
            Init::NndsvdAr => crate::init::nndsvd_ar(y, self.rank, self.seed)?,
        };
        let mut solver = Solver::start(y, w, h, self.floor, self.loss)?;
        solver.algorithm = self.algorithm;
        solver.inner = self.inner;
        solver.workspace = solver.workspace.with_threads(self.threads);
        solver.kl = solver.kl.map(|kl| kl.with_threads(self.threads));
        Ok(solver)
    }

    /// Fits Y ≈ WH (chapter 5): [`Nmf::fit_with`] with an observer that
    /// watches nothing. Y is m × n with finite entries ≥ 0; bad data or
    /// settings are an [`NmfError`].
    pub fn fit(&self, y: &DMatrix<f64>) -> Result<Factorization, NmfError> {
        self.fit_with(y, &mut ())
    }

    // ANCHOR: fit_with
    /// Fits Y ≈ WH and shows every iterate to `observer` (chapter 5): the
    /// start, then the iterate after each [`Solver::step`], until an
    /// iteration lowers the loss by at most `tol` times its previous value
    /// or `max_iter` iterations have run. With [`Nmf::loss_every`] the
    /// observer and `tol` see only the iterates whose loss is computed.
    pub fn fit_with<O: Observer + ?Sized>(
        &self,
        y: &DMatrix<f64>,
        observer: &mut O,
    ) -> Result<Factorization, NmfError> {
        let mut solver = self.solver(y)?;
        // Reserve for the usual run; a huge max_iter must not reserve (or
        // overflow) up front.
        let mut losses = Vec::with_capacity(self.max_iter.min(1 << 16) + 1);
        losses.push(solver.loss());
        let mut loss_at = Vec::with_capacity(losses.capacity());
        loss_at.push(0);
        observer.observe(&solver.state());
        let mut converged = false;
        while solver.iter() < self.max_iter {
            let before = solver.loss();
            // With loss_every(n), n − 1 iterations without their loss.
            for _ in 1..self.loss_every.min(self.max_iter - solver.iter()) {
                solver.advance()?;
            }
            let after = solver.step()?;
            losses.push(after);
            loss_at.push(solver.iter());
            observer.observe(&solver.state());
            if self.tol > 0.0 && before - after <= self.tol * before {
                converged = true;
                break;
            }
        }
        let n_iter = solver.iter();
        let (w, h) = solver.into_factors();
        Ok(Factorization {
            w,
            h,
            losses,
            loss_at,
            n_iter,
            converged,
        })
    }
    // ANCHOR_END: fit_with

    // ANCHOR: transform
    /// Fold-in (chapter 10): the weights W (m × k) of new data Y (m × n)
    /// on a basis H (k × n) that stays fixed. Only W is updated, by the
    /// W step of the fit this builder describes: its [`Nmf::loss`],
    /// [`Nmf::algorithm`], [`Nmf::floor`], [`Nmf::inner_iterations`] and
    /// [`Nmf::threads`], for at most `max_iter` steps, stopping early by
    /// the rule of [`Nmf::tol`] on the loss of Y against WH. The seed and
    /// the init play no part: W starts at the constant √(mean(Y) / k)
    /// (raised to the floor), as scikit-learn's `transform` does for its
    /// `mu` solver. With that solver, `max_iter` and `tol = 0`, the result
    /// matches scikit-learn's `NMF(solver="mu").fit(...).transform(Y)`
    /// given the same H (the tests check it to 10⁻⁹).
    ///
    /// Each step is the W step of a fit, so the loss never rises. With H
    /// fixed the problem splits into one small problem per row of Y, and
    /// the step for row m of W reads row m of Y only; the start, though,
    /// is set by the mean of all of Y.
    ///
    /// H must have `rank` rows ([`NmfError::ShapeMismatch`]) and finite
    /// entries ≥ 0 ([`NmfError::InvalidFactor`]); Y must have one column
    /// per column of H ([`NmfError::WidthMismatch`]) and be data as for
    /// [`Nmf::fit`]. With [`Loss::KullbackLeibler`], each step is the KL
    /// fit's W step, and the pass that computes the divergence also makes
    /// the numerator of the next step.
    ///
    /// ```
    /// use nmf_core::nalgebra::DMatrix;
    /// use nmf_core::Nmf;
    /// // Two parts, and new data made of them with known weights.
    /// let h = DMatrix::from_row_slice(2, 3, &[1.0, 1.0, 0.0, 0.0, 1.0, 1.0]);
    /// let weights = DMatrix::from_row_slice(2, 2, &[2.0, 0.5, 1.0, 3.0]);
    /// let y_new = &weights * &h;
    /// let w = Nmf::new(2).tol(0.0).transform(&h, &y_new)?;
    /// assert!((w - weights).amax() < 1e-12);
    /// # Ok::<(), nmf_core::NmfError>(())
    /// ```
    pub fn transform(&self, h: &DMatrix<f64>, y: &DMatrix<f64>) -> Result<DMatrix<f64>, NmfError> {
        self.check_settings()?;
        if h.nrows() != self.rank {
            return Err(NmfError::ShapeMismatch {
                what: "H must have one row per component (k x n)",
                expected_rows: self.rank,
                expected_cols: h.ncols(),
                found_rows: h.nrows(),
                found_cols: h.ncols(),
            });
        }
        check_data(y)?;
        if y.ncols() != h.ncols() {
            return Err(NmfError::WidthMismatch {
                data_cols: y.ncols(),
                basis_cols: h.ncols(),
            });
        }
        crate::parts::check_factor(Factor::H, h, true)?;
        let (m, n, k) = (y.nrows(), y.ncols(), self.rank);
        check_size(m, n, k)?;

        // scikit-learn's start for its `mu` solver: every entry the same.
        let count = y.len() as f64;
        let mean: f64 = y.iter().map(|v| v / count).sum();
        let mut w = DMatrix::from_element(m, k, (mean / k as f64).sqrt());
        raise(&mut w, self.floor);

        let stop = |before: f64, after: f64| self.tol > 0.0 && before - after <= self.tol * before;
        match self.loss {
            Loss::Frobenius => {
                let mut ws = Workspace::new(m, n, k).with_threads(self.threads);
                let mut before = if self.tol > 0.0 {
                    ws.loss(y, &w, h)?
                } else {
                    0.0
                };
                for iteration in 1..=self.max_iter {
                    let hals = self.algorithm == Algorithm::Hals;
                    ws.w_step(y, &mut w, h, self.floor, self.inner, hals)?;
                    if !w.iter().all(|x| x.is_finite()) {
                        return Err(NmfError::NumericalBreakdown { iteration });
                    }
                    if self.tol > 0.0 {
                        let after = ws.loss(y, &w, h)?;
                        if stop(before, after) {
                            break;
                        }
                        before = after;
                    }
                }
            }
            Loss::KullbackLeibler => {
                if let Some((row, col)) = crate::kl::infinite_entry(y, &w, h) {
                    return Err(NmfError::InfiniteDivergence { row, col });
                }
                let mut kl = KlWorkspace::new(m, n, k).with_threads(self.threads);
                let mut before = kl.divergence_and_num_w(y, &w, h)?;
                for iteration in 1..=self.max_iter {
                    // The W step of the fit's iteration, from the numerator
                    // just computed at (W, H); H stays.
                    kl.step_w(&mut w, h, self.floor);
                    let after = kl.divergence_and_num_w(y, &w, h)?;
                    if !(after.is_finite() && w.iter().all(|x| x.is_finite())) {
                        return Err(NmfError::NumericalBreakdown { iteration });
                    }
                    if stop(before, after) {
                        break;
                    }
                    before = after;
                }
            }
        }
        Ok(w)
    }
    // ANCHOR_END: transform
}

/// Runs a fit one iteration at a time (chapter 5): [`Solver::step`] does
/// one iteration, and the accessors show the iterate it reached.
///
/// ```
/// use nmf_core::nalgebra::DMatrix;
/// let y = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 0.5, 2.0, 0.0, 1.0]);
/// let mut solver = nmf_core::Nmf::new(2).seed(1).solver(&y)?;
/// let start = solver.loss();
/// let after_one = solver.step()?;
/// assert!(after_one <= start);
/// assert_eq!(solver.iter(), 1);
/// # Ok::<(), nmf_core::NmfError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Solver<'y> {
    y: &'y DMatrix<f64>,
    w: DMatrix<f64>,
    h: DMatrix<f64>,
    workspace: Workspace,
    kl: Option<KlWorkspace>, // Some for Loss::KullbackLeibler
    y_squared: f64,
    algorithm: Algorithm,
    floor: f64,
    inner: usize,
    iter: usize,
    loss: f64,
}

impl<'y> Solver<'y> {
    /// A solver from a start W (m × k), H (k × n). Checks Y and the start
    /// as [`Nmf::solver`] does, and runs the defaults of [`Nmf`]: the
    /// multiplicative updates, no floor, every core.
    pub fn new(y: &'y DMatrix<f64>, w: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self, NmfError> {
        check_data(y)?;
        let k = w.ncols();
        if k == 0 {
            return Err(NmfError::ZeroRank);
        }
        check_start(Factor::W, &w, y.nrows(), k)?;
        check_start(Factor::H, &h, k, y.ncols())?;
        check_size(y.nrows(), y.ncols(), k)?;
        Self::start(y, w, h, 0.0, Loss::Frobenius)
    }

    /// A solver from a start that has been checked, with the entries kept
    /// at least `floor` (0 for the plain updates), minimising `objective`.
    fn start(
        y: &'y DMatrix<f64>,
        mut w: DMatrix<f64>,
        mut h: DMatrix<f64>,
        floor: f64,
        objective: Loss,
    ) -> Result<Self, NmfError> {
        balance(&mut w, &mut h);
        raise(&mut w, floor);
        raise(&mut h, floor);
        let k = w.ncols();
        let mut workspace = Workspace::new(y.nrows(), y.ncols(), k);
        let mut kl = None;
        let loss = match objective {
            Loss::Frobenius => workspace.loss(y, &w, &h)?,
            // The divergence, and the numerator of the first W step with it.
            Loss::KullbackLeibler => {
                if let Some((row, col)) = crate::kl::infinite_entry(y, &w, &h) {
                    return Err(NmfError::InfiniteDivergence { row, col });
                }
                let ws = kl.insert(KlWorkspace::new(y.nrows(), y.ncols(), k));
                ws.divergence_and_num_w(y, &w, &h)?
            }
        };
        if !loss.is_finite() {
            return Err(NmfError::LossOverflow(loss));
        }
        Ok(Solver {
            y,
            w,
            h,
            workspace,
            kl,
            y_squared: crate::mu::norm_squared(y),
            algorithm: Algorithm::Mu,
            floor,
            inner: 1,
            iter: 0,
            loss,
        })
    }

    // ANCHOR: step
    /// One iteration: W from the current H, then H from the new W.
    /// Returns the new loss, which is never above the previous one, up to
    /// rounding (chapter 5, "Rounding").
    ///
    /// With the defaults (the multiplicative updates, the Frobenius loss,
    /// no floor, one inner iteration) it computes the iterates of
    /// [`mu_iteration`](crate::mu_iteration), the iteration of chapter 5
    /// as written, with the matrix products of chapter 11; the tests hold
    /// the two equal. The other settings lead to the updates of chapter 9
    /// ([`Loss`]) and chapter 12 ([`Algorithm::Hals`],
    /// [`Nmf::inner_iterations`]).
    pub fn step(&mut self) -> Result<f64, NmfError> {
        self.iterate(true)?;
        if self.kl.is_none() {
            let (y, w, h) = (self.y, &self.w, &self.h);
            self.loss = self.workspace.loss_after_h_step(y, self.y_squared, w, h)?;
        }
        if !self.loss.is_finite() {
            return Err(NmfError::NumericalBreakdown {
                iteration: self.iter,
            });
        }
        Ok(self.loss)
    }

    /// One iteration, as [`Solver::step`], without the loss of the new
    /// iterate: [`Nmf::loss_every`]. (For the KL updates the passes over
    /// WH still run, since they give the next numerator, but the
    /// divergence and its logarithms are skipped.) Until the next `step`, `self.loss`
    /// is the loss of an earlier iterate, which nothing outside sees.
    pub(crate) fn advance(&mut self) -> Result<(), NmfError> {
        self.iterate(false)
    }

    /// One iteration; for the KL divergence, with its value if `divergence`.
    fn iterate(&mut self, divergence: bool) -> Result<(), NmfError> {
        if self.kl.is_some() {
            return self.step_kl(divergence); // chapter 9
        }
        let (y, ws, floor, inner) = (self.y, &mut self.workspace, self.floor, self.inner);
        // Two algorithms on the same products (chapter 12).
        let hals = self.algorithm == Algorithm::Hals;
        if inner == 1 && ws.fuses() {
            // One pass over Y for both half steps' products (chapter 11).
            ws.w_fused(y, &mut self.w, &self.h, floor, hals)?;
        } else {
            ws.w_step(y, &mut self.w, &self.h, floor, inner, hals)?;
            ws.products_h(y, &self.w, &self.h)?;
        }
        ws.h_from_products(&mut self.h, floor, inner, hals);
        self.iter += 1;
        self.check_finite()
    }

    /// A [`NmfError::NumericalBreakdown`] if W or H holds a NaN or an
    /// infinity.
    fn check_finite(&self) -> Result<(), NmfError> {
        let finite = |x: &f64| x.is_finite();
        if self.w.iter().all(finite) && self.h.iter().all(finite) {
            Ok(())
        } else {
            Err(NmfError::NumericalBreakdown {
                iteration: self.iter,
            })
        }
    }
    // ANCHOR_END: step

    // ANCHOR: step_kl
    /// One iteration of the KL updates of chapter 9, W then H, with the
    /// floor inside. Keeps the new divergence, which the updates compute
    /// on the way, in `self.loss`: never above the previous one, up to
    /// rounding.
    fn step_kl(&mut self, divergence: bool) -> Result<(), NmfError> {
        if let Some(kl) = &mut self.kl {
            let d = kl.step(self.y, &mut self.w, &mut self.h, self.floor, divergence)?;
            if divergence {
                self.loss = d;
            }
        }
        self.iter += 1;
        self.check_finite()
    }
    // ANCHOR_END: step_kl

    /// The current iterate, as an observer sees it.
    pub fn state(&self) -> State<'_> {
        State {
            iter: self.iter,
            w: &self.w,
            h: &self.h,
            loss: self.loss,
        }
    }

    /// Iterations done so far.
    pub fn iter(&self) -> usize {
        self.iter
    }

    /// The current loss D (the one chosen by [`Nmf::loss`]).
    pub fn loss(&self) -> f64 {
        self.loss
    }

    /// The current W.
    pub fn w(&self) -> &DMatrix<f64> {
        &self.w
    }

    /// The current H.
    pub fn h(&self) -> &DMatrix<f64> {
        &self.h
    }

    /// Gives back (W, H).
    pub fn into_factors(self) -> (DMatrix<f64>, DMatrix<f64>) {
        (self.w, self.h)
    }
}

/// Y must be non-empty, finite and ≥ 0; the first offending entry is named.
fn check_data(y: &DMatrix<f64>) -> Result<(), NmfError> {
    let (rows, cols) = y.shape();
    if rows == 0 || cols == 0 {
        return Err(NmfError::EmptyData { rows, cols });
    }
    // One pass without branches for the usual case, all entries fine; the
    // loop below names the first bad entry otherwise.
    let bad = y
        .as_slice()
        .iter()
        .fold(false, |bad, &v| bad | !(0.0..f64::INFINITY).contains(&v));
    if !bad {
        return Ok(());
    }
    for col in 0..cols {
        for row in 0..rows {
            let value = y[(row, col)];
            if !value.is_finite() {
                return Err(NmfError::NonFiniteData { row, col, value });
            }
            if value < 0.0 {
                return Err(NmfError::NegativeData { row, col, value });
            }
        }
    }
    Ok(())
}

/// x ← max(floor, x), entry by entry: the floor of [`Nmf::floor`]. A zero
/// floor leaves x untouched, so that the plain updates stay bit for bit.
fn raise(x: &mut DMatrix<f64>, floor: f64) {
    if floor > 0.0 {
        x.iter_mut().for_each(|v| *v = v.max(floor));
    }
}

/// How far apart, as a power of two, the scales of column k of W and row k
/// of H may be before [`balance`] evens them out.
const MAX_IMBALANCE: f64 = 64.0;

/// Evens out components whose weights and basis vector differ wildly in
/// scale, such as w = 10²⁰⁰ with h = 10⁻²⁰⁰: products like HHᵀ would
/// underflow and WᵀW overflow, and the updates would go wrong. Column k of
/// W is divided, and row k of H multiplied, by the same power of two, so
/// WH does not change by a single bit, and neither do the updates
/// (chapter 1, exercise 2). Starts within 2⁶⁴ of balance are left as they are.
fn balance(w: &mut DMatrix<f64>, h: &mut DMatrix<f64>) {
    for k in 0..w.ncols() {
        let (a, b) = (w.column(k).amax(), h.row(k).amax());
        if a == 0.0 || b == 0.0 {
            continue;
        }
        let gap = a.log2() - b.log2();
        if gap.abs() > MAX_IMBALANCE {
            let e = (gap / 2.0).round() as i32;
            w.column_mut(k).scale_mut(2f64.powi(-e));
            h.row_mut(k).scale_mut(2f64.powi(e));
        }
    }
}

/// The factors and the workspace of rank k, counted in f64s, must be
/// addressable: about (4m + 13n + 11k)k for the factors and every buffer,
/// plus an m × n allowance.
fn check_size(m: usize, n: usize, k: usize) -> Result<(), NmfError> {
    let floats = || {
        // W, H, their transposes and the workspace's m × k and k × n
        // buffers, the fused pass's eight chunks of k × n and k × k, and
        // the k × k Gram matrices.
        let per_rank = m
            .checked_mul(4)?
            .checked_add(n.checked_mul(13)?)?
            .checked_add(k.checked_mul(11)?)?;
        k.checked_mul(per_rank)?
            .checked_add(m.checked_mul(n)?)?
            .checked_mul(8)
    };
    match floats() {
        Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
        _ => Err(NmfError::TooLarge { rank: k }),
    }
}

/// A factor of a custom start must have its shape, be finite and ≥ 0, and
/// not be all zeros.
fn check_start(factor: Factor, x: &DMatrix<f64>, rows: usize, cols: usize) -> Result<(), NmfError> {
    if x.shape() != (rows, cols) {
        return Err(NmfError::InitShape {
            factor,
            expected_rows: rows,
            expected_cols: cols,
            found_rows: x.nrows(),
            found_cols: x.ncols(),
        });
    }
    for col in 0..cols {
        for row in 0..rows {
            let value = x[(row, col)];
            if !value.is_finite() || value < 0.0 {
                return Err(NmfError::InitEntry {
                    factor,
                    row,
                    col,
                    value,
                });
            }
        }
    }
    if x.iter().all(|&v| v == 0.0) {
        return Err(NmfError::InitAllZero { factor });
    }
    Ok(())
}

// ANCHOR: random_start
/// The start of [`Init::Random`].
fn random_start(y: &DMatrix<f64>, k: usize, seed: u64) -> (DMatrix<f64>, DMatrix<f64>) {
    let count = y.len() as f64;
    // Divide before summing so that a huge Y cannot overflow the mean.
    let mean: f64 = y.iter().map(|v| v / count).sum();
    let a = (mean / k as f64).sqrt();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = |rows, cols| {
        let mut x = DMatrix::zeros(rows, cols);
        // 1 − r lies in (0, 1], so no entry starts at an absorbing zero.
        x.iter_mut()
            .for_each(|v| *v = a * 2.0 * (1.0 - rng.random::<f64>()));
        x
    };
    let w = draw(y.nrows(), k);
    let h = draw(k, y.ncols());
    (w, h)
}
// ANCHOR_END: random_start

#[cfg(test)]
mod tests {
    use super::*;

    /// Positive entries in [0.1, 1.1), from a seeded ChaCha8.
    fn positive(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> DMatrix<f64> {
        DMatrix::from_fn(rows, cols, |_, _| 0.1 + rng.random::<f64>())
    }

    /// `Solver::step` computes the iterates of chapter 5's `mu_iteration`,
    /// on the separate products and on the fused pass of chapter 11.
    #[test]
    fn step_is_the_iteration_as_written() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let shapes = [(5, 4, 2), (30, 20, 3), (9, 40, 5), (300, 120, 60)];
        let fused = shapes.map(|(m, n, k)| Workspace::new(m, n, k).fuses());
        assert!(fused.contains(&true) && fused.contains(&false));
        for (m, n, k) in shapes {
            let y = positive(&mut rng, m, n);
            let (mut w, mut h) = (positive(&mut rng, m, k), positive(&mut rng, k, n));
            let mut solver = Solver::new(&y, w.clone(), h.clone()).unwrap();
            let close = |a: &DMatrix<f64>, b: &DMatrix<f64>| (a - b).amax() <= 1e-12 * b.amax();
            for t in 1..=3 {
                let d = solver.step().unwrap();
                let written;
                (w, h, written) = crate::mu_iteration(&y, &w, &h).unwrap();
                assert!(close(solver.w(), &w), "W, {m} x {n} x {k}, iteration {t}");
                assert!(close(solver.h(), &h), "H, {m} x {n} x {k}, iteration {t}");
                assert!((d - written).abs() <= 1e-12 * written, "D, {m} x {n} x {k}");
            }
        }
    }
}
