//! A tiny parser for `--name value` and `--name=value` flags, with
//! `--help`.

use std::collections::HashMap;
use std::str::FromStr;

/// The most frames an animation draws: about a minute of drawing and a
/// GIF of about 100 MB at the book's sizes.
pub const MAX_FRAMES: usize = 5_000;

/// The flags given on the command line, checked against the ones allowed.
#[derive(Debug)]
pub struct Flags {
    values: HashMap<String, String>,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// A run, with these flags.
    Run(Flags),
    /// The usage, and nothing else.
    Help(String),
}

/// The usage of a program called `program` that takes the flags `allowed`.
pub fn usage(program: &str, allowed: &[(&str, &str)]) -> String {
    let mut rows: Vec<(String, &str)> = allowed
        .iter()
        .map(|(name, description)| (format!("--{name} <value>"), *description))
        .collect();
    rows.push(("-h, --help".into(), "print this and exit"));
    let width = rows.iter().map(|(flag, _)| flag.len()).max().unwrap_or(0);
    let lines: Vec<String> = rows
        .iter()
        .map(|(flag, description)| format!("  {flag:<width$}  {description}"))
        .collect();
    format!("usage: {program} [flags]\n\nflags:\n{}", lines.join("\n"))
}

/// This program's name, as the usage shows it.
fn program() -> String {
    let arg0 = std::env::args().next().unwrap_or_default();
    std::path::Path::new(&arg0)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("example")
        .to_string()
}

impl Flags {
    /// Parses `args` (without the program name). `allowed` lists the flag
    /// names without dashes, with a short description for `--help`. On
    /// `--help` or `-h`, prints the usage and exits with code 0.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        allowed: &[(&str, &str)],
    ) -> Result<Flags, String> {
        match Flags::parse_or_help(args, allowed)? {
            Parsed::Run(flags) => Ok(flags),
            Parsed::Help(usage) => {
                println!("{usage}");
                std::process::exit(0);
            }
        }
    }

    /// Parses `args` as [`Flags::parse`] does, but returns the usage for
    /// `--help` instead of printing it.
    pub fn parse_or_help(
        args: impl IntoIterator<Item = String>,
        allowed: &[(&str, &str)],
    ) -> Result<Parsed, String> {
        let usage = || usage(&program(), allowed);
        let mut values = HashMap::new();
        let mut args = args.into_iter().peekable();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Ok(Parsed::Help(usage()));
            }
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument `{arg}`\n\n{}", usage()));
            };
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            if !allowed.iter().any(|(n, _)| *n == name) {
                return Err(format!("unknown flag --{name}\n\n{}", usage()));
            }
            let value = match value {
                Some(v) => v,
                // The next argument, unless it is the next flag.
                None => args
                    .next_if(|next| !next.starts_with("--"))
                    .ok_or_else(|| format!("--{name} needs a value"))?,
            };
            values.insert(name.to_string(), value);
        }
        Ok(Parsed::Run(Flags { values }))
    }

    /// The value of `--name`, parsed, or `default` when it is not given.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        Ok(self.get_opt(name)?.unwrap_or(default))
    }

    /// The value of `--name`, parsed, or `None` when it is not given.
    pub fn get_opt<T: FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.values
            .get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("--{name}: `{v}` is not a valid value"))
            })
            .transpose()
    }

    /// The value of `--name`, a whole number from 1 to `max`, or `default`
    /// when it is not given.
    pub fn get_count(&self, name: &str, default: usize, max: usize) -> Result<usize, String> {
        let Some(v) = self.values.get(name) else {
            return Ok(default);
        };
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        match v.parse::<usize>() {
            Ok(0) => Err(format!("--{name} must be at least 1")),
            Ok(n) if n <= max => Ok(n),
            // Too large, even for a usize.
            _ if digits => Err(format!("--{name} {v} is too many: the limit is {max}")),
            _ => Err(format!(
                "--{name}: `{v}` is not a whole number from 1 to {max}"
            )),
        }
    }
}

/// Runs an example's `main` body and turns an error into a message on
/// stderr and exit code 1.
pub fn run(body: impl FnOnce() -> Result<(), String>) {
    if let Err(e) = body() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
