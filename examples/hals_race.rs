//! The loss against seconds, multiplicative updates against HALS:
//! `cargo run --example hals_race`.
//!
//! Draws the benchmark's committed measurements
//! (`nmf-core/benches/results/race.csv`): 100 iterations of the
//! multiplicative updates, of HALS, and of HALS with up to 10 inner
//! iterations, from the same start on the 2000 × 1000, k = 20 problem, the
//! loss after each iteration against the seconds spent so far.
//!
//! Flags: `--out PATH` (default `src/figures/hals_race.png`).

mod common;

use common::plot::{draw_axes, draw_legend, fail, BASIS, FONT};
use common::{PngFigure, Root};
use plotters::prelude::*;

/// The benchmark's measurements, as committed.
pub const RACE_CSV: &str = include_str!("../nmf-core/benches/results/race.csv");

/// (algorithm, iteration, seconds, loss) for every row of the CSV.
pub fn rows() -> Vec<(String, usize, f64, f64)> {
    RACE_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Some((
                f.first()?.to_string(),
                f.get(1)?.parse().ok()?,
                f.get(2)?.parse().ok()?,
                f.get(3)?.parse().ok()?,
            ))
        })
        .collect()
}

fn picture(root: &Root) -> Result<(), String> {
    // From iteration 1: the start is far above, and would squash the rest.
    let rows: Vec<_> = rows().into_iter().filter(|r| r.1 >= 1).collect();
    let (lo, hi) = rows.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
        (lo.min(r.3), hi.max(r.3))
    });
    let t_max = rows.iter().map(|r| r.2).fold(0.0, f64::max);
    let pad = 0.05 * (hi - lo);
    let mut chart = ChartBuilder::on(root)
        .caption("loss against wall time, from the same start", (FONT, 22))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..t_max * 1.05, (lo - pad)..(hi + pad))
        .map_err(fail)?;
    draw_axes(&mut chart, "seconds", "loss D")?;
    let runs = [
        ("Mu", "multiplicative updates"),
        ("Hals", "HALS"),
        ("Hals10", "HALS, up to 10 inner iterations"),
    ];
    for (i, (name, label)) in runs.into_iter().enumerate() {
        let colour = BASIS[i];
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| r.0 == name)
            .map(|r| (r.2, r.3))
            .collect();
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))
            .map_err(fail)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    draw_legend(&mut chart)
}

/// The figure, `src/figures/hals_race.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "hals_race.png",
    size: (900, 480),
    picture,
};

fn main() {
    FIGURE.main();
}
