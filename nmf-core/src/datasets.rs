//! The data sets of the book's experiments (chapters 6 and 7), so that the
//! examples that draw them and the snippets that check the numbers in the
//! text see the same points: the original article's own data and start
//! ([`article_cos2`]), and seeded generators of the same kind ([`cos2`],
//! [`line()`]). Chapter 8's data come from [`noisy_product`], and
//! chapter 9's corpus of word counts is [`word_counts`]. Chapter 10's
//! images are the [`swimmer`], drawn here from its known parts
//! ([`swimmer_parts`]), and the handwritten [`digits`], embedded from
//! `data/digits.bin`.

use nalgebra::DMatrix;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Draws from U(low, high), from N(0, σ²) and Poisson counts on one
/// portable stream.
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

    // ANCHOR: poisson
    /// One Poisson draw with mean `mean` ≥ 0. Knuth's method multiplies
    /// uniforms u in (0, 1] until the product falls to e^(−mean) or below,
    /// and counts the factors before that: the count is Poisson. It takes
    /// about mean + 1 uniforms, and e^(−mean) must not underflow, so a
    /// larger mean is cut into parts of at most 30, each drawn on its own:
    /// a sum of independent Poisson counts is Poisson with the sum of
    /// their means.
    fn poisson(&mut self, mean: f64) -> f64 {
        let mut left = mean;
        let mut count = 0u64;
        while left > 0.0 {
            let part = left.min(30.0);
            left -= part;
            let limit = (-part).exp();
            let mut product = 1.0 - self.0.random::<f64>();
            while product > limit {
                count += 1;
                product *= 1.0 - self.0.random::<f64>();
            }
        }
        count as f64
    }
    // ANCHOR_END: poisson
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

/// The corpus of chapter 9: word counts Y (60 documents × 30 words) drawn
/// from 3 topics, with the truth they were drawn from, as (Y, W, H).
///
/// Each row of H (3 × 30) is a topic, a distribution over the words: the
/// first 3 words are common to all topics and take half of each topic's
/// mass, 1/6 each; topic k spreads the other half evenly over 9 words of
/// its own, words 3 + 9k to 11 + 9k (from 0), 1/18 each. Row d of W (60 × 3) is the
/// length of document d times its mix of topics: 0.8 of its own topic
/// (documents 0–19 topic 0, 20–39 topic 1, 40–59 topic 2) and 0.2 spread
/// over the three in proportion to uniforms on (0, 1]. Documents of
/// topics 0 and 1 are long, 300 to 600 words; those of topic 2 are short,
/// 15 to 30 words. Each count y_mn is a Poisson draw with mean (WH)_mn.
/// Everything comes from ChaCha8 seeded by `seed`: for each document its
/// three uniforms and its length, then the counts column by column.
///
/// ```
/// let (y, w, h) = nmf_core::datasets::word_counts(9);
/// assert_eq!((y.shape(), w.shape(), h.shape()), ((60, 30), (60, 3), (3, 30)));
/// assert!(y.iter().all(|c| *c >= 0.0 && c.fract() == 0.0));
/// assert!(h.row_iter().all(|topic| (topic.sum() - 1.0).abs() < 1e-12));
/// ```
pub fn word_counts(seed: u64) -> (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>) {
    let (docs, words, topics, common, own) = (60, 30, 3, 3, 9);
    let mut h = DMatrix::zeros(topics, words);
    for k in 0..topics {
        for n in 0..common {
            h[(k, n)] = 0.5 / common as f64;
        }
        for n in 0..own {
            h[(k, common + own * k + n)] = 0.5 / own as f64;
        }
    }
    let mut stream = Stream(ChaCha8Rng::seed_from_u64(seed));
    let mut w = DMatrix::zeros(docs, topics);
    for d in 0..docs {
        let topic = d / 20;
        let u: Vec<f64> = (0..topics)
            .map(|_| 1.0 - stream.0.random::<f64>())
            .collect();
        let total: f64 = u.iter().sum();
        let length = if topic < 2 {
            stream.uniform(300.0, 600.0)
        } else {
            stream.uniform(15.0, 30.0)
        };
        for (k, u) in u.iter().enumerate() {
            let own_share = if k == topic { 0.8 } else { 0.0 };
            w[(d, k)] = length * (own_share + 0.2 * u / total);
        }
    }
    let mean = &w * &h;
    let y = mean.map(|mu| stream.poisson(mu));
    (y, w, h)
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

/// The data of chapter 8: an m × n noisy product of rank `r`,
/// Y = max(0, AB + N(0, σ²)). Each entry of A (m × r) and of B (r × n)
/// is non-zero with probability `density`, and then uniform on (0, 1), so
/// that each row of B is a "part" that only some rows of Y contain. Drawn
/// from ChaCha8 seeded by `seed`: A row by row, then B row by row (for
/// each entry, whether it is non-zero, then its value), then the noise
/// row by row.
///
/// ```
/// let y = nmf_core::datasets::noisy_product(60, 40, 10, 0.2, 0.02, 1);
/// assert_eq!(y.shape(), (60, 40));
/// assert!(y.iter().all(|v| *v >= 0.0));
/// ```
pub fn noisy_product(
    m: usize,
    n: usize,
    r: usize,
    density: f64,
    sigma: f64,
    seed: u64,
) -> DMatrix<f64> {
    let mut stream = Stream(ChaCha8Rng::seed_from_u64(seed));
    let mut sparse = |rows: usize, cols: usize| {
        let mut x = DMatrix::zeros(rows, cols);
        for i in 0..rows {
            for j in 0..cols {
                let on = stream.uniform(0.0, 1.0) < density;
                let value = stream.uniform(0.0, 1.0);
                x[(i, j)] = if on { value } else { 0.0 };
            }
        }
        x
    };
    let (a, b) = (sparse(m, r), sparse(r, n));
    let mut y = a * b;
    for i in 0..m {
        for j in 0..n {
            y[(i, j)] = (y[(i, j)] + stream.normal(sigma)).max(0.0);
        }
    }
    y
}

// ANCHOR: swimmer
/// Side of a swimmer image: each image is 32 × 32 pixels, stored row by
/// row as one row of 1024 entries (pixel (r, c) is entry 32 r + c).
pub const SWIMMER_SIDE: usize = 32;

/// Where each limb joins the torso, as (row, column), and which way its
/// column runs as it moves out from the body: the arms, then the legs,
/// each on the image's left, then right.
const JOINTS: [(i32, i32, i32); 4] = [(8, 14, -1), (8, 17, 1), (23, 14, -1), (23, 17, 1)];

/// The four positions of an arm and of a leg, as steps (rows, columns
/// outwards) from the joint: arms up, up and out, out, down and out;
/// legs down, down and out, out, up and out.
const ARM: [(i32, i32); 4] = [(-1, 0), (-1, 1), (0, 1), (1, 1)];
const LEG: [(i32, i32); 4] = [(1, 0), (1, 1), (0, 1), (-1, 1)];

/// Pixels along a limb, counted from the joint (which belongs to the torso).
const LIMB_LENGTH: i32 = 7;

/// The 17 parts of the swimmer and the weights that make its 256 images
/// (chapter 10), as (W, H) with `swimmer() == W * H`.
///
/// Donoho and Stodden (2003) describe a "swimmer": a torso with four
/// limbs, each limb in one of four positions, in every one of the
/// 4⁴ = 256 combinations. These images follow that description; their
/// pixels are drawn here, for this book. The torso is a bar two pixels
/// wide, rows 8 to 23 of columns 15 and 16, with one pixel at each of the
/// four joints beside its ends (36 pixels). Each limb is a line of 7
/// pixels from its joint: an arm points up, up and out at 45°, out, or
/// down and out at 45°; a leg points down, down and out, out, or up and
/// out. No pixel belongs to two parts.
///
/// H (17 × 1024, entries 0 or 1): row 4l + p is limb l in position p,
/// with limbs l = 0, 1, 2, 3 the arm on the image's left, the arm on its
/// right, the left leg and the right leg, and positions p = 0..3 in the
/// order above; row 16 is the torso. W (256 × 17, entries 0 or 1): image
/// m = 64 p₀ + 16 p₁ + 4 p₂ + p₃ has its limbs l in positions p_l, so
/// row m of W has a 1 in columns 4l + p_l and in column 16.
///
/// ```
/// let (w, h) = nmf_core::datasets::swimmer_parts();
/// assert_eq!((w.shape(), h.shape()), ((256, 17), (17, 1024)));
/// // Each image: the torso (36 pixels) and four limbs of 7.
/// assert!((w * h).row_iter().all(|r| r.sum() == 36.0 + 4.0 * 7.0));
/// ```
pub fn swimmer_parts() -> (DMatrix<f64>, DMatrix<f64>) {
    let side = SWIMMER_SIDE as i32;
    let mut h = DMatrix::zeros(17, SWIMMER_SIDE * SWIMMER_SIDE);
    let mut light = |part: usize, (r, c): (i32, i32)| {
        debug_assert!((0..side).contains(&r) && (0..side).contains(&c));
        h[(part, (r * side + c) as usize)] = 1.0;
    };
    for r in 8..=23 {
        light(16, (r, 15));
        light(16, (r, 16));
    }
    for (limb, &(r0, c0, out)) in JOINTS.iter().enumerate() {
        light(16, (r0, c0));
        let steps = if limb < 2 { ARM } else { LEG };
        for (p, (dr, dc)) in steps.into_iter().enumerate() {
            for d in 1..=LIMB_LENGTH {
                light(4 * limb + p, (r0 + d * dr, c0 + d * dc * out));
            }
        }
    }
    let w = DMatrix::from_fn(256, 17, |m, k| {
        let on = k == 16 || (0..4).any(|l| k == 4 * l + (m >> (2 * (3 - l))) % 4);
        if on {
            1.0
        } else {
            0.0
        }
    });
    (w, h)
}
// ANCHOR_END: swimmer

/// The swimmer images of chapter 10: Y, 256 × 1024, one 32 × 32 image per
/// row (pixel (r, c) in column 32 r + c), entries 0 or 1. It is W H for
/// the parts and weights of [`swimmer_parts`], which describes the images.
/// Deterministic: no randomness and no file.
///
/// ```
/// let y = nmf_core::datasets::swimmer();
/// assert_eq!(y.shape(), (256, 1024));
/// assert!(y.iter().all(|v| *v == 0.0 || *v == 1.0));
/// ```
pub fn swimmer() -> DMatrix<f64> {
    let (w, h) = swimmer_parts();
    w * h
}

/// Bytes per image in `data/digits.bin`: 64 pixels, then the digit.
const DIGIT_RECORD: usize = 65;

/// The 8 × 8 handwritten digits of chapter 10, as (Y, labels): Y is
/// 1797 × 64, one image per row, its 8 rows of pixels one after another
/// (pixel (r, c) in column 8 r + c), each an integer from 0 to 16; label m
/// is the digit (0 to 9) that image m shows.
///
/// These are the test set of the UCI data set "Optical Recognition of
/// Handwritten Digits" (Alpaydin and Kaynak, 1998; CC BY 4.0), the copy
/// that scikit-learn ships as `digits.csv.gz`, embedded in the crate from
/// `data/digits.bin`, one byte per number; `data/README.md` gives the
/// source, the licence and how the file was made and checked.
///
/// ```
/// let (y, labels) = nmf_core::datasets::digits();
/// assert_eq!((y.shape(), labels.len()), ((1797, 64), 1797));
/// assert!(y.iter().all(|v| (0.0..=16.0).contains(v) && v.fract() == 0.0));
/// assert_eq!(labels[..5], [0, 1, 2, 3, 4]);
/// ```
pub fn digits() -> (DMatrix<f64>, Vec<u8>) {
    static BYTES: &[u8] = include_bytes!("../data/digits.bin");
    let records = BYTES.len() / DIGIT_RECORD;
    let y = DMatrix::from_fn(records, DIGIT_RECORD - 1, |m, j| {
        f64::from(BYTES[DIGIT_RECORD * m + j])
    });
    let labels = BYTES
        .chunks_exact(DIGIT_RECORD)
        .map(|r| r[DIGIT_RECORD - 1])
        .collect();
    (y, labels)
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
