//! An animated GIF with one fixed 256-colour palette for every frame.
//!
//! Building a palette per frame (colour quantisation) is by far the
//! slowest part of writing a GIF. A plot has few colours, so a fixed
//! palette loses little: a 6 × 6 × 6 colour cube plus 40 greys, and each
//! pixel is mapped to it with a few integer operations.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Levels per channel of the colour cube.
pub const CUBE: u32 = 6;
/// Greys after the cube, for the antialiased edges of black text.
pub const GREYS: u32 = 40;

/// The palette as RGB triples: the cube first, then the greys.
pub fn palette() -> Vec<u8> {
    let mut p = Vec::with_capacity(256 * 3);
    for r in 0..CUBE {
        for g in 0..CUBE {
            for b in 0..CUBE {
                p.extend([r, g, b].map(|c| (c * 255 / (CUBE - 1)) as u8));
            }
        }
    }
    for i in 0..GREYS {
        p.extend([(i * 255 / (GREYS - 1)) as u8; 3]);
    }
    p
}

/// The palette index of one RGB pixel.
pub fn index(r: u8, g: u8, b: u8) -> u8 {
    let (lo, hi) = (r.min(g).min(b), r.max(g).max(b));
    if hi - lo < 8 {
        // Grey: take the nearest of the grey ramp.
        let level = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
        (CUBE * CUBE * CUBE + (level * (GREYS - 1) + 127) / 255) as u8
    } else {
        let q = |c: u8| (u32::from(c) * (CUBE - 1) + 127) / 255;
        (q(r) * CUBE * CUBE + q(g) * CUBE + q(b)) as u8
    }
}

/// RGB pixels mapped to their palette colours: what the GIF shows.
pub fn quantise(rgb: &[u8]) -> Vec<u8> {
    let p = palette();
    rgb.chunks_exact(3)
        .flat_map(|c| {
            let i = 3 * usize::from(index(c[0], c[1], c[2]));
            [p[i], p[i + 1], p[i + 2]]
        })
        .collect()
}

/// The palette index that [`GifWriter::add_changes`] uses for "as in the
/// frame before": black in the cube, which [`index`] never returns, since
/// it maps every grey, black included, to the grey ramp.
pub const UNCHANGED: u8 = 0;

/// Writes frames of one size into a looping GIF.
pub struct GifWriter {
    encoder: ::gif::Encoder<BufWriter<File>>,
    width: u16,
    height: u16,
    indexed: Vec<u8>,
    previous: Vec<u8>,
}

impl GifWriter {
    /// Creates `path` for frames of `width × height` pixels.
    pub fn create(path: &Path, width: u32, height: u32) -> Result<Self, String> {
        let size = |v: u32| {
            u16::try_from(v)
                .map_err(|_| format!("a GIF frame is at most 65535 pixels wide, not {v}"))
        };
        let (width, height) = (size(width)?, size(height)?);
        let file =
            File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let mut encoder = ::gif::Encoder::new(BufWriter::new(file), width, height, &palette())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        encoder
            .set_repeat(::gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        Ok(GifWriter {
            encoder,
            width,
            height,
            indexed: Vec::new(),
            previous: Vec::new(),
        })
    }

    /// Adds one frame of RGB pixels, shown for `delay` hundredths of a second.
    pub fn add(&mut self, rgb: &[u8], delay: u16) -> Result<(), String> {
        self.indexed.clear();
        self.indexed
            .extend(rgb.chunks_exact(3).map(|p| index(p[0], p[1], p[2])));
        let frame = ::gif::Frame {
            width: self.width,
            height: self.height,
            delay,
            buffer: std::borrow::Cow::Borrowed(&self.indexed),
            ..::gif::Frame::default()
        };
        self.encoder.write_frame(&frame).map_err(|e| e.to_string())
    }

    /// Like [`GifWriter::add`], but writes only what changed since the
    /// frame added before by this method: the smallest rectangle that
    /// holds every changed pixel, with the unchanged pixels inside it
    /// transparent ([`UNCHANGED`]), so that the frame before shows
    /// through. A viewer shows the same pictures; the file is smaller
    /// when frames share most of their pixels.
    pub fn add_changes(&mut self, rgb: &[u8], delay: u16) -> Result<(), String> {
        self.indexed.clear();
        self.indexed
            .extend(rgb.chunks_exact(3).map(|p| index(p[0], p[1], p[2])));
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        let first = self.previous.len() != self.indexed.len();
        // The rectangle of changed pixels: columns x0..x1, rows y0..y1.
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        if first {
            (x0, y0, x1, y1) = (0, 0, w, h);
        } else {
            for (i, (a, b)) in self.indexed.iter().zip(&self.previous).enumerate() {
                if a != b {
                    let (x, y) = (i % w, i / w);
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
            if x1 == 0 {
                // Nothing changed: one transparent pixel keeps the delay.
                (x0, y0, x1, y1) = (0, 0, 1, 1);
            }
        }
        let mut buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * w + x;
                let same = !first && self.indexed[i] == self.previous[i];
                buffer.push(if same { UNCHANGED } else { self.indexed[i] });
            }
        }
        let size = |v: usize| u16::try_from(v).map_err(|e| e.to_string());
        let frame = ::gif::Frame {
            left: size(x0)?,
            top: size(y0)?,
            width: size(x1 - x0)?,
            height: size(y1 - y0)?,
            delay,
            dispose: ::gif::DisposalMethod::Keep,
            transparent: (!first).then_some(UNCHANGED),
            buffer: std::borrow::Cow::Borrowed(&buffer),
            ..::gif::Frame::default()
        };
        self.encoder
            .write_frame(&frame)
            .map_err(|e| e.to_string())?;
        std::mem::swap(&mut self.previous, &mut self.indexed);
        Ok(())
    }
}

/// The still of an animation's last frame, beside the GIF: `x.gif` gives
/// `x_last.png` (`{fallback}_last.png` where the path has no usable stem).
pub fn still_path(gif: &std::path::Path, fallback: &str) -> std::path::PathBuf {
    let stem = gif.file_stem().and_then(|s| s.to_str()).unwrap_or(fallback);
    gif.with_file_name(format!("{stem}_last.png"))
}

/// Runs `animate`, then prints the files it wrote and how long it took:
/// `frames` frames of `width` × `height` pixels, in this build's profile.
pub fn timed(
    frames: usize,
    (width, height): (u32, u32),
    animate: impl FnOnce() -> Result<Vec<std::path::PathBuf>, String>,
) -> Result<(), String> {
    let start = std::time::Instant::now();
    let written = animate()?;
    let seconds = start.elapsed().as_secs_f64();
    for path in &written {
        println!("wrote {}", path.display());
    }
    let profile = if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    };
    println!(
        "{frames} frames of {width}x{height}: fit, drawing and encoding took {seconds:.2} s ({profile} build)"
    );
    Ok(())
}
