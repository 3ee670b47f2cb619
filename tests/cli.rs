//! The examples as command-line programs: `--help` prints the usage and
//! exits 0, an unknown flag is named as such, an absurd count is refused
//! with its limit before any work, and a long run shows its progress.
//!
//! The parser and the progress rule are tested as functions; a few runs
//! of the example programs themselves check the exit codes and streams.

#[allow(dead_code)]
#[path = "../examples/common/args.rs"]
mod args;
#[allow(dead_code)]
#[path = "../examples/common/progress.rs"]
mod progress;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use args::{Flags, Parsed, MAX_FRAMES};

const ALLOWED: &[(&str, &str)] = &[("frames", "frames to draw"), ("out", "where")];

fn parse(args: &[&str]) -> Result<Parsed, String> {
    Flags::parse_or_help(args.iter().map(|s| s.to_string()), ALLOWED)
}

fn flags(args: &[&str]) -> Flags {
    match parse(args) {
        Ok(Parsed::Run(flags)) => flags,
        other => panic!("{args:?} gave {other:?}"),
    }
}

#[test]
fn help_and_h_give_the_usage_wherever_they_stand() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["--frames", "3", "--help"],
        &["--help", "--bogus"],
    ] {
        match parse(args) {
            Ok(Parsed::Help(usage)) => {
                assert!(usage.starts_with("usage: "), "{usage}");
                assert!(
                    usage.contains("--frames <value>  frames to draw"),
                    "{usage}"
                );
                assert!(usage.contains("-h, --help"), "{usage}");
            }
            other => panic!("{args:?} gave {other:?}"),
        }
    }
}

#[test]
fn an_unknown_flag_is_unknown_with_or_without_a_value() {
    for args in [&["--bogus"][..], &["--bogus", "1"], &["--bogus=1"]] {
        let e = parse(args).unwrap_err();
        assert!(e.starts_with("unknown flag --bogus\n"), "{args:?}: {e}");
        assert!(!e.contains("needs a value"), "{args:?}: {e}");
        assert!(e.contains("usage: "), "{args:?}: {e}");
    }
    let e = parse(&["frames"]).unwrap_err();
    assert!(e.starts_with("unexpected argument `frames`"), "{e}");
}

#[test]
fn a_known_flag_without_a_value_needs_one() {
    for args in [&["--frames"][..], &["--frames", "--out", "x.gif"]] {
        assert_eq!(
            parse(args).unwrap_err(),
            "--frames needs a value",
            "{args:?}"
        );
    }
    let f = flags(&["--frames=7", "--out", "x.gif"]);
    assert_eq!(f.get("frames", 1usize), Ok(7));
    assert_eq!(f.get("out", String::new()), Ok("x.gif".to_string()));
}

#[test]
fn counts_are_whole_numbers_from_1_to_the_limit() {
    let count = |v: &str| flags(&["--frames", v]).get_count("frames", 50, MAX_FRAMES);
    assert_eq!(flags(&[]).get_count("frames", 50, MAX_FRAMES), Ok(50));
    assert_eq!(count("1"), Ok(1));
    assert_eq!(count(&MAX_FRAMES.to_string()), Ok(MAX_FRAMES));
    let limit = format!("the limit is {MAX_FRAMES}");
    for absurd in [
        (MAX_FRAMES + 1).to_string(),
        "1000000000000000000".to_string(),
        "100000000000000000000000000".to_string(),
    ] {
        let e = count(&absurd).unwrap_err();
        assert_eq!(e, format!("--frames {absurd} is too many: {limit}"));
    }
    assert_eq!(count("0").unwrap_err(), "--frames must be at least 1");
    for bad in ["x", "-3", "2.5", ""] {
        let e = count(bad).unwrap_err();
        assert!(e.contains("is not a whole number from 1 to"), "{bad}: {e}");
    }
}

#[test]
fn progress_shows_for_runs_projected_past_two_seconds() {
    let ms = Duration::from_millis;
    // The default animation: 50 frames of about 10 ms.
    assert!(!progress::worth_showing(ms(10), 1, 50));
    assert!(!progress::worth_showing(ms(400), 40, 50));
    // --frames 2000 at the same speed: about 20 s.
    assert!(progress::worth_showing(ms(10), 1, 2000));
    // Nothing done yet says nothing; two seconds gone says enough.
    assert!(!progress::worth_showing(ms(0), 0, 1_000_000));
    assert!(progress::worth_showing(ms(2_100), 99, 100));
}

/// The built example `name`: `cargo test` builds the examples beside the
/// tests; when they are not there (`cargo test --test cli`), cargo builds
/// this one.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        let mut cargo = Command::new(env!("CARGO"));
        cargo.args(["build", "--quiet", "--example", name]);
        if !cfg!(debug_assertions) {
            cargo.arg("--release");
        }
        let status = cargo
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "cargo build --example {name} failed");
    }
    assert!(path.is_file(), "no example at {}", path.display());
    path
}

/// Runs an example with `args`; fails if it takes more than 30 s.
fn run(name: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out_dir = std::env::temp_dir().join(format!("nmf-cli-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut child = Command::new(example(name))
        .args(args)
        // Should a run begin after all, it writes here, not into the book.
        .arg(format!("--out={}", out_dir.join("x.gif").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().ok();
            panic!("{name} {args:?} ran for 30 s instead of answering at once");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    std::fs::remove_dir_all(&out_dir).ok();
    (
        status.code(),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

#[test]
fn the_examples_answer_help_unknown_flags_and_absurd_counts() {
    for help in ["--help", "-h"] {
        let (code, stdout, stderr) = run("cos2_anim", &[help]);
        assert_eq!(code, Some(0), "{help}: {stderr}");
        assert!(stdout.starts_with("usage: cos2_anim [flags]"), "{stdout}");
        assert!(stdout.contains("--frames <value>"), "{stdout}");
        assert_eq!(stderr, "");
    }

    let (code, stdout, stderr) = run("cos2_anim", &["--bogus"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("error: unknown flag --bogus\n"),
        "{stderr}"
    );
    assert_eq!(stdout, "");

    let absurd = "1000000000000000000";
    let limit = format!("is too many: the limit is {MAX_FRAMES}");
    for (name, flag) in [
        ("cos2_anim", "--frames"),
        ("matrix_view", "--frames"),
        ("parts_anim", "--iterations"),
    ] {
        let (code, stdout, stderr) = run(name, &[flag, absurd]);
        assert_eq!(code, Some(1), "{name}: {stdout}{stderr}");
        assert!(
            stderr.contains(&format!("{flag} {absurd} is too many")),
            "{name}: {stderr}"
        );
        if flag == "--frames" {
            assert!(stderr.contains(&limit), "{name}: {stderr}");
        }
    }
}
