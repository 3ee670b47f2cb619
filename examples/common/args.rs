//! A tiny parser for `--name value` and `--name=value` flags.

use std::collections::HashMap;
use std::str::FromStr;

/// The flags given on the command line, checked against the ones allowed.
pub struct Flags {
    values: HashMap<String, String>,
}

impl Flags {
    /// Parses `args` (without the program name). `allowed` lists the flag
    /// names without dashes, with a short description for `--help`.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        allowed: &[(&str, &str)],
    ) -> Result<Flags, String> {
        let usage = || {
            let lines: Vec<String> = allowed
                .iter()
                .map(|(n, d)| format!("  --{n} <value>  {d}"))
                .collect();
            format!("flags:\n{}", lines.join("\n"))
        };
        let mut values = HashMap::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Err(usage());
            }
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument `{arg}`\n{}", usage()));
            };
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let value = args
                        .next()
                        .ok_or_else(|| format!("--{flag} needs a value"))?;
                    (flag.to_string(), value)
                }
            };
            if !allowed.iter().any(|(n, _)| *n == name) {
                return Err(format!("unknown flag --{name}\n{}", usage()));
            }
            values.insert(name, value);
        }
        Ok(Flags { values })
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
}

/// Runs an example's `main` body and turns an error into a message on
/// stderr and exit code 1.
pub fn run(body: impl FnOnce() -> Result<(), String>) {
    if let Err(e) = body() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
