//! The numbers that Part I states, read from the text itself
//! (`tests/prose`) and computed again here the way the examples that draw
//! the figures compute them, with the examples' own functions and
//! constants, or with the library the way the snippets beside the numbers
//! compute them. So a number changed in the text alone, or a change to an
//! example or the library that moves it, fails here; `tests/figures.rs`
//! checks that the committed figures are what the examples draw.
//!
//! The alt text of the figures of chapters 1, 3, 4, 6 and 7 (the shapes
//! of Y ≈ WH, the bounds that touch the loss and the scrubber that steps
//! down them, the loss at three ranks, the first picture, and chapter 7's
//! animation, its last frame and its loss at two ranks); the numbers of
//! chapter 7's prose; chapter 5's fit that stops on a plateau; and the
//! losses of sections 6 and 11 of Appendix A.

// Each example declares the shared module itself, so including the
// examples here includes it again; the copies are identical.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/common/mod.rs"]
mod common;
#[allow(dead_code)]
#[path = "../examples/cos2_anim.rs"]
mod cos2_anim;
#[allow(dead_code)]
#[path = "../examples/cos2_ranks.rs"]
mod cos2_ranks;
#[allow(dead_code)]
#[path = "../examples/jensen_bound.rs"]
mod jensen_bound;
#[allow(dead_code)]
#[path = "../examples/linear_2d.rs"]
mod linear_2d;
#[allow(dead_code)]
#[path = "../examples/loss_curve.rs"]
mod loss_curve;
#[allow(dead_code)]
#[path = "../examples/shapes.rs"]
mod shapes;

mod prose;
use prose::says;

use nmf_core::nalgebra::{DMatrix, Matrix2, RowVector2};
use nmf_core::{auxiliary, best_scale, datasets, grad_w, loss, update_w, Init, Nmf, State};

/// A count, as a number the text states.
fn f(x: usize) -> f64 {
    x as f64
}

/// The angle of (x, y) from the x axis, in degrees.
fn angle(x: f64, y: f64) -> f64 {
    y.atan2(x).to_degrees()
}

/// Row `m` of `a`, a matrix of two columns.
fn row(a: &DMatrix<f64>, m: usize) -> RowVector2<f64> {
    RowVector2::new(a[(m, 0)], a[(m, 1)])
}

/// The angles of the rows h₁ and h₂ of H.
fn arrows(h: &DMatrix<f64>) -> [f64; 2] {
    [angle(h[(0, 0)], h[(0, 1)]), angle(h[(1, 0)], h[(1, 1)])]
}

/// The points of `y` that lie in the cone of the rows of `h`, edges
/// included.
fn inside(y: &DMatrix<f64>, h: &DMatrix<f64>) -> Vec<usize> {
    let [a, b] = arrows(h);
    (0..y.nrows())
        .filter(|&m| (a.min(b)..=a.max(b)).contains(&angle(y[(m, 0)], y[(m, 1)])))
        .collect()
}

/// The best non-negative mix w₁h₁ + w₂h₂ of a point `p` outside the cone
/// of `h`, and the edge it lies on: the better of the two feet of the
/// perpendiculars to the rows' lines (chapter 7).
fn best_on_edge(p: RowVector2<f64>, h: &DMatrix<f64>) -> (RowVector2<f64>, usize) {
    let square = Matrix2::new(h[(0, 0)], h[(0, 1)], h[(1, 0)], h[(1, 1)]);
    let free = p * square.try_inverse().unwrap();
    assert!(free.min() < 0.0, "{p} lies inside the cone");
    let on_edge = |k: usize| {
        let h_k = row(h, k);
        (p.dot(&h_k) / h_k.norm_squared()).max(0.0) * h_k
    };
    let (first, second) = (on_edge(0), on_edge(1));
    if (p - first).norm() <= (p - second).norm() {
        (first, 0)
    } else {
        (second, 1)
    }
}

/// The value of an ordinal word ("first", "fifth") that follows `before`
/// in the one match of `pattern`: a number the text writes as a word the
/// reader does not take for a number.
fn ordinal(pattern: &str, before: &str) -> usize {
    const ORDINALS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    let text = prose::find(pattern).text;
    let word = text
        .split(before)
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no word after {before:?} in {text:?}"));
    ORDINALS
        .iter()
        .position(|o| *o == word)
        .unwrap_or_else(|| panic!("{word:?} is no ordinal"))
        + 1
}

/// Whether `a` and `b` print the same with `decimals` decimals.
fn same_at(decimals: usize, a: f64, b: f64) -> bool {
    format!("{a:.decimals$}") == format!("{b:.decimals$}")
}

// ## Figure 1.1: the shapes of Y, W and H

#[test]
fn the_shapes_of_y_w_and_h() {
    use shapes::{K, M, N};
    let [m, n, k] = [M, N, K].map(f64::from);
    says(
        "Y is a tall box of {} rows and {} columns, labelled M × N",
        &[m, n],
    );
    says(
        "W is a tall narrow box of {} rows and {} columns, labelled M × K",
        &[m, k],
    );
    says(
        "H is a short wide box of {} rows and {} columns, labelled K × N",
        &[k, n],
    );
    // "tall", "tall narrow", "short wide".
    const { assert!(M > N && K < N && K < M) };
    // The rows of H, numbered from 1 to K.
    says(
        "row m of Y is approximately w_m1 times row {} of H plus w_m2 times row {} of H",
        &[1.0, k],
    );
}

// ## Figure 3.1 and its scrubber: the bounds that touch the loss

/// D and G(· | at) along w₁₁, on the problem of figure 3.1.
fn jensen() -> (impl Fn(f64) -> f64, impl Fn(f64, f64) -> f64) {
    let (y, h, w12) = jensen_bound::problem();
    let weights = move |w: f64| DMatrix::from_row_slice(1, 2, &[w, w12]);
    let (y2, h2) = (y.clone(), h.clone());
    let d = move |w: f64| loss(&y, &weights(w), &h).unwrap();
    let g = move |w: f64, at: f64| auxiliary(&y2, &weights(w), &h2, &weights(at), &h2).unwrap();
    (d, g)
}

/// The tick labels of the first frame of the scrubber's SVG, which draws
/// its axes with the figure's own function: (across, up).
fn jensen_ticks() -> (Vec<f64>, Vec<f64>) {
    let svg = std::fs::read_to_string(common::figures_dir().join("jensen_bound_steps.svg"))
        .expect("the scrubber's SVG");
    let first = svg.split("data-frame=\"1\"").next().unwrap();
    let labels = |anchor: &str| -> Vec<f64> {
        first
            .lines()
            .filter(|l| l.starts_with("<text") && l.contains(anchor))
            .filter_map(|l| l.split('>').nth(1)?.strip_suffix("</text")?.parse().ok())
            .collect()
    };
    (
        labels("text-anchor=\"middle\""),
        labels("text-anchor=\"end\""),
    )
}

#[test]
fn the_bounds_that_touch_the_loss() {
    use jensen_bound::{mm_steps, START, Y_MAX};
    let (d, g) = jensen();
    let (across, up) = jensen_ticks();
    let (x_lo, x_hi) = (across[0], *across.last().unwrap());
    assert_eq!((up[0], *up.last().unwrap()), (0.0, Y_MAX));
    says(
        "with w₁₁ from {} to {} across and the loss from {} to {} up.",
        &[x_lo, x_hi, 0.0, Y_MAX],
    );
    // The lowest point of D: the limit of majorise–minimise, where the
    // gradient along w₁₁ vanishes.
    let limit = *mm_steps(START, 200).unwrap().last().unwrap();
    let (y, h, w12) = jensen_bound::problem();
    let at_limit = DMatrix::from_row_slice(1, 2, &[limit, w12]);
    assert!(grad_w(&y, &at_limit, &h).unwrap()[(0, 0)].abs() < 1e-9);
    // D is a convex parabola along w₁₁: its second differences are
    // positive and equal.
    let second = |w: f64| d(w - 1.0) - 2.0 * d(w) + d(w + 1.0);
    assert!(second(1.0) > 0.0 && (second(1.0) - second(2.0)).abs() < 1e-9);
    let dots = prose::values("and rises to about {} at w₁₁ = {}. {} black dots on it")[2] as usize;
    let iterates = mm_steps(START, dots - 1).unwrap();
    says(
        "the loss D, falls from about {} at w₁₁ = {} to its lowest value, about {}, near
        w₁₁ = {}, and rises to about {} at w₁₁ = {}. {} black dots on it, at w₁₁ = {},
        {}, {} and {}, mark the iterates. {} coloured parabolas each touch the black
        curve at one dot and lie above it elsewhere",
        &[
            &[d(x_lo), x_lo, d(limit), limit, d(x_hi), x_hi, f(dots)][..],
            &iterates,
            &[f(iterates.len())],
        ]
        .concat(),
    );
    assert!(iterates.iter().all(|w| (x_lo..=x_hi).contains(w)));
    // Where the red bound leaves the top of the plot: G(· | w⁰) = Y_MAX,
    // to the right of its lowest point, found by bisection.
    let (mut lo, mut hi) = (iterates[1], x_hi);
    assert!(g(lo, iterates[0]) < Y_MAX && g(hi, iterates[0]) > Y_MAX);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if g(mid, iterates[0]) < Y_MAX {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    says(
        "a red one at {}, with its lowest point near w₁₁ = {} and about {} high, leaving
        the top of the plot near w₁₁ = {}; a blue one at {}, lowest near w₁₁ = {} and
        about {} high; and green and purple ones at {} and {}, nearly on top of each
        other",
        &[
            iterates[0],
            iterates[1],
            g(iterates[1], iterates[0]),
            lo,
            iterates[1],
            iterates[2],
            g(iterates[2], iterates[1]),
            iterates[2],
            iterates[3],
        ],
    );
    // Each bound touches D at its iterate and lies above it; its lowest
    // point is the next iterate.
    for t in 0..iterates.len() {
        let at = iterates[t];
        assert!((g(at, at) - d(at)).abs() < 1e-12);
        for i in 0..=100 {
            let w = x_lo + (x_hi - x_lo) * f(i) / 100.0;
            assert!(g(w, at) >= d(w) - 1e-12);
        }
        if let Some(&next) = iterates.get(t + 1) {
            let step = 1e-3;
            assert!(g(next - step, at) > g(next, at) && g(next + step, at) > g(next, at));
        }
    }
    // "A legend at the top right names the five curves": the bounds and D.
    says(
        "A legend at the top right names the {} curves.",
        &[f(iterates.len() + 1)],
    );
}

#[test]
fn the_scrubber_steps_down_the_loss() {
    use jensen_bound::{mm_steps, START, STEPS};
    let (d, _) = jensen();
    says(
        "Step t of majorise–minimise along w₁₁, one frame per step from t = {} to {}.",
        &[0.0, f(STEPS)],
    );
    // The label of each frame gives wᵗ and D(wᵗ) to as many decimals as
    // the text says.
    let decimals = prose::values("a label near the top gives wᵗ and D(wᵗ) to {} decimals")[0];
    let svg = std::fs::read_to_string(common::figures_dir().join("jensen_bound_steps.svg"))
        .expect("the scrubber's SVG");
    let labels: Vec<&str> = svg
        .lines()
        .filter(|l| l.contains(",  D(w"))
        .filter_map(|l| l.split('>').nth(1)?.strip_suffix("</text"))
        .collect();
    assert_eq!(labels.len(), STEPS + 1);
    let iterates = mm_steps(START, STEPS + 1).unwrap();
    for (t, label) in labels.iter().enumerate() {
        let printed: Vec<&str> = label
            .split(" = ")
            .skip(1)
            .map(|s| s.split(',').next().unwrap())
            .collect();
        let expected = [iterates[t], d(iterates[t])].map(|x| format!("{x:.*}", decimals as usize));
        assert_eq!(printed, expected, "step {t}");
    }
    says(
        "a label near the top gives wᵗ and D(wᵗ) to {} decimals.",
        &[decimals],
    );
    // "The steps shrink as the iterates near the bottom of D": each step
    // down the staircase, from D(wᵗ) to D(wᵗ⁺¹), is smaller than the one
    // before.
    let drops: Vec<f64> = iterates.windows(2).map(|p| d(p[0]) - d(p[1])).collect();
    assert!(
        drops.windows(2).all(|p| 0.0 < p[1] && p[1] < p[0]),
        "{drops:?}"
    );
}

// ## Figure 4.1: the loss at three ranks

#[test]
fn the_loss_at_three_ranks() {
    use common::plot::log_range;
    use loss_curve::{data, losses, ITERATIONS};
    let y = data();
    let start = "The curves start at about {}, {} and {}.";
    let ranks = "for rank {} (red), rank {} (blue) and rank {} (green).";
    let ks: Vec<usize> = prose::values(ranks).iter().map(|&k| k as usize).collect();
    let curves: Vec<Vec<f64>> = ks.iter().map(|&k| losses(k).unwrap()).collect();
    let (lo, hi) = log_range(curves.iter().map(Vec::as_slice));
    says(
        "'loss ‖Y − WH‖² of an {} × {} matrix, log scale': the loss D from {} to {} on a
        log axis against the iteration t from {} to {},",
        &[f(y.nrows()), f(y.ncols()), lo, hi, 0.0, f(ITERATIONS)],
    );
    says(ranks, &ks.iter().map(|&k| f(k)).collect::<Vec<_>>());
    says(start, &curves.iter().map(|c| c[0]).collect::<Vec<_>>());
    let (red, blue, green) = (&curves[0], &curves[1], &curves[2]);
    let end = ITERATIONS;
    // "drops to about 93 within two iterations and stays flat": there
    // after two, and at the end, at the decimals printed.
    let flat = "The red curve drops to about {} within {} iterations and stays flat.";
    let t = prose::values(flat)[1] as usize;
    says(flat, &[red[t], f(t)]);
    assert!(red[t..].iter().all(|x| same_at(0, *x, red[t])));
    let creeps = "The blue one drops to about {} within {} iterations and then creeps down to
        about {}.";
    let t = prose::values(creeps)[1] as usize;
    says(creeps, &[blue[t], f(t), blue[end]]);
    let gradual = "The green one falls more gradually, to about {} at iteration {}, and then
        flattens at about {}.";
    let t = prose::values(gradual)[1] as usize;
    says(gradual, &[green[t], f(t), green[end]]);
    // "No curve visibly rises": none rises by more than rounding.
    let slack = 1e-12 * y.norm_squared();
    assert!(curves
        .iter()
        .all(|c| c.windows(2).all(|p| p[1] <= p[0] + slack)));
}

// ## Figure 6.1: a first picture

#[test]
fn the_first_picture() {
    use linear_2d::{ITERATIONS, POINTS, SEED};
    let y = datasets::line(POINTS, SEED);
    let fit = Nmf::new(2)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(SEED)
        .fit(&y)
        .unwrap();
    // The points at either end, by x.
    let by_x = |a: &usize, b: &usize| y[(*a, 0)].total_cmp(&y[(*b, 0)]);
    let left = (0..POINTS).min_by(by_x).unwrap();
    let right = (0..POINTS).max_by(by_x).unwrap();
    says(
        "Left: {} points rising from about ({}, {}) to ({}, {}), coloured from purple to
        yellow by their x coordinate.",
        &[
            f(y.nrows()),
            y[(left, 0)],
            y[(left, 1)],
            y[(right, 0)],
            y[(right, 1)],
        ],
    );
    says(
        "Right: the reconstruction of the same points after {} iterations, nearly
        identical, with a red arrow from the origin at a shallow angle and a blue arrow at
        a steep angle",
        &[f(ITERATIONS)],
    );
    // Red is h₁, blue h₂.
    let [red, blue] = arrows(&fit.h);
    assert!(red < blue);
    // "A few purple points near the left end sit on the blue arrow": the
    // points outside the cone are steeper than it, at the left, and
    // reconstructed on its edge.
    let y_hat = &fit.w * &fit.h;
    let outside: Vec<usize> = (0..POINTS)
        .filter(|m| !inside(&y, &fit.h).contains(m))
        .collect();
    assert!(!outside.is_empty() && outside.len() < POINTS / 10);
    let median = {
        let mut xs: Vec<f64> = y.column(0).iter().copied().collect();
        xs.sort_by(f64::total_cmp);
        xs[POINTS / 2]
    };
    for &m in &outside {
        assert!(angle(y[(m, 0)], y[(m, 1)]) > blue && y[(m, 0)] < median);
        assert_eq!(best_on_edge(row(&y, m), &fit.h).1, 1);
        assert!((angle(y_hat[(m, 0)], y_hat[(m, 1)]) - blue).abs() < 0.1);
    }
}

// ## Chapter 7: the article's experiment

/// The article's experiment after `t` iterations, as `cos2_anim` runs it.
fn replay(t: usize) -> nmf_core::Factorization {
    let (y, nmf) = cos2_anim::experiment(None);
    nmf.max_iter(t).fit(&y).unwrap()
}

#[test]
fn the_animation() {
    use cos2_anim::FRAMES;
    let (y, _) = cos2_anim::experiment(None);
    let (start, first, last) = (replay(0), replay(1), replay(FRAMES));
    says(
        "An animation of {} frames, for iterations {} to {}. Left: grey rings mark the {}
        data points,",
        &[f(FRAMES + 1), 0.0, f(FRAMES), f(y.nrows())],
    );
    says(
        "In the first frame a short red arrow h₁ and a short blue arrow h₂ point up at
        about {} and {} degrees, close together,",
        &arrows(&start.h),
    );
    // "all the dots lie nearer the origin than any ring".
    let y_hat = &start.w * &start.h;
    let farthest = y_hat.row_iter().map(|p| p.norm()).fold(0.0, f64::max);
    let nearest = y.row_iter().map(|p| p.norm()).fold(f64::INFINITY, f64::min);
    assert!(farthest < nearest);
    // "After one iteration ... a wedge that has swung down to a shallower
    // angle"; then the red arrow swings up, the blue one down.
    let ([r0, b0], [r1, b1], [r_end, b_end]) =
        (arrows(&start.h), arrows(&first.h), arrows(&last.h));
    assert!(r1 < r0 && b1 < b0 && r_end > r1 && b_end < b1);
    let d = &last.losses;
    says(
        "Right: the loss on a log scale, falling from about {} to about {} in the first
        iteration, then slowly, then steeply, to about {} at iteration {}.",
        &[d[0], d[1], d[FRAMES], f(FRAMES)],
    );
    // "then slowly, then steeply": the next nine iterations lose less
    // than the ten after them, in proportion.
    assert!(d[10] / d[1] > d[20] / d[10]);
    says(
        &format!(
            "The article's experiment: its start and {} iterations of the multiplicative
            updates on its cos² data.",
            prose::words(FRAMES)
        ),
        &[],
    );
}

#[test]
fn the_last_frame() {
    use cos2_anim::FRAMES;
    let (y, _) = cos2_anim::experiment(None);
    let last = replay(FRAMES);
    let [red, blue] = arrows(&last.h);
    says(
        "The last frame of the animation, iteration {}. The red arrow h₁ points steeply
        up, at about {} degrees, and the blue arrow h₂ shallowly, at about {} degrees;",
        &[f(FRAMES), red, blue],
    );
    // The rings outside the wedge lie at its upper left, above the red
    // arrow, and their dots on its steep edge.
    let outside: Vec<usize> = (0..y.nrows())
        .filter(|m| !inside(&y, &last.h).contains(m))
        .collect();
    says(
        "At the upper left {} rings lie outside the wedge, and their dots lie on its steep
        edge;",
        &[f(outside.len())],
    );
    let y_hat = &last.w * &last.h;
    for &m in &outside {
        assert!(angle(y[(m, 0)], y[(m, 1)]) > red);
        assert_eq!(best_on_edge(row(&y, m), &last.h).1, 0);
        assert!((angle(y_hat[(m, 0)], y_hat[(m, 1)]) - red).abs() < 0.5);
    }
    let d = &last.losses;
    says(
        "Right: the loss curve on a log scale, from about {} at iteration {} down to
        about {} at iteration {}.",
        &[d[0], 0.0, d[FRAMES], f(FRAMES)],
    );
    says(
        "The last frame: after {} iterations the cone holds {} of the {} data points, and
        the loss is {}.",
        &[
            f(FRAMES),
            f(inside(&y, &last.h).len()),
            f(y.nrows()),
            d[FRAMES],
        ],
    );
}

#[test]
fn the_loss_at_two_ranks() {
    use cos2_ranks::{losses, ITERATIONS};
    let (_, w0, _) = datasets::article_cos2();
    // Rank 1 from the first component of the start, rank 2 from all of it.
    let (k1, k2) = (1, w0.ncols());
    let (rank1, rank2) = (losses(k1).unwrap(), losses(k2).unwrap());
    let alt = "of the loss against iterations {} to {}. The red rank-{} curve starts at about
        {}, drops to about {} within {} iterations and stays flat to the end. The blue
        rank-{} curve starts at about {}, drops to about {} after {} iteration and to about
        {} by iteration {}, then falls steeply, below {} by iteration {} and below {} by
        iteration {}, and flattens out near {} at iteration {}.";
    let v = prose::values(alt);
    let (two, one, ten) = (v[5] as usize, v[9] as usize, v[11] as usize);
    let (level_1, level_2) = (v[12], v[14]);
    let first_below = |level: f64| f(rank2.iter().position(|x| *x < level).unwrap());
    says(
        alt,
        &[
            0.0,
            f(ITERATIONS),
            f(k1),
            rank1[0],
            rank1[two],
            f(two),
            f(k2),
            rank2[0],
            rank2[one],
            f(one),
            rank2[ten],
            f(ten),
            level_1,
            first_below(level_1),
            level_2,
            first_below(level_2),
            rank2[ITERATIONS],
            f(ITERATIONS),
        ],
    );
    // "stays flat to the end": at the decimals printed.
    let decimals = prose::numbers(alt)[4].decimals();
    assert!(rank1[two..]
        .iter()
        .all(|x| same_at(decimals, *x, rank1[two])));
    // "falls steeply": from the tenth iteration to below the first level
    // it loses more, in proportion, than in the nine before.
    let t = first_below(level_1) as usize;
    assert!(rank2[t] / rank2[ten] < rank2[ten] / rank2[one]);
}

// ## Chapter 7's prose

#[test]
fn the_articles_data_and_start() {
    let (y, w0, h0) = datasets::article_cos2();
    let sigma = y.clone().svd(false, false).singular_values;
    says(
        "at rank 1 the loss cannot go below {}, as the section on rank 1 shows.",
        &[sigma[1].powi(2)],
    );
    // The data's x lie in the interval the text draws them from.
    let drawn = "Its data are {} points $(x, y)$, with $x$ drawn uniformly from $[{}, {})$ and";
    let [_, x_lo, x_hi] = prose::values(drawn)[..] else {
        panic!("{drawn:?} holds three numbers")
    };
    assert!(y.column(0).iter().all(|x| (x_lo..x_hi).contains(x)));
    says(drawn, &[f(y.nrows()), x_lo, x_hi]);
    // The first rows of W⁰, read row by row, are the data's x rescaled:
    // x = a·w + b, bit for bit, so that w = (x − b)/a lies in the
    // interval that [x_lo, x_hi) maps to.
    let rows = y.nrows() / w0.ncols();
    let pattern = "the first {} rows of $W^0$, read row by row, hold the data's {} values of $x$
        in order, rescaled to $[{}, {})$: each entry $w$ gives back its $x$ as ${}w + {}$,
        bit for bit.";
    let v = prose::values(pattern);
    let (a, b) = (v[4], v[5]);
    for i in 0..y.nrows() {
        assert_eq!(
            a * w0[(i / w0.ncols(), i % w0.ncols())] + b,
            y[(i, 0)],
            "point {i}"
        );
    }
    let (w_lo, w_hi) = ((x_lo - b) / a, (x_hi - b) / a);
    assert!(w0.rows(0, rows).iter().all(|w| (w_lo..w_hi).contains(w)));
    says(pattern, &[f(rows), f(y.nrows()), w_lo, w_hi, a, b]);
    // "We fit at rank K = 2, the rank of that start".
    says(
        "We fit at rank $K = {}$, the rank of that start, from the start itself.",
        &[f(h0.nrows())],
    );
}

#[test]
fn the_examples_output() {
    use cos2_anim::FRAMES;
    says(
        "and it prints what it wrote: a looping animation of {} frames, one for the start
        ($t = {}$) and one after each of {} iterations, a still of the last frame, and the
        same {} frames as one SVG,",
        &[f(FRAMES + 1), 0.0, f(FRAMES), f(FRAMES + 1)],
    );
}

#[test]
fn the_colours_of_the_cone() {
    use common::gif::{index, palette, CUBE, GREYS};
    use common::plot::CONE;
    let colours = palette().len() / 3;
    assert_eq!(colours, (CUBE * CUBE * CUBE + GREYS) as usize);
    says(
        "one fixed palette of {} colours shared by every frame: a ${} \\times {} \\times {}$
        cube of colours and {} greys.",
        &[
            f(colours),
            f64::from(CUBE),
            f64::from(CUBE),
            f64::from(CUBE),
            f64::from(GREYS),
        ],
    );
    let hex = |[r, g, b]: [u8; 3]| format!("#{r:02X}{g:02X}{b:02X}");
    // The fill over white, as the SVG shows it.
    let over_white = [CONE.0, CONE.1, CONE.2]
        .map(|c| (255.0 * (1.0 - CONE.3) + f64::from(c) * CONE.3).round() as u8);
    // The palette's colour nearest to it, as the GIF shows it.
    let i = 3 * usize::from(index(over_white[0], over_white[1], over_white[2]));
    let nearest = [palette()[i], palette()[i + 1], palette()[i + 2]];
    says(
        &format!(
            "The drawing fills it with orange, `{}`, at an opacity of {{}}. The SVG keeps
            that fill as it is, so over the white background the cone shows pale orange,
            about `{}`. The GIF and the still have only the fixed palette, and the nearest
            of its colours to that pale orange is `{}`, a pale yellow",
            hex([CONE.0, CONE.1, CONE.2]),
            hex(over_white),
            hex(nearest),
        ),
        &[CONE.3],
    );
}

#[test]
fn the_start_is_narrow_and_small() {
    let (y, _) = cos2_anim::experiment(None);
    let (start, first) = (replay(0), replay(1));
    says(
        "together, $\\boldsymbol h_1$ at {}° and $\\boldsymbol h_2$ at {}° (angles are
        measured from the $x$ axis), with only {} of the {} points between them.",
        &[
            &arrows(&start.h)[..],
            &[f(inside(&y, &start.h).len()), f(y.nrows())],
        ]
        .concat(),
    );
    let alpha = best_scale(&y, &start.w, &start.h).unwrap();
    let scaled = (&y - alpha * (&start.w * &start.h)).norm_squared();
    let pattern = "It is {} at the start and {} after {} iteration: the first step fixes the
        overall scale.";
    let t = prose::values(pattern)[2] as usize;
    says(
        pattern,
        &[
            alpha,
            best_scale(&y, &replay(t).w, &replay(t).h).unwrap(),
            f(t),
        ],
    );
    says(
        "Scaling the start by $\\alpha^*$ alone would bring the loss only to {}; the first
        iteration brings it to {}.",
        &[scaled, first.losses[1]],
    );
    says(
        "After one iteration the best scale $\\alpha^*$ was {}.",
        &[best_scale(&y, &first.w, &first.h).unwrap()],
    );
}

#[test]
fn the_basis_vectors_open_up() {
    use cos2_anim::FRAMES;
    let (y, nmf) = cos2_anim::experiment(None);
    let longest = cos2_ranks::ITERATIONS;
    let pattern = "The first iteration swings both arrows down, $\\boldsymbol h_1$ to {}° and
        $\\boldsymbol h_2$ to {}°: a narrow cone that holds {} points. From then on the
        angle between them grows at every iteration, as far as we ran the fit ({}
        iterations): after {} iterations the cone spans {}° to {}° and holds {} points,
        after {} it spans {}° to {}° and holds {}. The data's angles run from {}° to
        {}°.";
    let v = prose::values(pattern);
    let t = v[4] as usize;
    let (first, tenth, last) = (replay(1), replay(t), replay(FRAMES));
    let data: Vec<f64> = y.row_iter().map(|p| angle(p[0], p[1])).collect();
    let lowest = data.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = data.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let [r1, b1] = arrows(&first.h);
    let [r10, b10] = arrows(&tenth.h);
    let [r50, b50] = arrows(&last.h);
    says(
        pattern,
        &[
            r1,
            b1,
            f(inside(&y, &first.h).len()),
            f(longest),
            f(t),
            b10,
            r10,
            f(inside(&y, &tenth.h).len()),
            f(FRAMES),
            b50,
            r50,
            f(inside(&y, &last.h).len()),
            lowest,
            highest,
        ],
    );
    // From iteration 1 on, the angle between the arrows grows at every
    // step, to the end of the longest run.
    let mut widths = Vec::new();
    let long = nmf
        .max_iter(longest)
        .fit_with(&y, &mut |s: &State| {
            let [a, b] = arrows(s.h);
            widths.push(a - b);
        })
        .unwrap();
    assert!(widths[1..].windows(2).all(|p| p[1] > p[0]));
    says(
        "and swings both basis vectors down; then, at every one of the next {} iterations,
        they spread apart, and the cone they span opens.",
        &[f(widths.len() - 2)],
    );
    // "The shallow arrow is already below them all; the steep one is
    // still rising towards the steepest points".
    let steep = arrows(&long.h)[0];
    assert!(b50 < lowest && r50 < steep && steep < highest);
}

#[test]
fn the_loss_falls_fast_then_slowly_then_fast() {
    use cos2_anim::FRAMES;
    let longest = cos2_ranks::ITERATIONS;
    let d = replay(longest).losses;
    let pattern = format!(
        "From {{}} at the start it drops to {{}} after {{}} iteration. In the next {{}}, while
        the cone is still narrow, it falls only by about a third, to {{}}; in the {{}} after
        that, as the cone opens, by more than half, to {{}}. After {} iterations it is {{}}.
        Figure 7.3 follows the loss to {{}} iterations, where it is {{}}.",
        prose::words(FRAMES)
    );
    let v = prose::values(&pattern);
    let (one, nine, ten) = (v[2] as usize, v[3] as usize, v[5] as usize);
    let (t1, t2) = (one + nine, one + nine + ten);
    says(
        &pattern,
        &[
            d[0],
            d[one],
            f(one),
            f(nine),
            d[t1],
            f(ten),
            d[t2],
            d[FRAMES],
            f(longest),
            d[longest],
        ],
    );
    // "by about a third", "by more than half".
    assert_eq!((3.0 * (1.0 - d[t1] / d[one])).round(), 1.0);
    assert!(d[t2] < 0.5 * d[t1]);
    says(
        "Here the loss keeps falling as the cone opens: {} after {} iterations, {} after
        {}.",
        &[d[FRAMES], f(FRAMES), d[longest], f(longest)],
    );
    says(
        "here the loss keeps falling, to {} after {} iterations.",
        &[d[longest], f(longest)],
    );
    says(
        "and compare their losses after {} iterations with the {} reached from the
        article's start.",
        &[f(FRAMES), d[FRAMES]],
    );
    says(
        "Then compute $\\alpha^*$ after each of the {} iterations from the article's start.",
        &[f(FRAMES)],
    );
}

#[test]
fn reconstructions_move_towards_the_best() {
    use cos2_anim::FRAMES;
    let (y, _) = cos2_anim::experiment(None);
    let first = replay(1);
    let steepest = (0..y.nrows())
        .max_by(|&a, &b| {
            let angle_of = |m: usize| angle(y[(m, 0)], y[(m, 1)]);
            angle_of(a).total_cmp(&angle_of(b))
        })
        .unwrap();
    let p = row(&y, steepest);
    let (target, edge) = best_on_edge(p, &first.h);
    assert_eq!(edge, 0); // h₁
    let y_hat = &first.w * &first.h;
    let [r1, b1] = arrows(&first.h);
    let pattern = "After one iteration the steepest data point, at {}°, is reconstructed at {}°,
        well inside the cone of {}° to {}°, and {} away from its best, which lies on the
        edge $\\boldsymbol h_1$. Were $H$ held fixed there, {} updates of $W$ alone would
        bring the reconstruction to its best;";
    let updates = prose::values(pattern)[5] as usize;
    let reconstructed = row(&y_hat, steepest);
    says(
        pattern,
        &[
            angle(p[0], p[1]),
            angle(reconstructed[0], reconstructed[1]),
            b1,
            r1,
            (reconstructed - target).norm(),
            f(updates),
        ],
    );
    // With that H held fixed, the updates of W alone bring the
    // reconstruction to its best.
    let point = DMatrix::from_row_slice(1, 2, &[p[0], p[1]]);
    let mut w = first.w.rows(steepest, 1).into_owned();
    for _ in 0..updates {
        w = update_w(&point, &w, &first.h).unwrap();
    }
    let gap = (row(&(&w * &first.h), 0) - target).norm();
    assert!(gap < 1e-6 * (reconstructed - target).norm(), "{gap}");
    // After 50 iterations each point outside the cone is reconstructed
    // near its best, on the steep edge: "within 0.002", to the decimals
    // printed.
    let last = replay(FRAMES);
    let y_hat = &last.w * &last.h;
    let outside: Vec<usize> = (0..y.nrows())
        .filter(|m| !inside(&y, &last.h).contains(m))
        .collect();
    let mut farthest: f64 = 0.0;
    for &m in &outside {
        let (target, edge) = best_on_edge(row(&y, m), &last.h);
        assert_eq!(edge, 0);
        farthest = farthest.max((row(&y_hat, m) - target).norm());
    }
    let within = "After {} iterations each of the {} points outside the cone is reconstructed
        within {} of its best, on the steep edge $\\boldsymbol h_1$:";
    let decimals = prose::numbers(within)[2].decimals() as i32;
    let scale = 10f64.powi(decimals);
    says(
        within,
        &[
            f(FRAMES),
            f(outside.len()),
            (farthest * scale).ceil() / scale,
        ],
    );
}

#[test]
fn rank_1_and_three_theorems() {
    let (y, _, _) = datasets::article_cos2();
    let svd = y.clone().svd(false, true);
    let sigma = &svd.singular_values;
    says(
        "Our $Y$, ${} \\times {}$, has {} singular values, $\\sigma_1 = {}$ and $\\sigma_2
        = {}$.",
        &[
            f(y.nrows()),
            f(y.ncols()),
            f(sigma.len()),
            sigma[0],
            sigma[1],
        ],
    );
    let sigma2_squared = sigma[1].powi(2);
    says(
        "the best rank-1 approximation of any sign has loss $\\sigma_2^2 = {}$, and no
        rank-1 NMF can do better.",
        &[sigma2_squared],
    );
    // v₁, with both entries of one sign, taken non-negative.
    let v_t = svd.v_t.unwrap();
    assert!(v_t[(0, 0)] * v_t[(0, 1)] > 0.0);
    let v1 = angle(v_t[(0, 0)].abs(), v_t[(0, 1)].abs());
    says("For our $Y$, $\\boldsymbol v_1$ points at {}°.", &[v1]);
    // Rank 1 from the first component of the article's start.
    let rank1 = cos2_ranks::losses(1).unwrap();
    let pattern = "the loss falls from {} to {} in {} iterations, and from the fifth iteration on
        it equals $\\sigma_2^2$ to better than one part in $10^{}$.";
    let v = prose::values(pattern);
    let (t, part) = (v[2] as usize, 10f64.powi(-(v[3] as i32)));
    let excess = |t: usize| ((rank1[t] - sigma2_squared) / sigma2_squared).abs();
    let from = ordinal(pattern, "from the ");
    assert!(excess(from - 1) > part);
    assert!((from..rank1.len()).all(|t| excess(t) < part));
    says(pattern, &[rank1[0], rank1[t], f(t), v[3]]);
    says(
        "by $\\mu_2/\\mu_1 = \\sigma_2^2/\\sigma_1^2$, here {}.",
        &[sigma2_squared / sigma[0].powi(2)],
    );
}

// ## Chapter 5: when to stop

#[test]
fn the_fit_that_stops_on_a_plateau() {
    // The 8 × 6 matrix of chapter 4, which its figure of the loss draws.
    let y = loss_curve::data();
    let defaults = "The defaults are `tol(1e-{})` and `max_iter({})`.";
    let v = prose::values(defaults);
    let (tol, max_iter) = (10f64.powi(-(v[0] as i32)), v[1] as usize);
    assert_eq!(Nmf::new(2), Nmf::new(2).tol(tol).max_iter(max_iter));
    says(defaults, &v);
    let pattern = "Take the ${} \\times {}$ matrix of chapter 4 at rank {}, from seed {}. With the
        defaults the fit stops after {} iterations at a loss of {}, with `converged` true.
        A hundred times smaller `tol` stops after {} iterations at {}, hardly better. Run
        on, and the loss crawls, losing less than {} between iterations {} and {}, then
        falls faster again, by about {} between iterations {} and {}. After {} iterations
        it is {}, {}% lower than where the default rule stopped, and the same value a fit
        from seed {} reaches.";
    let v = prose::values(pattern);
    let (k, seed) = (v[2] as usize, v[3] as u64);
    let crawl = v[8];
    let [b, c, d, long_t] = [v[10], v[12], v[13], v[14]].map(|t| t as usize);
    let other_seed = v[17] as u64;
    let fit = Nmf::new(k).seed(seed).fit(&y).unwrap();
    assert!(fit.converged);
    let finer = Nmf::new(k).seed(seed).tol(tol / 100.0).fit(&y).unwrap();
    assert!(finer.converged);
    let run_on = |seed: u64| {
        Nmf::new(k)
            .seed(seed)
            .tol(0.0)
            .max_iter(long_t)
            .fit(&y)
            .unwrap()
            .losses
    };
    let long = run_on(seed);
    let stopped = fit.losses[fit.n_iter];
    assert_eq!(long[fit.n_iter], stopped);
    assert!(long[fit.n_iter] - long[b] < crawl);
    let other = run_on(other_seed);
    let decimals = prose::numbers(pattern)[15].decimals();
    assert!(same_at(decimals, other[long_t], long[long_t]));
    says(
        pattern,
        &[
            f(y.nrows()),
            f(y.ncols()),
            f(k),
            seed as f64,
            f(fit.n_iter),
            stopped,
            f(finer.n_iter),
            finer.losses[finer.n_iter],
            crawl,
            f(fit.n_iter),
            f(b),
            long[c] - long[d],
            f(c),
            f(d),
            f(long_t),
            long[long_t],
            100.0 * (stopped - long[long_t]) / stopped,
            other_seed as f64,
        ],
    );
}

#[test]
fn the_order_of_the_products() {
    let pattern = "With $M = N = {}$ and $K = {}$ that is ${}\\times 10^{}$ against ${}\\times
        10^{}$: a hundred times less work for the same numbers.";
    let v = prose::values(pattern);
    let (n, k) = (v[0], v[1]);
    // WH, then (WH)Hᵀ; HHᵀ, then W(HHᵀ).
    let (wh_first, hht_first) = (2.0 * n * n * k, n * k * k + n * k * k);
    let scientific = |x: f64| {
        let e = x.log10().floor();
        [x / 10f64.powf(e), e]
    };
    says(
        pattern,
        &[&[n, k][..], &scientific(wh_first), &scientific(hht_first)].concat(),
    );
    assert_eq!(wh_first / hht_first, 100.0);
}

// ## Appendix A, sections 6 and 11

#[test]
fn the_iterates_that_settle_where_there_is_no_minimum() {
    let (y, w0, h0) = datasets::article_cos2();
    let pattern = "After {} iterations the loss has reached that bound, $\\sigma_2^2 = {}$, and
        stays there; from the article's own start the loss reaches {} after {} iterations.";
    let v = prose::values(pattern);
    let (t, t_own) = (v[0] as usize, v[3] as usize);
    let mut w = w0.clone();
    w.column_mut(1).fill(0.0);
    let stuck = Nmf::new(2)
        .max_iter(t)
        .tol(0.0)
        .init(Init::Custom { w, h: h0.clone() })
        .fit(&y)
        .unwrap();
    assert!(stuck.w.column(1).iter().all(|&x| x == 0.0));
    let sigma_2 = y.clone().svd(false, false).singular_values[1];
    let bound = sigma_2 * sigma_2;
    let d = stuck.losses[t];
    assert!((d - bound).abs() < 1e-9 * bound);
    assert!((stuck.losses[t - 1] - d).abs() < 1e-9 * d);
    let own = Nmf::new(2)
        .max_iter(t_own)
        .tol(0.0)
        .init(Init::Custom { w: w0, h: h0 })
        .fit(&y)
        .unwrap();
    says(pattern, &[f(t), bound, own.losses[t_own], f(t_own)]);
    // The gradient at its most negative, on the zero weights.
    let most_negative = grad_w(&y, &stuck.w, &stuck.h).unwrap().column(1).min();
    assert!(most_negative < 0.0);
    says(
        "at its most negative, $\\partial D / \\partial w_{m2} = -{}$, so raising that zero
        weight would lower the loss.",
        &[-most_negative],
    );
}

#[test]
fn which_iterate_each_frame_shows() {
    let (y, w0, h0) = datasets::article_cos2();
    // The script asks for as many frames as the GIF keeps; matplotlib
    // calls `update` once more, first, and each call is an iteration.
    let saved = "the script calls `update` {} times and writes a GIF of {} frames:";
    let frames = prose::values(saved)[1] as usize;
    let calls = frames + 1;
    says(saved, &[f(calls), f(frames)]);
    // The call numbered c, from 1, draws iterate c under the title
    // max(c − 2, 0), into frame c − 1 of the GIF; the first, the initial
    // call, into none.
    let title = |c: usize| f(c.saturating_sub(2));
    let row = |c: usize| [f(c), title(c), f(c), f(c - 1)];
    says(
        "| {} (initial) | {} | {} | no | | {} | {} | {} | frame {} | | {} | {} | {} | frame {}
        |",
        &[&row(1)[..3], &row(2), &row(3)].concat(),
    );
    says(
        "| $t + 2$ | $t$ | $t + 2$ | frame $t + 1$ | | {} | {} | {} | frame {} |",
        &row(calls),
    );
    let run = Nmf::new(2)
        .max_iter(calls)
        .tol(0.0)
        .init(Init::Custom { w: w0, h: h0 })
        .fit(&y)
        .unwrap();
    // The frame titled t shows iterate t + 2.
    let shown = |t: usize| run.losses[t + 2];
    let last = title(calls) as usize;
    says(
        "The frame titled {} shows the iterate whose loss is {}, not the {} of the first;
        the last, titled {}, shows the {}st, with loss {}.",
        &[
            0.0,
            shown(0),
            run.losses[1],
            f(last),
            f(last + 2),
            shown(last),
        ],
    );
    let tests = "So the tests' iterates {} and {} are the frames titled {} and {}, and their
        iterate {} is in no frame.";
    let v = prose::values(tests);
    let (a, b) = (v[0] as usize, v[1] as usize);
    // The first iterate is drawn by the first call, the initial one.
    says(tests, &[f(a), f(b), title(a), title(b), 1.0]);
}

// ## Every number of these figures' alt text, and of chapter 7, is read

/// The checks above, run again by [`every_number_is_read`].
const CHECKS: [fn(); 20] = [
    the_shapes_of_y_w_and_h,
    the_bounds_that_touch_the_loss,
    the_scrubber_steps_down_the_loss,
    the_loss_at_three_ranks,
    the_first_picture,
    the_animation,
    the_last_frame,
    the_loss_at_two_ranks,
    the_articles_data_and_start,
    the_examples_output,
    the_colours_of_the_cone,
    the_start_is_narrow_and_small,
    the_basis_vectors_open_up,
    the_loss_falls_fast_then_slowly_then_fast,
    reconstructions_move_towards_the_best,
    rank_1_and_three_theorems,
    the_fit_that_stops_on_a_plateau,
    the_order_of_the_products,
    the_iterates_that_settle_where_there_is_no_minimum,
    which_iterate_each_frame_shows,
];

/// The figures whose alt text these tests read, by page.
const FIGURES: [(&str, &str); 7] = [
    ("src/ch01-what-nmf-is.md", "shapes.png"),
    ("src/ch03-jensen.md", "jensen_bound.png"),
    ("src/ch04-deriving-the-updates.md", "loss_curve.png"),
    ("src/ch06-a-first-picture.md", "linear_2d.png"),
    ("src/ch07-watching-nmf-learn.md", "cos2_anim.gif"),
    ("src/ch07-watching-nmf-learn.md", "cos2_anim_last.png"),
    ("src/ch07-watching-nmf-learn.md", "cos2_ranks.png"),
];

#[test]
fn every_number_is_read() {
    // Every number of the alt texts, and every number of chapter 7 with a
    // decimal point or a per cent sign.
    prose::every_number_is_read(&CHECKS, &FIGURES, &["src/ch07-watching-nmf-learn.md"]);
}
