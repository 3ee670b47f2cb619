//! The builder [`Nmf`], the step-by-step [`Solver`] and the [`Observer`]
//! that watches it (chapter 5).

use nalgebra::DMatrix;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::error::{Factor, NmfError};
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
}

/// Which algorithm updates the factors. Both minimise the same loss
/// ‖Y − WH‖², update W then H from the new W, and never raise the loss.
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
}

/// What [`Nmf::fit`] returns.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Factorization {
    /// The weights, m × k: row m says how much of each basis vector point m uses.
    pub w: DMatrix<f64>,
    /// The basis, k × n: each row is one basis vector.
    pub h: DMatrix<f64>,
    /// The loss D at the start (`losses[0]`) and after each iteration
    /// (`losses[t]` after t iterations): `n_iter + 1` entries.
    pub losses: Vec<f64>,
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
    /// The current loss D.
    pub loss: f64,
}

/// Watches a fit: [`Nmf::fit_with`] calls [`Observer::observe`] once for the
/// start and once after every iteration. The default does nothing.
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
    /// A fit at rank `rank` with the defaults: `max_iter(200)`, `tol(1e-4)`,
    /// `seed(0)`, `init(Init::Random)`, `floor(0.0)`,
    /// `algorithm(Algorithm::Mu)`, `threads(0)`.
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

    /// How many threads compute the big products YHᵀ and WᵀY: 0, the
    /// default, for every core. The result does not depend on it, to the
    /// bit: the products are cut into the same blocks for any count.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
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

    /// Checks the parameters and the data, builds the start and returns a
    /// [`Solver`] that runs one iteration per [`Solver::step`].
    pub fn solver<'y>(&self, y: &'y DMatrix<f64>) -> Result<Solver<'y>, NmfError> {
        if self.rank == 0 {
            return Err(NmfError::ZeroRank);
        }
        if self.tol.is_nan() || self.tol < 0.0 {
            return Err(NmfError::InvalidTol(self.tol));
        }
        if !(self.floor.is_finite() && self.floor >= 0.0) {
            return Err(NmfError::InvalidFloor(self.floor));
        }
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
        };
        let mut solver = Solver::start(y, w, h, self.floor)?;
        solver.algorithm = self.algorithm;
        solver.workspace = solver.workspace.with_threads(self.threads);
        Ok(solver)
    }

    /// Fits Y ≈ WH. Y is m × n with finite entries ≥ 0.
    pub fn fit(&self, y: &DMatrix<f64>) -> Result<Factorization, NmfError> {
        self.fit_with(y, &mut ())
    }

    // ANCHOR: fit_with
    /// Fits Y ≈ WH and shows every iterate to `observer`.
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
        observer.observe(&solver.state());
        let mut converged = false;
        while solver.iter() < self.max_iter {
            let before = solver.loss();
            let after = solver.step()?;
            losses.push(after);
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
            n_iter,
            converged,
        })
    }
    // ANCHOR_END: fit_with
}

/// Runs the multiplicative updates one iteration at a time.
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
    y_squared: f64,
    algorithm: Algorithm,
    floor: f64,
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
        Self::start(y, w, h, 0.0)
    }

    /// A solver from a start that has been checked, with the entries kept
    /// at least `floor` (0 for the plain updates).
    fn start(
        y: &'y DMatrix<f64>,
        mut w: DMatrix<f64>,
        mut h: DMatrix<f64>,
        floor: f64,
    ) -> Result<Self, NmfError> {
        balance(&mut w, &mut h);
        raise(&mut w, floor);
        raise(&mut h, floor);
        let k = w.ncols();
        let mut workspace = Workspace::new(y.nrows(), y.ncols(), k);
        let loss = workspace.loss(y, &w, &h)?;
        if !loss.is_finite() {
            return Err(NmfError::LossOverflow(loss));
        }
        Ok(Solver {
            y,
            w,
            h,
            workspace,
            y_squared: y.norm_squared(),
            algorithm: Algorithm::Mu,
            floor,
            iter: 0,
            loss,
        })
    }

    // ANCHOR: step
    /// One iteration: W from the current H, then H from the new W.
    /// Returns the new loss, which is never above the previous one.
    pub fn step(&mut self) -> Result<f64, NmfError> {
        let (y, ws, floor) = (self.y, &mut self.workspace, self.floor);
        match self.algorithm {
            Algorithm::Mu => {
                ws.update_w(y, &mut self.w, &self.h)?;
                raise(&mut self.w, floor);
                ws.update_h(y, &self.w, &mut self.h)?;
                raise(&mut self.h, floor);
            }
            // Another algorithm on the same products, with the floor inside.
            Algorithm::Hals => {
                ws.hals_w(y, &mut self.w, &self.h, floor)?;
                ws.hals_h(y, &self.w, &mut self.h, floor)?;
            }
        }
        self.iter += 1;
        self.loss = ws.loss_after_h_step(y, self.y_squared, &self.w, &self.h)?;
        let finite = |x: &f64| x.is_finite();
        if !(self.loss.is_finite() && self.w.iter().all(finite) && self.h.iter().all(finite)) {
            return Err(NmfError::NumericalBreakdown {
                iteration: self.iter,
            });
        }
        Ok(self.loss)
    }
    // ANCHOR_END: step

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

    /// The current loss D.
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
/// addressable: (2m + 2n + k)k for W, H and their transposes, plus the
/// k × k Gram matrix, the four numerator and denominator buffers and WH.
fn check_size(m: usize, n: usize, k: usize) -> Result<(), NmfError> {
    let floats = || {
        let per_rank = m.checked_add(n)?.checked_mul(4)?.checked_add(k)?;
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
