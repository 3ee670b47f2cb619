//! The loss at rank 1 and rank 2 on the article's data:
//! `cargo run --example cos2_ranks`.
//!
//! Rank 2 starts from the article's own start; rank 1 from its first
//! component (the first column of W⁰ and the first row of H⁰). Both run
//! 200 iterations, and the figure draws both losses on a log scale.
//! Chapter 7 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/cos2_ranks.png`).

mod common;

use common::plot::draw_loss_figure;
use common::{PngFigure, Root};
use nmf_core::{Init, Nmf};

pub const ITERATIONS: usize = 200;

/// The losses of the article's experiment at rank `k` (1 or 2).
pub fn losses(k: usize) -> Result<Vec<f64>, String> {
    let (y, w0, h0) = nmf_core::datasets::article_cos2();
    let start = Init::Custom {
        w: w0.columns(0, k).into_owned(),
        h: h0.rows(0, k).into_owned(),
    };
    Nmf::new(k)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .init(start)
        .fit(&y)
        .map(|f| f.losses)
        .map_err(|e| e.to_string())
}

/// Fits both ranks and draws the figure.
fn picture(root: &Root) -> Result<(), String> {
    draw_loss_figure(
        root,
        "loss ‖Y − WH‖² on the article's data, log scale",
        &[("rank 1", losses(1)?), ("rank 2", losses(2)?)],
        ITERATIONS,
    )
}

/// The figure, `src/figures/cos2_ranks.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "cos2_ranks.png",
    size: (900, 480),
    picture,
};

fn main() {
    FIGURE.main();
}
