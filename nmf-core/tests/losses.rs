//! Every loss in a fit's history is the loss of its iterate: within 1e-10,
//! relative, of ‖Y − WH‖² computed to nearly every digit, on data that the
//! rank fits well (the case NMF is for), where the cheap loss of chapter 11
//! cancels, and on data it fits poorly.

use nmf_core::nalgebra::DMatrix;
use nmf_core::{Algorithm, Init, Nmf, Workspace};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// a + b as a rounded sum and its rounding error (Knuth's TwoSum).
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let v = s - a;
    (s, (a - (s - v)) + (b - v))
}

/// ‖Y − WH‖², each entry of WH and its residual carried in two doubles
/// (products split by a fused multiply–add, sums by TwoSum), and the
/// squares added with a running error: accurate to about 1e-15 relative
/// whatever the cancellation.
fn accurate_loss(y: &DMatrix<f64>, w: &DMatrix<f64>, h: &DMatrix<f64>) -> f64 {
    let (mut d, mut carry) = (0.0, 0.0);
    for j in 0..y.ncols() {
        for i in 0..y.nrows() {
            // y − Σ_k w_ik h_kj, as hi + lo.
            let (mut hi, mut lo) = (y[(i, j)], 0.0);
            for k in 0..w.ncols() {
                let p = w[(i, k)] * h[(k, j)];
                let e = w[(i, k)].mul_add(h[(k, j)], -p);
                let (s, t) = two_sum(hi, -p);
                hi = s;
                lo += t - e;
            }
            let r = hi + lo;
            let (s, t) = two_sum(d, r * r);
            d = s;
            carry += t;
        }
    }
    d + carry
}

/// Y = AB + noise·U, with A (m × k), B (k × n) and U uniform on [0, 1),
/// and a start near the truth: A and B, each entry off by up to 1%.
fn low_rank(m: usize, n: usize, k: usize, noise: f64, seed: u64) -> (DMatrix<f64>, Init) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = |r, c| DMatrix::from_fn(r, c, |_, _| rng.random::<f64>());
    let (a, b) = (draw(m, k), draw(k, n));
    let u = draw(m, n);
    let (da, db) = (draw(m, k), draw(k, n));
    let near = |x: &DMatrix<f64>, d: DMatrix<f64>| x.zip_map(&d, |x, d| x * (1.0 + 0.01 * d));
    let start = Init::Custom {
        w: near(&a, da),
        h: near(&b, db),
    };
    (a * b + u * noise, start)
}

/// Fits `y` step by step and compares each loss the solver reports with
/// the accurate loss of its iterate.
/// Returns the largest gap and the last loss as a share of ‖Y‖².
fn assert_history_exact(y: &DMatrix<f64>, nmf: &Nmf, steps: usize) -> (f64, f64) {
    let mut solver = nmf.solver(y).unwrap();
    let mut worst: f64 = 0.0;
    for _ in 0..steps {
        let d = solver.step().unwrap();
        let exact = accurate_loss(y, solver.w(), solver.h());
        let gap = (d - exact).abs() / exact;
        assert!(gap <= 1e-10, "{nmf:?}: loss {d} against {exact} ({gap:e})");
        worst = worst.max(gap);
    }
    (worst, solver.loss() / y.norm_squared())
}

/// Small problems (the separate products) and problems big enough for the
/// fused pass, both algorithms; exact low-rank data and noise of 1e-6 and
/// 1e-2, from a random start and from one near the truth, where the loss
/// falls to a tiny share of ‖Y‖²; and a poorly fitted uniform Y.
#[test]
fn every_loss_of_the_history_is_the_loss_of_its_iterate() {
    let mut closest = f64::INFINITY;
    for (m, n, k) in [(60, 40, 4), (700, 320, 10)] {
        for noise in [0.0, 1e-6, 1e-2] {
            let (y, near) = low_rank(m, n, k, noise, 7);
            for algorithm in [Algorithm::Mu, Algorithm::Hals] {
                let nmf = Nmf::new(k).tol(0.0).algorithm(algorithm);
                let (worst, _) = assert_history_exact(&y, &nmf.clone().seed(2), 100);
                assert!(worst <= 1e-12, "{worst:e}");
                let (worst, share) = assert_history_exact(&y, &nmf.init(near.clone()), 20);
                assert!(worst <= 1e-12, "{worst:e}");
                closest = closest.min(share);
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let y = DMatrix::from_fn(m, n, |_, _| rng.random::<f64>());
        assert_history_exact(&y, &Nmf::new(k).tol(0.0).seed(2), 10);
    }
    // Some fits came within 1e-10 of ‖Y‖², where (11.1) alone would keep
    // only about six of its sixteen digits.
    assert!(closest < 1e-10, "{closest:e}");
}

/// The loss of a big problem is summed over the fused pass's blocks on
/// threads: the same bits on one, two or three threads, and the loss of
/// `nmf_core::loss` to 1e-12.
#[test]
fn the_loss_in_blocks_is_the_loss_on_any_number_of_threads() {
    let (y, _) = low_rank(700, 320, 10, 1e-2, 5);
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let w = DMatrix::from_fn(700, 10, |_, _| rng.random::<f64>());
    let h = DMatrix::from_fn(10, 320, |_, _| rng.random::<f64>());
    let exact = accurate_loss(&y, &w, &h);
    let plain = nmf_core::loss(&y, &w, &h).unwrap();
    assert!((plain - exact).abs() <= 1e-12 * exact);
    let one = Workspace::new(700, 320, 10)
        .with_threads(1)
        .loss(&y, &w, &h)
        .unwrap();
    assert!(
        (one - exact).abs() <= 1e-12 * exact,
        "{one} against {exact}"
    );
    for threads in [2, 3] {
        let d = Workspace::new(700, 320, 10)
            .with_threads(threads)
            .loss(&y, &w, &h)
            .unwrap();
        assert_eq!(d.to_bits(), one.to_bits());
    }
}
