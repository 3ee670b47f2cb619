//! Progress of a long animation on stderr, `frame t of T` on one line
//! rewritten in place: only when stderr is a terminal, and only once the
//! run looks like taking more than about two seconds.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Runs projected to take longer than this show their progress.
pub const SHOW_AFTER: Duration = Duration::from_secs(2);

/// Whether a run that has done `t` of `total` steps in `elapsed` should
/// show its progress: when the steps so far project a run longer than
/// [`SHOW_AFTER`], or when it has already taken that long.
pub fn worth_showing(elapsed: Duration, t: usize, total: usize) -> bool {
    if elapsed >= SHOW_AFTER {
        return true;
    }
    t > 0 && elapsed.as_secs_f64() * total as f64 / t as f64 > SHOW_AFTER.as_secs_f64()
}

/// The progress of one run of steps `0..=total`.
struct Run {
    what: &'static str,
    total: usize,
    start: Instant,
    last: usize,
    shown: bool,
    printed: Option<Instant>,
}

thread_local! {
    static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
}

/// Says that step `t` of `0..=total` is done, `what` naming a step
/// ("frame", "iteration"). Step 0 (or a new `what` or `total`, or a step
/// before the last) starts a new run; step `total` ends it and clears
/// the line.
pub fn step(what: &'static str, t: usize, total: usize) {
    let stderr = std::io::stderr();
    if !stderr.is_terminal() {
        return;
    }
    RUN.with_borrow_mut(|run| {
        let fresh = match run {
            Some(r) => t == 0 || t < r.last || r.what != what || r.total != total,
            None => true,
        };
        if fresh {
            *run = Some(Run {
                what,
                total,
                start: Instant::now(),
                last: t,
                shown: false,
                printed: None,
            });
        }
        let r = run.as_mut().expect("set above");
        r.last = t;
        r.shown = r.shown || worth_showing(r.start.elapsed(), t, total);
        if r.shown {
            let mut err = stderr.lock();
            if t >= total {
                // Clear the line for what the example prints next.
                let _ = write!(err, "\r\x1b[2K");
            } else if r
                .printed
                .is_none_or(|p| p.elapsed() >= Duration::from_millis(100))
            {
                r.printed = Some(Instant::now());
                let _ = write!(err, "\r{what} {t} of {total}");
            }
            let _ = err.flush();
        }
        if t >= total {
            *run = None;
        }
    });
}
