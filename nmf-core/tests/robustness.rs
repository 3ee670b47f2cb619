//! Bad input, awkward data, exact low-rank data and determinism.

mod common;

use common::assert_monotone;
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Algorithm, Factor, Init, Nmf, NmfError, Solver};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// A seeded m × n matrix with entries uniform in [lo, hi).
fn uniform(m: usize, n: usize, lo: f64, hi: f64, seed: u64) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DMatrix::from_fn(m, n, |_, _| lo + (hi - lo) * rng.random::<f64>())
}

fn assert_clean(fit: &nmf_core::Factorization, y: &DMatrix<f64>) {
    assert!(fit
        .w
        .iter()
        .chain(fit.h.iter())
        .all(|v| v.is_finite() && *v >= 0.0));
    assert!(fit.losses.iter().all(|d| d.is_finite() && *d >= 0.0));
    assert_monotone(&fit.losses, y);
}

#[test]
fn negative_entry_is_named() {
    let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, -0.5]);
    let err = Nmf::new(1).fit(&y).unwrap_err();
    assert_eq!(
        err,
        NmfError::NegativeData {
            row: 1,
            col: 1,
            value: -0.5
        }
    );
    let msg = err.to_string();
    assert!(msg.contains("[1, 1]") && msg.contains("-0.5"), "{msg}");
}

#[test]
fn nan_and_infinities_are_refused() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let y = DMatrix::from_row_slice(2, 2, &[1.0, bad, 3.0, 4.0]);
        match Nmf::new(1).fit(&y) {
            Err(NmfError::NonFiniteData {
                row: 0,
                col: 1,
                value,
            }) => {
                assert!(value.is_nan() == bad.is_nan() && (bad.is_nan() || value == bad))
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn empty_data_and_zero_rank_are_refused() {
    assert_eq!(
        Nmf::new(1).fit(&DMatrix::zeros(0, 3)),
        Err(NmfError::EmptyData { rows: 0, cols: 3 })
    );
    assert_eq!(
        Nmf::new(1).fit(&DMatrix::zeros(2, 0)),
        Err(NmfError::EmptyData { rows: 2, cols: 0 })
    );
    assert_eq!(
        Nmf::new(0).fit(&DMatrix::from_row_slice(1, 1, &[1.0])),
        Err(NmfError::ZeroRank)
    );
}

#[test]
fn absurd_sizes_are_refused_not_panicked_on() {
    let y = DMatrix::from_element(3, 2, 1.0);
    assert_eq!(
        Nmf::new(usize::MAX / 2).fit(&y),
        Err(NmfError::TooLarge {
            rank: usize::MAX / 2
        })
    );
    assert_eq!(
        Nmf::new(1 << 40).fit(&y),
        Err(NmfError::TooLarge { rank: 1 << 40 })
    );
    // A huge max_iter is fine: the fit stops at tol long before.
    let fit = Nmf::new(1).max_iter(usize::MAX).tol(1e-3).fit(&y).unwrap();
    assert!(fit.converged);
}

#[test]
fn a_wildly_unbalanced_start_still_descends() {
    // W of order 1e200 and H of order 1e-200: WH is ordinary, but HHᵀ
    // underflows and WᵀW overflows unless the start is rebalanced.
    let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 1.0]);
    for (a, b) in [(1e200, 1e-200), (1e-200, 1e200)] {
        let w = DMatrix::from_row_slice(2, 2, &[a, 0.5 * a, 0.2 * a, a]);
        let h = DMatrix::from_row_slice(2, 2, &[b, 0.3 * b, 0.1 * b, b]);
        let wh = &w * &h;
        let init = Init::Custom { w, h };
        let solver = Nmf::new(2).init(init.clone()).solver(&y).unwrap();
        // Rebalancing changed W and H but not one bit of WH.
        assert_eq!(solver.w() * solver.h(), wh);
        let fit = Nmf::new(2)
            .max_iter(50)
            .tol(0.0)
            .init(init)
            .fit(&y)
            .unwrap();
        assert_clean(&fit, &y);
        assert!(fit.losses[50] < 0.1 * fit.losses[0]);
    }
}

#[test]
fn bad_tolerance_is_refused() {
    for tol in [-1e-3, f64::NAN] {
        assert!(matches!(
            Nmf::new(1)
                .tol(tol)
                .fit(&DMatrix::from_row_slice(1, 1, &[1.0])),
            Err(NmfError::InvalidTol(_))
        ));
    }
}

#[test]
fn custom_start_of_wrong_shape_is_refused() {
    let y = DMatrix::from_element(3, 4, 1.0);
    let init = Init::Custom {
        w: DMatrix::from_element(3, 2, 1.0),
        h: DMatrix::from_element(2, 5, 1.0),
    };
    let err = Nmf::new(2).init(init).fit(&y).unwrap_err();
    assert_eq!(
        err,
        NmfError::InitShape {
            factor: Factor::H,
            expected_rows: 2,
            expected_cols: 4,
            found_rows: 2,
            found_cols: 5
        }
    );
    let init = Init::Custom {
        w: DMatrix::from_element(3, 3, 1.0),
        h: DMatrix::from_element(2, 4, 1.0),
    };
    assert!(matches!(
        Nmf::new(2).init(init).fit(&y),
        Err(NmfError::InitShape {
            factor: Factor::W,
            ..
        })
    ));
}

#[test]
fn negative_non_finite_or_zero_start_is_refused() {
    let y = DMatrix::from_element(2, 2, 1.0);
    let ones = DMatrix::from_element(2, 2, 1.0);
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let mut w = ones.clone();
        w[(1, 0)] = bad;
        let err = Nmf::new(2)
            .init(Init::Custom { w, h: ones.clone() })
            .fit(&y)
            .unwrap_err();
        assert!(
            matches!(
                err,
                NmfError::InitEntry {
                    factor: Factor::W,
                    row: 1,
                    col: 0,
                    ..
                }
            ),
            "{err:?}"
        );
    }
    let err = Nmf::new(2)
        .init(Init::Custom {
            w: ones.clone(),
            h: DMatrix::zeros(2, 2),
        })
        .fit(&y)
        .unwrap_err();
    assert_eq!(err, NmfError::InitAllZero { factor: Factor::H });
}

#[test]
fn mismatched_shapes_give_errors_not_panics() {
    let (y, w, h) = (
        DMatrix::from_element(3, 4, 1.0),
        DMatrix::from_element(3, 2, 1.0),
        DMatrix::from_element(3, 4, 1.0),
    );
    assert!(matches!(
        nmf_core::loss(&y, &w, &h),
        Err(NmfError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        nmf_core::update_w(&y, &w, &h),
        Err(NmfError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        nmf_core::update_h(&y, &w, &h),
        Err(NmfError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        nmf_core::lambda(&w, &h),
        Err(NmfError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        nmf_core::auxiliary(&y, &w, &h, &w, &h),
        Err(NmfError::ShapeMismatch { .. })
    ));
    assert!(matches!(
        nmf_core::grad_w(&y, &w, &h),
        Err(NmfError::ShapeMismatch { .. })
    ));
    let mut ws = nmf_core::Workspace::new(3, 4, 3);
    let mut w3 = DMatrix::from_element(3, 3, 1.0);
    assert!(matches!(
        ws.update_w(&y, &mut w3, &DMatrix::from_element(2, 4, 1.0)),
        Err(NmfError::ShapeMismatch { .. })
    ));
}

#[test]
fn a_start_whose_loss_overflows_is_refused() {
    let y = DMatrix::from_element(2, 2, 1e200);
    assert!(matches!(
        Nmf::new(1).fit(&y),
        Err(NmfError::LossOverflow(_))
    ));
}

#[test]
fn zero_rows_and_columns_stay_finite() {
    let mut y = uniform(12, 9, 0.0, 3.0, 1);
    y.row_mut(4).fill(0.0);
    y.column_mut(7).fill(0.0);
    for k in [1, 3, 9, 15] {
        let fit = Nmf::new(k).max_iter(300).tol(0.0).seed(5).fit(&y).unwrap();
        assert_clean(&fit, &y);
        // A zero row of Y is a zero row of the reconstruction in the limit.
        assert!((&fit.w * &fit.h).row(4).amax() < 1e-3, "k = {k}");
    }
    let zero = DMatrix::zeros(4, 5);
    let fit = Nmf::new(2).fit(&zero).unwrap();
    assert_clean(&fit, &zero);
    assert_eq!(fit.losses[fit.n_iter], 0.0);
}

#[test]
fn extreme_scales_stay_finite_and_equivariant() {
    let y = uniform(20, 15, 0.0, 1.0, 2);
    let base = Nmf::new(4).max_iter(100).tol(0.0).seed(3).fit(&y).unwrap();
    for scale in [1e-150, 1e150] {
        let ys = &y * scale;
        let fit = Nmf::new(4).max_iter(100).tol(0.0).seed(3).fit(&ys).unwrap();
        assert_clean(&fit, &ys);
        // D(sY) = s² D(Y) at every iteration: the updates do not care about scale.
        for (a, b) in fit.losses.iter().zip(&base.losses) {
            assert!(
                ((a / (scale * scale)) - b).abs() <= 1e-9 * b,
                "{scale:e}: {a:e} vs {b:e}"
            );
        }
    }
}

#[test]
fn exact_low_rank_data_is_recovered() {
    // Y = W* H* with positive factors: rank 3 data, fitted at rank 3.
    let (w_star, h_star) = (uniform(30, 3, 0.1, 1.0, 10), uniform(3, 20, 0.1, 1.0, 11));
    let y = &w_star * &h_star;
    let fit = Nmf::new(3).max_iter(3000).tol(0.0).seed(4).fit(&y).unwrap();
    let relative = fit.losses[fit.n_iter] / y.norm_squared();
    println!(
        "exact rank-3 data: relative loss {relative:.2e} after {} iterations",
        fit.n_iter
    );
    // The bound the book states for this experiment.
    assert!(relative < 1e-12, "relative loss {relative:e}");
    assert_clean(&fit, &y);
}

#[test]
fn same_seed_same_bits_other_seed_other_bits() {
    let y = uniform(10, 8, 0.0, 2.0, 6);
    let a = Nmf::new(3).seed(42).fit(&y).unwrap();
    let b = Nmf::new(3).seed(42).fit(&y).unwrap();
    let bits = |m: &DMatrix<f64>| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!((bits(&a.w), bits(&a.h)), (bits(&b.w), bits(&b.h)));
    assert_eq!(
        a.losses.iter().map(|d| d.to_bits()).collect::<Vec<_>>(),
        b.losses.iter().map(|d| d.to_bits()).collect::<Vec<_>>()
    );
    let c = Nmf::new(3).seed(43).fit(&y).unwrap();
    assert_ne!(bits(&a.w), bits(&c.w));
}

#[test]
fn random_start_has_the_documented_scale() {
    // Entries a·u with u uniform on (0, 2] and a = sqrt(mean(Y) / k): the
    // start's entries average a and none is zero.
    let y = uniform(200, 150, 0.0, 8.0, 7);
    let k = 5;
    let solver = Nmf::new(k).seed(9).solver(&y).unwrap();
    let a = (y.mean() / k as f64).sqrt();
    for x in [solver.w(), solver.h()] {
        assert!(x.iter().all(|v| *v > 0.0 && *v <= 2.0 * a));
        assert!(
            (x.mean() - a).abs() < 0.05 * a,
            "mean {} vs a {a}",
            x.mean()
        );
    }
}

#[test]
fn tol_stops_early_and_zero_tol_runs_every_iteration() {
    let y = uniform(15, 10, 0.0, 1.0, 8);
    let all = Nmf::new(2).max_iter(300).tol(0.0).fit(&y).unwrap();
    assert_eq!(
        (all.n_iter, all.losses.len(), all.converged),
        (300, 301, false)
    );
    let early = Nmf::new(2).max_iter(300).tol(1e-3).fit(&y).unwrap();
    assert!(early.converged && early.n_iter < 300);
    let t = early.n_iter;
    let (before, after) = (early.losses[t - 1], early.losses[t]);
    assert!(before - after <= 1e-3 * before);
    // Every earlier iteration decreased by more than tol.
    assert!(early.losses[..t]
        .windows(2)
        .all(|p| p[0] - p[1] > 1e-3 * p[0]));
    let none = Nmf::new(2).max_iter(0).fit(&y).unwrap();
    assert_eq!((none.n_iter, none.losses.len()), (0, 1));
}

#[test]
fn a_dead_component_keeps_its_weights_and_the_loss_does_not_rise() {
    // Row 1 of H is zero, so every denominator (WHHᵀ)_m1 is zero.
    let y = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 2.0, 1.0, 0.5, 0.5]);
    let w = DMatrix::from_row_slice(3, 2, &[1.0, 0.7, 0.5, 0.3, 0.2, 0.9]);
    let h = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 0.0, 0.0]);
    let mut solver = Solver::new(&y, w.clone(), h).unwrap();
    let before = solver.loss();
    solver.step().unwrap();
    assert_eq!(solver.w().column(1), w.column(1));
    assert!(solver.loss() <= before);
    assert!(solver.h().row(1).iter().all(|v| *v == 0.0));
}

#[test]
fn data_sets_are_seeded_non_negative_and_have_the_stated_noise() {
    use nmf_core::datasets::{cos2, line};
    assert_eq!(cos2(80, 32), cos2(80, 32));
    assert_ne!(cos2(80, 32), cos2(80, 33));
    // Large samples: x is uniform on its interval, the noise has mean 0 and
    // the stated standard deviation.
    for (y, (lo, hi), f, sigma) in [
        (
            cos2(20_000, 1),
            (0.2, 4.2),
            (|x: f64| x.cos().powi(2) + 1.0) as fn(f64) -> f64,
            0.1,
        ),
        (line(20_000, 2), (0.0, 4.0), |x: f64| 0.5 * x + 1.0, 0.2),
    ] {
        assert!(y.iter().all(|v| *v >= 0.0));
        let xs = y.column(0);
        assert!(xs.iter().all(|x| (lo..hi).contains(x)));
        assert!((xs.mean() - (lo + hi) / 2.0).abs() < 0.05);
        let noise: Vec<f64> = y.row_iter().map(|p| p[1] - f(p[0])).collect();
        let mean = noise.iter().sum::<f64>() / noise.len() as f64;
        let sd =
            (noise.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / noise.len() as f64).sqrt();
        assert!(
            mean.abs() < 0.01 && (sd / sigma - 1.0).abs() < 0.03,
            "mean {mean}, sd {sd}"
        );
    }
}

#[test]
fn bad_floors_are_refused() {
    let y = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    for bad in [-1e-9, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        match Nmf::new(1).floor(bad).fit(&y) {
            Err(NmfError::InvalidFloor(v)) => assert!(v.is_nan() == bad.is_nan()),
            other => panic!("floor {bad}: {other:?}"),
        }
    }
    let msg = NmfError::InvalidFloor(-1.0).to_string();
    assert!(msg.contains("-1") && msg.contains("floor"), "{msg}");
}

/// Chapter 4: a fixed point that the plain updates cannot leave, because an
/// entry the gradient wants to grow is exactly zero, and that the floor
/// leaves.
#[test]
fn the_floor_leaves_a_fixed_point_with_a_dead_component() {
    let y = DMatrix::identity(2, 2);
    let w = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 1.0, 0.0]);
    let h = DMatrix::from_row_slice(2, 2, &[0.5, 0.5, 1.0, 0.0]);
    let fit = |eps: f64| {
        Nmf::new(2)
            .max_iter(500)
            .tol(0.0)
            .floor(eps)
            .init(Init::Custom {
                w: w.clone(),
                h: h.clone(),
            })
            .fit(&y)
            .unwrap()
    };
    let plain = fit(0.0);
    assert!(plain.losses.iter().all(|d| *d == 1.0));
    assert_eq!((plain.w.clone(), plain.h.clone()), (w.clone(), h.clone()));
    let floored = fit(1e-6);
    assert_monotone(&floored.losses, &y);
    assert!(floored.losses[500] < 1e-3, "{}", floored.losses[500]);
}

/// The big products are cut into the same blocks for any number of
/// threads, so a fit gives the same bits on 1, 2 or 3 threads; here on a
/// problem large enough that the products do run on several threads.
#[test]
fn the_same_bits_on_any_number_of_threads() {
    let y = uniform(700, 300, 0.0, 4.0, 11);
    for algorithm in [Algorithm::Mu, Algorithm::Hals] {
        let nmf = Nmf::new(12)
            .max_iter(5)
            .tol(0.0)
            .seed(3)
            .algorithm(algorithm);
        assert_same_bits_on_1_2_and_3_threads(&y, &nmf);
    }
}

/// Fits `y` with `nmf` on 1, 2 and 3 threads: the three fits must be the
/// same to the bit.
fn assert_same_bits_on_1_2_and_3_threads(y: &DMatrix<f64>, nmf: &Nmf) {
    let fit = |threads: usize| nmf.clone().threads(threads).fit(y).unwrap();
    let one = fit(1);
    for threads in [2, 3] {
        assert_eq!(fit(threads), one, "{nmf:?} on {threads} threads");
    }
}

/// The coordinate sweeps of HALS are cut into row blocks over threads too,
/// once they are large enough (here 3000 rows at K = 27); with inner
/// iterations the stopping rule sums the blocks' changes in a fixed order,
/// so the bits still do not depend on the thread count, for HALS or for
/// the multiplicative updates.
#[test]
fn inner_iterations_give_the_same_bits_on_any_number_of_threads() {
    let y = uniform(3000, 120, 0.0, 4.0, 12);
    for algorithm in [Algorithm::Hals, Algorithm::Mu] {
        let nmf = Nmf::new(27)
            .max_iter(3)
            .tol(0.0)
            .seed(5)
            .algorithm(algorithm);
        assert_same_bits_on_1_2_and_3_threads(&y, &nmf.inner_iterations(4));
    }
}

/// Each product must be used at least once.
#[test]
fn zero_inner_iterations_is_an_error() {
    let y = uniform(4, 3, 0.0, 1.0, 1);
    let err = Nmf::new(2).inner_iterations(0).fit(&y).unwrap_err();
    assert_eq!(err, NmfError::ZeroInnerIterations);
}

/// The loss must be computed at least after the last iteration.
#[test]
fn zero_loss_every_is_an_error() {
    let y = uniform(4, 3, 0.0, 1.0, 1);
    let err = Nmf::new(2).loss_every(0).fit(&y).unwrap_err();
    assert_eq!(err, NmfError::ZeroLossEvery);
    assert!(err.to_string().contains("loss_every"));
}

/// Skipping losses changes no iterate: on a small problem and on one big
/// enough for the fused pass, for both algorithms and the KL updates, the
/// fit with `loss_every(n)` ends on the same bits as the plain fit, its
/// history is the plain history at `loss_at`, and the observer sees
/// exactly those iterates; the same bits on 1, 2 and 3 threads.
#[test]
fn losses_every_n_iterations_are_the_same_iterates() {
    for (m, n, k) in [(30, 20, 3), (700, 320, 10)] {
        let y = uniform(m, n, 0.0, 4.0, 13);
        for (algorithm, loss) in [
            (Algorithm::Mu, nmf_core::Loss::Frobenius),
            (Algorithm::Hals, nmf_core::Loss::Frobenius),
            (Algorithm::Mu, nmf_core::Loss::KullbackLeibler),
        ] {
            let nmf = Nmf::new(k)
                .max_iter(23)
                .tol(0.0)
                .seed(4)
                .algorithm(algorithm)
                .loss(loss);
            let every = nmf.fit(&y).unwrap();
            for n in [1, 5, 10, 23, 40] {
                let mut seen = Vec::new();
                let some = nmf
                    .clone()
                    .loss_every(n)
                    .fit_with(&y, &mut |s: &nmf_core::State| seen.push((s.iter, s.loss)))
                    .unwrap();
                assert_eq!((&some.w, &some.h, some.n_iter), (&every.w, &every.h, 23));
                let expected: Vec<usize> = (0..23).step_by(n).chain([23]).collect();
                assert_eq!(some.loss_at, expected, "every {n}");
                let history: Vec<f64> = expected.iter().map(|&t| every.losses[t]).collect();
                assert_eq!(some.losses, history);
                let watched: Vec<(usize, f64)> = expected.iter().copied().zip(history).collect();
                assert_eq!(seen, watched);
            }
            assert_same_bits_on_1_2_and_3_threads(&y, &nmf.clone().loss_every(10));
        }
    }
}

/// With `loss_every(n)`, `tol` compares each computed loss with the one
/// computed n iterations earlier: the fit stops at the first check whose
/// drop is at most tol times the loss before it, a multiple of n.
#[test]
fn tol_with_losses_every_n_iterations_compares_checks() {
    let y = uniform(40, 30, 0.0, 4.0, 14);
    let every = Nmf::new(4).max_iter(500).tol(0.0).seed(1).fit(&y).unwrap();
    let tol = 1e-3;
    let fit = Nmf::new(4)
        .max_iter(500)
        .tol(tol)
        .seed(1)
        .loss_every(10)
        .fit(&y)
        .unwrap();
    assert!(fit.converged);
    let stop = (1..)
        .map(|c| 10 * c)
        .find(|&t| every.losses[t - 10] - every.losses[t] <= tol * every.losses[t - 10])
        .unwrap();
    assert_eq!(fit.n_iter, stop);
    assert_eq!(*fit.loss_at.last().unwrap(), stop);
}
