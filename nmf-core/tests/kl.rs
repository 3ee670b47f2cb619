//! The generalised Kullback–Leibler divergence of chapter 9: its auxiliary
//! function, its multiplicative updates (the loops of the equations against
//! the fast ones the fit runs), its edge cases, and scikit-learn's `mu`
//! solver with `beta_loss="kullback-leibler"` as a reference.

mod common;

use common::{fixture, matrix, positive};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{
    auxiliary_kl, lambda, loss_kl, update_h_kl, update_w_kl, Algorithm, Init, Loss, Nmf, NmfError,
};
use proptest::prelude::*;

/// A KL fit from a custom start.
fn kl(k: usize, w: &DMatrix<f64>, h: &DMatrix<f64>) -> Nmf {
    Nmf::new(k)
        .tol(0.0)
        .loss(Loss::KullbackLeibler)
        .init(Init::Custom {
            w: w.clone(),
            h: h.clone(),
        })
}

/// How far the divergence may rise, or two computations of it differ,
/// through rounding alone. Each term y log(y / ŷ) − y + ŷ is computed from
/// numbers of the size of y |log y|, y and ŷ, each with a relative rounding
/// error of about 10⁻¹⁶.
fn slack(y: &DMatrix<f64>, d0: f64) -> f64 {
    let size: f64 = y
        .iter()
        .map(|v| v * (1.0 + v.ln().abs().min(1e3)))
        .filter(|v| v.is_finite())
        .sum();
    1e-12 * (size + d0 + 1.0)
}

/// The largest relative difference, entry by entry, with two zeros equal.
fn rel(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| {
            if x == y {
                0.0
            } else {
                (x - y).abs() / x.abs().max(y.abs())
            }
        })
        .fold(0.0, f64::max)
}

/// Y (m × n) with zeros, and a strictly positive start at rank k.
fn fit_problem() -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>)> {
    (1..=30usize, 1..=30usize, 1..=12usize)
        .prop_flat_map(|(m, n, k)| (matrix(m, n), positive(m, k), positive(k, n)))
}

/// Y, a point (W, H) and an anchor (Wᵗ, Hᵗ), all with zeros, at one shape.
#[allow(clippy::type_complexity)]
fn anchored() -> impl Strategy<
    Value = (
        DMatrix<f64>,
        DMatrix<f64>,
        DMatrix<f64>,
        DMatrix<f64>,
        DMatrix<f64>,
    ),
> {
    (1..=12usize, 1..=12usize, 1..=6usize).prop_flat_map(|(m, n, k)| {
        (
            matrix(m, n),
            matrix(m, k),
            matrix(k, n),
            matrix(m, k),
            matrix(k, n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The divergence never rises, up to rounding, from any positive start
    /// on data with zeros, with or without a floor; and the losses of the
    /// fit are the divergence of its factors.
    #[test]
    fn divergence_never_rises((y, w, h) in fit_problem(), floored in any::<bool>()) {
        let eps = if floored { 1e-3 } else { 0.0 };
        let fit = kl(w.ncols(), &w, &h).max_iter(30).floor(eps).fit(&y).unwrap();
        let s = slack(&y, fit.losses[0]);
        for p in fit.losses.windows(2) {
            prop_assert!(p[1] <= p[0] + s, "rose: {} -> {}", p[0], p[1]);
        }
        prop_assert!(fit.w.iter().chain(fit.h.iter()).all(|v| v.is_finite() && *v >= eps));
        let d = loss_kl(&y, &fit.w, &fit.h).unwrap();
        prop_assert!((d - fit.losses[30]).abs() <= s, "{d} vs {}", fit.losses[30]);
        prop_assert!((loss_kl(&y, &w.map(|v| v.max(eps)), &h.map(|v| v.max(eps))).unwrap() - fit.losses[0]).abs() <= s);
    }

    /// G_KL(W, H | Wᵗ, Hᵗ) ≥ D_KL(W, H) for any point and any anchor, zeros
    /// included, and G_KL = D_KL at the anchor (both may be +∞ there).
    #[test]
    fn auxiliary_bounds_the_divergence((y, w, h, w_t, h_t) in anchored()) {
        let d = loss_kl(&y, &w, &h).unwrap();
        let g = auxiliary_kl(&y, &w, &h, &w_t, &h_t).unwrap();
        prop_assert!(!d.is_nan() && !g.is_nan());
        prop_assert!(g >= d - slack(&y, d.min(1e300)), "G {g} < D {d}");
        let d_t = loss_kl(&y, &w_t, &h_t).unwrap();
        let g_t = auxiliary_kl(&y, &w_t, &h_t, &w_t, &h_t).unwrap();
        if d_t.is_infinite() {
            prop_assert_eq!(g_t, f64::INFINITY);
        } else {
            prop_assert!((g_t - d_t).abs() <= slack(&y, d_t), "at the anchor G {g_t}, D {d_t}");
        }
    }

    /// Each update is the minimiser of G_KL over its factor: entry by entry
    /// the closed form Σ y λ / Σ h (chapter 9), and no nudge of an entry
    /// lowers G_KL.
    #[test]
    fn the_updates_minimise_the_auxiliary_function((y, w, h) in fit_problem()) {
        // The W step, G built at (W, H).
        let w_new = update_w_kl(&y, &w, &h).unwrap();
        let l = lambda(&w, &h).unwrap();
        let (m_len, k_len, n_len) = (w.nrows(), w.ncols(), h.ncols());
        for m in 0..m_len {
            for k in 0..k_len {
                let num: f64 = (0..n_len).map(|n| y[(m, n)] * l[k][(m, n)]).sum();
                let den: f64 = h.row(k).sum();
                if den == 0.0 {
                    // A zero denominator keeps the entry (chapter 9).
                    prop_assert_eq!(w_new[(m, k)], w[(m, k)]);
                    continue;
                }
                prop_assert!((num / den - w_new[(m, k)]).abs() <= 1e-12 * (num / den).max(1e-300));
            }
        }
        let g = |w2: &DMatrix<f64>| auxiliary_kl(&y, w2, &h, &w, &h).unwrap();
        let best = g(&w_new);
        for i in 0..w_new.len() {
            for factor in [0.99, 1.01] {
                let mut nudged = w_new.clone();
                nudged[i] *= factor;
                prop_assert!(best <= g(&nudged) + slack(&y, best));
            }
        }
        // The H step, G built afresh at (W_new, H).
        let h_new = update_h_kl(&y, &w_new, &h).unwrap();
        let l = lambda(&w_new, &h).unwrap();
        for k in 0..k_len {
            for n in 0..n_len {
                let num: f64 = (0..m_len).map(|m| y[(m, n)] * l[k][(m, n)]).sum();
                let den: f64 = w_new.column(k).sum();
                if den == 0.0 {
                    prop_assert_eq!(h_new[(k, n)], h[(k, n)]);
                    continue;
                }
                prop_assert!((num / den - h_new[(k, n)]).abs() <= 1e-12 * (num / den).max(1e-300));
            }
        }
        let g = |h2: &DMatrix<f64>| auxiliary_kl(&y, &w_new, h2, &w_new, &h).unwrap();
        let best = g(&h_new);
        for i in 0..h_new.len() {
            for factor in [0.99, 1.01] {
                let mut nudged = h_new.clone();
                nudged[i] *= factor;
                prop_assert!(best <= g(&nudged) + slack(&y, best));
            }
        }
    }

    /// The fast updates the fit runs (blocks of WH and Y ⊘ WH, matrix
    /// products) are the loops of the equations, step by step, on shapes
    /// that cross the block size of 64 columns.
    #[test]
    fn fast_updates_are_the_equations(
        (y, w, h) in (1..=20usize, 1..=150usize, 1..=6usize)
            .prop_flat_map(|(m, n, k)| (matrix(m, n), positive(m, k), positive(k, n)))
    ) {
        let mut solver = kl(w.ncols(), &w, &h).solver(&y).unwrap();
        let (mut w_eq, mut h_eq) = (w.clone(), h.clone());
        for _ in 0..3 {
            w_eq = update_w_kl(&y, &w_eq, &h_eq).unwrap();
            h_eq = update_h_kl(&y, &w_eq, &h_eq).unwrap();
            let d = solver.step().unwrap();
            prop_assert!(rel(solver.w(), &w_eq) < 1e-11, "W {}", rel(solver.w(), &w_eq));
            prop_assert!(rel(solver.h(), &h_eq) < 1e-11, "H {}", rel(solver.h(), &h_eq));
            let d_eq = loss_kl(&y, &w_eq, &h_eq).unwrap();
            prop_assert!((d - d_eq).abs() <= slack(&y, d_eq));
        }
    }

    /// An entry of Y of 10⁻³²³ and one of 0 give the same divergence to
    /// 1e-12, for the function and all along a fit; so do an entry of the
    /// start of 10⁻³²³ and one of 0 (the start stays finite), and an entry
    /// of Y of 10⁻³⁰⁰, which counts; and nothing is NaN or infinite.
    #[test]
    fn a_tiny_entry_is_a_zero(
        (y, w, h) in fit_problem(),
        at in any::<prop::sample::Index>(),
        which in 0..4usize,
    ) {
        let (mut y0, mut w0, mut h0) = (y.clone(), w.clone(), h.clone());
        let (mut y1, mut w1, mut h1) = (y.clone(), w.clone(), h.clone());
        match which {
            0 | 1 => {
                let i = at.index(y.len());
                y0[i] = 0.0;
                y1[i] = if which == 0 { 1e-323 } else { 1e-300 };
            }
            2 => {
                let i = at.index(w.len());
                w0[i] = 0.0;
                w1[i] = 1e-323;
            }
            _ => {
                let i = at.index(h.len());
                h0[i] = 0.0;
                h1[i] = 1e-323;
            }
        }
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
        let (d0, d1) = (loss_kl(&y0, &w0, &h0).unwrap(), loss_kl(&y1, &w1, &h1).unwrap());
        // Where the zero leaves ŷ = 0 with y > 0, D is +∞ with it, and with
        // 10⁻³²³ large, or +∞ too if the product underflows to 0.
        prop_assert!(!d1.is_nan() && (d0.is_infinite() || same(d0, d1)), "{d0} vs {d1}");
        let (f0, f1) = (kl(w.ncols(), &w0, &h0).max_iter(20).fit(&y0), kl(w.ncols(), &w1, &h1).max_iter(20).fit(&y1));
        match (f0, f1) {
            (Ok(f0), Ok(f1)) => {
                for (a, b) in f0.losses.iter().zip(&f1.losses) {
                    prop_assert!(a.is_finite() && same(*a, *b), "{a} vs {b}");
                }
                prop_assert!(f1.w.iter().chain(f1.h.iter()).all(|v| v.is_finite()));
            }
            // A zero in the start can leave ŷ = 0 where y > 0: refused.
            // With 10⁻³²³ there instead, the divergence is large but finite,
            // and either the fit runs or y / ŷ overflows, which is reported;
            // or w h underflows to 0, and the start is refused as well.
            (Err(NmfError::InfiniteDivergence { .. }), f1) => {
                prop_assert!(d0.is_infinite() && which >= 2);
                let reported = match &f1 {
                    Err(NmfError::InfiniteDivergence { .. }) => d1.is_infinite(),
                    other => matches!(other, Ok(_) | Err(NmfError::NumericalBreakdown { .. })),
                };
                prop_assert!(reported, "{:?}", f1);
            }
            // The zero was the only nonzero entry of its factor: a start
            // that is all zero is refused, whatever the loss.
            (Err(NmfError::InitAllZero { .. }), _) => {
                let zero = |x: &DMatrix<f64>| x.iter().all(|&v| v == 0.0);
                prop_assert!(which >= 2 && (zero(&w0) || zero(&h0)));
            }
            (a, b) => prop_assert!(false, "{a:?} / {b:?}"),
        }
    }
}

#[test]
fn zeros_of_y_cost_their_reconstruction_and_nothing_else() {
    // Row 2 of Y is zero: its terms are ŷ, whatever the logarithm says.
    let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 0.0, 0.0]);
    let w = DMatrix::from_row_slice(2, 1, &[1.0, 0.5]);
    let h = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
    assert_eq!(loss_kl(&y, &w, &h).unwrap(), 0.5 + 1.0);
    // One update sets that row of W to exactly zero, its best value.
    assert_eq!(update_w_kl(&y, &w, &h).unwrap()[(1, 0)], 0.0);
    // A zero reconstruction of a zero entry costs nothing.
    let w0 = DMatrix::from_row_slice(2, 1, &[1.0, 0.0]);
    assert_eq!(loss_kl(&y, &w0, &h).unwrap(), 0.0);
}

#[test]
fn a_zero_reconstruction_of_a_positive_entry_is_an_infinite_divergence() {
    let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    let w = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 1.0]);
    let h = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 0.0, 1.0]);
    // ŷ_21 = w_21 h_11 + w_22 h_21 = 0 while y_21 = 3.
    assert_eq!(loss_kl(&y, &w, &h).unwrap(), f64::INFINITY);
    let err = kl(2, &w, &h).fit(&y).unwrap_err();
    assert_eq!(err, NmfError::InfiniteDivergence { row: 1, col: 0 });
    // The updates keep it so: zeros stay zero, and no NaN appears.
    let (w1, h1) = {
        let w1 = update_w_kl(&y, &w, &h).unwrap();
        (w1.clone(), update_h_kl(&y, &w1, &h).unwrap())
    };
    assert!(w1.iter().chain(h1.iter()).all(|v| v.is_finite()));
    assert_eq!((w1[(1, 0)], h1[(1, 0)]), (0.0, 0.0));
    assert_eq!(loss_kl(&y, &w1, &h1).unwrap(), f64::INFINITY);
    // A floor lifts the zeros, and the fit runs.
    let fit = kl(2, &w, &h).floor(1e-9).max_iter(50).fit(&y).unwrap();
    assert!(fit.losses[0].is_finite() && fit.losses[50] < 1e-3 * fit.losses[0]);
}

#[test]
fn hals_does_not_minimise_the_divergence() {
    let y = DMatrix::from_element(2, 2, 1.0);
    let err = Nmf::new(1)
        .loss(Loss::KullbackLeibler)
        .algorithm(Algorithm::Hals)
        .fit(&y)
        .unwrap_err();
    assert_eq!(
        err,
        NmfError::LossNotSupported {
            loss: Loss::KullbackLeibler,
            algorithm: Algorithm::Hals
        }
    );
    assert_eq!(Loss::default(), Loss::Frobenius);
}

#[test]
fn zero_denominators_keep_their_entries() {
    let y = DMatrix::from_row_slice(3, 3, &[1.0, 2.0, 0.5, 0.3, 1.0, 2.0, 2.0, 0.1, 1.0]);
    // Row 2 of H is zero, so Σ_n h_2n = 0 in the W step: column 2 of W
    // touches nothing and keeps its values.
    let w = DMatrix::from_row_slice(3, 2, &[1.0, 0.7, 0.5, 0.2, 0.3, 0.9]);
    let h = DMatrix::from_row_slice(2, 3, &[1.0, 0.5, 0.8, 0.0, 0.0, 0.0]);
    let fit = kl(2, &w, &h).max_iter(20).fit(&y).unwrap();
    assert_eq!(fit.w.column(1), w.column(1));
    assert_eq!(fit.h.row(1).iter().filter(|v| **v == 0.0).count(), 3);
    assert!(fit.losses.windows(2).all(|p| p[1] <= p[0]));
    // Column 1 of W is zero, so Σ_m w_m1 = 0 in the H step: row 1 of H
    // keeps its values.
    let w = DMatrix::from_row_slice(3, 2, &[0.0, 0.7, 0.0, 0.2, 0.0, 0.9]);
    let h = DMatrix::from_row_slice(2, 3, &[1.0, 0.5, 0.8, 0.4, 1.0, 0.6]);
    let h1 = update_h_kl(&y, &w, &h).unwrap();
    assert_eq!(h1.row(0), h.row(0));
    let fit = kl(2, &w, &h).max_iter(20).fit(&y).unwrap();
    assert_eq!(fit.h.row(0), h.row(0));
    assert!(fit.w.iter().chain(fit.h.iter()).all(|v| v.is_finite()));
}

#[test]
fn the_observer_and_the_stopping_rule_see_the_divergence() {
    let y = DMatrix::from_fn(6, 5, |m, n| ((m * 3 + n * 7) % 4) as f64);
    let mut seen = Vec::new();
    let fit = Nmf::new(2)
        .loss(Loss::KullbackLeibler)
        .tol(1e-6)
        .max_iter(5000)
        .seed(3)
        .fit_with(&y, &mut |s: &nmf_core::State| {
            seen.push(loss_kl(&y, s.w, s.h).unwrap() - s.loss)
        })
        .unwrap();
    assert!(fit.converged && fit.n_iter < 5000);
    assert_eq!(seen.len(), fit.n_iter + 1);
    assert!(seen.iter().all(|e| e.abs() < 1e-12));
    let (before, after) = (fit.losses[fit.n_iter - 1], fit.losses[fit.n_iter]);
    assert!(before - after <= 1e-6 * before);
}

/// One scikit-learn trajectory: Y, the start, W and H after every
/// iteration (line t of the file, flattened row by row), and D_KL at
/// t = 0..T.
struct Trajectory {
    y: DMatrix<f64>,
    w0: DMatrix<f64>,
    h0: DMatrix<f64>,
    w: DMatrix<f64>,
    h: DMatrix<f64>,
    losses: DMatrix<f64>,
}

fn trajectory(case: &str) -> Trajectory {
    let read = |what: &str| fixture(&format!("{case}_{what}.csv"));
    Trajectory {
        y: read("Y"),
        w0: read("W0"),
        h0: read("H0"),
        w: read("W"),
        h: read("H"),
        losses: read("loss"),
    }
}

/// The smallest entry of ŷ where y > 0.
fn lowest_where_positive(y: &DMatrix<f64>, y_hat: &DMatrix<f64>) -> f64 {
    y.iter()
        .zip(y_hat.iter())
        .filter(|(y, _)| **y > 0.0)
        .map(|(_, f)| *f)
        .fold(f64::INFINITY, f64::min)
}

/// Row `t - 1` of a trajectory file as a rows × cols matrix.
fn at(file: &DMatrix<f64>, t: usize, rows: usize, cols: usize) -> DMatrix<f64> {
    DMatrix::from_row_iterator(rows, cols, file.row(t - 1).iter().copied())
}

/// On data without zeros nothing that scikit-learn adds to the updates
/// comes into play (its floor of ŷ at float32 epsilon, about 1.19e-7, and
/// its clamp of H below float64 epsilon: README.json counts 0 of each),
/// so the trajectories agree at every iteration.
#[test]
fn sklearn_kl_mu_matches_on_positive_data() {
    let c = trajectory("kl_pos");
    let (m, k, n) = (c.w0.nrows(), c.w0.ncols(), c.h0.ncols());
    assert!(c.y.iter().all(|v| *v > 0.0));
    assert_eq!((c.w.nrows(), c.losses.len()), (100, 101));
    let mut solver = kl(k, &c.w0, &c.h0).solver(&c.y).unwrap();
    let mut worst: f64 = (solver.loss() - c.losses[0]).abs() / c.losses[0];
    let (mut worst_w, mut worst_h) = (0.0f64, 0.0f64);
    for t in 1..=100 {
        let d = solver.step().unwrap();
        worst = worst.max((d - c.losses[t]).abs() / c.losses[t]);
        worst_w = worst_w.max(rel(solver.w(), &at(&c.w, t, m, k)));
        worst_h = worst_h.max(rel(solver.h(), &at(&c.h, t, k, n)));
    }
    println!("kl_pos, 100 iterations: max relative error W {worst_w:.2e}, H {worst_h:.2e}, D_KL {worst:.2e}");
    assert!(worst_w < 1e-9 && worst_h < 1e-9 && worst < 1e-9);
}

/// On data with zeros, scikit-learn does one thing the plain updates do
/// not (sklearn/decomposition/_nmf.py, `_fit_multiplicative_update`):
/// after each H update it sets every entry of H below float64 epsilon
/// (2.2e-16) to exactly 0, and from then on that entry stays 0. The
/// updates of chapter 9 keep such an entry positive, still shrinking. So
/// the two differ exactly there: where scikit-learn's h_kn is 0, ours is
/// below 2.2e-16 (or 0 too); every other entry, of W and of H, and the
/// divergence agree to 1e-9 relative. An entry below 2.2e-16 changes ŷ by
/// less than 2.2e-16 times a weight, which is why the rest still agrees.
///
/// Its other guard, a floor of ŷ at float32 epsilon (about 1.19e-7) before
/// dividing y by it, changes nothing here: where y = 0 the ratio is 0
/// either way, and where y > 0 our ŷ never falls below the floor (checked
/// below at every iteration; README.json counts 0 for scikit-learn's).
#[test]
fn sklearn_kl_mu_on_data_with_zeros_differs_only_where_it_clamps_h() {
    let c = trajectory("kl_zeros");
    let (m, k, n) = (c.w0.nrows(), c.w0.ncols(), c.h0.ncols());
    assert_eq!(c.y.iter().filter(|v| **v == 0.0).count(), 52);
    assert_eq!((c.w.nrows(), c.losses.len()), (200, 201));
    let float32_eps = f64::from(f32::EPSILON);
    let mut solver = kl(k, &c.w0, &c.h0).solver(&c.y).unwrap();
    let mut worst: f64 = (solver.loss() - c.losses[0]).abs() / c.losses[0];
    let (mut worst_w, mut worst_h, mut largest_clamped) = (0.0f64, 0.0f64, 0.0f64);
    let mut clamped = 0;
    let mut lowest = f64::INFINITY;
    for t in 1..=200 {
        // Where y > 0, the ŷ that each half step divides by, at (Wᵗ, Hᵗ)
        // and at (Wᵗ⁺¹, Hᵗ), is above scikit-learn's floor.
        let h_before = solver.h().clone();
        lowest = lowest.min(lowest_where_positive(&c.y, &(solver.w() * &h_before)));
        let d = solver.step().unwrap();
        lowest = lowest.min(lowest_where_positive(&c.y, &(solver.w() * &h_before)));
        worst = worst.max((d - c.losses[t]).abs() / c.losses[t]);
        worst_w = worst_w.max(rel(solver.w(), &at(&c.w, t, m, k)));
        let theirs = at(&c.h, t, k, n);
        clamped = 0;
        for (ours, theirs) in solver.h().iter().zip(theirs.iter()) {
            if *theirs == 0.0 {
                assert!(
                    *ours < f64::EPSILON,
                    "iteration {t}: {ours} where scikit-learn has 0"
                );
                if *ours > 0.0 {
                    clamped += 1;
                    largest_clamped = largest_clamped.max(*ours);
                }
            } else {
                worst_h = worst_h.max((ours - theirs).abs() / theirs);
            }
        }
    }
    println!(
        "kl_zeros, 200 iterations: max relative error W {worst_w:.2e}, H (unclamped) {worst_h:.2e}, \
         D_KL {worst:.2e}; {clamped} entries of H clamped to 0 by scikit-learn are positive here, the largest {largest_clamped:.2e}"
    );
    println!("kl_zeros: the smallest ŷ where y > 0 that an update divides by is {lowest:.3}");
    assert!(lowest >= float32_eps);
    assert!(worst_w < 1e-9 && worst_h < 1e-9 && worst < 1e-9);
    // The difference is real: at the end some entries differ in just this way.
    assert!(clamped > 0);
}

/// The counts of `datasets::word_counts` are Poisson with means WH: over
/// six corpora, their total is within 5 standard deviations of Σ (WH)_mn,
/// and so is the dispersion Σ (y − μ)² / μ of its mean, the number of
/// entries (a Poisson count has variance μ; the dispersion of one entry
/// has variance 2 + 1/μ). Rounded means, with no noise, would fail the
/// second test by far.
#[test]
fn the_corpus_counts_are_poisson() {
    for seed in 0..6 {
        let (y, w, h) = nmf_core::datasets::word_counts(seed);
        let mu = &w * &h;
        assert!(mu.iter().all(|m| *m > 0.0));
        let total = mu.sum();
        assert!((y.sum() - total).abs() < 5.0 * total.sqrt(), "seed {seed}");
        let dispersion: f64 = y
            .iter()
            .zip(mu.iter())
            .map(|(c, m)| (c - m).powi(2) / m)
            .sum();
        let sd = mu.iter().map(|m| 2.0 + 1.0 / m).sum::<f64>().sqrt();
        let cells = y.len() as f64;
        assert!(
            (dispersion - cells).abs() < 5.0 * sd,
            "seed {seed}: {dispersion} vs {cells} ± {sd}"
        );
        let rounded: f64 = mu.iter().map(|m| (m.round() - m).powi(2) / m).sum();
        assert!((rounded - cells).abs() > 5.0 * sd);
    }
}

/// On a problem big enough for the KL passes to run in chunks on threads,
/// one step is still the equations (9.6) and (9.7), to 1e-12 relative,
/// and its divergence is `loss_kl` at the new point.
#[test]
fn the_chunked_passes_are_the_equations() {
    use nmf_core::{update_h_kl, update_w_kl};
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(21);
    let mut draw = |r, c| DMatrix::from_fn(r, c, |_, _| rng.random::<f64>() + 0.01);
    let (y, w, h) = (draw(700, 320), draw(700, 10), draw(10, 320));
    for threads in [1, 3] {
        let nmf = Nmf::new(10)
            .loss(Loss::KullbackLeibler)
            .threads(threads)
            .init(Init::Custom {
                w: w.clone(),
                h: h.clone(),
            });
        let mut solver = nmf.solver(&y).unwrap();
        let d = solver.step().unwrap();
        let w1 = update_w_kl(&y, &w, &h).unwrap();
        let h1 = update_h_kl(&y, &w1, &h).unwrap();
        assert!((solver.w() - &w1).amax() < 1e-12 * w1.amax());
        assert!((solver.h() - &h1).amax() < 1e-12 * h1.amax());
        let exact = loss_kl(&y, &w1, &h1).unwrap();
        assert!((d - exact).abs() < 1e-12 * exact, "{d} against {exact}");
    }
}
