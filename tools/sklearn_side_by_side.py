"""The scikit-learn side of Appendix E: the same fit as the appendix's Rust
snippets, and the facts about scikit-learn that the appendix states.

It builds the appendix's data Y, new data Y_new and start W0, H0 from the
same formulas as the Rust snippets, and runs

- NMF(n_components=3, init='custom', solver='mu', beta_loss='frobenius',
  tol=0, max_iter=200).fit_transform(Y, W=W0, H=H0), then transform(Y_new);
- the same with tol=1e-4 and max_iter=1000, to see where it stops.

Then it checks:

- that the numbers the appendix's snippets assert, its constants named
  SKLEARN_..., are what scikit-learn gives now (the snippets hold nmf-core
  to them);
- the stopping rule as the appendix reads it in
  sklearn/decomposition/_nmf.py: every 10 iterations the Frobenius norm
  ||Y - WH|| (not its square), against the one at the check before,
  relative to the one at the start, stopping when the decrease is below
  tol; so the iteration count is a multiple of 10, and a replay of the rule
  on runs of max_iter = t with tol = 0 stops where the solver did;
- that reconstruction_err_ is ||Y - WH|| for the Frobenius loss and
  sqrt(2 D_KL) for the Kullback-Leibler divergence (the same start, 50
  iterations of beta_loss='kullback-leibler');
- that init='random' is sqrt(mean(Y) / k) |z|, z standard normal from
  NumPy's RandomState(random_state), H drawn before W, so that its entries
  have mean sqrt(2 / pi) sqrt(mean(Y) / k);
- that with init='custom' and solver='mu' it updates the W and H it is
  given in place and returns them;
- that it still reproduces the fixture nmf-core/tests/fixtures/sklearn_mu_*
  (W, H and reconstruction_err_ after 200 iterations), which the test
  sklearn_mu_solver_matches in nmf-core/tests/fixtures.rs holds nmf-core to.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn
    /tmp/venv/bin/python tools/sklearn_side_by_side.py

It writes nothing and never runs in the tests; it prints what it found and
stops with an error at the first check that fails.
"""

import json
import math
import pathlib
import re
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _beta_divergence, _initialize_nmf

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPENDIX = ROOT / "src" / "appendix-05-for-scikit-learn-users.md"
FIXTURES = ROOT / "nmf-core" / "tests" / "fixtures"

# ANCHOR: data
y = np.array([[1 + (3 * i + 5 * j) % 7 for j in range(6)] for i in range(8)], dtype=float)
w0 = np.array([[0.5 + 0.25 * ((i + 2 * k) % 3) for k in range(3)] for i in range(8)])
h0 = np.array([[0.5 + 0.25 * ((2 * k + j) % 4) for j in range(6)] for k in range(3)])
y_new = np.array([[2 + (i + 4 * j) % 5 for j in range(6)] for i in range(4)], dtype=float)
# ANCHOR_END: data

# ANCHOR: fit
model = NMF(n_components=3, init="custom", solver="mu", beta_loss="frobenius",
            tol=0, max_iter=200)
w = model.fit_transform(y, W=w0.copy(), H=h0.copy())
h = model.components_
w_new = model.transform(y_new)
print(model.n_iter_, model.reconstruction_err_, w.sum(), h.sum(), w_new.sum())
# ANCHOR_END: fit

# ANCHOR: tol
early = NMF(n_components=3, init="custom", solver="mu", tol=1e-4, max_iter=1000)
early.fit_transform(y, W=w0.copy(), H=h0.copy())
print(early.n_iter_)
# ANCHOR_END: tol

# ANCHOR: kl
kl = NMF(n_components=3, init="custom", solver="mu", beta_loss="kullback-leibler",
         tol=0, max_iter=50)
w_kl = kl.fit_transform(y, W=w0.copy(), H=h0.copy())
print(kl.reconstruction_err_)
# ANCHOR_END: kl


def quiet_fit(nmf, x, w_start, h_start):
    """fit_transform without the warning that max_iter was reached."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nmf.fit_transform(x, W=w_start, H=h_start)


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * abs(b)


def check_the_snippets():
    """The SKLEARN_ constants of the appendix are scikit-learn's numbers."""
    found = {}
    pattern = r"const SKLEARN_(\w+): (?:f64|usize) = ([0-9eE.+_-]+);"
    for name, value in re.findall(pattern, APPENDIX.read_text()):
        value = float(value.replace("_", ""))
        assert found.setdefault(name, value) == value, f"SKLEARN_{name} differs between snippets"
    ours = {
        "N_ITER": model.n_iter_,
        "RECONSTRUCTION_ERR": model.reconstruction_err_,
        "W_SUM": w.sum(),
        "H_SUM": h.sum(),
        "W_NEW_SUM": w_new.sum(),
        "N_ITER_TOL": early.n_iter_,
        "KL_RECONSTRUCTION_ERR": kl.reconstruction_err_,
    }
    assert set(found) == set(ours), (sorted(found), sorted(ours))
    for name, value in ours.items():
        print(f"SKLEARN_{name}: appendix {found[name]!r}, scikit-learn {float(value)!r}")
        assert close(found[name], value), name


def check_the_stopping_rule():
    """Every 10 iterations, the norm against the previous check's, relative
    to the start's, strictly below tol."""
    tols = (1e-3, 1e-4, 1e-5)
    for tol in tols:
        run = NMF(n_components=3, init="custom", solver="mu", tol=tol, max_iter=1000)
        quiet_fit(run, y, w0.copy(), h0.copy())
        norm = {0: _beta_divergence(y, w0, h0, 2, square_root=True)}
        stop = None
        for t in range(10, 1001, 10):
            probe = NMF(n_components=3, init="custom", solver="mu", tol=0, max_iter=t)
            wt = quiet_fit(probe, y, w0.copy(), h0.copy())
            norm[t] = math.sqrt(np.sum((y - wt @ probe.components_) ** 2))
            if (norm[t - 10] - norm[t]) / norm[0] < tol:
                stop = t
                break
        print(f"tol {tol}: scikit-learn stopped at {run.n_iter_}, the replayed rule at {stop}")
        assert run.n_iter_ % 10 == 0 and run.n_iter_ == stop


def check_reconstruction_err():
    """The Frobenius norm, and sqrt(2 D_KL) for the divergence."""
    assert close(model.reconstruction_err_, math.sqrt(np.sum((y - w @ h) ** 2)))
    y_hat = w_kl @ kl.components_
    d = np.sum(y * np.log(y / y_hat) - y + y_hat)  # y has no zeros
    print(f"KL: reconstruction_err_ {float(kl.reconstruction_err_)!r}, "
          f"sqrt(2 D_KL) {math.sqrt(2 * d)!r}")
    assert close(kl.reconstruction_err_, math.sqrt(2 * d), 1e-10)


def check_the_random_start():
    """sqrt(mean / k) |N(0, 1)| from RandomState, H first, then W."""
    rng = np.random.default_rng(1)
    (m, n), k = (2000, 1000), 5
    x = rng.uniform(0.0, 2.0, (m, n))
    wr, hr = _initialize_nmf(x, k, init="random", random_state=0)
    avg = math.sqrt(x.mean() / k)
    state = np.random.RandomState(0)
    h_again = avg * np.abs(state.standard_normal((k, n)))
    w_again = avg * np.abs(state.standard_normal((m, k)))
    assert np.array_equal(wr, w_again) and np.array_equal(hr, h_again)
    ratio = np.concatenate([wr.ravel(), hr.ravel()]).mean() / avg
    print(f"init='random': mean entry / sqrt(mean(Y) / k) = {ratio:.4f}, "
          f"sqrt(2 / pi) = {math.sqrt(2 / math.pi):.4f}")
    assert abs(ratio - math.sqrt(2 / math.pi)) < 0.02


def check_in_place():
    """init='custom' with solver='mu' updates the given W and H."""
    w_given, h_given = w0.copy(), h0.copy()
    run = NMF(n_components=3, init="custom", solver="mu", tol=0, max_iter=5)
    w_out = run.fit_transform(y, W=w_given, H=h_given)
    assert w_out is w_given and run.components_ is h_given
    assert not np.array_equal(w_given, w0) and not np.array_equal(h_given, h0)


def check_the_fixture():
    """The committed sklearn_mu fixture is what scikit-learn computes now."""
    load = lambda name: np.loadtxt(FIXTURES / f"sklearn_mu_{name}.csv", delimiter=",", ndmin=2)
    y_fix, w_fix, h_fix = load("Y"), load("W0"), load("H0")
    run = NMF(n_components=w_fix.shape[1], init="custom", solver="mu",
              beta_loss="frobenius", tol=0, max_iter=200)
    w_run = run.fit_transform(y_fix, W=w_fix.copy(), H=h_fix.copy())
    err_w = np.max(np.abs(w_run - load("W200")) / np.abs(load("W200")).max())
    err_h = np.max(np.abs(run.components_ - load("H200")) / np.abs(load("H200")).max())
    note = json.loads((FIXTURES / "README.json").read_text())["sklearn_mu"]
    recorded = float(re.search(r"reconstruction_err_ [^=]*= ([0-9.]+)", note).group(1))
    print(f"fixture sklearn_mu: W {err_w:.1e}, H {err_h:.1e}, reconstruction_err_ "
          f"{float(run.reconstruction_err_)!r} against {recorded!r}")
    assert err_w < 1e-12 and err_h < 1e-12 and close(run.reconstruction_err_, recorded)


print(f"scikit-learn {sklearn.__version__}, NumPy {np.__version__}")
check_the_snippets()
check_the_stopping_rule()
check_reconstruction_err()
check_the_random_start()
check_in_place()
check_the_fixture()
print("all checks passed")
