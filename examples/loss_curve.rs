//! The loss against iterations: `cargo run --example loss_curve`.
//!
//! Fits the cos² data of chapter 7 at rank 1 and at rank 2 and draws both
//! losses on a log scale. Chapters 4 and 7 show it.
//!
//! Flags: `--out PATH` (default `src/figures/loss_curve.png`).

mod common;

use common::plot::{draw_losses, log_range, Curve, BASIS};
use common::{PngFigure, Root};
use nmf_core::Nmf;

/// The experiment, as chapter 7's: 80 points, seed 32.
pub const SEED: u64 = 32;
pub const ITERATIONS: usize = 200;

/// Fits both ranks and draws the figure.
fn picture(root: &Root) -> Result<(), String> {
    let y = nmf_core::datasets::cos2(80, SEED);
    let losses = |k: usize| {
        Nmf::new(k)
            .max_iter(ITERATIONS)
            .tol(0.0)
            .seed(SEED)
            .fit(&y)
            .map(|f| f.losses)
            .map_err(|e| e.to_string())
    };
    let (rank1, rank2) = (losses(1)?, losses(2)?);
    let curves = [
        Curve {
            label: "rank 1",
            losses: &rank1,
            colour: BASIS[0],
        },
        Curve {
            label: "rank 2",
            losses: &rank2,
            colour: BASIS[1],
        },
    ];
    let range = log_range([rank1.as_slice(), rank2.as_slice()]);

    draw_losses(
        root,
        "loss ‖Y − WH‖² on the cos² data, log scale",
        &curves,
        ITERATIONS,
        range,
    )?;
    Ok(())
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
