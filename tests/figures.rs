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
    ("jensen_bound", |dir| jensen_bound::FIGURE.write_into(dir)),
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
