//! Topics of word counts, by the two losses: `cargo run --example kl_topics`.
//!
//! Draws the corpus of chapter 9 (`nmf_core::datasets::word_counts`: 60
//! documents × 30 words from 3 topics, Poisson counts), fits it at rank 3
//! with the Frobenius loss and with the KL divergence from the same seeded
//! start, and draws each recovered topic beside the true one: a row of H
//! scaled to sum to 1, paired with the true topic it is closest to.
//!
//! Flags: `--out PATH` (default `src/figures/kl_topics.png`).

mod common;

use common::plot::{fail, BASIS, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Loss, Nmf};
use plotters::prelude::*;

/// The seed of the corpus.
pub const DATA_SEED: u64 = 9;
/// The seed of the start, the same for both losses.
pub const START_SEED: u64 = 1;
/// Iterations of each fit.
pub const ITERATIONS: usize = 1000;

/// The total variation distance ½ Σ |p − q| between two distributions.
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()
}

/// The rows of H scaled to sum to 1 (a zero row stays zero).
pub fn topics(h: &DMatrix<f64>) -> Vec<Vec<f64>> {
    h.row_iter()
        .map(|row| {
            let s = row.sum();
            row.iter()
                .map(|v| if s > 0.0 { v / s } else { 0.0 })
                .collect()
        })
        .collect()
}

/// The recovered topics reordered to pair with the true ones, by the
/// pairing with the smallest total of distances, and each distance.
pub fn matched(found: &[Vec<f64>], truth: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<f64>) {
    const ORDERS: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let cost = |o: &[usize; 3]| -> f64 {
        (0..3)
            .map(|k| total_variation(&found[o[k]], &truth[k]))
            .sum()
    };
    let best = ORDERS
        .iter()
        .min_by(|a, b| cost(a).total_cmp(&cost(b)))
        .unwrap_or(&ORDERS[0]);
    let topics: Vec<Vec<f64>> = best.iter().map(|&j| found[j].clone()).collect();
    let distances = (0..3)
        .map(|k| total_variation(&topics[k], &truth[k]))
        .collect();
    (topics, distances)
}

/// The topics found under one loss: its name, the topics paired with the
/// truth, and their distances.
pub type Found = (&'static str, Vec<Vec<f64>>, Vec<f64>);

/// The true topics, and those found under each loss with their distances.
pub struct Fits {
    /// The true topics.
    pub truth: Vec<Vec<f64>>,
    /// What each loss found.
    pub found: Vec<Found>,
}

/// Draws the corpus and fits it under both losses.
pub fn fits() -> Result<Fits, String> {
    let (y, _, h_true) = nmf_core::datasets::word_counts(DATA_SEED);
    let truth = topics(&h_true);
    let mut found = Vec::new();
    for (name, loss) in [
        ("KL divergence", Loss::KullbackLeibler),
        ("Frobenius", Loss::Frobenius),
    ] {
        let fit = Nmf::new(3)
            .max_iter(ITERATIONS)
            .tol(0.0)
            .seed(START_SEED)
            .loss(loss)
            .fit(&y)
            .map_err(|e| e.to_string())?;
        let (t, d) = matched(&topics(&fit.h), &truth);
        found.push((name, t, d));
    }
    Ok(Fits { truth, found })
}

/// One small bar chart: a distribution over the 30 words.
fn bars(area: &Root, title: &str, p: &[f64], colour: RGBColor) -> Result<(), String> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 16))
        .margin(6)
        .x_label_area_size(22)
        .y_label_area_size(40)
        .build_cartesian_2d(0.5..30.5, 0.0..0.4)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_labels(4)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style((FONT, 12))
        .draw()
        .map_err(fail)?;
    // Word n (from 1) is the bar over n.
    let rects = p.iter().enumerate().map(|(n, v)| {
        let x = (n + 1) as f64;
        Rectangle::new([(x - 0.4, 0.0), (x + 0.4, *v)], colour.filled())
    });
    chart.draw_series(rects).map_err(fail)?;
    Ok(())
}

/// Truth on the top row, then KL, then Frobenius; one column per topic.
fn picture(root: &Root) -> Result<(), String> {
    let fits = fits()?;
    let (title, body) = root.split_vertically(40);
    title
        .titled(
            "topics of word counts: the truth, and what each loss recovers",
            (FONT, 22),
        )
        .map_err(fail)?;
    let panels = body.split_evenly((3, 3));
    let grey = RGBColor(90, 90, 90);
    for (k, (panel, topic)) in panels.iter().zip(&fits.truth).enumerate() {
        bars(panel, &format!("true topic {}", k + 1), topic, grey)?;
    }
    for (row, (name, found, distances)) in fits.found.iter().enumerate() {
        // KL in blue, Frobenius in red.
        let colour = [BASIS[1], BASIS[0]][row];
        for k in 0..3 {
            let label = format!("{name}: distance {:.2}", distances[k]);
            bars(&panels[3 * (row + 1) + k], &label, &found[k], colour)?;
        }
    }
    Ok(())
}

/// The figure, `src/figures/kl_topics.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "kl_topics.png",
    size: (1000, 640),
    picture,
};

fn main() {
    FIGURE.main();
}
