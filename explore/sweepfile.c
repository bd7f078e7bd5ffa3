/* sweepfile.c - read a sweep file (XML, docs/sweep.md) into struct sweep.
 *
 *   <ternforge version="1">
 *     <sweep name="mu-study" strategy="auto" budget="0" seed="1">
 *       <workload M="4096" N="4096" B="1" act_type="fp16" bw_gbps="0"/>
 *       <tech name="osu018"/>
 *       <clock ns="5"/>
 *       <core label="tlut" kind="tlut" keys="8">
 *         <param name="mu" values="1 2 3 4"/>
 *         <param name="luts" from="1" to="64" scale="pow2"/>
 *       </core>
 *       <constraint figure="area_um2" max="2e6"/>
 *       <objective figure="area"/>
 *       <plot x="mu" y="area_per_mac_um2" series="act_type"/>
 *     </sweep>
 *   </ternforge>
 *
 * Like parameter files: unknown elements and attributes are errors, every
 * error is located and all of them are reported. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/actfmt.h"
#include "../common/util.h"
#include "../common/xmlread.h"
#include "../model/mempresets.h"
#include "../model/models.h"
#include "sweep.h"

const char *const strategy_names[] = { "exhaustive", "random", "anneal", NULL };

int strategy_find(const char *name, enum strategy *st)
{
    if (!strcmp(name, "auto")) {
        *st = STRAT__COUNT;
        return 0;
    }
    for (int k = 0; strategy_names[k]; k++)
        if (!strcmp(strategy_names[k], name)) {
            *st = (enum strategy)k;
            return 0;
        }
    return -1;
}

static int axis_values(const struct sweep *s, int axis, long **out);
static int *axis_map(const long *v, int n);
static void default_plots(struct sweep *s);

struct rd {
    const char *path;
    xmlDocPtr doc;
    int errs;
    long nvalues;       /* <param> values read so far, over all blocks */
};

/* Every <param> value is checked (a dp_set) and kept, and each plot sorts
 * the values of its axes over all blocks: without a bound on their sum, a
 * 1 MiB file of 100,000-value ranges asks for a billion of each. */
#define SWEEP_VALUES_MAX 1000000L
#define SWEEP_PLOTS_MAX 64

static long line_of(xmlNode *n) { return tf_xml_line(n); }

static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Every attribute of n must be in `allowed` (" a b c "). */
static void check_attrs(struct rd *r, xmlNode *n, const char *allowed)
{
    for (xmlAttr *a = n->properties; a; a = a->next) {
        char key[128];
        snprintf(key, sizeof key, " %s ", (const char *)a->name);
        if (!strstr(allowed, key)) {
            r->errs++;
            error("%s:%ld: error: %s: unknown attribute '%s'", r->path, line_of(n),
                  (const char *)n->name, tq((const char *)a->name));
        }
    }
}

/* An error at element n: "path:line: error: <name>: message"; counted. */
static int bad(struct rd *r, xmlNode *n, const char *fmt, ...) TF_PRINTF(3, 4);
static int bad(struct rd *r, xmlNode *n, const char *fmt, ...)
{
    struct strbuf msg = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    r->errs++;
    error("%s:%ld: error: %s: %s", r->path, line_of(n), (const char *)n->name, msg.buf);
    sb_release(&msg);
    return -1;
}

int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9') /* strtoull would take a sign or white space */
        return -1;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *v = x;
    return 0;
}

static int parse_long(const char *s, long *v)
{
    char *end;
    errno = 0;
    if (!*s || *s == '+' || *s == ' ')
        return -1;
    long x = strtol(s, &end, 10);
    if (*end || errno)
        return -1;
    *v = x;
    return 0;
}

static int parse_dbl(const char *s, double *v)
{
    char *end;
    errno = 0;
    if (!*s || *s == ' ')
        return -1;
    double x = strtod(s, &end);
    if (*end || errno || !isfinite(x))
        return -1;
    *v = x;
    return 0;
}

/* Read an unsigned attribute into *v (left alone when absent). */
static void get_u64(struct rd *r, xmlNode *n, const char *name, uint64_t *v, uint64_t min)
{
    char *s = attr(n, name);
    if (!s)
        return;
    uint64_t x;
    if (parse_u64(s, &x) || x < min) {
        bad(r, n, "attribute '%s': '%s' is not a valid count", name, tq(s));
    } else {
        *v = x;
    }
    free(s);
}

static void get_long(struct rd *r, xmlNode *n, const char *name, long *v, long min)
{
    char *s = attr(n, name);
    if (!s)
        return;
    long x;
    if (parse_long(s, &x) || x < min)
        bad(r, n, "attribute '%s': '%s' is not a valid size", name, tq(s));
    else
        *v = x;
    free(s);
}

static void get_dbl(struct rd *r, xmlNode *n, const char *name, double *v, double min)
{
    char *s = attr(n, name);
    if (!s)
        return;
    double x;
    if (parse_dbl(s, &x) || !(x >= min))
        bad(r, n, "attribute '%s': '%s' is not a valid number", name, tq(s));
    else
        *v = x;
    free(s);
}

/* A sweep name or core label goes into CSV and JSON fields, Markdown
 * tables and plot titles: at most 64 bytes, none of , " \\ | ` < > &
 * (control characters never reach here: xmlparam.c's policy). */
static int bad_label(struct rd *r, xmlNode *n, const char *attr_name, const char *v)
{
    if (*v && strlen(v) <= 64 && !strpbrk(v, ",\"\\|`<>&"))
        return 0;
    return bad(r, n, "attribute '%s': '%s' must be 1 to 64 characters without , \" \\ | ` < > "
                     "or &", attr_name, tq(v));
}

/* Split a blank-separated list; returns the count (words point into s). */
static int split(char *s, char ***words)
{
    int n = 0, alloc = 8;
    char **w = xmalloc(sizeof *w * (size_t)alloc);
    for (char *tok = strtok(s, " \t\n\r,"); tok; tok = strtok(NULL, " \t\n\r,")) {
        if (n == alloc)
            w = xrealloc(w, sizeof *w * (size_t)(alloc *= 2));
        w[n++] = tok;
    }
    *words = w;
    return n;
}

/* ---- figures ---------------------------------------------------------- */

const struct fig_desc fig_table[G__COUNT] = {
    [G_AREA_UM2] = { "area_um2", "um2", 0, 1, 0, 0, 0 },
    /* Not "luts" as in `cost --format json`: that is the parameter L here. */
    [G_LUTS] = { "fpga_luts", "LUTs", 0, 0, 1, 0, 0 },
    [G_FFS] = { "ffs", "FFs", 0, 0, 1, 0, 0 },
    [G_CARRY] = { "carry", "carry cells", 0, 0, 1, 0, 0 },
    [G_DSPS] = { "dsps", "DSPs", 0, 0, 1, 0, 0 },
    [G_CRITICAL_PATH_NS] = { "critical_path_ns", "ns", 0, 0, 0, 0, 1 },
    [G_FMAX_MHZ] = { "fmax_mhz", "MHz", 1, 0, 0, 0, 1 },
    [G_CLOCK_NS] = { "clock_ns", "ns", 0, 0, 0, 0, 0 },
    [G_ENERGY_PJ_PER_MAC] = { "energy_pj_per_mac", "pJ/MAC", 0, 0, 0, 1, 0 },
    [G_ENERGY_PJ_PER_GEMV] = { "energy_pj_per_gemv", "pJ", 0, 0, 0, 1, 0 },
    [G_POWER_MW] = { "power_mw", "mW", 0, 0, 0, 1, 0 },
    [G_CYCLES] = { "cycles", "cycles", 0, 0, 0, 0, 0 },
    [G_MACS_PER_CYCLE] = { "macs_per_cycle", "MAC/cycle", 1, 0, 0, 0, 0 },
    [G_PEAK_MACS_PER_CYCLE] = { "peak_macs_per_cycle", "MAC/cycle", 1, 0, 0, 0, 0 },
    [G_TIME_S] = { "time_s", "s", 0, 0, 0, 0, 0 },
    [G_GMACS_PER_S] = { "gmacs_per_s", "GMAC/s", 1, 0, 0, 0, 0 },
    [G_AREA_PER_MAC_UM2] = { "area_per_mac_um2", "um2 per MAC/cycle", 0, 1, 0, 0, 0 },
    [G_GMACS_PER_S_PER_MM2] = { "gmacs_per_s_per_mm2", "GMAC/s/mm2", 1, 1, 0, 0, 0 },
    [G_LUTS_PER_MAC] = { "luts_per_mac", "LUTs per MAC/cycle", 0, 0, 1, 0, 0 },
    [G_GMACS_PER_S_PER_KLUT] = { "gmacs_per_s_per_klut", "GMAC/s/kLUT", 1, 0, 1, 0, 0 },
    [G_TOKENS_PER_S] = { "tokens_per_s", "tokens/s", 1, 0, 0, 0, 0 },
    [G_WEIGHT_MB_PER_TOKEN] = { "weight_mb_per_token", "MB", 0, 0, 0, 0, 0 },
    [G_ENERGY_UJ_PER_TOKEN] = { "energy_uj_per_token", "uJ", 0, 0, 0, 1, 0 },
    [G_MEM_ENERGY_UJ_PER_TOKEN] = { "mem_energy_uj_per_token", "uJ", 0, 0, 0, 0, 0 },
    [G_BRAMS] = { "brams", "block RAMs", 0, 0, 1, 0, 0 },
};

int fig_find(const char *name, int asic)
{
    static const struct { const char *alias; int asic, fpga; } al[] = {
        { "area", G_AREA_UM2, G_LUTS },
        { "energy", G_ENERGY_PJ_PER_MAC, G_ENERGY_PJ_PER_MAC },
        { "latency", G_TIME_S, G_TIME_S },
        { "throughput", G_GMACS_PER_S, G_GMACS_PER_S },
        { "throughput_per_area", G_GMACS_PER_S_PER_MM2, G_GMACS_PER_S_PER_KLUT },
        { "area_density", G_AREA_PER_MAC_UM2, G_LUTS_PER_MAC },
        { "luts", G_LUTS, G_LUTS },
    };
    for (size_t i = 0; i < sizeof al / sizeof al[0]; i++)
        if (!strcmp(al[i].alias, name))
            return asic ? al[i].asic : al[i].fpga;
    for (int g = 0; g < G__COUNT; g++)
        if (!strcmp(fig_table[g].name, name))
            return g;
    return -1;
}

/* Resolve a figure name for both target classes present; check that it
 * exists for every technology of the sweep. */
static int resolve_fig(struct rd *r, struct sweep *s, xmlNode *n, const char *name,
                       int *asic_fig, int *fpga_fig)
{
    *asic_fig = fig_find(name, 1);
    *fpga_fig = fig_find(name, 0);
    if (*asic_fig < 0) {
        struct strbuf sb = STRBUF_INIT;
        for (int g = 0; g < G__COUNT; g++)
            sb_addf(&sb, "%s, ", fig_table[g].name);
        sb_adds(&sb, "or area, energy, latency, throughput, throughput_per_area, area_density, "
                     "luts");
        bad(r, n, "unknown figure '%s' (one of: %s)", tq(name), sb.buf);
        sb_release(&sb);
        return -1;
    }
    if (s->asic && s->fpga && *asic_fig != *fpga_fig)
        return bad(r, n, "figure '%s' means different units for ASIC and FPGA "
                         "technologies; sweep them separately", name);
    for (int t = 0; t < s->ntech; t++) {
        int asic = s->tech[t].target == TECH_ASIC;
        const struct fig_desc *f = &fig_table[asic ? *asic_fig : *fpga_fig];
        const char *why = NULL;
        if (f->asic_only && !asic)
            why = "an FPGA technology has no area in um2";
        else if (f->fpga_only && asic)
            why = "an ASIC technology has no FPGA cell counts";
        else if (f->needs_energy && !s->tech[t].has[M_ENERGY])
            why = "the technology has no energy model";
        else if (f->needs_timing && s->tech[t].delay[D_REG] <= 0)
            why = "the technology has no timing model";
        if (why) {
            char w[256];
            snprintf(w, sizeof w, "%s (%s)", why, s->tech[t].name);
            return bad(r, n, "figure '%s': %s", name, w);
        }
    }
    return 0;
}

/* ---- elements --------------------------------------------------------- */

/* Add a memory setting (a bandwidth, its energy per bit, a name or NULL,
 * the preset the energy comes from or NULL). */
static void add_memory(struct sweep *s, double bw, double pj, const char *name,
                       const struct mem_preset *preset)
{
    size_t n = (size_t)(s->n_bw + 1);
    s->bw = xrealloc(s->bw, sizeof *s->bw * n);
    s->mem_pj = xrealloc(s->mem_pj, sizeof *s->mem_pj * n);
    s->mem_name = xrealloc(s->mem_name, sizeof *s->mem_name * n);
    s->mem_preset = xrealloc(s->mem_preset, sizeof *s->mem_preset * n);
    s->bw[s->n_bw] = bw;
    s->mem_pj[s->n_bw] = pj;
    s->mem_name[s->n_bw] = name ? xstrdup(name) : NULL;
    s->mem_preset[s->n_bw] = preset;
    s->n_bw++;
}

/* A model workload: every ternary matrix of a token (model/models.h);
 * the core is sized for its largest. */
static void read_model(struct rd *r, struct sweep *s, xmlNode *n)
{
    char *name = attr(n, "model"), *phase = attr(n, "phase");
    if (!(s->wl.model = model_find(name)))
        bad(r, n, "attribute 'model': no model '%s' (the models: %s)", tq(name), model_names());
    for (const char *const *a = (const char *const[]){ "M", "N", "B", NULL }; *a; a++)
        if (xmlHasProp(n, (const xmlChar *)*a))
            bad(r, n, "attribute '%s': not with 'model' (its matrices are the model's)", *a);
    s->phase = "decode";
    if (phase && !strcmp(phase, "prefill"))
        s->phase = "prefill";
    else if (phase && strcmp(phase, "decode"))
        bad(r, n, "attribute 'phase': '%s' is not decode or prefill", tq(phase));
    int has_tokens = xmlHasProp(n, (const xmlChar *)"tokens") != NULL;
    get_long(r, n, "tokens", &s->wl.B, 1);
    if (!strcmp(s->phase, "prefill") && !has_tokens)
        bad(r, n, "phase 'prefill' needs attribute 'tokens' (the prompt's tokens)");
    if (!strcmp(s->phase, "decode") && has_tokens)
        bad(r, n, "attribute 'tokens': only with phase=\"prefill\" (decode is one token)");
    s->wl.prefill = !strcmp(s->phase, "prefill");
    if (s->wl.model) {
        s->wl.M = model_max_rows(s->wl.model);
        s->wl.N = model_max_cols(s->wl.model);
    }
    free(name);
    free(phase);
}

static void read_workload(struct rd *r, struct sweep *s, xmlNode *n, struct design_point *defaults)
{
    check_attrs(r, n, " M N B act_type act_width acc_type bw_gbps mem_pj_per_bit model phase "
                      "tokens ");
    if (xmlHasProp(n, (const xmlChar *)"model")) {
        read_model(r, s, n);
    } else {
        if (xmlHasProp(n, (const xmlChar *)"phase") || xmlHasProp(n, (const xmlChar *)"tokens"))
            bad(r, n, "attributes 'phase' and 'tokens' need 'model'");
        get_long(r, n, "M", &s->wl.M, 1);
        get_long(r, n, "N", &s->wl.N, 1);
        get_long(r, n, "B", &s->wl.B, 1);
    }
    double pj = 0;
    get_dbl(r, n, "mem_pj_per_bit", &pj, 0);
    char loc[512];
    snprintf(loc, sizeof loc, "%s:%ld", r->path, line_of(n));
    static const char *const passed[] = { "act_type", "act_width", "acc_type" };
    for (int i = 0; i < 3; i++) {
        char *v = attr(n, passed[i]);
        if (v && tf_xml_dp_set(defaults, passed[i], v, loc, "workload: attribute"))
            r->errs++;
        free(v);
    }
    char *bw = attr(n, "bw_gbps");
    if (bw) {
        char **w;
        int nw = split(bw, &w);
        for (int i = 0; i < nw; i++) {
            double v = 0;
            if (parse_dbl(w[i], &v) || v < 0)
                bad(r, n, "attribute 'bw_gbps': '%s' is not a bandwidth in GB/s", tq(w[i]));
            add_memory(s, v, pj, NULL, NULL);
        }
        if (!nw)
            bad(r, n, "attribute 'bw_gbps': empty list");
        free(w);
        free(bw);
    } else if (pj > 0) {
        bad(r, n, "attribute 'mem_pj_per_bit': needs 'bw_gbps' (the memory it prices)");
    }
}

/* <memory name= bw_gbps= pj_per_bit=|preset=>: one more memory setting. */
static void read_memory(struct rd *r, struct sweep *s, xmlNode *n)
{
    check_attrs(r, n, " name bw_gbps pj_per_bit preset ");
    char *name = attr(n, "name"), *preset = attr(n, "preset");
    double bw = -1, pj = 0;
    get_dbl(r, n, "bw_gbps", &bw, 0);
    get_dbl(r, n, "pj_per_bit", &pj, 0);
    const struct mem_preset *p = NULL;
    if (preset) {
        p = mem_preset_find(preset);
        if (xmlHasProp(n, (const xmlChar *)"pj_per_bit"))
            bad(r, n, "attributes 'preset' and 'pj_per_bit': give one");
        else if (!p)
            bad(r, n, "attribute 'preset': no memory preset '%s' (the presets: %s)", tq(preset),
                mem_preset_names());
        else
            pj = p->pj_per_bit;
        free(preset);
    }
    if (!name)
        bad(r, n, "missing attribute 'name'");
    else if (!bad_label(r, n, "name", name))
        for (int i = 0; i < s->n_bw; i++)
            if (s->mem_name[i] && !strcmp(s->mem_name[i], name))
                bad(r, n, "a second <memory> named '%s'", tq(name));
    if (!xmlHasProp(n, (const xmlChar *)"bw_gbps"))
        bad(r, n, "missing attribute 'bw_gbps'");
    else if (!(bw > 0))
        bad(r, n, "attribute 'bw_gbps': a memory needs a bandwidth above 0");
    add_memory(s, bw, pj, name, p);
    free(name);
}

static void read_tech(struct rd *r, struct sweep *s, xmlNode *n)
{
    check_attrs(r, n, " name ");
    char *names = attr(n, "name");
    if (!names) {
        bad(r, n, "missing attribute 'name'");
        return;
    }
    char **w;
    int nw = split(names, &w);
    for (int i = 0; i < nw; i++) {
        /* A sweep file may come from elsewhere: it names technology files,
         * not any file (whose lines an error message would quote). */
        size_t len = strlen(w[i]);
        if (strchr(w[i], '/') && (len < 6 || strcmp(w[i] + len - 5, ".tech"))) {
            bad(r, n, "technology '%s': a path must name a .tech file", tq(w[i]));
            continue;
        }
        s->tech = xrealloc(s->tech, sizeof *s->tech * (size_t)(s->ntech + 1));
        struct tech *t = &s->tech[s->ntech];
        memset(t, 0, sizeof *t);
        /* tech_load's message, located at this element. */
        struct strbuf msg = STRBUF_INIT;
        struct strbuf *old = tf_capture;
        tf_capture = &msg;
        int bad_tech = tech_load(t, w[i]);
        tf_capture = old;
        if (bad_tech) {
            /* "FILE:LINE: error: what" keeps FILE:LINE, "ternforge: error: what" not */
            const char *m = msg.buf ? msg.buf : "";
            const char *e = strstr(m, ": error: ");
            int keep = e && strncmp(m, tf_progname, strlen(tf_progname));
            int where = keep ? (int)(e - m) + 2 : 0;
            m = e ? e + 9 : m;
            size_t len = strlen(m);
            while (len && m[len - 1] == '\n')
                len--;
            r->errs++;
            error("%s:%ld: error: tech: %.*s%.*s", r->path, line_of(n), where, msg.buf, (int)len,
                  m);
            sb_release(&msg);
            continue;
        }
        sb_release(&msg);
        s->ntech++;
        if (t->target == TECH_ASIC)
            s->asic = 1;
        else
            s->fpga = 1;
    }
    free(w);
    free(names);
}

/* The values lo, lo + st, ... (pow2: lo, 2 lo, 4 lo, ...) up to hi, with
 * lo <= hi (pow2: 1 <= lo): counted in unsigned arithmetic, since hi - lo
 * and the step after hi may be beyond a long. */
static long range_count(long lo, long hi, long st, int pow2)
{
    unsigned long span = (unsigned long)hi - (unsigned long)lo;
    if (!pow2)
        return span / (unsigned long)st >= 100000 ? 100001 : (long)(span / (unsigned long)st) + 1;
    long c = 1;
    for (unsigned long q = (unsigned long)hi / (unsigned long)lo; q > 1; q >>= 1)
        c++;
    return c;
}

/* Counts a <param>'s values towards SWEEP_VALUES_MAX; 1 (an error at n)
 * when they would pass it. */
static int too_many_values(struct rd *r, xmlNode *n, long count)
{
    if (count <= SWEEP_VALUES_MAX - r->nvalues) {
        r->nvalues += count;
        return 0;
    }
    if (r->nvalues > SWEEP_VALUES_MAX)
        return 1; /* said once */
    bad(r, n, "the <param> elements have more than %ld values in all (this one adds %ld; "
              "docs/security.md)", SWEEP_VALUES_MAX, count);
    r->nvalues = SWEEP_VALUES_MAX + 1;
    return 1;
}

/* The values of one <param>: a list, or a linear or power-of-two range. */
static void read_param(struct rd *r, struct block *b, xmlNode *n, char *loc)
{
    check_attrs(r, n, " name values from to step scale ");
    char *name = attr(n, "name");
    if (!name) {
        bad(r, n, "missing attribute 'name'");
        return;
    }
    const struct param_desc *p = param_find(name);
    if (!p) {
        bad(r, n, "attribute 'name': unknown parameter '%s' (see 'ternforge params')",
            tq(name));
        free(name);
        return;
    }
    int pi = (int)(p - param_table);
    for (int d = 2; d < b->ndims; d++)
        if (b->dims[d].param == pi)
            bad(r, n, "parameter '%s' is listed twice", name);
    if (b->own_mask >> pi & 1)
        bad(r, n, "parameter '%s' is both fixed (an attribute of <core>) and free", name);
    if (pi == PI_kind)
        bad(r, n, "'kind' is fixed per <core>: write one <core> per kind");
    if (p->gen_only)
        bad(r, n, "'%s' names or connects the generated core; it is not a design dimension",
            name);
    char *values = attr(n, "values"), *from = attr(n, "from"), *to = attr(n, "to");
    char *step = attr(n, "step"), *scale = attr(n, "scale");
    struct dim dm = { pi, 0, NULL };
    int alloc = 0;
    struct design_point scratch;
    dp_init(&scratch);
    scratch.kind = b->base.kind;
    if (values && (from || to || step || scale)) {
        bad(r, n, "give either 'values' or 'from'/'to'");
    } else if (values) {
        char **w;
        int nw = split(values, &w);
        if (!nw)
            bad(r, n, "attribute 'values': empty list");
        else if (too_many_values(r, n, nw))
            nw = 0;
        for (int i = 0; i < nw; i++) {
            if (tf_xml_dp_set(&scratch, name, w[i], loc, "param: value")) {
                r->errs++;
                continue;
            }
            if (dm.n == alloc)
                dm.v = xrealloc(dm.v, sizeof *dm.v * (size_t)(alloc = alloc ? 2 * alloc : 8));
            dm.v[dm.n++] = dp_get(&scratch, p);
        }
        free(w);
    } else if (from && to) {
        long lo, hi, st = 1, count = 0;
        int pow2 = 0;
        if (scale && !strcmp(scale, "pow2"))
            pow2 = 1;
        else if (scale && strcmp(scale, "linear"))
            bad(r, n, "attribute 'scale': '%s' is not linear or pow2", tq(scale));
        if (parse_long(from, &lo) || parse_long(to, &hi) || lo > hi) {
            bad(r, n, "'from'..'to' is not an integer range: '%s'..'%s'", tq(from), tq(to));
        } else if (p->type == PT_ENUM) {
            bad(r, n, "parameter '%s' takes names: use 'values'", name);
        } else if (step && (pow2 || parse_long(step, &st) || st < 1)) {
            bad(r, n, "attribute 'step': '%s' is not a positive integer (linear scale only)",
                tq(step));
        } else if (pow2 && (lo < 1 || (lo & (lo - 1)))) {
            bad(r, n, "scale 'pow2': 'from' (%s) must be a power of two", from);
        } else if ((count = range_count(lo, hi, st, pow2)) > 100000) {
            bad(r, n, "range '%s'..'%s' has more than 100000 values", tq(from), tq(to));
        } else if (!too_many_values(r, n, count)) {
            for (long i = 0; i < count; i++) {
                long v = pow2 ? lo << i /* <= hi */
                              : (long)((unsigned long)lo + (unsigned long)i * (unsigned long)st);
                char buf[32];
                snprintf(buf, sizeof buf, "%ld", v);
                if (dp_set(&scratch, name, buf, loc, "param: range value")) {
                    r->errs++;
                    break;
                }
                if (dm.n == alloc)
                    dm.v = xrealloc(dm.v, sizeof *dm.v * (size_t)(alloc = alloc ? 2 * alloc : 8));
                dm.v[dm.n++] = v;
            }
        }
    } else {
        bad(r, n, "needs 'values' or 'from' and 'to'");
    }
    if (!(p->kinds & KIND_BIT(b->base.kind)))
        bad(r, n, "parameter '%s' does not apply to kind '%s'", name,
            kind_names[b->base.kind]);
    if (dm.n) {
        b->dims = xrealloc(b->dims, sizeof *b->dims * (size_t)(b->ndims + 1));
        b->dims[b->ndims++] = dm;
    } else {
        free(dm.v);
    }
    free(name);
    free(values);
    free(from);
    free(to);
    free(step);
    free(scale);
}

static void read_core(struct rd *r, struct sweep *s, xmlNode *n,
                      const struct design_point *defaults)
{
    s->blocks = xrealloc(s->blocks, sizeof *s->blocks * (size_t)(s->nblocks + 1));
    struct block *b = &s->blocks[s->nblocks++];
    memset(b, 0, sizeof *b);
    b->line = (int)line_of(n);
    b->base = *defaults;
    b->base.src = "sweep.xml"; /* messages name the copy beside the outputs */
    b->base.src_line = b->line;
    char loc[512];
    snprintf(loc, sizeof loc, "%s:%ld", r->path, line_of(n));
    char *kind = attr(n, "kind");
    if (!kind) {
        bad(r, n, "missing attribute 'kind'");
    } else if (tf_xml_dp_set(&b->base, "kind", kind, loc, "core: attribute")) {
        r->errs++;
    }
    /* What the workload gives counts as written in the block, where it
     * applies: to the ternary kinds, and act_width to int activations only
     * (sweep_eval drops it for FP points), so a point reads back from a
     * parameter file as the same point. */
    b->inherited_mask = 0;
    for (int i = 0; i < param_count; i++) {
        if (!(defaults->set_mask >> i & 1))
            continue;
        if (param_table[i].kinds & KIND_BIT(b->base.kind)) {
            b->inherited_mask |= 1ULL << i;
        } else {
            dp_unset(&b->base, &param_table[i]);
        }
    }
    for (xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        if (!strcmp(an, "kind"))
            continue;
        xmlChar *val = xmlNodeListGetString(n->doc, a->children, 1);
        const char *v = val ? (const char *)val : "";
        if (!strcmp(an, "label")) {
            bad_label(r, n, "label", v);
            free(b->label);
            b->label = xstrdup(v);
        } else if (!param_find(an)) {
            r->errs++;
            error("%s: error: core: unknown attribute '%s' (see 'ternforge params')", loc,
                  tq(an));
        } else if (tf_xml_dp_set(&b->base, an, v, loc, "core: attribute")) {
            r->errs++;
        } else {
            const struct param_desc *pd = param_find(an);
            b->own_mask |= 1ULL << (pd - param_table);
            if (!(pd->kinds & KIND_BIT(b->base.kind))) {
                r->errs++;
                error("%s: error: core: attribute '%s' does not apply to kind '%s'", loc, an,
                      kind_names[b->base.kind]);
            }
        }
        xmlFree(val);
    }
    /* dims[0] = technology, dims[1] = bandwidth; filled in sweep_load. */
    b->ndims = 2;
    b->dims = xcalloc(2, sizeof *b->dims);
    b->dims[0].param = DIM_TECH;
    b->dims[1].param = DIM_BW;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            if (tf_xml_check_text(r->path, c))
                r->errs++;
            continue;
        }
        if (strcmp((const char *)c->name, "param")) {
            r->errs++;
            error("%s:%ld: error: core: unknown element <%s> (expected <param>)", r->path,
                  line_of(c), tq((const char *)c->name));
            continue;
        }
        char ploc[512];
        snprintf(ploc, sizeof ploc, "%s:%ld", r->path, line_of(c));
        read_param(r, b, c, ploc);
    }
    if (!b->label) {
        struct strbuf sb = STRBUF_INIT;
        sb_adds(&sb, kind_names[b->base.kind]);
        if (param_table[PI_act_type].kinds & KIND_BIT(b->base.kind)) {
            int free_act = 0;
            for (int d = 2; d < b->ndims; d++)
                free_act |= b->dims[d].param == PI_act_type;
            const struct act_format *af = &act_formats[b->base.act_type];
            if (!free_act) {
                if (!af->width) /* "int8": the width is the parameter's */
                    sb_addf(&sb, " %s%ld", af->name, b->base.act_width);
                else
                    sb_addf(&sb, " %s", af->name);
            }
        }
        b->label = sb_detach(&sb);
    }
    free(kind);
}

static void read_constraint(struct rd *r, struct sweep *s, xmlNode *n)
{
    check_attrs(r, n, " figure min max ");
    char *fig = attr(n, "figure");
    if (!fig) {
        bad(r, n, "missing attribute 'figure'");
        return;
    }
    struct constraint c = { 0, 0, NAN, NAN, fig };
    get_dbl(r, n, "min", &c.min, -HUGE_VAL);
    get_dbl(r, n, "max", &c.max, -HUGE_VAL);
    if (isnan(c.min) && isnan(c.max))
        bad(r, n, "needs 'min' or 'max'");
    if (resolve_fig(r, s, n, fig, &c.fig, &c.fig_fpga)) {
        free(fig);
        return;
    }
    s->cons = xrealloc(s->cons, sizeof *s->cons * (size_t)(s->ncons + 1));
    s->cons[s->ncons++] = c;
}

static void read_objective(struct rd *r, struct sweep *s, xmlNode *n)
{
    check_attrs(r, n, " figure ");
    char *fig = attr(n, "figure");
    if (!fig) {
        bad(r, n, "missing attribute 'figure'");
        return;
    }
    if (s->nobj == SWEEP_MAX_OBJ) {
        bad(r, n, "more than %d objectives", SWEEP_MAX_OBJ);
        free(fig);
        return;
    }
    struct objective o = { 0, 0, 0, fig };
    if (resolve_fig(r, s, n, fig, &o.fig, &o.fig_fpga)) {
        free(fig);
        return;
    }
    o.maximize = fig_table[o.fig].maximize;
    for (int i = 0; i < s->nobj; i++)
        if (s->obj[i].fig == o.fig && s->obj[i].fig_fpga == o.fig_fpga)
            bad(r, n, "objective '%s' is listed twice", tq(fig));
    s->obj = xrealloc(s->obj, sizeof *s->obj * (size_t)(s->nobj + 1));
    s->obj[s->nobj++] = o;
}

/* A plot axis: a parameter, "tech", "bw_gbps", or (series) "core". */
static int axis(struct rd *r, xmlNode *n, const char *what, const char *v, int series)
{
    if (!strcmp(v, "tech"))
        return DIM_TECH;
    if (!strcmp(v, "bw_gbps"))
        return DIM_BW;
    if (series && !strcmp(v, "core"))
        return SERIES_BLOCK;
    const struct param_desc *p = param_find(v);
    if (!p) {
        bad(r, n, "attribute '%s': '%s' is not a parameter, tech or bw_gbps", what, tq(v));
        return 0;
    }
    if (p->gen_only) {
        bad(r, n, "attribute '%s': '%s' names or connects the generated core; it is not a "
                  "design dimension", what, v);
        return 0;
    }
    return (int)(p - param_table);
}

static void read_plot(struct rd *r, struct sweep *s, xmlNode *n)
{
    check_attrs(r, n, " x y series name ");
    char *x = attr(n, "x"), *y = attr(n, "y"), *series = attr(n, "series"), *name = attr(n, "name");
    if (!x || !y) {
        bad(r, n, "needs attributes 'x' and 'y'");
    } else {
        struct plot p = { 0, 0, 0, SERIES_BLOCK, NULL, line_of(n), 0, 0, NULL, NULL, NULL,
                          NULL };
        p.x = axis(r, n, "x", x, 0);
        if (series)
            p.series = axis(r, n, "series", series, 1);
        if (!resolve_fig(r, s, n, y, &p.y, &p.y_fpga)) {
            if (name) {
                if (name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789-_")] || !*name || strlen(name) > 64)
                    bad(r, n, "attribute 'name': '%s' is not a file base name "
                              "(1 to 64 letters, digits, - and _)", tq(name));
                p.name = xstrdup(name);
            } else {
                struct strbuf sb = STRBUF_INIT;
                sb_addf(&sb, "%s-%s", x, y);
                p.name = sb_detach(&sb);
            }
            if (s->nplots == SWEEP_PLOTS_MAX) {
                bad(r, n, "more than %d plots", SWEEP_PLOTS_MAX);
                free(p.name);
            } else {
                s->plots = xrealloc(s->plots, sizeof *s->plots * (size_t)(s->nplots + 1));
                s->plots[s->nplots++] = p;
            }
        }
    }
    free(x);
    free(y);
    free(series);
    free(name);
}

static void read_sweep(struct rd *r, struct sweep *s, xmlNode *n)
{
    check_attrs(r, n, " name strategy budget seed chains synthesize_top compare_limit "
                      "target_tokens_per_s ");
    get_dbl(r, n, "target_tokens_per_s", &s->target_tokens_per_s, 0);
    char *name = attr(n, "name");
    s->name = name ? name : xstrdup("sweep");
    bad_label(r, n, "name", s->name);
    char *strat = attr(n, "strategy");
    s->strategy = STRAT__COUNT; /* auto */
    if (strat && strategy_find(strat, &s->strategy))
        bad(r, n, "attribute 'strategy': '%s' is not auto, exhaustive, random or anneal",
                tq(strat));
    free(strat);
    get_u64(r, n, "budget", &s->budget, 0);
    get_u64(r, n, "seed", &s->seed, 0);
    uint64_t chains = (uint64_t)s->chains, top = 0;
    get_u64(r, n, "chains", &chains, 1);
    get_u64(r, n, "synthesize_top", &top, 0);
    get_u64(r, n, "compare_limit", &s->compare_limit, 0);
    if (chains > 1024)
        bad(r, n, "attribute 'chains': at most %d", 1024);
    s->chains = (int)chains;
    s->synthesize_top = top > 1000 ? 1000 : (int)top;

    struct design_point defaults;
    dp_init(&defaults);
    /* Pass 1: workload and technologies (objectives need the targets). */
    int nwl = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)c->name, "workload")) {
            if (nwl++)
                bad(r, c, "more than one <workload>");
            read_workload(r, s, c, &defaults);
        } else if (!strcmp((const char *)c->name, "tech")) {
            read_tech(r, s, c);
        }
    }
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            if (tf_xml_check_text(r->path, c))
                r->errs++;
            continue;
        }
        const char *en = (const char *)c->name;
        if (!strcmp(en, "workload") || !strcmp(en, "tech")) {
            continue;
        } else if (!strcmp(en, "memory")) {
            read_memory(r, s, c);
        } else if (!strcmp(en, "clock")) {
            check_attrs(r, c, " ns ");
            char *ns = attr(c, "ns");
            if (!ns)
                bad(r, c, "needs attribute 'ns' (the target clock period)");
            else if (parse_dbl(ns, &s->clock_ns) || !(s->clock_ns > 0))
                bad(r, c, "attribute 'ns': '%s' is not a clock period in ns", tq(ns));
            free(ns);
        } else if (!strcmp(en, "core")) {
            read_core(r, s, c, &defaults);
        } else if (!strcmp(en, "constraint")) {
            read_constraint(r, s, c);
        } else if (!strcmp(en, "objective")) {
            read_objective(r, s, c);
        } else if (!strcmp(en, "plot")) {
            read_plot(r, s, c);
        } else {
            r->errs++;
            error("%s:%ld: error: sweep: unknown element <%s> (expected workload, memory, "
                  "tech, clock, core, constraint, objective, plot)", r->path, line_of(c), tq(en));
        }
    }
    if (!s->nblocks)
        bad(r, n, "no <core> element: nothing to sweep");
    if (!s->nobj)
        bad(r, n, "no <objective> element (e.g. <objective figure=\"area\"/>)");
}

void sweep_free(struct sweep *s)
{
    for (int i = 0; i < s->ntech; i++)
        tech_free(&s->tech[i]);
    free(s->tech);
    free(s->tctx);
    for (int b = 0; b < s->nblocks; b++) {
        for (int d = 0; d < s->blocks[b].ndims; d++)
            free(s->blocks[b].dims[d].v);
        free(s->blocks[b].dims);
        free(s->blocks[b].label);
    }
    free(s->blocks);
    for (int i = 0; i < s->ncons; i++)
        free(s->cons[i].name);
    for (int i = 0; i < s->nobj; i++)
        free(s->obj[i].name);
    for (int i = 0; i < s->nplots; i++) {
        free(s->plots[i].name);
        free(s->plots[i].xv);
        free(s->plots[i].sv);
        free(s->plots[i].xmap);
        free(s->plots[i].smap);
    }
    free(s->cons);
    free(s->obj);
    free(s->plots);
    for (int i = 0; i < s->n_bw; i++)
        free(s->mem_name[i]);
    free(s->mem_name);
    free(s->mem_preset);
    free(s->mem_pj);
    free(s->bw);
    free(s->name);
    free(s->path);
    free(s->text);
    memset(s, 0, sizeof *s);
}

int sweep_load(struct sweep *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->path = xstrdup(path);
    s->wl.M = s->wl.N = 4096;
    s->wl.B = 1;
    s->chains = 8;
    s->compare_limit = 20000;
    s->seed = 1;
    s->text = read_input(path, &s->text_len);
    if (!s->text)
        return -1;
    s->hash = fnv1a64(s->text, s->text_len, FNV1A64_INIT);
    /* the bytes hashed and copied beside the outputs are the bytes parsed */
    xmlDocPtr doc = tf_xml_parse(path, s->text, s->text_len);
    if (!doc)
        return -1;
    struct rd r = { path, doc, 0, 0 };
    xmlNode *root = tf_xml_root(path, doc, &r.errs);
    if (root) {
        int nsweep = 0;
        for (xmlNode *c = root->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) {
                if (tf_xml_check_text(path, c))
                    r.errs++;
                continue;
            }
            if (strcmp((const char *)c->name, "sweep")) {
                r.errs++;
                error("%s:%ld: error: ternforge: unknown element <%s> (a sweep file holds one "
                      "<sweep>)", path, line_of(c), tq((const char *)c->name));
                continue;
            }
            if (nsweep++) {
                bad(&r, c, "more than one <sweep> element");
                continue;
            }
            s->line = line_of(c);
            read_sweep(&r, s, c);
        }
        if (!nsweep && !r.errs)
            bad(&r, root, "missing <sweep> element");
    }
    xmlFreeDoc(doc);
    if (!s->ntech && !r.errs) {
        s->tech = xcalloc(1, sizeof *s->tech);
        if (tech_load(&s->tech[0], "osu018"))
            r.errs++;
        else
            s->ntech = 1, s->asic = 1;
    }
    if (!s->n_bw)
        add_memory(s, 0, 0, NULL, NULL);
    if (r.errs)
        return -1;
    /* The technologies are final (s->tech moves while they are read). */
    s->tctx = xcalloc((size_t)s->ntech, sizeof *s->tctx);
    for (int t = 0; t < s->ntech; t++)
        cost_ctx_init(&s->tctx[t], &s->tech[t]);

    /* Fill the tech and bandwidth dimensions, size the blocks. */
    s->size = 0;
    for (int bi = 0; bi < s->nblocks; bi++) {
        struct block *b = &s->blocks[bi];
        b->dims[0].n = s->ntech;
        b->dims[0].v = xcalloc((size_t)s->ntech, sizeof(long));
        for (int t = 0; t < s->ntech; t++)
            b->dims[0].v[t] = t;
        b->dims[1].n = s->n_bw;
        b->dims[1].v = xcalloc((size_t)s->n_bw, sizeof(long));
        for (int i = 0; i < s->n_bw; i++)
            b->dims[1].v[i] = i;
        /* The target clock is every point's clock_ns (pareto/<index>.xml). */
        b->base.clock_ns = s->clock_ns;
        /* Size the core for the workload unless told otherwise. */
        if (!(b->base.set_mask >> PI_max_rows & 1)) {
            b->base.max_rows = s->wl.M;
            b->base.set_mask |= 1ULL << PI_max_rows;
        }
        if (!(b->base.set_mask >> PI_max_cols & 1)) {
            b->base.max_cols = s->wl.N;
            b->base.set_mask |= 1ULL << PI_max_cols;
        }
        b->size = 1;
        for (int d = 0; d < b->ndims; d++) {
            if (b->size > (UINT64_C(1) << 62) / (uint64_t)b->dims[d].n) {
                return error("%s:%d: error: core: the space is larger than 2^62 points",
                             path, b->line);
            }
            b->size *= (uint64_t)b->dims[d].n;
        }
        b->first = s->size;
        if (s->size + b->size > (UINT64_C(1) << 62))
            return error("%s:%d: error: sweep: the space is larger than 2^62 points", path,
                         b->line);
        s->size += b->size;
    }
    if (!s->nplots)
        default_plots(s);
    for (int i = 0; i < s->nplots; i++) {
        struct plot *p = &s->plots[i];
        p->nx = axis_values(s, p->x, &p->xv);
        p->ns = axis_values(s, p->series, &p->sv);
        p->xmap = axis_map(p->xv, p->nx);
        p->smap = axis_map(p->sv, p->ns);
        /* every thread keeps nx x ns cells; every series is a curve */
        if (p->ns > 256 || (uint64_t)p->nx * (uint64_t)p->ns > 1000000)
            return error("%s:%ld: error: sweep: plot '%s' has %d x values in %d series: at most "
                         "256 series and 1000000 cells", path, p->line, p->name, p->nx, p->ns);
        for (int j = 0; j < i; j++)
            if (!strcmp(s->plots[j].name, p->name))
                return error("%s:%ld: error: sweep: two plots are named '%s' (the first on line "
                             "%ld; attribute 'name' sets another)", path, p->line, p->name,
                             s->plots[j].line);
    }
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* The sorted, distinct values an axis takes over the whole space. */
/* The column of each value 0..v[n-1] of an axis's sorted values v (-1:
 * not one of them), or NULL when some value is outside 0..PLOT_MAP_MAX
 * (struct plot). */
static int *axis_map(const long *v, int n)
{
    if (n == 0 || v[0] < 0 || v[n - 1] > PLOT_MAP_MAX)
        return NULL;
    int *map = xmalloc(sizeof *map * (size_t)(v[n - 1] + 1));
    for (long x = 0; x <= v[n - 1]; x++)
        map[x] = -1;
    for (int i = 0; i < n; i++)
        map[v[i]] = i;
    return map;
}

static int axis_values(const struct sweep *s, int axis, long **out)
{
    int n = 0, alloc = 16;
    long *v = xmalloc(sizeof *v * (size_t)alloc);
#define PUSH(x) do { if (n == alloc) v = xrealloc(v, sizeof *v * (size_t)(alloc *= 2)); \
                     v[n++] = (x); } while (0)
    if (axis == DIM_TECH || axis == DIM_BW || axis == SERIES_BLOCK) {
        int m = axis == DIM_TECH ? s->ntech : axis == DIM_BW ? s->n_bw : s->nblocks;
        for (int i = 0; i < m; i++)
            PUSH(i);
    } else {
        for (int bi = 0; bi < s->nblocks; bi++) {
            const struct block *b = &s->blocks[bi];
            if (!(param_table[axis].kinds & KIND_BIT(b->base.kind)))
                continue;
            int d;
            for (d = 2; d < b->ndims && b->dims[d].param != axis; d++)
                ;
            if (d < b->ndims)
                for (int i = 0; i < b->dims[d].n; i++)
                    PUSH(b->dims[d].v[i]);
            else
                PUSH(dp_get(&b->base, &param_table[axis]));
        }
    }
#undef PUSH
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    int u = 0;
    for (int i = 0; i < n; i++)
        if (!u || v[i] != v[u - 1])
            v[u++] = v[i];
    *out = v;
    return u;
}

/* Without <plot> elements: the first objective against every free
 * parameter (and the bandwidth, when it varies), one curve per <core>. */
static void default_plots(struct sweep *s)
{
    int seen[PI__COUNT] = { 0 };
    for (int bi = 0; bi < s->nblocks; bi++) {
        const struct block *b = &s->blocks[bi];
        for (int d = 2; d < b->ndims; d++) {
            int pi = b->dims[d].param;
            if (seen[pi]++ || b->dims[d].n < 2)
                continue;
            struct plot p = { pi, s->obj[0].fig, s->obj[0].fig_fpga, SERIES_BLOCK, NULL, s->line,
                              0, 0, NULL, NULL, NULL, NULL };
            struct strbuf sb = STRBUF_INIT;
            sb_addf(&sb, "%s-%s", param_table[pi].name, fig_table[p.y].name);
            p.name = sb_detach(&sb);
            s->plots = xrealloc(s->plots, sizeof *s->plots * (size_t)(s->nplots + 1));
            s->plots[s->nplots++] = p;
        }
    }
    if (s->n_bw > 1) {
        struct plot p = { DIM_BW, G_GMACS_PER_S, G_GMACS_PER_S, SERIES_BLOCK,
                          xstrdup("bw_gbps-gmacs_per_s"), s->line, 0, 0, NULL, NULL, NULL,
                          NULL };
        s->plots = xrealloc(s->plots, sizeof *s->plots * (size_t)(s->nplots + 1));
        s->plots[s->nplots++] = p;
    }
}

int sweep_plan(struct sweep *s)
{
    if (s->strategy == STRAT__COUNT)
        s->strategy = (s->budget == 0 || s->budget >= s->size) ? STRAT_EXHAUSTIVE : STRAT_ANNEAL;
    if (s->strategy != STRAT_EXHAUSTIVE && s->budget == 0)
        return error("%s:%ld: error: sweep: strategy '%s' needs a budget (attribute 'budget' "
                     "or --budget)", s->path, s->line, strategy_names[s->strategy]);
    if (s->strategy == STRAT_EXHAUSTIVE && s->budget && s->budget < s->size)
        return error("%s:%ld: error: sweep: the space has %llu points, more than the budget "
                     "of %llu: use strategy random or anneal", s->path, s->line,
                     (unsigned long long)s->size, (unsigned long long)s->budget);
    if (s->budget > s->size)
        s->budget = s->size;
    uint64_t h = s->hash;
    uint64_t v[3] = { s->seed, s->budget, (uint64_t)s->strategy };
    s->run_id = fnv1a64(v, sizeof v, h);
    return 0;
}
