"""Regenerates the article's data and start and compares them with nmf-core/data.

The data and start of the article's experiment (nmf-core/data/article_cos2_*.csv)
were recorded from a run of its NumPy script. This script draws the same numbers
from NumPy's legacy generator and checks that they agree bit for bit, which shows
how they were made: the generator is seeded with 32 for the data, and seeded with
32 again for the start, so the start repeats the draws behind the data's x.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python tools/article_cos2.py

It never runs in the tests; the tests use the committed files.
"""

import pathlib
import sys

import numpy as np

DATA = pathlib.Path(__file__).resolve().parent.parent / "nmf-core" / "data"


def drawn():
    np.random.seed(32)
    x = np.random.rand(80) * 4 + 0.2
    y = np.cos(x) ** 2 + np.random.normal(0, 0.1, 80) + 1
    np.random.seed(32)
    u = np.random.rand(80, 2)
    v = np.random.rand(2, 2)
    return {"Y": np.c_[x, y], "W0": u, "H0": v.T}


def main():
    ok = True
    for name, fresh in drawn().items():
        committed = np.loadtxt(DATA / f"article_cos2_{name}.csv", delimiter=",", ndmin=2)
        same = committed.shape == fresh.shape and np.array_equal(committed, fresh)
        print(f"{name}: {fresh.shape}, bit for bit: {same}")
        ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
