//! Every `rust` block of the book, compiled and run against nmf-core.
include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));
