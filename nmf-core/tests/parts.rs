//! Chapter 10, learning parts: the swimmer and digits data, fold-in
//! (`Nmf::transform`) against its reference loops and against
//! scikit-learn, the display normalisation and the matching of parts.

mod common;

use common::{fixture, matrix, positive};
use nmf_core::datasets::{digits, swimmer, swimmer_parts};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{
    hals_update_w, loss, loss_kl, match_parts, normalise, update_w, update_w_kl, Algorithm, Factor,
    Loss, Nmf, NmfError, RowScale, Workspace,
};
use proptest::prelude::*;

/// The largest entry-wise difference, relative to the largest entry of `b`.
fn gap(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    (a - b).amax() / b.amax().max(f64::MIN_POSITIVE)
}

/// The constant start of fold-in: √(mean(Y) / k) everywhere.
fn start(y: &DMatrix<f64>, k: usize) -> DMatrix<f64> {
    DMatrix::from_element(y.nrows(), k, (y.mean() / k as f64).sqrt())
}

// ---- the data ----

#[test]
fn the_swimmer_parts_are_disjoint_and_make_every_pose_once() {
    let (w, h) = swimmer_parts();
    let y = swimmer();
    assert_eq!(y, &w * &h);
    // No pixel belongs to two parts; the torso has 36, each limb 7.
    for p in 0..1024 {
        assert!(h.column(p).sum() <= 1.0);
    }
    assert_eq!(h.row(16).sum(), 36.0);
    assert!((0..16).all(|k| h.row(k).sum() == 7.0));
    // Every image: the torso and one position of each limb...
    for m in 0..256 {
        assert_eq!(w[(m, 16)], 1.0);
        for limb in 0..4 {
            assert_eq!(w.row(m).columns(4 * limb, 4).sum(), 1.0);
        }
    }
    // ...and the 256 images are the 4⁴ different poses.
    let mut rows: Vec<Vec<u8>> = y
        .row_iter()
        .map(|r| r.iter().map(|v| *v as u8).collect())
        .collect();
    rows.sort();
    rows.dedup();
    assert_eq!(rows.len(), 256);
}

#[test]
fn the_swimmer_has_rank_13() {
    // The torso's column of W is the sum of the four columns of any limb,
    // so 17 parts span only 1 + 4 · 3 = 13 dimensions.
    let y = swimmer();
    let sigma = y.clone().svd(false, false).singular_values;
    let tiny = 1e-10 * sigma[0];
    assert_eq!(sigma.iter().filter(|s| **s > tiny).count(), 13);
    let (w, _) = swimmer_parts();
    let sigma_w = w.svd(false, false).singular_values;
    assert_eq!(sigma_w.iter().filter(|s| **s > 1e-10).count(), 13);
}

/// FNV-1a, 64 bits, over bytes.
fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn the_digits_are_scikit_learns_to_the_bit() {
    let (y, labels) = digits();
    assert_eq!((y.shape(), labels.len()), ((1797, 64), 1797));
    // The numbers in the order of the CSV: 64 pixels, then the digit. The
    // hash is the one tools/digits_data.py printed from scikit-learn's file.
    let bytes = (0..1797).flat_map(|m| {
        let y = &y;
        (0..64)
            .map(move |j| y[(m, j)] as u8)
            .chain(std::iter::once(labels[m]))
    });
    assert_eq!(fnv1a(bytes), 0x7768_69cc_e379_5967);
    assert!(y
        .iter()
        .all(|v| (0.0..=16.0).contains(v) && v.fract() == 0.0));
    let first = [
        0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0,
        0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0,
        0, 6, 13, 10, 0, 0, 0,
    ];
    assert!(y.row(0).iter().zip(first).all(|(a, b)| *a == f64::from(b)));
    let mut counts = [0; 10];
    labels.iter().for_each(|&d| counts[usize::from(d)] += 1);
    assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
}

// ---- fold-in against scikit-learn ----

#[test]
fn transform_matches_scikit_learn_mu() {
    let (h, y_new, expected) = (
        fixture("transform_mu_H.csv"),
        fixture("transform_mu_Ynew.csv"),
        fixture("transform_mu_W.csv"),
    );
    let w = Nmf::new(4)
        .max_iter(200)
        .tol(0.0)
        .transform(&h, &y_new)
        .unwrap();
    let e = gap(&w, &expected);
    assert!(e < 1e-9, "relative gap {e:e}");
}

#[test]
fn transform_matches_scikit_learn_kl() {
    let (h, y_new, expected) = (
        fixture("transform_kl_H.csv"),
        fixture("transform_kl_Ynew.csv"),
        fixture("transform_kl_W.csv"),
    );
    let w = Nmf::new(4)
        .max_iter(200)
        .tol(0.0)
        .loss(Loss::KullbackLeibler)
        .transform(&h, &y_new)
        .unwrap();
    let e = gap(&w, &expected);
    assert!(e < 1e-9, "relative gap {e:e}");
}

// ---- fold-in: errors ----

#[test]
fn transform_rejects_bad_input_with_typed_errors() {
    let h = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 1.0, 0.0, 1.0, 1.0]);
    let y = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 0.0, 1.0, 1.0]);
    let nmf = Nmf::new(2);
    let wide = DMatrix::from_element(2, 4, 1.0);
    assert_eq!(
        nmf.transform(&h, &wide),
        Err(NmfError::WidthMismatch {
            data_cols: 4,
            basis_cols: 3
        })
    );
    assert!(matches!(
        Nmf::new(3).transform(&h, &y),
        Err(NmfError::ShapeMismatch {
            expected_rows: 3,
            found_rows: 2,
            ..
        })
    ));
    let mut bad = h.clone();
    bad[(1, 2)] = -1.0;
    assert_eq!(
        nmf.transform(&bad, &y),
        Err(NmfError::InvalidFactor {
            factor: Factor::H,
            row: 1,
            col: 2,
            value: -1.0
        })
    );
    bad[(1, 2)] = f64::NAN;
    assert!(matches!(
        nmf.transform(&bad, &y),
        Err(NmfError::InvalidFactor { row: 1, col: 2, .. })
    ));
    let mut neg = y.clone();
    neg[(0, 1)] = -2.0;
    assert!(matches!(
        nmf.transform(&h, &neg),
        Err(NmfError::NegativeData { row: 0, col: 1, .. })
    ));
    assert_eq!(Nmf::new(0).transform(&h, &y), Err(NmfError::ZeroRank));
    assert!(matches!(
        nmf.clone().tol(-1.0).transform(&h, &y),
        Err(NmfError::InvalidTol(_))
    ));
    assert!(matches!(
        nmf.clone()
            .loss(Loss::KullbackLeibler)
            .algorithm(Algorithm::Hals)
            .transform(&h, &y),
        Err(NmfError::LossNotSupported { .. })
    ));
    // KL with a column of H all zero where Y is positive: ŷ = 0 < y.
    let mut hole = h.clone();
    hole.column_mut(0).fill(0.0);
    assert_eq!(
        nmf.clone().loss(Loss::KullbackLeibler).transform(&hole, &y),
        Err(NmfError::InfiniteDivergence { row: 0, col: 0 })
    );
    // The message names both widths.
    let message = nmf.transform(&h, &wide).unwrap_err().to_string();
    assert!(message.contains('4') && message.contains('3'), "{message}");
}

#[test]
fn transform_of_zeros_is_zeros_and_of_no_iterations_is_the_start() {
    let h = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 1.0, 0.0, 1.0, 1.0]);
    let zeros = DMatrix::zeros(4, 3);
    let w = Nmf::new(2).transform(&h, &zeros).unwrap();
    assert!(w.iter().all(|v| *v == 0.0));
    let y = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 0.0, 1.0, 1.0]);
    let w0 = Nmf::new(2).max_iter(0).transform(&h, &y).unwrap();
    assert_eq!(w0, start(&y, 2));
    // The floor raises the start.
    let floored = Nmf::new(2)
        .max_iter(0)
        .floor(5.0)
        .transform(&h, &y)
        .unwrap();
    assert!(floored.iter().all(|v| *v == 5.0));
}

// ---- fold-in: properties ----

/// H (k × n, strictly positive, so that every KL ratio is finite) and new
/// data Y (m × n, zeros included).
fn fold_problem() -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>)> {
    (1..=12usize, 1..=15usize, 1..=6usize).prop_flat_map(|(m, n, k)| (positive(k, n), matrix(m, n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Fold-in is the W step repeated: `update_w` (the loops of chapter 4)
    /// from the constant start, with H fixed.
    #[test]
    fn transform_is_the_w_update_repeated((h, y) in fold_problem(), t in 0..30usize) {
        let k = h.nrows();
        let w = Nmf::new(k).max_iter(t).tol(0.0).transform(&h, &y).unwrap();
        let mut reference = start(&y, k);
        for _ in 0..t {
            reference = update_w(&y, &reference, &h).unwrap();
        }
        prop_assert!(gap(&w, &reference) < 1e-12, "gap {:e}", gap(&w, &reference));
    }

    /// The same for HALS and for the KL updates.
    #[test]
    fn transform_follows_the_builders_algorithm_and_loss((h, y) in fold_problem(), t in 0..15usize) {
        let k = h.nrows();
        let hals = Nmf::new(k).max_iter(t).tol(0.0).algorithm(Algorithm::Hals).transform(&h, &y).unwrap();
        let kl = Nmf::new(k).max_iter(t).tol(0.0).loss(Loss::KullbackLeibler).transform(&h, &y).unwrap();
        let (mut w_hals, mut w_kl) = (start(&y, k), start(&y, k));
        for _ in 0..t {
            w_hals = hals_update_w(&y, &w_hals, &h).unwrap();
            w_kl = update_w_kl(&y, &w_kl, &h).unwrap();
        }
        prop_assert!(gap(&hals, &w_hals) < 1e-10, "HALS gap {:e}", gap(&hals, &w_hals));
        prop_assert!(gap(&kl, &w_kl) < 1e-10, "KL gap {:e}", gap(&kl, &w_kl));
    }

    /// Every step lowers the loss or keeps it, up to rounding, and nothing
    /// negative or non-finite comes out, whatever the settings.
    #[test]
    fn transform_never_raises_the_loss(
        (h, y) in fold_problem(),
        t in 1..40usize,
        floor in prop_oneof![Just(0.0), 1e-9..1e-3f64],
        inner in 1..4usize,
    ) {
        let k = h.nrows();
        let before = loss(&y, &start(&y, k).map(|v| v.max(floor)), &h).unwrap();
        let nmf = Nmf::new(k).max_iter(t).tol(0.0).floor(floor).inner_iterations(inner);
        let mut last = before;
        for s in 1..=t {
            let w = nmf.clone().max_iter(s).transform(&h, &y).unwrap();
            prop_assert!(w.iter().all(|v| v.is_finite() && *v >= floor));
            let d = loss(&y, &w, &h).unwrap();
            prop_assert!(d <= last + 1e-12 * (y.norm_squared() + before), "{s}: {last} -> {d}");
            last = d;
        }
        let kl = nmf.clone().loss(Loss::KullbackLeibler).transform(&h, &y).unwrap();
        let d0 = loss_kl(&y, &start(&y, k).map(|v| v.max(floor)), &h).unwrap();
        let d1 = loss_kl(&y, &kl, &h).unwrap();
        prop_assert!(d1 <= d0 + 1e-10 * (y.sum() + d0 + 1.0), "KL {d0} -> {d1}");
    }

    /// With a tolerance, fold-in stops where the fit would: after the
    /// first step s that lowers the loss by at most tol times its value
    /// before, or after max_iter steps.
    #[test]
    fn transform_stops_by_the_rule_of_tol((h, y) in fold_problem(), tol in 1e-6..1e-1f64) {
        let k = h.nrows();
        let plain = |s: usize| Nmf::new(k).max_iter(s).tol(0.0).transform(&h, &y).unwrap();
        // The loss as the fit computes it (Workspace::loss), so that a
        // drop within rounding of tol is decided the same way.
        let mut ws = Workspace::new(y.nrows(), y.ncols(), k);
        let d: Vec<f64> = (0..=60).map(|s| ws.loss(&y, &plain(s), &h).unwrap()).collect();
        let s = (1..=60).find(|&s| d[s - 1] - d[s] <= tol * d[s - 1]).unwrap_or(60);
        let stopped = Nmf::new(k).max_iter(60).tol(tol).transform(&h, &y).unwrap();
        prop_assert_eq!(stopped, plain(s));
    }

    // ---- normalise ----

    /// WH is unchanged to 10⁻¹², and every non-zero row of H has largest
    /// entry (or norm) 1.
    #[test]
    fn normalising_keeps_wh(
        (w, h) in (1..=20usize, 1..=20usize, 1..=8usize)
            .prop_flat_map(|(m, n, k)| (matrix(m, k), matrix(k, n)))
    ) {
        let product = &w * &h;
        for scale in [RowScale::Max, RowScale::Norm] {
            let (w1, h1) = normalise(&w, &h, scale).unwrap();
            let size = product.amax().max(1.0);
            prop_assert!((&w1 * &h1 - &product).amax() <= 1e-12 * size);
            for r in 0..h.nrows() {
                let s = match scale { RowScale::Max => h1.row(r).amax(), _ => h1.row(r).norm() };
                if h.row(r).amax() == 0.0 {
                    prop_assert_eq!(h1.row(r), h.row(r));
                    prop_assert_eq!(w1.column(r), w.column(r));
                } else {
                    prop_assert!((s - 1.0).abs() < 1e-15, "row {}: {}", r, s);
                }
            }
        }
    }

    // ---- match_parts ----

    /// Parts permuted and rescaled are matched back to where they came
    /// from (or to a part of the same direction), each with cosine 1.
    #[test]
    fn matching_undoes_a_permutation_and_a_scaling(
        h in (1..=8usize, 1..=12usize).prop_flat_map(|(k, n)| positive(k, n)),
        seed in any::<u64>(),
        scales in proptest::collection::vec(0.01..100.0f64, 8),
    ) {
        let k = h.nrows();
        // A permutation from the seed: the indices sorted by a hash.
        let mut perm: Vec<usize> = (0..k).collect();
        perm.sort_by_key(|&i| (i as u64 + 1).wrapping_mul(seed | 1).rotate_left(17));
        let learned = DMatrix::from_fn(k, h.ncols(), |i, j| h[(perm[i], j)] * scales[i]);
        let pairs = match_parts(&learned, &h).unwrap();
        prop_assert_eq!(pairs.len(), k);
        let cos = |a: usize, b: usize| {
            let (x, y) = (h.row(a), h.row(b));
            x.dot(&y) / (x.norm() * y.norm())
        };
        for p in &pairs {
            prop_assert!((p.cosine - 1.0).abs() < 1e-12);
            prop_assert!((cos(perm[p.learned], p.truth) - 1.0).abs() < 1e-12);
        }
    }

    /// The pairs are one to one, min(k₁, k₂) of them, in the order of the
    /// true rows, and their total similarity is at least that of the
    /// greedy pairing.
    #[test]
    fn matching_is_one_to_one_and_beats_greedy(
        (a, b) in (1..=7usize, 1..=7usize, 1..=10usize)
            .prop_flat_map(|(k1, k2, n)| (matrix(k1, n), matrix(k2, n)))
    ) {
        let pairs = match_parts(&a, &b).unwrap();
        prop_assert_eq!(pairs.len(), a.nrows().min(b.nrows()));
        prop_assert!(pairs.windows(2).all(|p| p[0].truth < p[1].truth));
        let mut learned: Vec<usize> = pairs.iter().map(|p| p.learned).collect();
        learned.sort_unstable();
        learned.dedup();
        prop_assert_eq!(learned.len(), pairs.len());
        let cos = |i: usize, j: usize| {
            let (x, y) = (a.row(i), b.row(j));
            let s = x.norm() * y.norm();
            if s > 0.0 { x.dot(&y) / s } else { 0.0 }
        };
        // Greedy: the most similar remaining pair, again and again.
        let (mut free_a, mut free_b) = (vec![true; a.nrows()], vec![true; b.nrows()]);
        let mut greedy = 0.0;
        for _ in 0..pairs.len() {
            let mut best = (f64::NEG_INFINITY, 0, 0);
            for i in (0..a.nrows()).filter(|&i| free_a[i]) {
                for j in (0..b.nrows()).filter(|&j| free_b[j]) {
                    if cos(i, j) > best.0 { best = (cos(i, j), i, j); }
                }
            }
            greedy += best.0;
            free_a[best.1] = false;
            free_b[best.2] = false;
        }
        let total: f64 = pairs.iter().map(|p| p.cosine).sum();
        prop_assert!(total >= greedy - 1e-12, "{total} < greedy {greedy}");
        for p in &pairs {
            prop_assert!((p.cosine - cos(p.learned, p.truth)).abs() < 1e-15);
        }
    }
}

#[test]
fn normalise_and_match_reject_bad_input() {
    let w = DMatrix::from_element(2, 2, 1.0);
    let h = DMatrix::from_element(3, 4, 1.0);
    assert!(matches!(
        normalise(&w, &h, RowScale::Max),
        Err(NmfError::ShapeMismatch { .. })
    ));
    let mut nan = DMatrix::from_element(2, 4, 1.0);
    nan[(1, 3)] = f64::NAN;
    assert!(matches!(
        normalise(&w, &nan, RowScale::Norm),
        Err(NmfError::InvalidFactor {
            factor: Factor::H,
            row: 1,
            col: 3,
            ..
        })
    ));
    assert!(matches!(
        match_parts(&w, &nan),
        Err(NmfError::ShapeMismatch { .. })
    ));
    let four = DMatrix::from_element(3, 4, 1.0);
    assert!(matches!(
        match_parts(&four, &nan),
        Err(NmfError::InvalidFactor { .. })
    ));
    // Signed parts are fine: the singular vectors of chapter 10 are.
    let signed = DMatrix::from_row_slice(1, 2, &[-2.0, 1.0]);
    let (_, h1) = normalise(&DMatrix::from_element(1, 1, 1.0), &signed, RowScale::Max).unwrap();
    assert_eq!((h1[(0, 0)], h1[(0, 1)]), (-1.0, 0.5));
}

#[test]
fn the_true_swimmer_parts_match_themselves_and_the_greedy_trap_is_avoided() {
    let (_, h) = swimmer_parts();
    let pairs = match_parts(&h, &h).unwrap();
    assert!(pairs
        .iter()
        .all(|p| p.learned == p.truth && (p.cosine - 1.0).abs() < 1e-15));
    // Greedy takes the most similar pair first, learned 0 with truth 0
    // (0.95), and is left with learned 1 and truth 1 (0): 0.95 in all.
    // Crossed, the pairs score 0.9 + 0.31 = 1.21.
    let truth = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
    let learned = DMatrix::from_row_slice(2, 3, &[0.95, 0.31, 0.0, 0.9, 0.0, 0.436]);
    let pairs = match_parts(&learned, &truth).unwrap();
    assert_eq!((pairs[0].learned, pairs[1].learned), (1, 0));
}
