//! The parts of the swimmer: `cargo run --example parts_swimmer`.
//!
//! Four rows of images. The 17 true parts of `datasets::swimmer_parts`;
//! the parts NMF learns at rank 17 and at rank 16 (seed 0, 200
//! iterations), each placed under the true part it matches best
//! (`nmf_core::match_parts`), with the cosine similarity of the two below
//! it; and the first 13 right singular vectors of Y, the rank of Y, signed.
//! Chapter 10 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/parts_swimmer.png`).

mod common;

use common::heat::{ink, plot_image, signed};
use common::plot::{fail, FONT};
use common::{PngFigure, Root};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{datasets, match_parts, normalise, truncated_svd, Nmf, NmfError, RowScale};
use plotters::prelude::*;

/// The seed and the iterations of the fits.
pub const SEED: u64 = 0;
pub const ITERATIONS: usize = 200;
/// The rank of the swimmer data, and so the singular vectors shown.
pub const SVD_SHOWN: usize = 13;

/// Pixels per image pixel, and the steps from one tile to the next.
const CELL: i32 = 2;
const PITCH: (i32, i32) = (72, 86);
/// Top left of the four panels.
const PANELS: [(i32, i32); 4] = [(20, 10), (412, 10), (20, 400), (412, 400)];

/// The parts learned at rank `k`, rescaled to largest entry 1.
pub fn learned(k: usize) -> Result<DMatrix<f64>, NmfError> {
    let y = datasets::swimmer();
    let fit = Nmf::new(k)
        .max_iter(ITERATIONS)
        .tol(0.0)
        .seed(SEED)
        .fit(&y)?;
    Ok(normalise(&fit.w, &fit.h, RowScale::Max)?.1)
}

/// One tile: the row of H to draw (if any), its slot in the 4 × 5 grid
/// of a panel, and its caption.
type Tile<'a> = (Option<(&'a DMatrix<f64>, usize)>, (i32, i32), String);

/// The slot of true part k: row = limb, column = position; the torso
/// ends the first row.
fn slot(k: usize) -> (i32, i32) {
    if k == 16 {
        (0, 4)
    } else {
        ((k / 4) as i32, (k % 4) as i32)
    }
}

/// Draws one panel: two lines of title, then its tiles.
fn draw_panel(
    root: &Root,
    at: (i32, i32),
    title: [&str; 2],
    tiles: &[Tile],
    colour: fn(f64) -> RGBColor,
) -> Result<(), String> {
    for (i, line) in title.iter().enumerate() {
        let style = (FONT, 15).into_font();
        root.draw(&Text::new(
            line.to_string(),
            (at.0, at.1 + 18 * i as i32),
            style,
        ))
        .map_err(fail)?;
    }
    for (part, (row, col), caption) in tiles {
        let x = at.0 + col * PITCH.0;
        let y = at.1 + 42 + row * PITCH.1;
        if let Some((h, k)) = part {
            plot_image(root, (x, y), 32, CELL, |p| h[(*k, p)], colour)?;
        }
        let label = (FONT, 13).into_font();
        root.draw(&Text::new(caption.clone(), (x + 12, y + 67), label))
            .map_err(fail)?;
    }
    Ok(())
}

/// The tiles of learned parts, each in the slot of the true part it
/// matches, with their cosine similarity.
fn matched<'a>(h: &'a DMatrix<f64>, truth: &DMatrix<f64>) -> Result<Vec<Tile<'a>>, String> {
    let pairs = match_parts(h, truth).map_err(|e| e.to_string())?;
    Ok((0..truth.nrows())
        .map(|t| match pairs.iter().find(|p| p.truth == t) {
            Some(p) => (Some((h, p.learned)), slot(t), format!("{:.2}", p.cosine)),
            None => (None, slot(t), "none".to_string()),
        })
        .collect())
}

fn picture(root: &Root) -> Result<(), String> {
    let (_, truth) = datasets::swimmer_parts();
    let y = datasets::swimmer();
    let e = |e: NmfError| e.to_string();
    let (h17, h16) = (learned(17).map_err(e)?, learned(16).map_err(e)?);
    let (_, _, v_t) = truncated_svd(&y, SVD_SHOWN).map_err(e)?;
    let v_t = normalise(&DMatrix::zeros(1, SVD_SHOWN), &v_t, RowScale::Max)
        .map_err(e)?
        .1;

    let names = ["left arm", "right arm", "left leg", "right leg"];
    let true_tiles: Vec<Tile> = (0..17)
        .map(|k| {
            let caption = if k == 16 {
                "torso".to_string()
            } else {
                format!(
                    "{} {}",
                    names[k / 4].split(' ').nth(1).unwrap_or(""),
                    k % 4 + 1
                )
            };
            (Some((&truth, k)), slot(k), caption)
        })
        .collect();
    draw_panel(
        root,
        PANELS[0],
        [
            "the 17 true parts: a row per limb (arms, then",
            "legs), a column per position; the torso",
        ],
        &true_tiles,
        ink,
    )?;
    draw_panel(
        root,
        PANELS[1],
        [
            "NMF, K = 17 (seed 0, 200 iterations), each part",
            "where its match is; cosine similarity below",
        ],
        &matched(&h17, &truth)?,
        ink,
    )?;
    draw_panel(
        root,
        PANELS[2],
        [
            "NMF, K = 16 (seed 0, 200 iterations):",
            "sixteen parts for seventeen true ones",
        ],
        &matched(&h16, &truth)?,
        ink,
    )?;
    let svd_tiles: Vec<Tile> = (0..SVD_SHOWN)
        .map(|k| {
            let place = ((k / 5) as i32, (k % 5) as i32);
            (Some((&v_t, k)), place, format!("v{}", k + 1))
        })
        .collect();
    draw_panel(
        root,
        PANELS[3],
        [
            "the 13 right singular vectors of Y with σ > 0:",
            "red positive, blue negative",
        ],
        &svd_tiles,
        signed,
    )
}

/// The figure, `src/figures/parts_swimmer.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "parts_swimmer.png",
    size: (790, 800),
    picture,
};

fn main() {
    FIGURE.main();
}
