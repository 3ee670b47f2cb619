//! The figures the book embeds are the figures the examples draw now:
//! every example redraws its figures into a temporary folder, and each
//! must be byte for byte the committed file.

// Each example declares the shared module itself, so including the
// examples here includes it again; the copies are identical.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/common/mod.rs"]
mod common;

#[allow(dead_code)]
#[path = "../examples/cos2_anim.rs"]
mod cos2_anim;
#[allow(dead_code)]
#[path = "../examples/cos2_ranks.rs"]
mod cos2_ranks;
#[allow(dead_code)]
#[path = "../examples/hals_race.rs"]
mod hals_race;
#[allow(dead_code)]
#[path = "../examples/init_curves.rs"]
mod init_curves;
#[allow(dead_code)]
#[path = "../examples/init_spread.rs"]
mod init_spread;
#[allow(dead_code)]
#[path = "../examples/jensen_bound.rs"]
mod jensen_bound;
#[allow(dead_code)]
#[path = "../examples/kl_topics.rs"]
mod kl_topics;
#[allow(dead_code)]
#[path = "../examples/linear_2d.rs"]
mod linear_2d;
#[allow(dead_code)]
#[path = "../examples/loss_curve.rs"]
mod loss_curve;
#[allow(dead_code)]
#[path = "../examples/matrix_view.rs"]
mod matrix_view;
#[allow(dead_code)]
#[path = "../examples/parts_anim.rs"]
mod parts_anim;
#[allow(dead_code)]
#[path = "../examples/parts_digits.rs"]
mod parts_digits;
#[allow(dead_code)]
#[path = "../examples/parts_rank.rs"]
mod parts_rank;
#[allow(dead_code)]
#[path = "../examples/parts_reconstruct.rs"]
mod parts_reconstruct;
#[allow(dead_code)]
#[path = "../examples/parts_swimmer.rs"]
mod parts_swimmer;
#[allow(dead_code)]
#[path = "../examples/shapes.rs"]
mod shapes;
#[allow(dead_code)]
#[path = "../examples/speed_stages.rs"]
mod speed_stages;

use std::fs::File;
use std::path::{Path, PathBuf};

type Draw = fn(&Path) -> Result<Vec<PathBuf>, String>;

/// Every example that draws a figure of the book.
const EXAMPLES: [(&str, Draw); 17] = [
    ("cos2_anim", cos2_anim::draw),
    ("cos2_ranks", |dir| cos2_ranks::FIGURE.write_into(dir)),
    ("jensen_bound", jensen_bound::draw),
    ("linear_2d", |dir| linear_2d::FIGURE.write_into(dir)),
    ("loss_curve", |dir| loss_curve::FIGURE.write_into(dir)),
    ("shapes", |dir| shapes::FIGURE.write_into(dir)),
    ("hals_race", |dir| hals_race::FIGURE.write_into(dir)),
    ("speed_stages", |dir| speed_stages::FIGURE.write_into(dir)),
    ("init_curves", |dir| init_curves::FIGURE.write_into(dir)),
    ("init_spread", |dir| init_spread::FIGURE.write_into(dir)),
    ("kl_topics", |dir| kl_topics::FIGURE.write_into(dir)),
    ("parts_anim", parts_anim::draw),
    ("matrix_view", matrix_view::draw),
    ("parts_swimmer", |dir| parts_swimmer::FIGURE.write_into(dir)),
    ("parts_digits", |dir| parts_digits::FIGURE.write_into(dir)),
    ("parts_reconstruct", |dir| {
        parts_reconstruct::FIGURE.write_into(dir)
    }),
    ("parts_rank", |dir| parts_rank::FIGURE.write_into(dir)),
];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nmf-figures-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn committed_figures_are_what_the_examples_draw() {
    let mut stale = Vec::new();
    let mut drawn = std::collections::BTreeSet::new();
    for (name, draw) in EXAMPLES {
        let dir = scratch(name);
        let written = draw(&dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!written.is_empty(), "{name} wrote nothing");
        for path in written {
            let file = path.file_name().unwrap();
            drawn.insert(file.to_owned());
            let committed = common::figures_dir().join(file);
            let fresh = std::fs::read(&path).unwrap();
            match std::fs::read(&committed) {
                Ok(old) if old == fresh => {}
                Ok(_) => stale.push(format!(
                    "{} differs from what {name} draws",
                    committed.display()
                )),
                Err(_) => stale.push(format!(
                    "{} is missing; run the example {name}",
                    committed.display()
                )),
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
    assert!(stale.is_empty(), "rerun the examples: {stale:#?}");
    // And no figure is left over that no example draws any more.
    let committed: std::collections::BTreeSet<_> = std::fs::read_dir(common::figures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        committed, drawn,
        "src/figures holds figures no example draws"
    );
}

/// The frames of a GIF, as RGBA pixels.
fn gif_frames(path: &Path) -> (gif::Repeat, Vec<Vec<u8>>) {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(File::open(path).unwrap()).unwrap();
    assert_eq!((decoder.width(), decoder.height()), (1000, 450));
    let mut frames = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!((frame.width, frame.height), (1000, 450));
        frames.push(frame.buffer.to_vec());
    }
    (decoder.repeat(), frames)
}

#[test]
fn the_animation_shows_the_start_and_50_iterations_and_loops() {
    let (repeat, frames) = gif_frames(&common::figures_dir().join("cos2_anim.gif"));
    assert_eq!(frames.len(), 51);
    assert_eq!(repeat, gif::Repeat::Infinite);
    // Every frame differs from the one before: each shows a new iterate.
    assert!(frames.windows(2).all(|f| f[0] != f[1]));
}

#[test]
fn the_still_is_the_last_frame_in_the_same_colours() {
    let dir = common::figures_dir();
    let (_, frames) = gif_frames(&dir.join("cos2_anim.gif"));
    let decoder = png::Decoder::new(File::open(dir.join("cos2_anim_last.png")).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut rgb).unwrap();
    assert_eq!((info.width, info.height), (1000, 450));
    let last = frames.last().unwrap();
    let same = last
        .chunks_exact(4)
        .zip(rgb.chunks_exact(3))
        .all(|(a, b)| a[..3] == *b);
    assert!(same, "the still is not the last frame of the GIF");
}

#[test]
fn drawing_the_same_figure_twice_gives_the_same_bytes() {
    let (a, b) = (scratch("twice-a"), scratch("twice-b"));
    let options = |dir: &Path| cos2_anim::Options {
        frames: 3,
        seed: Some(5),
        out: dir.join("x.gif"),
    };
    let (first, second) = (
        cos2_anim::animate(&options(&a)).unwrap(),
        cos2_anim::animate(&options(&b)).unwrap(),
    );
    for (p, q) in first.iter().zip(&second) {
        assert_eq!(
            std::fs::read(p).unwrap(),
            std::fs::read(q).unwrap(),
            "{}",
            p.display()
        );
    }
    std::fs::remove_dir_all(&a).ok();
    std::fs::remove_dir_all(&b).ok();
}

#[test]
fn bad_options_give_errors() {
    let dir = scratch("bad");
    let zero = cos2_anim::Options {
        frames: 0,
        seed: Some(1),
        out: dir.join("x.gif"),
    };
    assert!(cos2_anim::animate(&zero).unwrap_err().contains("--frames"));
    let nowhere = cos2_anim::Options {
        frames: 2,
        seed: Some(1),
        out: dir.join("no/such/dir/x.gif"),
    };
    assert!(cos2_anim::animate(&nowhere)
        .unwrap_err()
        .contains("cannot create"));
    let flags = |args: &[&str]| {
        common::args::Flags::parse(args.iter().map(|s| s.to_string()), &[("frames", "")])
    };
    assert!(flags(&["--bogus", "1"]).is_err());
    assert!(flags(&["--frames"]).is_err());
    assert!(flags(&["--frames", "x"])
        .unwrap()
        .get("frames", 1usize)
        .is_err());
    assert_eq!(flags(&["--frames=7"]).unwrap().get("frames", 1usize), Ok(7));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_gif_palette_has_256_colours_and_maps_each_close_to_itself() {
    use common::gif::{index, palette};
    let p = palette();
    assert_eq!(p.len(), 256 * 3);
    for (i, c) in p.chunks_exact(3).enumerate() {
        let j = index(c[0], c[1], c[2]) as usize;
        let mapped = &p[3 * j..3 * j + 3];
        assert!(
            mapped.iter().zip(c).all(|(a, b)| a.abs_diff(*b) <= 4),
            "colour {i}: {c:?} -> {mapped:?}"
        );
    }
}

#[test]
fn any_colour_maps_within_half_a_cube_step() {
    use common::gif::{index, palette};
    let p = palette();
    for r in (0..=255u8).step_by(5) {
        for g in (0..=255u8).step_by(5) {
            for b in (0..=255u8).step_by(5) {
                let j = index(r, g, b) as usize;
                let mapped = &p[3 * j..3 * j + 3];
                assert!(
                    mapped
                        .iter()
                        .zip([r, g, b])
                        .all(|(a, x)| a.abs_diff(x) <= 26),
                    "{r},{g},{b} -> {mapped:?}"
                );
            }
        }
    }
}

/// The frames of a GIF as a viewer shows them: each frame drawn over the
/// picture so far at its offset, its transparent pixels letting the
/// picture show through. Returns the size, the loop setting and the
/// pictures as RGB.
fn shown_frames(path: &Path) -> ((u16, u16), gif::Repeat, Vec<Vec<u8>>) {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(File::open(path).unwrap()).unwrap();
    let (w, h) = (decoder.width(), decoder.height());
    let mut picture = vec![255u8; usize::from(w) * usize::from(h) * 3];
    let mut frames = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!(frame.dispose, gif::DisposalMethod::Keep);
        let (left, top) = (usize::from(frame.left), usize::from(frame.top));
        for (i, px) in frame.buffer.chunks_exact(4).enumerate() {
            if px[3] == 0 {
                continue;
            }
            let (x, y) = (
                left + i % usize::from(frame.width),
                top + i / usize::from(frame.width),
            );
            let at = 3 * (y * usize::from(w) + x);
            picture[at..at + 3].copy_from_slice(&px[..3]);
        }
        frames.push(picture.clone());
    }
    ((w, h), decoder.repeat(), frames)
}

/// The RGB pixels of a PNG, with its size.
fn png_pixels(path: &Path) -> ((u32, u32), Vec<u8>) {
    let decoder = png::Decoder::new(File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut rgb).unwrap();
    ((info.width, info.height), rgb)
}

#[test]
fn the_parts_animation_shows_every_scheduled_iteration_and_loops() {
    let dir = common::figures_dir();
    let ((w, h), repeat, frames) = shown_frames(&dir.join("parts_anim.gif"));
    assert_eq!((w, h), (1000, 534));
    assert_eq!(repeat, gif::Repeat::Infinite);
    // The start, iterations 1 to 20, every 5th to 100, every 25th to 200.
    let scheduled = (0..=200).filter(|&t| parts_anim::shown(t, 200)).count();
    assert_eq!((scheduled, frames.len()), (41, 41));
    assert!(frames.windows(2).all(|f| f[0] != f[1]));
    let ((pw, ph), still) = png_pixels(&dir.join("parts_anim_last.png"));
    assert_eq!((pw, ph), (1000, 534));
    assert_eq!(
        &still,
        frames.last().unwrap(),
        "the still is not the last frame"
    );
}

#[test]
fn the_matrix_view_shows_the_start_and_60_iterations_and_loops() {
    let dir = common::figures_dir();
    let ((w, h), repeat, frames) = shown_frames(&dir.join("matrix_view.gif"));
    assert_eq!((w, h), (1000, 440));
    assert_eq!(repeat, gif::Repeat::Infinite);
    assert_eq!(frames.len(), 61);
    assert!(frames.windows(2).all(|f| f[0] != f[1]));
    let (_, still) = png_pixels(&dir.join("matrix_view_last.png"));
    assert_eq!(
        &still,
        frames.last().unwrap(),
        "the still is not the last frame"
    );
}

#[test]
fn writing_only_the_changes_shows_the_same_frames() {
    use common::gif::GifWriter;
    let dir = scratch("changes");
    let (w, h) = (13u32, 7u32);
    // Frames that change in places, stay the same, and change everywhere.
    let frame = |t: u32| -> Vec<u8> {
        (0..w * h)
            .flat_map(|i| {
                let v = if t == 3 {
                    200
                } else if i % 11 == t % 4 {
                    40 * t as u8
                } else {
                    255
                };
                [v, if i % 5 == 0 { 0 } else { v }, 255 - v]
            })
            .collect()
    };
    let frames: Vec<Vec<u8>> = [0, 1, 1, 2, 3, 3, 5].map(frame).to_vec();
    let (full, delta) = (dir.join("full.gif"), dir.join("delta.gif"));
    let mut a = GifWriter::create(&full, w, h).unwrap();
    let mut b = GifWriter::create(&delta, w, h).unwrap();
    for f in &frames {
        a.add(f, 10).unwrap();
        b.add_changes(f, 10).unwrap();
    }
    drop((a, b));
    let (_, _, shown) = shown_frames(&delta);
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(File::open(&full).unwrap()).unwrap();
    let mut expected = Vec::new();
    while let Some(f) = decoder.read_next_frame().unwrap() {
        expected.push(
            f.buffer
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect::<Vec<u8>>(),
        );
    }
    assert_eq!(shown, expected);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_parts_animations_reject_bad_options_and_repeat_themselves() {
    let dir = scratch("parts-bad");
    let options = |rank, iterations, out: &str| parts_anim::Options {
        data: parts_anim::Data::Digits,
        rank,
        iterations,
        seed: 3,
        out: dir.join(out),
    };
    let no_iterations = parts_anim::animate(&options(3, 0, "x.gif")).unwrap_err();
    assert!(no_iterations.contains("--iterations"));
    let no_rank = parts_anim::animate(&options(0, 5, "x.gif")).unwrap_err();
    assert!(no_rank.contains("rank"));
    let nowhere = parts_anim::animate(&options(3, 5, "no/such/dir/x.gif")).unwrap_err();
    assert!(nowhere.contains("cannot create"));
    assert!("fish".parse::<parts_anim::Data>().is_err());
    let zero = matrix_view::Options {
        frames: 0,
        seed: 1,
        out: dir.join("m.gif"),
    };
    assert!(matrix_view::animate(&zero)
        .unwrap_err()
        .contains("--frames"));

    // The same options give the same bytes.
    let twice = |name: &str| {
        let first = parts_anim::animate(&options(3, 6, &format!("{name}-a.gif"))).unwrap();
        let second = parts_anim::animate(&options(3, 6, &format!("{name}-b.gif"))).unwrap();
        for (p, q) in first.iter().zip(&second) {
            assert_eq!(std::fs::read(p).unwrap(), std::fs::read(q).unwrap());
        }
    };
    twice("digits");
    let view = |out: &str| matrix_view::Options {
        frames: 3,
        seed: 2,
        out: dir.join(out),
    };
    let (p, q) = (
        matrix_view::animate(&view("a.gif")).unwrap(),
        matrix_view::animate(&view("b.gif")).unwrap(),
    );
    assert_eq!(std::fs::read(&p[0]).unwrap(), std::fs::read(&q[0]).unwrap());
    std::fs::remove_dir_all(&dir).ok();
}

/// The frames of a scrubber's SVG: each frame group's attributes.
fn svg_frames(svg: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    svg.lines()
        .filter(|l| l.starts_with("<g class=\"frame\""))
        .map(|l| attributes(l).1)
        .collect()
}

/// The tag and attributes of the element that `line` opens, and its text.
fn attributes(line: &str) -> (String, std::collections::BTreeMap<String, String>, String) {
    let open_end = line.find('>').unwrap();
    let open = line[1..open_end].trim_end_matches('/');
    let (tag, mut rest) = open.split_once(' ').unwrap_or((open, ""));
    let mut attrs = std::collections::BTreeMap::new();
    while let Some(eq) = rest.find("=\"") {
        let close = eq + 2 + rest[eq + 2..].find('"').unwrap();
        attrs.insert(
            rest[..eq].trim().to_string(),
            rest[eq + 2..close].to_string(),
        );
        rest = &rest[close + 1..];
    }
    let text = line[open_end + 1..]
        .split("</")
        .next()
        .unwrap_or("")
        .to_string();
    (tag.to_string(), attrs, text)
}

/// Each frame of a scrubber's SVG as the elements it draws, in order: its
/// `<use>` of shared runs replaced by what they hold, and the attributes
/// of style groups moved down onto their elements.
fn expand_frames(svg: &str) -> Vec<Vec<String>> {
    use std::collections::BTreeMap;
    type Element = (String, BTreeMap<String, String>, String);
    fn flatten<'a>(
        lines: &mut impl Iterator<Item = &'a str>,
        style: &BTreeMap<String, String>,
    ) -> Vec<Element> {
        let mut out = Vec::new();
        while let Some(line) = lines.next() {
            if line == "</g>" {
                break;
            }
            let (tag, attrs, text) = attributes(line);
            if tag == "g" {
                let mut inner = style.clone();
                inner.extend(attrs);
                out.extend(flatten(lines, &inner));
            } else {
                let mut all = style.clone();
                all.extend(attrs);
                out.push((tag, all, text));
            }
        }
        out
    }
    let show = |(tag, attrs, text): &Element| {
        let attrs: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{tag} {} {text}", attrs.join(" "))
    };
    let mut shared: BTreeMap<String, Vec<Element>> = BTreeMap::new();
    let mut frames = Vec::new();
    let mut lines = svg.lines();
    while let Some(line) = lines.next() {
        let (tag, attrs, _) = attributes(line);
        if tag == "g" && attrs.contains_key("id") && !attrs.contains_key("class") {
            shared.insert(attrs["id"].clone(), flatten(&mut lines, &BTreeMap::new()));
        } else if attrs.get("class").map(String::as_str) == Some("frame") {
            let mut frame = Vec::new();
            for element in flatten(&mut lines, &BTreeMap::new()) {
                if element.0 == "use" {
                    let id = element.1["href"].trim_start_matches('#');
                    frame.extend(shared[id].iter().map(show));
                } else {
                    frame.push(show(&element));
                }
            }
            frames.push(frame);
        }
    }
    frames
}

#[test]
fn a_scrubbers_svg_draws_each_frame_as_drawn() {
    use common::svg::SvgFrames;
    // Frames with the same number of elements, most of them shared, and
    // frames with more and more elements.
    for growing in [false, true] {
        let mut frames = SvgFrames::new("test", (200, 120));
        for t in 0..4usize {
            frames
                .add(t, 10.0 / (t + 1) as f64, |root| {
                    let mut chart = plotters::prelude::ChartBuilder::on(root)
                        .margin(5)
                        .x_label_area_size(20)
                        .y_label_area_size(20)
                        .build_cartesian_2d(0.0..4.0, 0.0..4.0)
                        .map_err(common::plot::fail)?;
                    chart.configure_mesh().draw().map_err(common::plot::fail)?;
                    let n = if growing { t + 1 } else { 3 };
                    let dots = (0..n).map(|i| {
                        let p = (i as f64, if i == 1 { t as f64 } else { 1.0 });
                        plotters::prelude::Circle::new(p, 3, plotters::prelude::BLUE)
                    });
                    chart.draw_series(dots).map_err(common::plot::fail)?;
                    Ok(())
                })
                .unwrap();
        }
        let svg = frames.to_svg();
        assert_eq!(svg.contains("<use "), !growing, "shared runs");
        let expanded = expand_frames(&svg);
        assert_eq!(expanded.len(), 4);
        for (i, frame) in expanded.iter().enumerate() {
            let drawn: Vec<String> = frames
                .frame_elements(i)
                .iter()
                .map(|e| {
                    let (tag, attrs, text) = attributes(e);
                    let attrs: Vec<String> =
                        attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!("{tag} {} {text}", attrs.join(" "))
                })
                .collect();
            let first_difference = frame.iter().zip(&drawn).position(|(a, b)| a != b);
            assert_eq!(
                (frame.len(), first_difference),
                (drawn.len(), None),
                "frame {i} (growing: {growing}): elements, and the first that differs"
            );
        }
        // The frames say their steps and losses; only the last shows.
        let attrs = svg_frames(&svg);
        let losses: Vec<&str> = attrs.iter().map(|a| a["data-loss"].as_str()).collect();
        assert_eq!(losses, ["10.00", "5.000", "3.333", "2.500"]);
        let shown: Vec<bool> = attrs.iter().map(|a| !a.contains_key("display")).collect();
        assert_eq!(shown, [false, false, false, true]);
    }
}

/// The committed SVG of a scrubber, checked as the book includes it: in
/// a script element inside a block of HTML in a Markdown page.
fn scrubber_svg(file: &str, chapter: &str) -> String {
    let svg = std::fs::read_to_string(common::figures_dir().join(file)).unwrap();
    // What a reader's browser fetches for the scrubber: its frames, and
    // the font their text is set in (shared by all scrubbers).
    let font = common::figures_dir().join("../font/DejaVuSans.ttf");
    let size = svg.len() as u64 + std::fs::metadata(font).unwrap().len();
    assert!(
        size < 2_000_000,
        "{file}: {size} bytes with its font, over 2 MB"
    );
    assert!(
        !svg.lines().any(|l| l.trim().is_empty()),
        "{file}: a blank line ends the HTML block"
    );
    assert!(
        !svg.contains("</script"),
        "{file}: would end its script element"
    );
    assert!(!svg.contains('$'), "{file}: the math preprocessor reads $");
    let page = std::fs::read_to_string(common::figures_dir().join("..").join(chapter)).unwrap();
    let include = format!("{{{{#include figures/{file}}}}}");
    let at = page
        .find(&include)
        .unwrap_or_else(|| panic!("{chapter} does not include {file}"));
    let before = &page[..at];
    let scrubber = before.rfind("<div class=\"scrubber\"").unwrap();
    assert!(
        before[scrubber..].ends_with("<script type=\"image/svg+xml\" class=\"scrubber-source\">\n"),
        "{chapter}: {file} is not in a scrubber's script element"
    );
    assert!(
        !page[scrubber..at].contains("\n\n"),
        "{chapter}: a blank line in the scrubber"
    );
    svg
}

#[test]
fn the_cos2_scrubber_shows_every_iteration_and_its_loss() {
    let svg = scrubber_svg("cos2_anim.svg", "ch07-watching-nmf-learn.md");
    let frames = svg_frames(&svg);
    let (_, gif) = gif_frames(&common::figures_dir().join("cos2_anim.gif"));
    assert_eq!(frames.len(), gif.len());
    let (y, nmf) = cos2_anim::experiment(None);
    let losses = nmf.max_iter(50).fit(&y).unwrap().losses;
    for (t, frame) in frames.iter().enumerate() {
        assert_eq!(frame["data-t"], t.to_string());
        assert_eq!(frame["data-frame"], t.to_string());
        assert_eq!(frame["data-loss"], common::svg::significant(losses[t], 4));
    }
    assert_eq!(frames[50]["data-loss"], "0.3930");
}

#[test]
fn the_parts_scrubber_shows_the_gifs_iterations_and_their_losses() {
    let svg = scrubber_svg("parts_anim.svg", "ch10-learning-parts.md");
    let frames = svg_frames(&svg);
    let steps: Vec<usize> = (0..=200).filter(|&t| parts_anim::shown(t, 200)).collect();
    let ts: Vec<usize> = frames
        .iter()
        .map(|f| f["data-t"].parse().unwrap())
        .collect();
    assert_eq!(ts, steps);
    let fit = nmf_core::Nmf::new(17)
        .max_iter(200)
        .tol(0.0)
        .seed(0)
        .fit(&nmf_core::datasets::swimmer())
        .unwrap();
    for (t, frame) in steps.iter().zip(&frames) {
        assert_eq!(
            frame["data-loss"],
            common::svg::significant(fit.losses[*t], 4)
        );
    }
    // The images are embedded, not linked: the book stays one folder.
    assert!(svg.contains("href=\"data:image/png;base64,"));
    assert!(!svg.contains("href=\"http"));
}

#[test]
fn the_jensen_scrubber_steps_down_d() {
    let svg = scrubber_svg("jensen_bound_steps.svg", "ch03-jensen.md");
    let frames = svg_frames(&svg);
    assert_eq!(frames.len(), jensen_bound::STEPS + 1);
    let (y, h, w12) = jensen_bound::problem();
    let iterates = jensen_bound::mm_steps(0.15, jensen_bound::STEPS).unwrap();
    let mut before = f64::INFINITY;
    for (t, frame) in frames.iter().enumerate() {
        let w = nmf_core::nalgebra::DMatrix::from_row_slice(1, 2, &[iterates[t], w12]);
        let d = nmf_core::loss(&y, &w, &h).unwrap();
        assert_eq!(frame["data-t"], t.to_string());
        assert_eq!(frame["data-loss"], common::svg::significant(d, 4));
        assert!(d < before, "step {t} does not lower D");
        before = d;
    }
    assert_eq!(frames[0]["data-loss"], "3.114");
}

#[test]
fn the_books_font_is_the_examples_font() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["DejaVuSans.ttf", "LICENSE"] {
        let book = std::fs::read(root.join("src/font").join(file)).unwrap();
        let examples = std::fs::read(root.join("examples/common/font").join(file)).unwrap();
        assert!(
            book == examples,
            "src/font/{file} is not examples/common/font/{file}"
        );
    }
    // The SVGs ask for it by the name the book's stylesheet gives it.
    let css = std::fs::read_to_string(root.join("theme/scrubber.css")).unwrap();
    assert!(css.contains("font-family: 'NMF DejaVu Sans'"));
    assert!(css.contains("url('../font/DejaVuSans.ttf')"));
    assert!(common::svg::FONT_FAMILY.starts_with("'NMF DejaVu Sans'"));
}
