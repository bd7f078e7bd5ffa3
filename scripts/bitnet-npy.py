#!/usr/bin/env python3
"""bitnet-npy.py - the ternary layers of one BitNet b1.58 2B4T token as
.npy files (scripts/bench-bitnet.sh): per layer q/o 2560x2560, k/v
640x2560, gate/up 6912x2560, down 2560x6912, random weights in {-1, 0, 1}
(int8), and one random int8 activation column per input width.

Usage: bitnet-npy.py DIR [LAYERS [SEED]]. Writes DIR/L<i>.<name>.npy for
i < LAYERS (default 30) and DIR/x<N>.npy; files already there are kept.
NumPy is not needed: a .npy 1.0 file is a header and the raw bytes."""
import os
import random
import sys

SHAPES = [("q", 2560, 2560), ("k", 640, 2560), ("v", 640, 2560), ("o", 2560, 2560),
          ("gate", 6912, 2560), ("up", 6912, 2560), ("down", 2560, 6912)]


def write_npy(path, rows, cols, data):
    header = "{'descr': '|i1', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, cols)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
        f.write(data)
    os.replace(tmp, path)


def main():
    out = sys.argv[1]
    layers = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    os.makedirs(out, exist_ok=True)
    # byte b -> (-1, 0, 1)[b % 3] as int8; 256 = 3 * 85 + 1, so -1 has
    # probability 86/256, 0 and 1 85/256 each.
    table = bytes((0xff, 0, 1)[b % 3] for b in range(256))
    for i in range(layers):
        for name, rows, cols in SHAPES:
            path = os.path.join(out, "L%d.%s.npy" % (i, name))
            if not os.path.exists(path):
                write_npy(path, rows, cols, rng.randbytes(rows * cols).translate(table))
    for n in sorted({c for _, _, c in SHAPES}):
        path = os.path.join(out, "x%d.npy" % n)
        if not os.path.exists(path):
            write_npy(path, n, 1, rng.randbytes(n))


if __name__ == "__main__":
    main()
