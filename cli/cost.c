/* cost.c - `ternforge cost`: price a design point with the analytical cost
 * model (model/cost.c) and print it as text, json or csv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/memories.h"
#include "cli.h"
#include "../model/mempresets.h"
#include "../model/models.h"
#include "util.h"

static int opt_format(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    if (strcmp(val, "text") && strcmp(val, "json") && strcmp(val, "csv"))
        return error("%s: error: option '--format': '%s' is not text, json or csv",
                     tf_progname, tq(val));
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

/* "MxNxB" or "MxN". */
static int opt_shape(const struct opt *opt, const char *as_typed, const char *s, void *dest)
{
    (void)opt, (void)as_typed;
    struct copts *o = dest;
    long v[3] = { 0, 0, 1 };
    int n = 0;
    const char *p = s;
    while (n < 3) {
        char *end;
        v[n] = strtol(p, &end, 10);
        if (end == p || v[n] < 1 || v[n] > 1L << 40)
            break;
        n++;
        p = end;
        if (*p != 'x')
            break;
        p++;
    }
    if ((n != 2 && n != 3) || *p)
        return error("%s: error: option '--shape': '%s' is not MxN or MxNxB (positive "
                     "integers)", tf_progname, tq(s));
    o->M = v[0];
    o->N = v[1];
    o->B = v[2];
    return 0;
}

static int opt_bw(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    return parse_num(as_typed, val, 0, OPT_DEST(dest, o, double));
}

static int opt_model(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    if (!model_find(val))
        return error("%s: error: option '--model': no model '%s' (the models: %s)",
                     tf_progname, tq(val), model_names());
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

static int opt_phase(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    if (strcmp(val, "decode") && strcmp(val, "prefill"))
        return error("%s: error: option '--phase': '%s' is not decode or prefill",
                     tf_progname, tq(val));
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

static int opt_pj(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    ((struct copts *)dest)->mem_pj_given = 1;
    return parse_num(as_typed, val, 0, OPT_DEST(dest, o, double));
}

static int opt_memory(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    if (!mem_preset_find(val))
        return error("%s: error: option '--memory': no memory preset '%s' (the presets: %s)",
                     tf_progname, tq(val), mem_preset_names());
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

static const struct opt opts[] = {
    OPT_POINT(struct copts, pt),
    OPT_TECH(0),
    { "--format", 0, "text|json|csv", "how to print (default text)", 0, opt_format,
      offsetof(struct copts, format), 0, 0 },
    { "--shape", 0, "MxN[xB]", "the workload: an M x N matrix times B vectors (default "
      "max_rows x max_cols x 1)", 0, opt_shape, 0, 0, 0 },
    { "--bw", 0, "GBPS", "memory bandwidth for the roofline bound (default, or 0: none)", 0,
      opt_bw, offsetof(struct copts, bw), 0, 0 },
    { "--model", 0, "NAME", "the workload: every ternary matrix of one token of a model "
      "(docs/models.md: its name or Hugging Face repository, any case), instead of --shape",
      0, opt_model, offsetof(struct copts, model), 0, 0 },
    { "--phase", 0, "decode|prefill", "with --model: one token (decode, default) or "
      "--tokens T of a prefill", 0, opt_phase, offsetof(struct copts, phase), 0, 0 },
    { "--tokens", 0, "T", "with --phase prefill: the prompt's tokens (columns)", 0, opt_long,
      offsetof(struct copts, tokens), 1, 1L << 20 },
    { "--mem-pj-per-bit", 0, "PJ", "memory energy per bit moved, for the energy per token "
      "(default 0: not priced)", 0, opt_pj, offsetof(struct copts, mem_pj), 0, 0 },
    { "--memory", 0, "PRESET", "a built-in memory energy per bit instead of "
      "--mem-pj-per-bit (docs/cost-model.md, \"Memory energy presets\")", 0, opt_memory,
      offsetof(struct copts, memory), 0, 0 },
    { "--hier", 0, NULL, "price the core as `synth --hier` builds it: the FP units kept whole "
      "as modules, not narrowed where a flat synthesis would (docs/cost-model.md)", 0,
      opt_flag, offsetof(struct copts, hier), 0, 0 },
    OPT_SET(struct copts, pt),
    { 0 }
};

/* ---- printing a cost: one table of figures ------------------------------ */

/* When a point has a figure. */
enum when { W_ALL, W_ASIC, W_FPGA, W_TIMING, W_NO_TIMING, W_ENERGY, W_BW, W_MODEL, W_MATRIX, W_LM, W_NO_LM,
            W_MODEL_ENERGY, W_MEM_ENERGY };

/* Where a figure's value is. */
enum src {
    S_COST,     /* a double in struct cost at offset `at` */
    S_TOTAL,    /* c->total[at]; broken down by component in c->comp[k][at] */
    S_WL,       /* a double in struct workload at offset `at` */
    S_WL_LONG,  /* a long in struct workload at offset `at` */
    S_ACTIVITY, /* the technology's switching activity */
    S_STR,      /* the string v->str[at] */
    S_OTHER,    /* a double in struct model_other at offset `at` */
};
enum { STR_TECH, STR_POINT, STR_FINGERPRINT, STR_KIND, STR_STAGE, STR_BOUND, STR_PATH,
       STR_CALIBRATED, STR_MODEL, STR_PHASE, STR_BRAM_KIND, STR__COUNT };

enum {
    F_NULL = 1,  /* absent: json null, an empty csv cell (else left out) */
    F_QUOTE = 2, /* quoted in csv */
    F_TEXT = 4,  /* text only (another view of a figure) */
    F_CSV = 8,   /* csv only */
};

struct figure {
    const char *key;  /* json key ("obj.key": inside object "obj"), csv column */
    const char *unit; /* printed after the value in text; S_TOTAL: metric_units */
    const char *fmt;  /* json and csv (text templates give their own) */
    enum when when;
    int flags;
    int csv;          /* csv column order (1, 2, ...); 0: not in csv */
    enum src src;
    size_t at;
    double scale;     /* value x scale (0: as is): another unit */
};

#define COST(f) S_COST, offsetof(struct cost, f), 0
#define WL(f) offsetof(struct workload, f), 0
#define OTHER(f) S_OTHER, offsetof(struct model_other, f), 0

/* In json order; csv orders by `csv`. */
static const struct figure figures[] = {
    { "tech", NULL, NULL, W_ALL, 0, 4, S_STR, STR_TECH, 0 },
    { "point", NULL, NULL, W_ALL, F_QUOTE, 3, S_STR, STR_POINT, 0 },
    { "fingerprint", NULL, NULL, W_ALL, 0, 1, S_STR, STR_FINGERPRINT, 0 },
    { "kind", NULL, NULL, W_ALL, F_CSV, 2, S_STR, STR_KIND, 0 },
    { "area_um2", NULL, "%.10g", W_ASIC, 0, 5, S_TOTAL, M_AREA, 0 },
    { "area_mm2", "mm2", NULL, W_ASIC, F_TEXT, 0, S_TOTAL, M_AREA, 1e-6 },
    { "luts", NULL, "%.10g", W_FPGA, 0, 6, S_TOTAL, M_LUTS, 0 },
    { "ffs", NULL, "%.10g", W_FPGA, 0, 7, S_TOTAL, M_FFS, 0 },
    { "carry", NULL, "%.10g", W_FPGA, 0, 8, S_TOTAL, M_CARRY, 0 },
    { "dsps", NULL, "%.10g", W_FPGA, 0, 9, S_TOTAL, M_DSPS, 0 },
    { "brams", NULL, "%.10g", W_FPGA, 0, 22, COST(brams) },
    { "bram_kind", NULL, NULL, W_FPGA, F_TEXT, 0, S_STR, STR_BRAM_KIND, 0 },
    { "critical_path_ns", "ns", "%.6g", W_TIMING, F_NULL, 10, COST(critical_path_ns) },
    { "fmax_mhz", "MHz", "%.6g", W_TIMING, F_NULL, 11, COST(fmax_mhz) },
    { "critical_stage", NULL, NULL, W_TIMING, 0, 0, S_STR, STR_STAGE, 0 },
    { "clock_ns", "ns", "%.6g", W_ALL, 0, 0, COST(clock_ns) },
    { "energy_pj_per_mac", "pJ/MAC", "%.10g", W_ENERGY, F_NULL, 12, COST(energy_pj_per_mac) },
    { "energy_pj_per_gemv", "pJ", "%.10g", W_ENERGY, 0, 0, COST(energy_pj_per_gemv) },
    { "energy_pj_per_cycle", NULL, "%.10g", W_ENERGY, 0, 0, S_TOTAL, M_ENERGY, 0 },
    { "power_mw", "mW", "%.10g", W_ENERGY, 0, 0, COST(power_mw) },
    { "workload.M", NULL, "%ld", W_ALL, 0, 13, S_WL_LONG, WL(M) },
    { "workload.N", NULL, "%ld", W_ALL, 0, 14, S_WL_LONG, WL(N) },
    { "workload.B", NULL, "%ld", W_ALL, 0, 15, S_WL_LONG, WL(B) },
    { "workload.bw_gbps", "GB/s", "%.10g", W_ALL, 0, 0, S_WL, WL(bw_gbps) },
    { "cycles", "cycles", "%.10g", W_ALL, 0, 16, COST(cycles) },
    { "macs", "MACs", "%.10g", W_ALL, 0, 0, COST(macs) },
    { "macs_per_cycle", "MACs/cycle", "%.10g", W_ALL, 0, 17, COST(macs_per_cycle) },
    { "peak_macs_per_cycle", "MACs/cycle", "%.10g", W_ALL, 0, 0, COST(peak_macs_per_cycle) },
    { "weight_bits", "bits", "%.6g", W_ALL, 0, 0, COST(weight_bits) },
    { "bytes.weights", "B", "%.10g", W_ALL, 0, 0, COST(bytes_weights) },
    { "bytes.acts", "B", "%.10g", W_ALL, 0, 0, COST(bytes_acts) },
    { "bytes.results", "B", "%.10g", W_ALL, 0, 0, COST(bytes_results) },
    { "time_compute_s", "s", "%.10g", W_ALL, 0, 0, COST(time_compute_s) },
    { "time_compute_us", "us", NULL, W_ALL, F_TEXT, 0, S_COST,
      offsetof(struct cost, time_compute_s), 1e6 },
    { "time_memory_s", "s", "%.10g", W_ALL, 0, 0, COST(time_memory_s) },
    { "time_memory_us", "us", NULL, W_ALL, F_TEXT, 0, S_COST,
      offsetof(struct cost, time_memory_s), 1e6 },
    { "time_us", "us", NULL, W_ALL, F_TEXT, 0, S_COST, offsetof(struct cost, time_s), 1e6 },
    { "bound", NULL, NULL, W_ALL, 0, 18, S_STR, STR_BOUND, 0 },
    { "tokens_per_s", "tokens/s", "%.10g", W_ALL, 0, 19, COST(tokens_per_s) },
    { "weight_bytes_per_token", "B", "%.10g", W_ALL, 0, 20, COST(weight_bytes_per_token) },
    { "weight_mb_per_token", "MB", NULL, W_ALL, F_TEXT, 0, S_COST,
      offsetof(struct cost, weight_bytes_per_token), 1e-6 },
    { "mem_energy_pj_per_token", "pJ", "%.10g", W_ALL, 0, 0, COST(mem_energy_pj_per_token) },
    { "energy_pj_per_token", "pJ", "%.10g", W_ENERGY, F_NULL, 21, COST(energy_pj_per_token) },
    { "energy_uj_per_token", "uJ", NULL, W_ENERGY, F_TEXT, 0, S_COST,
      offsetof(struct cost, energy_pj_per_token), 1e-6 },
    { "mem_energy_uj_per_token", "uJ", NULL, W_ALL, F_TEXT, 0, S_COST,
      offsetof(struct cost, mem_energy_pj_per_token), 1e-6 },
    { "gemv_energy_uj", "uJ", NULL, W_ENERGY, F_TEXT, 0, S_COST,
      offsetof(struct cost, energy_pj_per_gemv), 1e-6 },
    { "mem_pj_per_bit", "pJ/bit", "%.6g", W_ALL, F_TEXT, 0, S_WL, WL(mem_pj_per_bit) },
    { "model.name", NULL, NULL, W_MODEL, 0, 0, S_STR, STR_MODEL, 0 },
    { "model.phase", NULL, NULL, W_MODEL, 0, 0, S_STR, STR_PHASE, 0 },
    { "model.ternary_macs_per_token", "MACs", "%.10g", W_MODEL, 0, 0, OTHER(ternary_macs) },
    { "model.lm_head_macs", "MACs", "%.10g", W_LM, F_NULL, 0, OTHER(lm_head_macs) },
    { "model.lm_head_bytes", "B", "%.10g", W_LM, F_NULL, 0, OTHER(lm_head_bytes) },
    { "model.embed_bytes", "B", "%.10g", W_MODEL, 0, 0, OTHER(embed_bytes) },
    { "model.attn_flops_per_pos", "FLOPs", "%.10g", W_MODEL, 0, 0, OTHER(attn_flops_per_pos) },
    { "model.kv_bytes_per_pos", "B", "%.10g", W_MODEL, 0, 0, OTHER(kv_bytes_per_pos) },
    { "activity", NULL, NULL, W_ALL, F_TEXT, 0, S_ACTIVITY, 0, 0 },
    { "tech_path", NULL, NULL, W_ALL, F_TEXT, 0, S_STR, STR_PATH, 0 },
    { "calibrated", NULL, NULL, W_ALL, F_TEXT, 0, S_STR, STR_CALIBRATED, 0 },
};
#define NFIGURES (int)(sizeof figures / sizeof figures[0])

/* The breakdown by component, in json (after the figures) and in the
 * text table: a column per figure, and the area share (text only). */
enum breakdown { B_METRIC, B_SHARE, B_PER_MAC };
static const struct column {
    const char *figure; /* NULL: the area share */
    enum breakdown by;
    int width;
    const char *fmt;    /* text; json: the figure's */
} columns[] = {
    { "area_um2", B_METRIC, 14, "%14.1f" },
    { "luts", B_METRIC, 14, "%14.1f" },
    { "ffs", B_METRIC, 14, "%14.1f" },
    { "carry", B_METRIC, 14, "%14.1f" },
    { "dsps", B_METRIC, 14, "%14.1f" },
    { NULL, B_SHARE, 7, "%6.1f%%" },
    { "energy_pj_per_cycle", B_METRIC, 12, "%12.3f" },
    { "energy_pj_per_mac", B_PER_MAC, 10, "%10.4f" },
};
#define NCOLUMNS (int)(sizeof columns / sizeof columns[0])

/* The text format: lines of literal text and {figure} or {figure:FMT}
 * (the value and its unit), or {figure:FMT:} (the value alone); a NULL
 * line is the component table. */
static const struct text_line {
    enum when when;
    const char *tmpl;
} text_lines[] = {
    { W_ALL, "point:      {point}\n" },
    { W_ALL, "technology: {tech} ({tech_path}){calibrated}\n\n" },
    { W_ALL, NULL },
    { W_ALL, "\n" },
    { W_ASIC, "area:           {area_um2:%.0f} ({area_mm2:%.4f})\n" },
    { W_FPGA, "block RAMs:     {brams:%.0f} ({bram_kind}; activation buffer and result FIFO)\n" },
    { W_TIMING, "critical path:  {critical_path_ns:%.3f} ({critical_stage}), "
                "f_max {fmax_mhz:%.1f}\n" },
    { W_NO_TIMING, "critical path:  not modelled for {tech} (no open timing flow); times "
                   "below use the {clock_ns:%.3g} clock of the technology file\n" },
    { W_MATRIX, "workload:       M={workload.M} N={workload.N} B={workload.B}: {cycles:%.0f}, "
             "{macs_per_cycle:%.4g} (peak {peak_macs_per_cycle:%.4g:}), "
             "{time_compute_us:%.4g} at {clock_ns:%.4g}\n" },
    { W_MODEL, "workload:       {model.name}, {workload.B:%ld:} token(s) (matrices up to "
               "{workload.M:%ld:} x {workload.N:%ld:}): {cycles:%.0f}, "
               "{macs_per_cycle:%.4g} (peak {peak_macs_per_cycle:%.4g:}), "
               "{time_compute_us:%.4g} at {clock_ns:%.4g}\n" },
    { W_ENERGY, "energy:         {energy_pj_per_mac:%.4g}, {energy_pj_per_gemv:%.4g} per GEMV "
                "(M x N; with --model: per token), {power_mw:%.4g} at {clock_ns:%.4g} (activity {activity:%.3g})\n" },
    { W_ALL, "traffic:        weights {bytes.weights:%.4g} ({weight_bits:%.3g} each), "
             "activations {bytes.acts:%.4g}, results {bytes.results:%.4g}\n" },
    { W_BW, "roofline:       compute {time_compute_us:%.4g}, memory {time_memory_us:%.4g} at "
            "{workload.bw_gbps:%.4g}: {bound}-bound, {time_us:%.4g}\n" },
    { W_MODEL, "\nmodel:          {model.name}, {model.phase}, {workload.B:%ld:} token(s): every "
               "ternary matrix of a token, one job each\n" },
    { W_MODEL, "per token:      {tokens_per_s:%.4g}, weights {weight_mb_per_token:%.4g}, "
               "{bound}-bound\n" },
    { W_MODEL_ENERGY, "energy/token:   {energy_uj_per_token:%.4g} = core {gemv_energy_uj:%.4g} + "
                      "memory {mem_energy_uj_per_token:%.4g} ({mem_pj_per_bit:%.3g})\n" },
    { W_LM, "not on this core (per token, 16-bit): LM head {model.lm_head_macs:%.4g} and "
            "{model.lm_head_bytes:%.4g}; embedding row {model.embed_bytes:%.4g}; per cached "
            "position: attention {model.attn_flops_per_pos:%.4g}, KV cache read "
            "{model.kv_bytes_per_pos:%.4g}\n" },
    { W_NO_LM, "not on this core (per token, 16-bit): LM head not counted (vocabulary not "
               "verified, docs/models.md); embedding row {model.embed_bytes:%.4g}; per cached "
               "position: attention {model.attn_flops_per_pos:%.4g}, KV cache read "
               "{model.kv_bytes_per_pos:%.4g}\n" },
};

/* One priced point, as the printers read it. */
struct view {
    const struct design_point *dp;
    const struct tech *t;
    const struct workload *wl;
    const struct cost *c;
    const char *str[STR__COUNT];
    struct model_other other;   /* with a model workload */
};

static int is_asic(const struct tech *t) { return t->target == TECH_ASIC; }

static int has_timing(const struct tech *t) { return t->delay[D_REG] > 0; }

static int present(enum when w, const struct view *v)
{
    switch (w) {
    case W_ALL: return 1;
    case W_ASIC: return is_asic(v->t);
    case W_FPGA: return !is_asic(v->t);
    case W_TIMING: return has_timing(v->t);
    case W_NO_TIMING: return !has_timing(v->t);
    case W_ENERGY: return v->t->has[M_ENERGY];
    case W_BW: return v->wl->bw_gbps > 0;
    case W_MODEL: return v->wl->model != NULL;
    case W_MATRIX: return v->wl->model == NULL;
    case W_LM: return v->wl->model && v->wl->model->vocab;
    case W_NO_LM: return v->wl->model && !v->wl->model->vocab;
    case W_MODEL_ENERGY: return v->wl->model && v->t->has[M_ENERGY];
    case W_MEM_ENERGY: return v->wl->mem_pj_per_bit > 0;
    }
    return 0;
}

static const struct figure *figure(const char *key, size_t len)
{
    for (int i = 0; i < NFIGURES; i++)
        if (strlen(figures[i].key) == len && !strncmp(figures[i].key, key, len))
            return &figures[i];
    BUG("no figure '%.*s'", (int)len, key);
}

static const struct figure *column_figure(const struct column *col)
{
    return col->figure ? figure(col->figure, strlen(col->figure)) : NULL;
}

static const char *unit_of(const struct figure *f)
{
    return f->unit || f->src != S_TOTAL ? f->unit : metric_units[f->at];
}

static double number(const struct figure *f, const struct view *v)
{
    switch (f->src) {
    case S_COST: {
        double x = *(const double *)(const void *)((const char *)v->c + f->at);
        return f->scale ? x * f->scale : x;
    }
    case S_TOTAL: return f->scale ? v->c->total[f->at] * f->scale : v->c->total[f->at];
    case S_WL: return *(const double *)(const void *)((const char *)v->wl + f->at);
    case S_ACTIVITY: return v->t->activity;
    case S_OTHER: return *(const double *)(const void *)((const char *)&v->other + f->at);
    default: BUG("figure '%s' is not a number", f->key);
    }
}

/* The value in format fmt (NULL: the figure's). */
static void value(struct strbuf *sb, const struct figure *f, const struct view *v,
                  const char *fmt)
{
    if (f->src == S_STR)
        sb_addf(sb, fmt ? fmt : "%s", v->str[f->at]);
    else if (f->src == S_WL_LONG)
        sb_addf(sb, fmt ? fmt : f->fmt,
                *(const long *)(const void *)((const char *)v->wl + f->at));
    else
        sb_addf(sb, fmt ? fmt : f->fmt, number(f, v));
}

/* A component's share of the energy per MAC (its energy per cycle scaled
 * like the total). */
static double comp_pj_per_mac(const struct cost *c, int k)
{
    return c->total[M_ENERGY] > 0
               ? c->comp[k][M_ENERGY] * c->energy_pj_per_mac / c->total[M_ENERGY]
               : 0;
}

static int comp_priced(const struct cost *c, int k)
{
    int any = 0;
    for (int f = 0; f < F__COUNT; f++)
        any |= c->x[k][f] != 0;
    return any;
}

static int column_present(const struct column *col, const struct view *v)
{
    return col->figure ? present(column_figure(col)->when, v) : is_asic(v->t);
}

/* Component k's value in a column; k < 0: the total. */
static double column_value(const struct column *col, const struct view *v, int k)
{
    const struct cost *c = v->c;
    const struct figure *f = column_figure(col);
    switch (col->by) {
    case B_SHARE: return k < 0 ? 100.0 : 100 * c->comp[k][M_AREA] / c->total[M_AREA];
    case B_METRIC: return k < 0 ? c->total[f->at] : c->comp[k][f->at];
    case B_PER_MAC: return k < 0 ? c->energy_pj_per_mac : comp_pj_per_mac(c, k);
    }
    return 0;
}

/* The SRAM macros (mem_style=sram), each priced alone from the
 * technology file's `sram` lines: text lines or JSON objects. */
static void print_memories(struct strbuf *sb, const struct view *v, int json)
{
    struct tf_memory m[2];
    int n = memories_of(v->dp, m);
    const struct tech *t = v->t;
    if (json)
        sb_adds(sb, "  \"memories\": [");
    else if (n && t->has_sram)
        sb_addf(sb, "\nSRAM macros (black boxes priced by the 'sram' lines of %s; the table "
                    "above counts one read a cycle):\n", t->name);
    else if (n && is_asic(t))
        sb_addf(sb, "\nSRAM macros (%s has no 'sram' lines: not priced):\n", t->name);
    else if (n)
        sb_addf(sb, "\nSRAM macros (on %s their behavioural wrappers, inferred as block RAM, "
                    "LUT RAM or flip-flops by their shape and priced so above):\n",
                t->name);
    for (int i = 0; i < n; i++) {
        double a = tech_sram_cost(t, SRAM_AREA, m[i].depth, m[i].width);
        double rd = tech_sram_cost(t, SRAM_READ, m[i].depth, m[i].width);
        double wr = tech_sram_cost(t, SRAM_WRITE, m[i].depth, m[i].width);
        if (json) {
            sb_addf(sb, "%s\n    {\"role\": \"%s\", \"instance\": \"%s\", \"depth\": %d, "
                        "\"width\": %d, \"priced\": %s",
                    i ? "," : "", m[i].role, m[i].instance, m[i].depth, m[i].width,
                    t->has_sram || !is_asic(t) ? "true" : "false");
            if (t->has_sram && is_asic(t))
                sb_addf(sb, ", \"area_um2\": %.1f", a);
            if (t->has_sram)
                sb_addf(sb, ", \"read_pj\": %.4g, \"write_pj\": %.4g", rd, wr);
            sb_adds(sb, "}");
        } else if (!t->has_sram) {
            sb_addf(sb, "  %-12s %-24s %5d x %d\n", m[i].role, m[i].instance, m[i].depth,
                    m[i].width);
        } else {
            sb_addf(sb, "  %-12s %-24s %5d x %-4d", m[i].role, m[i].instance, m[i].depth,
                    m[i].width);
            if (is_asic(t))
                sb_addf(sb, " %10.1f %s", a, metric_units[M_AREA]);
            sb_addf(sb, "  read %.4g pJ, write %.4g pJ per access\n", rd, wr);
        }
    }
    if (json)
        sb_adds(sb, n ? "\n  ]\n" : "]\n");
}

static void print_json(struct strbuf *sb, const struct view *v)
{
    sb_adds(sb, "{\n");
    const char *obj = NULL; /* the open object's key, "obj." */
    for (int i = 0; i < NFIGURES; i++) {
        const struct figure *f = &figures[i];
        int here = present(f->when, v);
        if ((f->flags & (F_TEXT | F_CSV)) || (!here && !(f->flags & F_NULL)))
            continue;
        const char *dot = strchr(f->key, '.');
        size_t plen = dot ? (size_t)(dot - f->key) + 1 : 0;
        if (obj && !(dot && !strncmp(obj, f->key, plen))) {
            sb_adds(sb, "},\n");
            obj = NULL;
        }
        if (dot && !obj)
            sb_addf(sb, "  \"%.*s\": {", (int)plen - 1, f->key);
        else if (dot)
            sb_adds(sb, ", ");
        sb_addf(sb, dot ? "\"%s\": " : "  \"%s\": ", dot ? dot + 1 : f->key);
        if (!here)
            sb_adds(sb, "null");
        else
            value(sb, f, v, f->src == S_STR ? "\"%s\"" : NULL);
        if (dot)
            obj = f->key;
        else
            sb_adds(sb, ",\n");
    }
    if (obj)
        sb_adds(sb, "},\n");
    sb_adds(sb, "  \"components\": {");
    int first = 1;
    for (int k = 0; k < COMP__COUNT; k++) {
        if (!comp_priced(v->c, k))
            continue;
        sb_addf(sb, "%s\n    \"%s\": {", first ? "" : ",", comp_names[k]);
        first = 0;
        int fi = 1;
        for (int i = 0; i < NCOLUMNS; i++) {
            const struct column *col = &columns[i];
            if (!col->figure || !column_present(col, v))
                continue;
            const struct figure *f = column_figure(col);
            if (col->by == B_METRIC && !v->t->has[f->at]) /* a metric the file prices */
                continue;
            sb_addf(sb, "%s\"%s\": ", fi ? "" : ", ", f->key);
            sb_addf(sb, f->fmt, column_value(col, v, k));
            fi = 0;
        }
        sb_adds(sb, "}");
    }
    sb_adds(sb, "\n  },\n");
    print_memories(sb, v, 1);
    sb_adds(sb, "}\n");
}

static void print_csv(struct strbuf *sb, const struct view *v)
{
    const struct figure *col[NFIGURES];
    int n = 0;
    for (int rank = 1; rank <= NFIGURES; rank++)
        for (int i = 0; i < NFIGURES; i++)
            if (figures[i].csv == rank &&
                (present(figures[i].when, v) || (figures[i].flags & F_NULL)))
                col[n++] = &figures[i];
    for (int i = 0; i < n; i++) {
        const char *dot = strchr(col[i]->key, '.');
        sb_addf(sb, "%s%s", i ? "," : "", dot ? dot + 1 : col[i]->key);
    }
    sb_adds(sb, "\n");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_adds(sb, ",");
        if (present(col[i]->when, v))
            value(sb, col[i], v, col[i]->flags & F_QUOTE ? "\"%s\"" : NULL);
    }
    sb_adds(sb, "\n");
}

/* One template of text_lines. */
static void expand(struct strbuf *sb, const char *t, const struct view *v)
{
    while (*t) {
        const char *open = strchr(t, '{');
        if (!open) {
            sb_adds(sb, t);
            return;
        }
        sb_add(sb, t, (size_t)(open - t));
        const char *close = strchr(open, '}');
        const char *c1 = memchr(open, ':', (size_t)(close - open));
        const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(close - c1 - 1)) : NULL;
        const char *key_end = c1 ? c1 : close, *fmt_end = c2 ? c2 : close;
        const struct figure *f = figure(open + 1, (size_t)(key_end - open - 1));
        char fmt[16] = "";
        if (c1)
            snprintf(fmt, sizeof fmt, "%.*s", (int)(fmt_end - c1 - 1), c1 + 1);
        value(sb, f, v, c1 ? fmt : NULL);
        if (!c2 && unit_of(f))
            sb_addf(sb, " %s", unit_of(f));
        t = close + 1;
    }
}

static void print_table(struct strbuf *sb, const struct view *v)
{
    sb_addf(sb, "%-13s", "component");
    for (int i = 0; i < NCOLUMNS; i++)
        if (column_present(&columns[i], v))
            sb_addf(sb, " %*s", columns[i].width,
                    columns[i].figure ? unit_of(column_figure(&columns[i])) : "share");
    sb_adds(sb, "\n");
    for (int k = 0; k <= COMP__COUNT; k++) {
        int total = k == COMP__COUNT;
        if (!total && !comp_priced(v->c, k))
            continue;
        sb_addf(sb, "%-13s", total ? "total" : comp_names[k]);
        for (int i = 0; i < NCOLUMNS; i++)
            if (column_present(&columns[i], v)) {
                sb_adds(sb, " ");
                sb_addf(sb, columns[i].fmt, column_value(&columns[i], v, total ? -1 : k));
            }
        sb_adds(sb, "\n");
    }
}

static void print_text(struct strbuf *sb, const struct view *v)
{
    for (size_t i = 0; i < sizeof text_lines / sizeof text_lines[0]; i++) {
        if (!present(text_lines[i].when, v))
            continue;
        if (text_lines[i].tmpl)
            expand(sb, text_lines[i].tmpl, v);
        else
            print_table(sb, v);
    }
    print_memories(sb, v, 0);
}

void cost_print(FILE *out, const struct design_point *dp, const struct tech *t,
                const struct workload *wl, const struct cost *c, const char *format)
{
    char fpr[17], *desc = dp_describe_kind(dp, " ");
    struct strbuf cal = STRBUF_INIT, sb = STRBUF_INIT;
    snprintf(fpr, sizeof fpr, "%016llx", (unsigned long long)dp_fingerprint(dp));
    if (t->note)
        sb_addf(&cal, ", calibrated %s", t->note);
    if (t->fpadd_kept) /* cost --hier */
        sb_adds(&cal, "; priced as `synth --hier` builds it (FP units kept whole)");
    struct view v = { dp, t, wl, c, { 0 }, { 0, 0, 0, 0, 0, 0 } };
    v.str[STR_TECH] = t->name;
    v.str[STR_POINT] = desc;
    v.str[STR_FINGERPRINT] = fpr;
    v.str[STR_KIND] = kind_names[dp->kind];
    v.str[STR_STAGE] = c->critical_stage;
    v.str[STR_BRAM_KIND] = t->target == TECH_XC7 ? "18 Kb blocks, a RAMB36E1 counts 2"
                                                 : "SB_RAM40_4K";
    v.str[STR_BOUND] = wl->bw_gbps > 0 && c->memory_bound ? "memory" : "compute";
    v.str[STR_PATH] = t->path;
    v.str[STR_CALIBRATED] = cal.buf ? cal.buf : "";
    v.str[STR_MODEL] = wl->model ? wl->model->name : "";
    v.str[STR_PHASE] = wl->prefill ? "prefill" : "decode";
    if (wl->model)
        model_other(wl->model, &v.other);
    if (!strcmp(format, "json"))
        print_json(&sb, &v);
    else if (!strcmp(format, "csv"))
        print_csv(&sb, &v);
    else
        print_text(&sb, &v);
    fputs(sb.buf, out);
    sb_release(&sb);
    sb_release(&cal);
    free(desc);
}

static int run_cost(int argc, char **argv)
{
    struct copts o = COPTS_INIT;
    struct design_point dp;
    struct tech t;
    if (opt_parse(&cmd_cost, argc, argv, &o) || load_costed(&o, &dp, &t, "cost")) {
        free(o.pt.sets.v);
        return 1;
    }
    int rc = 0;
    tech_keep_fp_units(&t, o.hier);
    const char *phase = o.phase ? o.phase : "decode";
    if (o.model && o.M)
        rc = error("%s: error: cost: give --model or --shape, not both", tf_progname);
    else if (o.memory && o.mem_pj_given)
        rc = error("%s: error: cost: give --memory or --mem-pj-per-bit, not both", tf_progname);
    else if (!o.model && (o.phase || o.tokens))
        rc = error("%s: error: cost: --phase and --tokens need --model", tf_progname);
    else if (o.model && !strcmp(phase, "prefill") && !o.tokens)
        rc = error("%s: error: cost: --phase prefill needs --tokens T", tf_progname);
    else if (o.model && !strcmp(phase, "decode") && o.tokens)
        rc = error("%s: error: cost: --tokens is for --phase prefill (decode is one token)",
                   tf_progname);
    if (!rc && o.model) {
        const struct model_desc *m = model_find(o.model);
        if (!o.tokens)
            o.tokens = 1;
        if (model_max_rows(m) > dp.max_rows || model_max_cols(m) > dp.max_cols)
            rc = error("%s: error: cost: model %s has matrices up to %ld x %ld; the core's "
                       "max_rows x max_cols is %ld x %ld (--set max_rows=%ld --set max_cols=%ld)",
                       tf_progname, o.model, model_max_rows(m), model_max_cols(m), dp.max_rows,
                       dp.max_cols, model_max_rows(m), model_max_cols(m));
    }
    if (!rc && o.M && (o.M > dp.max_rows || o.N > dp.max_cols))
        rc = error("%s: error: cost: --shape %ldx%ld exceeds the core's max_rows x max_cols "
                   "= %ldx%ld", tf_progname, o.M, o.N, dp.max_rows, dp.max_cols);
    if (!rc) {
        struct workload wl;
        if (o.memory)
            o.mem_pj = mem_preset_find(o.memory)->pj_per_bit;
        default_workload(&dp, &o, &wl);
        struct cost c;
        cost_eval(&dp, &t, &wl, &c);
        cost_components(&dp, &t, &c);
        cost_print(stdout, &dp, &t, &wl, &c, o.format);
    }
    tech_free(&t);
    free(o.pt.sets.v);
    return rc ? 1 : 0;
}

const struct command cmd_cost = {
    "cost", run_cost, "price a design point: area, timing, energy, cycles", opts, NULL,
    "\n"
    "Price a design point with the analytical cost model: area (um2) or FPGA\n"
    "cells by component, critical path and f_max, energy per MAC and per GEMV,\n"
    "cycles and MACs per cycle for an M x N x B workload (default max_rows x\n"
    "max_cols x 1), and with --bw a roofline bound: compute or memory.\n"
    "Technologies: osu018 (default), xc7, ice40, or a .tech file.\n"
    "The formulas are in docs/cost-model.md.\n",
    21, 0 /* as laid out by hand before */
};
