//! Property tests of the identities of chapters 3 to 5 over random shapes
//! (1 to 30) and non-negative values, zeros included.

mod common;

use approx::relative_eq;
use common::{assert_monotone, matrix, positive, problem};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{
    auxiliary, hals_update_h, hals_update_w, lambda, loss, update_h, update_w, Algorithm, Init,
    Nmf, Solver, Workspace,
};
use proptest::prelude::*;

/// A data matrix with a custom positive start for a fit at rank k.
fn fit_problem() -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>)> {
    (1..=30usize, 1..=30usize, 1..=30usize)
        .prop_flat_map(|(m, n, k)| (matrix(m, n), positive(m, k), positive(k, n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Chapter 4: the multiplicative updates never raise D (up to rounding),
    /// and everything that comes out is finite and ≥ 0.
    #[test]
    fn loss_never_rises_and_outputs_are_finite((y, w, h) in fit_problem(), seeded in any::<bool>(), seed in any::<u64>()) {
        let nmf = Nmf::new(w.ncols()).max_iter(40).tol(0.0).seed(seed);
        let nmf = if seeded { nmf } else { nmf.init(Init::Custom { w, h }) };
        let fit = nmf.fit(&y).unwrap();
        prop_assert_eq!(fit.losses.len(), 41);
        assert_monotone(&fit.losses, &y);
        prop_assert!(fit.w.iter().chain(fit.h.iter()).all(|v| v.is_finite() && *v >= 0.0));
        prop_assert!(fit.losses.iter().all(|d| d.is_finite() && *d >= 0.0));
        // The recorded loss is the loss of the returned factors.
        let d = loss(&y, &fit.w, &fit.h).unwrap();
        prop_assert!(relative_eq!(d, fit.losses[40], max_relative = 1e-9, epsilon = 1e-12 * y.norm_squared()));
    }

    /// Chapter 3: the weights λ_kmn are ≥ 0 and sum to 1 over k.
    #[test]
    fn lambda_sums_to_one((_y, w, h) in problem()) {
        let l = lambda(&w, &h).unwrap();
        for col in 0..h.ncols() {
            for row in 0..w.nrows() {
                let s: f64 = l.iter().map(|lk| lk[(row, col)]).sum();
                prop_assert!(l.iter().all(|lk| lk[(row, col)] >= 0.0));
                prop_assert!(relative_eq!(s, 1.0, max_relative = 1e-12));
            }
        }
    }

    /// Chapter 3: G(W, H | Wᵗ, Hᵗ) ≥ D(W, H) for any W, H and any anchor.
    #[test]
    fn auxiliary_bounds_the_loss((y, w, h) in problem(), seed in any::<u64>()) {
        let (m, k, n) = (w.nrows(), w.ncols(), h.ncols());
        let other = y.map(|v| v + 1.0);
        let mut solver = Solver::new(&other, DMatrix::from_element(m, k, 1.0), DMatrix::from_element(k, n, 1.0)).unwrap();
        // An unrelated anchor: a few iterations of a fit on other data.
        for _ in 0..(seed % 4) { solver.step().unwrap(); }
        let (w_t, h_t) = solver.into_factors();
        let d = loss(&y, &w, &h).unwrap();
        let g = auxiliary(&y, &w, &h, &w_t, &h_t).unwrap();
        prop_assert!(g >= d - 1e-10 * (d + y.norm_squared() + (&w * &h).norm_squared()), "G = {g} < D = {d}");
    }

    /// Chapter 3: G touches D at the anchor: G(W, H | W, H) = D(W, H).
    #[test]
    fn auxiliary_touches_the_loss((y, w, h) in problem()) {
        let d = loss(&y, &w, &h).unwrap();
        let g = auxiliary(&y, &w, &h, &w, &h).unwrap();
        let scale = y.norm_squared() + (&w * &h).norm_squared();
        prop_assert!(relative_eq!(g, d, max_relative = 1e-10, epsilon = 1e-12 * scale), "G = {g}, D = {d}");
    }

    /// Chapter 5: the fast updates of the fit loop give the numbers of the
    /// equations written out index by index.
    #[test]
    fn naive_and_fast_updates_agree((y, w, h) in problem()) {
        let mut ws = Workspace::new(y.nrows(), y.ncols(), w.ncols());
        let naive_w = update_w(&y, &w, &h).unwrap();
        let mut fast_w = w.clone();
        ws.update_w(&y, &mut fast_w, &h).unwrap();
        prop_assert!(relative_eq!(fast_w, naive_w, max_relative = 1e-12, epsilon = 0.0));
        let naive_h = update_h(&y, &naive_w, &h).unwrap();
        let mut fast_h = h.clone();
        ws.update_h(&y, &fast_w, &mut fast_h).unwrap();
        prop_assert!(relative_eq!(fast_h, naive_h, max_relative = 1e-10, epsilon = 0.0));
        let d = ws.loss(&y, &fast_w, &fast_h).unwrap();
        prop_assert!(relative_eq!(d, loss(&y, &naive_w, &naive_h).unwrap(), max_relative = 1e-10, epsilon = 1e-13 * y.norm_squared()));
    }

    /// Chapter 5: one `Solver::step` is the W update followed by the H
    /// update from the new W.
    #[test]
    fn a_step_is_update_w_then_update_h((y, w, h) in fit_problem()) {
        let mut solver = Solver::new(&y, w.clone(), h.clone()).unwrap();
        let (mut w_ref, mut h_ref) = (w, h);
        for _ in 0..3 {
            solver.step().unwrap();
            w_ref = update_w(&y, &w_ref, &h_ref).unwrap();
            h_ref = update_h(&y, &w_ref, &h_ref).unwrap();
        }
        prop_assert!(relative_eq!(solver.w(), &w_ref, max_relative = 1e-9, epsilon = 1e-300));
        prop_assert!(relative_eq!(solver.h(), &h_ref, max_relative = 1e-9, epsilon = 1e-300));
    }

    /// Chapter 4: an entry that is zero stays zero.
    #[test]
    fn zeros_stay_zero((y, w, h) in problem()) {
        let w1 = update_w(&y, &w, &h).unwrap();
        let h1 = update_h(&y, &w1, &h).unwrap();
        prop_assert!(w.iter().zip(w1.iter()).all(|(a, b)| *a != 0.0 || *b == 0.0));
        prop_assert!(h.iter().zip(h1.iter()).all(|(a, b)| *a != 0.0 || *b == 0.0));
    }

    /// Chapter 4: with a floor ε the loss still never rises, every entry
    /// stays ≥ ε, and each floored step is the plain one raised to ε.
    #[test]
    fn floored_updates_never_raise_the_loss((y, w, h) in fit_problem(), eps in prop_oneof![Just(1e-9), 1e-6..1.0f64]) {
        let fit = Nmf::new(w.ncols()).max_iter(30).tol(0.0).floor(eps)
            .init(Init::Custom { w: w.clone(), h: h.clone() }).fit(&y).unwrap();
        assert_monotone(&fit.losses, &y);
        prop_assert!(fit.w.iter().chain(fit.h.iter()).all(|v| v.is_finite() && *v >= eps));
        // One floored iteration, by hand from the equations.
        let (w0, h0) = (w.map(|v| v.max(eps)), h.map(|v| v.max(eps)));
        let w1 = update_w(&y, &w0, &h0).unwrap().map(|v| v.max(eps));
        let h1 = update_h(&y, &w1, &h0).unwrap().map(|v| v.max(eps));
        let one = Nmf::new(w.ncols()).max_iter(1).tol(0.0).floor(eps)
            .init(Init::Custom { w, h }).fit(&y).unwrap();
        prop_assert!(relative_eq!(one.w, w1, max_relative = 1e-12, epsilon = 0.0));
        prop_assert!(relative_eq!(one.h, h1, max_relative = 1e-10, epsilon = 0.0));
    }

    /// A zero floor is no floor: the same bits as the plain updates.
    #[test]
    fn a_zero_floor_changes_no_bit((y, w, h) in fit_problem()) {
        let plain = Nmf::new(w.ncols()).max_iter(10).tol(0.0).init(Init::Custom { w: w.clone(), h: h.clone() });
        let floored = plain.clone().floor(0.0);
        prop_assert_eq!(plain.fit(&y).unwrap(), floored.fit(&y).unwrap());
    }

    /// HALS never raises the loss either, with or without a floor, and
    /// keeps every entry at least the floor.
    #[test]
    fn hals_never_raises_the_loss((y, w, h) in fit_problem(), eps in prop_oneof![Just(0.0), 1e-6..1.0f64]) {
        let fit = Nmf::new(w.ncols()).max_iter(30).tol(0.0).floor(eps).algorithm(Algorithm::Hals)
            .init(Init::Custom { w, h }).fit(&y).unwrap();
        assert_monotone(&fit.losses, &y);
        prop_assert!(fit.w.iter().chain(fit.h.iter()).all(|v| v.is_finite() && *v >= eps));
        let d = loss(&y, &fit.w, &fit.h).unwrap();
        prop_assert!(relative_eq!(d, fit.losses[30], max_relative = 1e-9, epsilon = 1e-12 * y.norm_squared()));
    }

    /// A HALS step of the solver is the HALS update of W written as the
    /// equations, then that of H from the new W.
    #[test]
    fn a_hals_step_is_the_equations((y, w, h) in fit_problem()) {
        let nmf = Nmf::new(w.ncols()).algorithm(Algorithm::Hals).init(Init::Custom { w: w.clone(), h: h.clone() });
        let mut solver = nmf.solver(&y).unwrap();
        solver.step().unwrap();
        let w1 = hals_update_w(&y, &w, &h).unwrap();
        let h1 = hals_update_h(&y, &w1, &h).unwrap();
        let scale = y.amax().max(1.0) * 1e-9;
        prop_assert!(relative_eq!(solver.w(), &w1, max_relative = 1e-9, epsilon = scale));
        prop_assert!(relative_eq!(solver.h(), &h1, max_relative = 1e-9, epsilon = scale));
    }

    /// Each HALS column step is the exact minimiser: nudging any entry of
    /// the new W, up or down within W ≥ 0, does not lower the loss.
    #[test]
    fn hals_w_is_a_coordinate_minimum((y, w, h) in fit_problem()) {
        let w1 = hals_update_w(&y, &w, &h).unwrap();
        // The last column was solved last, with every other column final.
        let k = w1.ncols() - 1;
        let d = loss(&y, &w1, &h).unwrap();
        for m in 0..w1.nrows() {
            for delta in [1e-3, -1e-3] {
                let mut moved = w1.clone();
                moved[(m, k)] = (moved[(m, k)] + delta).max(0.0);
                prop_assert!(loss(&y, &moved, &h).unwrap() >= d - 1e-10 * (d + y.norm_squared()));
            }
        }
    }

    /// Reusing each product for several updates (inner iterations) never
    /// raises the loss either, for both algorithms, with or without a
    /// floor: every repeat is again an update that cannot raise it.
    #[test]
    fn inner_iterations_never_raise_the_loss(
        (y, w, h) in fit_problem(),
        inner in 1..8usize,
        hals in any::<bool>(),
        eps in prop_oneof![Just(0.0), 1e-6..1.0f64],
    ) {
        let algorithm = if hals { Algorithm::Hals } else { Algorithm::Mu };
        let fit = Nmf::new(w.ncols()).max_iter(20).tol(0.0).floor(eps).algorithm(algorithm)
            .inner_iterations(inner).init(Init::Custom { w, h }).fit(&y).unwrap();
        assert_monotone(&fit.losses, &y);
        prop_assert!(fit.w.iter().chain(fit.h.iter()).all(|v| v.is_finite() && *v >= eps));
        let d = loss(&y, &fit.w, &fit.h).unwrap();
        prop_assert!(relative_eq!(d, fit.losses[20], max_relative = 1e-9, epsilon = 1e-12 * y.norm_squared()));
    }

    /// The stopping rule is checked after each repeat, so with at most two
    /// inner iterations a HALS half step is always two sweeps on the same
    /// products: the W after one iteration is hals_update_w applied twice.
    #[test]
    fn two_inner_sweeps_are_two_sweeps((y, w, h) in fit_problem()) {
        let nmf = Nmf::new(w.ncols()).algorithm(Algorithm::Hals).inner_iterations(2)
            .init(Init::Custom { w: w.clone(), h: h.clone() });
        let mut solver = nmf.solver(&y).unwrap();
        solver.step().unwrap();
        let w2 = hals_update_w(&y, &hals_update_w(&y, &w, &h).unwrap(), &h).unwrap();
        let scale = y.amax().max(1.0) * 1e-9;
        prop_assert!(relative_eq!(solver.w(), &w2, max_relative = 1e-9, epsilon = scale));
    }
}

/// A problem big enough that the fit takes the fused pass of chapter 11:
/// m n k ≥ 2²¹ and m ≥ 128.
fn fused_problem() -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>)> {
    (400..800usize, 250..400usize, 21..30usize)
        .prop_flat_map(|(m, n, k)| (matrix(m, n), positive(m, k), positive(k, n)))
}

/// The largest entry of |a − b|, relative to the largest of |b|.
fn relative_gap(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    (a - b).amax() / b.amax()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// Chapter 11: one iteration of the fused pass is one iteration of the
    /// two separate products (Workspace::iterate), to 1e-12 relative: the
    /// same arithmetic, with WᵀY and WᵀW summed in another order.
    #[test]
    fn the_fused_pass_is_the_separate_products((y, w, h) in fused_problem()) {
        let nmf = Nmf::new(w.ncols()).init(Init::Custom { w: w.clone(), h: h.clone() });
        let mut solver = nmf.solver(&y).unwrap();
        let d = solver.step().unwrap();
        let (mut w1, mut h1) = (w.clone(), h.clone());
        let mut ws = Workspace::new(y.nrows(), y.ncols(), w.ncols());
        let d1 = ws.iterate(&y, &mut w1, &mut h1, y.norm_squared()).unwrap();
        prop_assert!(relative_gap(solver.w(), &w1) < 1e-12);
        prop_assert!(relative_gap(solver.h(), &h1) < 1e-12);
        prop_assert!((d - d1).abs() < 1e-12 * d1);
    }

    /// The fused pass with a HALS sweep per block is the HALS iteration of
    /// the equations, to 1e-12 relative.
    #[test]
    fn the_fused_hals_pass_is_the_equations((y, w, h) in fused_problem()) {
        let nmf = Nmf::new(w.ncols()).algorithm(Algorithm::Hals)
            .init(Init::Custom { w: w.clone(), h: h.clone() });
        let mut solver = nmf.solver(&y).unwrap();
        solver.step().unwrap();
        let w1 = hals_update_w(&y, &w, &h).unwrap();
        let h1 = hals_update_h(&y, &w1, &h).unwrap();
        prop_assert!(relative_gap(solver.w(), &w1) < 1e-12);
        prop_assert!(relative_gap(solver.h(), &h1) < 1e-12);
    }
}
