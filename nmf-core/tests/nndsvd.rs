//! The starts of chapter 8: NNDSVD and its filled variants against
//! scikit-learn's algorithm (fixtures written by tools/sklearn_nndsvd.py,
//! see tests/fixtures/README.json), their properties over random shapes
//! and values, the best scale α*, and the rank error.

mod common;

use common::{fixture, matrix};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{
    best_scale, loss, nndsvd, nndsvd_a, nndsvd_ar, truncated_svd, Init, Nmf, NmfError, Solver,
};
use proptest::prelude::*;

/// max |a − b| / max |b|: the error relative to the largest entry, so that
/// entries near zero are held to the same absolute standard as the rest.
fn scaled_err(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    (a - b).amax() / b.amax()
}

/// Errors in a line, as 1.2e-3.
fn show(errors: &[f64]) -> String {
    let shown: Vec<String> = errors.iter().map(|e| format!("{e:.1e}")).collect();
    shown.join(", ")
}

/// The same algorithm as scikit-learn, on NumPy's exact SVD: the two exact
/// SVDs differ only by rounding, so the starts must agree to this.
const EXACT: f64 = 1e-10;

/// scikit-learn's own `_initialize_nmf` computes a randomized SVD
/// (random_state=0, 10 oversamples, 4 power iterations here): its singular
/// vectors, and so its start, are off by about 10⁻⁶ (README.json: 4.4e-6
/// and 1.8e-6 against the exact SVD).
const RANDOMIZED: f64 = 1e-5;

#[test]
fn nndsvd_matches_sklearns_algorithm_on_the_exact_svd() {
    for case in ["tall", "wide"] {
        let y = fixture(&format!("nndsvd_{case}_Y.csv"));
        let load = |name: &str| fixture(&format!("nndsvd_{case}_{name}.csv"));
        let (w, h) = nndsvd(&y, 5).unwrap();
        let (wa, ha) = nndsvd_a(&y, 5).unwrap();
        let errors = [
            scaled_err(&w, &load("W")),
            scaled_err(&h, &load("H")),
            scaled_err(&wa, &load("Wa")),
            scaled_err(&ha, &load("Ha")),
        ];
        println!(
            "{case}: NNDSVD W, H and NNDSVDa W, H against the exact-SVD fixture: {}",
            show(&errors)
        );
        assert!(
            errors.iter().all(|e| *e < EXACT),
            "{case}: {}",
            show(&errors)
        );
        // The zeros are where the fixture has them: a zero is a choice of
        // the algorithm, not a small number.
        for (ours, theirs) in [(&w, load("W")), (&h, load("H"))] {
            assert!(ours
                .iter()
                .zip(theirs.iter())
                .all(|(a, b)| (*a == 0.0) == (*b == 0.0)));
        }
        let against_sklearn = [
            scaled_err(&w, &load("sklearn_W")),
            scaled_err(&h, &load("sklearn_H")),
            scaled_err(&wa, &load("sklearn_Wa")),
            scaled_err(&ha, &load("sklearn_Ha")),
        ];
        println!(
            "{case}: against scikit-learn's own (randomized SVD): {}",
            show(&against_sklearn)
        );
        assert!(
            against_sklearn.iter().all(|e| *e < RANDOMIZED),
            "{case}: {}",
            show(&against_sklearn)
        );
        // ...and not to the exact standard: the randomized SVD shows.
        assert!(against_sklearn.iter().any(|e| *e > 100.0 * EXACT));
    }
}

#[test]
fn the_fixtures_take_the_negative_part_somewhere() {
    // Both branches of the dominant-part choice are exercised: on each
    // fixture some pair keeps u⁻v⁻ᵀ, and some later pair keeps u⁺v⁺ᵀ.
    for case in ["tall", "wide"] {
        let y = fixture(&format!("nndsvd_{case}_Y.csv"));
        let (u, _, v_t) = truncated_svd(&y, 5).unwrap();
        let (pos, neg) = parts(&u, &v_t);
        assert!((1..5).any(|j| neg[j] >= pos[j]), "{case}");
        assert!((1..5).any(|j| pos[j] > neg[j]), "{case}");
    }
}

#[test]
fn init_variants_are_the_functions() {
    let y = fixture("nndsvd_tall_Y.csv");
    let start = |init: Init, seed: u64| {
        let solver = Nmf::new(5).init(init).seed(seed).solver(&y).unwrap();
        (solver.w().clone(), solver.h().clone())
    };
    assert_eq!(start(Init::Nndsvd, 3), nndsvd(&y, 5).unwrap());
    assert_eq!(start(Init::NndsvdA, 3), nndsvd_a(&y, 5).unwrap());
    assert_eq!(start(Init::NndsvdAr, 3), nndsvd_ar(&y, 5, 3).unwrap());
    // NNDSVD and NNDSVDa ignore the seed; NNDSVDar does not.
    assert_eq!(start(Init::Nndsvd, 3), start(Init::Nndsvd, 4));
    assert_eq!(start(Init::NndsvdA, 3), start(Init::NndsvdA, 4));
    assert_ne!(start(Init::NndsvdAr, 3), start(Init::NndsvdAr, 4));
}

#[test]
fn a_rank_above_min_m_n_is_an_error_for_the_nndsvd_family_only() {
    let y = DMatrix::from_fn(4, 3, |m, n| (1 + m + 2 * n) as f64);
    let expected = NmfError::RankAboveMinDim {
        rank: 4,
        rows: 4,
        cols: 3,
    };
    assert_eq!(nndsvd(&y, 4).unwrap_err(), expected);
    assert_eq!(nndsvd_a(&y, 4).unwrap_err(), expected);
    assert_eq!(nndsvd_ar(&y, 4, 1).unwrap_err(), expected);
    assert_eq!(truncated_svd(&y, 4).unwrap_err(), expected);
    for init in [Init::Nndsvd, Init::NndsvdA, Init::NndsvdAr] {
        assert_eq!(Nmf::new(4).init(init).fit(&y).unwrap_err(), expected);
    }
    // The message names the rank and the shape.
    assert!(expected.to_string().contains("rank 4") && expected.to_string().contains("4 x 3"));
    // The random start accepts it, and so does the transpose at rank 3.
    assert!(Nmf::new(4).init(Init::Random).fit(&y).is_ok());
    assert!(nndsvd(&y.transpose(), 3).is_ok());
}

#[test]
fn bad_data_give_typed_errors() {
    let mut y = DMatrix::from_element(3, 3, 1.0);
    assert_eq!(nndsvd(&y, 0).unwrap_err(), NmfError::ZeroRank);
    y[(1, 2)] = -0.5;
    assert!(matches!(
        nndsvd(&y, 1).unwrap_err(),
        NmfError::NegativeData { row: 1, col: 2, .. }
    ));
    y[(1, 2)] = f64::NAN;
    assert!(matches!(
        nndsvd_a(&y, 1).unwrap_err(),
        NmfError::NonFiniteData { row: 1, col: 2, .. }
    ));
    assert!(matches!(
        best_scale(
            &y,
            &DMatrix::from_element(3, 1, 1.0),
            &DMatrix::from_element(1, 3, 1.0)
        ),
        Err(NmfError::NonFiniteData { .. })
    ));
    let empty = DMatrix::<f64>::zeros(0, 3);
    assert!(matches!(
        nndsvd(&empty, 1).unwrap_err(),
        NmfError::EmptyData { .. }
    ));
    let ok = DMatrix::from_element(3, 3, 1.0);
    assert!(matches!(
        best_scale(
            &ok,
            &DMatrix::from_element(3, 2, 1.0),
            &DMatrix::from_element(1, 3, 1.0)
        ),
        Err(NmfError::ShapeMismatch { .. })
    ));
    let mut w = DMatrix::from_element(3, 1, 1.0);
    w[(2, 0)] = f64::INFINITY;
    assert!(matches!(
        best_scale(&ok, &w, &DMatrix::from_element(1, 3, 1.0)),
        Err(NmfError::InitEntry { row: 2, col: 0, .. })
    ));
}

#[test]
fn zero_and_rank_deficient_data_give_finite_starts_and_fits() {
    // Y = 0: every singular value is 0, and every start is 0.
    let zero = DMatrix::zeros(4, 3);
    let (w, h) = nndsvd(&zero, 2).unwrap();
    assert!(w.iter().chain(h.iter()).all(|v| *v == 0.0));
    for init in [Init::Nndsvd, Init::NndsvdA, Init::NndsvdAr] {
        let fit = Nmf::new(2)
            .init(init)
            .tol(0.0)
            .max_iter(5)
            .fit(&zero)
            .unwrap();
        assert!(fit.losses.iter().all(|d| *d == 0.0));
    }
    // A rank-1 Y at k = 3: the second and third singular values are
    // rounding, and their components are zero rather than noise.
    let y = DMatrix::from_fn(5, 4, |m, n| ((m + 1) * (n + 2)) as f64);
    let (w, h) = nndsvd(&y, 3).unwrap();
    assert!(w
        .columns(1, 2)
        .iter()
        .chain(h.rows(1, 2).iter())
        .all(|v| *v == 0.0));
    // The first component alone is Y, up to rounding.
    assert!((&w * &h - &y).amax() < 1e-12 * y.amax());
    // From there the updates stay at the bottom; from the filled start
    // they go down, finite all the way.
    let exact = Nmf::new(3)
        .init(Init::Nndsvd)
        .tol(0.0)
        .max_iter(50)
        .fit(&y)
        .unwrap();
    assert!(exact.losses.iter().all(|d| *d < 1e-20 * y.norm_squared()));
    let filled = Nmf::new(3)
        .init(Init::NndsvdA)
        .tol(0.0)
        .max_iter(50)
        .fit(&y)
        .unwrap();
    assert!(filled
        .w
        .iter()
        .chain(filled.h.iter())
        .all(|v| v.is_finite()));
    common::assert_monotone(&filled.losses, &y);
    assert!(filled.losses[50] < 1e-2 * filled.losses[0]);
}

#[test]
fn huge_and_tiny_data_give_finite_starts() {
    let base = DMatrix::from_fn(6, 5, |m, n| (1 + (3 * m + 2 * n) % 7) as f64);
    for scale in [1e300, 1e-300, 1e-310] {
        let y = &base * scale;
        for (w, h) in [
            nndsvd(&y, 4).unwrap(),
            nndsvd_a(&y, 4).unwrap(),
            nndsvd_ar(&y, 4, 9).unwrap(),
        ] {
            assert!(w.iter().chain(h.iter()).all(|v| v.is_finite() && *v >= 0.0));
            assert!(w.amax() > 0.0 && h.amax() > 0.0, "scale {scale:e}");
        }
    }
}

#[test]
fn best_scale_of_zero_is_one_and_huge_values_do_not_overflow() {
    let y = DMatrix::from_element(2, 2, 1.0);
    let zero_w = DMatrix::zeros(2, 1);
    let h = DMatrix::from_element(1, 2, 1.0);
    assert_eq!(best_scale(&y, &zero_w, &h).unwrap(), 1.0);
    // WH = 10³⁰⁰ everywhere against Y = 10³⁰⁰ / 2: ‖WH‖² overflows if
    // computed directly, α* = 1/2 does not.
    let big = DMatrix::from_element(2, 2, 0.5e300);
    let w = DMatrix::from_element(2, 1, 1e150);
    let h = DMatrix::from_element(1, 2, 1e150);
    let alpha = best_scale(&big, &w, &h).unwrap();
    assert!((alpha - 0.5).abs() < 1e-15);
}

/// The norms m⁺ = ‖u⁺‖‖v⁺‖ and m⁻ = ‖u⁻‖‖v⁻‖ of every pair, computed as
/// `nndsvd` computes them.
fn parts(u: &DMatrix<f64>, v_t: &DMatrix<f64>) -> (Vec<f64>, Vec<f64>) {
    (0..u.ncols())
        .map(|j| {
            let (x, v) = (u.column(j), v_t.row(j).transpose());
            let pos = x.map(|a| a.max(0.0)).norm() * v.map(|a| a.max(0.0)).norm();
            let neg = x.map(|a| (-a).max(0.0)).norm() * v.map(|a| (-a).max(0.0)).norm();
            (pos, neg)
        })
        .unzip()
}

/// Whether NNDSVD at rank k is well determined on Y, so that rounding
/// cannot change it: the first k + 1 singular values are apart (else the
/// singular vectors are not unique) and each of the k − 1 choices
/// between u⁺v⁺ᵀ and u⁻v⁻ᵀ is clear. Random data nearly always pass.
fn well_determined(y: &DMatrix<f64>, k: usize) -> bool {
    let all = y.nrows().min(y.ncols());
    let (u, sigma, v_t) = truncated_svd(y, all).unwrap();
    let gaps = (0..k.min(all - 1)).all(|j| sigma[j] - sigma[j + 1] > 1e-4 * sigma[0]);
    let (pos, neg) = parts(&u, &v_t);
    let choices = (1..k).all(|j| (pos[j] - neg[j]).abs() > 1e-6);
    gaps && choices
}

/// A Y of m × n entries drawn from (0.01, 10), with m, n from 1 to 10, and
/// a rank k from 1 to min(m, n).
fn data_and_rank() -> impl Strategy<Value = (DMatrix<f64>, usize)> {
    (1..=10usize, 1..=10usize).prop_flat_map(|(m, n)| {
        (
            proptest::collection::vec(0.01..10.0f64, m * n)
                .prop_map(move |v| DMatrix::from_vec(m, n, v)),
            1..=m.min(n),
        )
    })
}

/// Y with zeros (one entry in four) and a rank from 1 to min(m, n).
fn sparse_data_and_rank() -> impl Strategy<Value = (DMatrix<f64>, usize)> {
    (1..=10usize, 1..=10usize).prop_flat_map(|(m, n)| (matrix(m, n), 1..=m.min(n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// NNDSVD(cY) = √c · NNDSVD(Y): the singular values scale by c, the
    /// vectors not at all, and each component by √(σ_j c m) / √(σ_j m).
    #[test]
    fn scaling_y_scales_nndsvd_by_its_square_root((y, k) in data_and_rank(), log_c in -6.0..6.0f64) {
        prop_assume!(well_determined(&y, k));
        let c = 10f64.powf(log_c);
        let (w, h) = nndsvd(&y, k).unwrap();
        let (wc, hc) = nndsvd(&(&y * c), k).unwrap();
        let root = c.sqrt();
        prop_assert!(scaled_err(&wc, &(&w * root)) < 1e-9, "W: {:e}", scaled_err(&wc, &(&w * root)));
        prop_assert!(scaled_err(&hc, &(&h * root)) < 1e-9, "H: {:e}", scaled_err(&hc, &(&h * root)));
    }

    /// NNDSVD(Yᵀ) = (Hᵀ, Wᵀ): transposing swaps the singular vectors, and
    /// the construction treats u and v alike.
    #[test]
    fn transposing_y_swaps_and_transposes_the_factors((y, k) in data_and_rank()) {
        prop_assume!(well_determined(&y, k));
        let (w, h) = nndsvd(&y, k).unwrap();
        let (wt, ht) = nndsvd(&y.transpose(), k).unwrap();
        prop_assert!(scaled_err(&wt, &h.transpose()) < 1e-9, "{:e}", scaled_err(&wt, &h.transpose()));
        prop_assert!(scaled_err(&ht, &w.transpose()) < 1e-9, "{:e}", scaled_err(&ht, &w.transpose()));
    }

    /// Each component is σ_j times the kept part of its pair, shared evenly:
    /// w_j h_jᵀ = σ_j u^± v^±ᵀ and ‖w_j‖ = ‖h_j‖. Everything is finite and
    /// ≥ 0, on data with zeros too, and the same Y gives the same bits.
    #[test]
    fn components_are_the_dominant_parts((y, k) in sparse_data_and_rank()) {
        let (w, h) = nndsvd(&y, k).unwrap();
        prop_assert_eq!((w.shape(), h.shape()), ((y.nrows(), k), (k, y.ncols())));
        prop_assert!(w.iter().chain(h.iter()).all(|v| v.is_finite() && *v >= 0.0));
        prop_assert_eq!(nndsvd(&y, k).unwrap(), (w.clone(), h.clone()));
        let (u, sigma, v_t) = truncated_svd(&y, k).unwrap();
        let (pos, neg) = parts(&u, &v_t);
        let scale = y.amax().max(f64::MIN_POSITIVE);
        for j in 0..k {
            let product = w.column(j) * h.row(j);
            let rounding = sigma[0] * y.nrows().max(y.ncols()) as f64 * f64::EPSILON;
            let expected = if sigma[j] <= rounding {
                DMatrix::zeros(y.nrows(), y.ncols())
            } else if j == 0 {
                u.column(j).abs() * v_t.row(j).abs() * sigma[0]
            } else if pos[j] > neg[j] {
                u.column(j).map(|a| a.max(0.0)) * v_t.row(j).map(|a| a.max(0.0)) * sigma[j]
            } else {
                u.column(j).map(|a| (-a).max(0.0)) * v_t.row(j).map(|a| (-a).max(0.0)) * sigma[j]
            };
            prop_assert!((&product - &expected).amax() <= 1e-12 * scale, "component {}", j);
            let (nw, nh) = (w.column(j).norm(), h.row(j).norm());
            prop_assert!((nw - nh).abs() <= 1e-12 * nw.max(1.0));
        }
    }

    /// NNDSVDa keeps every non-zero entry of NNDSVD and puts mean(Y) in
    /// every zero; NNDSVDar puts a value of (0, mean(Y)/100] there instead,
    /// the same for the same seed.
    #[test]
    fn the_variants_fill_exactly_the_zeros((y, k) in sparse_data_and_rank(), seed in any::<u64>()) {
        let (w, h) = nndsvd(&y, k).unwrap();
        let (wa, ha) = nndsvd_a(&y, k).unwrap();
        let (wr, hr) = nndsvd_ar(&y, k, seed).unwrap();
        prop_assert_eq!(nndsvd_ar(&y, k, seed).unwrap(), (wr.clone(), hr.clone()));
        let mean = y.mean();
        let all = |a: &DMatrix<f64>, b: &DMatrix<f64>| a.iter().chain(b.iter()).copied().collect::<Vec<_>>();
        let (base, filled_a, filled_r) = (all(&w, &h), all(&wa, &ha), all(&wr, &hr));
        for ((b, a), r) in base.iter().zip(&filled_a).zip(&filled_r) {
            if *b == 0.0 {
                prop_assert!((a - mean).abs() <= 1e-12 * mean);
                prop_assert!(*r > 0.0 && *r <= mean / 100.0 * (1.0 + 1e-12) || mean == 0.0);
            } else {
                prop_assert!(a == b && r == b);
            }
        }
    }

    /// α* minimises ‖Y − αWH‖² over α, and the saving is ‖WH‖²(α* − 1)².
    #[test]
    fn best_scale_minimises_and_saves_what_it_says((y, k) in sparse_data_and_rank(), seed in any::<u64>(), dalpha in -1.0..1.0f64) {
        let (w, h) = nndsvd_ar(&y, k, seed).unwrap();
        let alpha = best_scale(&y, &w, &h).unwrap();
        let d = |a: f64| loss(&y, &(&w * a), &h).unwrap();
        let slack = 1e-12 * (y.norm_squared() + (&w * &h).norm_squared());
        prop_assert!(d(alpha) <= d(alpha + dalpha) + slack);
        let saving = (&w * &h).norm_squared() * (alpha - 1.0).powi(2);
        prop_assert!((d(1.0) - d(alpha) - saving).abs() <= slack * 10.0);
    }

    /// The multiplicative updates forget the scale of the start: from
    /// (cW, H) and from (W, H), one iteration gives the same WH.
    #[test]
    fn one_iteration_forgets_the_scale_of_the_start((y, k) in sparse_data_and_rank(), seed in any::<u64>(), log_c in -3.0..3.0f64) {
        prop_assume!(y.amax() > 0.0);
        let (w, h) = nndsvd_ar(&y, k, seed).unwrap();
        let c = 10f64.powf(log_c);
        let mut plain = Solver::new(&y, w.clone(), h.clone()).unwrap();
        let mut scaled = Solver::new(&y, w * c, h).unwrap();
        plain.step().unwrap();
        scaled.step().unwrap();
        let (a, b) = (plain.w() * plain.h(), scaled.w() * scaled.h());
        prop_assert!((&a - &b).amax() <= 1e-9 * y.amax(), "{:e}", (&a - &b).amax());
    }
}
