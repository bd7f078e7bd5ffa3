#!/usr/bin/env python3
"""make.py - regenerate the NumPy-written test matrices of tests/matrix/
(python3 with numpy; Debian: python3-numpy). The files are written by
NumPy itself, so the tool's .npy reader and writer are checked against an
independent implementation. Run from the repository root, after writing
the expected FP results with a tool whose text reader is trusted:
  for x in '' _f32 _f16; do ternforge run examples/fp16_small.xml \
      --weights tests/matrix/Wfp_7x6.txt --acts tests/matrix/Xfp_6x3$x.txt \
      -o tests/matrix/Yfp_7x3$x.txt; done"""
import numpy as np

D = 'tests/matrix/'
def load(path):  # the tool's text format with its 'ROWS COLS' line
    with open(path) as f:
        r, c = map(int, f.readline().split())
        return np.array([[int(t) for t in f.readline().split()] for _ in range(r)])

W = load('examples/data/W_10x9.txt')
X = load('examples/data/X_9x2.txt')
Y = load('examples/data/Y_10x2.txt')
np.save(D + 'W_10x9.npy', W.astype(np.int8))
np.save(D + 'W_10x9_fortran.npy', np.asfortranarray(W.astype(np.int16)))
np.save(D + 'X_9x2.npy', X.astype(np.int16))
np.save(D + 'X_9_1d.npy', X[:, 0].astype(np.int64))
np.savetxt(D + 'X_9x2_savetxt.txt', X, fmt='%d')
np.savetxt(D + 'X_9_savetxt.txt', X[:, 0], fmt='%d')
np.save(D + 'Y_10x2.npy', Y.astype(np.int32))      # what run -o Y.npy must write
np.save(D + 'Y_10x1.npy', Y[:, :1].astype(np.int32))

# FP16 core (examples/fp16_small.xml): activations as decimals (exact
# expansions of the doubles) and as float64/float32/float16/uint16 arrays.
rng = np.random.default_rng(21)
Wf = rng.integers(-1, 2, size=(7, 6))
Xf = rng.standard_normal((6, 3)) * 4
Xf[0, 0] = 1 + 2.0**-11          # a tie between two fp16 values
Xf[1, 1] = 1 + 3 * 2.0**-11      # a tie, rounds up to even
Xf[2, 2] = 2.0**-25              # half the smallest subnormal: ties to +0
Xf[3, 0] = 65519.99              # just below the overflow midpoint
Xf[4, 1] = -1e-9
with open(D + 'Wfp_7x6.txt', 'w') as f:
    f.write('7 6\n')
    np.savetxt(f, Wf, fmt='%d')
with open(D + 'Xfp_6x3.txt', 'w') as f:
    f.write('6 3\n')
    np.savetxt(f, Xf, fmt='%.80e')
np.save(D + 'Xfp_6x3_f64.npy', Xf)
np.save(D + 'Xfp_6x3_f32.npy', Xf.astype(np.float32))
with open(D + 'Xfp_6x3_f32.txt', 'w') as f:
    f.write('6 3\n')
    np.savetxt(f, Xf.astype(np.float32).astype(np.float64), fmt='%.80e')
h = Xf.astype(np.float16)
np.save(D + 'Xfp_6x3_f16.npy', h)
np.save(D + 'Xfp_6x3_u16.npy', h.view(np.uint16))
with open(D + 'Xfp_6x3_f16.txt', 'w') as f:
    f.write('6 3\n')
    np.savetxt(f, h.view(np.uint16), fmt='0x%04x')

# Expected results: Yfp_*.txt come from `ternforge run` on the text files
# (made by the text reader of the main branch, see tests/run.sh); their .npy
# form is what `run -o Y.npy` must write, float16 for fp16 sums.
import os
for n in ('Yfp_7x3', 'Yfp_7x3_f32', 'Yfp_7x3_f16'):
    if os.path.exists(D + n + '.txt'):
        with open(D + n + '.txt') as f:
            r, c = map(int, f.readline().split())
            y = np.array([[int(t, 16) for t in f.readline().split()] for _ in range(r)],
                         dtype=np.uint16)
        np.save(D + n + '.npy', y.view(np.float16))
