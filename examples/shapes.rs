//! The shapes of Y ≈ WH: `cargo run --example shapes`.
//!
//! Draws Y (M × N), W (M × K) and H (K × N) as boxes to scale, with one
//! row of Y, the matching row of W and the rows of H picked out: row m of
//! Y is approximated by the weights in row m of W applied to the rows of H.
//! Chapter 1 shows it.
//!
//! Flags: `--out PATH` (default `src/figures/shapes.png`).

mod common;

use common::plot::{fail, BASIS, FONT};
use common::{PngFigure, Root};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Pixels per row or column of the drawn matrices.
const CELL: i32 = 30;
/// The drawn sizes: M = 8 points, N = 6 coordinates, rank K = 2.
pub const M: i32 = 8;
pub const N: i32 = 6;
pub const K: i32 = 2;

/// Draws a matrix of `rows × cols` cells with its top-left corner at `at`,
/// its name above and its shape below; rows listed in `marked` are filled.
fn matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    (rows, cols): (i32, i32),
    name: &str,
    shape: &str,
    marked: &[(i32, RGBColor)],
) -> Result<(), String> {
    let (x, y) = at;
    for &(row, colour) in marked {
        let top = y + row * CELL;
        let band = Rectangle::new(
            [(x, top), (x + cols * CELL, top + CELL)],
            colour.mix(0.35).filled(),
        );
        area.draw(&band).map_err(fail)?;
    }
    let thin = RGBColor(200, 200, 200);
    for r in 1..rows {
        area.draw(&PathElement::new(
            vec![(x, y + r * CELL), (x + cols * CELL, y + r * CELL)],
            thin,
        ))
        .map_err(fail)?;
    }
    for c in 1..cols {
        area.draw(&PathElement::new(
            vec![(x + c * CELL, y), (x + c * CELL, y + rows * CELL)],
            thin,
        ))
        .map_err(fail)?;
    }
    let outline = Rectangle::new(
        [(x, y), (x + cols * CELL, y + rows * CELL)],
        BLACK.stroke_width(2),
    );
    area.draw(&outline).map_err(fail)?;
    let centre = x + cols * CELL / 2;
    let above = Pos::new(HPos::Center, VPos::Bottom);
    let below = Pos::new(HPos::Center, VPos::Top);
    let name_style = (FONT, 28).into_font().color(&BLACK).pos(above);
    area.draw(&Text::new(name.to_string(), (centre, y - 8), name_style))
        .map_err(fail)?;
    let shape_style = (FONT, 18).into_font().color(&BLACK).pos(below);
    area.draw(&Text::new(
        shape.to_string(),
        (centre, y + rows * CELL + 8),
        shape_style,
    ))
    .map_err(fail)
}

/// Draws the figure.
fn picture(root: &Root) -> Result<(), String> {
    let top = 60;
    let row_m = 2; // the row picked out
    let marked_row = [(row_m, BASIS[2])];
    matrix(root, (40, top), (M, N), "Y", "M × N", &marked_row)?;
    matrix(root, (330, top), (M, K), "W", "M × K", &marked_row)?;
    matrix(
        root,
        (470, top + CELL * 2),
        (K, N),
        "H",
        "K × N",
        &[(0, BASIS[0]), (1, BASIS[1])],
    )?;
    let sign = (FONT, 40)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new("≈", (265, top + M * CELL / 2), sign))
        .map_err(fail)?;
    let note = (FONT, 17).into_font().color(&BLACK);
    let lines = [
        "row m of Y  ≈  wₘ₁ × (row 1 of H)  +  wₘ₂ × (row 2 of H)",
        "each row of H is a basis vector; row m of W holds its weights",
    ];
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.to_string(),
            (40, 350 + 26 * i as i32),
            note.clone(),
        ))
        .map_err(fail)?;
    }
    Ok(())
}

/// The figure, `src/figures/shapes.png`.
pub const FIGURE: PngFigure = PngFigure {
    file: "shapes.png",
    size: (760, 410),
    picture,
};

fn main() {
    FIGURE.main();
}
