"""Times scikit-learn's NMF solvers on the benchmark's problems, in one run.

First let the Rust benchmark write its problems (Y, W0, H0 as raw f64):

    cargo bench -p nmf-core --bench speed -- --write /tmp/bench

then, with NumPy and scikit-learn installed,

    python3 tools/sklearn_speed.py /tmp/bench [nmf-core/benches/results/sklearn.md]

prints, for each problem, milliseconds per iteration of `mu` and of `cd`
(shuffle=False) from the same custom start, the loss each reaches after 200
iterations, and the dgemm rate of NumPy's BLAS on a square product, so that
the Rust benchmark's figures can be set beside these. With a second
argument it also writes them there as a Markdown table. It never runs in
the tests.

For the data kinds (nearly low-rank data and the book's data sets):

    cargo bench -p nmf-core --bench speed -- --kinds --write /tmp/kinds
    python3 tools/sklearn_speed.py --kinds /tmp/kinds [sklearn_kinds.csv]

times `mu`, `cd` and `mu` with `beta_loss="kullback-leibler"`, whole fits
from the same starts, in milliseconds per iteration.
"""

import pathlib
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF

SIZES = [(500, 400, 10), (2000, 1000, 20), (5000, 2000, 30)]


def load(folder, m, n, k, name, shape):
    raw = np.fromfile(folder / f"{m}x{n}k{k}_{name}.f64", dtype="<f8")
    return raw.reshape(shape[1], shape[0]).T.copy()  # written column-major


def per_iteration(y, w0, h0, solver, iterations):
    model = NMF(n_components=w0.shape[1], solver=solver, init="custom",
                tol=0.0, max_iter=iterations, shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        w = model.fit_transform(y, W=w0.copy(), H=h0.copy())
        seconds = time.perf_counter() - start
    loss = float(np.sum((y - w @ model.components_) ** 2))
    return 1e3 * seconds / iterations, loss


def status_mib(field):
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_above(y, w0, h0, solver):
    """MiB that a 10-iteration fit takes beyond what is resident before it."""
    before = status_mib("VmRSS:")
    pathlib.Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM
    per_iteration(y, w0, h0, solver, 10)
    return status_mib("VmHWM:") - before


def kinds(folder, out):
    """Milliseconds per iteration of scikit-learn on every problem that
    `--kinds` wrote, each a whole fit of a fixed number of iterations."""
    rows = ["size,data,algorithm,fit_ms,final_loss"]
    for y_file in sorted(folder.glob("*_Y.f64")):
        stem = y_file.name[: -len("_Y.f64")]
        size, kind = stem.split("_", 1)
        m, rest = size.split("x")
        n, k = rest.split("k")
        m, n, k = int(m), int(n), int(k)
        y = np.fromfile(y_file, dtype="<f8").reshape(n, m).T.copy()
        w0 = np.fromfile(folder / f"{stem}_W0.f64", dtype="<f8").reshape(k, m).T.copy()
        h0 = np.fromfile(folder / f"{stem}_H0.f64", dtype="<f8").reshape(n, k).T.copy()
        iterations = 10 if m * n > 1_000_000 else 50
        for label, solver, beta in (("mu", "mu", "frobenius"), ("cd", "cd", "frobenius"),
                                    ("kl", "mu", "kullback-leibler")):
            best = float("inf")
            for _ in range(3):
                model = NMF(n_components=k, solver=solver, beta_loss=beta, init="custom",
                            tol=0.0, max_iter=iterations, shuffle=False)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    model.fit_transform(y, W=w0.copy(), H=h0.copy())
                    best = min(best, time.perf_counter() - start)
            ms = 1e3 * best / iterations
            print(f"{m} x {n}, k = {k}, {kind:>13}, {label:>3}: {ms:9.2f} ms")
            rows.append(f"{size},{kind},{label},{ms:.3f},{model.reconstruction_err_:.10e}")
    if out:
        pathlib.Path(out).write_text("\n".join(rows) + "\n")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--kinds":
        return kinds(pathlib.Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench")
    a = np.random.default_rng(1).random((1500, 1500))
    start = time.perf_counter()
    for _ in range(3):
        a @ a
    rate = 3 * 2 * 1500**3 / (time.perf_counter() - start) / 1e9
    print(f"NumPy's BLAS, square 1500: {rate:.1f} GFLOP/s (all threads)")
    lines = ["| problem | `mu` (ms) | `cd` (ms) | `mu` loss after 200 | `cd` loss after 200 |",
             "|---|---:|---:|---:|---:|"]
    m, n, k = SIZES[-1]
    y = load(folder, m, n, k, "Y", (m, n))
    w0, h0 = load(folder, m, n, k, "W0", (m, k)), load(folder, m, n, k, "H0", (k, n))
    peaks = {s: peak_above(y, w0, h0, s) for s in ("mu", "cd")}
    for solver in ("mu", "cd"):
        print(f"{solver} at {m} x {n}, k = {k}: Y is {y.nbytes / 2**20:.1f} MiB; "
              f"the fit's peak above it: {peaks[solver]:.1f} MiB")
    print(f"{'m x n, k':>18} {'mu ms':>9} {'cd ms':>9} {'mu loss(200)':>16} {'cd loss(200)':>16}")
    for m, n, k in SIZES:
        y = load(folder, m, n, k, "Y", (m, n))
        w0 = load(folder, m, n, k, "W0", (m, k))
        h0 = load(folder, m, n, k, "H0", (k, n))
        iterations = 200
        mu_ms, mu_loss = per_iteration(y, w0, h0, "mu", iterations)
        cd_ms, cd_loss = per_iteration(y, w0, h0, "cd", iterations)
        print(f"{f'{m} x {n}, {k}':>18} {mu_ms:>9.2f} {cd_ms:>9.2f} {mu_loss:>16.10g} {cd_loss:>16.10g}")
        lines.append(f"| {m} × {n}, K = {k} | {mu_ms:.2f} | {cd_ms:.2f} | {mu_loss:.10g} | {cd_loss:.10g} |")
    lines += ["", f"scikit-learn {sklearn.__version__}, NumPy {np.__version__}; NumPy's BLAS ran a square "
              f"product at {rate:.1f} GFLOP/s. At the largest size a fit's peak memory above Y was "
              f"{peaks['mu']:.0f} MiB for `mu` and {peaks['cd']:.0f} MiB for `cd` (Y is "
              f"{y.nbytes / 2**20:.0f} MiB)."]
    if len(sys.argv) > 2:
        pathlib.Path(sys.argv[2]).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
