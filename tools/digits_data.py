"""Writes nmf-core/data/digits.bin, the 8 x 8 handwritten digits of chapter 10.

The source is the copy of the UCI "Optical Recognition of Handwritten
Digits" test set (Alpaydin and Kaynak; CC BY 4.0) that scikit-learn ships
as sklearn/datasets/data/digits.csv.gz: 1797 lines of 65 integers, the 64
pixels of an 8 x 8 image row by row, each in 0..16, then the digit 0..9.

digits.bin holds the same 1797 x 65 integers, in the same order, one byte
each, and nothing else (116805 bytes). nmf_core::datasets::digits reads it
with include_bytes!. The script reads the file back and checks that every
byte is the number in the CSV, then prints what the Rust test checks: the
FNV-1a 64-bit hash of the bytes, the first image, and how many images show
each digit (the same as sklearn.datasets.load_digits).

    /tmp/article/venv/bin/python tools/digits_data.py

It never runs in the tests.
"""

import gzip
import hashlib
import pathlib

import numpy as np
import sklearn
from sklearn.datasets import load_digits

SOURCE = pathlib.Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
OUT = pathlib.Path(__file__).resolve().parent.parent / "nmf-core" / "data" / "digits.bin"


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) % (1 << 64)
    return h


def main():
    raw = SOURCE.read_bytes()
    with gzip.open(SOURCE, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    assert table.shape == (1797, 65), table.shape
    assert table.min() == 0 and table[:, :64].max() == 16 and table[:, 64].max() == 9
    data = table.astype(np.uint8).tobytes(order="C")
    OUT.write_bytes(data)

    back = np.frombuffer(OUT.read_bytes(), dtype=np.uint8).reshape(1797, 65)
    assert np.array_equal(back.astype(np.int64), table)
    # The same numbers as scikit-learn's own loader.
    digits = load_digits()
    assert np.array_equal(back[:, :64].astype(np.float64), digits.data)
    assert np.array_equal(back[:, 64], digits.target)

    print(f"scikit-learn {sklearn.__version__}")
    print(f"source sha256 {hashlib.sha256(raw).hexdigest()} ({len(raw)} bytes)")
    print(f"wrote {OUT} ({len(data)} bytes), FNV-1a 64 = {fnv1a64(data):#018x}")
    print("first image:", back[0, :64].tolist(), "label", back[0, 64])
    print("images per digit:", np.bincount(back[:, 64]).tolist())


if __name__ == "__main__":
    main()
