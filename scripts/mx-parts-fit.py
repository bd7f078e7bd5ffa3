#!/usr/bin/env python3
"""scripts/mx-parts-fit.py - fit osu018's mxconv and mxdec unit costs alone
(the other units held) to the measured areas of the block converters (u_cv)
and element decoders (u_dec) of `synth --hier --parts` (issue 18;
docs/cost-model.md, "Block-scaled converters and decoders").

Weighted like `calibrate --parts` (each row divided by its measured area):
U = sum(x/y) / sum((x/y)^2) for one feature. The converter rows also hold
the converters' fp_latency output registers, priced at the tech's `reg`.
Synthesis results come from the cache; an uncached point is synthesized,
so run this under the shared lock. Usage:
  python3 scripts/mx-parts-fit.py [--fit PATTERN] [--check PATTERN]
(defaults: fit the mx_* points of calib.points, check v_mx_* of
validate.points).
  python3 scripts/mx-parts-fit.py --tech xc7|ice40 [--fit P] [--check P]
FPGA technologies (no --hier flow): the whole core's measured LUTs and
carry cells minus the model's without converters and decoders are fitted
by mxconv and mxdec together (two features, same weighting); the residual
also holds the rest of the model's error on these points."""
import atexit, csv, os, re, shutil, subprocess, sys, tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TF = os.path.join(TOP, 'build', 'ternforge')
args = sys.argv[1:]
fit_pat = args[args.index('--fit') + 1] if '--fit' in args else 'mx_'
chk_pat = args[args.index('--check') + 1] if '--check' in args else 'v_mx_'
tech = args[args.index('--tech') + 1] if '--tech' in args else None
tmp = tempfile.mkdtemp()
atexit.register(shutil.rmtree, tmp)
base = os.path.join(tmp, 'base.xml')
open(base, 'w').write('<?xml version="1.0"?>\n<ternforge version="1"><core kind="tlut"/></ternforge>\n')
reg = float(re.search(r'^unit area\s+reg\s+(\S+)', open(os.path.join(TOP, 'model/tech/osu018.tech')).read(), re.M).group(1))

def points(f, pat):
    for l in open(os.path.join(TOP, 'model/tech', f)):
        if re.match(pat, l):
            n, p = l.split(':', 1)
            yield n.strip(), p.split()

def units(sets):
    """The converters' and decoders' price units and the converters' output
    register bits of one point, from its inventory."""
    cv = dec = regbits = 0
    for l in subprocess.run([TF, 'inventory', base] + sets, capture_output=True, text=True,
                            check=True).stdout.splitlines():
        f_ = l.split()
        if f_[1] == 'mxconv':  # ... sum SW man MAN ue4m3 UE count N: mw + max(0, mw - man - 1)
            mw = int(f_[5]) + 4 * int(f_[9])
            cv += int(f_[11]) * (mw + max(0, mw - int(f_[7]) - 1))
        elif f_[1] == 'mxdec':  # ... exp E man M count N: (man + 1) 2^exp
            dec += int(f_[9]) * ((int(f_[7]) + 1) << int(f_[5]))
        elif f_[0] == 'convert' and f_[1] == 'reg':
            regbits += int(f_[3]) * int(f_[7])
    return cv, dec, regbits

if tech:
    techf = os.path.join(TOP, 'model/tech', tech + '.tech')
    figs = ('luts', 'carry')
    def cur(fig, u):  # the unit cost now in the file, taken out of the model again
        m = re.search(r'^unit %s\s+%s\s+(\S+)' % (fig, u), open(techf).read(), re.M)
        return float(m.group(1)) if m else 0.0
    def frows(f, pat):
        out = []
        for n, p in points(f, pat):
            sets = sum([['--set', q] for q in p], [])
            txt = subprocess.run([TF, 'synth', base, '--tech', tech] + sets, capture_output=True,
                                 text=True, check=True).stdout
            cv, dec, _ = units(sets)
            r = {}
            for fig in figs:
                y, m = re.search(r'^%s\s+(\S+)\s+(\S+)' % fig, txt, re.M).groups()
                r[fig] = (float(y), float(m) - cv * cur(fig, 'mxconv') - dec * cur(fig, 'mxdec'))
            out.append((n, cv, dec, r))
        return out
    fit = frows('calib.points', fit_pat)
    chk = frows('validate.points', chk_pat)
    for fig in figs:
        # weighted least squares, rows divided by the measured total:
        # (y - m0)/y = a cv/y + b dec/y
        s11 = s12 = s22 = t1 = t2 = 0.0
        for n, cv, dec, r in fit:
            y, m0 = r[fig]
            x1, x2, z = cv / y, dec / y, (y - m0) / y
            s11 += x1 * x1; s12 += x1 * x2; s22 += x2 * x2; t1 += x1 * z; t2 += x2 * z
        det = s11 * s22 - s12 * s12
        a, b = (t1 * s22 - t2 * s12) / det, (s11 * t2 - s12 * t1) / det
        if b < 0:  # a negative unit cost is no price: hold the decoders at 0
            a, b = t1 / s11, 0.0
        print('unit %-6s mxconv %.4g' % (fig, a))
        print('unit %-6s mxdec  %.4g' % (fig, b))
        for label, rs in (('fit', fit), ('check', chk)):
            for n, cv, dec, r in rs:
                y, m0 = r[fig]
                m = m0 + cv * a + dec * b
                print('%-5s %-18s %-5s measured %7.0f before %7.0f %+6.1f %% after %7.0f %+6.1f %%'
                      % (label, n, fig, y, m0, 100 * (m0 / y - 1), m, 100 * (m / y - 1)))
    sys.exit(0)

def rows(f, pat):
    out = []
    for n, p in points(f, pat):
        sets = sum([['--set', q] for q in p], [])
        csvf = os.path.join(tmp, n + '.csv')
        subprocess.run([TF, 'synth', base, '--hier', '--parts', csvf] + sets, check=True,
                       stdout=subprocess.DEVNULL)
        part = {r['groups']: float(r['measured_um2']) for r in csv.DictReader(open(csvf))}
        cv, dec, regbits = units(sets)
        out.append((n, cv, regbits, part.get('u_cv'), dec, part.get('u_dec')))
    return out

fit = rows('calib.points', fit_pat)
a = [cv / (y - rb * reg) for n, cv, rb, y, d, yd in fit if y]
b = [d / yd for n, cv, rb, y, d, yd in fit if yd]
ucv = sum(a) / sum(v * v for v in a)
udec = sum(b) / sum(v * v for v in b)
print('unit area   mxconv %.4g' % ucv)
print('unit area   mxdec  %.4g' % udec)
for label, rs in (('fit', fit), ('check', rows('validate.points', chk_pat))):
    for n, cv, rb, y, d, yd in rs:
        if y:
            m = cv * ucv + rb * reg
            print('%-5s %-18s u_cv  measured %9.0f model %9.0f %+6.1f %%' % (label, n, y, m, 100 * (m / y - 1)))
        if yd:
            m = d * udec
            print('%-5s %-18s u_dec measured %9.0f model %9.0f %+6.1f %%' % (label, n, yd, m, 100 * (m / yd - 1)))
