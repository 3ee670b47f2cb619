//! Majorise, then minimise: `cargo run --example jensen_bound`.
//!
//! One weight w₁₁ of a one-point problem moves while everything else
//! stays fixed. The figure shows the loss D along w₁₁, the auxiliary
//! function G(· | wᵗ) built at each iterate, touching D there and lying
//! above it everywhere else, and the steps to the minimiser of each G.
//! Chapter 3 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/jensen_bound.png`).

mod common;

use common::plot::{draw_axes, draw_legend, fail, BASIS, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{auxiliary, loss, update_w};
use plotters::prelude::*;

/// The top of the plot.
const Y_MAX: f64 = 4.0;

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
    let iterates = mm_steps(0.15, 3).map_err(|e| e.to_string())?;

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

    let mut chart = ChartBuilder::on(root)
        .caption(
            "D along w₁₁, and the bounds G(· | wᵗ) that touch it",
            (FONT, 22),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..2.5, 0.0..Y_MAX)
        .map_err(fail)?;
    draw_axes(&mut chart, "w₁₁", "loss")?;

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

fn main() {
    FIGURE.main();
}
