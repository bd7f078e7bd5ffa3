#!/usr/bin/env python3
"""scripts/measured-points.py - which points of each study sweep are measured,
and how far the others are from the nearest measured point (docs/studies.md,
"Measured points").

    python3 scripts/measured-points.py [--tf TERNFORGE] [--top DIR] [STUDY ...]

STUDY is a folder name under reports/studies/ with a points.csv (default:
every one). The measured points are the rows of
reports/paper-direction-measured.tsv (synth --hier, osu018) and the points
of model/tech/validate-hier.points (osu018), validate.points (every
technology), validate-fpga32.points and validate-fpga-hier.points (xc7,
ice40) and calib.points
(calibration, every technology); their measured figures (area on osu018,
LUTs on an FPGA) come from the TSV and the reports/validate-*.txt tables.
A study point is measured when its fingerprint (`ternforge cost ...
--format csv`, the design point without the workload) is that of a point
measured on the study's technology. For the others,
grouped by kind, activation format and mu, the nearest measured point is
the one of the same kind and format (the same mu if there is one, else
the nearest mu) minimising |log2 MAC/cycle ratio| + |log2 max_cols ratio|. Output: Markdown
on stdout, in a fixed order, so it can be diffed when measured rows are
added. Only feasible sweep points count. In the tables, "MAC ratio" and
"max_cols ratio" are the study point's over the nearest measured point's.
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# parameters that say which format a core computes in; a nearest point
# must share them
FORMAT = ("act_type", "act_width", "acc_type")
# parameters reported when the nearest point differs in them, with the
# defaults of docs/params.md (a point string leaves a default out)
OTHER = {"lut_reg": "1", "tree_stages": "0", "out_depth": "2", "fp_latency": "0",
         "batch": "1", "mem_style": "flops", "weight_store": "native",
         "lut_build": "shared", "max_rows": "4096"}


def macs(p):
    """Peak MAC/cycle of a design point (a dict of its parameters)."""
    g = lambda k: int(p.get(k) or 0)
    if p["kind"] == "tlut":
        m = g("luts") * g("mu") * g("keys")
    elif p["kind"] == "fixp":
        m = g("array_rows") * g("array_cols")
    else:
        m = g("inputs") * g("keys")
    return m * max(1, g("batch"))


def fmt_ratio(r):
    if abs(r - 1) < 1e-9:
        return "1"
    return "%.0f" % r if r >= 100 else "%.3g" % r


def cost(tf, base, sets):
    """(fingerprint, parameter dict, model area) of a point given as k=v."""
    cmd = [tf, "cost", base]
    for s in sets:
        cmd += ["--set", s]
    out = subprocess.run(cmd + ["--format", "csv"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("measured-points: %s: %s" % (" ".join(sets), out.stderr.strip()))
    row = next(csv.DictReader(out.stdout.splitlines()))
    p = dict(kv.split("=", 1) for kv in row["point"].split())
    return row["fingerprint"], p, float(row["area_um2"])


def read_points_file(path):
    """name -> list of k=v from a .points file (name: k=v k=v ...)."""
    pts = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, rest = line.split(":", 1)
            pts.append((name.strip(), rest.split()))
    return pts


def read_validate_values(path, names):
    """name -> the measured figure (area, or LUTs on an FPGA) of each point
    of NAMES in a `ternforge validate` table (its first number column)."""
    vals = {}
    if not os.path.exists(path):
        return vals
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) >= 2 and w[0] in names:
                vals[w[0]] = float(w[1])
    return vals


def measured_points(tf, base):
    """fingerprint -> {params, names, value: {tech: measured figure or None}}"""
    meas = {}

    def add(name, sets, values):
        fp, p, _ = cost(tf, base, sets)
        m = meas.setdefault(fp, {"params": p, "names": [], "value": {}})
        m["names"].append((name, set(values)))
        for t, v in values.items():
            if m["value"].get(t) is None:
                m["value"][t] = v

    tsv = os.path.join(TOP, "reports/paper-direction-measured.tsv")
    with open(tsv) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            flow, act, tile, kind, mu, area = line.split("\t")[:6]
            n = int(tile)
            a = ["act_type=int", "act_width=8"] if act == "int8" else ["act_type=" + act]
            if kind == "tlut":
                k = ["kind=tlut", "mu=" + mu, "luts=%d" % ((n + int(mu) - 1) // int(mu)),
                     "keys=%d" % n, "lut_reg=1"]
                label = "%s %dx%d tlut mu %s" % (act, n, n, mu)
            else:
                k = ["kind=" + kind, "inputs=%d" % n, "keys=%d" % n]
                label = "%s %dx%d %s" % (act, n, n, kind)
            add("paper-direction %s (%s)" % (label, flow),
                k + a + ["max_rows=4096", "max_cols=64", "out_depth=2"],
                {"osu018": float(area)})
    # points file, what, {technology: the report with its measured figures}
    # (calib.points: every technology is calibrated on it, no report)
    sets = (("validate-hier.points", "hier held-out",
             {"osu018": "validate-osu018-hier.txt"}),
            ("validate.points", "flat held-out",
             {"osu018": "validate-osu018.txt", "xc7": "validate-xc7.txt",
              "ice40": "validate-ice40.txt"}),
            ("validate-fpga32.points", "flat held-out, FPGA",
             {"xc7": "validate-xc7-32.txt", "ice40": "validate-ice40-32.txt"}),
            ("validate-fpga-hier.points", "hier held-out, FPGA",
             {"xc7": "validate-xc7-hier.txt", "ice40": "validate-ice40-hier.txt"}),
            ("calib.points", "flat calibration",
             {"osu018": None, "xc7": None, "ice40": None}))
    for pts, what, reports in sets:
        path = os.path.join(TOP, "model/tech", pts)
        if not os.path.exists(path):
            continue
        points = read_points_file(path)
        names = {n for n, _ in points}
        vals = {t: read_validate_values(os.path.join(TOP, "reports", r), names) if r else {}
                for t, r in reports.items()}
        for name, kv in points:
            add("%s (%s)" % (name, what), kv, {t: vals[t].get(name) for t in reports})
    return meas


def study_points(path):
    """fingerprint -> (params, modelled figure) of the feasible points: area
    on an ASIC technology, LUTs on an FPGA (the figure validate measures)."""
    pts = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["status"] != "feasible":
                continue
            p = {k: v for k, v in row.items() if v != ""}
            fig = row.get("area_um2") or row.get("fpga_luts")
            pts.setdefault(row["fingerprint"], (p, float(fig) if fig else None))
    return pts


def fmt_key(p):
    return tuple(p.get(k, "") for k in FORMAT)


def fmt_name(p):
    a = p.get("act_type", "")
    if a == "int":
        a = "int%s" % p.get("act_width", "")
    acc = p.get("acc_type", "auto")
    return a if acc in ("", "auto") else "%s/%s" % (a, acc)


def distance(p, q):
    return (abs(math.log2(macs(p) / macs(q))) +
            abs(math.log2(int(p["max_cols"]) / int(q["max_cols"]))))


def report(study, pts, meas_all):
    print("## %s\n" % study)
    techs = sorted({p.get("tech", "") for p, _ in pts.values()})
    if len(techs) != 1:
        sys.exit("measured-points: %s: one technology a study (%s)" % (study, ", ".join(techs)))
    tech = techs[0]
    # only what was measured on the study's technology counts, under the
    # names of the lists that measured it there
    meas = {fp: dict(m, names=[n for n, ts in m["names"] if tech in ts])
            for fp, m in meas_all.items() if tech in m["value"]}
    unit = "um2" if tech == "osu018" else "LUTs"
    hit = sorted(fp for fp in pts if fp in meas)
    print("%d feasible points, %d measured on %s.\n" % (len(pts), len(hit), tech))
    if hit:
        print("| point | measured as | measured %s | model %s | error |" % (unit, unit))
        print("|---|---|---:|---:|---:|")
        rows = []
        for fp in hit:
            p, model = pts[fp]
            m = meas[fp]
            v = m["value"][tech]
            err = "%+.1f %%" % (100 * (model - v) / v) if v is not None and model is not None else ""
            area = "" if v is None else "%.0f" % v
            rows.append((p["kind"], fmt_name(p), p.get("mu", ""), macs(p),
                         "| %s %s%s, %d MAC/cycle, max_cols %s | %s | %s | %s | %s |" % (
                             p["kind"], fmt_name(p), " mu " + p["mu"] if p["kind"] == "tlut" else "",
                             macs(p), p["max_cols"], "; ".join(m["names"]), area,
                             "" if model is None else "%.0f" % model, err)))
        for r in sorted(rows):
            print(r[-1])
        print()
    groups = {}
    for fp, (p, _) in pts.items():
        if fp not in meas:
            groups.setdefault((p["kind"], fmt_key(p), p.get("mu", "")), []).append(p)
    if not groups:
        return
    print("| unmeasured | points | MAC/cycle | max_cols | nearest measured | its MAC/cycle, max_cols | MAC ratio | max_cols ratio | also differs in |")
    print("|---|---:|---|---|---|---|---|---|---|")
    for key in sorted(groups, key=lambda k: (k[0], k[1], int(k[2] or 0))):
        ps = groups[key]
        kind, fk, mu = key
        cands = [m for m in meas.values() if m["params"]["kind"] == kind and fmt_key(m["params"]) == fk]
        same = [m for m in cands if m["params"].get("mu", "") == mu]
        name = "%s %s%s" % (kind, fmt_name(ps[0]), " mu " + mu if mu else "")
        mr = sorted({macs(p) for p in ps})
        cr = sorted({int(p["max_cols"]) for p in ps})
        span = lambda v: str(v[0]) if len(v) == 1 else "%d..%d" % (v[0], v[-1])
        if not cands:
            print("| %s | %d | %s | %s | none of this kind and format | | | | |" % (
                name, len(ps), span(mr), span(cr)))
            continue
        pool = same or cands
        near = {}
        for p in ps:
            # without a point of the same mu, the nearest mu first
            best = min(pool, key=lambda m: (abs(int(m["params"].get("mu") or 0) - int(mu or 0)),
                                            distance(p, m["params"]), m["names"][0]))
            near.setdefault(best["names"][0], (best, []))[1].append(p)
        for label in sorted(near):
            best, sub = near[label]
            q = best["params"]
            ratios = sorted(macs(p) / macs(q) for p in sub)
            cols = sorted(int(p["max_cols"]) / int(q["max_cols"]) for p in sub)
            # lut_reg and lut_build exist for tlut only
            diff = sorted({k for p in sub for k, d in OTHER.items()
                           if (kind == "tlut" or not k.startswith("lut_"))
                           and p.get(k, d) != q.get(k, d)})
            if not same:
                diff = ["mu %s" % q.get("mu", "")] + diff
            rs = lambda v: fmt_ratio(v[0]) if v[0] == v[-1] else "%s..%s" % (fmt_ratio(v[0]), fmt_ratio(v[-1]))
            print("| %s | %d | %s | %s | %s | %d, %s | %s | %s | %s |" % (
                name, len(sub), span(sorted({macs(p) for p in sub})),
                span(sorted({int(p["max_cols"]) for p in sub})), label,
                macs(q), q["max_cols"], rs(ratios), rs(cols), ", ".join(diff)))
    print()


def main(argv):
    global TOP
    tf = os.path.join(TOP, "build/ternforge")
    while argv[:1] in (["--tf"], ["--top"]) and len(argv) >= 2:
        if argv[0] == "--tf":
            tf = argv[1]
        else:
            TOP = argv[1]  # a tree with reports/ and model/tech/ (tests)
        argv = argv[2:]
    if argv[:1] and argv[0].startswith("-"):
        sys.exit("usage: measured-points.py [--tf TERNFORGE] [--top DIR] [STUDY ...]")
    studies = argv or sorted(d for d in os.listdir(os.path.join(TOP, "reports/studies"))
                             if os.path.exists(os.path.join(TOP, "reports/studies", d, "points.csv")))
    for s in studies:
        if not os.path.exists(os.path.join(TOP, "reports/studies", s, "points.csv")):
            sys.exit("measured-points: %s: no such study (no reports/studies/%s/points.csv)" % (s, s))
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.xml")  # every parameter comes from --set
        with open(base, "w") as f:
            f.write('<?xml version="1.0"?>\n<ternforge version="1"><core kind="tlut"/></ternforge>\n')
        meas = measured_points(tf, base)
    print("# Measured points of the studies\n")
    print("Written by `make measured-points` (scripts/measured-points.py) from the "
          "sweeps' points.csv and the measured lists the script names (%d measured "
          "design points); docs/studies.md, \"Measured points, study by study\".\n" % len(meas))
    for s in studies:
        report(s, study_points(os.path.join(TOP, "reports/studies", s, "points.csv")), meas)


if __name__ == "__main__":
    main(sys.argv[1:])
