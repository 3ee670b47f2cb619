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
//! `--csv DIR` writes the measurements as stages.csv, stages.md and
//! race.csv into DIR (an absolute path); `--memory` measures a fit's peak
//! memory instead (memory.md), `--losses` the losses after 200
//! iterations (losses.csv), and `--kernels` the rate of the two big
//! products alone and of the whole fused pass on one thread (kernels.csv), and `--reach` how soon
//! each algorithm with inner iterations reaches the loss of 200 plain
//! ones (reach.csv). `--kinds` times the step and the whole fit on nearly
//! low-rank data and the book's data sets too (kinds.csv).

use std::io::Write;
use std::time::Instant;

use nmf_core::nalgebra::DMatrix;
use nmf_core::{loss, update_h, update_w, Algorithm, Init, Nmf, Workspace};
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
fn peak_memory(out: Option<std::path::PathBuf>) {
    let mut lines = Vec::new();
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
        let line = format!(
            "{algorithm:?} at {m} × {n}, K = {k}: Y is {y_mib:.1} MiB; the fit's peak above it and the start: {:.1} MiB",
            peak - before
        );
        println!("{line}");
        lines.push(format!("- {line}"));
    }
    if let Some(dir) = out {
        std::fs::write(dir.join("memory.md"), lines.join("\n") + "\n").expect("write");
    }
}

/// The loss after 200 iterations of each algorithm at every size, from the
/// benchmark's start: what scikit-learn's solvers reach from the same start
/// (`tools/sklearn_speed.py`). With a folder, also written to losses.csv.
fn final_losses(out: Option<std::path::PathBuf>) {
    let mut rows = vec!["size,mu,hals".to_string()];
    for &(m, n, k) in &SIZES {
        let (y, w0, h0) = problem(m, n, k);
        let loss = |algorithm: Algorithm| {
            let start = Init::Custom {
                w: w0.clone(),
                h: h0.clone(),
            };
            let nmf = Nmf::new(k).max_iter(200).tol(0.0).algorithm(algorithm);
            nmf.init(start).fit(&y).expect("a valid problem").losses[200]
        };
        let (mu, hals) = (loss(Algorithm::Mu), loss(Algorithm::Hals));
        println!("{m} × {n}, k = {k}: loss after 200 iterations: MU {mu:.10}, HALS {hals:.10}");
        rows.push(format!("{m}x{n}k{k},{mu:.17e},{hals:.17e}"));
    }
    if let Some(dir) = out {
        std::fs::write(dir.join("losses.csv"), rows.join("\n") + "\n").expect("write");
    }
}

/// The rate of the two big products alone, on one thread, at the largest
/// size, beside a square product's: YHᵀ and WᵀY through nalgebra's kernel
/// (matrixmultiply), and the fused pass of the fit, whose own kernel runs
/// both products of an iteration (4mnk flops) block by block. With a
/// folder, also written to kernels.csv.
fn kernels(out: Option<std::path::PathBuf>) {
    let (m, n, k) = SIZES[SIZES.len() - 1];
    let (y, w0, h0) = problem(m, n, k);
    let (ht, wt) = (h0.transpose(), w0.transpose());
    let flops = 2.0 * (m * n * k) as f64;
    let mut yht = DMatrix::zeros(m, k);
    let mut wty = DMatrix::zeros(k, n);
    let rate = |seconds: f64| flops / seconds / 1e9;
    let y_ht = rate(best_of(5, || yht.gemm(1.0, &y, &ht, 0.0)));
    let wt_y = rate(best_of(5, || wty.gemm(1.0, &wt, &y, 0.0)));
    let start = Init::Custom { w: w0, h: h0 };
    let mut solver = Nmf::new(k)
        .tol(0.0)
        .threads(1)
        .init(start)
        .solver(&y)
        .expect("a valid problem");
    let pass = 2.0
        * rate(
            ms_per_iteration(5, || {
                solver.step().expect("a step");
            }) / 1e3,
        );
    let square = gemm_rate(1500, 1);
    println!(
        "one thread at {m} × {n}, k = {k}: YHᵀ {y_ht:.1} GFLOP/s, WᵀY {wt_y:.1}, \
         fused pass {pass:.1}, square 1500 {square:.1}"
    );
    if let Some(dir) = out {
        let rows = [
            "product,gflops".to_string(),
            format!("YHt,{y_ht:.2}"),
            format!("WtY,{wt_y:.2}"),
            format!("fused,{pass:.2}"),
            format!("square,{square:.2}"),
        ];
        std::fs::write(dir.join("kernels.csv"), rows.join("\n") + "\n").expect("write");
    }
}

/// One problem of the benchmark: Y uniform on [0, 1), and a start whose
/// product has the mean of Y, all from one seed.
fn problem(m: usize, n: usize, k: usize) -> (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let y = uniform(m, n, &mut rng);
    let a = (0.5 / k as f64).sqrt(); // the mean of Y is 1/2
    let (w0, h0) = (uniform(m, k, &mut rng) * a, uniform(k, n, &mut rng) * a);
    (y, w0, h0)
}

/// The data kinds of `--kinds`: the uniform Y of the other modes, nearly
/// low-rank Y = AB + noise·U (A, B and U uniform on [0, 1)) at two noise
/// levels, the case NMF is for, where the fit gets close.
const KINDS: [(&str, f64); 3] = [
    ("uniform", -1.0),
    ("lowrank-1e-2", 1e-2),
    ("lowrank-1e-6", 1e-6),
];

/// A problem of one kind: Y, and a start whose product has Y's mean.
fn problem_of_kind(
    m: usize,
    n: usize,
    k: usize,
    noise: f64,
) -> (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>) {
    if noise < 0.0 {
        return problem(m, n, k);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let (a, b) = (uniform(m, k, &mut rng), uniform(k, n, &mut rng));
    let y = a * b + uniform(m, n, &mut rng) * noise;
    let scale = (y.mean() / k as f64).sqrt() * 2.0; // a uniform draw has mean 1/2
    let (w0, h0) = (
        uniform(m, k, &mut rng) * scale,
        uniform(k, n, &mut rng) * scale,
    );
    (y, w0, h0)
}

/// A problem with the name of its data kind: (kind, Y, W⁰, H⁰).
type Named = (&'static str, DMatrix<f64>, DMatrix<f64>, DMatrix<f64>);

/// The book's two real data sets at the ranks of their chapters, with a
/// start of the same kind.
fn real_problems() -> Vec<Named> {
    let mut out = Vec::new();
    for (name, y, k) in [
        ("swimmer", nmf_core::datasets::swimmer(), 17),
        ("digits", nmf_core::datasets::digits().0, 10),
    ] {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let (m, n) = y.shape();
        let scale = (y.mean() / k as f64).sqrt() * 2.0;
        let (w0, h0) = (
            uniform(m, k, &mut rng) * scale,
            uniform(k, n, &mut rng) * scale,
        );
        out.push((name, y, w0, h0));
    }
    out
}

/// `--kinds`: for every size and data kind, and the real data sets,
/// milliseconds per iteration of `Solver::step` and of the public
/// `Nmf::fit` end to end (start, iterations, result), for the
/// multiplicative updates, HALS and the KL updates, beside the bound;
/// written as kinds.csv, and each problem as raw f64 for
/// `tools/sklearn_speed.py --kinds`.
fn kinds(write: Option<std::path::PathBuf>, out: Option<std::path::PathBuf>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let peak = gemm_rate(1500, cores);
    println!("matrix product rate, square 1500: {peak:.1} GFLOP/s on {cores} threads");
    let mut problems = Vec::new();
    for &(m, n, k) in &SIZES {
        for (kind, noise) in KINDS {
            let (y, w0, h0) = problem_of_kind(m, n, k, noise);
            problems.push((kind, y, w0, h0));
        }
    }
    problems.extend(real_problems());
    let mut rows =
        vec!["size,data,algorithm,step_ms,fit_ms,fit10_ms,bound_ms,final_loss".to_string()];
    for (kind, y, w0, h0) in &problems {
        let ((m, n), k) = (y.shape(), w0.ncols());
        if let Some(dir) = &write {
            for (name, x) in [("Y", y), ("W0", w0), ("H0", h0)] {
                let file = format!("{m}x{n}k{k}_{kind}_{name}.f64");
                write_raw(&dir.join(file), x).expect("write");
            }
        }
        let bound = 1e3 * 4.0 * (m * n * k) as f64 / (peak * 1e9);
        let iterations = if m * n > 1_000_000 { 10 } else { 50 };
        for (label, algorithm, divergence) in [
            ("mu", Algorithm::Mu, false),
            ("hals", Algorithm::Hals, false),
            ("kl", Algorithm::Mu, true),
        ] {
            let start = Init::Custom {
                w: w0.clone(),
                h: h0.clone(),
            };
            let mut nmf = Nmf::new(k).tol(0.0).algorithm(algorithm).init(start);
            if divergence {
                nmf = nmf.loss(nmf_core::Loss::KullbackLeibler);
            }
            let mut solver = nmf.solver(y).expect("a valid problem");
            let step = ms_per_iteration(iterations, || {
                solver.step().expect("a step");
            });
            let mut last = 0.0;
            let mut fit_ms = |every: usize| {
                let nmf = nmf.clone().max_iter(iterations).loss_every(every);
                1e3 * best_of(3, || {
                    let fit = nmf.fit(y).expect("a fit");
                    last = *fit.losses.last().expect("a loss");
                }) / iterations as f64
            };
            let (fit, fit10) = (fit_ms(1), fit_ms(10));
            println!(
                "{m} × {n}, k = {k}, {kind:>13}, {label:>4}: step {step:8.2} ms, fit {fit:8.2} ms, \
                 every 10th loss {fit10:8.2} ms, bound {bound:6.2} ms ({:.2} ×)",
                step / bound
            );
            rows.push(format!(
                "{m}x{n}k{k},{kind},{label},{step:.3},{fit:.3},{fit10:.3},{bound:.3},{last:.10e}"
            ));
        }
    }
    if let Some(dir) = out {
        std::fs::write(dir.join("kinds.csv"), rows.join("\n") + "\n").expect("write");
        println!("wrote {}", dir.display());
    }
}

/// Milliseconds per iteration of `step`, the best of three runs of
/// `iterations` steps after one step to warm the caches.
fn ms_per_iteration(iterations: usize, mut step: impl FnMut()) -> f64 {
    step();
    1e3 * best_of(3, || (0..iterations).for_each(|_| step())) / iterations as f64
}

/// The stages, in the order of the chapter "Making it fast".
const STAGE_NAMES: [&str; 6] = [
    "loops",
    "products",
    "cheap loss",
    "threads",
    "fused",
    "HALS",
];

/// The stages of chapter "Making it fast", as (label, ms per iteration);
/// the loops only where they finish in reasonable time.
fn stages(y: &DMatrix<f64>, w0: &DMatrix<f64>, h0: &DMatrix<f64>) -> Vec<(&'static str, f64)> {
    let ((m, n), k) = (y.shape(), w0.ncols());
    let iterations = if m * n > 1_000_000 { 5 } else { 20 };
    let mut out = Vec::new();
    if m * n * k * k <= 50_000_000 {
        let (mut w, mut h) = (w0.clone(), h0.clone());
        out.push((
            "loops",
            ms_per_iteration(2, || {
                w = update_w(y, &w, &h).expect("shapes");
                h = update_h(y, &w, &h).expect("shapes");
                std::hint::black_box(loss(y, &w, &h).expect("shapes"));
            }),
        ));
    }
    let mut ws = Workspace::new(m, n, k).with_threads(1);
    let (mut w, mut h) = (w0.clone(), h0.clone());
    out.push((
        "products",
        ms_per_iteration(iterations, || {
            ws.update_w(y, &mut w, &h).expect("shapes");
            ws.update_h(y, &w, &mut h).expect("shapes");
            std::hint::black_box(ws.loss(y, &w, &h).expect("shapes"));
        }),
    ));
    let y_squared = y.norm_squared();
    for (stage, threads) in [("cheap loss", 1), ("threads", 0)] {
        let mut ws = Workspace::new(m, n, k).with_threads(threads);
        let (mut w, mut h) = (w0.clone(), h0.clone());
        out.push((
            stage,
            ms_per_iteration(iterations, || {
                let d = ws.iterate(y, &mut w, &mut h, y_squared);
                std::hint::black_box(d.expect("shapes"));
            }),
        ));
    }
    let solver = |algorithm: Algorithm| {
        let start = Init::Custom {
            w: w0.clone(),
            h: h0.clone(),
        };
        let nmf = Nmf::new(k).tol(0.0).algorithm(algorithm);
        nmf.init(start).solver(y).expect("a valid problem")
    };
    let mut fused = solver(Algorithm::Mu);
    out.push((
        "fused",
        ms_per_iteration(iterations, || {
            fused.step().expect("a step");
        }),
    ));
    let mut hals = solver(Algorithm::Hals);
    out.push((
        "HALS",
        ms_per_iteration(iterations, || {
            hals.step().expect("a step");
        }),
    ));
    out
}

/// Loss against seconds for MU, HALS and HALS with up to 10 inner
/// iterations, from the same start, `iterations` each: rows (algorithm,
/// iteration, seconds, loss).
fn race(
    y: &DMatrix<f64>,
    w0: &DMatrix<f64>,
    h0: &DMatrix<f64>,
    iterations: usize,
) -> Vec<(String, usize, f64, f64)> {
    let mut rows = Vec::new();
    let runs = [
        ("Mu", Algorithm::Mu, 1),
        ("Hals", Algorithm::Hals, 1),
        ("Hals10", Algorithm::Hals, 10),
    ];
    for (name, algorithm, inner) in runs {
        let start = Init::Custom {
            w: w0.clone(),
            h: h0.clone(),
        };
        let nmf = Nmf::new(w0.ncols())
            .tol(0.0)
            .algorithm(algorithm)
            .inner_iterations(inner)
            .init(start);
        let mut solver = nmf.solver(y).expect("a valid problem");
        let mut seconds = 0.0;
        rows.push((name.to_string(), 0, 0.0, solver.loss()));
        for t in 1..=iterations {
            let clock = Instant::now();
            let d = solver.step().expect("a step");
            seconds += clock.elapsed().as_secs_f64();
            rows.push((name.to_string(), t, seconds, d));
        }
    }
    rows
}

/// The inner-iteration limits that `--reach` tries.
const INNERS: [usize; 6] = [1, 2, 5, 10, 20, 40];

/// At the largest size, for each algorithm: the loss after 200 plain
/// iterations (for HALS, the same as scikit-learn's `cd`), then, for each
/// limit of inner iterations, how many iterations and seconds it takes to
/// reach that loss (at most 1000 iterations). Rows (algorithm, inner,
/// iterations, seconds, loss).
fn reach(out: Option<std::path::PathBuf>) {
    let (m, n, k) = SIZES[2];
    let (y, w0, h0) = problem(m, n, k);
    let run = |algorithm: Algorithm, inner: usize, target: f64| {
        let start = Init::Custom {
            w: w0.clone(),
            h: h0.clone(),
        };
        let nmf = Nmf::new(k)
            .tol(0.0)
            .algorithm(algorithm)
            .inner_iterations(inner)
            .init(start);
        let mut solver = nmf.solver(&y).expect("a valid problem");
        let most = if target > 0.0 { 1000 } else { 200 };
        let clock = Instant::now();
        let mut d = solver.loss();
        while solver.iter() < most && d > target {
            d = solver.step().expect("a step");
        }
        (solver.iter(), clock.elapsed().as_secs_f64(), d)
    };
    let mut rows = vec!["algorithm,inner,iterations,seconds,loss".to_string()];
    let mut markdown = vec![
        "| algorithm | inner iterations at most | iterations | seconds |".to_string(),
        "|---|---:|---:|---:|".to_string(),
    ];
    for algorithm in [Algorithm::Mu, Algorithm::Hals] {
        let (_, _, target) = run(algorithm, 1, 0.0);
        println!("{m} × {n}, k = {k}, {algorithm:?}: loss after 200 iterations {target:.10e}");
        for inner in INNERS {
            let (t, sec, d) = run(algorithm, inner, target);
            println!("  inner {inner:>2}: {t:4} iterations, {sec:6.3} s, loss {d:.10e}");
            rows.push(format!("{algorithm:?},{inner},{t},{sec:.4},{d:.10e}"));
            let name = match algorithm {
                Algorithm::Mu => "multiplicative updates",
                _ => "HALS",
            };
            let reached = if d <= target {
                format!("{t}")
            } else {
                format!("> {t}")
            };
            markdown.push(format!("| {name} | {inner} | {reached} | {sec:.2} |"));
        }
    }
    markdown.push(String::new());
    markdown.push(format!(
        "Iterations and seconds to reach the loss of 200 plain iterations of the same \
         algorithm, {m} × {n}, K = {k}, from the same start, on every core."
    ));
    if let Some(dir) = out {
        std::fs::write(dir.join("reach.csv"), rows.join("\n") + "\n").expect("write");
        std::fs::write(dir.join("reach.md"), markdown.join("\n") + "\n").expect("write");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.windows(2)
            .find(|a| a[0] == name)
            .map(|a| std::path::PathBuf::from(&a[1]))
    };
    if args.iter().any(|a| a == "--memory") {
        return peak_memory(flag("--csv"));
    }
    if args.iter().any(|a| a == "--losses") {
        return final_losses(flag("--csv"));
    }
    if args.iter().any(|a| a == "--kernels") {
        return kernels(flag("--csv"));
    }
    if args.iter().any(|a| a == "--kinds") {
        return kinds(flag("--write"), flag("--csv"));
    }
    if args.iter().any(|a| a == "--reach") {
        return reach(flag("--csv"));
    }
    let small = args
        .windows(2)
        .any(|a| a[0] == "--sizes" && a[1] == "small");
    let (write, csv) = (flag("--write"), flag("--csv"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let one = gemm_rate(1500, 1);
    let peak = gemm_rate(1500, cores);
    println!(
        "matrix product rate, square 1500: {one:.1} GFLOP/s on 1 thread, {peak:.1} on {cores}"
    );
    let mut table = vec!["size,stage,ms,bound_ms,threads,gflops_1,gflops_all".to_string()];
    let mut markdown = vec![
        format!("| problem | bound (ms) | {} |", STAGE_NAMES.join(" | ")),
        format!("|---|---:|{}", "---:|".repeat(STAGE_NAMES.len())),
    ];
    let sizes = if small { &SIZES[..1] } else { &SIZES[..] };
    for &(m, n, k) in sizes {
        let (y, w0, h0) = problem(m, n, k);
        if let Some(dir) = &write {
            for (name, x) in [("Y", &y), ("W0", &w0), ("H0", &h0)] {
                write_raw(&dir.join(format!("{m}x{n}k{k}_{name}.f64")), x).expect("write");
            }
        }
        let bound = 1e3 * 4.0 * (m * n * k) as f64 / (peak * 1e9);
        let size = format!("{m} × {n}, k = {k}");
        println!("{size}: bound {bound:.2} ms per iteration");
        let measured = stages(&y, &w0, &h0);
        for (stage, ms) in &measured {
            println!(
                "  {stage:>12}: {ms:9.2} ms  ({:.2} × the bound)",
                ms / bound
            );
            table.push(format!(
                "{m}x{n}k{k},{stage},{ms:.3},{bound:.3},{cores},{one:.1},{peak:.1}"
            ));
        }
        let cell = |name: &str| {
            measured
                .iter()
                .find(|(stage, _)| *stage == name)
                .map_or("–".to_string(), |(_, ms)| format!("{ms:.2}"))
        };
        let cells: Vec<String> = STAGE_NAMES.iter().map(|s| cell(s)).collect();
        markdown.push(format!(
            "| {m} × {n}, K = {k} | {bound:.2} | {} |",
            cells.join(" | ")
        ));
    }
    if let Some(dir) = csv {
        std::fs::write(dir.join("stages.csv"), table.join("\n") + "\n").expect("write");
        markdown.push(String::new());
        markdown.push(format!(
            "Milliseconds per iteration, measured by `cargo bench -p nmf-core --bench speed` on \
             {cores} cores; the product rate was {one:.1} GFLOP/s on one thread and {peak:.1} on all."
        ));
        std::fs::write(dir.join("stages.md"), markdown.join("\n") + "\n").expect("write");
        let (m, n, k) = SIZES[1];
        let (y, w0, h0) = problem(m, n, k);
        let mut rows = vec!["algorithm,iteration,seconds,loss".to_string()];
        for (a, t, sec, d) in race(&y, &w0, &h0, 100) {
            rows.push(format!("{a},{t},{sec:.6},{d:.10e}"));
        }
        std::fs::write(dir.join("race.csv"), rows.join("\n") + "\n").expect("write");
        println!("wrote {}", dir.display());
    }
}
