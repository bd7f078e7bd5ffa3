#!/usr/bin/env python3
"""tests/randcosim/random.py - random design points through `ternforge sim`.

Each point is drawn from a seed: any kind and activation type (integer
widths 2..16, FP8/FP16/BF16 with every sum format and fp_latency 0..3, the
block-scaled formats), small odd sizes (µ 1..5, L, K, P 1..13, fixp
arrays up to 6 x 7 with any formats and rounding modes), max_rows and
max_cols from 1 to 64 (tiles wider than max_cols included), tree stages,
FIFO depths 1..7, batch, dense weights, SRAM buffers, AXI4-Stream,
every reset, prefixes and small wrapping accumulators. Each is
co-simulated with a few random problems and random stalls. Checks:
  * `sim` exits 0 with "N passed, 0 failed", or exits 1 with
    `FILE:LINE: error: ...` (a point the tool refuses) and no verdict;
  * anything else (a mismatch, a hang, a crash, a tool error) fails, and
    the point's file is kept (KEEP_DIR, or printed).
Prints one PASS or FAIL line per point and a summary.
Usage: random.py TF SEED COUNT [SIMULATOR [KEEP_DIR]]
(tests/run.sh runs a few under iverilog; `make fuzz-cosim` runs more
under both simulators.)"""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TF, SEED, COUNT = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
SIM = sys.argv[4] if len(sys.argv) > 4 else 'iverilog'
KEEP = sys.argv[5] if len(sys.argv) > 5 else None
rng = random.Random(SEED)
FP = ['fp16', 'bf16', 'fp8e4m3', 'fp8e5m2']
MX = ['mxint8', 'mxfp8e4m3', 'mxfp8e5m2', 'mxfp6e3m2', 'mxfp6e2m3', 'mxfp4', 'nvfp4']


def point():
    kind = rng.choice(['tlut', 'tlut', 'tsign', 'tmul', 'fixp'])
    a = {'kind': kind}
    if kind != 'fixp':
        act = rng.choice(['int'] * 6 + FP + (MX if kind != 'tmul' else []))
        a['act_type'] = act
        if act == 'int':
            a['act_width'] = rng.randint(2, 16)
        else:
            a['acc_type'] = rng.choice(['auto', 'auto', 'fp16', 'bf16', 'fp32'])
            a['fp_latency'] = rng.randint(0, 3)
        if kind == 'tlut':
            a['mu'] = rng.choice([1, 2, 2, 3, 3, 4, 5])
            a['luts'] = rng.randint(1, 5)
            a['keys'] = rng.randint(1, 6)
            a['lut_reg'] = rng.randint(0, 1)
            a['lut_build'] = rng.choice(['shared', 'direct'])
        else:
            a['inputs'] = rng.randint(1, 13)
            a['keys'] = rng.randint(1, 6)
        if kind != 'tmul' and rng.random() < .2:
            a['weight_store'] = 'dense'
    else:
        a['array_rows'] = rng.randint(1, 6)
        a['array_cols'] = rng.randint(1, 7)
        for p in 'xwy':
            w = rng.randint(1, 16)
            a[p + '_width'] = w
            a[p + '_int'] = rng.randint(-4, w + 4)
            a[p + '_signed'] = rng.randint(0, 1)
        if rng.random() < .3:
            lo = rng.randint(-8, 2)
            a.update(w_encoding='pow2', shift_min=lo, shift_max=rng.randint(lo, lo + 4))
        a['acc_overflow'] = rng.choice(['wrap', 'sat'])
        a['quant'] = rng.choice(['trn', 'trn_zero', 'rnd', 'rnd_zero', 'rnd_min_inf',
                                 'rnd_inf', 'rnd_conv'])
        a['overflow'] = rng.choice(['wrap', 'sat', 'sat_zero', 'sat_sym'])
    if rng.random() < .25 and a.get('act_type', 'int') == 'int':
        a['acc_width'] = rng.randint(2, 40)
    a['max_rows'] = rng.choice([1, 2, 3, 7, 16, 33, 64])
    a['max_cols'] = rng.choice([1, 2, 5, 9, 32, 47, 64])
    a['tree_stages'] = rng.choice([0, 0, 1, 1, 2, 3])
    a['out_depth'] = rng.choice([1, 1, 2, 3, 4, 7])
    if rng.random() < .3:
        a['batch'] = rng.randint(2, 4)
    if rng.random() < .2:
        a['mem_style'] = 'sram'
    if rng.random() < .2:
        a['interface'] = 'axis'
    elif rng.random() < .3:
        a['reset'] = rng.choice(['sync', 'sync_n', 'async_n'])
    if rng.random() < .2:
        a['prefix'] = rng.choice(['c0', 'my_core', 'X'])
    attrs = ' '.join('%s="%s"' % kv for kv in a.items())
    return '<?xml version="1.0"?>\n<ternforge version="1">\n  <core %s/>\n</ternforge>\n' % attrs


def main():
    tmp = tempfile.mkdtemp(prefix='randcosim.')
    npass = nref = nfail = 0
    try:
        for i in range(COUNT):
            text = point()
            name = 'p%03d.xml' % i
            path = os.path.join(tmp, name)
            with open(path, 'w') as f:
                f.write(text)
            stall = rng.choice([0, 20, 40])
            cmd = [TF, 'sim', name, '--vectors', '3', '--seed', str(SEED + i), '--simulator',
                   SIM, '--stall', str(stall)]
            try:
                r = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
                out, err, rc = r.stdout, r.stderr, r.returncode
            except subprocess.TimeoutExpired:
                out, err, rc = '', 'timeout after 600 s', -1
            tag = 'randcosim/%d/%s (%s, stall %d%%)' % (SEED, name, SIM, stall)
            verdict = re.search(r'^(\d+) passed, 0 failed$', out, re.M)
            if rc == 0 and verdict:
                npass += 1
                print('PASS %s: %s' % (tag, verdict.group(0)))
            elif rc == 1 and re.match(re.escape(name) + r':\d+: error: ', err) and \
                    'passed' not in out:
                nref += 1
                print('PASS %s: refused, %s' % (tag, err.splitlines()[0][len(name) + 1:]))
            else:
                nfail += 1
                kept = 'printed below'
                if KEEP:
                    os.makedirs(KEEP, exist_ok=True)
                    kept = os.path.join(KEEP, '%d-%s' % (SEED, name))
                    shutil.copy(path, kept)
                    kept = 'kept as ' + kept
                print('FAIL %s: exit %d, the point %s' % (tag, rc, kept))
                for line in (err + out).splitlines()[-8:]:
                    print('    ' + line)
                if not KEEP:
                    print('    ' + text.replace('\n', '\n    '))
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('randcosim seed %d: %d points co-simulated, %d refused with a located error, '
          '%d failed' % (SEED, npass, nref, nfail))
    return 1 if nfail else 0


sys.exit(main())
