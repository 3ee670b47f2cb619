//! Matrices and small images drawn pixel by pixel straight into an RGB
//! buffer: much faster than one plotters rectangle per cell, which
//! matters when an animation draws thousands of cells per frame. Text and
//! axes are left to plotters, drawn into the same buffer before or after.

use plotters::prelude::RGBColor;

/// An RGB buffer of `width` pixels per row.
pub struct Canvas<'a> {
    /// Three bytes per pixel, row by row.
    pub rgb: &'a mut [u8],
    /// Pixels per row.
    pub width: u32,
}

impl Canvas<'_> {
    /// Paints one pixel; pixels outside the buffer are ignored.
    pub fn set(&mut self, x: u32, y: u32, c: RGBColor) {
        let i = 3 * (y as usize * self.width as usize + x as usize);
        if x < self.width && i + 2 < self.rgb.len() {
            self.rgb[i..i + 3].copy_from_slice(&[c.0, c.1, c.2]);
        }
    }

    /// Fills a rectangle of `size` pixels with its top left at `at`.
    pub fn fill(&mut self, at: (u32, u32), size: (u32, u32), c: RGBColor) {
        for y in at.1..at.1 + size.1 {
            for x in at.0..at.0 + size.0 {
                self.set(x, y, c);
            }
        }
    }

    /// A grid of `rows × cols` cells of `cell` pixels each, with its top
    /// left at `at`: cell (r, c) in the colour of `value(r, c)` under
    /// `colour`, and a one-pixel grey frame around the whole.
    pub fn grid(
        &mut self,
        at: (u32, u32),
        (rows, cols): (usize, usize),
        cell: u32,
        value: impl Fn(usize, usize) -> f64,
        colour: impl Fn(f64) -> RGBColor,
    ) {
        for r in 0..rows {
            for c in 0..cols {
                let x = at.0 + c as u32 * cell;
                let y = at.1 + r as u32 * cell;
                self.fill((x, y), (cell, cell), colour(value(r, c)));
            }
        }
        self.frame(at, (cols as u32 * cell, rows as u32 * cell), FRAME);
    }

    /// A one-pixel outline just outside the rectangle at `at` of `size`.
    pub fn frame(&mut self, at: (u32, u32), size: (u32, u32), c: RGBColor) {
        let (x0, y0) = (at.0.saturating_sub(1), at.1.saturating_sub(1));
        let (x1, y1) = (at.0 + size.0, at.1 + size.1);
        for x in x0..=x1 {
            self.set(x, y0, c);
            self.set(x, y1, c);
        }
        for y in y0..=y1 {
            self.set(x0, y, c);
            self.set(x1, y, c);
        }
    }

    /// One image of `side × side` pixels, stored row by row in `pixels`,
    /// each drawn as a square of `cell` pixels.
    pub fn image(
        &mut self,
        at: (u32, u32),
        side: usize,
        cell: u32,
        pixels: impl Fn(usize) -> f64,
        colour: impl Fn(f64) -> RGBColor,
    ) {
        self.grid(at, (side, side), cell, |r, c| pixels(r * side + c), colour);
    }
}

/// The colour of the frames around grids.
pub const FRAME: RGBColor = RGBColor(150, 150, 150);

/// Ink on paper for a value in [0, 1]: 0 is white, 1 is near black, in
/// even grey steps; values outside are clamped.
pub fn ink(v: f64) -> RGBColor {
    let level = (255.0 * (1.0 - v.clamp(0.0, 1.0))).round() as u8;
    RGBColor(level, level, level)
}

/// [`ink`] in `steps + 1` even grey levels, from white to near black:
/// fewer colours, so that an animation compresses better.
pub fn ink_steps(v: f64, steps: u32) -> RGBColor {
    let s = f64::from(steps.max(1));
    ink((v.clamp(0.0, 1.0) * s).round() / s)
}

/// A diverging scale for a value in [−1, 1]: white at 0, red for
/// positive, blue for negative, deeper with size; values outside are
/// clamped.
pub fn signed(v: f64) -> RGBColor {
    let t = v.clamp(-1.0, 1.0);
    let fade = |full: f64| (255.0 + (full - 255.0) * t.abs()).round() as u8;
    if t >= 0.0 {
        RGBColor(fade(200.0), fade(30.0), fade(30.0))
    } else {
        RGBColor(fade(30.0), fade(80.0), fade(200.0))
    }
}

/// The same grid as [`Canvas::grid`], drawn through plotters on any
/// drawing area: one filled rectangle per cell, with a grey frame. For
/// still figures, where speed matters less than drawing on the area that
/// `PngFigure` hands out.
pub fn plot_grid<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    at: (i32, i32),
    (rows, cols): (usize, usize),
    cell: i32,
    value: impl Fn(usize, usize) -> f64,
    colour: impl Fn(f64) -> RGBColor,
) -> Result<(), String> {
    use plotters::prelude::{Rectangle, ShapeStyle};
    let fail = super::plot::fail;
    for r in 0..rows {
        for c in 0..cols {
            let x = at.0 + c as i32 * cell;
            let y = at.1 + r as i32 * cell;
            let style = ShapeStyle::from(colour(value(r, c))).filled();
            area.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], style))
                .map_err(fail)?;
        }
    }
    let (w, h) = (cols as i32 * cell, rows as i32 * cell);
    let outline = ShapeStyle::from(FRAME).stroke_width(1);
    area.draw(&Rectangle::new(
        [(at.0 - 1, at.1 - 1), (at.0 + w, at.1 + h)],
        outline,
    ))
    .map_err(fail)
}

/// An image of `side × side` pixels, stored row by row, through plotters.
pub fn plot_image<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    at: (i32, i32),
    side: usize,
    cell: i32,
    pixels: impl Fn(usize) -> f64,
    colour: impl Fn(f64) -> RGBColor,
) -> Result<(), String> {
    plot_grid(
        area,
        at,
        (side, side),
        cell,
        |r, c| pixels(r * side + c),
        colour,
    )
}
