//! The two big products of an iteration, YHᵀ and WᵀY, cut into blocks of a
//! fixed size and spread over threads (chapter 11).
//!
//! Each entry of a product is computed by exactly one block, and the blocks
//! do not depend on the number of threads, so the result is the same to
//! the bit whether one thread or many compute it: threads only decide who
//! computes which block. No block needs a sum from another, so there is no
//! reduction to order.

use nalgebra::DMatrix;

/// Rows of YHᵀ, or columns of WᵀY, per block (chapter 11, "Threads"):
/// block b of YHᵀ is rows 256b to 256b + 255 of Y (fewer at the end),
/// whatever the number of threads.
pub const PRODUCT_BLOCK: usize = 256;

/// Below this many multiply–adds, about two million, a product runs on one
/// thread (chapter 11, "Threads"): starting a thread would cost more than it
/// saves. The blocks are the same. The blocked H step and the HALS sweeps
/// (chapter 12) use the same threshold, and the fused pass runs only above
/// it.
pub const PARALLEL_WORK: usize = 1 << 21;

/// How many threads to use: `requested`, or every core for 0.
pub(crate) fn resolve(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// A raw pointer that may cross into a scoped thread: each block writes
/// only its own entries of the output.
#[derive(Clone, Copy)]
pub(crate) struct Out(pub(crate) *mut f64);
// SAFETY: the blocks handed to different threads write disjoint entries,
// and the scope joins every thread before the output is used again.
unsafe impl Send for Out {}
unsafe impl Sync for Out {}

// ANCHOR: spread
/// How YHᵀ or WᵀY is spread over threads (chapter 11, "Threads"): the
/// product is cut along a side of `side` rows or columns (M for YHᵀ, N for
/// WᵀY) into blocks of [`PRODUCT_BLOCK`], it does `work` multiply–adds (MNK
/// for either), and `threads` threads are asked for (0 for every core).
/// Returns the number of blocks and the number of threads that compute
/// them: one below [`PARALLEL_WORK`], never more than there are blocks.
/// Both products run exactly this plan; the blocks never depend on
/// `threads`.
pub fn product_plan(side: usize, work: usize, threads: usize) -> (usize, usize) {
    plan(side, PRODUCT_BLOCK, work, resolve(threads))
}

/// Blocks of `block_len` along `side`, and the threads that run them: one
/// below [`PARALLEL_WORK`] multiply–adds, at most one per block, at least one.
fn plan(side: usize, block_len: usize, work: usize, threads: usize) -> (usize, usize) {
    let blocks = side.div_ceil(block_len);
    let threads = if work < PARALLEL_WORK { 1 } else { threads };
    (blocks, threads.clamp(1, blocks.max(1)))
}

/// Runs `block(b)` for b in 0..blocks, spread over up to `threads` threads,
/// each taking a contiguous run of blocks.
pub(crate) fn spread(blocks: usize, threads: usize, block: impl Fn(usize) + Sync) {
    let threads = threads.clamp(1, blocks.max(1));
    if threads == 1 {
        (0..blocks).for_each(block);
        return;
    }
    let per = blocks.div_ceil(threads);
    std::thread::scope(|scope| {
        let block = &block;
        for t in 1..threads {
            scope.spawn(move || (t * per..blocks.min((t + 1) * per)).for_each(block));
        }
        (0..per.min(blocks)).for_each(block);
    });
}

/// Cuts one side, of length `side`, of a product of `work` multiply–adds
/// into blocks of [`PRODUCT_BLOCK`], and runs `block(first, len, out)` for
/// each on the threads of [`product_plan`], with `out` the start of the
/// output's storage.
fn in_blocks(
    side: usize,
    work: usize,
    threads: usize,
    out: &mut DMatrix<f64>,
    block: impl Fn(usize, usize, *mut f64) + Sync,
) {
    let (blocks, threads) = product_plan(side, work, threads);
    let out = Out(out.as_mut_ptr());
    spread(blocks, threads, |b| {
        let (first, out) = (b * PRODUCT_BLOCK, out);
        block(first, PRODUCT_BLOCK.min(side - first), out.0)
    });
}
// ANCHOR_END: spread

// ANCHOR: y_ht
/// out (m × k) = Y (m × n) · Hᵀ, with `ht` = Hᵀ (n × k), in blocks of rows.
pub(crate) fn y_ht(y: &DMatrix<f64>, ht: &DMatrix<f64>, out: &mut DMatrix<f64>, threads: usize) {
    let ((m, n), k) = (y.shape(), ht.ncols());
    debug_assert_eq!((ht.nrows(), out.shape()), (n, (m, k)));
    in_blocks(m, m * n * k, threads, out, |first, rows, out| {
        // SAFETY: the block reads rows first..first + rows of Y (column
        // stride m) and all of Hᵀ (column stride n), and writes the same
        // rows of out (column stride m), inside each matrix's storage.
        unsafe {
            matrixmultiply::dgemm(
                rows,
                n,
                k,
                1.0,
                y.as_ptr().add(first),
                1,
                m as isize,
                ht.as_ptr(),
                1,
                n as isize,
                0.0,
                out.add(first),
                1,
                m as isize,
            );
        }
    });
}
// ANCHOR_END: y_ht

/// out (k × n) = Wᵀ Y, with `wt` = Wᵀ (k × m), in blocks of columns.
pub(crate) fn wt_y(wt: &DMatrix<f64>, y: &DMatrix<f64>, out: &mut DMatrix<f64>, threads: usize) {
    let ((m, n), k) = (y.shape(), wt.nrows());
    debug_assert_eq!((wt.ncols(), out.shape()), (m, (k, n)));
    in_blocks(n, m * n * k, threads, out, |first, cols, out| {
        // SAFETY: the block reads all of Wᵀ (column stride k) and columns
        // first..first + cols of Y (column stride m), and writes the same
        // columns of out (column stride k), inside each matrix's storage.
        unsafe {
            matrixmultiply::dgemm(
                k,
                m,
                cols,
                1.0,
                wt.as_ptr(),
                1,
                k as isize,
                y.as_ptr().add(first * m),
                1,
                m as isize,
                0.0,
                out.add(first * k),
                1,
                k as isize,
            );
        }
    });
}

/// Cuts the `rows` rows of `x` into blocks of `block_len`, and runs
/// `block(first, len, x)` for each on up to `threads` threads (one below
/// [`PARALLEL_WORK`] multiply–adds in all), with `x` the start of the
/// storage. Each block returns a number, stored in `partials[b]`; the sum
/// of the partials, in block order, is returned.
pub(crate) fn rows_in_blocks(
    rows: usize,
    block_len: usize,
    work: usize,
    threads: usize,
    x: &mut DMatrix<f64>,
    partials: &mut [f64],
    block: impl Fn(usize, usize, *mut f64) -> f64 + Sync,
) -> f64 {
    let (blocks, threads) = plan(rows, block_len, work, threads);
    assert!(partials.len() >= blocks, "one partial per block");
    let (x, out) = (Out(x.as_mut_ptr()), Out(partials.as_mut_ptr()));
    spread(blocks, threads, |b| {
        let (first, x, out) = (b * block_len, x, out);
        let partial = block(first, block_len.min(rows - first), x.0);
        // SAFETY: entry b of the partials belongs to block b alone.
        unsafe { *out.0.add(b) = partial };
    });
    partials[..blocks].iter().sum()
}
