//! The numbers that the chapter "HALS" (src/ch12-hals.md) states about
//! the benchmark, read from the chapter itself (`tests/prose`) and
//! checked against the benchmark's committed measurements:
//! `nmf-core/benches/results/race.csv`
//! (loss against seconds, MU, HALS and HALS with up to 10 inner
//! iterations from the same start), `stages.csv` (milliseconds per
//! iteration), `reach.csv` and `reach.md` (how soon inner iterations
//! reach the loss of 200 plain iterations) and `sklearn.md`
//! (scikit-learn's `mu` and `cd` on the same problems). The measurements
//! are of one machine and cannot be recomputed here; these tests make sure
//! that the prose and the files say the same thing. Each test finds a
//! sentence of the book by its words, with `{}` where its numbers stand,
//! and compares those numbers with the ones computed from the files,
//! printed as the book prints them: a number changed in the chapter
//! alone, or in the files alone, fails here.

mod prose;
mod results;
use prose::says;
use results::{losses, ms, problem, round, sklearn_row, table, LARGE, MIDDLE, SIZES, SMALL};

const CHAPTER: &str = "src/ch12-hals.md";

const RACE: &str = include_str!("../nmf-core/benches/results/race.csv");
const REACH: &str = include_str!("../nmf-core/benches/results/reach.csv");
const REACH_MD: &str = include_str!("../nmf-core/benches/results/reach.md");

/// One row of race.csv.
#[derive(Debug, Clone, Copy)]
struct Point {
    iteration: usize,
    seconds: f64,
    loss: f64,
}

/// The rows of one algorithm ("Mu" or "Hals"), in order.
fn race(algorithm: &str) -> Vec<Point> {
    let points: Vec<Point> = RACE
        .lines()
        .skip(1)
        .filter(|line| line.split(',').next() == Some(algorithm))
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Point {
                iteration: f[1].parse().unwrap(),
                seconds: f[2].parse().unwrap(),
                loss: f[3].parse().unwrap(),
            }
        })
        .collect();
    assert!(
        points.iter().enumerate().all(|(i, p)| p.iteration == i),
        "{algorithm}: rows out of order"
    );
    points
}

/// The numbers of scikit-learn's row at `size`: [`mu` ms, `cd` ms, `mu`
/// loss, `cd` loss].
fn sklearn(size: (usize, usize, usize)) -> [f64; 4] {
    let row = sklearn_row(size);
    [1, 2, 3, 4].map(|i| row[i].parse().unwrap())
}

/// The iterations of scikit-learn's fits, as the table's header names
/// them: "`mu` loss after 200".
fn sklearn_iterations() -> usize {
    let header = &table(results::SKLEARN_MD)[0];
    assert_eq!(header[3].split(" after ").next(), Some("`mu` loss"));
    let n = header[3].rsplit(' ').next().unwrap().parse().unwrap();
    assert_eq!(header[4], format!("`cd` loss after {n}"));
    n
}

/// The latest loss of `points` at time `t`: the last point at or before t.
fn loss_at(points: &[Point], t: f64) -> f64 {
    points.iter().rev().find(|p| p.seconds <= t).unwrap().loss
}

/// The last point of a run.
fn end(run: &[Point]) -> Point {
    *run.last().unwrap()
}

/// A count, as a number the text states.
fn f(x: usize) -> f64 {
    x as f64
}

/// The race: three runs of 100 iterations each from the same start, on
/// the benchmark's middle problem.
#[test]
fn the_race_is_100_iterations_each_from_the_same_start() {
    let (mu, hals, reused) = (race("Mu"), race("Hals"), race("Hals10"));
    let iterations = mu.len() - 1;
    assert_eq!((hals.len(), reused.len()), (mu.len(), mu.len()));
    assert_eq!(RACE.lines().count(), 1 + 3 * mu.len());
    assert_eq!(mu[0].loss, hals[0].loss);
    assert_eq!(mu[0].loss, reused[0].loss);
    assert!([&mu, &hals, &reused]
        .iter()
        .all(|run| run[0].seconds == 0.0));
    let (m, n, k) = MIDDLE;
    says(
        "its middle problem: $Y$ is
        ${} \\times {}$ with entries uniform on $[0, 1)$, $K = {}$, and three
        runs go {} iterations each from the same start, on every core: the
        multiplicative updates, HALS, and HALS with up to {} inner iterations",
        &[f(m), f(n), f(k), f(iterations), f(inner_of_the_race())],
    );
    says(
        "HALS with up to {} inner iterations (green), {} iterations each from the same start, on the {} × {}, K = {} problem of the benchmark.",
        &[f(inner_of_the_race()), f(iterations), f(m), f(n), f(k)],
    );
}

/// The limit of inner iterations of the race's third run: the number in
/// its name in race.csv, which the benchmark's source gives it.
fn inner_of_the_race() -> usize {
    let name = RACE
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .find(|a| a.starts_with("Hals") && *a != "Hals")
        .unwrap();
    let inner: usize = name["Hals".len()..].parse().unwrap();
    let source = include_str!("../nmf-core/benches/speed.rs");
    let run = format!("(\"{name}\", Algorithm::Hals, {inner})");
    assert!(source.contains(&run), "the benchmark's race runs {run}");
    inner
}

/// The first HALS iteration whose loss is at most MU's after 100.
fn hals_passes_mu() -> Point {
    let (mu, hals) = (race("Mu"), race("Hals"));
    *hals.iter().find(|p| p.loss <= end(&mu).loss).unwrap()
}

#[test]
fn hals_reaches_the_100_iteration_loss_of_mu_in_5_iterations() {
    let mu = race("Mu");
    let last = f(mu.len() - 1);
    let first = hals_passes_mu();
    says(
        "HALS passes the loss that the multiplicative updates have after {}
        iterations at its {}th iteration, after {} s. That is about {}% of the
        {} s the multiplicative updates took for their {}.",
        &[
            last,
            f(first.iteration),
            first.seconds,
            100.0 * first.seconds / end(&mu).seconds,
            end(&mu).seconds,
            last,
        ],
    );
    says(
        "On a benchmark problem of
        chapter 11 it reaches, within {} iterations, the loss that the
        multiplicative updates have after {}.",
        &[f(first.iteration), last],
    );
    says(
        "On the benchmark, HALS reached the multiplicative updates'
        {}-iteration loss in {} iterations and about {}% of their time.",
        &[
            last,
            f(first.iteration),
            100.0 * first.seconds / end(&mu).seconds,
        ],
    );
}

#[test]
fn hals_is_lower_from_its_first_iteration_on() {
    let (mu, hals) = (race("Mu"), race("Hals"));
    // MU finished its first iteration before HALS did, by about half a
    // millisecond.
    assert!(mu[1].seconds < hals[1].seconds);
    says(
        "The multiplicative
        updates finish their first iteration first, at {} s, against
        {} s for HALS",
        &[mu[1].seconds, hals[1].seconds],
    );
    prose::find("so for that half a millisecond the multiplicative updates are ahead");
    assert_eq!(round(1e3 * (hals[1].seconds - mu[1].seconds), 1), 0.5);
    // Meanwhile MU is the lower: HALS is still at the start.
    let moments: Vec<f64> = mu.iter().chain(hals.iter()).map(|p| p.seconds).collect();
    for &t in moments
        .iter()
        .filter(|&&t| t >= mu[1].seconds && t < hals[1].seconds)
    {
        assert_eq!(loss_at(&hals, t), hals[0].loss, "at {t} s");
        assert!(loss_at(&mu, t) < loss_at(&hals, t), "at {t} s");
    }
    for &t in moments.iter().filter(|&&t| t >= hals[1].seconds) {
        assert!(loss_at(&hals, t) < loss_at(&mu, t), "at {t} s");
    }
    assert!((1..mu.len()).all(|t| hals[t].loss < mu[t].loss));
}

#[test]
fn hals_iterations_take_longer_in_the_race() {
    let (mu, hals) = (race("Mu"), race("Hals"));
    let more = end(&hals).seconds / end(&mu).seconds - 1.0;
    says(
        "Its iterations take longer: {} of them took
        {} s, {}% more.",
        &[f(hals.len() - 1), end(&hals).seconds, 100.0 * more],
    );
}

/// The numbers of the alt text of figure 12.1: the losses to hundreds
/// (the first of the red curve to thousands), the times as printed.
#[test]
fn the_alt_text_of_the_race_figure() {
    let (mu, hals, reused) = (race("Mu"), race("Hals"), race("Hals10"));
    says(
        "The red curve, multiplicative updates, starts at about {} and falls
        steadily, ending at about {} at {} s.",
        &[
            round(mu[1].loss, -3),
            round(end(&mu).loss, -2),
            end(&mu).seconds,
        ],
    );
    let first = hals_passes_mu();
    says(
        "The blue curve, HALS, starts at about {}, drops steeply to about {}
        by {} s, then flattens and ends at about {} at {} s.",
        &[
            round(hals[1].loss, -2),
            round(first.loss, -2),
            first.seconds,
            round(end(&hals).loss, -2),
            end(&hals).seconds,
        ],
    );
    // The green curve's bend, where the figure shows it: its 10th
    // iteration.
    let bend = reused[10];
    says(
        "The green curve, HALS with up to {} inner iterations, starts at about {}
        and drops faster still, to about {} by {} s, then runs almost flat to
        about {} at {} s.",
        &[
            f(inner_of_the_race()),
            round(reused[1].loss, -2),
            round(bend.loss, -2),
            bend.seconds,
            round(end(&reused).loss, -2),
            end(&reused).seconds,
        ],
    );
    // "The green curve lies below the blue one except in the first …,
    // and the blue one below the red one everywhere": as drawn, straight
    // lines between the points, wherever both curves are drawn.
    let except = prose::value(
        "The green curve lies below the blue one except in the first {} s, and the
        blue one below the red one everywhere.",
    );
    let drawn = |run: &[Point], t: f64| -> Option<f64> {
        let i = run[1..].iter().position(|p| p.seconds >= t)? + 1;
        if i == 1 {
            return (run[1].seconds == t).then_some(run[1].loss);
        }
        let (a, b) = (run[i - 1], run[i]);
        Some(a.loss + (b.loss - a.loss) * (t - a.seconds) / (b.seconds - a.seconds))
    };
    let grid = (0..=80_000).map(|i| i as f64 * 1e-5);
    let mut green_above = Vec::new();
    for t in grid {
        if let (Some(r), Some(b)) = (drawn(&mu, t), drawn(&hals, t)) {
            assert!(b < r, "blue above red at {t} s");
        }
        if let (Some(b), Some(g)) = (drawn(&hals, t), drawn(&reused, t)) {
            if g >= b {
                green_above.push(t);
            }
        }
    }
    assert!(!green_above.is_empty());
    assert!(green_above.iter().all(|&t| t < except));
    // The axes: every loss drawn lies between the first mark and a mark
    // above the last; the seconds run on an axis to 5% beyond the last
    // time, whose last mark is the one stated.
    let [low, high] = prose::values("on a linear axis marked from {} to {},")
        .try_into()
        .unwrap();
    let [zero, last_mark] = prose::values("against seconds on an axis marked from {} to {},")
        .try_into()
        .unwrap();
    let all: Vec<Point> = [&mu, &hals, &reused]
        .iter()
        .flat_map(|run| run[1..].iter().copied())
        .collect();
    let step = 2000.0; // the loss axis's marks, 158000, 160000, …
    assert!(all.iter().all(|p| p.loss > low && p.loss < high + step));
    assert_eq!((high - low) % step, 0.0);
    let t_max = all.iter().map(|p| p.seconds).fold(0.0, f64::max);
    assert_eq!(zero, 0.0);
    assert!(t_max > last_mark && 1.05 * t_max < last_mark + 0.1);
}

/// A HALS iteration against one of the multiplicative updates, in
/// stages.csv, and the ratio of the rounded entries of stages.md.
#[test]
fn hals_costs_a_little_more_per_iteration_than_mu() {
    let more = |size| 100.0 * (ms(size, "HALS") / ms(size, "fused") - 1.0);
    says(
        "(the \"fused\" column, `Solver::step` with its defaults): {}%
        longer at the small size, {}% at the middle size and {}% at the
        largest.",
        &SIZES.map(more),
    );
    let most = SIZES.map(more).into_iter().fold(0.0, f64::max);
    says(
        "On the benchmark's three sizes, a HALS iteration cost at most {}%
        more than one of the multiplicative updates.",
        &[most],
    );
    assert!(SIZES
        .iter()
        .all(|&size| ms(size, "HALS") > ms(size, "fused")));
    // The ratio of the two rounded entries of the small size, as
    // stages.md prints them, against the ratio of the times.
    let printed = |stage| results::printed(SMALL, stage);
    let (fused, hals) = (printed("fused"), printed("HALS"));
    let rounded: f64 = hals.parse::<f64>().unwrap() / fused.parse::<f64>().unwrap();
    says(
        "Ratios of the rounded
        entries can differ: {}/{} would be {}%, not {}%.",
        &[
            hals.parse().unwrap(),
            fused.parse().unwrap(),
            100.0 * (rounded - 1.0),
            more(SMALL),
        ],
    );
}

/// "`nmf-core`'s is the best of three runs of a few steps, after one step
/// to warm up": the benchmark's source.
#[test]
fn the_benchmark_times_as_the_chapter_says() {
    let best = prose::value(
        "`nmf-core`'s is the best of {} runs of a few steps, after one step
        to warm up.",
    );
    let bench = include_str!("../nmf-core/benches/speed.rs");
    let timing =
        format!("    step();\n    1e3 * best_of({best}, || (0..iterations).for_each(|_| step()))");
    assert!(bench.contains(&timing), "{timing}");
}

#[test]
fn hals_against_scikit_learn_cd_per_iteration() {
    let ours = |size| ms(size, "HALS");
    let [_, cd_small, _, _] = sklearn(SMALL);
    let [_, cd_mid, _, _] = sklearn(MIDDLE);
    let [_, cd_large, _, _] = sklearn(LARGE);
    says(
        "At the two larger sizes, `nmf-core`'s HALS iteration is {} and {}
        times as fast as scikit-learn's `cd`. At the smallest size it is slower:
        {} ms against {} ms.",
        &[
            cd_mid / ours(MIDDLE),
            cd_large / ours(LARGE),
            ours(SMALL),
            cd_small,
        ],
    );
    assert!(ours(SMALL) > cd_small);
}

/// "In scikit-learn's own runs, `cd` ends lower than `mu` after 200
/// iterations at every size."
#[test]
fn scikit_learn_cd_ends_lower_than_its_mu() {
    says(
        "in scikit-learn's own
        runs, `cd` ends below `mu` after {} iterations at every size.",
        &[f(sklearn_iterations())],
    );
    for size in SIZES {
        let [_, _, mu, cd] = sklearn(size);
        assert!(cd < mu, "{size:?}");
    }
}

/// "on these three the benchmark's losses after 200 iterations agree with
/// scikit-learn's to every digit the table prints": MU's with `mu`'s and
/// HALS's with `cd`'s, printed as the table prints them.
#[test]
fn the_losses_after_200_iterations_agree_with_scikit_learn() {
    for size in SIZES {
        let row = sklearn_row(size);
        let (mu, hals) = losses(size);
        for (ours, printed) in [(mu, &row[3]), (hals, &row[4])] {
            let decimals = printed.split('.').nth(1).map_or(0, str::len);
            assert_eq!(&format!("{ours:.decimals$}"), printed, "{size:?}");
        }
    }
}

/// "by nalgebra and `matrixmultiply` in one (the problem is too small for
/// chapter 11's fused pass and its kernel)": the fixture's Y is below the
/// size at which the fused pass runs, 2²¹ multiply–adds for YHᵀ and at
/// least 128 rows (nmf-core/src/mu.rs, `fuses`).
#[test]
fn the_cd_fixture_is_too_small_for_the_fused_pass() {
    let y = include_str!("../nmf-core/tests/fixtures/sklearn_mu_Y.csv");
    let w0 = include_str!("../nmf-core/tests/fixtures/sklearn_mu_W0.csv");
    let rows = y.lines().filter(|l| !l.trim().is_empty()).count();
    let cols = y.lines().next().unwrap().split(',').count();
    let k = w0.lines().next().unwrap().split(',').count();
    // `fuses` asks for both; the fixture meets neither.
    assert!(rows * cols * k < nmf_core::PARALLEL_WORK);
    assert!(rows < 2 * nmf_core::FUSED_ROWS);
}

/// One row of reach.csv: (iterations, seconds, loss) of `algorithm` with
/// at most `inner` inner iterations.
fn reach(algorithm: &str, inner: usize) -> (usize, f64, f64) {
    let row = REACH
        .lines()
        .skip(1)
        .map(|line| line.split(',').collect::<Vec<_>>())
        .find(|f| f[0] == algorithm && f[1] == inner.to_string())
        .unwrap_or_else(|| panic!("no row {algorithm} {inner}"));
    (
        row[2].parse().unwrap(),
        row[3].parse().unwrap(),
        row[4].parse().unwrap(),
    )
}

/// The limits the benchmark tried.
const INNERS: [usize; 6] = [1, 2, 5, 10, 20, 40];

/// reach.md, which the chapter includes as its table, is reach.csv
/// printed; every run reached its target.
#[test]
fn the_reach_table_is_the_reach_file_and_every_run_reached_its_target() {
    let include = "{{#include ../nmf-core/benches/results/reach.md}}";
    assert!(prose::page(CHAPTER).text.contains(include));
    let source = include_str!("../nmf-core/benches/speed.rs");
    assert!(source.contains(&format!("const INNERS: [usize; 6] = {INNERS:?};")));
    let caption = format!("{}, from the same start, on every core.", problem(LARGE));
    assert!(REACH_MD.contains(&caption), "{caption}");
    assert!(!REACH_MD.contains(">"));
    let rows = table(REACH_MD);
    assert_eq!(rows.len(), 1 + 2 * INNERS.len());
    for (algorithm, name) in [("Mu", "multiplicative updates"), ("Hals", "HALS")] {
        let target = reach(algorithm, 1).2;
        for inner in INNERS {
            let (iterations, seconds, loss) = reach(algorithm, inner);
            assert!(loss <= target, "{algorithm} {inner}");
            let line = format!("| {name} | {inner} | {iterations} | {seconds:.2} |");
            assert!(REACH_MD.contains(&line), "{line}");
        }
    }
    let (m, n, k) = LARGE;
    says(
        "The
        benchmark's `--reach` run takes the largest problem, ${} \\times {}$
        at $K = {}$, records the loss of {} plain iterations of each
        algorithm",
        &[f(m), f(n), f(k), f(reach("Mu", 1).0)],
    );
}

#[test]
fn how_soon_inner_iterations_reach_the_200_iteration_loss() {
    let (mu, hals) = (reach("Mu", 1), reach("Hals", 1));
    assert_eq!(mu.0, hals.0);
    // The limits the text names: 10, 20 and 40.
    let [ten, twenty, forty] = [INNERS[3], INNERS[4], INNERS[5]];
    let hals10 = reach("Hals", ten);
    says(
        "Plain, each algorithm took its {} iterations: {} s for the
        multiplicative updates, {} s for HALS. Reuse shortens both. HALS with
        up to {} inner iterations reached its {}-iteration loss in {}
        iterations and {} s, {} times sooner.",
        &[
            f(mu.0),
            mu.1,
            hals.1,
            f(ten),
            f(hals.0),
            f(hals10.0),
            hals10.1,
            hals.1 / hals10.1,
        ],
    );
    let (hals20, hals40) = (reach("Hals", twenty), reach("Hals", forty));
    assert_eq!(hals20.0, hals40.0);
    says(
        "Beyond {} the limit hardly
        matters for HALS: with {} or {} it took {} iterations, and {} s and
        {} s.",
        &[f(ten), f(twenty), f(forty), f(hals20.0), hals20.1, hals40.1],
    );
    let (mu20, mu40) = (reach("Mu", twenty), reach("Mu", forty));
    says(
        "with up to {} they needed {} iterations and {} s, {}
        times sooner, and with up to {}, {} iterations and {} s.",
        &[
            f(twenty),
            f(mu20.0),
            mu20.1,
            mu.1 / mu20.1,
            f(forty),
            f(mu40.0),
            mu40.1,
        ],
    );
    says(
        "On the largest benchmark problem they reached the
        {}-iteration loss {} times sooner for HALS (up to {}) and {} times
        sooner for the multiplicative updates (up to {}).",
        &[
            f(hals.0),
            hals.1 / hals10.1,
            f(ten),
            mu.1 / mu20.1,
            f(twenty),
        ],
    );
    // "The multiplicative updates kept gaining as the limit grew."
    let times = INNERS.map(|inner| reach("Mu", inner).1);
    assert!(times.windows(2).all(|p| p[1] < p[0]));
    // "the 200-iteration loss of HALS is the lower of the two"
    assert!(hals.2 < mu.2);
}

#[test]
fn inner_iterations_against_scikit_learn() {
    let [mu_ms, cd_ms, mu_loss, cd_loss] = sklearn(LARGE);
    // The targets are the 200-iteration losses of plain nmf-core, the same
    // as scikit-learn's to the digits printed (and to 1e-9 relative here).
    let (mu_target, hals_target) = (reach("Mu", 1).2, reach("Hals", 1).2);
    let (mu_200, hals_200) = losses(LARGE);
    assert!((mu_target - mu_200).abs() <= 1e-9 * mu_200);
    assert!((hals_target - hals_200).abs() <= 1e-9 * hals_200);
    assert!((mu_200 - mu_loss).abs() <= 1e-9 * mu_loss);
    assert!((hals_200 - cd_loss).abs() <= 1e-9 * cd_loss);
    // Below scikit-learn's own printed losses, too.
    let [ten, twenty] = [INNERS[3], INNERS[4]];
    let (hals10, mu20, plain) = (reach("Hals", ten), reach("Mu", twenty), reach("Hals", 1));
    assert_eq!(plain.0, sklearn_iterations());
    assert!(hals10.2 < cd_loss && mu20.2 < mu_loss);
    let iterations = f(plain.0);
    let (cd_seconds, mu_seconds) = (iterations * cd_ms / 1e3, iterations * mu_ms / 1e3);
    says(
        "`cd`'s {} iterations took
        ${} \\times {}$ ms $= {}$ s. HALS with up to {} inner iterations
        reached the same loss in {} s, {} times sooner.",
        &[
            iterations,
            iterations,
            cd_ms,
            cd_seconds,
            f(ten),
            hals10.1,
            cd_seconds / hals10.1,
        ],
    );
    // Plain HALS: the same iterates as `cd`, in less time per iteration.
    assert!(plain.1 / (plain.0 as f64) < cd_ms / 1e3);
    says(
        "its {} iterations took {} s, {} times sooner than `cd`. The
        inner iterations, {} times sooner again, make up the rest. The
        multiplicative updates with up to {} reached the loss of `mu` in {} s,
        against ${} \\times {}$ ms $= {}$ s for `mu`, {} times as long.",
        &[
            iterations,
            plain.1,
            cd_seconds / plain.1,
            plain.1 / hals10.1,
            f(twenty),
            mu20.1,
            iterations,
            mu_ms,
            mu_seconds,
            mu_seconds / mu20.1,
        ],
    );
    says(
        "scikit-learn's {} s
        and {} s are the table's times per iteration multiplied back by {};",
        &[cd_seconds, mu_seconds, iterations],
    );
    says(
        "HALS with such inner
        iterations reached the loss of {} iterations of scikit-learn's `cd` in
        {} s, where `cd` took {} s.",
        &[iterations, hals10.1, cd_seconds],
    );
    says(
        "With
        up to {}, HALS reached the loss of {} iterations of scikit-learn's
        `cd` in {} s, against `cd`'s {} s, and plain HALS in {} s:",
        &[f(ten), iterations, hals10.1, cd_seconds, plain.1],
    );
}

#[test]
fn the_green_curve() {
    let (mu, hals, reused) = (race("Mu"), race("Hals"), race("Hals10"));
    assert!((1..mu.len()).all(|t| reused[t].loss < hals[t].loss && reused[t].loss < mu[t].loss));
    says(
        "though each of its iterations took about {} times as
        long as one of plain HALS: {} took {} s.",
        &[
            end(&reused).seconds / end(&hals).seconds,
            f(reused.len() - 1),
            end(&reused).seconds,
        ],
    );
    let moments: Vec<f64> = [&mu, &hals, &reused]
        .iter()
        .flat_map(|run| run.iter().map(|p| p.seconds))
        .filter(|t| *t >= reused[1].seconds)
        .collect();
    let behind: Vec<f64> = moments
        .iter()
        .copied()
        .filter(|&t| loss_at(&reused, t) >= loss_at(&hals, t))
        .collect();
    assert!(!behind.is_empty());
    let last = behind.iter().copied().fold(0.0, f64::max);
    // Behind at some moments before its third iteration, and at none
    // from then on.
    let third = reused.iter().find(|p| p.seconds > last).unwrap();
    assert_eq!(third.iteration, 3);
    says(
        "until its third iteration, at {} s, plain
        HALS is the lower at some moments.",
        &[third.seconds],
    );
    assert!(moments
        .iter()
        .all(|&t| loss_at(&reused, t) < loss_at(&mu, t)));
    let first = reused.iter().find(|p| p.loss <= end(&hals).loss).unwrap();
    says(
        "It reaches the loss of {} plain
        HALS iterations at its {}th iteration, after {} s, {}% of the {} s
        that plain HALS took.",
        &[
            f(hals.len() - 1),
            f(first.iteration),
            first.seconds,
            100.0 * first.seconds / end(&hals).seconds,
            end(&hals).seconds,
        ],
    );
}

// ## Every measured number of the chapter is checked

/// The checks above, run again by
/// [`every_measured_number_of_the_chapter_is_checked`].
const CHECKS: [fn(); 16] = [
    the_benchmark_times_as_the_chapter_says,
    the_race_is_100_iterations_each_from_the_same_start,
    hals_reaches_the_100_iteration_loss_of_mu_in_5_iterations,
    hals_is_lower_from_its_first_iteration_on,
    hals_iterations_take_longer_in_the_race,
    the_alt_text_of_the_race_figure,
    hals_costs_a_little_more_per_iteration_than_mu,
    hals_against_scikit_learn_cd_per_iteration,
    scikit_learn_cd_ends_lower_than_its_mu,
    the_losses_after_200_iterations_agree_with_scikit_learn,
    the_cd_fixture_is_too_small_for_the_fused_pass,
    the_reach_table_is_the_reach_file_and_every_run_reached_its_target,
    how_soon_inner_iterations_reach_the_200_iteration_loss,
    inner_iterations_against_scikit_learn,
    the_green_curve,
    the_small_fits_of_the_chapter,
];

/// Every number of the chapter with a decimal point or a per cent sign,
/// the form a measured number takes, and every number of the alt text of
/// its figure, is read by one of the checks above.
#[test]
fn every_measured_number_of_the_chapter_is_checked() {
    prose::every_measured_number_is_read(CHAPTER, "hals_race.png", &CHECKS);
}

/// The small fits of the chapter's snippets, whose results the text
/// states too: computed here again from the library and compared with the
/// text. The ranks and iterations are read from the text.
#[test]
fn the_small_fits_of_the_chapter() {
    use nmf_core::nalgebra::DMatrix;
    use nmf_core::{Algorithm, Init, Nmf};
    // Chapter 4's 8 × 6 matrix, seed 4, as the snippets define it.
    let y = DMatrix::from_fn(8, 6, |m, n| ((m * 7 + n * 3) % 5) as f64);
    let fit = |k: usize, iterations: usize, algorithm: Algorithm, floor: f64| {
        Nmf::new(k)
            .max_iter(iterations)
            .tol(0.0)
            .seed(4)
            .algorithm(algorithm)
            .floor(floor)
            .fit(&y)
            .unwrap()
    };
    let rank_3 = "At rank {}, after {}
        iterations, HALS is at {} while the multiplicative updates are at
        {}; after {} iterations both are near {}, HALS slightly lower.";
    let v = prose::values(rank_3);
    let (k, early, late) = (v[0] as usize, v[1] as usize, v[4] as usize);
    let (mu, hals) = (
        fit(k, late, Algorithm::Mu, 0.0),
        fit(k, late, Algorithm::Hals, 0.0),
    );
    let (mu, hals) = (&mu.losses, &hals.losses);
    says(
        rank_3,
        &[f(k), f(early), hals[early], mu[early], f(late), hals[late]],
    );
    assert_eq!(format!("{:.1}", mu[late]), format!("{:.1}", hals[late]));
    assert!(hals[late] < mu[late]);
    let rank_2 = "At rank {} its first iteration
        ends at {}, against {} for the multiplicative updates.";
    let k = prose::values(rank_2)[0] as usize;
    let (mu, hals) = (
        fit(k, late, Algorithm::Mu, 0.0).losses,
        fit(k, late, Algorithm::Hals, 0.0).losses,
    );
    says(rank_2, &[f(k), hals[1], mu[1]]);
    prose::find("It is still behind after the second iteration, and ahead from the third on.");
    assert!(hals[1] > mu[1] && hals[2] > mu[2]);
    assert!((3..=late).all(|t| hals[t] < mu[t]));

    // Zeros, and a floor, in the rank-3 fit.
    let (k, late) = (v[0] as usize, v[4] as usize);
    let at = |f: &nmf_core::Factorization, x: f64| {
        f.w.iter().chain(f.h.iter()).filter(|v| **v == x).count()
    };
    let (hals, mu) = (
        fit(k, late, Algorithm::Hals, 0.0),
        fit(k, late, Algorithm::Mu, 0.0),
    );
    says(
        "The rank-3 fit of chapter 4's $8 \\times 6$ matrix above ends with {}
        entries at exactly zero, while the multiplicative fit from the same
        start has none.",
        &[f(at(&hals, 0.0))],
    );
    assert_eq!(at(&mu, 0.0), 0);
    let floor = "In the snippet, a floor of $10^{-{}}$ holds {} entries of the rank-3
        fit at exactly the floor, and costs a little loss: {} after {}
        iterations, against {} without it.";
    let eps = 10f64.powi(-(prose::values(floor)[0] as i32));
    let floored = fit(k, late, Algorithm::Hals, eps);
    says(
        floor,
        &[
            -eps.log10(),
            f(at(&floored, eps)),
            floored.losses[late],
            f(late),
            hals.losses[late],
        ],
    );

    // Chapter 4's stuck point, left by HALS.
    let y = DMatrix::identity(2, 2);
    let w = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 1.0, 0.0]);
    let h = DMatrix::from_row_slice(2, 2, &[0.5, 0.5, 1.0, 0.0]);
    let w_new = nmf_core::hals_update_w(&y, &w, &h).unwrap();
    says(
        "so
        $w_{12}$ goes from {} to {}.",
        &[w[(0, 1)], w_new[(0, 1)]],
    );
    let losses = Nmf::new(2)
        .max_iter(4)
        .tol(0.0)
        .algorithm(Algorithm::Hals)
        .init(Init::Custom { w, h })
        .fit(&y)
        .unwrap()
        .losses;
    let stuck = "After one iteration the loss is {}, and after four it is below
        $10^{-{}}$.";
    let below = 10f64.powi(-(prose::values(stuck)[1] as i32));
    assert!(losses[4] < below);
    says(stuck, &[losses[1], -below.log10()]);

    // Exercise 3: the article's data and start, 50 iterations.
    let exercise = "the multiplicative updates reach {} after {} iterations.";
    let t = prose::values(exercise)[1] as usize;
    let (y, w, h) = nmf_core::datasets::article_cos2();
    let fit = Nmf::new(2)
        .max_iter(t)
        .tol(0.0)
        .init(Init::Custom { w, h })
        .fit(&y)
        .unwrap();
    says(exercise, &[fit.losses[t], f(t)]);
}
