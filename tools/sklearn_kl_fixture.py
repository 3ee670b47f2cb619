"""Writes the scikit-learn KL fixtures of nmf-core (chapter 9).

Two cases, each a data matrix Y, a custom start W0, H0 and the whole
trajectory of NMF(solver='mu', beta_loss='kullback-leibler', init='custom',
tol=0) from that start:

- kl_pos: Y strictly positive (12 x 10, rank 3, 100 iterations);
- kl_zeros: Y with 52 zero entries, two blocks of zeros and scattered ones
  (12 x 10, rank 3, 200 iterations), on which some entries of H head to 0.

For every t, scikit-learn is run afresh with max_iter=t from the same start,
so line t of kl_<case>_W.csv is its W after t iterations (flattened row by
row), and likewise for H. kl_<case>_loss.csv holds the generalised KL
divergence D(Y | WH) = sum y log(y / WH) - y + WH (0 log 0 = 0) at t = 0..T,
computed here in float64; the script checks that it is scikit-learn's own
_beta_divergence(..., beta=1) on these data. Everything is written with 17
significant digits.

The script also records what scikit-learn does that the plain updates do
not, as read in sklearn/decomposition/_nmf.py: in each update it floors WH
at EPSILON = float32 machine epsilon (about 1.19e-7) before dividing Y by
it, and after each H update it sets entries of H below float64 machine
epsilon (about 2.2e-16) to zero. It counts how often each is active.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn
    /tmp/venv/bin/python tools/sklearn_kl_fixture.py

It never runs in the tests; the tests read the files it wrote.
"""

import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import EPSILON, _beta_divergence

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "nmf-core" / "tests" / "fixtures"


def save(name, a):
    np.savetxt(FIXTURES / name, np.atleast_2d(a), delimiter=",", fmt="%.17g")


def divergence(y, w, h):
    """The generalised KL divergence, with 0 log 0 = 0."""
    wh = w @ h
    pos = y > 0
    return float(np.sum(y[pos] * np.log(y[pos] / wh[pos])) - y.sum() + wh.sum())


def sklearn_mu(y, w0, h0, t):
    k = w0.shape[1]
    model = NMF(n_components=k, solver="mu", beta_loss="kullback-leibler",
                init="custom", tol=0.0, max_iter=t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns that it did not converge
        w = model.fit_transform(y, W=w0.copy(), H=h0.copy())
    assert model.n_iter_ == t, model.n_iter_
    return w, model.components_


def case(name, y, w0, h0, iterations):
    save(f"{name}_Y.csv", y)
    save(f"{name}_W0.csv", w0)
    save(f"{name}_H0.csv", h0)
    ws, hs, losses = [], [], [divergence(y, w0, h0)]
    floored = 0  # entries with y > 0 and WH < EPSILON at the start of an update
    clamped = 0  # entries of H that are exactly zero after t iterations
    for t in range(1, iterations + 1):
        w, h = sklearn_mu(y, w0, h0, t)
        ws.append(w.ravel())
        hs.append(h.ravel())
        losses.append(divergence(y, w, h))
        reference = _beta_divergence(y, w, h, 1)
        assert abs(reference - losses[-1]) <= 1e-12 * losses[-1], (t, reference, losses[-1])
        floored += int(np.sum((y > 0) & (w @ h < EPSILON)))
        clamped = int(np.sum(h == 0))
    save(f"{name}_W.csv", np.array(ws))
    save(f"{name}_H.csv", np.array(hs))
    save(f"{name}_loss.csv", np.array(losses)[:, None])
    print(f"{name}: D0 {losses[0]!r}, D{iterations} {losses[-1]!r}, "
          f"WH floored where y > 0: {floored}, H entries zero at the end: {clamped}")
    return (f"scikit-learn {sklearn.__version__} NMF(solver='mu', beta_loss='kullback-leibler', "
            f"init='custom', tol=0, max_iter=t) from {name}_Y/W0/H0, t = 1..{iterations}: "
            f"line t of {name}_W/H (counting from 1) is W/H after t iterations, row by row; {name}_loss holds "
            f"D_KL at t = 0..{iterations} (tools/sklearn_kl_fixture.py). Over the run, WH "
            f"was below scikit-learn's floor EPSILON = {float(EPSILON)!r} where y > 0 "
            f"{floored} times; {clamped} entries of H are exactly 0 after the last iteration")


def main():
    rng = np.random.default_rng(2001)
    m, n, k = 12, 10, 3
    y = rng.uniform(0.1, 2.0, (m, n))
    w0 = rng.uniform(0.2, 1.5, (m, k))
    h0 = rng.uniform(0.2, 1.5, (k, n))
    notes = {"kl_pos": case("kl_pos", y, w0, h0, 100)}

    rng = np.random.default_rng(9)
    y = rng.uniform(0.5, 3.0, (m, n))
    y[:6, 6:] = 0.0
    y[6:, :4] = 0.0
    y[rng.random((m, n)) < 0.1] = 0.0
    w0 = rng.uniform(0.2, 1.5, (m, k))
    h0 = rng.uniform(0.2, 1.5, (k, n))
    assert int(np.sum(y == 0)) == 52
    notes["kl_zeros"] = case("kl_zeros", y, w0, h0, 200)

    readme = FIXTURES / "README.json"
    old = json.loads(readme.read_text())
    old.update(notes)
    readme.write_text(json.dumps(old, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
