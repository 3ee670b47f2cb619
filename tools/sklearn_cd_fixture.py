"""Writes the scikit-learn `cd` (coordinate descent, HALS) fixture of nmf-core.

From the data and the custom start of the `mu` fixture
(nmf-core/tests/fixtures/sklearn_mu_{Y,W0,H0}.csv), runs
NMF(solver='cd', init='custom', shuffle=False, tol=0) for 1, 10 and 200
iterations and writes W and H after each as sklearn_cd_{W,H}{t}.csv, with
17 significant digits, plus the squared loss after each.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn
    /tmp/venv/bin/python tools/sklearn_cd_fixture.py

It never runs in the tests; the tests read the files it wrote.
"""

import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "nmf-core" / "tests" / "fixtures"


def load(name):
    return np.loadtxt(FIXTURES / f"sklearn_mu_{name}.csv", delimiter=",", ndmin=2)


def save(name, a):
    np.savetxt(FIXTURES / name, a, delimiter=",", fmt="%.17g")


def main():
    y, w0, h0 = load("Y"), load("W0"), load("H0")
    k = w0.shape[1]
    losses = {}
    for t in (1, 10, 200):
        model = NMF(n_components=k, solver="cd", init="custom", shuffle=False,
                    tol=0.0, max_iter=t)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns that it did not converge
            w = model.fit_transform(y, W=w0.copy(), H=h0.copy())
        h = model.components_
        assert model.n_iter_ == t, model.n_iter_
        save(f"sklearn_cd_W{t}.csv", w)
        save(f"sklearn_cd_H{t}.csv", h)
        losses[t] = float(np.sum((y - w @ h) ** 2))
        print(f"t = {t}: loss {losses[t]!r}, reconstruction_err_ {model.reconstruction_err_!r}")
    readme = FIXTURES / "README.json"
    notes = json.loads(readme.read_text())
    notes["sklearn_cd"] = (
        f"scikit-learn {sklearn.__version__} NMF(solver='cd', init='custom', shuffle=False, "
        "tol=0, max_iter=t) from sklearn_mu_Y/W0/H0: W{t}/H{t} after t = 1, 10, 200 "
        "iterations (tools/sklearn_cd_fixture.py); squared losses "
        + ", ".join(f"{t}: {d!r}" for t, d in losses.items())
    )
    readme.write_text(json.dumps(notes, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
