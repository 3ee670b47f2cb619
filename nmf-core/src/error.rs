//! The one error type of the crate.

use thiserror::Error;

/// Which factor of a custom start an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    /// The weights W (m × k).
    W,
    /// The basis H (k × n).
    H,
}

impl std::fmt::Display for Factor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Factor::W => "W",
            Factor::H => "H",
        })
    }
}

/// Everything that can go wrong before or during a fit.
///
/// Bad input is reported here instead of panicking, and a fit that would
/// produce a NaN or an infinity stops with an error instead.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum NmfError {
    /// The data matrix has no rows or no columns.
    #[error("the data matrix is empty ({rows} x {cols})")]
    EmptyData {
        /// Number of rows of Y.
        rows: usize,
        /// Number of columns of Y.
        cols: usize,
    },
    /// The rank k is zero.
    #[error("the rank k must be at least 1")]
    ZeroRank,
    /// An entry of Y is negative.
    #[error("Y[{row}, {col}] = {value} is negative; NMF needs Y >= 0")]
    NegativeData {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The entry itself.
        value: f64,
    },
    /// An entry of Y is NaN or infinite.
    #[error("Y[{row}, {col}] = {value} is not a finite number")]
    NonFiniteData {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The entry itself.
        value: f64,
    },
    /// A factor of the custom start has the wrong shape.
    #[error("the custom {factor} is {found_rows} x {found_cols}, expected {expected_rows} x {expected_cols}")]
    InitShape {
        /// Which factor.
        factor: Factor,
        /// The rows it should have.
        expected_rows: usize,
        /// The columns it should have.
        expected_cols: usize,
        /// The rows it has.
        found_rows: usize,
        /// The columns it has.
        found_cols: usize,
    },
    /// An entry of the custom start is negative, NaN or infinite.
    #[error("the custom {factor}[{row}, {col}] = {value} is not a finite number >= 0")]
    InitEntry {
        /// Which factor.
        factor: Factor,
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The entry itself.
        value: f64,
    },
    /// A factor of the custom start is all zeros, so the updates could never move it.
    #[error("the custom {factor} is all zeros; multiplicative updates cannot move away from zero")]
    InitAllZero {
        /// Which factor.
        factor: Factor,
    },
    /// Two matrices handed to one function do not fit together.
    #[error(
        "{what}: expected {expected_rows} x {expected_cols}, found {found_rows} x {found_cols}"
    )]
    ShapeMismatch {
        /// Which operand is off.
        what: &'static str,
        /// The rows it should have.
        expected_rows: usize,
        /// The columns it should have.
        expected_cols: usize,
        /// The rows it has.
        found_rows: usize,
        /// The columns it has.
        found_cols: usize,
    },
    /// New data for [`crate::Nmf::transform`] must have one column per
    /// column of the basis H: the same pixels, words or coordinates.
    #[error("Y has {data_cols} columns but H has {basis_cols}; new data need one column per column of H")]
    WidthMismatch {
        /// Columns of the new data.
        data_cols: usize,
        /// Columns of H.
        basis_cols: usize,
    },
    /// An entry of a factor handed in to be used as it is (the fixed H of
    /// [`crate::Nmf::transform`], or the factors given to
    /// [`crate::normalise`] and [`crate::match_parts`]) is NaN or infinite,
    /// or, where non-negative factors are needed, negative.
    #[error("{factor}[{row}, {col}] = {value} is not a finite number >= 0")]
    InvalidFactor {
        /// Which factor.
        factor: Factor,
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The entry itself.
        value: f64,
    },
    /// The rank is so large that the factors could not be addressed in memory.
    #[error("rank {rank} is too large for the memory of this machine's address space")]
    TooLarge {
        /// The rank asked for.
        rank: usize,
    },
    /// The tolerance is negative or NaN.
    #[error("tol = {0} must be a number >= 0")]
    InvalidTol(f64),
    /// The floor of [`crate::Nmf::floor`] is negative, NaN or infinite.
    #[error("floor = {0} must be a finite number >= 0")]
    InvalidFloor(f64),
    /// [`crate::Nmf::inner_iterations`] was given 0: each product must be
    /// used at least once.
    #[error("inner_iterations must be at least 1")]
    ZeroInnerIterations,
    /// [`crate::Nmf::loss_every`] was given 0: the loss must be computed at
    /// least after the last iteration.
    #[error("loss_every must be at least 1")]
    ZeroLossEvery,
    /// The rank is above min(m, n), which the SVD-based starts
    /// ([`crate::Init::Nndsvd`] and its variants) cannot fill: Y has only
    /// min(m, n) singular values. [`crate::Init::Random`] accepts any rank.
    #[error("rank {rank} is above min(m, n) for the {rows} x {cols} data; the NNDSVD starts need k <= min(m, n)")]
    RankAboveMinDim {
        /// The rank asked for.
        rank: usize,
        /// Number of rows of Y.
        rows: usize,
        /// Number of columns of Y.
        cols: usize,
    },
    /// The algorithm cannot minimise the loss chosen by [`crate::Nmf::loss`]:
    /// HALS is written for the Frobenius loss only (chapter 9).
    #[error("{algorithm:?} does not minimise the {loss:?} loss; use Algorithm::Mu")]
    LossNotSupported {
        /// The loss asked for.
        loss: crate::Loss,
        /// The algorithm asked for.
        algorithm: crate::Algorithm,
    },
    /// With [`crate::Loss::KullbackLeibler`], the start gives ŷ = (WH)[row, col] = 0
    /// where Y is positive: the divergence is infinite, and no multiplicative
    /// update can change that, since zeros stay zero (chapter 9).
    #[error("the start has WH[{row}, {col}] = 0 where Y > 0, so the KL divergence is infinite; start from positive W and H")]
    InfiniteDivergence {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
    },
    /// The loss of the data or of the start does not fit in an `f64`.
    #[error("the loss {0} does not fit in an f64; rescale Y or the start")]
    LossOverflow(f64),
    /// An iterate stopped being finite. The multiplicative updates never do
    /// this on finite data and a finite start; it is reported rather than
    /// letting a NaN out.
    #[error("iteration {iteration} produced a value that is not finite")]
    NumericalBreakdown {
        /// The iteration that failed (1 for the first).
        iteration: usize,
    },
}
