//! Majorise, then minimise: `cargo run --example jensen_bound`.
//!
//! One weight w₁₁ of a one-point problem moves while everything else
//! stays fixed. The figure shows the loss D along w₁₁, the auxiliary
//! function G(· | wᵗ) built at each iterate, touching D there and lying
//! above it everywhere else, and the steps to the minimiser of each G.
//! Chapter 3 shows it. It also draws the steps one at a time, one frame
//! per step t, as one SVG for the chapter's scrubber.
//!
//! Flags: `--out PATH` (default `src/figures/jensen_bound.png`; the steps
//! go beside it as `<name>_steps.svg`).

mod common;

use std::path::{Path, PathBuf};

use common::args::{run, Flags};
use common::plot::{draw_axes, draw_legend, fail, BASIS, FONT};
use common::svg::SvgFrames;
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{auxiliary, loss, update_w};
use plotters::prelude::*;

/// The top of the plot.
pub const Y_MAX: f64 = 4.0;
/// The start of majorise–minimise.
pub const START: f64 = 0.15;
/// Steps that the scrubber shows, after the start.
pub const STEPS: usize = 5;
/// The colour of the bound built at each step.
const STEP_COLOURS: [RGBColor; 6] = [
    BASIS[0],
    BASIS[1],
    BASIS[2],
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
];

/// One point y, two basis vectors, and the weight of the second held fixed.
pub fn problem() -> (DMatrix<f64>, DMatrix<f64>, f64) {
    let y = DMatrix::from_row_slice(1, 2, &[2.0, 1.2]);
    let h = DMatrix::from_row_slice(2, 2, &[1.0, 0.2, 0.3, 1.0]);
    (y, h, 0.6)
}

/// W with w₁₁ = `w` and w₁₂ at its fixed value.
fn weights(w: f64, w12: f64) -> DMatrix<f64> {
    DMatrix::from_row_slice(1, 2, &[w, w12])
}

// ANCHOR: mm_steps
/// The iterates w₁₁ᵗ of majorise–minimise from `start`: each is the
/// minimiser of G built at the one before, which is the multiplicative
/// update of that entry.
pub fn mm_steps(start: f64, steps: usize) -> Result<Vec<f64>, nmf_core::NmfError> {
    let (y, h, w12) = problem();
    let mut iterates = vec![start];
    for _ in 0..steps {
        let w = weights(*iterates.last().unwrap(), w12);
        iterates.push(update_w(&y, &w, &h)?[(0, 0)]);
    }
    Ok(iterates)
}
// ANCHOR_END: mm_steps

/// Draws the figure.
fn picture(root: &Root) -> Result<(), String> {
    let (y, h, w12) = problem();
    let d = |w: f64| loss(&y, &weights(w, w12), &h);
    let g = |w: f64, at: f64| auxiliary(&y, &weights(w, w12), &h, &weights(at, w12), &h);
    let iterates = mm_steps(START, 3).map_err(|e| e.to_string())?;

    let grid: Vec<f64> = (0..=300).map(|i| i as f64 * 2.5 / 300.0).collect();
    let curve =
        |f: &dyn Fn(f64) -> Result<f64, nmf_core::NmfError>| -> Result<Vec<(f64, f64)>, String> {
            let points: Result<Vec<(f64, f64)>, String> = grid
                .iter()
                .map(|&w| f(w).map(|v| (w, v)).map_err(|e| e.to_string()))
                .collect();
            // Keep what is inside the plot; plotters would flatten the rest onto its edge.
            Ok(points?.into_iter().filter(|p| p.1 <= Y_MAX).collect())
        };

    let mut chart = axes(root, "D along w₁₁, and the bounds G(· | wᵗ) that touch it")?;

    let colours = [BASIS[0], BASIS[1], BASIS[2], RGBColor(148, 103, 189)];
    for (t, &at) in iterates.iter().take(colours.len()).enumerate() {
        let colour = colours[t];
        let bound = curve(&|w| g(w, at))?;
        chart
            .draw_series(LineSeries::new(bound, colour.stroke_width(2)))
            .map_err(fail)?
            .label(format!("G(· | w{})", ['⁰', '¹', '²', '³'][t]))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        // The step: the minimiser of G, and the drop from G down to D there.
        if let Some(&next) = iterates.get(t + 1) {
            let (g_next, d_next) = (g(next, at).map_err(fail)?, d(next).map_err(fail)?);
            let drop =
                PathElement::new(vec![(next, g_next), (next, d_next)], colour.stroke_width(2));
            let minimum = Circle::new((next, g_next), 5, colour.stroke_width(2));
            chart.draw_series(std::iter::once(drop)).map_err(fail)?;
            chart.draw_series(std::iter::once(minimum)).map_err(fail)?;
        }
    }
    chart
        .draw_series(LineSeries::new(curve(&d)?, BLACK.stroke_width(3)))
        .map_err(fail)?
        .label("D")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(3)));
    let points: Result<Vec<(f64, f64)>, String> = iterates
        .iter()
        .map(|&w| d(w).map(|v| (w, v)).map_err(fail))
        .collect();
    chart
        .draw_series(
            points?
                .into_iter()
                .map(|p| Circle::new(p, 5, BLACK.filled())),
        )
        .map_err(fail)?;
    draw_legend(&mut chart)?;
    Ok(())
}

/// The figure, `src/figures/jensen_bound.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "jensen_bound.png",
    size: (900, 520),
    picture,
};

/// A linear f64 axis of plotters.
type Coord = plotters::coord::types::RangedCoordf64;

/// The axes of both pictures: D and its bounds along w₁₁.
fn axes<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    caption: &str,
) -> Result<ChartContext<'a, DB, Cartesian2d<Coord, Coord>>, String> {
    let mut chart = ChartBuilder::on(root)
        .caption(caption, (FONT, 22))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..2.5, 0.0..Y_MAX)
        .map_err(fail)?;
    draw_axes(&mut chart, "w₁₁", "loss")?;
    Ok(chart)
}

/// The values of `f` on a grid over the plot's w₁₁, without those above
/// its top: plotters would flatten them onto its edge.
fn samples(
    f: &dyn Fn(f64) -> Result<f64, nmf_core::NmfError>,
    from: f64,
    to: f64,
) -> Result<Vec<(f64, f64)>, String> {
    let n = ((to - from) / 2.5 * 300.0).ceil().max(1.0) as usize;
    let mut points = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let w = from + (to - from) * i as f64 / n as f64;
        let v = f(w).map_err(|e| e.to_string())?;
        if v <= Y_MAX {
            points.push((w, v));
        }
    }
    Ok(points)
}

/// Draws step `t` of `iterates`: D; the steps before t in grey, each the
/// arc of its bound from wˢ to wˢ⁺¹ and the drop to D, a staircase; the
/// bound G(· | wᵗ) in colour, touching D at wᵗ, whose loss is marked; and
/// its minimiser, the next iterate wᵗ⁺¹.
fn step_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    t: usize,
    iterates: &[f64],
) -> Result<(), String> {
    let (y, h, w12) = problem();
    let d = |w: f64| loss(&y, &weights(w, w12), &h);
    let g = |w: f64, at: f64| auxiliary(&y, &weights(w, w12), &h, &weights(at, w12), &h);
    let superscript = |n: usize| -> String {
        n.to_string()
            .chars()
            .map(|c| {
                "⁰¹²³⁴⁵⁶⁷⁸⁹"
                    .chars()
                    .nth(c as usize - '0' as usize)
                    .unwrap_or(c)
            })
            .collect()
    };
    root.fill(&WHITE).map_err(fail)?;
    let title = format!(
        "step {t}: G(· | w{}) touches D at w{}; its lowest point gives w{}",
        superscript(t),
        superscript(t),
        superscript(t + 1)
    );
    let mut chart = axes(root, &title)?;

    let grey = RGBColor(170, 170, 170);
    for s in 0..t {
        let (at, next) = (iterates[s], iterates[s + 1]);
        let arc = samples(&|w| g(w, at), at, next)?;
        let bottom = (next, g(next, at).map_err(fail)?);
        let drop = vec![bottom, (next, d(next).map_err(fail)?)];
        chart
            .draw_series([
                PathElement::new(arc, grey.stroke_width(2)),
                PathElement::new(drop, grey.stroke_width(2)),
            ])
            .map_err(fail)?;
    }
    let (at, next) = (iterates[t], iterates[t + 1]);
    let colour = STEP_COLOURS[t % STEP_COLOURS.len()];
    chart
        .draw_series(LineSeries::new(
            samples(&|w| g(w, at), 0.0, 2.5)?,
            colour.stroke_width(2),
        ))
        .map_err(fail)?
        .label(format!("G(· | w{})", superscript(t)))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2)));
    let (g_next, d_next) = (g(next, at).map_err(fail)?, d(next).map_err(fail)?);
    chart
        .draw_series(LineSeries::new(
            samples(&d, 0.0, 2.5)?,
            BLACK.stroke_width(3),
        ))
        .map_err(fail)?
        .label("D")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(3)));
    // The iterates so far, the step's drop, the next iterate (a ring) and
    // the lowest point of G (an open circle in its colour).
    let mut points: Vec<(f64, f64)> = Vec::new();
    for &w in &iterates[..t] {
        points.push((w, d(w).map_err(fail)?));
    }
    chart
        .draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 4, BLACK.filled())),
        )
        .map_err(fail)?;
    chart
        .draw_series([PathElement::new(
            vec![(next, g_next), (next, d_next)],
            colour.stroke_width(2),
        )])
        .map_err(fail)?;
    chart
        .draw_series([
            Circle::new((next, g_next), 5, colour.stroke_width(2)),
            Circle::new((next, d_next), 6, BLACK.stroke_width(2)),
        ])
        .map_err(fail)?;
    // The iterate of this step, and its loss.
    let d_t = d(at).map_err(fail)?;
    chart
        .draw_series([EmptyElement::at((at, d_t))
            + Circle::new((0, 0), 7, colour.filled())
            + Circle::new((0, 0), 7, BLACK.stroke_width(2))])
        .map_err(fail)?;
    // Its values, in the empty upper middle of the plot.
    let label = format!("w{t_} = {at:.3},  D(w{t_}) = {d_t:.3}", t_ = superscript(t));
    let style = (FONT, 18).into_font().color(&BLACK);
    chart
        .draw_series([Text::new(label, (0.6, 3.85), style)])
        .map_err(fail)?;
    draw_legend(&mut chart)
}

/// The size of the frames of the steps.
const STEPS_SIZE: (u32, u32) = (900, 520);

/// Draws steps 0 to [`STEPS`] as the frames of one SVG, at `path`.
pub fn write_steps(path: &Path) -> Result<PathBuf, String> {
    common::plot::register_font()?;
    let iterates = mm_steps(START, STEPS + 1).map_err(|e| e.to_string())?;
    let (y, h, w12) = problem();
    let mut frames = SvgFrames::new("jensen-steps-frames", STEPS_SIZE);
    for t in 0..=STEPS {
        let d_t = loss(&y, &weights(iterates[t], w12), &h).map_err(fail)?;
        frames.add(t, d_t, |root| step_frame(root, t, &iterates))?;
    }
    frames
        .write(path)?
        .ok_or_else(|| "the steps were not written".to_string())
}

/// The steps' SVG beside the PNG at `png`: `x.png` gives `x_steps.svg`.
pub fn steps_path(png: &Path) -> PathBuf {
    let stem = png
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("jensen_bound");
    png.with_file_name(format!("{stem}_steps.svg"))
}

/// The figure and its steps, written to `png` and beside it.
pub fn write(png: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = FIGURE.write(png)?;
    written.push(write_steps(&steps_path(png))?);
    Ok(written)
}

/// The book's figures, into `dir`.
pub fn draw(dir: &Path) -> Result<Vec<PathBuf>, String> {
    write(&dir.join(FIGURE.file))
}

fn main() {
    run(|| {
        let flags = Flags::parse(
            std::env::args().skip(1),
            &[(
                "out",
                "path of the PNG (default src/figures/jensen_bound.png); the steps go beside it as <name>_steps.svg",
            )],
        )?;
        let out: PathBuf = flags.get("out", common::figures_dir().join(FIGURE.file))?;
        for path in write(&out)? {
            println!("wrote {}", path.display());
        }
        Ok(())
    });
}
