#!/usr/bin/env python3
"""check.py - independent checks of the integration files gen writes
(docs/integration.md). Nothing here uses ternforge's own tables: the ports
come from the emitted Verilog, parsed here.

  check.py manifest DIR         manifest.json against DIR/<top>.v's ports,
                                files.f and the folder
  check.py core DIR             <prefix>.core: CAPI2 structure, complete file list
  check.py header DIR VALUES    the values a C program printed from
                                <prefix>_params.h against manifest.json
Prints one line per failed check and exits 1 when any failed."""
import json
import os
import re
import sys

fails = []


def expect(cond, what):
    if not cond:
        fails.append(what)


def verilog_ports(path, top):
    """[(name, direction, width)] of module `top`, in declaration order, from
    an ANSI port list: 'input wire [H:L] name,' per line."""
    text = open(path).read()
    text = re.sub(r"//[^\n]*", "", text)
    m = re.search(r"\bmodule\s+" + re.escape(top) + r"\s*(#\s*\(.*?\)\s*)?\((.*?)\)\s*;",
                  text, re.S)
    if not m:
        fails.append("%s: no module %s" % (path, top))
        return []
    ports = []
    for decl in m.group(2).split(","):
        d = decl.split()
        if not d:
            continue
        toks = re.match(r"\s*(input|output|inout)\s+(?:wire\s+|reg\s+|logic\s+)?"
                        r"(?:signed\s+)?(?:\[\s*(\d+)\s*:\s*(\d+)\s*\]\s*)?(\w+)\s*$", decl)
        if not toks:
            fails.append("%s: cannot read port declaration '%s'" % (path, decl.strip()))
            continue
        width = int(toks.group(2)) - int(toks.group(3)) + 1 if toks.group(2) else 1
        ports.append((toks.group(4), toks.group(1), width))
    return ports


def load_manifest(d):
    return json.load(open(os.path.join(d, "manifest.json")))


def check_manifest(d):
    m = load_manifest(d)
    top = m["top"]
    ports = verilog_ports(os.path.join(d, top + ".v"), top)
    mine = [(p["name"], p["direction"], p["width"]) for p in m["ports"]]
    expect(ports == mine, "manifest ports %s != Verilog ports %s" % (mine, ports))
    expect(len(ports) > 0, "no ports")
    roles = {p["name"]: p["role"] for p in m["ports"]}
    expect(roles.get(m["clock"]["port"]) == "clock", "clock port %s" % m["clock"]["port"])
    expect(roles.get(m["reset"]["port"]) == "reset", "reset port %s" % m["reset"]["port"])
    width = {p[0]: p[2] for p in ports}
    prm = m["parameters"]
    axis = prm.get("interface", "native") == "axis"
    expect(m["interface"] == ("axis" if axis else "native"), "interface %s" % m["interface"])
    # The port names and the reset come from docs/integration.md, not the
    # generator: native <s>_data/_valid/_ready, AXI4-Stream s_axis_<s>_t*
    # and m_axis_res_t* with tdata rounded up to bytes.
    reset = prm.get("reset", "sync")
    want_rst = (("aresetn", "low", True) if axis else ("rst", "high", True)
                if reset == "sync" else ("rst_n", "low", reset == "sync_n"))
    got_rst = (m["reset"]["port"], m["reset"]["active"], m["reset"]["synchronous"])
    expect(got_rst == want_rst, "reset %s, parameters say %s" % (got_rst, want_rst))
    expect(width.get(want_rst[0]) == 1, "no reset port %s in the Verilog" % want_rst[0])
    for s in ("act", "wgt", "res"):
        st = m["streams"][s]
        if axis:
            base = ("m_axis_%s_t" if s == "res" else "s_axis_%s_t") % s
            data, valid, ready = base + "data", base + "valid", base + "ready"
            bits = (st["bits"] + 7) // 8 * 8
        else:
            data, valid, ready = s + "_data", s + "_valid", s + "_ready"
            bits = st["bits"]
        expect(st["port"] == data and width.get(data) == bits == st["port_bits"],
               "%s: port %s (%s bits in the Verilog), stream bits %s, port_bits %s"
               % (s, data, width.get(data), st["bits"], st["port_bits"]))
        # block-scaled: one scale per column of the job above the lanes
        scales = int(prm.get("batch", 1)) * st.get("scale_bits", 0)
        expect(st.get("scale_lsb", st["lanes"] * st["lane_bits"]) == st["lanes"] * st["lane_bits"]
               and st["lanes"] * st["lane_bits"] + scales == st["bits"],
               "%s: lanes x lane_bits (+ scales)" % s)
        for r, name in (("valid", valid), ("ready", ready)):
            expect(roles.get(name) == r, "%s role" % name)
    for f in m["streams"]["cfg"]["fields"]:
        expect(width.get(f["port"], 0) >= f["lsb"] + f["bits"], "cfg field %s" % f["port"])
    if axis:
        expect(width.get("s_axis_cfg_tdata") == 64 and
               [f["lsb"] for f in m["streams"]["cfg"]["fields"]] == [0, 32], "axis cfg beat")
    # docs/protocol.md, "Throughput and latency": the measured L per kind.
    fp = m["kind"] != "fixp" and "act_width" not in prm
    mx = fp and prm.get("act_type", "").startswith(("mx", "nvfp"))
    ts, fl = int(prm["tree_stages"]), int(prm.get("fp_latency", 0))
    clog2 = lambda t: (int(t) - 1).bit_length()
    if not fp:
        L = 2 + ts
    elif mx:
        L = 2 + ts + 2 * fl
    else:
        kind = m["kind"]
        D = {"tlut": (int(prm.get("mu", 1)) - 1) * fl + int(prm.get("lut_reg", 0)),
             "tsign": 0, "tmul": fl}[kind]
        T = prm["luts"] if kind == "tlut" else prm["inputs"]
        L = 2 + D + ts + clog2(T) * fl + fl
    lat = m["latency"]
    expect(lat["last_weight_to_result_cycles"] == L,
           "latency %s, docs/protocol.md's table %s" % (lat["last_weight_to_result_cycles"], L))
    prime = int(prm.get("lut_reg", 0)) if m["kind"] == "tlut" and (mx or not fp) else 0
    expect(lat["prime_cycles_per_job"] == prime,
           "prime cycles %s, documented %s" % (lat["prime_cycles_per_job"], prime))
    listed = [l.strip() for l in open(os.path.join(d, "files.f")) if l.strip()]
    expect(m["files"] == listed, "manifest files %s != files.f %s" % (m["files"], listed))
    on_disk = sorted(f for f in os.listdir(d) if f.endswith(".v"))
    expect(sorted(m["files"]) == on_disk, "manifest files != the .v files of the folder")
    expect(os.path.exists(os.path.join(d, m["constraints"])), "constraints file missing")
    expect(re.fullmatch(r"[0-9a-f]{16}", m["fingerprint"]) is not None, "fingerprint")
    head = open(os.path.join(d, top + ".v")).read(4000)
    expect("Design point %s:" % m["fingerprint"] in head, "fingerprint not in %s.v" % top)
    # The macros are memories.json's (checked against the Verilog's
    # instances by tests/run.sh, section memories).
    mj = json.load(open(os.path.join(d, "memories.json")))["memories"]
    expect([(x["instance"], x["module"], x["depth"], x["width"]) for x in m["memories"]] ==
           [(x["instance"], x["module"], x["depth"], x["width"]) for x in mj], "memories")
    params = m["parameters"]
    expect(params.get("kind") == m["kind"], "parameters.kind")
    # The header leaves out names, port shapes and build styles at their default and the
    # shift range of integer weights (docs/integration.md, docs/fixed-point.md).
    unlisted = {("prefix", "tf"), ("interface", "native"), ("reset", "sync"), ("mem_style", "flops"),
                ("lut_build", "shared")}
    for k, v in params.items():
        if k == "clock_ns" or (k, v) in unlisted or \
                (k in ("shift_min", "shift_max") and params.get("w_encoding") == "int"):
            continue
        expect(re.search(r"\b%s=%s\b" % (re.escape(k), re.escape(str(v))), head)
               is not None, "parameter %s=%s not in the Verilog header" % (k, v))


def check_core(d):
    import yaml
    m = load_manifest(d)
    path = os.path.join(d, m["prefix"] + ".core")
    text = open(path).read()
    expect(text.startswith("CAPI=2:\n"), "first line is not CAPI=2:")
    c = yaml.safe_load(text)
    expect(isinstance(c, dict), "not a mapping")
    expect(len(c.get("name", "").split(":")) == 4, "name is not a VLNV vendor:lib:name:version")
    fs = c.get("filesets", {})
    rtl = fs.get("rtl", {})
    expect(rtl.get("file_type") == "verilogSource", "rtl file_type")
    files = rtl.get("files", [])
    expect(files == m["files"], "rtl files %s != manifest files %s" % (files, m["files"]))
    for name, f in fs.items():
        for e in f.get("files", []):
            n = e if isinstance(e, str) else list(e)[0]
            expect(os.path.exists(os.path.join(d, n)), "fileset %s: %s missing" % (name, n))
    named = set()
    for f in fs.values():
        for e in f.get("files", []):
            named.add(e if isinstance(e, str) else list(e)[0])
    for n in os.listdir(d):
        if n.endswith((".v", ".vh", ".h", ".sdc")):
            expect(n in named, "%s is in no fileset" % n)
    t = c.get("targets", {})
    expect(t.get("default", {}).get("toplevel") == m["top"], "default toplevel")
    for name, tool in (("lint", "verilator"), ("sim", "icarus")):
        tg = t.get(name, {})
        expect(tg.get("toplevel") == m["top"], "%s toplevel" % name)
        expect("rtl" in tg.get("filesets", []), "%s filesets" % name)
        expect(tg.get("default_tool") == tool, "%s default_tool" % name)
        expect(tool in tg.get("tools", {}), "%s tools" % name)
    expect("verilator" in t.get("sim", {}).get("tools", {}), "sim: no verilator")


def check_header(d, values):
    m = load_manifest(d)
    got = dict(l.split("=", 1) for l in open(values).read().split())
    want = {"FINGERPRINT": str(int(m["fingerprint"], 16)), "KIND": m["kind"],
            "MAX_ROWS": m["limits"]["max_rows"], "MAX_COLS": m["limits"]["max_cols"],
            "ROW_BITS": m["streams"]["cfg"]["fields"][0]["bits"],
            "COL_BITS": m["streams"]["cfg"]["fields"][1]["bits"],
            "LATENCY": m["latency"]["last_weight_to_result_cycles"],
            "RES_LANE_SIGNED": int(m["streams"]["res"]["lane_signed"]),
            "WGT_GROUPS": m["streams"]["wgt"]["groups"]}
    for s in ("act", "wgt", "res"):
        st = m["streams"][s]
        S = s.upper()
        want[S + "_BITS"] = st["bits"]
        want[S + "_BYTES"] = (st["bits"] + 7) // 8
        want[S + "_LANES"] = st["lanes"]
        want[S + "_LANE_BITS"] = st["lane_bits"]
        if "scale_bits" in st:
            want[S + "_SCALE_LSB"] = st["scale_lsb"]
            want[S + "_SCALE_BITS"] = st["scale_bits"]
            want["BLOCK"] = st["block"]
    if int(m["parameters"].get("batch", 1)) > 1:
        want["BATCH"] = m["parameters"]["batch"]
    for k, v in want.items():
        expect(got.get(k) == str(v), "%s: header %s, manifest %s" % (k, got.get(k), v))


what = sys.argv[1]
if what == "manifest":
    check_manifest(sys.argv[2])
elif what == "core":
    check_core(sys.argv[2])
elif what == "header":
    check_header(sys.argv[2], sys.argv[3])
else:
    sys.exit("check.py: unknown check %s" % what)
for f in fails:
    print("check.py %s %s: %s" % (what, sys.argv[2], f))
sys.exit(1 if fails else 0)
