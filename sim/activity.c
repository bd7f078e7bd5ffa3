/* activity.c - power from simulated switching activity (see activity.h).
 *
 * The flow, in one work directory:
 *   synth/   the ASIC flow of synth.c with its files kept (netlist.v);
 *   gate/    gate.ys: Yosys reads netlist.v over the Liberty cells as
 *            black boxes, flattens it (a --hier netlist too) and renames
 *            every internal net and cell to a private _N_ name, so the
 *            waveform's names and OpenSTA's are the same plain strings
 *            (escaped names such as "\g_lut[0].u_lut.a0 " are spelled
 *            differently by each tool); ports keep their names. act.v is
 *            that netlist: it is what is simulated and what OpenSTA
 *            prices. cells.v: functional models of the Liberty cells
 *            (Yosys read_liberty), every flop starting from $random, as
 *            tests/synth/run.sh explains (the vendor's osu018_stdcells.v
 *            UDP flops start and stay x in iverilog);
 *   sim/     the co-simulation harness (cosim.c) under iverilog on the
 *            stimulus, dumping the core's own nets (+vcddut) to act.vcd.
 *            The outputs must equal the C model's: a netlist that does not
 *            compute the core's function has no meaningful activity.
 *   gate/activity.tcl: per-net activities (toggles per clock cycle) and
 *            duty (fraction of time at 1) for every pin of every net, then
 *            report_power. Debian's OpenSTA 2.0.17 has no VCD or SAIF
 *            reader, and its set_power_activity -pins is broken (it loops
 *            over an unset variable) and takes input pins only, so the
 *            script calls sta::set_power_pin_activity directly.
 * The simulation is zero-delay: toggles are functional transitions, one
 * per net per time stamp at most. Glitches (hazards in adder carry chains
 * that a timed simulation would show) are not counted, so the dynamic
 * power is a lower bound in that respect (docs/cost-model.md).
 *
 * The cache key: synth.c's key of the run (RTL, scripts, Liberty, clock,
 * tool versions), the iverilog version, the harness, the gate script, the
 * stimulus settings and this file's flow version. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "activity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gen/memories.h"
#include "../model/cost.h"
#include "../model/kind.h"
#include "cache.h"
#include "embedded.h"
#include "rng.h"
#include "softfloat.h"
#include "tools.h"
#include "util.h"

const char *const act_dist_names[] = { "gauss", "uniform", NULL };

/* ------------------------------------------------------------ stimulus */

/* Uniform in [0, 1). */
static double unit_draw(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* Standard normal (Box-Muller; one of the pair is enough here). */
static double normal_draw(struct rng *r)
{
    double u = unit_draw(r), v = unit_draw(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

static int64_t draw_act(const struct design_point *dp, enum act_dist dist, struct rng *r,
                        int64_t amin, int64_t amax)
{
    if (dp->d.fp) {
        double x = dist == ACT_GAUSS ? normal_draw(r) : 2.0 * unit_draw(r) - 1.0;
        char text[64];
        uint32_t bits;
        snprintf(text, sizeof text, "%.17g", x);
        if (sf_parse((enum sf_format)dp->d.act_fmt, text, &bits))
            BUG("sf_parse refused %s", text);
        return bits;
    }
    if (dist == ACT_UNIFORM)
        return rng_range(r, amin, amax);
    double x = nearbyint(normal_draw(r) * (double)amax / 4.0);
    return x < (double)amin ? amin : x > (double)amax ? amax : (int64_t)x;
}

static int64_t draw_weight(const struct design_point *dp, double zeros, struct rng *r)
{
    if (unit_draw(r) < zeros)
        return 0;
    int64_t w;
    do /* the kind's non-zero codes, equally likely (ternary: +1, -1) */
        w = kind_random_weight(dp, r, 100);
    while (w == 0);
    return w;
}

void activity_stimulus(const struct design_point *dp, const struct activity_opts *ao,
                       struct job_set *js)
{
    long M = dp->max_rows < 64 ? dp->max_rows : 64, N = dp->max_cols < 64 ? dp->max_cols : 64;
    double per_job = cost_job_cycles(dp, M, N);
    long jobs = per_job > 0 ? (long)ceil((double)ao->cycles / per_job) : 1;
    if (jobs < 1)
        jobs = 1;
    struct rng r = { ao->seed };
    int64_t amin, amax;
    kind_act_range(dp, &amin, &amax);
    memset(js, 0, sizeof *js);
    js->n = (int)jobs;
    js->W = xcalloc((size_t)jobs, sizeof *js->W);
    js->X = xcalloc((size_t)jobs, sizeof *js->X);
    for (long j = 0; j < jobs; j++) {
        struct matrix *W = &js->W[j], *X = &js->X[j];
        mat_init(W, (int)M, (int)N);
        mat_init(X, (int)N, 1);
        W->path = "W";
        X->path = "X";
        for (size_t i = 0; i < (size_t)M * (size_t)N; i++)
            W->v[i] = draw_weight(dp, ao->zeros, &r);
        for (long n = 0; n < N; n++)
            X->v[n] = draw_act(dp, ao->dist, &r, amin, amax);
    }
}

void activity_stimulus_free(struct job_set *js)
{
    for (int i = 0; i < js->n; i++) {
        mat_free(&js->W[i]);
        mat_free(&js->X[i]);
    }
    free(js->W);
    free(js->X);
    memset(js, 0, sizeof *js);
}

/* --------------------------------------------------------- VCD counting */

struct vcd_sig {
    char *id;
    int width, nalias;
    int *nets;        /* nalias x width: net of bit b (from the LSB) of alias a */
    char *val, *nv;   /* committed and pending value per bit: '0', '1', 'x' */
    double *last;     /* time of the last committed change per bit */
    long *toggles;
    double *high;
    int dirty;
};

struct vcd {
    const char *path;
    struct vcd_sig *sig;
    int nsig, alloc;
    int *table;       /* open addressing: signal index + 1, 0 empty */
    size_t tsize;
    struct vcd_counts *c;
    int nets_alloc;
    int clock, reset; /* signal indices, -1: none */
    int *dirty;
    int ndirty;
};

static uint64_t id_hash(const char *s, size_t n)
{
    return fnv1a64(s, n, FNV1A64_INIT);
}

static int vcd_find(const struct vcd *v, const char *id, size_t n)
{
    if (!v->tsize)
        return -1;
    for (size_t h = id_hash(id, n) & (v->tsize - 1);; h = (h + 1) & (v->tsize - 1)) {
        int k = v->table[h];
        if (!k)
            return -1;
        if (strlen(v->sig[k - 1].id) == n && !memcmp(v->sig[k - 1].id, id, n))
            return k - 1;
    }
}

static void vcd_rehash(struct vcd *v)
{
    free(v->table);
    v->tsize = 64;
    while (v->tsize < 2 * (size_t)v->nsig + 2)
        v->tsize *= 2;
    v->table = xcalloc(v->tsize, sizeof *v->table);
    for (int i = 0; i < v->nsig; i++) {
        size_t h = id_hash(v->sig[i].id, strlen(v->sig[i].id)) & (v->tsize - 1);
        while (v->table[h])
            h = (h + 1) & (v->tsize - 1);
        v->table[h] = i + 1;
    }
}

static int add_net(struct vcd *v, const char *name)
{
    struct vcd_counts *c = v->c;
    if (c->n == v->nets_alloc) {
        v->nets_alloc = v->nets_alloc ? 2 * v->nets_alloc : 256;
        c->net = xrealloc(c->net, (size_t)v->nets_alloc * sizeof *c->net);
    }
    c->net[c->n] = (struct vcd_net){ xstrdup(name), 0, 0 };
    return c->n++;
}

/* A $var of the wanted scope: `ref` and its optional range "[m:l]" or "[i]". */
static int vcd_var(struct vcd *v, int line, long width, const char *id, const char *ref,
                   const char *range)
{
    if (width < 1 || width > (1L << 20))
        return error("%s:%d: error: variable '%s' has width %ld", v->path, line, ref, width);
    long msb = width - 1, lsb = 0;
    int ranged = 0;
    if (range) {
        char close;
        if (sscanf(range, "[%ld:%ld%c", &msb, &lsb, &close) == 3 && close == ']')
            ranged = 1;
        else if (sscanf(range, "[%ld%c", &msb, &close) == 2 && close == ']')
            lsb = msb, ranged = 1;
        if (!ranged || labs(msb - lsb) + 1 != width)
            return error("%s:%d: error: variable '%s': range '%s' does not fit width %ld",
                         v->path, line, ref, range, width);
    }
    int s = vcd_find(v, id, strlen(id));
    if (s < 0) {
        if (v->nsig == v->alloc) {
            v->alloc = v->alloc ? 2 * v->alloc : 256;
            v->sig = xrealloc(v->sig, (size_t)v->alloc * sizeof *v->sig);
        }
        struct vcd_sig *g = &v->sig[v->nsig];
        memset(g, 0, sizeof *g);
        g->id = xstrdup(id);
        g->width = (int)width;
        g->val = xmalloc((size_t)width);
        g->nv = xmalloc((size_t)width);
        memset(g->val, 'x', (size_t)width);
        memset(g->nv, 'x', (size_t)width);
        g->last = xcalloc((size_t)width, sizeof *g->last);
        g->toggles = xcalloc((size_t)width, sizeof *g->toggles);
        g->high = xcalloc((size_t)width, sizeof *g->high);
        s = v->nsig++;
        vcd_rehash(v);
    }
    struct vcd_sig *g = &v->sig[s];
    if (g->width != width)
        return error("%s:%d: error: identifier '%s' declared with widths %d and %ld", v->path,
                     line, id, g->width, width);
    g->nets = xrealloc(g->nets, (size_t)(g->nalias + 1) * (size_t)width * sizeof *g->nets);
    for (long b = 0; b < width; b++) {
        struct strbuf name = STRBUF_INIT;
        if (!ranged && width == 1)
            sb_adds(&name, ref);
        else
            sb_addf(&name, "%s[%ld]", ref, msb >= lsb ? lsb + b : lsb - b);
        g->nets[(size_t)g->nalias * (size_t)width + (size_t)b] = add_net(v, name.buf);
        sb_release(&name);
    }
    g->nalias++;
    return s;
}

/* Time at 1 of [from, to] inside the window (t0 < 0: not open yet). */
static double window_part(const struct vcd_counts *c, double from, double to)
{
    if (c->t0 < 0)
        return 0;
    if (from < c->t0)
        from = c->t0;
    return to > from ? to - from : 0;
}

/* The pending values of every changed signal become its values at t. */
static void vcd_commit(struct vcd *v, double t)
{
    struct vcd_counts *c = v->c;
    for (int i = 0; i < v->ndirty; i++) {
        int s = v->dirty[i];
        struct vcd_sig *g = &v->sig[s];
        g->dirty = 0;
        for (int b = 0; b < g->width; b++) {
            char o = g->val[b], n = g->nv[b];
            if (o == n)
                continue;
            if (o == '1')
                g->high[b] += window_part(c, g->last[b], t);
            if (o != 'x' && n != 'x' && c->t0 >= 0 && t > c->t0) {
                g->toggles[b]++;
                if (s == v->clock && n == '1')
                    c->cycles++;
            }
            if (s == v->reset && n == '0' && c->t0 < 0)
                c->t0 = t;
            g->val[b] = n;
            g->last[b] = t;
        }
    }
    v->ndirty = 0;
}

static void vcd_set(struct vcd *v, int s, const char *bits, size_t n)
{
    struct vcd_sig *g = &v->sig[s];
    for (int b = 0; b < g->width; b++) {
        /* shorter values extend to the left with 0, or with x / z */
        char ch = (size_t)b < n ? bits[n - 1 - (size_t)b]
                  : (bits[0] == '1' ? '0' : bits[0]);
        g->nv[b] = ch == '0' ? '0' : ch == '1' ? '1' : 'x';
    }
    if (!g->dirty) {
        g->dirty = 1;
        v->dirty[v->ndirty++] = s;
    }
}

/* The next white-space separated token of *p (NULL at the end); *line
 * counts the newlines passed. */
static char *next_tok(char **p, int *line, size_t *len)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
        if (*s == '\n')
            (*line)++;
        s++;
    }
    if (!*s)
        return *p = s, NULL;
    char *e = s;
    while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
        e++;
    *len = (size_t)(e - s);
    *p = e;
    return s;
}

#define TOK_IS(t, n, lit) ((n) == sizeof(lit) - 1 && !memcmp((t), (lit), (n)))

/* Skip to the token after the next $end. */
static int skip_section(struct vcd *v, char **p, int *line, const char *what)
{
    size_t n;
    char *t;
    while ((t = next_tok(p, line, &n)))
        if (TOK_IS(t, n, "$end"))
            return 0;
    return error("%s:%d: error: %s without $end", v->path, *line, what);
}

static int vcd_header(struct vcd *v, char **p, int *line, const char *scope,
                      const char *clock, const char *reset)
{
    struct strbuf path = STRBUF_INIT;
    int rc = -1;
    size_t n;
    char *t;
    while ((t = next_tok(p, line, &n))) {
        if (TOK_IS(t, n, "$enddefinitions")) {
            rc = skip_section(v, p, line, "$enddefinitions");
            break;
        } else if (TOK_IS(t, n, "$scope")) {
            size_t n1, n2;
            char *type = next_tok(p, line, &n1), *name = type ? next_tok(p, line, &n2) : NULL;
            (void)type;
            if (!name || skip_section(v, p, line, "$scope"))
                goto bad;
            if (path.len)
                sb_adds(&path, ".");
            sb_add(&path, name, n2);
        } else if (TOK_IS(t, n, "$upscope")) {
            char *dot = path.buf ? strrchr(path.buf, '.') : NULL;
            if (!path.len) {
                error("%s:%d: error: $upscope outside any scope", v->path, *line);
                goto out;
            }
            path.len = dot ? (size_t)(dot - path.buf) : 0;
            path.buf[path.len] = '\0';
            if (skip_section(v, p, line, "$upscope"))
                goto out;
        } else if (TOK_IS(t, n, "$var")) {
            /* type width id name [range] $end, copied out (the text stays whole) */
            int at = *line, k = 0;
            char tok[5][1024];
            char *w;
            size_t wn;
            while ((w = next_tok(p, line, &wn)) && !TOK_IS(w, wn, "$end")) {
                if (k < 5)
                    snprintf(tok[k], sizeof tok[k], "%.*s", (int)(wn < 1023 ? wn : 1023), w);
                k++;
            }
            if (!w || k < 4 || k > 5) {
                error("%s:%d: error: a $var needs a type, a width, an identifier, a name "
                      "and $end", v->path, at);
                goto out;
            }
            if (path.len && !strcmp(path.buf, scope)) {
                char *end;
                long width = strtol(tok[1], &end, 10);
                if (*end || end == tok[1]) {
                    error("%s:%d: error: $var width '%s' is not a number", v->path, at,
                          tq(tok[1]));
                    goto out;
                }
                /* "name[7:0]" in one token, or "name [7:0]" */
                char *br = strchr(tok[3], '[');
                const char *range = k == 5 ? tok[4] : NULL;
                if (br && !range) {
                    snprintf(tok[4], sizeof tok[4], "%s", br);
                    *br = '\0';
                    range = tok[4];
                }
                int sig = vcd_var(v, at, width, tok[2], tok[3], range);
                if (sig < 0)
                    goto out;
                if (!strcmp(tok[3], clock) && width == 1)
                    v->clock = sig;
                if (!strcmp(tok[3], reset) && width == 1)
                    v->reset = sig;
            }
        } else if (t[0] == '$') {
            char what[64];
            snprintf(what, sizeof what, "%.*s", (int)(n < 63 ? n : 63), t);
            if (skip_section(v, p, line, what))
                goto out;
        } else {
            error("%s:%d: error: unexpected '%.*s' in the VCD header", v->path, *line,
                  (int)(n < 40 ? n : 40), t);
            goto out;
        }
    }
    if (rc) {
        if (!t)
            error("%s:%d: error: no $enddefinitions: not a VCD file, or cut short", v->path,
                  *line);
        goto out;
    }
    if (v->clock < 0 || v->reset < 0) {
        rc = error("%s: error: scope '%s' has no 1-bit variable '%s'", v->path, scope,
                   v->clock < 0 ? clock : reset);
        goto out;
    }
    goto out;
bad:
    error("%s:%d: error: a $scope needs a type and a name", v->path, *line);
    rc = -1;
out:
    sb_release(&path);
    return rc;
}

static int vcd_body(struct vcd *v, char **p, int *line)
{
    struct vcd_counts *c = v->c;
    double now = 0;
    int have_time = 0;
    size_t n;
    char *t;
    while ((t = next_tok(p, line, &n))) {
        char k = t[0];
        if (k == '#') {
            char *end;
            double tn = strtod(t + 1, &end);
            if (end != t + n || end == t + 1 || !(tn >= now))
                return error("%s:%d: error: bad or decreasing time stamp '%.*s'", v->path,
                             *line, (int)(n < 40 ? n : 40), t);
            vcd_commit(v, now);
            now = tn;
            have_time = 1;
        } else if (k == '$') {
            /* $dumpvars, $dumpall, $dumpon, $dumpoff and their $end: the
             * values inside are ordinary changes; $comment is skipped */
            if (TOK_IS(t, n, "$comment") && skip_section(v, p, line, "$comment"))
                return -1;
        } else if (k == '0' || k == '1' || k == 'x' || k == 'X' || k == 'z' || k == 'Z') {
            if (n < 2)
                return error("%s:%d: error: value change '%c' without an identifier", v->path,
                             *line, k);
            int s = vcd_find(v, t + 1, n - 1);
            if (s >= 0)
                vcd_set(v, s, t, 1);
        } else if (k == 'b' || k == 'B' || k == 'r' || k == 'R') {
            size_t m;
            char *id = next_tok(p, line, &m);
            if (!id)
                return error("%s:%d: error: vector value without an identifier", v->path,
                             *line);
            int s = k == 'b' || k == 'B' ? vcd_find(v, id, m) : -1;
            if (s >= 0) {
                if (n < 2 || strspn(t + 1, "01xXzZuUwWlLhH-") < n - 1)
                    return error("%s:%d: error: bad vector value", v->path, *line);
                vcd_set(v, s, t + 1, n - 1);
            }
        } else {
            return error("%s:%d: error: unexpected '%.*s' in the value changes", v->path,
                         *line, (int)(n < 40 ? n : 40), t);
        }
        if (!have_time && k != '$')
            return error("%s:%d: error: a value change before the first time stamp", v->path,
                         *line);
    }
    vcd_commit(v, now);
    if (c->t0 < 0)
        return error("%s: error: the reset never falls to 0: no window to count in", v->path);
    c->t1 = now;
    return 0;
}

int vcd_count(const char *path, const char *scope, const char *clock, const char *reset,
              struct vcd_counts *c)
{
    memset(c, 0, sizeof *c);
    c->t0 = -1;
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return -1;
    if (strlen(text) != len) {
        free(text);
        return error("%s: error: a NUL byte: not a VCD file", path);
    }
    struct vcd v;
    memset(&v, 0, sizeof v);
    v.path = path;
    v.c = c;
    v.clock = v.reset = -1;
    char *p = text;
    int line = 1;
    int rc = vcd_header(&v, &p, &line, scope, clock, reset);
    if (!rc) {
        v.dirty = xcalloc((size_t)v.nsig + 1, sizeof *v.dirty);
        rc = vcd_body(&v, &p, &line);
    }
    for (int s = 0; s < v.nsig; s++) {
        struct vcd_sig *g = &v.sig[s];
        for (int b = 0; !rc && b < g->width; b++) {
            if (g->val[b] == '1')
                g->high[b] += window_part(c, g->last[b], c->t1);
            for (int a = 0; a < g->nalias; a++) {
                struct vcd_net *net = &c->net[g->nets[(size_t)a * (size_t)g->width + (size_t)b]];
                net->toggles = g->toggles[b];
                net->high = g->high[b];
            }
        }
        free(g->id);
        free(g->nets);
        free(g->val);
        free(g->nv);
        free(g->last);
        free(g->toggles);
        free(g->high);
    }
    free(v.sig);
    free(v.table);
    free(v.dirty);
    free(text);
    if (rc)
        vcd_counts_free(c);
    return rc;
}

void vcd_counts_free(struct vcd_counts *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->net[i].name);
    free(c->net);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------- the flow */

/* gate.ys: the netlist flattened with private names (see the top of the
 * file), then the cell models. %s: the Liberty file, the top. */
#define GATE_YS "read_liberty -lib \"%s\"\n" \
                "read_verilog ../synth/netlist.v\n" \
                "hierarchy -top %s\n" \
                "flatten\n" \
                "rename -hide w:* c:*\n" \
                "write_verilog -noattr -simple-lhs act.v\n" \
                "design -reset\n" \
                "read_liberty -ignore_miss_func \"%s\"\n" \
                "write_verilog -noattr cells.v\n"

/* The per-net activities go to OpenSTA through a Tcl array; every pin of
 * a counted net gets them. The clock is left to create_clock. */
#define ACT_TCL_TAIL \
    "set tf_set 0\nset tf_nets 0\n" \
    "foreach net [get_nets *] {\n" \
    "    incr tf_nets\n" \
    "    set name [get_full_name $net]\n" \
    "    if {![info exists tf_act($name)]} continue\n" \
    "    lassign $tf_act($name) a d\n" \
    "    foreach pin [get_pins -of_objects $net] { sta::set_power_pin_activity $pin $a $d }\n" \
    "    incr tf_set\n" \
    "}\n" \
    "foreach port [get_ports *] {\n" \
    "    set name [get_full_name $port]\n" \
    "    if {[info exists tf_act($name)] && [get_property $port direction] == \"input\"} {\n" \
    "        lassign $tf_act($name) a d\n" \
    "        sta::set_power_input_port_activity $port $a $d\n" \
    "    }\n" \
    "}\n" \
    "puts \"tf_activity: $tf_nets nets, $tf_set set\"\n" \
    "report_power -digits 6\n"

#define ACT_D(f) { #f, offsetof(struct activity_result, f), 1 }
#define ACT_L(f) { #f, offsetof(struct activity_result, f), 0 }
static const struct cache_field act_fields[] = {
    ACT_D(seconds), ACT_D(sim_seconds), ACT_L(jobs), ACT_L(M), ACT_L(N), ACT_L(macs),
    ACT_L(cycles), ACT_L(nets), ACT_L(nets_set), ACT_D(mean_activity), ACT_D(power_mw),
    ACT_D(power_internal_mw), ACT_D(power_switching_mw), ACT_D(power_leakage_mw),
};
#define NACT ((int)(sizeof act_fields / sizeof act_fields[0]))

static const char *iverilog_version(void)
{
    static char *v;
    static int asked;
    if (!asked) {
        char *argv[] = { "iverilog", "-V", NULL };
        v = cmd_first_line(argv);
        asked = 1;
    }
    return v;
}

static int check_activity(const struct design_point *dp, const struct synth_flow *f,
                          const struct activity_opts *ao)
{
    struct tf_memory mem[2];
    if (f->kind != FLOW_ASIC)
        return error("%s: error: --activity needs an asic technology (a Liberty library "
                     "and OpenSTA)", tf_progname);
    if (dp->interface != IF_NATIVE || dp->reset != RST_SYNC)
        return error("%s: error: --activity simulates the native interface with a "
                     "synchronous reset (interface=native reset=sync)", tf_progname);
    if (memories_of(dp, mem))
        return error("%s: error: --activity cannot simulate SRAM macros (mem_style=sram "
                     "keeps them black boxes)", tf_progname);
    if (!(ao->zeros >= 0 && ao->zeros <= 1) || ao->cycles < ACTIVITY_MIN_CYCLES ||
        ao->cycles > ACTIVITY_MAX_CYCLES || (unsigned)ao->dist > ACT_UNIFORM)
        BUG("activity options not checked: zeros %g cycles %ld", ao->zeros, ao->cycles);
    if (!iverilog_version())
        return error("%s: error: --activity: cannot run 'iverilog -V': Icarus Verilog is "
                     "needed for the gate-level simulation (is it in PATH?)", tf_progname);
    return 0;
}

/* The activity cache key and the settings it stands for. */
static int activity_key(const struct design_point *dp, const struct synth_flow *f,
                        const struct activity_opts *ao, uint64_t *key)
{
    uint64_t sk;
    if (synth_key(dp, f, &sk))
        return -1;
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "ternforge-activity 1\n%016llx\n%s\n%s\n%s\n%s\n"
                 "seed=%llu zeros=%.17g dist=%s cycles=%ld\n",
            (unsigned long long)sk, iverilog_version(), template_text("tb_iverilog.v"), GATE_YS,
            ACT_TCL_TAIL, (unsigned long long)ao->seed, ao->zeros, act_dist_names[ao->dist],
            ao->cycles);
    *key = fnv1a64(sb.buf, sb.len, FNV1A64_INIT);
    sb_release(&sb);
    return 0;
}

static int tool_in(const char *dir, char *const argv[], const char *log, int verbose)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", dir, log);
    int rc = run_cmd_in(dir, argv, p.buf, verbose);
    if (rc) {
        error("%s: error: activity: %s failed (status %d); log: %s", tf_progname, argv[0], rc,
              p.buf);
        show_log(p.buf, 12);
    }
    sb_release(&p);
    return rc ? -1 : 0;
}

/* gate/: act.v, cells.v (every flop from $random) and files.f. */
static int make_gate(const char *gate, const char *lib, const struct design_point *dp,
                     int verbose)
{
    char *top = gen_name(dp, "_top");
    struct strbuf ys = STRBUF_INIT;
    sb_addf(&ys, GATE_YS, lib, top, lib);
    free(top);
    int rc = -1;
    char *yosys[] = { "yosys", "-q", "-s", "gate.ys", NULL };
    if (mkdir_p(gate) || write_in_dir(gate, "gate.ys", ys.buf) ||
        tool_in(gate, yosys, "gate.log", verbose))
        goto out;
    struct strbuf p = STRBUF_INIT, out = STRBUF_INIT;
    sb_addf(&p, "%s/cells.v", gate);
    char *cells = read_file(p.buf, NULL);
    sb_release(&p);
    if (!cells)
        goto out;
    /* "  reg IQ;" -> "  reg IQ;\n  initial IQ = $random;": power-up state */
    int regs = 0;
    for (char *line = cells, *nl; *line; line = nl) {
        nl = strchr(line, '\n');
        nl = nl ? nl + 1 : line + strlen(line);
        sb_add(&out, line, (size_t)(nl - line));
        char name[256], semi;
        size_t ind = strspn(line, " ");
        if (sscanf(line + ind, "reg %255[A-Za-z0-9_$]%c", name, &semi) == 2 && semi == ';') {
            sb_addf(&out, "%.*sinitial %s = $random;\n", (int)ind, line, name);
            regs++;
        }
    }
    free(cells);
    if (!regs)
        error("%s/cells.v: error: no flip-flop models: is %s a Liberty file with ff groups?",
              gate, lib);
    else if (!write_in_dir(gate, "cells.v", out.buf) && !write_in_dir(gate, "files.f", "cells.v\nact.v\n"))
        rc = 0;
    sb_release(&out);
out:
    sb_release(&ys);
    return rc;
}

/* gate/activity.tcl from the counts, at clock period clock_ns. */
static char *activity_tcl(const struct design_point *dp, const char *lib,
                          const struct vcd_counts *vc, const char *clk, double *mean)
{
    struct strbuf t = STRBUF_INIT;
    synth_sta_prelude(&t, dp, lib, "act.v");
    sb_adds(&t, "array set tf_act {\n");
    double sum = 0;
    long n = 0;
    double span = vc->t1 - vc->t0;
    for (int i = 0; i < vc->n; i++) {
        const struct vcd_net *x = &vc->net[i];
        if (!strcmp(x->name, clk) || strpbrk(x->name, "{}\\ \"$;"))
            continue;
        double a = vc->cycles ? (double)x->toggles / (double)vc->cycles : 0;
        double d = span > 0 ? x->high / span : 0;
        sb_addf(&t, "    {%s} {%.6g %.6g}\n", x->name, a, d > 1 ? 1 : d);
        sum += a;
        n++;
    }
    sb_adds(&t, "}\n" ACT_TCL_TAIL);
    *mean = n ? sum / (double)n : 0;
    return sb_detach(&t);
}

static int parse_activity_log(const char *log, struct activity_result *ar)
{
    char *t = read_file(log, NULL);
    if (!t)
        return -1;
    int power = 0, nets = 0, errors = 0;
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "Error", 5) && errors++ < 5)
            fprintf(stderr, "    %s\n", line);
        else if (sscanf(line, "tf_activity: %ld nets, %ld set", &ar->nets, &ar->nets_set) == 2)
            nets = 1;
        else if (synth_power_line(line, &ar->power_mw, &ar->power_internal_mw,
                                  &ar->power_switching_mw, &ar->power_leakage_mw))
            power = 1;
    }
    free(t);
    if (errors || !power || !nets)
        return error("%s: error: OpenSTA reported %s", log,
                     errors ? "errors" : !nets ? "no activity summary" : "no power");
    return 0;
}

/* Simulate gate/ on the stimulus; the outputs must be the model's. */
static int simulate(const struct design_point *dp, const struct activity_opts *ao,
                    const char *work, const char *gate, int verbose, struct activity_result *ar)
{
    struct job_set js;
    activity_stimulus(dp, ao, &js);
    ar->jobs = js.n;
    ar->M = js.W[0].rows;
    ar->N = js.W[0].cols;
    ar->macs = (long)js.n * ar->M * ar->N;
    struct strbuf sdir = STRBUF_INIT, vcd = STRBUF_INIT;
    sb_addf(&sdir, "%s/sim", work);
    sb_addf(&vcd, "%s/act.vcd", work);
    /* Zeros in the don't-care fields: the toggles the calibration measured. */
    struct cosim_opts co = { SIM_IVERILOG, ao->seed, 0, sdir.buf, verbose, vcd.buf, gate, NULL,
                             0, 1, 1 };
    struct matrix *Y = xcalloc((size_t)js.n, sizeof *Y);
    struct cosim_stats st;
    int rc = cosim_run(dp, &js, &co, Y, &st, NULL) ? -1 : 0;
    ar->sim_seconds = st.sim_seconds;
    for (int i = 0; !rc && i < js.n; i++) {
        struct matrix ref;
        kind_get(dp)->model(dp, &js.W[i], &js.X[i], &ref);
        for (int r = 0; !rc && r < ref.rows; r++)
            if (MAT(&ref, r, 0) != MAT(&Y[i], r, 0))
                rc = error("%s: error: activity: the gate-level netlist gives y[%d] = %lld in "
                           "job %d, the C model %lld: the netlist does not compute the core's "
                           "function (see %s)", tf_progname, r, (long long)MAT(&Y[i], r, 0),
                           i + 1, (long long)MAT(&ref, r, 0), gate);
        mat_free(&ref);
    }
    for (int i = 0; i < js.n; i++)
        if (Y[i].v)
            mat_free(&Y[i]);
    free(Y);
    activity_stimulus_free(&js);
    sb_release(&sdir);
    sb_release(&vcd);
    return rc;
}

int activity_run(const struct design_point *dp, const struct synth_flow *f,
                 const struct synth_opts *so, const struct activity_opts *ao,
                 struct activity_result *ar, struct synth_result *syn)
{
    memset(ar, 0, sizeof *ar);
    memset(syn, 0, sizeof *syn);
    uint64_t key;
    if (check_activity(dp, f, ao) || activity_key(dp, f, ao, &key))
        return -1;
    char *root = cache_root();
    struct strbuf name = STRBUF_INIT, entry = STRBUF_INIT, work = STRBUF_INIT,
                  sub = STRBUF_INIT, gate = STRBUF_INIT, log = STRBUF_INIT;
    sb_addf(&name, "activity-%016llx.txt", (unsigned long long)key);
    sb_addf(&entry, "%s/%s", root, name.buf);
    int rc = -1, tmp = 0, slot = -1;
    char *clk = NULL, *tcl = NULL, *lib = NULL;
    struct vcd_counts vc;
    memset(&vc, 0, sizeof vc);
    /* the synthesis result alone (global activity) is cheap when cached */
    if (!so->no_cache && !so->keep_dir &&
        !cache_fields_read(entry.buf, key, act_fields, NACT, ar, sizeof *ar, "activity")) {
        ar->ok = ar->cached = 1;
        struct synth_opts s2 = *so;
        rc = synth_run(dp, f, &s2, syn);
        goto out;
    }
    double t0 = wall_seconds();
    if ((tmp = work_dir_open(&work, so->keep_dir, "activity", &slot)) < 0) {
        tmp = 0;
        goto out;
    }
    struct synth_opts s2 = *so;
    sb_addf(&sub, "%s/synth", work.buf);
    s2.keep_dir = sub.buf;
    if (synth_run(dp, f, &s2, syn))
        goto fail;
    sb_addf(&gate, "%s/gate", work.buf);
    /* the Liberty file as synthesis used it: the work folder's scripts name it */
    char real[4096];
    if (!realpath(f->liberty, real)) {
        error("%s: error: cannot open: %s", f->liberty, strerror(errno));
        goto fail;
    }
    lib = xstrdup(real);
    if (make_gate(gate.buf, lib, dp, so->verbose) ||
        simulate(dp, ao, work.buf, gate.buf, so->verbose, ar))
        goto fail;
    clk = synth_clock_port(dp);
    struct strbuf vcd = STRBUF_INIT;
    sb_addf(&vcd, "%s/act.vcd", work.buf);
    int bad = vcd_count(vcd.buf, "tf_tb.dut", clk, "rst", &vc);
    sb_release(&vcd);
    if (bad)
        goto fail;
    ar->cycles = vc.cycles;
    tcl = activity_tcl(dp, lib, &vc, clk, &ar->mean_activity);
    char *sdc = synth_sdc(dp, f->clock_ns), *sdc_name = gen_name(dp, ".sdc");
    bad = write_in_dir(gate.buf, sdc_name, sdc) || write_in_dir(gate.buf, "activity.tcl", tcl);
    free(sdc);
    free(sdc_name);
    char *sta[] = { "sta", "-no_init", "-exit", "activity.tcl", NULL };
    if (bad || tool_in(gate.buf, sta, "activity.log", so->verbose))
        goto fail;
    sb_addf(&log, "%s/activity.log", gate.buf);
    if (parse_activity_log(log.buf, ar))
        goto fail;
    ar->seconds = wall_seconds() - t0;
    char *text = cache_fields_text("activity", key, NULL, act_fields, NACT, ar),
         *copy = xstrdup(text);
    if (cache_fields_parse(copy, key, act_fields, NACT, ar, sizeof *ar))
        BUG("activity result does not read back:\n%s", text);
    free(copy);
    ar->ok = 1;
    if (mkdir_p(root) || cache_put_file(root, name.buf, text, strlen(text)))
        warning("%s: warning: activity: could not store the result in the cache: %s",
                entry.buf, strerror(errno));
    free(text);
    rc = 0;
    goto done;
fail:
    if (tmp)
        error("%s: note: the work directory %s is kept for inspection", tf_progname, work.buf);
    tmp = 0;
done:
    tmp_forget(slot);
    if (tmp && remove_tree(work.buf))
        warning("%s: warning: could not remove %s", tf_progname, work.buf);
out:
    if (rc)
        memset(ar, 0, sizeof *ar);
    vcd_counts_free(&vc);
    free(root);
    free(clk);
    free(tcl);
    free(lib);
    sb_release(&name);
    sb_release(&entry);
    sb_release(&work);
    sb_release(&sub);
    sb_release(&gate);
    sb_release(&log);
    return rc;
}
