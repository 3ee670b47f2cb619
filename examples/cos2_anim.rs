//! Watching NMF learn: `cargo run --example cos2_anim`.
//!
//! Replays the original article's experiment: its cos² data and its start
//! (`nmf_core::datasets::article_cos2`), at rank 2. Draws one frame for the
//! start and one per iteration: the reconstruction, the two basis vectors
//! and the cone they span, and the loss so far. Writes a looping GIF, a
//! still of the last frame, and the same frames as one SVG with a group
//! per frame (the book's scrubber) into `src/figures/`.
//!
//! Flags: `--frames N` (iterations, one frame each after the start;
//! default 50), `--seed S` (fresh cos² data and a random start from seed
//! S, instead of the article's), `--out PATH` (the GIF; the still goes
//! beside it as `<name>_last.png`, the SVG as `<name>.svg`).

mod common;

use std::path::{Path, PathBuf};

use common::args::{run, Flags};
use common::gif::{quantise, GifWriter};
use common::plot::{
    colour_by_x, draw_losses, draw_scene, fail, log_range, register_font, Curve, Scene,
};
use common::svg::SvgFrames;
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Init, Nmf, Observer, State};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Pixels of one frame.
const SIZE: (u32, u32) = (1000, 450);
/// The iterations of the book's figure, one frame each after the start.
pub const FRAMES: usize = 50;
/// Each frame shows for this many hundredths of a second, the start and
/// the last longer.
const DELAY: u16 = 12;
const FIRST_DELAY: u16 = 100;
const LAST_DELAY: u16 = 250;

/// What to draw, and where.
pub struct Options {
    /// Iterations to run, one frame each after the start.
    pub frames: usize,
    /// `None` for the article's data and start; `Some(s)` for fresh cos²
    /// data and a random start, both from seed s.
    pub seed: Option<u64>,
    /// Path of the GIF.
    pub out: PathBuf,
}

impl Options {
    /// The still of the last frame, beside the GIF.
    pub fn still(&self) -> PathBuf {
        common::gif::still_path(&self.out, "cos2_anim")
    }

    /// The frames as one SVG, beside the GIF.
    pub fn svg(&self) -> PathBuf {
        self.out.with_extension("svg")
    }
}

/// Everything a frame shows besides the iterate itself.
struct Stage<'a> {
    y: &'a DMatrix<f64>,
    colours: &'a [RGBColor],
    t_max: usize,
    loss_range: (f64, f64),
}

/// Draws one frame: the reconstruction at iteration `state.iter` on the
/// left, the loss curve up to it on the right.
fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    stage: &Stage,
    state: &State,
    losses: &[f64],
) -> Result<(), String> {
    root.fill(&WHITE).map_err(fail)?;
    let (left, right) = root.split_horizontally(560);
    let y_hat = state.w * state.h;
    let title = format!("iteration {}: Ŷ = WH and the rows of H", state.iter);
    let scene = Scene {
        title: &title,
        points: &y_hat,
        colours: stage.colours,
        ghosts: Some(stage.y),
        basis: Some(state.h),
        x_max: 4.6,
        y_max: 2.6,
    };
    draw_scene(&left, &scene)?;
    let curve = Curve {
        label: "rank 2",
        losses,
        colour: BLACK,
    };
    draw_losses(
        &right,
        "loss ‖Y − WH‖²",
        &[curve],
        stage.t_max,
        stage.loss_range,
    )
}

// ANCHOR: animator
/// The animation is an observer: every iteration the fit shows it, it
/// draws a frame into a pixel buffer and adds that to the GIF.
struct Animator<'a> {
    stage: Stage<'a>,
    gif: GifWriter,
    svg: SvgFrames,
    pixels: Vec<u8>,
    losses: Vec<f64>,
    error: Option<String>,
}

impl Observer for Animator<'_> {
    fn observe(&mut self, state: &State<'_>) {
        self.losses.push(state.loss);
        if self.error.is_none() {
            self.error = self.frame(state).err();
        }
    }
}
// ANCHOR_END: animator

impl Animator<'_> {
    fn frame(&mut self, state: &State) -> Result<(), String> {
        common::progress::step("frame", state.iter, self.stage.t_max);
        {
            let root = BitMapBackend::with_buffer(&mut self.pixels, SIZE).into_drawing_area();
            draw_frame(&root, &self.stage, state, &self.losses)?;
            root.present().map_err(fail)?;
        }
        let delay = if state.iter == self.stage.t_max {
            LAST_DELAY
        } else if state.iter == 0 {
            FIRST_DELAY
        } else {
            DELAY
        };
        self.gif.add(&self.pixels, delay)?;
        let (stage, losses) = (&self.stage, &self.losses);
        self.svg.add(state.iter, state.loss, |root| {
            draw_frame(root, stage, state, losses)
        })
    }
}

/// Runs the fit, writes the GIF and the still, and returns their paths.
pub fn animate(options: &Options) -> Result<Vec<PathBuf>, String> {
    if options.frames == 0 {
        return Err("--frames must be at least 1".into());
    }
    register_font()?;
    let (y, nmf) = experiment(options.seed);
    let nmf = nmf.max_iter(options.frames);
    let colours = colour_by_x(&y);
    // A first fit, without drawing, fixes the loss axis for all frames.
    let loss_range = log_range([nmf.fit(&y).map_err(|e| e.to_string())?.losses.as_slice()]);
    let stage = Stage {
        y: &y,
        colours: &colours,
        t_max: options.frames,
        loss_range,
    };

    let gif = GifWriter::create(&options.out, SIZE.0, SIZE.1)?;
    let pixels = vec![0; (SIZE.0 * SIZE.1 * 3) as usize];
    let mut animator = Animator {
        stage,
        gif,
        svg: SvgFrames::new("cos2-anim-frames", SIZE),
        pixels,
        losses: Vec::new(),
        error: None,
    };
    nmf.fit_with(&y, &mut animator).map_err(|e| e.to_string())?;
    if let Some(e) = animator.error {
        return Err(e);
    }
    drop(animator.gif); // finishes the file

    // The still is the last frame, in the GIF's own colours.
    let still = options.still();
    common::write_png(&still, &quantise(&animator.pixels), SIZE)?;
    let mut written = vec![options.out.clone(), still];
    written.extend(animator.svg.write(&options.svg())?);
    Ok(written)
}

/// The data and the fit, before `max_iter`: the article's experiment, or
/// fresh data and a random start from `seed`.
pub fn experiment(seed: Option<u64>) -> (DMatrix<f64>, Nmf) {
    let nmf = Nmf::new(2).tol(0.0);
    match seed {
        None => {
            let (y, w, h) = nmf_core::datasets::article_cos2();
            (y, nmf.init(Init::Custom { w, h }))
        }
        Some(seed) => (nmf_core::datasets::cos2(80, seed), nmf.seed(seed)),
    }
}

/// The book's figures, with the default options, into `dir`.
pub fn draw(dir: &Path) -> Result<Vec<PathBuf>, String> {
    animate(&Options {
        frames: FRAMES,
        seed: None,
        out: dir.join("cos2_anim.gif"),
    })
}

fn main() {
    run(|| {
        let flags = Flags::parse(
            std::env::args().skip(1),
            &[
                ("frames", "iterations to run, one frame each (default 50)"),
                (
                    "seed",
                    "fresh data and a random start from this seed (default: the article's)",
                ),
                ("out", "path of the GIF (default src/figures/cos2_anim.gif)"),
            ],
        )?;
        let options = Options {
            frames: flags.get_count("frames", FRAMES, common::args::MAX_FRAMES)?,
            seed: flags.get_opt("seed")?,
            out: flags.get("out", common::figures_dir().join("cos2_anim.gif"))?,
        };
        common::gif::timed(options.frames + 1, SIZE, || animate(&options))
    });
}
