//! What the book's examples share: the bundled font, the colours, panels
//! of 2-D data with their basis vectors and cone, a loss panel, the
//! command-line flags, a GIF writer with a fixed palette, and matrices
//! and images drawn cell by cell.
#![allow(dead_code)] // each example uses its own part of this module

pub mod args;
pub mod gif;
pub mod heat;
pub mod plot;
pub mod progress;
pub mod svg;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};

/// Where the book looks for its figures.
pub fn figures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/figures")
}

/// Draws one picture of `size` pixels with `draw` and writes it to `path`
/// as a PNG.
pub fn draw_png(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&Root) -> Result<(), String>,
) -> Result<(), String> {
    let mut rgb = vec![0; (size.0 * size.1 * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        draw(&root)?;
        root.present().map_err(plot::fail)?;
    }
    write_png(path, &rgb, size)
}

/// Writes RGB pixels to `path` as a PNG.
pub fn write_png(path: &Path, rgb: &[u8], (width, height): (u32, u32)) -> Result<(), String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
    let file = File::create(path).map_err(|e| cannot(&e))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| cannot(&e))?;
    writer.write_image_data(rgb).map_err(|e| cannot(&e))?;
    writer.finish().map_err(|e| cannot(&e))
}

/// The drawing area of a PNG figure.
pub type Root<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// A figure of the book that is one PNG, drawn by one example.
pub struct PngFigure {
    /// Its file name in `src/figures/`.
    pub file: &'static str,
    /// Its size in pixels.
    pub size: (u32, u32),
    /// Draws it on a white background.
    pub picture: fn(&Root) -> Result<(), String>,
}

impl PngFigure {
    /// Draws the figure and writes it to `out`.
    pub fn write(&self, out: &Path) -> Result<Vec<PathBuf>, String> {
        plot::register_font()?;
        draw_png(out, self.size, |root| {
            root.fill(&plotters::style::WHITE).map_err(plot::fail)?;
            (self.picture)(root)
        })?;
        Ok(vec![out.to_path_buf()])
    }

    /// Draws the figure into `dir`, under its own file name.
    pub fn write_into(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        self.write(&dir.join(self.file))
    }

    /// The example's `main`: takes `--out PATH`, by default
    /// `src/figures/<file>`, draws, and says what it wrote.
    pub fn main(&self) {
        args::run(|| {
            let help = format!("path of the PNG (default src/figures/{})", self.file);
            let flags = args::Flags::parse(std::env::args().skip(1), &[("out", &help)])?;
            let out: PathBuf = flags.get("out", figures_dir().join(self.file))?;
            for path in self.write(&out)? {
                println!("wrote {}", path.display());
            }
            Ok(())
        });
    }
}
