//! The loss against iterations from four starts on the same data:
//! `cargo run --example init_curves`.
//!
//! Chapter 8's data, a 50 × 40 noisy product of rank 12, fitted at rank 6
//! for 200 iterations of the multiplicative updates from a random start
//! (seed 0), NNDSVD, NNDSVDa and NNDSVDar (seed 0), with the smallest loss
//! any rank-6 matrix reaches (Eckart–Young) as a grey line. Chapter 8
//! shows it.
//!
//! Flags: `--out PATH` (default `src/figures/init_curves.png`).

mod common;

use common::plot::{draw_legend, fail, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Init, Nmf};
use plotters::prelude::*;

/// The rank of the fits.
pub const RANK: usize = 6;
/// How many iterations each fit runs.
pub const ITERATIONS: usize = 200;

/// The data of chapter 8.
pub fn data() -> DMatrix<f64> {
    nmf_core::datasets::noisy_product(50, 40, 12, 0.2, 0.02, 2)
}

/// The four starts, with their legends and colours.
pub fn starts() -> [(&'static str, Init, RGBColor); 4] {
    [
        ("random (seed 0)", Init::Random, RGBColor(214, 39, 40)),
        ("NNDSVD", Init::Nndsvd, RGBColor(31, 119, 180)),
        ("NNDSVDa", Init::NndsvdA, RGBColor(44, 160, 44)),
        ("NNDSVDar (seed 0)", Init::NndsvdAr, RGBColor(148, 103, 189)),
    ]
}

/// The losses of a fit from `init`, seed 0.
pub fn losses(y: &DMatrix<f64>, init: Init) -> Result<Vec<f64>, String> {
    Nmf::new(RANK)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(0)
        .init(init)
        .fit(y)
        .map(|f| f.losses)
        .map_err(|e| e.to_string())
}

/// The smallest loss of any matrix of rank at most `RANK`: the sum of the
/// squares of the singular values it leaves out.
pub fn eckart_young(y: &DMatrix<f64>) -> f64 {
    let sigma = y.clone().svd(false, false).singular_values;
    sigma.iter().skip(RANK).map(|s| s * s).sum()
}

fn picture(root: &Root) -> Result<(), String> {
    let y = data();
    let bound = eckart_young(&y);
    let mut chart = ChartBuilder::on(root)
        .caption(
            "loss ‖Y − WH‖² from four starts, rank 6, log scale",
            (FONT, 22),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0..ITERATIONS, (10.0..120.0).log_scale())
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_desc("iteration t")
        .y_desc("loss D")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()
        .map_err(fail)?;
    for (label, init, colour) in starts() {
        let d = losses(&y, init)?;
        chart
            .draw_series(LineSeries::new(
                d.iter().copied().enumerate(),
                colour.stroke_width(2),
            ))
            .map_err(fail)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    let grey = RGBColor(120, 120, 120);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0, bound), (ITERATIONS, bound)],
            grey.stroke_width(1),
        )))
        .map_err(fail)?
        .label("best of rank 6, any signs")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey.stroke_width(1)));
    draw_legend(&mut chart)
}

/// The figure, `src/figures/init_curves.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "init_curves.png",
    size: (900, 480),
    picture,
};

fn main() {
    FIGURE.main();
}
