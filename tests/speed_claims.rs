//! The numbers that the chapter "Making it fast"
//! (src/ch11-making-it-fast.md) states about the benchmark, read from the
//! chapter itself (`tests/prose`) and compared with the benchmark's
//! committed measurements in nmf-core/benches/results: the times, the
//! rates, the ratios, the memory, the alt text of figure 11.1, and the
//! summary.
//!
//! The measurements are of one machine, in one run of
//! `cargo bench -p nmf-core --bench speed` (and one of
//! `tools/sklearn_speed.py`), so they cannot be recomputed here: another
//! machine, or the same one on another day, gives other times. These
//! tests check instead that the chapter's words say what the committed
//! files say. Each test finds a sentence of the book by its words, with
//! `{}` where its numbers stand, and compares those numbers with the
//! ones computed from the files, printed as the book prints them. So a
//! number changed in the chapter alone, or in the files alone, fails
//! here; after new measurements, the failures name every sentence to
//! update.
//!
//! The losses after 200 iterations (losses.csv, written by the benchmark's
//! `--losses`) do not depend on the machine beyond rounding; they are
//! checked against scikit-learn's in sklearn.md.

mod prose;
mod results;
use prose::says;
use results::*;

const MEMORY_MD: &str = include_str!("../nmf-core/benches/results/memory.md");
const CHAPTER: &str = "src/ch11-making-it-fast.md";

/// The compute bound at `size`, in milliseconds, as stages.csv holds it
/// (to 0.001 ms).
fn bound(size: (usize, usize, usize)) -> f64 {
    let rows = stages();
    rows.iter()
        .find(|r| r.size == label(size))
        .unwrap()
        .bound_ms
}

/// The rate of a square product on all cores, in GFLOP/s, as the file
/// prints it (to 0.1 GFLOP/s).
fn rate_all() -> f64 {
    stages()[0].gflops_all
}

/// The compute bound at `size`, in milliseconds, from the rate: 4mnk flops
/// at `rate_all()`. The file prints the rate to 0.1 GFLOP/s, a relative
/// error under 0.05% for any rate above 100 GFLOP/s, but the bound only to
/// 0.001 ms, which for a bound under 0.1 ms (the small size) can be off by
/// more than 0.5%; so ratios to the bound use this one.
fn precise_bound(size: (usize, usize, usize)) -> f64 {
    1e3 * big_flops(size) / (rate_all() * 1e9)
}

/// Milliseconds per iteration ÷ the bound.
fn ratio(size: (usize, usize, usize), stage: &str) -> f64 {
    ms(size, stage) / precise_bound(size)
}

/// The flops of the two big products, 4mnk.
fn big_flops((m, n, k): (usize, usize, usize)) -> f64 {
    4.0 * (m * n * k) as f64
}

/// The multiply–adds of one iteration written as loops, 2MNK(K + 2) + MNK,
/// and of one iteration of chapter 5's products with the loss from WH,
/// 2MNK + 2(M + N)K² + MNK (the chapter's snippets count them).
fn loops_work((m, n, k): (usize, usize, usize)) -> f64 {
    (2 * m * n * k * (k + 2) + m * n * k) as f64
}
fn products_work((m, n, k): (usize, usize, usize)) -> f64 {
    (2 * m * n * k + 2 * (m + n) * k * k + m * n * k) as f64
}

/// scikit-learn's milliseconds per iteration of `mu` and `cd` at `size`.
fn sklearn_ms(size: (usize, usize, usize)) -> (f64, f64) {
    let row = sklearn_row(size);
    (row[1].parse().unwrap(), row[2].parse().unwrap())
}

/// The number that follows `before` in `text`.
fn number_after(text: &str, before: &str) -> f64 {
    let at = text.find(before).unwrap_or_else(|| panic!("no {before:?}")) + before.len();
    let digits: String = text[at..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number after {before:?}"))
}

/// Milliseconds per iteration ÷ the bound as the file holds it: what
/// figure 11.1 draws.
fn drawn(size: (usize, usize, usize), stage: &str) -> f64 {
    ms(size, stage) / bound(size)
}

/// `x` as the text writes it in scientific notation, $a \times 10^b$:
/// [a, b].
fn sci(x: f64) -> [f64; 2] {
    let b = x.log10().floor();
    [x / 10f64.powf(b), b]
}

/// The value at each size of the three.
fn at_sizes(f: impl Fn((usize, usize, usize)) -> f64) -> Vec<f64> {
    SIZES.iter().map(|&s| f(s)).collect()
}

/// The value at the two larger sizes.
fn at_larger(f: impl Fn((usize, usize, usize)) -> f64) -> Vec<f64> {
    [MIDDLE, LARGE].iter().map(|&s| f(s)).collect()
}

/// Bytes in a mebibyte.
const MIB: usize = 1 << 20;

/// The MiB of `entries` numbers of 8 bytes.
fn mib(entries: usize) -> f64 {
    (entries * std::mem::size_of::<f64>()) as f64 / MIB as f64
}

/// K padded as the fused pass pads it (mu.rs): to whole registers of the
/// kernel's widest path.
fn padded(k: usize) -> usize {
    let source = include_str!("../nmf-core/src/mu.rs");
    assert!(source.contains("k.next_multiple_of(crate::kernel::AVX512_TILE.lanes)"));
    k.next_multiple_of(nmf_core::AVX512_TILE.lanes)
}

/// Y's MiB, and the fit's peaks above it, as memory.md prints them.
fn memory() -> (f64, f64, f64) {
    let lines: Vec<&str> = MEMORY_MD.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(&format!("- Mu at {}:", problem(LARGE))));
    assert!(lines[1].starts_with(&format!("- Hals at {}:", problem(LARGE))));
    let y = number_after(lines[0], "Y is");
    assert_eq!(y, number_after(lines[1], "Y is"));
    let mu = number_after(lines[0], "above it and the start:");
    let hals = number_after(lines[1], "above it and the start:");
    (y, mu, hals)
}

/// scikit-learn's peaks above Y, and its Y, in MiB, as sklearn.md prints
/// them.
fn sklearn_memory() -> (f64, f64, f64) {
    let mu = number_after(SKLEARN_MD, "peak memory above Y was");
    let cd = number_after(SKLEARN_MD, "MiB for `mu` and");
    let y = number_after(SKLEARN_MD, "(Y is");
    (mu, cd, y)
}

/// The kernel rates of `--kernels`, as committed.
const KERNELS_CSV: &str = include_str!("../nmf-core/benches/results/kernels.csv");

/// GFLOP/s of one product in kernels.csv.
fn kernel(name: &str) -> f64 {
    let line = KERNELS_CSV
        .lines()
        .find(|l| l.starts_with(&format!("{name},")))
        .unwrap_or_else(|| panic!("no kernel {name}"));
    line.split(',').nth(1).unwrap().parse().unwrap()
}

/// The one-thread estimate of "Where this stands": the fused iteration's
/// 4MNK flops at the largest size, on two cores at the one-thread rate of
/// kernels.csv, in ms.
fn two_core_estimate() -> f64 {
    1e3 * big_flops(LARGE) / 1e9 / (2.0 * kernel("fused"))
}

// ## The measurements

#[test]
fn the_problems_are_the_benchmarks() {
    // The benchmark's source, the tables and the chapter name the same
    // three problems.
    assert_eq!(sizes_of_the_benchmark(), SIZES);
    let rows = table(STAGES_MD);
    let named: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(named, SIZES.map(problem));
    let named: Vec<String> = sklearn_rows().iter().map(|r| r[0].clone()).collect();
    assert_eq!(named, SIZES.map(problem));
    let sizes = prose::values(
        "three problems: $Y$ of size ${} \\times {}$ at $K = {}$,
        ${} \\times {}$ at $K = {}$ and ${} \\times {}$ at $K = {}$.",
    );
    let expected: Vec<f64> = SIZES
        .iter()
        .flat_map(|&(m, n, k)| [m, n, k].map(|x| x as f64))
        .collect();
    assert_eq!(sizes, expected);
}

/// How the benchmark and the script time, as the chapter describes it,
/// against their sources.
#[test]
fn the_benchmark_runs_as_the_chapter_says() {
    let bench = include_str!("../nmf-core/benches/speed.rs");
    let script = include_str!("../tools/sklearn_speed.py");
    let best = prose::value(
        "Each time is the best of {} runs of several
        iterations.",
    );
    assert!(bench.contains(&format!(
        "1e3 * best_of({best}, || (0..iterations).for_each(|_| step()))"
    )));
    let side = prose::value(
        "how fast the machine multiplies
        two square matrices of side {} with the routine",
    );
    assert!(bench.contains(&format!("let one = gemm_rate({side}, 1);")));
    assert!(bench.contains(&format!("let peak = gemm_rate({side}, cores);")));
    says(
        "In a square product of
        side {}, each entry of either factor takes part in {} multiply–adds.
        In $YH^\\top$, each entry of $Y$ takes part in only $K$ of them, {} at
        the largest size.",
        &[side, side, LARGE.2 as f64],
    );
    let fit = prose::value(
        "just
        before a {}-iteration fit at the largest size",
    );
    assert!(bench.contains(&format!(".max_iter({fit})")));
    let sklearn_fit = prose::value(
        "and the peak memory of a
        {}-iteration fit, measured the same way as above",
    );
    assert!(script.contains(&format!("per_iteration(y, w0, h0, solver, {sklearn_fit})")));
    let iterations = prose::values(
        "times both on the same problems, from
        the same starts, for {} iterations each. A time per iteration is the
        whole fit's time divided by {}.",
    );
    assert_eq!(iterations[0], iterations[1]);
    says(
        "`nmf-core`'s fits of the same problems from the same
        starts, {} iterations each, reach the same losses",
        &[iterations[0]],
    );
    let n = iterations[0];
    assert!(bench.contains(&format!(
        "Nmf::new(k).max_iter({n}).tol(0.0).algorithm(algorithm);"
    )));
    assert!(script.contains(&format!("iterations = {}", iterations[0])));
    assert!(SKLEARN_MD.contains(&format!("`mu` loss after {}", iterations[0])));
}

#[test]
fn the_measurements_are_of_two_cores_at_the_stated_product_rates() {
    let rows = stages();
    let (threads, one, all) = (rows[0].threads, rows[0].gflops_1, rows[0].gflops_all);
    for r in &rows {
        assert_eq!((r.threads, r.gflops_1, r.gflops_all), (threads, one, all));
    }
    says(
        "the benchmark, on one machine with {} cores, as committed in",
        &[threads as f64],
    );
    says(
        "It measured {} GFLOP/s (billions of flops per second) on the {} cores, and {} on one.",
        &[all, threads as f64, one],
    );
    says("bound** is $4MNK$ flops at {} GFLOP/s:", &[all]);
    // The bound is 4mnk flops at the rate on all cores. The file prints
    // the bound to 3 decimals and the rate to 1, hence the slack.
    for size in SIZES {
        let slack = 5e-4 + 5e-4 * precise_bound(size);
        assert!((bound(size) - precise_bound(size)).abs() <= slack);
    }
    // Six stages at the small size, five at the others: the loops only at
    // the small one.
    assert_eq!(rows.len(), 16);
    let loops: Vec<&Row> = rows.iter().filter(|r| r.stage == "loops").collect();
    assert_eq!(loops.len(), 1);
    assert_eq!(loops[0].size, label(SMALL));
}

/// stages.md, which both chapters include as their table, is stages.csv
/// printed: each time to 0.01 ms, and its sentence says the rates and the
/// cores of the CSV.
#[test]
fn the_table_is_the_measurements_printed() {
    for page in [CHAPTER, "src/ch12-hals.md"] {
        let include = "{{#include ../nmf-core/benches/results/stages.md}}";
        assert!(prose::page(page).text.contains(include), "{page}");
    }
    let rows = table(STAGES_MD);
    assert_eq!(
        rows[0],
        [
            "problem",
            "bound (ms)",
            "loops",
            "products",
            "cheap loss",
            "threads",
            "fused",
            "HALS"
        ]
    );
    for size in SIZES {
        assert_eq!(printed(size, "bound (ms)"), format!("{:.2}", bound(size)));
        for stage in &rows[0][2..] {
            let measured = stages()
                .into_iter()
                .find(|r| r.size == label(size) && &r.stage == stage);
            let cell = measured.map_or("–".to_string(), |r| format!("{:.2}", r.ms));
            assert_eq!(printed(size, stage), cell, "{stage} at {size:?}");
        }
    }
    let r = &stages()[0];
    let sentence = format!(
        "on {} cores; the product rate was {:.1} GFLOP/s on one thread and {:.1} on all.",
        r.threads, r.gflops_1, r.gflops_all
    );
    assert!(STAGES_MD.contains(&sentence), "{sentence}");
}

#[test]
fn the_bounds_quoted_in_words() {
    says(
        "That is the table's first column: {}, {} and {} ms.",
        &at_sizes(bound),
    );
    // The same, from the rate.
    says(
        "That is the table's first column: {}, {} and {} ms.",
        &at_sizes(precise_bound),
    );
    // The products stage at the largest size, and how many times as long
    // as the bound it took at least.
    let [at, times] = prose::numbers(
        "the products stage above, at {} at the largest size, takes over {} times as long.",
    )
    .try_into()
    .unwrap();
    assert_eq!(at.print(ratio(LARGE, "products")), at.text);
    assert!(ratio(LARGE, "products") > times.value);
}

// ## Loops

#[test]
fn loops() {
    says(
        "At the small size that is ${} \\times 10^{}$ multiply–adds, and the
        benchmark measured {} ms per iteration, {} times the bound.",
        &[
            &sci(loops_work(SMALL))[..],
            &[ms(SMALL, "loops"), ratio(SMALL, "loops")],
        ]
        .concat(),
    );
    // The count at the largest size, how many times as many, and the time
    // at the same rate.
    let times = loops_work(LARGE) / loops_work(SMALL);
    says(
        "At the largest size the count is ${} \\times 10^{{}}$, {} times as many. At
        the same rate an iteration would take about {} seconds",
        &[
            &sci(loops_work(LARGE))[..],
            &[times, times * ms(SMALL, "loops") / 1e3],
        ]
        .concat(),
    );
}

// ## Products in the right order

#[test]
fn products() {
    let faster = ms(SMALL, "loops") / ms(SMALL, "products");
    let fewer = loops_work(SMALL) / products_work(SMALL);
    says(
        "At the small size an iteration now costs ${} \\times 10^{}$
        multiply–adds, {} times fewer than the loops. It took {} ms, {} times
        faster than the loops. So the products did each multiply–add about {}
        times as fast, on top of doing {} times fewer.",
        &[
            &sci(products_work(SMALL))[..],
            &[fewer, ms(SMALL, "products"), faster, faster / fewer, fewer],
        ]
        .concat(),
    );
    says(
        "At the three sizes, the products stage took {}, {} and {} times the bound.",
        &at_sizes(|s| ratio(s, "products")),
    );
}

// ## The compute bound

#[test]
fn the_skinny_products_ran_under_60_percent_of_a_square_product() {
    let [share] = prose::values(
        "thread, they ran at under {}% of the rate of a square product on one
        thread",
    )
    .try_into()
    .unwrap();
    let [summary] = prose::values(
        "timed alone on one thread through `matrixmultiply`, ran at under {}% of a
        square product's rate on one thread",
    )
    .try_into()
    .unwrap();
    for s in [share, summary] {
        assert!(kernel("YHt").max(kernel("WtY")) < s / 100.0 * kernel("square"));
    }
}

// ## The cheap loss

#[test]
fn the_cheap_loss() {
    let saved = |s| 100.0 * (1.0 - ms(s, "cheap loss") / ms(s, "products"));
    let mut numbers = at_sizes(|s| ms(s, "cheap loss"));
    numbers.extend(at_sizes(saved));
    says(
        "Measured, on one thread, the cheap loss took {}, {} and {} ms per
        iteration: {}%, {}% and {}% less than the products stage.",
        &numbers,
    );
    // "the saving is more than a third at every size"
    prose::find("and the saving is more than a third at every size.");
    assert!(SIZES.iter().all(|&s| saved(s) > 100.0 / 3.0));
    says(
        "The cheap loss stage runs at {}, {} and {} times the bound.",
        &at_sizes(|s| ratio(s, "cheap loss")),
    );
}

// ## Threads

#[test]
fn threads() {
    let mut numbers = at_larger(|s| ms(s, "cheap loss") / ms(s, "threads"));
    numbers.extend(at_larger(|s| ms(s, "threads")));
    numbers.extend(at_larger(|s| ratio(s, "threads")));
    says(
        "Measured, the threads made the larger problems {} and {} times as
        fast as on one thread: {} and {} ms per iteration, {} and {}
        times the bound.",
        &numbers,
    );
    // At the small size each big product stays on one thread: the two
    // columns are the same work, timed twice.
    let (m, n, k) = SMALL;
    assert!(m * n * k < nmf_core::PARALLEL_WORK);
    says(
        "At the small size each big product is
        ${} \\times {} \\times {} = {} \\times 10^{}$ multiply–adds, just below
        $2^{{}}$, so it runs on one thread",
        &[
            &[m as f64, n as f64, k as f64][..],
            &sci((m * n * k) as f64),
            &[nmf_core::PARALLEL_WORK.ilog2() as f64],
        ]
        .concat(),
    );
    says(
        "the table shows {} and {} ms, the same work timed twice.",
        &[ms(SMALL, "cheap loss"), ms(SMALL, "threads")],
    );
    assert!((ms(SMALL, "threads") / ms(SMALL, "cheap loss") - 1.0).abs() < 0.02);
}

// ## One pass over Y, and a kernel for skinny products

#[test]
fn one_pass_over_y_with_its_kernel() {
    let saved = |s| 100.0 * (1.0 - ms(s, "fused") / ms(s, "threads"));
    says(
        "Measured, the pass with its kernel saved {}% of the time per
        iteration at the middle size, from {} ms with threads down to {},
        and {}% at the largest, from {} ms down to {}: {} and {}
        times the bound.",
        &[
            saved(MIDDLE),
            ms(MIDDLE, "threads"),
            ms(MIDDLE, "fused"),
            saved(LARGE),
            ms(LARGE, "threads"),
            ms(LARGE, "fused"),
            ratio(MIDDLE, "fused"),
            ratio(LARGE, "fused"),
        ],
    );
    says(
        "The pass with its kernel saved {}% and {}% of the threads stage's
        time at the two larger sizes",
        &[saved(MIDDLE), saved(LARGE)],
    );
    let (y_ht, wt_y, fused, square) = (
        kernel("YHt"),
        kernel("WtY"),
        kernel("fused"),
        kernel("square"),
    );
    says(
        "through `matrixmultiply`, $YH^\\top$ ran at
        {} GFLOP/s and $W^\\top Y$ at {}, {}% and {}% of the {} that a
        square product reached in that run; the whole fused iteration, both
        products on the kernel and everything else, counted as its $4MNK$
        flops, ran at {} GFLOP/s, {}% of it.",
        &[
            y_ht,
            wt_y,
            100.0 * y_ht / square,
            100.0 * wt_y / square,
            square,
            fused,
            100.0 * fused / square,
        ],
    );
    says(
        "and a fused iteration on one thread ran at
        {}% of a square product's rate.",
        &[100.0 * fused / square],
    );
    // At the small size nothing fuses: the same time for both, as
    // printed.
    let (m, n, k) = SMALL;
    assert!(m * n * k < nmf_core::PARALLEL_WORK);
    for s in [MIDDLE, LARGE] {
        assert!(s.0 * s.1 * s.2 >= nmf_core::PARALLEL_WORK && s.0 >= 2 * nmf_core::FUSED_ROWS);
    }
    assert_eq!(printed(SMALL, "fused"), printed(SMALL, "threads"));
    says(
        "as the threads stage does, and the table shows the same {} ms
        for both.",
        &[ms(SMALL, "fused")],
    );
    says(
        "At the small size nothing fuses: $MNK = {} \\times 10^{}$ is below
        $2^{{}}$",
        &[
            &sci((m * n * k) as f64)[..],
            &[nmf_core::PARALLEL_WORK.ilog2() as f64],
        ]
        .concat(),
    );
    // Y at the largest size, read twice per iteration.
    says(
        "At the largest size that is {} MiB, read twice per iteration.",
        &[mib(LARGE.0 * LARGE.1)],
    );
}

// ## Memory

#[test]
fn memory_against_y() {
    let (y, mu, hals) = memory();
    let include = "{{#include ../nmf-core/benches/results/memory.md}}";
    assert!(prose::page(CHAPTER).text.contains(include));
    // memory.md's Y is the size of Y.
    assert_eq!(format!("{y:.1}"), format!("{:.1}", mib(LARGE.0 * LARGE.1)));
    says(
        "$Y$ takes {} MiB (mebibytes of $2^{{}}$ bytes: ${} \\times {}$
        entries of {} bytes each)",
        &[
            y,
            f64::from(MIB.ilog2()),
            LARGE.0 as f64,
            LARGE.1 as f64,
            std::mem::size_of::<f64>() as f64,
        ],
    );
    says(
        "The multiplicative updates peaked {} MiB above $Y$ and the
        start, and HALS {} MiB: both under a quarter of $Y$.",
        &[mu, hals],
    );
    assert!(mu < y / 4.0 && hals < y / 4.0);
    // The chunks' sums of WᵀY, with K padded to whole registers of the
    // widest path.
    let (_, n, k) = LARGE;
    let padded = padded(k);
    let chunks = nmf_core::FUSED_CHUNKS;
    says(
        "Its {} chunks each keep a sum of $W^\\top Y$
        with $K$ padded to {}, ${} \\cdot {} \\cdot N$ numbers, {} MiB at this
        size.",
        &[
            chunks as f64,
            padded as f64,
            chunks as f64,
            padded as f64,
            mib(chunks * padded * n),
        ],
    );
    says(
        "No $M \\times N$ matrix besides $Y$: the fit peaked {} MiB above a
        {} MiB $Y$, against scikit-learn's {} MiB.",
        &[mu, y, sklearn_memory().0],
    );
}

// ## Against scikit-learn

#[test]
fn against_scikit_learn() {
    let mu = |s| sklearn_ms(s).0 / ms(s, "fused");
    says(
        "at the largest size, {} ms per iteration against {}: `nmf-core`
        was {} times as fast;",
        &[ms(LARGE, "fused"), sklearn_ms(LARGE).0, mu(LARGE)],
    );
    says(
        "at the middle size, {} ms against {}: {} times as fast;",
        &[ms(MIDDLE, "fused"), sklearn_ms(MIDDLE).0, mu(MIDDLE)],
    );
    says(
        "at the small size, {} ms against {}: scikit-learn was {} times
        as fast.",
        &[ms(SMALL, "fused"), sklearn_ms(SMALL).0, 1.0 / mu(SMALL)],
    );
    let cd = |s| sklearn_ms(s).1 / ms(s, "HALS");
    says(
        "The next chapter's HALS was {} and {}
        times as fast as `cd` at the two larger sizes, and took {} times as
        long at the small one.",
        &[cd(MIDDLE), cd(LARGE), 1.0 / cd(SMALL)],
    );
}

#[test]
fn memory_against_scikit_learn() {
    let (y, mu, hals) = memory();
    let (sk_mu, sk_cd, sk_y) = sklearn_memory();
    // sklearn.md rounds Y to the MiB.
    assert_eq!(sk_y, y.round());
    says(
        "At the largest size scikit-learn's
        fits peaked {} MiB above $Y$ for `mu` and {} MiB for `cd`: about {}
        the size of $Y$, {} times what `nmf-core`'s multiplicative updates took,
        and {} times its HALS.",
        &[sk_mu, sk_cd, sk_mu / y, sk_mu / mu, sk_cd / hals],
    );
    // Both: "about twice".
    assert_eq!((sk_cd / y).round(), (sk_mu / y).round());
    // "the product WH and the difference Y − WH, two M × N matrices at
    // once, 153 MiB at this size"
    says(
        "the product $WH$ and the
        difference $Y - WH$, two $M \\times N$ matrices at once, {} MiB at this
        size.",
        &[2.0 * mib(LARGE.0 * LARGE.1)],
    );
}

#[test]
fn the_alt_text_of_figure_11_1() {
    // The figure divides by the bound as the file holds it; the alt text
    // gives the red line at the small size to tens, then to units.
    let columns = ["products", "cheap loss", "threads", "fused"];
    says(
        "A red line for {} × {}, K = {} starts at about {} for loops, falls to about {} for
        products and to about {} for cheap loss, and stays at about {} for threads
        and fused.",
        &[
            SMALL.0 as f64,
            SMALL.1 as f64,
            SMALL.2 as f64,
            round(drawn(SMALL, "loops"), -1),
            drawn(SMALL, "products"),
            drawn(SMALL, "cheap loss"),
            drawn(SMALL, "threads"),
        ],
    );
    assert_eq!(
        format!("{:.0}", drawn(SMALL, "threads")),
        format!("{:.0}", drawn(SMALL, "fused"))
    );
    let mut blue = vec![MIDDLE.0 as f64, MIDDLE.1 as f64, MIDDLE.2 as f64];
    blue.extend(columns.map(|s| drawn(MIDDLE, s)));
    says(
        "A blue line for {} × {}, K = {} starts at products at about {} and falls
        to about {}, {} and {}.",
        &blue,
    );
    let mut green = vec![LARGE.0 as f64, LARGE.1 as f64, LARGE.2 as f64];
    green.extend(columns.map(|s| drawn(LARGE, s)));
    says(
        "A green line for {} × {}, K = {} runs just below it, from about {} to
        about {}, {} and {}.",
        &green,
    );
    assert!(columns.iter().all(|s| drawn(LARGE, s) < drawn(MIDDLE, s)));
    says(
        "Above HALS, open circles in the same colours sit at about {}, {} and {}.",
        &at_sizes(|s| drawn(s, "HALS")),
    );
    // The bound, divided by itself.
    says(
        "A thick black horizontal line at {} is the bound.",
        &[bound(LARGE) / bound(LARGE)],
    );
    // Marks at 1, 10 and 100 on the axis: every ratio lies between the
    // first and ten times the last.
    let marks = prose::values(
        "on a logarithmic vertical axis labelled '× the bound', with marks at {}, {} and {}.",
    );
    assert!(stages()
        .iter()
        .all(|r| r.ms / r.bound_ms > marks[0] && r.ms / r.bound_ms < 10.0 * marks[2]));
}

#[test]
fn where_this_stands() {
    let fused = ratio(LARGE, "fused");
    let mu = sklearn_ms(LARGE).0 / ms(LARGE, "fused");
    says(
        "the fused pass runs at {} times
        the bound, and {} times as fast per iteration as scikit-learn's `mu`.",
        &[fused, mu],
    );
    // The bound caps the ratio to `mu`.
    let cap = sklearn_ms(LARGE).0 / precise_bound(LARGE);
    says(
        "`mu` takes {} ms per iteration
        against the bound's {} ms, so even a pass at the bound would be only
        {} times as fast",
        &[sklearn_ms(LARGE).0, bound(LARGE), cap],
    );
    assert!(mu < cap);
    says(
        "the multiplicative updates run
        at {} times the bound and {} times as fast as scikit-learn's `mu`",
        &[fused, mu],
    );
    says(
        "a pass at the bound would be {}
        times as fast as `mu`.",
        &[cap],
    );
    says("Where do the remaining {}% go?", &[100.0 * (fused - 1.0)]);
    let estimate = two_core_estimate();
    says(
        "On one thread the fused iteration ran at
        {} GFLOP/s, {}% of a square product's rate in that run",
        &[kernel("fused"), 100.0 * kernel("fused") / kernel("square")],
    );
    says(
        "At that rate, two cores sharing the work perfectly
        would need {} ms per iteration, {} times the bound; the pass takes
        {} ms, {}% more than that estimate.",
        &[
            estimate,
            estimate / precise_bound(LARGE),
            ms(LARGE, "fused"),
            100.0 * (ms(LARGE, "fused") / estimate - 1.0),
        ],
    );
}

#[test]
fn the_summary() {
    says(
        "because each $(WH)_{mn}$ is formed again for every $k$. At the small
        size it took {} times the bound.",
        &[ratio(SMALL, "loops")],
    );
}

// ## The losses after 200 iterations, against scikit-learn's

/// `x` to `digits` significant digits, as Python's `{x:.{digits}g}` prints it
/// for the numbers of the table.
fn significant(x: f64, digits: i32) -> String {
    let whole = x.abs().log10().floor() as i32 + 1;
    format!("{:.*}", (digits - whole).max(0) as usize, x)
}

#[test]
fn the_losses_after_200_iterations_agree_with_scikit_learn_to_every_printed_digit() {
    // The table prints ten significant digits, as the chapter says.
    let [digits] = prose::values(
        "they round differently, and the difference does not
        show in the {} digits printed.",
    )
    .try_into()
    .unwrap();
    for phrase in [
        "the
        losses of scikit-learn to {} digits, and the same bits on any number of
        threads.",
        "with the same losses to {} digits; a pass at the bound",
    ] {
        assert_eq!(prose::value(phrase), digits);
    }
    for size in SIZES {
        let row = sklearn_row(size);
        let (mu, hals) = losses(size);
        for (ours, printed) in [(mu, &row[3]), (hals, &row[4])] {
            assert_eq!(printed.replace('.', "").len(), digits as usize);
            assert_eq!(&significant(ours, digits as i32), printed, "{size:?}");
        }
    }
}

// ## A kernel for skinny products (appendix D)

/// The tile sizes that the book states in words, against the library's
/// constants. They are not measurements, but they are the numbers behind
/// the kernel's rates, and the sentences that state them may live in
/// chapter 11 or in appendix D.
#[test]
fn a_kernel_for_skinny_products() {
    use nmf_core::{AVX2_TILE, AVX512_TILE, KERNEL_DEPTH};
    let t = AVX512_TILE;
    let f = |x: usize| x as f64;
    says(
        "a processor with **AVX-512** has {} registers of {}
        numbers each, and an instruction that does {} fused multiply–adds at
        once",
        &[f(t.registers), f(t.lanes), f(t.lanes)],
    );
    let a = AVX2_TILE;
    says(
        "Processors with AVX2 and FMA have {} registers of {} numbers
        and the same instruction for {} positions.",
        &[f(a.registers), f(a.lanes), f(a.lanes)],
    );
    let (rows, tile) = (t.down * t.lanes, t.down * t.across);
    says(
        "The kernel is written
        to hold a tile of $C$, {} rows by {} columns, in {} registers. For each
        $p$ it loads {} consecutive entries of column $p$ of $A$ into {}
        registers; then, for each of the {} columns $q$, it fills a register
        with {} copies of $b_{pq}$ and does {} fused multiply–add instructions
        into that column of the tile. That is {} instructions, {} multiply–adds
        in all, for {} loads of $A$ and {} entries of $B$.",
        &[
            f(rows),
            f(t.across),
            f(tile),
            f(rows),
            f(t.down),
            f(t.across),
            f(t.lanes),
            f(t.down),
            f(tile),
            f(tile * t.lanes),
            f(t.down),
            f(t.across),
        ],
    );
    says(
        "AVX-512 (tiles of {} registers, {} rows, by {} columns), or AVX2 with
        fused multiply–adds (tiles of {} registers, {} rows, by {} columns)",
        &[
            f(t.down),
            f(rows),
            f(t.across),
            f(a.down),
            f(a.down * a.lanes),
            f(a.across),
        ],
    );
    let padded = padded(LARGE.2);
    says(
        "The rows of $W_b^\\top$ are padded with zeros to a
        multiple of {}, so that every column of $A$ fills whole registers. At
        $K = {}$ that is {} rows: $W^\\top Y$ does ${}/{}$ of the
        multiply–adds it needs, {}% more.",
        &[
            f(t.lanes),
            f(LARGE.2),
            f(padded),
            f(padded),
            f(LARGE.2),
            100.0 * (f(padded) / f(LARGE.2) - 1.0),
        ],
    );
    says(
        "which lie $M$ entries apart in memory, {}
        bytes at the largest size.",
        &[f(LARGE.0 * std::mem::size_of::<f64>())],
    );
    says(
        "while it multiplies a block of {}
        columns of $Y_b$, it asks for the same rows {} columns further on.",
        &[f(KERNEL_DEPTH), f(KERNEL_DEPTH)],
    );
}

// ## Every measured number of the chapter is checked

/// The checks above, run again by [`every_measured_number_of_the_chapter_is_checked`].
const CHECKS: [fn(); 23] = [
    the_loss_when_it_is_needed,
    the_benchmark_runs_as_the_chapter_says,
    the_problems_are_the_benchmarks,
    the_measurements_are_of_two_cores_at_the_stated_product_rates,
    the_table_is_the_measurements_printed,
    the_bounds_quoted_in_words,
    loops,
    products,
    the_skinny_products_ran_under_60_percent_of_a_square_product,
    the_cheap_loss,
    threads,
    one_pass_over_y_with_its_kernel,
    memory_against_y,
    against_scikit_learn,
    memory_against_scikit_learn,
    the_alt_text_of_figure_11_1,
    where_this_stands,
    the_summary,
    the_losses_after_200_iterations_agree_with_scikit_learn_to_every_printed_digit,
    a_kernel_for_skinny_products,
    the_counts_of_the_snippets,
    the_rule_for_the_cheap_loss,
    the_blocks_and_chunks_of_the_fused_pass,
];

/// The fused pass's blocks and chunks, constants of the library, as the
/// chapter states them.
#[test]
fn the_blocks_and_chunks_of_the_fused_pass() {
    let (rows, chunks) = (nmf_core::FUSED_ROWS as f64, nmf_core::FUSED_CHUNKS as f64);
    says(
        "`nmf-core` cuts the blocks of {} rows into {} chunks
        (one per block, if there are fewer than {} blocks)",
        &[rows, chunks, chunks],
    );
    says(
        "and at least two blocks of {} rows: $M \\ge {}$)",
        &[rows, 2.0 * rows],
    );
    says(
        "The fused pass reads $Y$ once per iteration, in blocks of {} rows",
        &[rows],
    );
    says("are reductions, kept in {} fixed chunks", &[chunks]);
}

/// The margin of the cheap loss, a constant of the library, as the
/// chapter states it.
#[test]
fn the_rule_for_the_cheap_loss() {
    let margin = nmf_core::CHEAP_LOSS_MARGIN;
    says(
        "So the solver uses (11.1) only while $D$ is at least {} times `size`
        (the constant `CHEAP_LOSS_MARGIN` in `mu.rs`).",
        &[margin],
    );
    says(
        "It is used while the loss is at
        least {} times the size of its terms",
        &[margin],
    );
}

/// The small counts that the chapter's snippets assert (the share of the
/// small products, and of the rest of an iteration), read from the text
/// and computed from the sizes.
#[test]
fn the_counts_of_the_snippets() {
    let share = |(m, n, k): (usize, usize, usize)| {
        100.0 * (2 * (m + n) * k * k) as f64 / (2 * m * n * k) as f64
    };
    says(
        "The other four cost $2(M + N)K^2$ together, {}% of the big ones
        at the small size and {}% at the largest.",
        &[share(SMALL), share(LARGE)],
    );
    let (m, n, k) = LARGE;
    let big = 2 * m * n * k;
    let rest = 2 * m * k * k + 3 * n * k * k + k * n + k * k;
    says(
        "The rest of the iteration is small: {}%
        of the multiply–adds",
        &[100.0 * rest as f64 / (big + rest) as f64],
    );
}

/// Every number of the chapter with a decimal point or a per cent sign,
/// the form a measured number takes, and every number of the alt text of
/// its figure, is read by one of the checks above

#[test]
fn every_measured_number_of_the_chapter_is_checked() {
    prose::every_measured_number_is_read(CHAPTER, "speed_stages.png", &CHECKS);
}

// ## The loss when it is needed

/// The iterations of a `--kinds` fit at the largest size, as the
/// benchmark's source sets them.
const KINDS_ITERATIONS_LARGE: f64 = {
    let (m, n, _) = LARGE;
    if m * n > 1_000_000 {
        10.0
    } else {
        50.0
    }
};

/// A row of kinds.csv: (step, fit, fit with every tenth loss) in ms.
fn kinds_ms(size: (usize, usize, usize), data: &str, algorithm: &str) -> (f64, f64, f64) {
    const KINDS_CSV: &str = include_str!("../nmf-core/benches/results/kinds.csv");
    let size = format!("{}x{}k{}", size.0, size.1, size.2);
    let row: Vec<&str> = KINDS_CSV
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[0] == size && r[1] == data && r[2] == algorithm)
        .unwrap_or_else(|| panic!("no row {size},{data},{algorithm}"))
        .clone();
    let x = |i: usize| row[i].parse::<f64>().unwrap();
    (x(3), x(4), x(5))
}

#[test]
fn the_loss_when_it_is_needed() {
    // The rule of KINDS_ITERATIONS_LARGE is the benchmark's own.
    const BENCH: &str = include_str!("../nmf-core/benches/speed.rs");
    let kinds = &BENCH[BENCH.find("fn kinds(").unwrap()..];
    assert!(kinds.contains("let iterations = if m * n > 1_000_000 { 10 } else { 50 };"));
    let (_, every, tenth) = kinds_ms(LARGE, "lowrank-1e-2", "mu");
    says(
        "a {}-iteration fit by the multiplicative updates took
        {} ms per iteration (its whole time divided by {}) with the loss of
        every iteration, and {} ms with `loss_every(10)`, which computes it
        only at the start and after the last: {} times as fast.",
        &[
            KINDS_ITERATIONS_LARGE,
            every,
            KINDS_ITERATIONS_LARGE,
            tenth,
            every / tenth,
        ],
    );
    assert!(tenth < every);
}
