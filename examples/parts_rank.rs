//! How many parts: `cargo run --example parts_rank`.
//!
//! The loss after 200 iterations (seed 0) against the rank K, relative to
//! ‖Y‖², on the swimmer (left) and on the digits (right), with the least
//! loss any matrix of rank K can reach, Σ_{j>K} σ_j² (Eckart and Young
//! 1936), below it. Chapter 10 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/parts_rank.png`).

mod common;

use common::plot::{draw_axes, draw_legend, fail, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{datasets, Nmf};
use plotters::prelude::*;

/// The ranks fitted on each data set.
pub const SWIMMER_RANKS: [usize; 8] = [1, 6, 12, 14, 15, 16, 17, 18];
pub const DIGIT_RANKS: [usize; 6] = [1, 2, 4, 8, 16, 32];
/// The iterations and the seed of every fit.
pub const ITERATIONS: usize = 200;
pub const SEED: u64 = 0;

/// (K, loss after the fit / ‖Y‖²) for each K of `ranks`.
pub fn curve(y: &DMatrix<f64>, ranks: &[usize]) -> Result<Vec<(usize, f64)>, String> {
    let total = y.norm_squared();
    ranks
        .iter()
        .map(|&k| {
            let fit = Nmf::new(k)
                .max_iter(ITERATIONS)
                .tol(0.0)
                .seed(SEED)
                .fit(y)
                .map_err(|e| e.to_string())?;
            Ok((k, fit.losses[ITERATIONS] / total))
        })
        .collect()
}

/// (K, Σ_{j>K} σ_j² / ‖Y‖²) for K = 1..=k_max: the least loss of any
/// matrix of rank K.
pub fn bound(y: &DMatrix<f64>, k_max: usize) -> Vec<(usize, f64)> {
    let total = y.norm_squared();
    let sigma = y.clone().svd(false, false).singular_values;
    (1..=k_max)
        .map(|k| (k, sigma.iter().skip(k).map(|s| s * s).sum::<f64>() / total))
        .collect()
}

/// One panel: NMF's loss and the bound against K.
fn panel(
    area: &Root,
    title: &str,
    nmf: &[(usize, f64)],
    svd: &[(usize, f64)],
) -> Result<(), String> {
    let k_max = nmf.iter().map(|p| p.0).max().unwrap_or(1) + 1;
    let top = nmf.iter().map(|p| p.1).fold(0.0, f64::max) * 1.08;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0..k_max, 0.0..top)
        .map_err(fail)?;
    draw_axes(&mut chart, "rank K", "loss / ‖Y‖²")?;
    let blue = RGBColor(31, 119, 180);
    let grey = RGBColor(120, 120, 120);
    chart
        .draw_series(LineSeries::new(svd.iter().copied(), grey.stroke_width(2)))
        .map_err(fail)?
        .label("least loss of any matrix of rank K (SVD)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(nmf.iter().copied(), blue.stroke_width(2)))
        .map_err(fail)?
        .label("NMF, seed 0, after 200 iterations")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(2)));
    chart
        .draw_series(nmf.iter().map(|&p| Circle::new(p, 4, blue.filled())))
        .map_err(fail)?;
    draw_legend(&mut chart)
}

fn picture(root: &Root) -> Result<(), String> {
    let (swimmer, digits) = (datasets::swimmer(), datasets::digits().0);
    let (left, right) = root.split_horizontally(500);
    let nmf = curve(&swimmer, &SWIMMER_RANKS)?;
    panel(&left, "swimmer (256 × 1024)", &nmf, &bound(&swimmer, 18))?;
    let nmf = curve(&digits, &DIGIT_RANKS)?;
    panel(&right, "digits (1797 × 64)", &nmf, &bound(&digits, 32))
}

/// The figure, `src/figures/parts_rank.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "parts_rank.png",
    size: (1000, 420),
    picture,
};

fn main() {
    FIGURE.main();
}
