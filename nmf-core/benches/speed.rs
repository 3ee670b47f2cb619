//! Milliseconds per iteration of each algorithm, beside the compute bound:
//! `cargo bench -p nmf-core`.
//!
//! The bound is the arithmetic of one iteration, 4mnk flops for the two big
//! products YHᵀ and WᵀY, at the matrix-product rate measured on the spot:
//! a square product through nalgebra, its columns split over every core.
//! Machines differ from day to day, so only ratios measured in one run
//! mean anything.
//!
//! `--sizes small` runs only the smallest size; `--write DIR` also writes
//! each problem's Y, W⁰ and H⁰ as raw little-endian f64 (column-major) for
//! `tools/sklearn_speed.py`, which times scikit-learn on the same numbers.

use std::io::Write;
use std::time::Instant;

use nmf_core::nalgebra::DMatrix;
use nmf_core::{Algorithm, Init, Nmf};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The problems of the benchmark: (m, n, k).
const SIZES: [(usize, usize, usize); 3] = [(500, 400, 10), (2000, 1000, 20), (5000, 2000, 30)];

fn uniform(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| rng.random::<f64>())
}

/// The best of `repeats` timings of `f`, in seconds.
fn best_of(repeats: usize, mut f: impl FnMut()) -> f64 {
    (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// GFLOP/s of a square matrix product of side `s`, its columns split
/// evenly over `threads` threads.
fn gemm_rate(s: usize, threads: usize) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let (a, b) = (uniform(s, s, &mut rng), uniform(s, s, &mut rng));
    let mut c = DMatrix::zeros(s, s);
    let per = s.div_ceil(threads);
    let seconds = best_of(3, || {
        std::thread::scope(|scope| {
            let mut rest = c.as_mut_slice();
            for t in 0..threads {
                let cols = per.min(s - t * per);
                let (mine, next) = rest.split_at_mut(cols * s);
                rest = next;
                let (a, b) = (&a, &b);
                scope.spawn(move || {
                    let mut out = nmf_core::nalgebra::DMatrixViewMut::from_slice(mine, s, cols);
                    out.gemm(1.0, a, &b.columns(t * per, cols), 0.0);
                });
            }
        })
    });
    2.0 * (s * s * s) as f64 / seconds / 1e9
}

/// This process's resident memory and its peak, in MiB, from
/// /proc/self/status (Linux; zeros elsewhere).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak of /proc/self/status to the current resident memory.
fn reset_peak() {
    // Writing 5 to clear_refs resets VmHWM (Linux 4.0 and later).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn write_raw(path: &std::path::Path, x: &DMatrix<f64>) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    for v in x.iter() {
        file.write_all(&v.to_le_bytes())?;
    }
    file.flush()
}

/// The memory a fit at the largest size takes beyond Y and its start,
/// measured first in a fresh process so that nothing else has touched the
/// heap: resident memory before the fit, against its peak during the fit.
fn peak_memory() {
    let (m, n, k) = SIZES[SIZES.len() - 1];
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let y = uniform(m, n, &mut rng);
    let (w0, h0) = (uniform(m, k, &mut rng), uniform(k, n, &mut rng));
    for algorithm in [Algorithm::Mu, Algorithm::Hals] {
        let (before, _) = memory();
        reset_peak();
        let start = Init::Custom {
            w: w0.clone(),
            h: h0.clone(),
        };
        let nmf = Nmf::new(k)
            .max_iter(10)
            .tol(0.0)
            .algorithm(algorithm)
            .init(start);
        nmf.fit(&y).expect("a valid problem");
        let (_, peak) = memory();
        let y_mib = (m * n * 8) as f64 / (1 << 20) as f64;
        println!(
            "{algorithm:?} at {m} × {n}, k = {k}: Y is {y_mib:.1} MiB; the fit's peak above it and the start: {:.1} MiB",
            peak - before
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let small = args
        .windows(2)
        .any(|a| a[0] == "--sizes" && a[1] == "small");
    let write = args
        .windows(2)
        .find(|a| a[0] == "--write")
        .map(|a| std::path::PathBuf::from(&a[1]));
    if args.iter().any(|a| a == "--memory") {
        return peak_memory();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let one = gemm_rate(1500, 1);
    let peak = gemm_rate(1500, cores);
    println!(
        "matrix product rate, square 1500: {one:.1} GFLOP/s on 1 thread, {peak:.1} on {cores}"
    );
    println!(
        "{:>18} {:>9} {:>9} {:>9} {:>9} {:>16} {:>16}",
        "m × n, k", "bound ms", "MU ms", "HALS ms", "MU/bound", "MU loss(200)", "HALS loss(200)",
    );
    let sizes = if small { &SIZES[..1] } else { &SIZES[..] };
    for &(m, n, k) in sizes {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let y = uniform(m, n, &mut rng);
        let a = (0.5 / k as f64).sqrt(); // the mean of Y is 1/2
        let (w0, h0) = (uniform(m, k, &mut rng) * a, uniform(k, n, &mut rng) * a);
        if let Some(dir) = &write {
            for (name, x) in [("Y", &y), ("W0", &w0), ("H0", &h0)] {
                write_raw(&dir.join(format!("{m}x{n}k{k}_{name}.f64")), x).expect("write");
            }
        }
        let iterations = if m * n > 1_000_000 { 5 } else { 20 };
        let time = |algorithm: Algorithm| {
            let nmf = Nmf::new(k)
                .tol(0.0)
                .algorithm(algorithm)
                .init(Init::Custom {
                    w: w0.clone(),
                    h: h0.clone(),
                });
            let mut solver = nmf.solver(&y).expect("a valid problem");
            solver.step().expect("a step"); // warm the caches
            1e3 * best_of(3, || {
                for _ in 0..iterations {
                    solver.step().expect("a step");
                }
            }) / iterations as f64
        };
        let bound = 1e3 * 4.0 * (m * n * k) as f64 / (peak * 1e9);
        let (mu, hals) = (time(Algorithm::Mu), time(Algorithm::Hals));
        // 200 iterations of each, for the loss.
        let loss_200 = |algorithm: Algorithm| {
            let fit = Nmf::new(k)
                .max_iter(200)
                .tol(0.0)
                .algorithm(algorithm)
                .init(Init::Custom {
                    w: w0.clone(),
                    h: h0.clone(),
                })
                .fit(&y)
                .expect("a valid problem");
            fit.losses[200]
        };
        let (mu_loss, hals_loss) = (loss_200(Algorithm::Mu), loss_200(Algorithm::Hals));
        println!(
            "{:>18} {bound:>9.2} {mu:>9.2} {hals:>9.2} {:>9.2} {mu_loss:>16.10} {hals_loss:>16.10}",
            format!("{m} × {n}, {k}"),
            mu / bound,
        );
    }
}
