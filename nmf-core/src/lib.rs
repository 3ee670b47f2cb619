//! Non-negative matrix factorisation by multiplicative updates, written to
//! be read beside the book *Watching NMF Learn*.
//!
//! Given data Y (m × n, entries ≥ 0) and a rank k, NMF looks for W (m × k)
//! and H (k × n), both ≥ 0, with Y ≈ WH. Each function below is one
//! equation of the book, under the book's name:
//!
//! | item | symbol | chapter |
//! |---|---|---|
//! | [`loss`] | D = ‖Y − WH‖²_F | 2, eq. 2.1 |
//! | [`lambda`] | λ_kmn = w_mk h_kn / Σ_j w_mj h_jn | 3, eq. 3.2 |
//! | [`auxiliary`] | G(W, H \| Wᵗ, Hᵗ) ≥ D | 3, eq. 3.3 |
//! | [`grad_w`], [`grad_h`] | ∂D/∂W, ∂D/∂H | 4, eq. 4.1–4.2 |
//! | [`update_w`] | w_mk ← w_mk (YHᵀ)_mk / (WHHᵀ)_mk | 4, eq. 4.7 |
//! | [`update_h`] | h_kn ← h_kn (WᵀY)_kn / (WᵀWH)_kn | 4, eq. 4.8 |
//! | [`Workspace`] | the same updates as matrix products, W(HHᵀ) and (WᵀW)H | 5 |
//! | [`Solver::step`], [`Observer`] | one iteration, and watching it | 5 |
//! | [`Nmf`] | the whole fit | 5 |
//! | [`Nmf::floor`] | x ← max(ε, x · num / den) | 4 |
//! | [`Nmf::threads`], [`Workspace::with_threads`] | YHᵀ and WᵀY in fixed blocks over threads, the same bits for any count | 8 |
//! | [`hals_update_w`], [`hals_update_h`], [`Algorithm::Hals`] | w_mk ← max(0, w_mk − g_mk / (HHᵀ)_kk), column by column | 9 |
//! | [`datasets::line`], [`datasets::article_cos2`], [`datasets::cos2`] | the data of the experiments | 6, 7 |
//!
//! [`update_w`] and [`update_h`] are written as loops over the indices of
//! the equations; [`Workspace`] computes the same numbers with matrix
//! products into buffers made once, and is what the fit runs. The tests check
//! that the two agree.
//!
//! ```
//! use nmf_core::nalgebra::DMatrix;
//! use nmf_core::{Init, Nmf};
//!
//! // Three points on the ray through (1, 2), at rank 1.
//! let y = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 6.0]);
//! let fit = Nmf::new(1).max_iter(200).tol(1e-12).seed(32).init(Init::Random).fit(&y)?;
//! let d = fit.losses[fit.n_iter];
//! assert!(d < 1e-9, "loss {d}");
//! // Never rising, up to rounding (chapter 5 says why rounding enters).
//! let slack = 1e-12 * y.norm_squared();
//! assert!(fit.losses.windows(2).all(|p| p[1] <= p[0] + slack));
//! # Ok::<(), nmf_core::NmfError>(())
//! ```
//!
//! **Zero denominators.** Where a denominator (WHHᵀ)_mk or (WᵀWH)_kn is
//! exactly zero, the entry keeps its value: it then has no effect on the
//! loss, so nothing rises and no 0/0 appears (chapter 5).
//!
//! **Errors.** Bad input gives an [`NmfError`], never a panic, and a fit
//! never returns a NaN or an infinity.
#![deny(missing_docs)]

pub mod datasets;
mod error;
mod hals;
mod mu;
mod objective;
mod par;
mod solver;

/// nalgebra, re-exported so that your matrices are the crate's matrices.
pub use nalgebra;

pub use error::{Factor, NmfError};
pub use hals::{hals_update_h, hals_update_w};
pub use mu::{update_h, update_w, Workspace};
pub use objective::{auxiliary, grad_h, grad_w, lambda, loss};
pub use solver::{Algorithm, Factorization, Init, Nmf, Observer, Solver, State};
