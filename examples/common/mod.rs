//! What the book's examples share: the bundled font, the colours, panels
//! of 2-D data with their basis vectors and cone, a loss panel, the
//! command-line flags and a GIF writer with a fixed palette.
#![allow(dead_code)] // each example uses its own part of this module

pub mod args;
pub mod gif;
pub mod plot;

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
    draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
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

/// The `main` of an example that draws one PNG figure: it takes
/// `--out PATH`, by default `src/figures/<file>`, draws, and says what it
/// wrote.
pub fn png_example(file: &str, figure: fn(&Path) -> Result<Vec<PathBuf>, String>) {
    args::run(|| {
        let help = format!("path of the PNG (default src/figures/{file})");
        let flags = args::Flags::parse(std::env::args().skip(1), &[("out", &help)])?;
        let out: PathBuf = flags.get("out", figures_dir().join(file))?;
        for path in figure(&out)? {
            println!("wrote {}", path.display());
        }
        Ok(())
    });
}
