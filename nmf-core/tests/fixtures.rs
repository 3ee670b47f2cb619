//! Cross-checks against implementations nobody on this project wrote: the
//! original article's NumPy loop and scikit-learn's `mu` solver. The
//! numbers are in `tests/fixtures/` (see its README.json); the article's
//! data and start are those that `datasets::article_cos2` embeds.

mod common;

use common::{fixture, max_rel_err};
use nmf_core::{Algorithm, Init, Nmf, Solver};

/// The agreement the fixtures must reach, entry by entry.
const REL: f64 = 1e-10;

/// The article's loop is replayed step for step in the same order of
/// operations, so it must agree more closely: Appendix A states 1e-13.
const ARTICLE_REL: f64 = 1e-13;

/// scikit-learn's `reconstruction_err_` after 200 iterations (README.json).
const SKLEARN_RECONSTRUCTION_ERR: f64 = 5.576_381_590_205_506;

#[test]
fn article_cos2_loop_matches_numpy() {
    let (y, w0, h0) = nmf_core::datasets::article_cos2();
    let losses = fixture("article_cos2_loss.csv");
    assert_eq!(
        (y.shape(), w0.shape(), h0.shape(), losses.len()),
        ((80, 2), (80, 2), (2, 2), 50)
    );

    let mut solver = Solver::new(&y, w0, h0).unwrap();
    let mut worst_loss: f64 = 0.0;
    for t in 1..=50 {
        let d = solver.step().unwrap();
        let expected = losses[t - 1];
        worst_loss = worst_loss.max((d - expected).abs() / expected);
        if [1, 10, 50].contains(&t) {
            let ew = max_rel_err(solver.w(), &fixture(&format!("article_cos2_W{t}.csv")));
            let eh = max_rel_err(solver.h(), &fixture(&format!("article_cos2_H{t}.csv")));
            println!("article, iteration {t}: max relative error W {ew:.2e}, H {eh:.2e}");
            assert!(
                ew < ARTICLE_REL && eh < ARTICLE_REL,
                "iteration {t}: W {ew:e}, H {eh:e}"
            );
        }
    }
    println!("article: max relative error of the 50 losses {worst_loss:.2e}");
    assert!(worst_loss < ARTICLE_REL);
}

#[test]
fn sklearn_mu_solver_matches() {
    let y = fixture("sklearn_mu_Y.csv");
    let (w0, h0) = (fixture("sklearn_mu_W0.csv"), fixture("sklearn_mu_H0.csv"));
    let fit = Nmf::new(w0.ncols())
        .max_iter(200)
        .tol(0.0)
        .init(Init::Custom { w: w0, h: h0 })
        .fit(&y)
        .unwrap();
    assert_eq!(fit.n_iter, 200);
    let ew = max_rel_err(&fit.w, &fixture("sklearn_mu_W200.csv"));
    let eh = max_rel_err(&fit.h, &fixture("sklearn_mu_H200.csv"));
    // scikit-learn reports the Frobenius norm, not its square.
    let err = fit.losses[200].sqrt();
    let e_err = (err - SKLEARN_RECONSTRUCTION_ERR).abs() / SKLEARN_RECONSTRUCTION_ERR;
    println!("scikit-learn, 200 iterations: max relative error W {ew:.2e}, H {eh:.2e}, reconstruction_err_ {e_err:.2e}");
    assert!(
        ew < REL && eh < REL && e_err < REL,
        "W {ew:e}, H {eh:e}, err {e_err:e}"
    );
}

/// HALS is scikit-learn's `cd` solver with `shuffle=False`: the same
/// products, the same order of columns and of terms in each slope. The two
/// differ only in how the products HHᵀ, YHᵀ, WᵀW and WᵀY are summed (nalgebra's
/// kernels against NumPy's BLAS), which moves the last bits.
#[test]
fn sklearn_cd_solver_matches_hals() {
    let y = fixture("sklearn_mu_Y.csv");
    let (w0, h0) = (fixture("sklearn_mu_W0.csv"), fixture("sklearn_mu_H0.csv"));
    let mut solver = Nmf::new(w0.ncols())
        .algorithm(Algorithm::Hals)
        .init(Init::Custom { w: w0, h: h0 })
        .solver(&y)
        .unwrap();
    for t in 1..=200 {
        solver.step().unwrap();
        if [1, 10, 200].contains(&t) {
            let ew = max_rel_err(solver.w(), &fixture(&format!("sklearn_cd_W{t}.csv")));
            let eh = max_rel_err(solver.h(), &fixture(&format!("sklearn_cd_H{t}.csv")));
            println!("scikit-learn cd, iteration {t}: max relative error W {ew:.2e}, H {eh:.2e}");
            assert!(ew < 1e-9 && eh < 1e-9, "iteration {t}: W {ew:e}, H {eh:e}");
        }
    }
}
