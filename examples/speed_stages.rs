//! How far each step of "Making it fast" is from the compute bound:
//! `cargo run --example speed_stages`.
//!
//! Draws the benchmark's committed measurements
//! (`nmf-core/benches/results/stages.csv`, written by
//! `cargo bench -p nmf-core --bench speed -- --csv DIR`): for each problem
//! size, the milliseconds per iteration of each stage divided by the
//! compute bound of that size, on a log scale. The bound itself is 1.
//!
//! Flags: `--out PATH` (default `src/figures/speed_stages.png`).

mod common;

use common::plot::{draw_legend, fail, BASIS, FONT};
use common::{PngFigure, Root};
use plotters::prelude::*;

/// The benchmark's measurements, as committed.
pub const STAGES_CSV: &str = include_str!("../nmf-core/benches/results/stages.csv");

/// The stages, in the order the benchmark wrote them (the chapter's
/// order): each name at its first appearance in the CSV.
pub fn stages() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for row in rows() {
        if !names.contains(&row.1) {
            names.push(row.1);
        }
    }
    names
}

/// (size, stage, ms per iteration, bound in ms) for every row of the CSV.
pub fn rows() -> Vec<(String, String, f64, f64)> {
    STAGES_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let number = |i: usize| f.get(i)?.parse::<f64>().ok();
            Some((
                f.first()?.to_string(),
                f.get(1)?.to_string(),
                number(2)?,
                number(3)?,
            ))
        })
        .collect()
}

fn picture(root: &Root) -> Result<(), String> {
    let rows = rows();
    let stages = stages();
    let mut sizes: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    sizes.dedup();
    let ratios: Vec<f64> = rows.iter().map(|r| r.2 / r.3).collect();
    let top = ratios.iter().copied().fold(1.0, f64::max) * 2.0;
    let mut chart = ChartBuilder::on(root)
        .caption("milliseconds per iteration ÷ the compute bound", (FONT, 22))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(
            -0.5f64..stages.len() as f64 - 0.5,
            (0.5f64..top).log_scale(),
        )
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_labels(stages.len())
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-9 && (0.0..stages.len() as f64).contains(&i) {
                stages[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_desc("× the bound")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()
        .map_err(fail)?;
    chart
        .draw_series(LineSeries::new(
            [(-0.5, 1.0), (stages.len() as f64 - 0.5, 1.0)],
            BLACK.stroke_width(2),
        ))
        .map_err(fail)?
        .label("the bound, 4mnk flops at the measured rate")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    for (s, size) in sizes.iter().enumerate() {
        let colour = BASIS[s % BASIS.len()];
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| &r.0 == size)
            .filter_map(|r| {
                let x = stages.iter().position(|st| *st == r.1)?;
                Some((x as f64, r.2 / r.3))
            })
            .collect();
        // The multiplicative updates, stage by stage, joined; HALS, another
        // algorithm on the last stage's products, as an open circle.
        let hals = stages.len() as f64 - 1.0;
        let (mu, other): (Vec<_>, Vec<_>) = points.into_iter().partition(|p| p.0 < hals);
        chart
            .draw_series(LineSeries::new(mu.clone(), colour.stroke_width(2)))
            .map_err(fail)?
            .label(size.replace('x', " × ").replace('k', ", k = "))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        chart
            .draw_series(mu.into_iter().map(|p| Circle::new(p, 5, colour.filled())))
            .map_err(fail)?;
        chart
            .draw_series(
                other
                    .into_iter()
                    .map(|p| Circle::new(p, 6, colour.stroke_width(2))),
            )
            .map_err(fail)?;
    }
    draw_legend(&mut chart)
}

/// The figure, `src/figures/speed_stages.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "speed_stages.png",
    size: (900, 520),
    picture,
};

fn main() {
    FIGURE.main();
}
