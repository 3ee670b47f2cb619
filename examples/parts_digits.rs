//! The parts of handwritten digits: `cargo run --example parts_digits`.
//!
//! On top, the first image of each digit 0 to 9 in `datasets::digits`.
//! Below, on the left, the 16 parts NMF learns from all 1797 images at
//! rank 16 (seed 0, 200 iterations), each scaled to its largest entry and
//! ordered by how much of Y it carries; on the right, the first 16 right
//! singular vectors of Y, signed. Chapter 10 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/parts_digits.png`).

mod common;

use common::heat::{ink, plot_image, signed};
use common::plot::{fail, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{datasets, normalise, truncated_svd, Nmf, NmfError, RowScale};
use plotters::prelude::*;

/// The rank, the seed and the iterations of the fit.
pub const RANK: usize = 16;
pub const SEED: u64 = 0;
pub const ITERATIONS: usize = 200;

/// Pixels per image pixel, and the step from one tile to the next.
const CELL: i32 = 9;
const PITCH: i32 = 84;

/// The fit, rescaled so that each row of H has largest entry 1, with its
/// parts in the order of how much of Y they carry: Σ_m w_mk Σ_n h_kn.
pub fn parts() -> Result<(DMatrix<f64>, DMatrix<f64>), NmfError> {
    let (y, _) = datasets::digits();
    let fit = Nmf::new(RANK)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(SEED)
        .fit(&y)?;
    let (w, h) = normalise(&fit.w, &fit.h, RowScale::Max)?;
    let carried = |k: usize| w.column(k).sum() * h.row(k).sum();
    let mut order: Vec<usize> = (0..RANK).collect();
    order.sort_by(|&a, &b| carried(b).total_cmp(&carried(a)));
    let w = DMatrix::from_fn(w.nrows(), RANK, |m, j| w[(m, order[j])]);
    let h = DMatrix::from_fn(RANK, h.ncols(), |j, n| h[(order[j], n)]);
    Ok((w, h))
}

fn text(root: &Root, s: &str, at: (i32, i32), px: u32) -> Result<(), String> {
    root.draw(&Text::new(s.to_string(), at, (FONT, px).into_font()))
        .map_err(fail)
}

/// A 4 × 4 grid of the rows of `h`, from its top left `at`.
fn grid(
    root: &Root,
    at: (i32, i32),
    h: &DMatrix<f64>,
    colour: fn(f64) -> RGBColor,
) -> Result<(), String> {
    for k in 0..h.nrows() {
        let (r, c) = ((k / 4) as i32, (k % 4) as i32);
        plot_image(
            root,
            (at.0 + c * PITCH, at.1 + r * PITCH),
            8,
            CELL,
            |p| h[(k, p)],
            colour,
        )?;
    }
    Ok(())
}

fn picture(root: &Root) -> Result<(), String> {
    let (y, labels) = datasets::digits();
    let e = |e: NmfError| e.to_string();
    text(
        root,
        "the first image of each digit (white 0, black 16)",
        (20, 8),
        16,
    )?;
    for d in 0..10u8 {
        let m = labels
            .iter()
            .position(|&l| l == d)
            .ok_or("a digit is missing")?;
        let at = (20 + i32::from(d) * PITCH, 34);
        plot_image(root, at, 8, CELL, |p| y[(m, p)] / 16.0, ink)?;
    }
    let (_, h) = parts().map_err(e)?;
    let (_, _, v_t) = truncated_svd(&y, RANK).map_err(e)?;
    let v_t = normalise(&DMatrix::zeros(1, RANK), &v_t, RowScale::Max)
        .map_err(e)?
        .1;
    text(
        root,
        "NMF, K = 16 (seed 0, 200 iterations): the rows",
        (20, 134),
        16,
    )?;
    text(
        root,
        "of H, most used first, each scaled to its largest",
        (20, 154),
        16,
    )?;
    grid(root, (20, 184), &h, ink)?;
    text(
        root,
        "the first 16 right singular vectors v₁ … v₁₆, row",
        (440, 134),
        16,
    )?;
    text(root, "by row: red positive, blue negative", (440, 154), 16)?;
    grid(root, (440, 184), &v_t, signed)
}

/// The figure, `src/figures/parts_digits.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "parts_digits.png",
    size: (860, 530),
    picture,
};

fn main() {
    FIGURE.main();
}
