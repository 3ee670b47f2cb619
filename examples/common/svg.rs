//! An animation as one SVG with a group per frame, for the book's
//! scrubbers: each frame is drawn through plotters' SVG backend into a
//! `<g class="frame">` that carries its step and its loss as data
//! attributes (`data-t`, `data-loss`), and every frame but the last is
//! hidden. A small script of the book (`theme/scrubber.js`) shows one
//! frame at a time.
//!
//! The text is drawn in the bundled font: the SVG names it, and the
//! book's stylesheet (`theme/scrubber.css`) loads the same file from the
//! book's own folder (`src/font/`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

use super::plot::{fail, FONT};

/// The font family the SVG asks for: the bundled DejaVu Sans, under the
/// name the book's stylesheet gives it, then any sans-serif font.
pub const FONT_FAMILY: &str = "'NMF DejaVu Sans', 'DejaVu Sans', sans-serif";

/// The most frames one SVG holds: a scrubber of more is of little use,
/// and the file would grow with the square of the frames (each frame's
/// loss curve is as long as the run so far).
pub const MAX_FRAMES: usize = 500;

/// The drawing area of one SVG frame.
pub type SvgRoot<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The frames of one animation, in order.
pub struct SvgFrames {
    /// The SVG element's id; the frames' ids are `{id}-{index}`.
    id: String,
    /// Pixels of one frame.
    size: (u32, u32),
    /// Each frame: its step, its loss as written, and its elements, one
    /// per line.
    frames: Vec<(usize, String, Vec<String>)>,
    /// Whether frames beyond [`MAX_FRAMES`] were left out.
    too_many: bool,
}

impl SvgFrames {
    /// An empty animation of frames of `size` pixels, as the SVG element `id`.
    pub fn new(id: &str, size: (u32, u32)) -> Self {
        SvgFrames {
            id: id.to_string(),
            size,
            frames: Vec::new(),
            too_many: false,
        }
    }

    /// Draws the frame of step `t`, whose loss is `loss`, with `draw`;
    /// beyond [`MAX_FRAMES`] frames, draws nothing and notes it.
    pub fn add(
        &mut self,
        t: usize,
        loss: f64,
        draw: impl FnOnce(&SvgRoot) -> Result<(), String>,
    ) -> Result<(), String> {
        if self.frames.len() >= MAX_FRAMES {
            self.too_many = true;
            return Ok(());
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            draw(&root)?;
            root.present().map_err(fail)?;
        }
        let body = inner(&svg).ok_or("plotters wrote an SVG without its <svg> element")?;
        self.frames.push((t, significant(loss, 4), elements(body)));
        Ok(())
    }

    /// Adds `element` (one line of SVG, such as an embedded image) on top
    /// of the frame added last (unless that frame was left out).
    pub fn append_to_last(&mut self, element: &str) {
        if self.too_many {
            return;
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.2.push(element.replace('\n', " "));
        }
    }

    /// The elements of frame `i` as drawn, one per line, before the
    /// shared runs are written once and like elements grouped.
    pub fn frame_elements(&self, i: usize) -> &[String] {
        self.frames.get(i).map_or(&[], |f| f.2.as_slice())
    }

    /// The whole SVG: the last frame shows, the others are hidden.
    ///
    /// Most of a frame is the same in every frame: axes, labels, the data.
    /// When all frames have as many elements, each run of elements that
    /// every frame shares, at the same place in the drawing order, is
    /// written once, in `<defs>`, and each frame refers to it with
    /// `<use>`; so each frame draws exactly what it drew before, in the
    /// same order, and the file holds mostly what changes.
    pub fn to_svg(&self) -> String {
        let (w, h) = self.size;
        let mut out = String::new();
        // No blank line anywhere: the book includes the file into a
        // Markdown page as one block of HTML.
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" class=\"frames\" \
             width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{FONT_FAMILY}\" style=\"image-rendering:pixelated\" \
             data-frames=\"{}\">",
            self.id,
            self.frames.len()
        );
        let runs = self.runs().unwrap_or_default();
        let shared = |run: &Run| matches!(run, Run::Shared(..));
        if runs.iter().any(shared) {
            out.push_str("<defs>\n");
            for run in &runs {
                if let Run::Shared(c, range) = run {
                    let _ = writeln!(out, "<g id=\"{}-shared-{c}\">", self.id);
                    grouped(&mut out, &self.frames[0].2[range.clone()]);
                    out.push_str("</g>\n");
                }
            }
            out.push_str("</defs>\n");
        }
        let last = self.frames.len().saturating_sub(1);
        for (i, (t, loss, elements)) in self.frames.iter().enumerate() {
            let hidden = if i == last { "" } else { " display=\"none\"" };
            let _ = writeln!(
                out,
                "<g class=\"frame\" id=\"{}-{i}\" data-frame=\"{i}\" data-t=\"{t}\" \
                 data-loss=\"{loss}\"{hidden}>",
                self.id
            );
            if runs.is_empty() {
                grouped(&mut out, elements);
            }
            for run in &runs {
                match run {
                    Run::Shared(c, _) => {
                        let _ = writeln!(out, "<use href=\"#{}-shared-{c}\"/>", self.id);
                    }
                    Run::Own(range) => grouped(&mut out, &elements[range.clone()]),
                }
            }
            out.push_str("</g>\n");
        }
        out.push_str("</svg>\n");
        out
    }

    /// The frames' elements in runs, each shared by every frame or not;
    /// `None` unless there are several frames, all with as many elements.
    fn runs(&self) -> Option<Vec<Run>> {
        let n = self.frames.first().map_or(0, |f| f.2.len());
        if self.frames.len() < 2 || self.frames.iter().any(|f| f.2.len() != n) {
            return None;
        }
        let same = |i: usize| self.frames.iter().all(|f| f.2[i] == self.frames[0].2[i]);
        let mut runs: Vec<Run> = Vec::new();
        let mut start = 0;
        while start < n {
            let kind = same(start);
            let mut end = start + 1;
            while end < n && same(end) == kind {
                end += 1;
            }
            // A short shared run costs more as a reference than inline.
            let bytes: usize = self.frames[0].2[start..end].iter().map(String::len).sum();
            if kind && bytes > 80 {
                let c = runs.iter().filter(|r| matches!(r, Run::Shared(..))).count();
                runs.push(Run::Shared(c, start..end));
            } else if let Some(Run::Own(range)) = runs.last_mut() {
                range.end = end;
            } else {
                runs.push(Run::Own(start..end));
            }
            start = end;
        }
        Some(runs)
    }

    /// Writes the SVG to `path` and returns it; or, when frames were left
    /// out, says so on stderr and writes nothing.
    pub fn write(&self, path: &Path) -> Result<Option<PathBuf>, String> {
        if self.too_many {
            eprintln!("no SVG written: a scrubber shows at most {MAX_FRAMES} frames");
            return Ok(None);
        }
        std::fs::write(path, self.to_svg())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Some(path.to_path_buf()))
    }
}

/// A run of elements: shared by all frames (the `n`th such run), or each
/// frame's own.
enum Run {
    Shared(usize, std::ops::Range<usize>),
    Own(std::ops::Range<usize>),
}

/// The presentation attributes that a group passes on to its elements.
const INHERITED: [&str; 3] = ["fill", "stroke", "stroke-width"];

/// An empty element split into its tag with its inherited attributes,
/// and its other attributes: `("<circle", " fill=\"#000\"", " cx=\"1\" …/>")`.
fn split_style(element: &str) -> Option<(&str, String, String)> {
    // One empty element: its only `>` closes it.
    if !element.ends_with("/>") || element.find('>') != Some(element.len() - 1) {
        return None;
    }
    let tag_end = element.find(' ')?;
    let (mut style, mut rest) = (String::new(), String::new());
    // Attributes as ` name="value"`; values hold no quote.
    let mut attrs = &element[tag_end..element.len() - 2];
    while let Some(eq) = attrs.find("=\"") {
        let close = eq + 2 + attrs[eq + 2..].find('"')?;
        let (attr, name) = (&attrs[..=close], attrs[..eq].trim());
        if INHERITED.contains(&name) {
            style.push_str(attr);
        } else {
            rest.push_str(attr);
        }
        attrs = &attrs[close + 1..];
    }
    rest.push_str(attrs);
    rest.push_str("/>");
    Some((&element[..tag_end], style, rest))
}

/// Writes `elements`, one per line; a run of three or more empty elements
/// with the same inherited attributes goes into a group that holds them.
fn grouped(out: &mut String, elements: &[String]) {
    let mut i = 0;
    while i < elements.len() {
        let style = split_style(&elements[i]).map(|(_, s, _)| s);
        let mut end = i + 1;
        while end < elements.len()
            && style.is_some()
            && split_style(&elements[end]).map(|(_, s, _)| s) == style
        {
            end += 1;
        }
        match style {
            Some(style) if end - i >= 3 && !style.is_empty() => {
                let _ = writeln!(out, "<g{style}>");
                for e in &elements[i..end] {
                    if let Some((tag, _, rest)) = split_style(e) {
                        out.push_str(tag);
                        out.push_str(&rest);
                        out.push('\n');
                    }
                }
                out.push_str("</g>\n");
            }
            _ => {
                for e in &elements[i..end] {
                    out.push_str(e);
                    out.push('\n');
                }
            }
        }
        i = end;
    }
}

/// What lies between the `<svg …>` line and `</svg>` of a document that
/// plotters wrote.
fn inner(svg: &str) -> Option<&str> {
    let start = svg.find("<svg")?;
    let open_end = start + svg[start..].find(">\n")? + 2;
    let close = svg.rfind("</svg>")?;
    (open_end <= close).then(|| &svg[open_end..close])
}

/// The elements of a drawing, one per line, without what the SVG says
/// once for all frames or what is the default anyway: the font family,
/// full opacity, no stroke on a filled shape, and then no stroke width.
/// Font sizes are rounded to a hundredth of a pixel.
fn elements(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut text: Option<String> = None;
    for line in body.lines() {
        if let Some(open) = text.as_mut() {
            // plotters writes a text element over three lines.
            if line == "</text>" {
                open.push_str(line);
                out.push(text.take().unwrap_or_default());
            } else {
                open.push_str(line);
            }
            continue;
        }
        let line = line
            .replace(&format!(" font-family=\"{FONT}\""), "")
            .replace(" opacity=\"1\"", "")
            .replace(" stroke=\"none\"", "");
        let mut line = round_font_size(&line);
        if !line.contains(" stroke=\"") {
            // No stroke to draw, so no width: no group around the element
            // sets a stroke, since groups only hold what elements had.
            line = line.replace(" stroke-width=\"1\"", "");
        }
        if line.starts_with("<text") && !line.ends_with("</text>") {
            text = Some(line);
        } else if !line.is_empty() {
            out.push(line);
        }
    }
    out
}

/// `font-size="17.741935483870968"` as `font-size="17.74"`.
fn round_font_size(line: &str) -> String {
    const KEY: &str = "font-size=\"";
    let Some(at) = line.find(KEY).map(|i| i + KEY.len()) else {
        return line.to_string();
    };
    let Some(len) = line[at..].find('"') else {
        return line.to_string();
    };
    match line[at..at + len].parse::<f64>() {
        Ok(size) => {
            let rounded = format!("{:.2}", size);
            let rounded = rounded.trim_end_matches('0').trim_end_matches('.');
            format!("{}{rounded}{}", &line[..at], &line[at + len..])
        }
        Err(_) => line.to_string(),
    }
}

/// `x` to `digits` significant digits, as the scrubber shows it.
pub fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (digits - 1 - x.abs().log10().floor() as i32).max(0);
    format!("{x:.*}", decimals as usize)
}

/// `bytes` in base64, for images embedded in an SVG.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A grey image of `width × height` pixels, one byte each, row by row,
/// as PNG bytes.
pub fn grey_png(grey: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(grey).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// One grey image of `side × side` pixels, stored row by row in `pixels`
/// and inked by `ink` (its red channel taken as the grey), drawn as
/// squares of `cell` pixels with its top left at `at`, framed by a
/// one-pixel line in `frame` just outside: what `heat::Canvas::image`
/// draws into a bitmap, as SVG elements with the image embedded as a PNG.
pub fn grey_image(
    at: (u32, u32),
    side: usize,
    cell: u32,
    pixels: impl Fn(usize) -> f64,
    ink: impl Fn(f64) -> plotters::prelude::RGBColor,
    frame: plotters::prelude::RGBColor,
) -> Result<[String; 2], String> {
    let grey: Vec<u8> = (0..side * side).map(|p| ink(pixels(p)).0).collect();
    let png = grey_png(&grey, (side as u32, side as u32))?;
    let size = side as u32 * cell;
    let image = format!(
        "<image x=\"{}\" y=\"{}\" width=\"{size}\" height=\"{size}\" \
         href=\"data:image/png;base64,{}\"/>",
        at.0,
        at.1,
        base64(&png)
    );
    let outline = format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" \
         stroke=\"#{:02X}{:02X}{:02X}\" stroke-width=\"1\"/>",
        f64::from(at.0) - 0.5,
        f64::from(at.1) - 0.5,
        size + 1,
        size + 1,
        frame.0,
        frame.1,
        frame.2
    );
    Ok([image, outline])
}
