//! The numbers that the book states about its figures, in their alt text
//! and in the prose beside them, read from the text itself (`tests/prose`)
//! and computed again here the way the examples that draw the figures
//! compute them, with the examples' own functions and constants. So a
//! number changed in the text alone, or a change to an example or the
//! library that moves a figure's numbers, fails here; `tests/figures.rs`
//! checks that the committed figures are what the examples draw.
//!
//! Chapter 8's two figures (the loss from four starts, and the final loss
//! from twenty seeds), chapter 9's (the topics that each loss recovers),
//! chapter 10's (the swimmer, the sums of parts, the parts forming, the
//! loss against the rank, the matrix view), and the README's still of
//! chapter 7's animation. The figures of chapters 11
//! and 12 draw the benchmark's measurements: `tests/speed_claims.rs` and
//! `tests/hals_claims.rs` check their alt text.

// Each example declares the shared module itself, so including the
// examples here includes it again; the copies are identical.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/common/mod.rs"]
mod common;
#[allow(dead_code)]
#[path = "../examples/cos2_anim.rs"]
mod cos2_anim;
#[allow(dead_code)]
#[path = "../examples/init_curves.rs"]
mod init_curves;
#[allow(dead_code)]
#[path = "../examples/init_spread.rs"]
mod init_spread;
#[allow(dead_code)]
#[path = "../examples/kl_topics.rs"]
mod kl_topics;
#[allow(dead_code)]
#[path = "../examples/matrix_view.rs"]
mod matrix_view;
#[allow(dead_code)]
#[path = "../examples/parts_anim.rs"]
mod parts_anim;
#[allow(dead_code)]
#[path = "../examples/parts_digits.rs"]
mod parts_digits;
#[allow(dead_code)]
#[path = "../examples/parts_rank.rs"]
mod parts_rank;
#[allow(dead_code)]
#[path = "../examples/parts_reconstruct.rs"]
mod parts_reconstruct;
#[allow(dead_code)]
#[path = "../examples/parts_swimmer.rs"]
mod parts_swimmer;

mod prose;
use prose::says;

use nmf_core::nalgebra::DMatrix;
use nmf_core::{datasets, match_parts, Init, Nmf};

/// A count, as a number the text states.
fn f(x: usize) -> f64 {
    x as f64
}

/// The smallest and the largest of `values`.
fn range(values: impl IntoIterator<Item = f64>) -> [f64; 2] {
    values
        .into_iter()
        .fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], v| {
            [lo.min(v), hi.max(v)]
        })
}

/// The value at rank `k` of a curve of (K, value) pairs.
fn at(curve: &[(usize, f64)], k: usize) -> f64 {
    curve
        .iter()
        .find(|p| p.0 == k)
        .unwrap_or_else(|| panic!("no rank {k} in the curve"))
        .1
}

// ## Figure 10.5: the loss against the rank

#[test]
fn the_loss_against_the_rank_on_the_swimmer() {
    use parts_rank::{bound, curve, SWIMMER_RANKS};
    let y = datasets::swimmer();
    let k_max = *SWIMMER_RANKS.last().unwrap();
    let (nmf, svd) = (curve(&y, &SWIMMER_RANKS).unwrap(), bound(&y, k_max));
    // The rank at which the bound reaches 0: the rank of Y, the number of
    // its singular values above rounding.
    let zero = 1e-12;
    let rank = svd.iter().find(|p| p.1 < zero).unwrap().0;
    assert!(svd.iter().all(|p| (p.0 >= rank) == (p.1 < zero)));
    let alt = "Left, 'swimmer ({} × {})', K from {} to {}: a grey line, the least loss of any
        matrix of rank K, falls in a straight line from about {} at K = {} to {} at K = {}
        and stays at {}; a blue line with dots, NMF after {} iterations, starts at the
        same {} at K = {}, stays a little above the grey line, is about {} at K = {},
        {} at K = {} and {} at K = {}, and drops to {} at K = {}, staying there at {}
        and {}.";
    let written = prose::values(alt);
    let [a, b, c] = [written[13], written[15], written[17]].map(|k| k as usize);
    let dropped = written[19] as usize;
    says(
        alt,
        &[
            f(y.nrows()),
            f(y.ncols()),
            0.0,
            f(k_max + 1),
            at(&svd, 1),
            1.0,
            at(&svd, rank),
            f(rank),
            at(&svd, k_max),
            f(parts_rank::ITERATIONS),
            at(&nmf, 1),
            f(SWIMMER_RANKS[0]),
            at(&nmf, a),
            f(a),
            at(&nmf, b),
            f(b),
            at(&nmf, c),
            f(c),
            at(&nmf, dropped),
            f(dropped),
            f(SWIMMER_RANKS[6]),
            f(SWIMMER_RANKS[7]),
        ],
    );
    // "drops to 0 at K = 16, staying there at 17 and 18": 0 to the
    // decimals of the smallest number the text gives.
    let decimals = prose::numbers(alt)[16].decimals();
    for &k in &SWIMMER_RANKS[5..] {
        assert_eq!(
            format!("{:.*}", decimals, at(&nmf, k)),
            format!("{:.*}", decimals, 0.0)
        );
    }
    // The grey line is straight up to the rank, and NMF lies above it.
    let steps: Vec<f64> = svd[..rank].windows(2).map(|p| p[0].1 - p[1].1).collect();
    let [low, high] = range(steps.iter().copied());
    assert!(high - low < 0.1 * high, "{steps:?}");
    assert!(nmf.iter().all(|&(k, loss)| loss >= at(&svd, k) - 1e-12));
    // The prose beside the figure.
    says(
        "**On the swimmer the elbow is at {}.** The bound reaches {} at $K = {}$,
        the rank of $Y$. NMF, which must keep its signs, needs more: its loss is
        {}% of $\\lVert Y\\rVert_F^2$ at $K = {}$ and ${} \\times 10^{-{}}$ at
        $K = {}$, and no lower at {} or {}.",
        &[
            f(dropped),
            0.0,
            f(rank),
            100.0 * at(&nmf, c),
            f(c),
            at(&nmf, dropped) * 1e5,
            5.0,
            f(dropped),
            f(SWIMMER_RANKS[6]),
            f(SWIMMER_RANKS[7]),
        ],
    );
    assert!(SWIMMER_RANKS[6..]
        .iter()
        .all(|&k| at(&nmf, k) >= at(&nmf, dropped)));
    // "At K = 1 NMF meets the bound": to 10⁻⁹ of ‖Y‖².
    assert!((at(&nmf, 1) - at(&svd, 1)).abs() < 1e-9);
}

#[test]
fn the_loss_against_the_rank_on_the_digits() {
    use parts_rank::{bound, curve, DIGIT_RANKS};
    let y = datasets::digits().0;
    let k_max = *DIGIT_RANKS.last().unwrap();
    let (nmf, svd) = (curve(&y, &DIGIT_RANKS).unwrap(), bound(&y, k_max));
    let alt = "Right, 'digits ({} × {})', K from {} to {}: the grey line falls steeply from
        about {} at K = {} and then more and more slowly to about {} at K = {}; the blue
        line with dots at K = {}, {}, {}, {}, {} and {} starts on the grey line and stays
        above it, at about {} at K = {}, {} at K = {} and {} at K = {}, with no sharp
        bend.";
    let written = prose::values(alt);
    let [a, b, c] = [written[15], written[17], written[19]].map(|k| k as usize);
    let mut expected = vec![
        f(y.nrows()),
        f(y.ncols()),
        0.0,
        f(k_max + 1),
        at(&svd, 1),
        1.0,
        at(&svd, k_max),
        f(k_max),
    ];
    expected.extend(DIGIT_RANKS.map(f));
    expected.extend([at(&nmf, a), f(a), at(&nmf, b), f(b), at(&nmf, c), f(c)]);
    says(alt, &expected);
    // "starts on the grey line and stays above it": equal at K = 1 to the
    // decimals printed, above it everywhere.
    let decimals = prose::numbers(alt)[4].decimals();
    assert_eq!(
        format!("{:.*}", decimals, at(&nmf, 1)),
        format!("{:.*}", decimals, at(&svd, 1))
    );
    assert!(nmf.iter().all(|&(k, loss)| loss >= at(&svd, k) - 1e-12));
    // "falls steeply and then more and more slowly": each step of the
    // grey line is smaller than the one before.
    assert!(svd.windows(3).all(|p| p[0].1 - p[1].1 > p[1].1 - p[2].1));
    // The prose: no elbow, each step smaller than the one before.
    says(
        "The loss keeps falling: {}% of
        $\\lVert Y\\rVert_F^2$ at $K = {}$, {}% at {}, {}% at {}, each step
        smaller than the one before",
        &[
            100.0 * at(&nmf, a),
            f(a),
            100.0 * at(&nmf, b),
            f(b),
            100.0 * at(&nmf, c),
            f(c),
        ],
    );
    assert!(at(&nmf, a) - at(&nmf, b) > at(&nmf, b) - at(&nmf, c));
    // Figure 10.2's fit, at K = 16: its loss and the bound's.
    says(
        "The loss after {} iterations is {}% of $\\lVert Y\\rVert_F^2$;
        the truncated SVD of rank {}, the best of any signs (chapter 7), reaches
        {}%.",
        &[
            f(parts_rank::ITERATIONS),
            100.0 * at(&nmf, b),
            f(b),
            100.0 * at(&svd, b),
        ],
    );
}

// ## Figures 10.1 and 10.3: the parts of the swimmer, and images as sums

/// The cosines of the learned parts at rank `k`, by the true part they
/// match (None for a true part left without one), as figure 10.1 prints
/// them.
fn matched_cosines(k: usize) -> Vec<Option<f64>> {
    let (_, truth) = datasets::swimmer_parts();
    let h = parts_swimmer::learned(k).unwrap();
    let pairs = match_parts(&h, &truth).unwrap();
    (0..truth.nrows())
        .map(|t| pairs.iter().find(|p| p.truth == t).map(|p| p.cosine))
        .collect()
}

#[test]
fn the_parts_of_the_swimmer() {
    let (_, truth) = datasets::swimmer_parts();
    let torso = truth.nrows() - 1;
    let parts = truth.nrows();
    let at_17 = matched_cosines(parts);
    let limbs_17 = range(at_17[..torso].iter().map(|c| c.unwrap()));
    says(
        "Top left, the {} true parts in a grid: four rows of four",
        &[f(parts)],
    );
    says(
        "Top right, the {} parts NMF learned at K = {}, each in the slot of the true
        part it matches",
        &[f(parts), f(parts)],
    );
    says(
        "The numbers under them are between {} and {}, and {} under the torso's slot.",
        &[limbs_17[0], limbs_17[1], at_17[torso].unwrap()],
    );
    let at_16 = matched_cosines(parts - 1);
    assert!(at_16[torso].is_none());
    let limbs_16 = range(at_16[..torso].iter().map(|c| c.unwrap()));
    says(
        "Bottom left, the {} parts learned at K = {}, again each a black limb with a
        grey torso, numbers from {} to {}, and the torso's slot empty, marked 'none'.",
        &[f(parts - 1), f(parts - 1), limbs_16[0], limbs_16[1]],
    );
    // The singular vectors shown: as many as the rank of Y.
    let y = datasets::swimmer();
    let sigma = y.clone().svd(false, false).singular_values;
    let rank = sigma.iter().filter(|s| **s > 1e-9 * sigma[0]).count();
    assert_eq!(parts_swimmer::SVD_SHOWN, rank);
    says(
        "Bottom right, {} images in red and blue: v1 is a red torso with faint red
        limbs in every position, and v2 to v{} are patterns",
        &[f(rank), f(rank)],
    );
}

/// The fit of figure 10.3 on `y` at rank `k`: W with the rows of H scaled
/// to largest entry 1.
fn weights(y: &DMatrix<f64>, k: usize) -> DMatrix<f64> {
    parts_reconstruct::fit(y, k).unwrap().0
}

#[test]
fn images_as_sums_of_parts() {
    use parts_reconstruct::{terms, DIGIT_ROWS, SWIMMER_ROWS, TERMS};
    // One part per true part of the swimmer; the digits at figure 10.2's
    // rank.
    let parts = datasets::swimmer_parts().1.nrows();
    let swimmer = weights(&datasets::swimmer(), parts);
    let digits = weights(&datasets::digits().0, parts_digits::RANK);
    // (image, the weights of its four largest terms, how many more, the
    // largest of those), in the figure's rows: the swimmer's, then the
    // digits'.
    let row = |w: &DMatrix<f64>, m: usize| {
        let t = terms(w, m);
        let shown: Vec<f64> = t[..TERMS].iter().map(|p| p.1).collect();
        (f(m), shown, f(t.len() - TERMS), t[TERMS].1)
    };
    let (s1, s2) = (
        row(&swimmer, SWIMMER_ROWS[0]),
        row(&swimmer, SWIMMER_ROWS[1]),
    );
    let (d1, d2) = (row(&digits, DIGIT_ROWS[0]), row(&digits, DIGIT_ROWS[1]));
    // The figure's rows, numbered from 1.
    let [r1, r2, r3, r4] = [1, 2, 3, 4].map(|i: usize| f(i));
    says(
        "and ends with text '+ {} more' or '+ {} more' and the largest remaining weight.",
        &[s1.2, d1.2],
    );
    assert_eq!((s1.2, d1.2), (s2.2, d2.2));
    says(
        "Row {}, swimmer image {}: the weights are {}, {}, {} and {}, each part a limb
        with a faint torso, the four limbs of the image; the {} others have weights at
        most {}.",
        &[&[r1, s1.0][..], &s1.1, &[s1.2, s1.3]].concat(),
    );
    says(
        "Row {}, swimmer image {}: weights {}, {}, {}, {}, the others at most {}.",
        &[&[r2, s2.0][..], &s2.1, &[s2.3]].concat(),
    );
    says(
        "Row {}, digit image {}, a zero: weights {}, {}, {} and {} on four strokes, {}
        more with weights at most {}.",
        &[&[r3, d1.0][..], &d1.1, &[d1.2, d1.3]].concat(),
    );
    says(
        "Row {}, digit image {}, a three: weights {}, {}, {}, {}, {} more with weights
        at most {}.",
        &[&[r4, d2.0][..], &d2.1, &[d2.2, d2.3]].concat(),
    );
    // Which digits they are.
    let labels = datasets::digits().1;
    let named = prose::numbers("Row {}, digit image {}, a zero")[1].value as usize;
    assert_eq!((labels[named], labels[DIGIT_ROWS[1]]), (0, 3));
}

// ## Figure 10.4: the parts forming

#[test]
fn the_parts_forming() {
    let options = parts_anim::defaults(std::path::Path::new("."));
    let iterations = options.iterations;
    let frames = (0..=iterations)
        .filter(|&t| parts_anim::shown(t, iterations))
        .count();
    let fit = Nmf::new(options.rank)
        .max_iter(iterations)
        .tol(0.0)
        .seed(options.seed)
        .fit(&datasets::swimmer())
        .unwrap();
    let d = &fit.losses;
    let alt = "An animation of {} frames titled 'swimmer, rank {}: iteration t of {}'.
        Top, {} square images in two rows, the rows of H.";
    says(
        alt,
        &[f(frames), f(options.rank), f(iterations), f(options.rank)],
    );
    // The loss as the alt text reads it off the log-scale plot: the start
    // to thousands, iteration 20 to hundreds, the plateau to hundreds,
    // and its end as printed.
    let curve = "Bottom right, the loss on a log scale, falling from about {} to about {}
        by iteration {}, nearly flat at about {} around iterations {} to {}, then
        dropping steeply, below {} by iteration {}, and ending near {}.";
    let v = prose::values(curve);
    let [by, from, to, below_at] = [v[2], v[4], v[5], v[7]].map(|x| x as usize);
    let plateau = (d[from] + d[to]) / 2.0;
    says(
        curve,
        &[
            (d[0] / 1000.0).round() * 1000.0,
            (d[by] / 100.0).round() * 100.0,
            f(by),
            (plateau / 100.0).round() * 100.0,
            f(from),
            f(to),
            v[6],
            f(below_at),
            d[iterations],
        ],
    );
    assert!(d[below_at] < v[6]);
    // "nearly flat": the plateau loses under a fifth of its loss, while
    // the twenty iterations after it lose most of theirs.
    assert!(d[to] > 0.8 * d[from]);
    assert!(d[below_at] < 0.1 * d[to]);
    // The prose beside the animation.
    let early = "After {} iterations every
        part has at least {}% of its mass";
    let t = prose::values(early)[0] as usize;
    says(
        "The loss
        is {}, a third of $\\lVert Y\\rVert_F^2$.",
        &[d[t]],
    );
    assert_eq!(
        (3.0 * d[t] / datasets::swimmer().norm_squared()).round(),
        1.0
    );
    let lingers = "In between the loss lingers: {}
        after {} iterations and {} after {}, close to where seed 1 ends, then
        {} after {} and {} after {}.";
    let v = prose::values(lingers);
    let ts = [v[1], v[3], v[5], v[7]].map(|t| t as usize);
    says(
        lingers,
        &[
            d[ts[0]],
            f(ts[0]),
            d[ts[1]],
            f(ts[1]),
            d[ts[2]],
            f(ts[2]),
            d[ts[3]],
            f(ts[3]),
        ],
    );
    // The prose: the loss of the fit from its start to its end, against
    // ‖Y‖², which the maths groups by thousands with a thin space.
    let total = datasets::swimmer().norm_squared();
    says(
        "`Nmf::new({}).tol(0.0).seed({}).fit(&y)`. The loss falls from {} to
        {}, against $\\lVert Y\\rVert_F^2 = {}\\,{}$.",
        &[
            f(options.rank),
            f(options.seed as usize),
            d[0],
            d[iterations],
            (total / 1000.0).floor(),
            total % 1000.0,
        ],
    );
    says(
        "Why does a loss of {} not mean the true parts?",
        &[d[iterations]],
    );
}

// ## Figure 10.6: the matrix view

#[test]
fn the_matrix_view() {
    let y = matrix_view::bars();
    let k = matrix_view::RANK;
    let frames = matrix_view::FRAMES;
    let fit = Nmf::new(k)
        .max_iter(frames)
        .tol(0.0)
        .seed(0)
        .fit(&y)
        .unwrap();
    says(
        "An animation of {} frames titled 'iteration t: Y ≈ WH, one cell per entry'.
        Left, a narrow grid W of {} rows and {} columns; above the middle, a wide grid H
        of {} rows and {} columns; below H, the grid WH of {} rows and {} columns;",
        &[
            f(frames + 1),
            f(y.nrows()),
            f(k),
            f(k),
            f(y.ncols()),
            f(y.nrows()),
            f(y.ncols()),
        ],
    );
    // The loss, to a power of ten at either end, as a log scale shows it.
    let decade = |x: f64| 10f64.powf(x.log10().round());
    says(
        "Far right, the loss on a log scale, falling from about {} to about {} at
        iteration {}.",
        &[decade(fit.losses[0]), decade(fit.losses[frames]), f(frames)],
    );
    says(
        "and the loss has fallen from {} to {}.",
        &[fit.losses[0], fit.losses[frames]],
    );
}

// ## The README's still of chapter 7's animation

#[test]
fn the_readmes_still() {
    let (y, nmf) = cos2_anim::experiment(None);
    let frames = cos2_anim::FRAMES;
    let losses = nmf.max_iter(frames).fit(&y).unwrap().losses;
    says(
        "The first command replays the experiment of the article the book grew
        from, with its own data ({} noisy points on a cos² curve)",
        &[f(y.nrows())],
    );
    says("It writes a looping {}-frame GIF", &[f(frames + 1)]);
    says(
        "![The last frame of the animation, iteration {}:",
        &[f(frames)],
    );
    says(
        "and the loss curve falling on a log scale to about {}.](src/figures/cos2_anim_last.png)",
        &[losses[frames]],
    );
}

// ## Chapter 8: the four starts, and twenty seeds

#[test]
fn the_loss_from_four_starts() {
    use init_curves::{data, eckart_young, losses, starts, ITERATIONS, RANK};
    let y = data();
    let curves: Vec<Vec<f64>> = starts()
        .iter()
        .map(|(_, init, _)| losses(&y, init.clone()).unwrap())
        .collect();
    // In the order of `starts`: random, NNDSVD, NNDSVDa, NNDSVDar.
    let (random, plain, mean, filled) = (&curves[0], &curves[1], &curves[2], &curves[3]);
    let best = eckart_young(&y);
    let prose = "The random start begins highest, at {}, NNDSVDa at {},
        and NNDSVD and NNDSVDar lowest, at {} and {}. {} iterations later
        all four lie between {} and {}. From there NNDSVD flattens out near {},
        held by its zeros, while the other three keep falling. After {}
        iterations NNDSVDa is lowest at {}, the random start at {} and
        NNDSVDar at {}, all above the grey line of Eckart–Young at {},
        which no matrix of rank {} can pass.";
    let v = prose::values(prose);
    let (t, low, high) = (v[4] as usize, v[5], v[6]);
    let at_t: Vec<f64> = curves.iter().map(|c| c[t]).collect();
    let [lo, hi] = range(at_t.iter().copied());
    assert!(low <= lo && hi <= high, "{at_t:?}");
    // Between the two whole numbers around the four.
    assert_eq!((lo.floor(), hi.ceil()), (low, high));
    let end = ITERATIONS;
    says(
        prose,
        &[
            random[0],
            mean[0],
            plain[0],
            filled[0],
            f(t),
            low,
            high,
            plain[end],
            f(end),
            mean[end],
            random[end],
            filled[end],
            best,
            f(RANK),
        ],
    );
    assert!(mean[end] < random[end] && random[end] < filled[end] && best < mean[end]);
    assert!(random[0] > mean[0] && mean[0] > filled[0] && filled[0] > plain[0]);
    let alt = "A plot titled 'loss ‖Y − WH‖² from four starts, rank {}, log scale', of the
        loss from {} to {} against iterations {} to {}. A red curve,
        random (seed {}), starts at about {}, a green one, NNDSVDa, at about {}, and a
        blue one, NNDSVD, and a purple one, NNDSVDar (seed {}), both at about {}. All
        four fall steeply and by iteration {} lie between {} and {}. The blue curve then
        levels off near {} and stays flat to iteration {}. The red, green and purple
        curves keep falling slowly and end close together near {}. A thin grey
        horizontal line at about {} is labelled 'best of rank {}, any signs'.";
    // The two lowest starts at tens, the three that keep falling at units.
    let tens = |x: f64| (x / 10.0).round() * 10.0;
    assert_eq!(tens(plain[0]), tens(filled[0]));
    let near: Vec<f64> = [random, mean, filled]
        .iter()
        .map(|c| c[end].round())
        .collect();
    assert!(near.iter().all(|x| *x == near[0]));
    // The axis: every loss drawn lies inside it.
    let axis = prose::values(alt);
    let (axis_lo, axis_hi) = (axis[1], axis[2]);
    assert!(curves
        .iter()
        .flatten()
        .chain(&[best])
        .all(|x| (axis_lo..=axis_hi).contains(x)));
    says(
        alt,
        &[
            f(RANK),
            axis_lo,
            axis_hi,
            0.0,
            f(end),
            0.0,
            random[0],
            mean[0],
            0.0,
            tens(plain[0]),
            f(t),
            low,
            high,
            plain[end],
            f(end),
            near[0],
            best,
            f(RANK),
        ],
    );
    // "flattens out": NNDSVD moves by less than a tenth after iteration
    // 30.
    assert!(plain[30] - plain[end] < 0.1);
}

#[test]
fn the_final_loss_from_twenty_seeds() {
    use init_spread::{data, final_loss, spread, ITERATIONS, RANK, SEEDS};
    let y = data();
    let random = spread(&y, Init::Random).unwrap();
    let filled = spread(&y, Init::NndsvdAr).unwrap();
    let plain = final_loss(&y, Init::Nndsvd, 0).unwrap();
    let mean = final_loss(&y, Init::NndsvdA, 0).unwrap();
    let [lo, hi] = range(random.iter().copied());
    let [filled_lo, filled_hi] = range(filled.iter().copied());
    let centre = (filled_lo + filled_hi) / 2.0;
    let within = prose::values("all end within {} of")[0];
    assert!(filled.iter().all(|x| (x - centre).abs() < within));
    says(
        "The random starts (red dots) spread from {} to {}. The
        NNDSVDar starts (purple circles) all end within {} of {}. NNDSVDa,
        which has no seed, ends at {} (green line), and NNDSVD at {} (blue
        line).",
        &[lo, hi, within, centre, mean, plain],
    );
    // The random starts that end as low as NNDSVDa and NNDSVDar: level
    // with them (as close as the NNDSVDar ends are to their centre), or
    // below them.
    let floor = mean.min(filled_lo);
    let level = random
        .iter()
        .filter(|x| (*x - floor).abs() < within)
        .count();
    let below: Vec<usize> = (0..random.len())
        .filter(|&s| random[s] < floor - within)
        .collect();
    let lowest = (0..random.len())
        .min_by(|&a, &b| random[a].total_cmp(&random[b]))
        .unwrap();
    says(
        "On this
        data only {} of the {} random starts end as low as NNDSVDa and
        NNDSVDar: {} level with them, within {}, and {} below them, the
        lowest (seed {}) at {}.",
        &[
            f(level + below.len()),
            SEEDS as f64,
            f(level),
            within,
            f(below.len()),
            f(lowest),
            random[lowest],
        ],
    );
    // The alt text: the random starts to one decimal, grouped as it says.
    let alt = "A plot titled 'loss after {} iterations, rank {}, from {} seeds', with the
        seed from {} to {} across and the final loss from 14.5 to 20 up. Red dots, one
        per seed for the random starts, lie near {} to {} for most seeds, but at about
        {} for seeds {}, {} and {}, about {} for seed {}, and about {} for seeds {}, {}
        and {}. Purple open circles, one per seed for NNDSVDar, all lie on a green
        horizontal line at about {}, the NNDSVDa result. A blue horizontal line at
        about {} marks NNDSVD.";
    let v = prose::values(alt);
    let (most_lo, most_hi) = (v[5], v[6]);
    let groups = [
        (v[7], vec![v[8], v[9], v[10]]),
        (v[11], vec![v[12]]),
        (v[13], vec![v[14], v[15], v[16]]),
    ];
    let tenth = |x: f64| (x * 10.0).round() / 10.0;
    let mut named = Vec::new();
    let mut expected = vec![
        f(ITERATIONS),
        f(RANK),
        SEEDS as f64,
        0.0,
        (SEEDS - 1) as f64,
        most_lo,
        most_hi,
    ];
    for (value, seeds) in &groups {
        expected.push(tenth(random[seeds[0] as usize]));
        for &s in seeds {
            assert_eq!(tenth(random[s as usize]), *value, "seed {s}");
            named.push(s as usize);
            expected.push(s);
        }
    }
    expected.extend([mean, plain]);
    says(alt, &expected);
    let most: Vec<usize> = (0..random.len()).filter(|s| !named.contains(s)).collect();
    assert!(2 * most.len() > random.len());
    assert!(most
        .iter()
        .all(|&s| (most_lo..=most_hi).contains(&tenth(random[s]))));
    assert_eq!(
        range(most.iter().map(|&s| tenth(random[s]))),
        [most_lo, most_hi]
    );
    // The NNDSVDar circles on the NNDSVDa line, to the decimal shown.
    assert!(filled.iter().all(|x| tenth(*x) == tenth(mean)));
    // The axis holds every dot and both lines.
    let [axis_lo, axis_hi] = prose::values("and the final loss from {} to {} up.")
        .try_into()
        .unwrap();
    assert!(random
        .iter()
        .chain(&filled)
        .chain(&[plain, mean])
        .all(|x| (axis_lo..=axis_hi).contains(x)));
}

// ## Chapter 9: the topics each loss recovers

#[test]
fn the_topics_each_loss_recovers() {
    let fits = kl_topics::fits().unwrap();
    let (kl, frobenius) = (&fits.found[0], &fits.found[1]);
    assert_eq!((kl.0, frobenius.0), ("KL divergence", "Frobenius"));
    let truth = &fits.truth;
    let words = truth[0].len();
    // The true topics: three common words, nine of their own.
    let common: Vec<f64> = (0..3).map(|w| truth[0][w]).collect();
    let own = truth[0][3];
    assert!(truth.iter().all(|t| t[..3] == common[..]));
    let top = prose::values("and a share from 0 to {} up.")[0];
    // Words by their number from 1: the common ones, and each topic's own.
    let common_words = (1..=3).collect::<Vec<usize>>();
    let own_words = |t: usize| -> Vec<usize> {
        (1..=words)
            .filter(|&w| truth[t][w - 1] > 0.0 && (0..3).all(|u| u == t || truth[u][w - 1] == 0.0))
            .collect()
    };
    assert!((1..=words).all(|w| common_words.contains(&w) == truth.iter().all(|t| t[w - 1] > 0.0)));
    let first_last = |ws: &[usize]| [f(ws[0]), f(*ws.last().unwrap())];
    let own_ranges: Vec<f64> = (0..3).flat_map(|t| first_last(&own_words(t))).collect();
    assert!((0..3).all(|t| {
        let ws = own_words(t);
        ws.windows(2).all(|p| p[1] == p[0] + 1)
    }));
    // The axis is labelled every ten words.
    let ticks: Vec<f64> = (1..=words / 10).map(|i| f(10 * i)).collect();
    says(
        "Each chart has the {} words across, labelled {}, {} and {}, and a share from
        {} to {} up. Top row, in grey, the three true topics: each has three bars of
        about {} on words {} to {} and nine bars of about {} on its own words, {} to {},
        {} to {} and {} to {}.",
        &[
            &[f(words)][..],
            &ticks,
            &[0.0, top, common[0]],
            &first_last(&common_words),
            &[own],
            &own_ranges,
        ]
        .concat(),
    );
    says(
        "each looks like the true topic above it, with three tall bars on words {} to
        {} and nine shorter ones on the same own words.",
        &first_last(&common_words),
    );
    // The two it finds: the true topics its distances are small for.
    let found: Vec<f64> = (0..3)
        .filter(|&t| frobenius.2[t] < 0.1)
        .map(|t| f(t + 1))
        .collect();
    says(
        "the first two look like the true topics {} and {}, a little ragged;",
        &found,
    );
    assert!(fits
        .found
        .iter()
        .flat_map(|found| found.1.iter().flatten())
        .chain(truth.iter().flatten())
        .all(|p| *p <= top));
    says(
        "Middle row, in blue, the topics found with the KL divergence, titled 'KL
        divergence: distance {}', '{}' and '{}'",
        &kl.2,
    );
    says(
        "Bottom row, in red, the topics found with the Frobenius loss, titled
        'Frobenius: distance {}', '{}' and '{}'",
        &frobenius.2,
    );
    // The third topic of the squared error, by word number.
    let third = &frobenius.1[2];
    let share = |w: f64| third[w as usize - 1];
    let (own_3, own_1) = (own_words(2), own_words(0));
    let others = own_3.iter().map(|&w| share(f(w))).fold(0.0, f64::max);
    let none_above = prose::values("and only low bars, none above {}, on words")[0];
    assert!(others <= none_above);
    let pattern = "the third has uneven bars on the common words, about {} on word {}, about {}
        on word {} and about {} on word {}, a bar of about {} on word {} and a few lower
        ones among words {} to {}, and only low bars, none above {}, on words {} to
        {}.";
    let v = prose::values(pattern);
    let tallest = own_1
        .iter()
        .copied()
        .max_by(|&a, &b| share(f(a)).total_cmp(&share(f(b))))
        .unwrap();
    says(
        pattern,
        &[
            share(v[1]),
            f(common_words[0]),
            share(v[3]),
            f(common_words[1]),
            share(v[5]),
            f(common_words[2]),
            share(f(tallest)),
            f(tallest),
            f(own_1[0]),
            f(*own_1.last().unwrap()),
            none_above,
            f(own_3[0]),
            f(*own_3.last().unwrap()),
        ],
    );
    // The prose beside the figure.
    let worst = range(kl.2.iter().copied())[1];
    let within = prose::values(
        "The divergence finds all three topics, each within a total variation
        distance of {}.",
    )[0];
    assert!(worst <= within);
    says(
        "and misses the third, at a distance of {}: the topic it
        puts in its place has {} of its mass on the three common words and
        only {} on the own words of topic 3, where the truth has {} on each.",
        &[
            frobenius.2[2],
            common_words.iter().map(|&w| share(f(w))).sum(),
            own_3.iter().map(|&w| share(f(w))).sum(),
            own_3.iter().map(|&w| truth[2][w - 1]).sum(),
        ],
    );
}

/// The README's oldest Rust toolchain: the workspace's `rust-version`.
#[test]
fn the_readmes_toolchain() {
    let manifest = include_str!("../Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    let [major, minor]: [u32; 2] = version
        .split('.')
        .map(|p| p.parse().unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let written = prose::numbers("Only the Rust toolchain ({} or newer)");
    assert_eq!(written[0].text, format!("{major}.{minor}"));
}

// ## Every number of these figures' alt text is checked

/// The checks above, run again by
/// [`every_number_of_the_alt_text_is_checked`].
const CHECKS: [fn(); 12] = [
    the_readmes_toolchain,
    the_loss_against_the_rank_on_the_swimmer,
    the_loss_against_the_rank_on_the_digits,
    the_parts_of_the_swimmer,
    images_as_sums_of_parts,
    the_parts_forming,
    the_matrix_view,
    the_readmes_still,
    the_loss_from_four_starts,
    the_final_loss_from_twenty_seeds,
    the_topics_each_loss_recovers,
    the_parts_of_the_digits,
];

/// The figures whose alt text these tests check, by page.
const FIGURES: [(&str, &str); 10] = [
    ("src/ch08-where-to-start.md", "init_curves.png"),
    ("src/ch08-where-to-start.md", "init_spread.png"),
    ("src/ch09-another-divergence.md", "kl_topics.png"),
    ("src/ch10-learning-parts.md", "parts_swimmer.png"),
    ("src/ch10-learning-parts.md", "parts_digits.png"),
    ("src/ch10-learning-parts.md", "parts_reconstruct.png"),
    ("src/ch10-learning-parts.md", "parts_anim.gif"),
    ("src/ch10-learning-parts.md", "parts_rank.png"),
    ("src/ch10-learning-parts.md", "matrix_view.gif"),
    ("README.md", "cos2_anim_last.png"),
];

#[test]
fn every_number_of_the_alt_text_is_checked() {
    // And every number of the README with a decimal point or a per cent
    // sign.
    prose::every_number_is_read(&CHECKS, &FIGURES, &["README.md"]);
}

#[test]
fn the_parts_of_the_digits() {
    let (y, labels) = datasets::digits();
    let side = (y.ncols() as f64).sqrt() as usize;
    assert_eq!(side * side, y.ncols());
    let digits = f(usize::from(*labels.iter().max().unwrap()) + 1);
    let k = parts_digits::RANK;
    let grid = (k as f64).sqrt() as usize;
    assert_eq!(grid * grid, k);
    says(
        "Top, a row of {} {} by {} pixel images in grey, the handwritten digits {} to {}.
        Below left, a {} by {} grid of grey-scale images, the {} parts NMF learned:",
        &[
            digits,
            f(side),
            f(side),
            0.0,
            digits - 1.0,
            f(grid),
            f(grid),
            f(k),
        ],
    );
    says(
        "Below right, a {} by {} grid of red and blue images, the first {} singular
        vectors:",
        &[f(grid), f(grid), f(k)],
    );
}
