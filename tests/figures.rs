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
#[path = "../examples/jensen_bound.rs"]
mod jensen_bound;
#[allow(dead_code)]
#[path = "../examples/linear_2d.rs"]
mod linear_2d;
#[allow(dead_code)]
#[path = "../examples/loss_curve.rs"]
mod loss_curve;
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
const EXAMPLES: [(&str, Draw); 8] = [
    ("cos2_anim", cos2_anim::draw),
    ("cos2_ranks", |dir| cos2_ranks::FIGURE.write_into(dir)),
    ("jensen_bound", |dir| jensen_bound::FIGURE.write_into(dir)),
    ("linear_2d", |dir| linear_2d::FIGURE.write_into(dir)),
    ("loss_curve", |dir| loss_curve::FIGURE.write_into(dir)),
    ("shapes", |dir| shapes::FIGURE.write_into(dir)),
    ("hals_race", |dir| hals_race::FIGURE.write_into(dir)),
    ("speed_stages", |dir| speed_stages::FIGURE.write_into(dir)),
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
