//! A fit's iterations allocate nothing on problems that take the fused
//! pass (at least 2²¹ multiply–adds per product and 128 rows), for the multiplicative updates, HALS and the
//! KL updates: every buffer is made once, with the solver. Counted by a
//! global allocator of this test binary, on one thread (starting threads
//! allocates, whatever the iteration does).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use nmf_core::nalgebra::DMatrix;
use nmf_core::{Algorithm, Loss, Nmf};

/// The system allocator, counting its allocations.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: as the caller promises for `layout`.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        // SAFETY: `p` came from `alloc` above with this layout.
        unsafe { System.dealloc(p, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// One test, so that no other test of this binary allocates meanwhile.
#[test]
fn iterations_allocate_nothing() {
    // The count can fail: a fit, which builds its start and its buffers,
    // allocates.
    let y = DMatrix::from_fn(130, 90, |i, j| ((i + j) % 5) as f64 + 0.5);
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    Nmf::new(3).max_iter(2).threads(1).fit(&y).unwrap();
    assert!(ALLOCATIONS.load(Ordering::SeqCst) > before);

    for (m, n, k) in [(300, 400, 20), (700, 320, 10)] {
        let y = DMatrix::from_fn(m, n, |i, j| ((i * 7 + j * 3) % 11) as f64 + 0.5);
        for (algorithm, loss) in [
            (Algorithm::Mu, Loss::Frobenius),
            (Algorithm::Hals, Loss::Frobenius),
            (Algorithm::Mu, Loss::KullbackLeibler),
        ] {
            // One thread: a thread's start allocates, which says nothing
            // about the iteration's own buffers.
            let nmf = Nmf::new(k).algorithm(algorithm).loss(loss).threads(1);
            let mut solver = nmf.solver(&y).unwrap();
            solver.step().unwrap();
            let before = ALLOCATIONS.load(Ordering::SeqCst);
            for _ in 0..5 {
                solver.step().unwrap();
            }
            let during = ALLOCATIONS.load(Ordering::SeqCst) - before;
            assert_eq!(during, 0, "{m} × {n}, {algorithm:?}, {loss:?}");
        }
    }
}
