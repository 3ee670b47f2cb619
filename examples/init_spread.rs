//! The final loss over 20 seeds: `cargo run --example init_spread`.
//!
//! Chapter 8's data, a 50 × 40 noisy product of rank 12, fitted at rank 6
//! for 1000 iterations of the multiplicative updates from the random
//! starts of seeds 0 to 19 and from the NNDSVDar starts of the same seeds;
//! the final loss of each is one dot. NNDSVD and NNDSVDa use no seed, so
//! each is one line. Chapter 8 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/init_spread.png`).

mod common;

use common::plot::{fail, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Init, Nmf};
use plotters::prelude::*;

/// The rank of the fits.
pub const RANK: usize = 6;
/// How many iterations each fit runs.
pub const ITERATIONS: usize = 1000;
/// How many seeds.
pub const SEEDS: u64 = 20;

/// The data of chapter 8.
pub fn data() -> DMatrix<f64> {
    nmf_core::datasets::noisy_product(50, 40, 12, 0.2, 0.02, 2)
}

/// The loss after `ITERATIONS` iterations from `init` with `seed`.
pub fn final_loss(y: &DMatrix<f64>, init: Init, seed: u64) -> Result<f64, String> {
    Nmf::new(RANK)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(seed)
        .init(init)
        .fit(y)
        .map(|f| f.losses[ITERATIONS])
        .map_err(|e| e.to_string())
}

/// The final losses of seeds 0 to 19 from `init`.
pub fn spread(y: &DMatrix<f64>, init: Init) -> Result<Vec<f64>, String> {
    (0..SEEDS).map(|s| final_loss(y, init.clone(), s)).collect()
}

fn picture(root: &Root) -> Result<(), String> {
    let y = data();
    let random = spread(&y, Init::Random)?;
    let filled = spread(&y, Init::NndsvdAr)?;
    let plain = final_loss(&y, Init::Nndsvd, 0)?;
    let mean_filled = final_loss(&y, Init::NndsvdA, 0)?;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "loss after 1000 iterations, rank 6, from 20 seeds",
            (FONT, 22),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..(SEEDS as f64 - 0.5), 14.5..20.0)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_desc("seed")
        .y_desc("final loss D")
        .x_labels(SEEDS as usize)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()
        .map_err(fail)?;
    let x_max = SEEDS as f64 - 0.5;
    for (label, level, colour) in [
        ("NNDSVD (no seed)", plain, RGBColor(31, 119, 180)),
        ("NNDSVDa (no seed)", mean_filled, RGBColor(44, 160, 44)),
    ] {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, level), (x_max, level)],
                colour.stroke_width(2),
            )))
            .map_err(fail)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    let red = RGBColor(214, 39, 40);
    let purple = RGBColor(148, 103, 189);
    chart
        .draw_series(
            random
                .iter()
                .enumerate()
                .map(|(s, d)| Circle::new((s as f64, *d), 6, red.filled())),
        )
        .map_err(fail)?
        .label("random start")
        .legend(move |(x, y)| Circle::new((x + 10, y), 6, red.filled()));
    chart
        .draw_series(
            filled
                .iter()
                .enumerate()
                .map(|(s, d)| Circle::new((s as f64, *d), 6, purple.stroke_width(2))),
        )
        .map_err(fail)?
        .label("NNDSVDar")
        .legend(move |(x, y)| Circle::new((x + 10, y), 6, purple.stroke_width(2)));
    // In the empty band between the dots and the NNDSVD line.
    chart
        .configure_series_labels()
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::MiddleRight)
        .draw()
        .map_err(fail)
}

/// The figure, `src/figures/init_spread.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "init_spread.png",
    size: (900, 480),
    picture,
};

fn main() {
    FIGURE.main();
}
