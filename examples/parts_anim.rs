//! Watching NMF learn parts: `cargo run --example parts_anim`.
//!
//! Fits the swimmer images of chapter 10 (`nmf_core::datasets::swimmer`)
//! at rank 17 from a seeded random start, and draws frames of the fit as
//! it goes: the rows of H as images, the parts as they form; five images
//! of Y and their reconstructions WH; and the loss so far. Writes a
//! looping GIF, a still of the last frame, and the same frames as one
//! SVG with a group per frame (the book's scrubber) into `src/figures/`.
//!
//! Frames show the start and iterations 1 to 20, then every 5th
//! iteration to 100, then every 25th, and always the last.
//!
//! Flags: `--data swimmer|digits` (default swimmer; digits are the 8 × 8
//! handwritten digits), `--rank K` (default 17 for swimmer, 16 for
//! digits), `--iterations N` (default 200), `--seed S` (of the random
//! start, default 0), `--out PATH` (the GIF; the still goes beside it as
//! `<name>_last.png`, the SVG as `<name>.svg`).

mod common;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use common::args::{run, Flags};
use common::gif::{quantise, GifWriter};
use common::heat::{ink_steps, Canvas, FRAME};
use common::plot::{draw_losses, fail, log_range, register_font, Curve, FONT};
use common::svg::SvgFrames;
use nmf_core::nalgebra::DMatrix;
use nmf_core::{datasets, match_parts, normalise, Nmf, Observer, RowScale, State};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Width of a frame in pixels; its height depends on the rank.
const WIDTH: u32 = 1000;
/// Each tile (a part or an image) is drawn this many pixels wide.
const TILE: u32 = 96;
/// Space between tiles.
const GAP: u32 = 10;
/// Tiles per row of parts.
const PER_ROW: usize = 9;
/// Left margin of the tiles.
const LEFT: u32 = 28;
/// Where the first row of parts starts.
const PARTS_TOP: u32 = 64;
/// Height of the lower band: images, reconstructions and the loss.
const LOWER: u32 = 250;
/// Images of Y shown with their reconstructions.
const SHOWN: usize = 5;
/// Grey levels of the tiles, white excluded: few, so that the GIF stays small.
const GREYS: u32 = 39;
/// Hundredths of a second per frame; the first and the last stay longer.
const DELAY: u16 = 12;
const FIRST_DELAY: u16 = 100;
const LAST_DELAY: u16 = 300;

/// Which data to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// `datasets::swimmer()`: 256 images of 32 × 32.
    Swimmer,
    /// `datasets::digits()`: 1797 images of 8 × 8.
    Digits,
}

impl FromStr for Data {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "swimmer" => Ok(Data::Swimmer),
            "digits" => Ok(Data::Digits),
            _ => Err(format!("unknown data `{s}`: swimmer or digits")),
        }
    }
}

impl Data {
    /// The data matrix, the side of its images, the rows shown, and the
    /// true parts when they are known.
    fn load(self) -> (DMatrix<f64>, usize, [usize; SHOWN], Option<DMatrix<f64>>) {
        match self {
            Data::Swimmer => {
                let (_, parts) = datasets::swimmer_parts();
                (datasets::swimmer(), 32, [0, 27, 114, 201, 255], Some(parts))
            }
            Data::Digits => (datasets::digits().0, 8, [0, 1, 2, 3, 4], None),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Data::Swimmer => "swimmer",
            Data::Digits => "digits",
        }
    }

    /// The default rank: the 17 true parts of the swimmer, 16 for digits.
    pub fn default_rank(self) -> usize {
        match self {
            Data::Swimmer => 17,
            Data::Digits => 16,
        }
    }
}

/// What to draw, and where.
pub struct Options {
    /// The data.
    pub data: Data,
    /// The rank K.
    pub rank: usize,
    /// Iterations to run.
    pub iterations: usize,
    /// The seed of the random start.
    pub seed: u64,
    /// Path of the GIF.
    pub out: PathBuf,
}

impl Options {
    /// The still of the last frame, beside the GIF.
    pub fn still(&self) -> PathBuf {
        common::gif::still_path(&self.out, "parts_anim")
    }

    /// The frames as one SVG, beside the GIF.
    pub fn svg(&self) -> PathBuf {
        self.out.with_extension("svg")
    }
}

/// Whether iteration `t` of `last` gets a frame.
pub fn shown(t: usize, last: usize) -> bool {
    t <= 20 || (t <= 100 && t.is_multiple_of(5)) || t.is_multiple_of(25) || t == last
}

/// One frame's iterate: (W, H) rescaled so that each row of H has
/// largest entry 1.
struct Snapshot {
    iter: usize,
    w: DMatrix<f64>,
    h: DMatrix<f64>,
}

// ANCHOR: recorder
/// The observer: it keeps every loss, and the iterate at the iterations
/// that get a frame, rescaled for display by `nmf_core::normalise`.
struct Recorder {
    last: usize,
    losses: Vec<f64>,
    snapshots: Vec<Snapshot>,
    error: Option<String>,
}

impl Observer for Recorder {
    fn observe(&mut self, state: &State<'_>) {
        self.losses.push(state.loss);
        if shown(state.iter, self.last) {
            match normalise(state.w, state.h, RowScale::Max) {
                Ok((w, h)) => self.snapshots.push(Snapshot {
                    iter: state.iter,
                    w,
                    h,
                }),
                Err(e) => self.error = Some(e.to_string()),
            }
        }
    }
}
// ANCHOR_END: recorder

/// Where everything goes in a frame of `rank` parts.
struct Layout {
    height: u32,
    lower_top: u32,
}

impl Layout {
    fn new(rank: usize) -> Self {
        let parts_rows = rank.div_ceil(PER_ROW) as u32;
        let lower_top = PARTS_TOP + parts_rows * (TILE + GAP) + 8;
        Layout {
            height: lower_top + LOWER,
            lower_top,
        }
    }

    /// Top left of tile `i` of a row of tiles starting at height `top`.
    fn tile(&self, i: usize, top: u32) -> (u32, u32) {
        let (row, col) = ((i / PER_ROW) as u32, (i % PER_ROW) as u32);
        (LEFT + col * (TILE + GAP), top + row * (TILE + GAP))
    }
}

/// Everything the frames share.
struct Stage<'a> {
    options: &'a Options,
    y: &'a DMatrix<f64>,
    side: usize,
    rows: [usize; SHOWN],
    order: Vec<usize>,
    y_max: f64,
    loss_range: (f64, f64),
    layout: Layout,
}

/// Draws one frame into `rgb`.
fn draw_frame(
    rgb: &mut [u8],
    stage: &Stage,
    snap: &Snapshot,
    losses: &[f64],
) -> Result<(), String> {
    let size = (WIDTH, stage.layout.height);
    {
        let root = BitMapBackend::with_buffer(rgb, size).into_drawing_area();
        draw_plots(&root, stage, snap, losses)?;
        root.present().map_err(fail)?;
    }
    let mut canvas = Canvas { rgb, width: WIDTH };
    let cell = TILE / stage.side as u32;
    let ink = |v: f64| ink_steps(v, GREYS);
    for_each_tile(stage, snap, |at, pixels| {
        canvas.image(at, stage.side, cell, pixels, ink);
    });
    Ok(())
}

/// Draws what plotters draws of a frame: the titles and the loss panel.
fn draw_plots<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    stage: &Stage,
    snap: &Snapshot,
    losses: &[f64],
) -> Result<(), String> {
    let layout = &stage.layout;
    root.fill(&WHITE).map_err(fail)?;
    let o = stage.options;
    let title = format!(
        "{}, rank {}: iteration {} of {}",
        o.data.name(),
        o.rank,
        snap.iter,
        o.iterations
    );
    let text = |s: &str, at: (i32, i32), px: u32| {
        root.draw(&Text::new(s.to_string(), at, (FONT, px).into_font()))
            .map_err(fail)
    };
    text(&title, (LEFT as i32, 10), 24)?;
    text(
        "the rows of H as images, each scaled to its largest entry",
        (LEFT as i32, 40),
        16,
    )?;
    let lower = layout.lower_top as i32;
    text(
        "images of Y (top) and their reconstructions WH (bottom)",
        (LEFT as i32, lower + 2),
        16,
    )?;
    let (_, bottom) = root.split_vertically(layout.lower_top);
    let (_, right) = bottom.split_horizontally(LEFT + 5 * (TILE + GAP) + 20);
    let curve = Curve {
        label: &format!("rank {}", o.rank),
        losses,
        colour: RGBColor(31, 119, 180),
    };
    draw_losses(
        &right,
        "loss ‖Y − WH‖²",
        &[curve],
        o.iterations,
        stage.loss_range,
    )?;
    Ok(())
}

/// Calls `tile` with the top left and the pixels of every image of a
/// frame: the parts, the images of Y and their reconstructions.
fn for_each_tile(
    stage: &Stage,
    snap: &Snapshot,
    mut tile: impl FnMut((u32, u32), &dyn Fn(usize) -> f64),
) {
    let layout = &stage.layout;
    for (i, &k) in stage.order.iter().enumerate() {
        tile(layout.tile(i, PARTS_TOP), &|p| snap.h[(k, p)]);
    }
    let images_top = layout.lower_top + 26;
    for (i, &m) in stage.rows.iter().enumerate() {
        let at = layout.tile(i, images_top);
        tile(at, &|p| stage.y[(m, p)] / stage.y_max);
        let y_hat = snap.w.row(m) * &snap.h;
        let below = (at.0, at.1 + TILE + GAP);
        tile(below, &|p| y_hat[p] / stage.y_max);
    }
}

/// Draws one frame into `svg`: the same picture, with the images
/// embedded as PNGs.
fn svg_frame(
    svg: &mut SvgFrames,
    stage: &Stage,
    snap: &Snapshot,
    losses: &[f64],
) -> Result<(), String> {
    let loss = losses.last().copied().unwrap_or(f64::NAN);
    svg.add(snap.iter, loss, |root| {
        draw_plots(root, stage, snap, losses)
    })?;
    let cell = TILE / stage.side as u32;
    let ink = |v: f64| ink_steps(v, GREYS);
    let mut error = None;
    for_each_tile(stage, snap, |at, pixels| {
        match common::svg::grey_image(at, stage.side, cell, pixels, ink, FRAME) {
            Ok(elements) => elements.iter().for_each(|e| svg.append_to_last(e)),
            Err(e) => error = Some(e),
        }
    });
    error.map_or(Ok(()), Err)
}

/// The order in which to show the final parts: matched to the true parts
/// when they are known, else by how much of Y each carries.
fn order(w: &DMatrix<f64>, h: &DMatrix<f64>, truth: Option<&DMatrix<f64>>) -> Vec<usize> {
    let k = h.nrows();
    let mut order: Vec<usize> = match truth.map(|t| match_parts(h, t)) {
        Some(Ok(pairs)) => pairs.iter().map(|p| p.learned).collect(),
        _ => Vec::new(),
    };
    let mut rest: Vec<usize> = (0..k).filter(|i| !order.contains(i)).collect();
    let carried = |i: usize| w.column(i).sum() * h.row(i).sum();
    rest.sort_by(|&a, &b| carried(b).total_cmp(&carried(a)));
    order.extend(rest);
    order
}

/// Runs the fit, writes the GIF and the still, and returns their paths.
pub fn animate(options: &Options) -> Result<Vec<PathBuf>, String> {
    if options.iterations == 0 {
        return Err("--iterations must be at least 1".into());
    }
    register_font()?;
    let (y, side, rows, truth) = options.data.load();
    let nmf = Nmf::new(options.rank)
        .max_iter(options.iterations)
        .tol(0.0)
        .seed(options.seed);
    let mut recorder = Recorder {
        last: options.iterations,
        losses: Vec::new(),
        snapshots: Vec::new(),
        error: None,
    };
    let mut observer = |state: &State<'_>| {
        common::progress::step("iteration", state.iter, options.iterations);
        recorder.observe(state);
    };
    nmf.fit_with(&y, &mut observer).map_err(|e| e.to_string())?;
    if let Some(e) = recorder.error {
        return Err(e);
    }
    let Some(last) = recorder.snapshots.last() else {
        return Err("the fit showed no iterate".into());
    };
    let stage = Stage {
        options,
        y: &y,
        side,
        rows,
        order: order(&last.w, &last.h, truth.as_ref()),
        y_max: y.max().max(f64::MIN_POSITIVE),
        loss_range: log_range([recorder.losses.as_slice()]),
        layout: Layout::new(options.rank),
    };
    let height = stage.layout.height;
    let mut gif = GifWriter::create(&options.out, WIDTH, height)?;
    let mut pixels = vec![0; (WIDTH * height * 3) as usize];
    let mut svg = SvgFrames::new("parts-anim-frames", (WIDTH, height));
    for snap in &recorder.snapshots {
        common::progress::step("frame", snap.iter, options.iterations);
        draw_frame(&mut pixels, &stage, snap, &recorder.losses[..=snap.iter])?;
        let delay = match snap.iter {
            0 => FIRST_DELAY,
            t if t == options.iterations => LAST_DELAY,
            _ => DELAY,
        };
        gif.add_changes(&pixels, delay)?;
        svg_frame(&mut svg, &stage, snap, &recorder.losses[..=snap.iter])?;
    }
    drop(gif); // finishes the file

    let still = options.still();
    common::write_png(&still, &quantise(&pixels), (WIDTH, height))?;
    let mut written = vec![options.out.clone(), still];
    written.extend(svg.write(&options.svg())?);
    Ok(written)
}

/// The default options, writing into `dir`.
pub fn defaults(dir: &Path) -> Options {
    Options {
        data: Data::Swimmer,
        rank: 17,
        iterations: 200,
        seed: 0,
        out: dir.join("parts_anim.gif"),
    }
}

/// The book's figures, with the default options, into `dir`.
pub fn draw(dir: &Path) -> Result<Vec<PathBuf>, String> {
    animate(&defaults(dir))
}

fn main() {
    run(|| {
        let flags = Flags::parse(
            std::env::args().skip(1),
            &[
                ("data", "swimmer or digits (default swimmer)"),
                ("rank", "the rank K (default 17 for swimmer, 16 for digits)"),
                ("iterations", "iterations to run (default 200)"),
                ("seed", "seed of the random start (default 0)"),
                (
                    "out",
                    "path of the GIF (default src/figures/parts_anim.gif)",
                ),
            ],
        )?;
        let data: Data = flags.get("data", Data::Swimmer)?;
        let options = Options {
            data,
            rank: flags.get_count("rank", data.default_rank(), 64)?,
            iterations: flags.get_count("iterations", 200, 20_000)?,
            seed: flags.get("seed", 0)?,
            out: flags.get("out", common::figures_dir().join("parts_anim.gif"))?,
        };
        let frames = (0..=options.iterations)
            .filter(|&t| shown(t, options.iterations))
            .count();
        let size = (WIDTH, Layout::new(options.rank).height);
        common::gif::timed(frames, size, || animate(&options))
    });
}
