"""Writes the NNDSVD fixtures of nmf-core (nmf-core/tests/nndsvd.rs).

Two seeded non-negative matrices, a tall one (40 x 30, the SVD of Y itself)
and a wide one (20 x 36, where scikit-learn works on Y transposed), each a
noisy product of rank 8, factored at rank k = 5. For each it writes:

- nndsvd_{case}_Y.csv: the data;
- nndsvd_{case}_{W,H}.csv and nndsvd_{case}_{Wa,Ha}.csv: NNDSVD and NNDSVDa
  computed below by scikit-learn's algorithm (read from
  sklearn/decomposition/_nmf.py, `_initialize_nmf`) on NumPy's exact SVD,
  with the signs fixed as scikit-learn's `svd_flip` fixes them: the entry
  of largest absolute value of each left singular vector u_j, the first on
  a tie, is made positive. (On Y transposed, scikit-learn flips with
  u_based_decision=False, which is the same rule for the u_j of Y.);
- nndsvd_{case}_sklearn_{W,H,Wa,Ha}.csv: what scikit-learn's own
  `_initialize_nmf(Y, 5, init=..., random_state=0)` returns. It computes a
  randomized SVD (`_randomized_svd` with its defaults: 10 oversamples,
  n_iter='auto', here 4 power iterations with LU normalisation, flip_sign
  True), seeded by random_state=0, so it agrees with the exact SVD only
  approximately. NMF(init='nndsvd') passes its own random_state, default
  None, which draws from NumPy's global generator.

scikit-learn also sets every entry below eps = 1e-6 to zero before filling;
nmf-core does not (an absolute threshold would break NNDSVD(cY) = sqrt(c)
NNDSVD(Y)). The script checks that no entry of these fixtures lies in
(0, 1e-6), so that the threshold changes nothing here.

Floats are written with 17 significant digits, so they read back exactly.

    /tmp/venv/bin/python tools/sklearn_nndsvd.py

It never runs in the tests; the tests read the files it wrote.
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn.decomposition._nmf import _initialize_nmf

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "nmf-core" / "tests" / "fixtures"
K = 5
EPS = 1e-6  # scikit-learn's default eps in _initialize_nmf


def save(name, a):
    np.savetxt(FIXTURES / name, np.atleast_2d(a), delimiter=",", fmt="%.17g")


def data(m, n, seed):
    """A noisy product of rank 8 with sparse factors, clipped at 0."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(0, 1, (m, 8)) * (rng.uniform(0, 1, (m, 8)) < 0.5)
    h = rng.uniform(0, 1, (8, n)) * (rng.uniform(0, 1, (8, n)) < 0.5)
    return np.maximum(w @ h + rng.normal(0, 0.2, (m, n)), 0)


def exact_svd(y, k):
    """The truncated SVD from numpy.linalg.svd, signs fixed by u."""
    u, s, vt = np.linalg.svd(y, full_matrices=False)
    u, s, vt = u[:, :k].copy(), s[:k], vt[:k].copy()
    for j in range(k):
        top = np.argmax(np.abs(u[:, j]))  # the first index on a tie
        if u[top, j] < 0:
            u[:, j] *= -1
            vt[j] *= -1
    return u, s, vt


def nndsvd(y, k):
    """scikit-learn's NNDSVD steps, on the exact SVD, without the eps cut."""
    u, s, vt = exact_svd(y, k)
    w = np.zeros((y.shape[0], k))
    h = np.zeros((k, y.shape[1]))
    w[:, 0] = np.sqrt(s[0]) * np.abs(u[:, 0])
    h[0] = np.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        x, v = u[:, j], vt[j]
        xp, vp = np.maximum(x, 0), np.maximum(v, 0)
        xn, vn = np.maximum(-x, 0), np.maximum(-v, 0)
        mp = np.linalg.norm(xp) * np.linalg.norm(vp)
        mn = np.linalg.norm(xn) * np.linalg.norm(vn)
        # The positive part only if strictly larger, as scikit-learn does.
        a, b, mass = (xp, vp, mp) if mp > mn else (xn, vn, mn)
        scale = np.sqrt(s[j] * mass)
        w[:, j] = scale * a / np.linalg.norm(a)
        h[j] = scale * b / np.linalg.norm(b)
        # How clear the choice was, for the notes.
        print(f"  pair {j + 1}: m+ = {mp:.4f}, m- = {mn:.4f}")
    for x in (w, h):
        tiny = (x > 0) & (x < EPS)
        assert not tiny.any(), "an entry in (0, eps): scikit-learn would zero it"
    return w, h


def fill_mean(y, w, h):
    w, h = w.copy(), h.copy()
    w[w == 0] = y.mean()
    h[h == 0] = y.mean()
    return w, h


def rel(a, b):
    """max |a - b| over max |b|."""
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def main():
    notes = {}
    for case, (m, n, seed) in {"tall": (40, 30, 3), "wide": (20, 36, 5)}.items():
        print(case)
        y = data(m, n, seed)
        save(f"nndsvd_{case}_Y.csv", y)
        y = np.loadtxt(FIXTURES / f"nndsvd_{case}_Y.csv", delimiter=",", ndmin=2)
        w, h = nndsvd(y, K)
        wa, ha = fill_mean(y, w, h)
        errors = []
        for name, (a, b) in {"": (w, h), "a": (wa, ha)}.items():
            save(f"nndsvd_{case}_W{name}.csv", a)
            save(f"nndsvd_{case}_H{name}.csv", b)
            sw, sh = _initialize_nmf(y, K, init="nndsvd" + name, random_state=0)
            save(f"nndsvd_{case}_sklearn_W{name}.csv", sw)
            save(f"nndsvd_{case}_sklearn_H{name}.csv", sh)
            errors.append(max(rel(sw, a), rel(sh, b)))
            print(f"  nndsvd{name}: scikit-learn against the exact SVD {errors[-1]:.2e}")
        s = np.linalg.svd(y, compute_uv=False)
        notes[case] = (
            f"{m} x {n}, seed {seed}, k = {K}, singular values "
            + ", ".join(f"{x:.3f}" for x in s[: K + 1])
            + f"...; scikit-learn's own (randomized SVD) against the exact-SVD algorithm: "
            f"max |diff| / max |entry| {errors[0]:.1e} (nndsvd), {errors[1]:.1e} (nndsvda)"
        )
    readme = FIXTURES / "README.json"
    all_notes = json.loads(readme.read_text())
    all_notes["nndsvd"] = (
        f"tools/sklearn_nndsvd.py with scikit-learn {sklearn.__version__}, NumPy "
        f"{np.__version__}: nndsvd_{{tall,wide}}_Y, NNDSVD W/H and NNDSVDa Wa/Ha by "
        "scikit-learn's algorithm on NumPy's exact SVD (signs as svd_flip), and "
        "_initialize_nmf(Y, 5, init='nndsvd' / 'nndsvda', random_state=0) as "
        "sklearn_W/H/Wa/Ha. " + " ".join(f"{c}: {t}." for c, t in notes.items())
    )
    readme.write_text(json.dumps(all_notes, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
