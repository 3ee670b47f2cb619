//! The data sets of the book's experiments (chapters 6 and 7), so that the
//! examples that draw them and the snippets that check the numbers in the
//! text see the same points: the original article's own data and start
//! ([`article_cos2`]), and seeded generators of the same kind ([`cos2`],
//! [`line()`]).

use nalgebra::DMatrix;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Draws from U(low, high) and from N(0, σ²) on one portable stream.
struct Stream(ChaCha8Rng);

impl Stream {
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.0.random::<f64>()
    }

    /// One standard normal draw by the Box–Muller transform.
    fn normal(&mut self, sigma: f64) -> f64 {
        let u1 = 1.0 - self.0.random::<f64>(); // in (0, 1], so ln is finite
        let u2 = self.0.random::<f64>();
        sigma * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// `m` points (x, y) as the rows of an m × 2 matrix, with x drawn from
/// U(`x_low`, `x_high`) and y = f(x) + N(0, σ²), clamped at 0 so that the
/// data stay non-negative. For each point, x is drawn, then its noise.
fn curve(
    m: usize,
    seed: u64,
    (x_low, x_high): (f64, f64),
    sigma: f64,
    f: impl Fn(f64) -> f64,
) -> DMatrix<f64> {
    let mut stream = Stream(ChaCha8Rng::seed_from_u64(seed));
    let mut y = DMatrix::zeros(m, 2);
    for row in 0..m {
        let x = stream.uniform(x_low, x_high);
        y[(row, 0)] = x;
        y[(row, 1)] = (f(x) + stream.normal(sigma)).max(0.0);
    }
    y
}

/// The data of chapter 7: `m` points with x ~ U(0.2, 4.2) and
/// y = cos²x + 1 + N(0, 0.1²).
///
/// ```
/// let y = nmf_core::datasets::cos2(80, 32);
/// assert_eq!(y.shape(), (80, 2));
/// assert!(y.column(0).iter().all(|x| (0.2..4.2).contains(x)));
/// ```
pub fn cos2(m: usize, seed: u64) -> DMatrix<f64> {
    curve(m, seed, (0.2, 4.2), 0.1, |x| x.cos().powi(2) + 1.0)
}

/// The data of chapter 6: `m` points around the line y = 0.5 x + 1, with
/// x ~ U(0, 4) and noise N(0, 0.2²).
///
/// ```
/// let y = nmf_core::datasets::line(80, 1);
/// assert_eq!(y.shape(), (80, 2));
/// assert!(y.iter().all(|v| *v >= 0.0));
/// ```
pub fn line(m: usize, seed: u64) -> DMatrix<f64> {
    curve(m, seed, (0.0, 4.0), 0.2, |x| 0.5 * x + 1.0)
}

/// The original article's experiment (chapter 7): its data Y (80 × 2), its
/// start W⁰ (80 × 2) and H⁰ (2 × 2), as recorded from a run of its NumPy
/// script (`data/README.md`). The numbers are embedded in the crate
/// (`data/`, with their source); replaying the script's loop from them
/// reproduces its iterates (`tests/fixtures.rs`).
///
/// ```
/// let (y, w0, h0) = nmf_core::datasets::article_cos2();
/// assert_eq!((y.shape(), w0.shape(), h0.shape()), ((80, 2), (80, 2), (2, 2)));
/// assert!(y.column(0).iter().all(|x| (0.2..4.2).contains(x)));
/// ```
pub fn article_cos2() -> (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>) {
    (
        embedded(include_str!("../data/article_cos2_Y.csv")),
        embedded(include_str!("../data/article_cos2_W0.csv")),
        embedded(include_str!("../data/article_cos2_H0.csv")),
    )
}

/// A matrix from comma-separated rows. Only for the files embedded above,
/// which the tests read back, so a malformed number is a bug of the crate.
fn embedded(text: &str) -> DMatrix<f64> {
    let rows: Vec<Vec<f64>> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.split(',')
                .map(|v| v.trim().parse().expect("embedded data are numbers"))
                .collect()
        })
        .collect();
    let cols = rows.first().map_or(0, Vec::len);
    DMatrix::from_row_iterator(rows.len(), cols, rows.into_iter().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_data_are_whole_and_non_negative() {
        let (y, w0, h0) = article_cos2();
        assert_eq!((y.len(), w0.len(), h0.len()), (160, 160, 4));
        let all = y.iter().chain(w0.iter()).chain(h0.iter());
        assert!(all.copied().all(|v| v.is_finite() && v > 0.0));
        // The first row of each file, as written there.
        assert_eq!(
            (y[(0, 0)], y[(0, 1)]),
            (3.635557069172159, 1.8750758598005226)
        );
        assert_eq!(w0[(0, 0)], 0.858_889_267_293_039_7);
        assert_eq!(h0[(1, 1)], 0.789_230_972_724_545_9);
    }
}
