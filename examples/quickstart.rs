//! The smallest complete fit: `cargo run --example quickstart`.
//! Chapter 5 walks through it.

// ANCHOR: all
use nmf_core::nalgebra::DMatrix;
use nmf_core::{Nmf, NmfError};

fn main() -> Result<(), NmfError> {
    // Four points in 2-D, each a non-negative mix of (1, 0) and (1, 1).
    let y = DMatrix::from_row_slice(4, 2, &[2.0, 0.0, 1.0, 1.0, 3.0, 1.0, 2.0, 2.0]);
    let fit = Nmf::new(2).max_iter(500).tol(1e-10).seed(32).fit(&y)?;
    println!(
        "{} iterations, loss {:.3e} -> {:.3e}",
        fit.n_iter, fit.losses[0], fit.losses[fit.n_iter]
    );
    println!("basis vectors (rows of H):{}", fit.h);
    println!("weights (rows of W):{}", fit.w);
    Ok(())
}
// ANCHOR_END: all
