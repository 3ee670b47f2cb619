"""Writes the scikit-learn fold-in (transform) fixtures of nmf-core (chapter 10).

Two cases, each a model fitted by scikit-learn and new data it has not seen:

- transform_mu: NMF(n_components=4, solver='mu', beta_loss='frobenius',
  init='random', random_state=0, max_iter=200, tol=0) fitted to a 20 x 12
  matrix Y, then transform(Y_new) for a 7 x 12 matrix Y_new;
- transform_kl: the same with beta_loss='kullback-leibler'.

Y and Y_new are drawn from NumPy's default_rng with fixed seeds, with about
a fifth of their entries set to zero. For each case the files are
transform_<case>_H.csv (the fitted components_, 4 x 12, the basis that
stays fixed), transform_<case>_Ynew.csv and transform_<case>_W.csv (what
transform returned, 7 x 12 -> 7 x 4), with 17 significant digits.

What transform does, as read in sklearn/decomposition/_nmf.py (1.9.1):
_fit_transform(X, H=components_, update_H=False) starts W at the constant
sqrt(X.mean() / n_components) for the 'mu' solver and runs max_iter
multiplicative updates of W alone (tol=0 disables the stopping test). The
script checks that by replaying those updates in NumPy from that start.

    /tmp/article/venv/bin/python tools/sklearn_transform_fixture.py

It never runs in the tests; the tests read the files it wrote.
"""

import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "nmf-core" / "tests" / "fixtures"
K = 4
ITERATIONS = 200


def save(name, a):
    np.savetxt(FIXTURES / name, np.atleast_2d(a), delimiter=",", fmt="%.17g")


def data(seed, rows):
    rng = np.random.default_rng(seed)
    y = rng.uniform(0.0, 5.0, size=(rows, 12))
    y[rng.uniform(size=y.shape) < 0.2] = 0.0
    return y


def replay(y_new, h, beta):
    """transform's loop, written out: W alone, from the constant start."""
    w = np.full((y_new.shape[0], K), np.sqrt(y_new.mean() / K))
    for _ in range(ITERATIONS):
        if beta == "frobenius":
            w = w * (y_new @ h.T) / (w @ (h @ h.T))
        else:
            wh = w @ h
            wh[wh < np.finfo(np.float32).eps] = np.finfo(np.float32).eps
            w = w * ((y_new / wh) @ h.T) / h.sum(axis=1)[np.newaxis, :]
    return w


def case(name, beta):
    y, y_new = data(10, 20), data(11, 7)
    model = NMF(n_components=K, solver="mu", beta_loss=beta, init="random",
                random_state=0, max_iter=ITERATIONS, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns that it did not converge
        model.fit(y)
        w_new = model.transform(y_new)
    h = model.components_
    again = replay(y_new, h, beta)
    gap = np.max(np.abs(again - w_new)) / np.max(np.abs(w_new))
    assert gap < 1e-12, (name, gap)
    save(f"{name}_H.csv", h)
    save(f"{name}_Ynew.csv", y_new)
    save(f"{name}_W.csv", w_new)
    print(f"{name}: H has {int(np.sum(h == 0))} zero entries; replay gap {gap:.1e}")
    return gap


def main():
    gaps = {name: case(name, beta) for name, beta in
            (("transform_mu", "frobenius"), ("transform_kl", "kullback-leibler"))}
    readme = FIXTURES / "README.json"
    notes = json.loads(readme.read_text())
    notes["transform"] = (
        f"scikit-learn {sklearn.__version__}, NumPy {np.__version__}: "
        f"NMF(n_components={K}, solver='mu', beta_loss='frobenius' (transform_mu) or "
        f"'kullback-leibler' (transform_kl), init='random', random_state=0, "
        f"max_iter={ITERATIONS}, tol=0) fitted to a 20 x 12 Y; _H is its components_, "
        "_Ynew new 7 x 12 data, _W what transform(Y_new) returned: max_iter updates of W "
        "alone from the constant sqrt(mean(Y_new) / k) (tools/sklearn_transform_fixture.py; "
        "replayed in NumPy to relative "
        + ", ".join(f"{g:.1e}" for g in gaps.values()) + ")"
    )
    readme.write_text(json.dumps(notes, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
