//! The matrix view of a fit: `cargo run --example matrix_view`.
//!
//! Fits a small problem at rank 4 from a seeded random start and draws
//! the matrices themselves, one frame for the start and one per
//! iteration: W and H placed as in a matrix product, H above WH and W to
//! its left, so that entry (m, n) of WH sits in the row of row m of W and
//! the column of column n of H; the data Y beside WH; and the loss so
//! far. Every entry is one cell, white for 0 and black for the largest
//! entry of W, of H, or of Y (for both WH and Y).
//!
//! The data: 15 images of 4 × 4 pixels, one per row of Y (pixel (r, c) in
//! column 4r + c), made from four bars, the rows 0 and 2 and the columns
//! 1 and 3, each image holding a different non-empty set of them
//! (2⁴ − 1 = 15); where two bars cross the pixel is 2.
//!
//! Flags: `--frames N` (iterations, one frame each after the start;
//! default 60), `--seed S` (of the random start, default 0), `--out PATH`
//! (the GIF; the still of the last frame goes beside it as
//! `<name>_last.png`).

mod common;

use std::path::{Path, PathBuf};

use common::args::{run, Flags};
use common::gif::{quantise, GifWriter};
use common::heat::{ink_steps, Canvas};
use common::plot::{draw_losses, fail, log_range, register_font, Curve, FONT};
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Nmf, Observer, State};
use plotters::prelude::*;

/// Pixels of one frame.
const SIZE: (u32, u32) = (1000, 440);
/// The iterations of the book's figure, one frame each after the start.
pub const FRAMES: usize = 60;
/// Pixels per cell.
const CELL: u32 = 16;
/// The rank.
pub const RANK: usize = 4;
/// Top left of WH; W, H and Y are placed from it.
const WH_AT: (u32, u32) = (110, 150);
/// Hundredths of a second per frame; the first and the last stay longer.
const DELAY: u16 = 15;
const FIRST_DELAY: u16 = 150;
const LAST_DELAY: u16 = 300;
/// Grey levels, white excluded: the GIF's grey ramp.
const GREYS: u32 = 39;

/// The 15 × 16 data: every non-empty set of the four bars.
pub fn bars() -> DMatrix<f64> {
    let part = |k: usize, p: usize| -> f64 {
        let (r, c) = (p / 4, p % 4);
        let on = match k {
            0 => r == 0,
            1 => r == 2,
            2 => c == 1,
            _ => c == 3,
        };
        if on {
            1.0
        } else {
            0.0
        }
    };
    DMatrix::from_fn(15, 16, |m, p| {
        let set = m + 1; // bit k says whether bar k is in image m
        (0..RANK)
            .filter(|k| set >> k & 1 == 1)
            .map(|k| part(k, p))
            .sum()
    })
}

/// What to draw, and where.
pub struct Options {
    /// Iterations to run, one frame each after the start.
    pub frames: usize,
    /// The seed of the random start.
    pub seed: u64,
    /// Path of the GIF.
    pub out: PathBuf,
}

impl Options {
    /// The still of the last frame, beside the GIF.
    pub fn still(&self) -> PathBuf {
        common::gif::still_path(&self.out, "matrix_view")
    }
}

/// The iterate and loss of each frame.
struct Recorder {
    frames: Vec<(usize, DMatrix<f64>, DMatrix<f64>)>,
    losses: Vec<f64>,
}

impl Observer for Recorder {
    fn observe(&mut self, state: &State<'_>) {
        self.losses.push(state.loss);
        self.frames
            .push((state.iter, state.w.clone(), state.h.clone()));
    }
}

/// Draws one frame into `rgb`.
fn draw_frame(
    rgb: &mut [u8],
    y: &DMatrix<f64>,
    (iter, w, h): &(usize, DMatrix<f64>, DMatrix<f64>),
    losses: &[f64],
    (t_max, loss_range): (usize, (f64, f64)),
) -> Result<(), String> {
    let wh = w * h;
    let (m, n) = y.shape();
    let (wh_w, wh_h) = (n as u32 * CELL, m as u32 * CELL);
    let w_at = (WH_AT.0 - RANK as u32 * CELL - 12, WH_AT.1);
    let h_at = (WH_AT.0, WH_AT.1 - RANK as u32 * CELL - 12);
    let y_at = (WH_AT.0 + wh_w + 60, WH_AT.1);
    {
        let root = BitMapBackend::with_buffer(rgb, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let text = |s: &str, at: (u32, u32), px: u32| {
            let at = (at.0 as i32, at.1 as i32);
            root.draw(&Text::new(s.to_string(), at, (FONT, px).into_font()))
                .map_err(fail)
        };
        text(
            &format!("iteration {iter}: Y ≈ WH, one cell per entry"),
            (20, 10),
            24,
        )?;
        text(
            "white 0; black the largest entry of W, of H, and of Y for WH and Y",
            (20, 40),
            15,
        )?;
        text("H (4 × 16)", (h_at.0 + wh_w + 10, h_at.1 + 18), 17)?;
        text("W (15 × 4)", (w_at.0 - 14, w_at.1 + wh_h + 8), 17)?;
        text("WH (15 × 16)", (WH_AT.0 + 60, WH_AT.1 + wh_h + 8), 17)?;
        text("≈", (y_at.0 - 40, y_at.1 + wh_h / 2 - 14), 30)?;
        text("Y (15 × 16)", (y_at.0 + 70, y_at.1 + wh_h + 8), 17)?;
        let (_, right) = root.split_horizontally(y_at.0 + wh_w + 30);
        let curve = Curve {
            label: "rank 4",
            losses,
            colour: RGBColor(31, 119, 180),
        };
        draw_losses(&right, "loss ‖Y − WH‖²", &[curve], t_max, loss_range)?;
        root.present().map_err(fail)?;
    }
    let mut canvas = Canvas { rgb, width: SIZE.0 };
    let ink = |v: f64| ink_steps(v, GREYS);
    let top = |a: &DMatrix<f64>| a.max().max(f64::MIN_POSITIVE);
    let (w_top, h_top, y_top) = (top(w), top(h), top(y));
    canvas.grid(w_at, (m, RANK), CELL, |r, c| w[(r, c)] / w_top, ink);
    canvas.grid(h_at, (RANK, n), CELL, |r, c| h[(r, c)] / h_top, ink);
    canvas.grid(WH_AT, (m, n), CELL, |r, c| wh[(r, c)] / y_top, ink);
    canvas.grid(y_at, (m, n), CELL, |r, c| y[(r, c)] / y_top, ink);
    Ok(())
}

/// Runs the fit, writes the GIF and the still, and returns their paths.
pub fn animate(options: &Options) -> Result<Vec<PathBuf>, String> {
    if options.frames == 0 {
        return Err("--frames must be at least 1".into());
    }
    register_font()?;
    let y = bars();
    let mut recorder = Recorder {
        frames: Vec::new(),
        losses: Vec::new(),
    };
    Nmf::new(RANK)
        .max_iter(options.frames)
        .tol(0.0)
        .seed(options.seed)
        .fit_with(&y, &mut recorder)
        .map_err(|e| e.to_string())?;
    let axes = (options.frames, log_range([recorder.losses.as_slice()]));
    let mut gif = GifWriter::create(&options.out, SIZE.0, SIZE.1)?;
    let mut pixels = vec![0; (SIZE.0 * SIZE.1 * 3) as usize];
    for frame in &recorder.frames {
        let t = frame.0;
        common::progress::step("frame", t, options.frames);
        draw_frame(&mut pixels, &y, frame, &recorder.losses[..=t], axes)?;
        let delay = match t {
            0 => FIRST_DELAY,
            t if t == options.frames => LAST_DELAY,
            _ => DELAY,
        };
        gif.add_changes(&pixels, delay)?;
    }
    drop(gif); // finishes the file

    let still = options.still();
    common::write_png(&still, &quantise(&pixels), SIZE)?;
    Ok(vec![options.out.clone(), still])
}

/// The book's figures, with the default options, into `dir`.
pub fn draw(dir: &Path) -> Result<Vec<PathBuf>, String> {
    animate(&Options {
        frames: FRAMES,
        seed: 0,
        out: dir.join("matrix_view.gif"),
    })
}

fn main() {
    run(|| {
        let flags = Flags::parse(
            std::env::args().skip(1),
            &[
                ("frames", "iterations to run, one frame each (default 60)"),
                ("seed", "seed of the random start (default 0)"),
                (
                    "out",
                    "path of the GIF (default src/figures/matrix_view.gif)",
                ),
            ],
        )?;
        let options = Options {
            frames: flags.get_count("frames", FRAMES, common::args::MAX_FRAMES)?,
            seed: flags.get("seed", 0)?,
            out: flags.get("out", common::figures_dir().join("matrix_view.gif"))?,
        };
        common::gif::timed(options.frames + 1, SIZE, || animate(&options))
    });
}
