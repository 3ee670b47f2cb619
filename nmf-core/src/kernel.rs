//! The product kernel of the fused pass (chapter 11, "A kernel for skinny
//! products"; its details in appendix D, "Inside the product kernel"),
//! chosen at run time: AVX-512, AVX2 with FMA, or plain code.
//!
//! It computes out = out₀ + A·B where A has contiguous columns and B is
//! read one entry at a time, with any strides. Both big products of an
//! iteration have that form without packing Y:
//!
//! - Y_b Hᵀ: A = Y_b (its columns are contiguous), B = Hᵀ read from H;
//! - P Y_b with P = W_bᵀ packed: A = P, B = Y_b.
//!
//! Every entry of out is one chain of fused multiply–adds, in the order
//! p = 0, 1, …, depth − 1, started from out₀ or from zero. The chain is the
//! same on every path, and a fused multiply–add rounds once whatever its
//! width, so the three paths give the same bits: a result does not depend
//! on which machine of this kind computed it.

use nalgebra::DMatrix;

/// The depth of A and B that the kernel takes at a time (appendix D): a
/// tile of 32 rows of A over this many columns is 16 KiB, half of a
/// first-level data cache of 32 KiB. Where A's columns lie far apart, the
/// kernel asks for the next depth block of A while it multiplies this one.
pub const KERNEL_DEPTH: usize = 64;

/// The shape of the tiles of one vector path of the kernel (appendix D):
/// each tile of the result is held in `down × across` registers while the
/// kernel runs down the depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelTile {
    /// The vector registers the path has in 64-bit mode.
    pub registers: usize,
    /// The f64 numbers one register holds.
    pub lanes: usize,
    /// Registers down the tallest tile, which covers `down × lanes` rows.
    pub down: usize,
    /// Registers down the next tile, for rows the tallest ones leave; then
    /// tiles of one register, then plain code for the last rows.
    pub half: usize,
    /// Columns of the result across a tile (at most; fewer at the edge).
    pub across: usize,
}

/// The tiles of the AVX-512 path: 32 registers of 8 f64, tiles of 4
/// registers (32 rows) by 6 columns.
pub const AVX512_TILE: KernelTile = KernelTile {
    registers: 32,
    lanes: 8,
    down: 4,
    half: 2,
    across: 6,
};

/// The tiles of the AVX2 path with FMA: 16 registers of 4 f64, tiles of 2
/// registers (8 rows) by 6 columns.
pub const AVX2_TILE: KernelTile = KernelTile {
    registers: 16,
    lanes: 4,
    down: 2,
    half: 1,
    across: 6,
};

/// out = a b for column-major matrices, by [`gemm`]: the small products
/// of an iteration (HHᵀ, WᵀW, W(HHᵀ), (WᵀW)H), which read their operands
/// in place and so take no memory, unlike a general matrix product that
/// copies them into a layout of its own first.
pub(crate) fn product(out: &mut DMatrix<f64>, a: &DMatrix<f64>, b: &DMatrix<f64>) {
    let (rows, depth, cols) = (a.nrows(), a.ncols(), b.ncols());
    assert!(
        b.nrows() == depth && out.shape() == (rows, cols),
        "product shapes"
    );
    // SAFETY: the shapes were just checked, so every index of gemm's
    // contract lies inside a (rows × depth), b (depth × cols) and out
    // (rows × cols), each column-major and contiguous; out is a distinct
    // matrix, borrowed mutably, so it overlaps neither.
    unsafe {
        gemm(
            [rows, cols, depth],
            a.as_ptr(),
            rows,
            b.as_ptr(),
            [1, depth],
            out.as_mut_ptr(),
            rows,
            false,
        )
    }
}

/// out\[r + q·ldo\] = (out₀ or 0) + Σ_p a\[r + p·lda\] · b\[p·rsb + q·csb\], for
/// r < rows, q < cols and p < depth, each entry one chain of fused
/// multiply–adds in the order of p. out₀ is out's entry with `accumulate`,
/// zero without.
///
/// # Safety
/// Every index above must be inside its buffer, and out must not overlap
/// a or b.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm(
    [rows, cols, depth]: [usize; 3],
    a: *const f64,
    lda: usize,
    b: *const f64,
    [rsb, csb]: [usize; 2],
    out: *mut f64,
    ldo: usize,
    accumulate: bool,
) {
    let args = Args {
        rows,
        cols,
        depth,
        a,
        lda,
        b,
        rsb,
        csb,
        out,
        ldo,
        accumulate,
        // Only where A's columns lie apart and a next depth block exists.
        prefetch: lda > 2 * rows && depth > KERNEL_DEPTH,
    };
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the features are present; the caller vouches for the rest.
            return unsafe { avx512::gemm(&args) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: as above.
            return unsafe { avx2::gemm(&args) };
        }
    }
    // SAFETY: the caller vouches for the indices.
    unsafe { plain_rows(&args, 0) }
}

/// The arguments of [`gemm`], passed by reference to the paths.
struct Args {
    rows: usize,
    cols: usize,
    depth: usize,
    a: *const f64,
    lda: usize,
    b: *const f64,
    rsb: usize,
    csb: usize,
    out: *mut f64,
    ldo: usize,
    accumulate: bool,
    prefetch: bool,
}

/// The rows from `first` on, one entry at a time: the path of machines
/// without vector fused multiply–adds, and the last few rows of the others.
/// `mul_add` is one correctly rounded fused multiply–add on every target,
/// in hardware where the processor has one (slowly in software where it
/// has none), so this path gives the bits of the vector ones.
///
/// # Safety
/// As [`gemm`].
#[inline(always)]
unsafe fn plain_rows(x: &Args, first: usize) {
    for q in 0..x.cols {
        for r in first..x.rows {
            // SAFETY: inside the buffers, as the caller of gemm vouched.
            unsafe {
                let o = x.out.add(r + q * x.ldo);
                let mut acc = if x.accumulate { *o } else { 0.0 };
                for p in 0..x.depth {
                    acc = (*x.a.add(r + p * x.lda)).mul_add(*x.b.add(p * x.rsb + q * x.csb), acc);
                }
                *o = acc;
            }
        }
    }
}

/// One path of the kernel for one vector width, with the tiles of
/// `$shape` ([`KernelTile`]): `LANES` f64 to a register (a `$vector`),
/// tiles of `TALL` registers by `WIDE` columns of out, and tiles of `HALF`
/// and of 1 register, and narrower ones, at the edges.
macro_rules! vector_path {
    ($name:ident, $features:literal, $shape:path, $vector:ident,
     $load:ident, $store:ident, $splat:ident, $fma:ident, $zero:ident) => {
        #[cfg(target_arch = "x86_64")]
        mod $name {
            use super::{plain_rows, Args, KERNEL_DEPTH};
            use std::arch::x86_64::*;

            const SHAPE: super::KernelTile = $shape;
            const LANES: usize = SHAPE.lanes;
            const TALL: usize = SHAPE.down;
            const HALF: usize = SHAPE.half;
            const WIDE: usize = SHAPE.across;
            // A register holds LANES f64; a tile, the column of A it loads
            // and the register of copies of b_pq fit in the registers.
            const _: () = assert!(std::mem::size_of::<$vector>() == LANES * 8);
            const _: () = assert!(TALL * WIDE + TALL < SHAPE.registers);
            // `down` names the tile widths up to 6.
            const _: () = assert!(WIDE <= 6);

            // ANCHOR: tile
            /// A tile of out: `V` registers down by `C` columns, starting
            /// at row r and column q, over depths p0..p0 + len.
            #[inline]
            #[target_feature(enable = $features)]
            unsafe fn tile<const V: usize, const C: usize>(
                x: &Args,
                r: usize,
                q: usize,
                p0: usize,
                len: usize,
            ) {
                // SAFETY: the tile lies inside the rows, columns and depth
                // of the product, which the caller of gemm vouched for.
                unsafe {
                    let load = x.accumulate || p0 > 0;
                    let out = x.out.add(r + q * x.ldo);
                    let mut acc = [[$zero(); C]; V];
                    if load {
                        for c in 0..C {
                            for v in 0..V {
                                acc[v][c] = $load(out.add(v * LANES + c * x.ldo));
                            }
                        }
                    }
                    let mut a = x.a.add(r + p0 * x.lda);
                    let mut b = x.b.add(p0 * x.rsb + q * x.csb);
                    // The first column of tiles asks for the next depth
                    // block of A: its columns lie far apart in memory, a
                    // pattern that the processor's own fetching ahead may
                    // not guess.
                    let ahead = if x.prefetch && q == 0 {
                        KERNEL_DEPTH * x.lda
                    } else {
                        0
                    };
                    for _ in 0..len {
                        if ahead > 0 {
                            for v in 0..V {
                                _mm_prefetch::<_MM_HINT_T0>(
                                    a.wrapping_add(ahead + v * LANES) as *const i8
                                );
                            }
                        }
                        let mut col = [$zero(); V];
                        for v in 0..V {
                            col[v] = $load(a.add(v * LANES));
                        }
                        for c in 0..C {
                            let s = $splat(*b.add(c * x.csb));
                            for v in 0..V {
                                acc[v][c] = $fma(col[v], s, acc[v][c]);
                            }
                        }
                        // Wrapping: after the last depth these point past
                        // the block, and are never read.
                        a = a.wrapping_add(x.lda);
                        b = b.wrapping_add(x.rsb);
                    }
                    for c in 0..C {
                        for v in 0..V {
                            $store(out.add(v * LANES + c * x.ldo), acc[v][c]);
                        }
                    }
                }
            }
            // ANCHOR_END: tile

            /// Tiles `V` registers tall down the rows from `r`, as long as
            /// they fit, for the columns q..q + width; returns the next row.
            #[inline]
            #[target_feature(enable = $features)]
            unsafe fn down<const V: usize>(
                x: &Args,
                mut r: usize,
                q: usize,
                width: usize,
                p0: usize,
                len: usize,
            ) -> usize {
                while r + V * LANES <= x.rows {
                    // SAFETY: rows r..r + V·lanes and columns q..q + width
                    // are inside the product.
                    unsafe {
                        match width {
                            1 => tile::<V, 1>(x, r, q, p0, len),
                            2 => tile::<V, 2>(x, r, q, p0, len),
                            3 => tile::<V, 3>(x, r, q, p0, len),
                            4 => tile::<V, 4>(x, r, q, p0, len),
                            5 => tile::<V, 5>(x, r, q, p0, len),
                            6 => tile::<V, 6>(x, r, q, p0, len),
                            _ => tile::<V, WIDE>(x, r, q, p0, len),
                        }
                    }
                    r += V * LANES;
                }
                r
            }

            /// The whole product: depth blocks outermost, so that a block
            /// of A stays in cache while every tile reads it.
            #[target_feature(enable = $features)]
            pub(super) unsafe fn gemm(x: &Args) {
                let mut rest = x.rows;
                let mut p0 = 0;
                // Depth 0 still writes out (zeros, or out₀).
                while p0 < x.depth || (p0 == 0 && x.depth == 0) {
                    let len = KERNEL_DEPTH.min(x.depth - p0);
                    let mut q = 0;
                    while q < x.cols {
                        let width = WIDE.min(x.cols - q);
                        // SAFETY: each call stays inside the product.
                        let r = unsafe {
                            let r = down::<TALL>(x, 0, q, width, p0, len);
                            let r = down::<HALF>(x, r, q, width, p0, len);
                            down::<1>(x, r, q, width, p0, len)
                        };
                        rest = r;
                        q += width;
                    }
                    if x.depth == 0 {
                        break;
                    }
                    p0 += len;
                }
                if rest < x.rows {
                    // The last rows, fewer than a register: whole chains at
                    // once, in the same order.
                    // SAFETY: inside the product.
                    unsafe { plain_rows(x, rest) }
                }
            }
        }
    };
}

vector_path!(
    avx512,
    "avx512f,avx2,fma",
    super::AVX512_TILE,
    __m512d,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_set1_pd,
    _mm512_fmadd_pd,
    _mm512_setzero_pd
);

vector_path!(
    avx2,
    "avx2,fma",
    super::AVX2_TILE,
    __m256d,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_set1_pd,
    _mm256_fmadd_pd,
    _mm256_setzero_pd
);

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so that the test needs no crate.
    fn numbers(len: usize, seed: u64) -> Vec<f64> {
        let mut s = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..len)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.25
            })
            .collect()
    }

    type Path = unsafe fn(&Args);

    /// The vector paths this machine can run.
    fn paths() -> Vec<(&'static str, Path)> {
        let mut paths: Vec<(&'static str, Path)> = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                paths.push(("avx512", |x| unsafe { avx512::gemm(x) }));
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                paths.push(("avx2", |x| unsafe { avx2::gemm(x) }));
            }
        }
        paths
    }

    /// Every path gives the bits of the plain one, on several shapes and
    /// both layouts of B, with and without out₀.
    #[test]
    fn paths_agree_with_plain_chains_bit_for_bit() {
        for &(rows, cols, depth) in &[
            (64, 30, 200),
            (37, 7, 130),
            (5, 3, 9),
            (33, 13, 64),
            (8, 1, 0),
            (70, 17, 65),
            (56, 13, 70),
            (24, 7, 130),
            (120, 19, 129),
        ] {
            for (rsb, csb) in [(cols, 1), (1, depth + 3)] {
                let lda = rows + 5;
                let a = numbers(lda * depth.max(1), 1);
                let b = numbers(depth.max(1) * rsb.max(1) + cols * csb + 1, 2);
                for accumulate in [false, true] {
                    let ldo = rows + 2;
                    let start = numbers(ldo * cols, 3);
                    let (mut fast, mut plain) = (start.clone(), start.clone());
                    assert!(!paths().is_empty() || cfg!(not(target_arch = "x86_64")));
                    let x = |out: *mut f64| Args {
                        rows,
                        cols,
                        depth,
                        a: a.as_ptr(),
                        lda,
                        b: b.as_ptr(),
                        rsb,
                        csb,
                        out,
                        ldo,
                        accumulate,
                        prefetch: true,
                    };
                    unsafe { plain_rows(&x(plain.as_mut_ptr()), 0) };
                    for (path, run) in paths() {
                        fast.copy_from_slice(&start);
                        unsafe { run(&x(fast.as_mut_ptr())) };
                        let bad = fast
                            .iter()
                            .zip(&plain)
                            .position(|(f, p)| f.to_bits() != p.to_bits());
                        assert!(bad.is_none(), "{path}: {rows}×{cols}×{depth}, strides {rsb},{csb}, accumulate {accumulate}: entry {bad:?} of ld {ldo}");
                    }
                    fast.copy_from_slice(&start);
                    unsafe {
                        gemm(
                            [rows, cols, depth],
                            a.as_ptr(),
                            lda,
                            b.as_ptr(),
                            [rsb, csb],
                            fast.as_mut_ptr(),
                            ldo,
                            accumulate,
                        );
                    }
                    assert_eq!(fast, plain);
                    // And the chains are the product: compare with sums.
                    for q in 0..cols {
                        for r in 0..rows {
                            let base = if accumulate { start[r + q * ldo] } else { 0.0 };
                            let sum: f64 = base
                                + (0..depth)
                                    .map(|p| a[r + p * lda] * b[p * rsb + q * csb])
                                    .sum::<f64>();
                            assert!((fast[r + q * ldo] - sum).abs() <= 1e-12 * (1.0 + sum.abs()));
                        }
                    }
                    // Rows of out outside the product are untouched.
                    for q in 0..cols {
                        for r in rows..ldo {
                            assert_eq!(fast[r + q * ldo].to_bits(), start[r + q * ldo].to_bits());
                        }
                    }
                }
            }
        }
    }
}
