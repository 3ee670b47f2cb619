//! What the book's examples share: the bundled font, the colours, panels
//! of 2-D data with their basis vectors and cone, a loss panel, the
//! command-line flags and a GIF writer with a fixed palette.
#![allow(dead_code)] // each example uses its own part of this module

pub mod args;
pub mod gif;
pub mod plot;

use std::path::{Path, PathBuf};

/// Where the book looks for its figures.
pub fn figures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/figures")
}
