//! Non-negative matrix factorisation by multiplicative updates and HALS,
//! written to be read beside the book *Watching NMF Learn*.
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
//! | [`mu_iteration`] | one iteration, (4.7) then (4.8) then D, written as the equations | 5 |
//! | [`Workspace`] | the same updates as matrix products, W(HHᵀ) and (WᵀW)H | 5 |
//! | [`Solver::step`], [`Observer`] | one iteration, and watching it | 5 |
//! | [`Nmf`] | the whole fit | 5 |
//! | [`Nmf::floor`] | x ← max(ε, x · num / den) | 4 |
//! | [`Nmf::threads`], [`Workspace::with_threads`], [`product_plan`], [`PRODUCT_BLOCK`], [`PARALLEL_WORK`] | YHᵀ and WᵀY in fixed blocks over threads, the same bits for any count | 11 |
//! | [`Workspace::iterate`], [`CHEAP_LOSS_MARGIN`] | one iteration on two separate products, with the cheap loss ‖Y‖² − 2⟨H, WᵀY⟩ + ⟨WᵀW, HHᵀ⟩ while it keeps its digits | 11, eq. 11.1 |
//! | [`Nmf::fit`] on big problems, [`FUSED_ROWS`], [`FUSED_CHUNKS`] | one pass over row blocks of Y for YHᵀ, the new W, WᵀY and WᵀW, on a kernel chosen at run time (AVX-512, AVX2, plain) with the same bits on each | 11 |
//! | [`KernelTile`], [`AVX512_TILE`], [`AVX2_TILE`], [`KERNEL_DEPTH`] | that kernel's tiles of registers, and the depth it takes at a time | appendix D |
//! | [`hals_update_w`], [`hals_update_h`], [`Algorithm::Hals`], [`SWEEP_BLOCK`] | w_mk ← max(0, w_mk − g_mk / (HHᵀ)_kk), column by column | 12 |
//! | [`Nmf::inner_iterations`] | several updates from one product, until one moves the factor by ≤ a tenth of the first | 12 |
//! | [`datasets::line`], [`datasets::article_cos2`], [`datasets::cos2`] | the data of the experiments | 6, 7 |
//! | [`datasets::noisy_product`] | Y = max(0, AB + noise), a noisy product of rank r | 8 |
//! | [`best_scale`] | α* = ⟨Y, WH⟩ / ‖WH‖², the best scale of a start | 8, eq. 8.1 |
//! | [`truncated_svd`] | Y_K = Σ_{j≤K} σ_j u_j v_jᵀ, signs fixed | 8 |
//! | [`nndsvd`], [`Init::Nndsvd`] | w_j h_jᵀ = σ_j u_j^± v_j^±ᵀ, the dominant part of each pair | 8, eq. 8.5 |
//! | [`nndsvd_a`], [`nndsvd_ar`], [`Init::NndsvdA`], [`Init::NndsvdAr`] | NNDSVD with its zeros filled | 8 |
//! | [`loss_kl`], [`Loss::KullbackLeibler`], [`Nmf::loss`] | D_KL(Y \| WH) = Σ_mn y_mn log(y_mn / ŷ_mn) − y_mn + ŷ_mn | 9, eq. 9.1 |
//! | [`auxiliary_kl`] | G_KL(W, H \| Wᵗ, Hᵗ) ≥ D_KL, with the same λ_kmn | 9, eq. 9.4 |
//! | [`update_w_kl`] | w_mk ← w_mk Σ_n h_kn (y_mn / ŷ_mn) / Σ_n h_kn | 9, eq. 9.6 |
//! | [`update_h_kl`] | h_kn ← h_kn Σ_m w_mk (y_mn / ŷ_mn) / Σ_m w_mk | 9, eq. 9.7 |
//! | [`datasets::word_counts`] | a corpus of word counts from 3 topics, seeded Poisson | 9 |
//! | [`datasets::swimmer`], [`datasets::swimmer_parts`], [`datasets::digits`] | images with known parts, and handwritten digits | 10 |
//! | [`normalise`], [`RowScale`] | w_mk h_kn = (w_mk s_k)(h_kn / s_k), rows of H on one scale | 10, eq. 10.1 |
//! | [`match_parts`], [`PartPair`] | cos(a, b) = ⟨a, b⟩ / (‖a‖ ‖b‖), parts paired by the Hungarian algorithm | 10, eq. 10.2 |
//! | [`Nmf::transform`] | min over W ≥ 0 of ‖Y − WH‖² with H fixed: fold-in | 10, eq. 10.4 |
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
mod init;
mod kernel;
mod kl;
mod mu;
mod objective;
mod par;
mod parts;
mod solver;

/// nalgebra, re-exported so that your matrices are the crate's matrices.
pub use nalgebra;

pub use error::{Factor, NmfError};
pub use hals::{hals_update_h, hals_update_w, SWEEP_BLOCK};
pub use init::{best_scale, nndsvd, nndsvd_a, nndsvd_ar, truncated_svd};
pub use kernel::{KernelTile, AVX2_TILE, AVX512_TILE, KERNEL_DEPTH};
pub use kl::{auxiliary_kl, loss_kl, update_h_kl, update_w_kl};
pub use mu::{
    mu_iteration, update_h, update_w, Workspace, CHEAP_LOSS_MARGIN, FUSED_CHUNKS, FUSED_ROWS,
};
pub use objective::{auxiliary, grad_h, grad_w, lambda, loss};
pub use par::{product_plan, PARALLEL_WORK, PRODUCT_BLOCK};
pub use parts::{match_parts, normalise, PartPair, RowScale};
pub use solver::{Algorithm, Factorization, Init, Loss, Nmf, Observer, Solver, State};
