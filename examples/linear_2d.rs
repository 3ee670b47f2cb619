//! A first picture: `cargo run --example linear_2d`.
//!
//! Fits rank 2 to 80 noisy points around a line and draws, side by side,
//! the data Y and the reconstruction Ŷ = WH with the two basis vectors
//! (the rows of H) as arrows from the origin. Chapter 6 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/linear_2d.png`).

mod common;

use common::plot::{colour_by_x, draw_scene, Scene};
use common::{PngFigure, Root};
use nmf_core::Nmf;

/// The experiment of chapter 6; its numbers are checked in the chapter.
pub const POINTS: usize = 80;
pub const SEED: u64 = 6;
pub const ITERATIONS: usize = 200;

/// Fits the data and draws the figure.
fn picture(root: &Root) -> Result<(), String> {
    // ANCHOR: fit
    let y = nmf_core::datasets::line(POINTS, SEED);
    let fit = Nmf::new(2)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(SEED)
        .fit(&y)
        .map_err(|e| e.to_string())?;
    let y_hat = &fit.w * &fit.h;
    // ANCHOR_END: fit
    let colours = colour_by_x(&y);

    let (left, right) = root.split_horizontally(500);
    let (x_max, y_max) = (4.5, 3.5);
    let data = Scene {
        title: "data Y",
        points: &y,
        colours: &colours,
        ghosts: None,
        basis: None,
        x_max,
        y_max,
    };
    draw_scene(&left, &data)?;
    let title = format!("Ŷ = WH after {ITERATIONS} iterations, rows of H");
    let model = Scene {
        title: &title,
        points: &y_hat,
        colours: &colours,
        ghosts: None,
        basis: Some(&fit.h),
        x_max,
        y_max,
    };
    draw_scene(&right, &model)?;
    Ok(())
}

/// The figure, `src/figures/linear_2d.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "linear_2d.png",
    size: (1000, 450),
    picture,
};

fn main() {
    FIGURE.main();
}
