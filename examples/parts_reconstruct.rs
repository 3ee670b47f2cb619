//! Images as sums of parts: `cargo run --example parts_reconstruct`.
//!
//! Four rows, two swimmer images (rank 17) and two digits (rank 16), from
//! the fits of the figures parts_swimmer and parts_digits (seed 0, 200
//! iterations), with each row of H scaled to largest entry 1. Each row
//! shows an image of Y, its reconstruction WH, and the largest terms
//! w_mk h_k of that reconstruction, each a weight times a part: row m of
//! W says which parts image m uses. Chapter 10 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/parts_reconstruct.png`).

mod common;

use common::heat::{ink, plot_image};
use common::plot::{fail, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{datasets, normalise, Nmf, NmfError, RowScale};
use plotters::prelude::*;

/// The images shown: rows of the swimmer data, then rows of the digits.
pub const SWIMMER_ROWS: [usize; 2] = [27, 201];
pub const DIGIT_ROWS: [usize; 2] = [0, 3];
/// Terms shown per image.
pub const TERMS: usize = 4;

/// Pixels of a tile, and where each row of the figure starts.
const TILE: i32 = 64;
const ROW: i32 = 104;
const TOP: i32 = 40;
/// The step from one term to the next.
const PITCH: i32 = 150;

/// A fit at rank `k`, seed 0, 200 iterations, with the rows of H scaled
/// to largest entry 1.
pub fn fit(y: &DMatrix<f64>, k: usize) -> Result<(DMatrix<f64>, DMatrix<f64>), NmfError> {
    let fit = Nmf::new(k).max_iter(200).tol(0.0).seed(0).fit(y)?;
    normalise(&fit.w, &fit.h, RowScale::Max)
}

/// The parts of row m of W, largest weight first.
pub fn terms(w: &DMatrix<f64>, m: usize) -> Vec<(usize, f64)> {
    let mut terms: Vec<(usize, f64)> = w.row(m).iter().copied().enumerate().collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
    terms
}

fn text(root: &Root, s: &str, at: (i32, i32), px: u32) -> Result<(), String> {
    root.draw(&Text::new(s.to_string(), at, (FONT, px).into_font()))
        .map_err(fail)
}

/// One row of the figure: image m of `y`, its reconstruction and its
/// largest terms. Images have `side` pixels a side and values up to `top`.
fn draw_row(
    root: &Root,
    row: i32,
    (y, w, h): (&DMatrix<f64>, &DMatrix<f64>, &DMatrix<f64>),
    m: usize,
    (side, top): (usize, f64),
    label: &str,
) -> Result<(), String> {
    let cell = TILE / side as i32;
    let y0 = TOP + row * ROW + 22;
    text(root, label, (20, y0 - 20), 14)?;
    plot_image(root, (20, y0), side, cell, |p| y[(m, p)] / top, ink)?;
    text(root, "≈", (96, y0 + 18), 26)?;
    let y_hat = w.row(m) * h;
    plot_image(root, (126, y0), side, cell, |p| y_hat[p] / top, ink)?;
    text(root, "=", (202, y0 + 18), 26)?;
    let terms = terms(w, m);
    for (j, &(k, weight)) in terms.iter().take(TERMS).enumerate() {
        let x = 232 + j as i32 * PITCH;
        if j > 0 {
            text(root, "+", (x - 22, y0 + 20), 22)?;
        }
        text(root, &format!("{weight:.2} ×"), (x, y0 + 24), 15)?;
        // Each part drawn at its own scale, beside its weight.
        plot_image(root, (x + 58, y0), side, cell, |p| h[(k, p)], ink)?;
    }
    let rest = &terms[TERMS.min(terms.len())..];
    let largest = rest.first().map_or(0.0, |t| t.1);
    let x = 232 + TERMS as i32 * PITCH - 22;
    text(root, &format!("+ {} more,", rest.len()), (x, y0 + 14), 15)?;
    text(root, &format!("weights ≤ {largest:.2}"), (x, y0 + 34), 15)
}

fn picture(root: &Root) -> Result<(), String> {
    let e = |e: NmfError| e.to_string();
    text(
        root,
        "image m of Y, its reconstruction (row m of W times H), and its largest terms w_mk × part k",
        (20, 8),
        16,
    )?;
    let swimmer = datasets::swimmer();
    let (w, h) = fit(&swimmer, 17).map_err(e)?;
    for (i, &m) in SWIMMER_ROWS.iter().enumerate() {
        let label = format!("swimmer image {m}, K = 17");
        draw_row(root, i as i32, (&swimmer, &w, &h), m, (32, 1.0), &label)?;
    }
    let (digits, _) = datasets::digits();
    let (w, h) = fit(&digits, 16).map_err(e)?;
    for (i, &m) in DIGIT_ROWS.iter().enumerate() {
        let label = format!(
            "digit image {m}, K = 16 (white 0, black 16; each part scaled to its largest entry)"
        );
        draw_row(root, 2 + i as i32, (&digits, &w, &h), m, (8, 16.0), &label)?;
    }
    Ok(())
}

/// The figure, `src/figures/parts_reconstruct.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "parts_reconstruct.png",
    size: (960, 470),
    picture,
};

fn main() {
    FIGURE.main();
}
