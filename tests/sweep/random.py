#!/usr/bin/env python3
"""tests/sweep/random.py - random sweep files through `ternforge sweep`.

Each file is drawn from a seed: one to three <core> blocks of any kind and
activation type (batch, dense weights, SRAM, lut_build, tree_stages among
the free or fixed parameters), a matrix or a model workload (decode or
prefill) with one or two bandwidths, a <memory>, one or two technologies,
a target clock, constraints on area and tokens/s, one to three objectives,
a curve plot, and any strategy with any budget. Many draw no feasible
point; some are refused (an exhaustive strategy over its budget). Checks:
  * the sweep exits 0, or 1 with `FILE:LINE: error: ...` and no output;
  * --jobs 2 writes the bytes of --jobs 1 (every file, plots included);
  * shards 0/2 and 1/2, merged, write the bytes of the unsharded run.
Prints one PASS or FAIL line per file and keeps a failing file beside the
log. Usage: random.py TF SEED COUNT [KEEP_DIR]
(tests/sweep/run.sh runs a few; a campaign runs hundreds.) """
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TF, SEED, COUNT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
KEEP = sys.argv[4] if len(sys.argv) > 4 else None
rng = random.Random(SEED)


def pick(n, values):
    return ' '.join(str(v) for v in sorted(rng.sample(values, n)))


def core():
    kind = rng.choice(['tlut', 'tlut', 'tsign', 'tmul', 'fixp'])
    fixed, params = {}, []
    if kind == 'tlut':
        params.append(('mu', pick(rng.randint(1, 3), range(1, 7))))
        params.append(('luts', pick(rng.randint(1, 3), [1, 2, 3, 4, 8, 16])))
        if rng.random() < .3:
            fixed['lut_build'] = rng.choice(['shared', 'direct'])
    elif kind in ('tsign', 'tmul'):
        params.append(('inputs', pick(rng.randint(1, 3), [1, 4, 8, 16, 32, 64])))
    else:
        params.append(('array_rows', pick(rng.randint(1, 2), [1, 2, 4, 8, 16])))
        params.append(('array_cols', pick(rng.randint(1, 2), [1, 2, 4, 8, 16])))
        if rng.random() < .3:
            fixed['w_encoding'] = 'pow2'
    if kind != 'fixp':
        params.append(('keys', pick(rng.randint(1, 3), [1, 2, 4, 8, 16, 32])))
        if rng.random() < .3:
            params.append(('batch', pick(rng.randint(1, 3), [1, 2, 3, 4, 8])))
        if rng.random() < .2 and kind != 'tmul':
            fixed['weight_store'] = 'dense'
        if rng.random() < .4:
            acts = ['int', 'fp16', 'bf16', 'fp8e4m3']
            if kind != 'tmul':
                acts += ['mxfp4', 'nvfp4', 'mxint8']
            fixed['act_type'] = rng.choice(acts)
    if rng.random() < .3:
        params.append(('tree_stages', pick(rng.randint(1, 2), [0, 1, 2, 3])))
    if rng.random() < .2:
        fixed['mem_style'] = 'sram'
    rng.shuffle(params)
    attrs = ''.join(' %s="%s"' % kv for kv in fixed.items())
    s = '    <core kind="%s" label="b%d"%s>\n' % (kind, rng.randint(0, 99), attrs)
    for p, v in params:
        s += '      <param name="%s" values="%s"/>\n' % (p, v)
    return s + '    </core>\n'


def sweep_file(i):
    techs = rng.choice([['osu018'], ['osu018'], ['xc7'], ['ice40'], ['xc7', 'ice40']])
    asic = techs == ['osu018']
    strat = rng.choice(['auto', 'exhaustive', 'random', 'anneal'])
    budget = rng.choice([0, 5, 17, 60])
    if strat in ('random', 'anneal') and budget == 0:
        budget = 20
    target = ' target_tokens_per_s="%g"' % rng.choice([1, 100, 1e5]) if rng.random() < .4 else ''
    s = ('<?xml version="1.0"?>\n<ternforge version="1">\n'
         '  <sweep name="r%d" strategy="%s" budget="%d" seed="%d" chains="%d"%s>\n'
         % (i, strat, budget, rng.randint(1, 9), rng.randint(1, 4), target))
    if rng.random() < .3:
        model = rng.choice(['bitnet-b1.58-2b4t', 'bitnet-b1.58-large'])
        phase = ('prefill', ' tokens="%d"' % rng.choice([1, 7, 64])) if rng.random() < .5 \
            else ('decode', '')
        s += '    <workload model="%s" phase="%s"%s bw_gbps="%s"/>\n' % (
            model, phase[0], phase[1], rng.choice(['0', '51.2', '25 819.2']))
    else:
        s += '    <workload M="%d" N="%d" B="%d" bw_gbps="%s"/>\n' % (
            rng.choice([1, 7, 64, 300, 4096]), rng.choice([1, 5, 64, 257, 2048]),
            rng.choice([1, 3, 16]), rng.choice(['0', '10', '1 100']))
    if rng.random() < .3:
        s += '    <memory name="m1" bw_gbps="%g" %s/>\n' % (
            rng.choice([0.5, 51.2, 800]),
            rng.choice(['pj_per_bit="4"', 'preset="ddr4-3200-x16-core"', '']))
    s += '    <tech name="%s"/>\n' % ' '.join(techs)
    if asic and rng.random() < .5:
        s += '    <clock ns="%g"/>\n' % rng.choice([3, 5, 9, 40])
    for _ in range(rng.randint(1, 3)):
        s += core()
    figs = ['area', 'throughput', 'latency'] + (['energy', 'energy_uj_per_token'] if asic else [])
    objs = rng.sample(figs, rng.randint(1, 3))
    if asic and rng.random() < .3:
        s += '    <constraint figure="area" max="%g"/>\n' % rng.choice([1e5, 1e6, 1e8])
    if rng.random() < .3:
        s += '    <constraint figure="tokens_per_s" min="%g"/>\n' % rng.choice([1, 1000])
    for o in objs:
        s += '    <objective figure="%s"/>\n' % o
    if rng.random() < .4:
        s += '    <plot x="%s" y="%s" series="%s"/>\n' % (
            rng.choice(['keys', 'batch', 'tech', 'bw_gbps']), objs[0],
            rng.choice(['core', 'act_type', 'tech', 'kind']))
    return s + '  </sweep>\n</ternforge>\n'


def differ(a, b):
    """The first difference between two output folders, or None."""
    fa, fb = sorted(os.listdir(a)), sorted(os.listdir(b))
    if fa != fb:
        return 'files %s vs %s' % (fa, fb)
    for f in fa:
        pa, pb = os.path.join(a, f), os.path.join(b, f)
        if os.path.isdir(pa):
            d = differ(pa, pb)
            if d:
                return d
        else:
            with open(pa, 'rb') as x, open(pb, 'rb') as y:
                if x.read() != y.read():
                    return f + ' differs'
    return None


def run(tmp, args, out):
    try:
        return subprocess.run([TF] + args + ['-o', os.path.join(tmp, out)],
                              capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None


def check(tmp, f):
    """None when the sweep file passes, else what failed."""
    p = run(tmp, ['sweep', f], 'a')
    if p is None:
        return 'timeout'
    if p.returncode:
        if p.returncode == 1 and re.match(r'^[^\n]*s\.xml:\d+: error: ', p.stderr) and \
                not p.stdout and not os.path.exists(os.path.join(tmp, 'a')):
            return None
        return 'exit %d: %s' % (p.returncode, p.stderr.strip()[-300:])
    q = run(tmp, ['sweep', f, '--jobs', '2'], 'b')
    if not q or q.returncode:
        return '--jobs 2 failed'
    d = differ(os.path.join(tmp, 'a'), os.path.join(tmp, 'b'))
    if d:
        return '--jobs 2: ' + d
    for i in (0, 1):
        r = run(tmp, ['sweep', f, '--shard', '%d/2' % i], 's%d' % i)
        if not r or r.returncode:
            return 'shard %d/2 failed: %s' % (i, r.stderr.strip()[-300:] if r else 'timeout')
    m = run(tmp, ['merge', os.path.join(tmp, 's0'), os.path.join(tmp, 's1')], 'm')
    if not m or m.returncode:
        return 'merge failed: %s' % (m.stderr.strip()[-300:] if m else 'timeout')
    d = differ(os.path.join(tmp, 'a'), os.path.join(tmp, 'm'))
    return 'shards merged: ' + d if d else None


fails = 0
for i in range(COUNT):
    text = sweep_file(i)
    tmp = tempfile.mkdtemp(prefix='tf-sweep-random-')
    try:
        f = os.path.join(tmp, 's.xml')
        with open(f, 'w') as out:
            out.write(text)
        why = check(tmp, f)
    finally:
        shutil.rmtree(tmp)
    name = 'sweep/random: seed %d file %d' % (SEED, i)
    if why:
        fails += 1
        print('FAIL %s: %s' % (name, why))
        if KEEP:
            with open(os.path.join(KEEP, 'sweep-random-%d-%d.xml' % (SEED, i)), 'w') as out:
                out.write(text)
    else:
        print('PASS %s: exit status, --jobs 2 and merged shards' % name)
sys.exit(1 if fails else 0)
