//! The loss against iterations: `cargo run --example loss_curve`.
//!
//! Fits the 8 × 6 matrix of chapter 4's snippet at ranks 1, 2 and 3, from
//! seeded random starts, and draws the three losses on a log scale.
//! Chapter 4 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/loss_curve.png`).

mod common;

use common::plot::draw_loss_figure;
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::Nmf;

pub const SEED: u64 = 4;
pub const ITERATIONS: usize = 200;

/// The data of chapter 4's snippet.
pub fn data() -> DMatrix<f64> {
    DMatrix::from_fn(8, 6, |m, n| ((m * 7 + n * 3) % 5) as f64)
}

/// The losses of a fit at rank `k`.
pub fn losses(k: usize) -> Result<Vec<f64>, String> {
    Nmf::new(k)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(SEED)
        .fit(&data())
        .map(|f| f.losses)
        .map_err(|e| e.to_string())
}

/// Fits the three ranks and draws the figure.
fn picture(root: &Root) -> Result<(), String> {
    draw_loss_figure(
        root,
        "loss ‖Y − WH‖² of an 8 × 6 matrix, log scale",
        &[
            ("rank 1", losses(1)?),
            ("rank 2", losses(2)?),
            ("rank 3", losses(3)?),
        ],
        ITERATIONS,
    )
}

/// The figure, `src/figures/loss_curve.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "loss_curve.png",
    size: (900, 480),
    picture,
};

fn main() {
    FIGURE.main();
}
