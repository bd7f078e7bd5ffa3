/* dp.c - the design point: parameter table, value parsing, range and
 * consistency checks, derived widths (see dp.h). */
#include "dp.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fixq.h"
#include "softfloat.h"
#include "util.h"

const char *const kind_names[] = { "tlut", "tsign", "tmul", "fixp", NULL };
const char *const w_encoding_names[] = { "int", "pow2", NULL };
const char *const acc_overflow_names[] = { "wrap", "sat", NULL };
const char *const act_type_names[] = { "int", "fp16", "bf16", "fp8e4m3", "fp8e5m2", NULL };
const char *const acc_type_names[] = { "auto", "fp16", "bf16", "fp32", NULL };

const struct param_desc param_table[] = {
#define PARAM_INT(f, def, mn, mx, k, h) \
    { #f, PT_INT, def, mn, mx, NULL, k, h, offsetof(struct design_point, f) },
#define PARAM_ENUM(f, def, nm, k, h) \
    { #f, PT_ENUM, def, 0, 0, nm, k, h, offsetof(struct design_point, f) },
#include "params.def"
#undef PARAM_INT
#undef PARAM_ENUM
};
const int param_count = (int)(sizeof param_table / sizeof param_table[0]);

static long *field(struct design_point *dp, const struct param_desc *p)
{
    return (long *)((char *)dp + p->offset);
}

long dp_get(const struct design_point *dp, const struct param_desc *p)
{
    return *(const long *)((const char *)dp + p->offset);
}

/* A struct assignment this large compiles to `rep movsq`: lib_memcpy
 * (util.h) is about 5 ns faster of the 100 ns a sweep spends per point. */
void dp_copy(struct design_point *dst, const struct design_point *src)
{
    lib_memcpy(dst, src, sizeof *dst);
}

void dp_init(struct design_point *dp)
{
    memset(dp, 0, sizeof *dp);
    for (int i = 0; i < param_count; i++)
        *field(dp, &param_table[i]) = param_table[i].def;
    dp->src = "defaults";
}

const struct param_desc *param_find(const char *name)
{
    for (int i = 0; i < param_count; i++)
        if (!strcmp(param_table[i].name, name))
            return &param_table[i];
    return NULL;
}

static void list_names(struct strbuf *sb, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        sb_addf(sb, "%s%s", i ? ", " : "", names[i]);
}

int dp_set(struct design_point *dp, const char *name, const char *value,
           const char *loc, const char *what)
{
    const struct param_desc *p = param_find(name);
    if (!p)
        return error("%s: error: %s '%s': unknown parameter (see 'ternforge params')",
                     loc, what, name);
    if (!*value)
        return error("%s: error: %s '%s': empty value", loc, what, name);
    if (p->type == PT_ENUM) {
        for (int i = 0; p->names[i]; i++) {
            if (!strcmp(p->names[i], value)) {
                *field(dp, p) = i;
                dp->set_mask |= 1ULL << (p - param_table);
                return 0;
            }
        }
        struct strbuf sb = STRBUF_INIT;
        list_names(&sb, p->names);
        error("%s: error: %s '%s': '%s' is not one of: %s",
              loc, what, name, value, sb.buf);
        sb_release(&sb);
        return -1;
    }
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (end == value || *end || errno == ERANGE || value[0] == ' ' || value[0] == '+')
        return error("%s: error: %s '%s': '%s' is not a decimal integer",
                     loc, what, name, value);
    if (v < p->min || v > p->max)
        return error("%s: error: %s '%s': value %ld is out of range %ld..%ld",
                     loc, what, name, v, p->min, p->max);
    *field(dp, p) = v;
    dp->set_mask |= 1ULL << (p - param_table);
    return 0;
}

int dp_apply_sets(struct design_point *dp, char **sets, int nsets)
{
    int errs = 0;
    for (int i = 0; i < nsets; i++) {
        char *eq = strchr(sets[i], '=');
        if (!eq) {
            error("command line: error: --set '%s': expected NAME=VALUE", sets[i]);
            errs++;
            continue;
        }
        char *name = xstrdup(sets[i]);
        name[eq - sets[i]] = '\0';
        if (dp_set(dp, name, eq + 1, "command line", "--set"))
            errs++;
        free(name);
    }
    return errs ? -1 : 0;
}

/* Which tree levels (0 = after the selection, tree_levels = the root) get a
 * pipeline register: s registers spread evenly over levels+1 cut points. */
int tree_cut_after(const struct design_point *dp, int level)
{
    int cuts = dp->d.tree_levels + 1;
    long s = dp->tree_stages;
    return (level + 1) * s / cuts > level * s / cuts;
}

static int was_set(const struct design_point *dp, enum param_index i)
{
    return (int)(dp->set_mask >> i & 1);
}

/* Activation and sum formats of the ternary kinds. Sets d->fp and, for
 * FP, the formats and lane widths; the kind's finalize uses them. */
static int finalize_act(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    d->fp = dp->act_type != ACT_INT;
    if (!d->fp) {
        if (dp->acc_type != ACC_AUTO) {
            error("%s: error: core: acc_type applies to floating-point act_type only", loc);
            errs++;
        }
        if (dp->fp_latency != 0) { /* 0 is every core's, so sweeps may list it */
            error("%s: error: core: fp_latency applies to floating-point act_type only", loc);
            errs++;
        }
        d->lane_in_bits = (int)dp->act_width;
        return errs;
    }
    static const int act_fmt[] = { 0, SF_FP16, SF_BF16, SF_FP8E4M3, SF_FP8E5M2 };
    static const int acc_fmt[] = { 0, SF_FP16, SF_BF16, SF_FP32 };
    if (was_set(dp, PI_act_width)) {
        error("%s: error: core: act_width applies to act_type=int only (%s is %d bits)", loc,
              act_type_names[dp->act_type], sf_info(act_fmt[dp->act_type])->bits);
        errs++;
    }
    if (was_set(dp, PI_acc_width)) {
        error("%s: error: core: acc_width applies to act_type=int only (the sum format is "
              "acc_type)", loc);
        errs++;
    }
    d->act_fmt = act_fmt[dp->act_type];
    long acc = dp->acc_type;
    if (acc == ACC_AUTO)
        acc = dp->act_type == ACT_BF16 ? ACC_BF16 : ACC_FP16;
    d->acc_fmt = acc_fmt[acc];
    if ((dp->act_type == ACT_FP16 && acc == ACC_BF16) ||
        (dp->act_type == ACT_BF16 && acc == ACC_FP16)) {
        error("%s: error: core: act_type=%s does not convert exactly into acc_type=%s; use "
              "fp32 or the activation type", loc, act_type_names[dp->act_type],
              acc_type_names[acc]);
        errs++;
    }
    const struct sf_info *ai = sf_info(d->act_fmt), *si = sf_info(d->acc_fmt);
    d->lane_in_bits = ai->bits;
    d->acc_exp = si->exp_bits;
    d->acc_man = si->man_bits;
    d->acc_bits = si->bits;
    d->term_bits = si->bits;
    d->lane_bits = si->bits;
    d->lane_signed = 0; /* results are bit patterns */
    d->acc_lat = (int)dp->fp_latency;
    d->spacing = (int)dp->fp_latency + 1;
    return errs;
}

static int finalize_tlut(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    long w = dp->act_width;
    long three = 1;
    for (int i = 0; i < dp->mu; i++)
        three *= 3;
    d->entries = (int)((three - 1) / 2);
    d->key_bits = clog2((uint64_t)d->entries + 1) + 1;
    /* |sum of mu terms +-a| <= mu * 2^(w-1): needs w + floor(log2 mu) + 1
     * bits, and then every entry and its negation fit. FP entries are
     * values of the sum format. */
    d->entry_bits = d->fp ? d->acc_bits : (int)w + flog2((uint64_t)dp->mu) + 1;
    if (d->fp)
        d->lut_depth = (int)(dp->mu - 1) * (int)dp->fp_latency + (int)dp->lut_reg;
    d->tile_cols = (int)(dp->mu * dp->luts);
    d->outputs = (int)dp->keys;
    d->tree_terms = (int)dp->luts;
    d->term_bits = d->entry_bits;
    if (d->tile_cols > 4096) {
        error("%s: error: core: mu*luts = %d inputs per cycle exceeds the limit 4096",
              loc, d->tile_cols);
        errs++;
    }
    if (dp->keys * dp->luts > 65536) {
        error("%s: error: core: keys*luts = %ld look-up ports exceeds the limit 65536",
              loc, dp->keys * dp->luts);
        errs++;
    }
    d->wgt_bits = (int)(dp->keys * dp->luts) * d->key_bits;
    d->latency = 2 + (int)dp->lut_reg + (int)dp->tree_stages;
    return errs;
}

/* The baselines: P inputs by K outputs per cycle, one term per weight. */
static int finalize_tbase(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0, w = (int)dp->act_width;
    d->tile_cols = (int)dp->inputs;
    d->outputs = (int)dp->keys;
    d->tree_terms = (int)dp->inputs;
    if (d->fp) {
        /* FP: terms are values of the sum format; weights are 2-bit codes
         * (tsign) or FP values of the activation format (tmul). */
        d->wgt_bits = (int)(dp->keys * dp->inputs) * (dp->kind == KIND_TSIGN ? 2 : d->lane_in_bits);
        d->mul_depth = dp->kind == KIND_TMUL ? (int)dp->fp_latency : 0;
    } else if (dp->kind == KIND_TSIGN) {
        d->term_bits = w + 1;  /* -(-2^(w-1)) needs one more bit */
        d->wgt_bits = (int)(dp->keys * dp->inputs) * 2;
    } else {
        d->term_bits = 2 * w;  /* the full w x w product */
        d->wgt_bits = (int)(dp->keys * dp->inputs) * w;
    }
    if (dp->keys * dp->inputs > 65536) {
        error("%s: error: core: keys*inputs = %ld weights per cycle exceeds the limit 65536",
              loc, dp->keys * dp->inputs);
        errs++;
    }
    d->latency = 2 + (int)dp->tree_stages;
    return errs;
}

static int check_format(const char *loc, const char *name, long width, long ibits,
                        long sgn)
{
    struct fx_format f = { (int)width, (int)ibits, (int)sgn };
    const char *why = fx_format_check(&f);
    if (sgn && width < 2)
        why = "a signed format needs at least 2 bits";
    if (why)
        return error("%s: error: core: %s format ap_%sfixed<%ld,%ld>: %s", loc, name,
                     sgn ? "" : "u", width, ibits, why);
    return 0;
}

/* fixp: an R x C array of MACs on fixed-point codes; see docs/fixed-point.md. */
static int finalize_fixp(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    errs += check_format(loc, "x", dp->x_width, dp->x_int, dp->x_signed) != 0;
    errs += check_format(loc, "w", dp->w_width, dp->w_int, dp->w_signed) != 0;
    errs += check_format(loc, "y", dp->y_width, dp->y_int, dp->y_signed) != 0;
    d->outputs = (int)dp->array_rows;
    d->tile_cols = (int)dp->array_cols;
    d->tree_terms = (int)dp->array_cols;
    d->lane_in_bits = (int)dp->x_width;
    d->x_frac = (int)(dp->x_width - dp->x_int);
    d->w_frac = (int)(dp->w_width - dp->w_int);
    d->y_frac = (int)(dp->y_width - dp->y_int);
    d->acc_frac = d->x_frac + d->w_frac;
    d->x_ext = (int)dp->x_width + !dp->x_signed;
    d->w_ext = (int)dp->w_width + !dp->w_signed;
    if (dp->w_encoding == WENC_INT) {
        d->wcode_bits = (int)dp->w_width;
        d->term_bits = d->x_ext + d->w_ext;
    } else {
        long span = dp->shift_max - dp->shift_min;
        long top = dp->w_width - 1 - dp->w_signed; /* largest power of two code: 2^top */
        if (span < 0) {
            error("%s: error: core: shift_min=%ld is above shift_max=%ld", loc, dp->shift_min,
                  dp->shift_max);
            errs++;
            span = 0;
        }
        if (dp->shift_min + d->w_frac < 0) {
            error("%s: error: core: shift_min=%ld: 2^%ld is finer than the w format's step "
                  "2^-%d", loc, dp->shift_min, dp->shift_min, d->w_frac);
            errs++;
        }
        if (dp->shift_max + d->w_frac > top) {
            error("%s: error: core: shift_max=%ld: 2^%ld does not fit the w format "
                  "ap_%sfixed<%ld,%ld>", loc, dp->shift_max, dp->shift_max,
                  dp->w_signed ? "" : "u", dp->w_width, dp->w_int);
            errs++;
        }
        d->exp_bits = clog2((uint64_t)span + 1);
        d->wcode_bits = d->exp_bits + 2; /* {nz, sign, e} */
        d->shift_base = (int)dp->shift_min + d->w_frac;
        if (d->shift_base < 0)
            d->shift_base = 0;
        d->term_bits = d->x_ext + d->shift_base + (int)span + 1;
    }
    d->wgt_bits = (int)(dp->array_rows * dp->array_cols) * d->wcode_bits;
    d->acc_sat = dp->acc_overflow == 1;
    d->lane_bits = (int)dp->y_width;
    d->lane_signed = (int)dp->y_signed;
    d->acc_need = d->term_bits + flog2((uint64_t)dp->max_cols) + 1;
    d->conv_shift = d->acc_frac - d->y_frac;
    if (d->conv_shift < -64 || d->conv_shift > 64) {
        error("%s: error: core: the result format drops %d fraction bits of the "
              "accumulator (F_x + F_w - F_y); at most 64 either way", loc, d->conv_shift);
        errs++;
    }
    if (dp->array_rows * dp->array_cols > 65536) {
        error("%s: error: core: array_rows*array_cols = %ld MACs exceeds the limit 65536", loc,
              dp->array_rows * dp->array_cols);
        errs++;
    }
    d->latency = 2 + (int)dp->tree_stages;
    return errs;
}

/* Bits of set_mask for the parameters of each kind: constants from
 * params.def (the expression below, once per kind). */
#define PARAM_INT(f, def, mn, mx, kinds, h) | ((kinds) >> KMASK_KIND & 1 ? 1ULL << PI_##f : 0)
#define PARAM_ENUM(f, def, nm, kinds, h) | ((kinds) >> KMASK_KIND & 1 ? 1ULL << PI_##f : 0)
static const uint64_t kind_param_masks[KIND__COUNT] = {
#define KMASK_KIND KIND_TLUT
    0
#include "params.def"
    ,
#undef KMASK_KIND
#define KMASK_KIND KIND_TSIGN
    0
#include "params.def"
    ,
#undef KMASK_KIND
#define KMASK_KIND KIND_TMUL
    0
#include "params.def"
    ,
#undef KMASK_KIND
#define KMASK_KIND KIND_FIXP
    0
#include "params.def"
#undef KMASK_KIND
};
#undef PARAM_INT
#undef PARAM_ENUM
_Static_assert(KIND__COUNT == 4, "one mask per kind above");

int dp_finalize(struct design_point *dp)
{
    struct dp_derived *d = &dp->d;
    /* Formatted only when there is a line: sweeps finalize millions of points. */
    char locb[1024];
    const char *loc = dp->src ? dp->src : "";
    if (dp->src_line > 0) {
        snprintf(locb, sizeof locb, "%s:%d", loc, dp->src_line);
        loc = locb;
    }
    int errs = 0;

    /* Zeroed by copy: memset compiles to `rep stos`, whose start-up cost was
     * a third of this function. */
    static const struct dp_derived zero;
    *d = zero;
    /* Set parameters of another kind: one test of the mask, the loop only
     * to name them. */
    if ((unsigned long)dp->kind >= KIND__COUNT || (dp->set_mask & ~kind_param_masks[dp->kind])) {
        for (int i = 0; i < param_count; i++) {
            const struct param_desc *p = &param_table[i];
            if ((dp->set_mask >> i & 1) && !(p->kinds & KIND_BIT(dp->kind))) {
                error("%s: error: core: attribute '%s' does not apply to kind '%s'",
                      loc, p->name, kind_names[dp->kind]);
                errs++;
            }
        }
    }
    if (dp->acc_width == 1 && dp->act_type == ACT_INT) {
        error("%s: error: core: attribute 'acc_width': value 1 is out of range "
              "(0 = auto, or 2..64)", loc);
        errs++;
    }

    if (dp->kind != KIND_FIXP)
        errs += finalize_act(dp, loc);
    switch (dp->kind) {
    case KIND_TLUT:
        errs += finalize_tlut(dp, loc);
        break;
    case KIND_TSIGN:
    case KIND_TMUL:
        errs += finalize_tbase(dp, loc);
        break;
    case KIND_FIXP:
        errs += finalize_fixp(dp, loc);
        break;
    default:
        BUG("kind %ld has no finalize", dp->kind);
    }
    /* The shell: trees, stages, stream widths. Integer trees grow a bit
     * per level; FP trees keep the format and take fp_latency per level. */
    d->tree_levels = d->tree_terms > 1 ? clog2((uint64_t)d->tree_terms) : 0;
    d->tree_bits = d->fp ? d->term_bits : d->term_bits + d->tree_levels;
    d->tree_end = 1 + d->lut_depth + d->mul_depth + (int)dp->tree_stages +
                  (d->fp ? d->tree_levels * (int)dp->fp_latency : 0);
    d->stages = d->tree_end + d->acc_lat;
    if (!d->spacing)
        d->spacing = 1;
    if (d->fp)
        d->latency = 1 + d->stages;
    d->act_bits = d->tile_cols * d->lane_in_bits;
    if (dp->tree_stages > d->tree_levels + 1) {
        error("%s: error: core: tree_stages=%ld but an adder tree over %d terms has only "
              "%d register positions (levels+1)", loc, dp->tree_stages, d->tree_terms,
              d->tree_levels + 1);
        errs++;
    }

    /* Exact sum over up to max_cols terms (ternary: magnitude <= 2^(w-1)). */
    if (dp->kind != KIND_FIXP && !d->fp) {
        d->acc_need = (int)dp->act_width + flog2((uint64_t)dp->max_cols) + 1;
        d->lane_signed = 1;
    }
    int need = d->acc_need;
    d->acc_auto = dp->acc_width == 0;
    if (!d->fp)
        d->acc_bits = d->acc_auto ? need : (int)dp->acc_width;
    if (d->acc_bits > 64) {
        error("%s: error: core: the automatic acc_width would be %d bits (> 64); "
              "set acc_width explicitly or lower max_cols", loc, d->acc_bits);
        errs++;
    } else if (!d->fp && !d->acc_auto && d->acc_bits < need && !errs) {
        warning("%s: warning: core: acc_width=%d can overflow: a sum over max_cols=%ld "
                "inputs needs %d bits; results %s", loc, d->acc_bits, dp->max_cols, need,
                d->acc_sat ? "saturate" : "wrap");
    }
    d->row_bits = clog2((uint64_t)dp->max_rows + 1);
    d->col_bits = clog2((uint64_t)dp->max_cols + 1);
    if (!d->lane_bits)
        d->lane_bits = d->acc_bits;
    d->res_bits = d->outputs * d->lane_bits;
    if (d->tile_cols > 0) {
        d->buf_depth = (int)cdiv(dp->max_cols, d->tile_cols);
        d->buf_addr_bits = clog2((uint64_t)d->buf_depth);
    }
    return errs;
}

const char *dp_value_str(const struct design_point *dp, const struct param_desc *p,
                         char *buf, size_t n)
{
    long v = dp_get(dp, p);
    if (p->type == PT_ENUM)
        return p->names[v];
    if (!strcmp(p->name, "acc_width") && dp->d.acc_bits && !dp->d.fp)
        v = dp->d.acc_bits; /* resolved */
    snprintf(buf, n, "%ld", v);
    return buf;
}

static char *describe(const struct design_point *dp, const char *sep, int only_kind)
{
    struct strbuf sb = STRBUF_INIT;
    char buf[32];
    int first = 1;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        if (only_kind && !(p->kinds & KIND_BIT(dp->kind)))
            continue;
        sb_addf(&sb, "%s%s=%s", first ? "" : sep, p->name, dp_value_str(dp, p, buf, sizeof buf));
        first = 0;
    }
    return sb_detach(&sb);
}

char *dp_describe(const struct design_point *dp, const char *sep)
{
    return describe(dp, sep, 0);
}

char *dp_describe_kind(const struct design_point *dp, const char *sep)
{
    return describe(dp, sep, 1);
}

/* The FNV-1a hash of dp_describe_kind(dp, " "), computed piece by piece
 * without allocating: sweeps fingerprint a million points. */
uint64_t dp_fingerprint(const struct design_point *dp)
{
    uint64_t h = FNV1A64_INIT;
    char buf[32];
    int first = 1;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        if (!(p->kinds & KIND_BIT(dp->kind)))
            continue;
        if (!first)
            h = fnv1a64(" ", 1, h);
        first = 0;
        h = fnv1a64(p->name, strlen(p->name), h);
        h = fnv1a64("=", 1, h);
        const char *v = dp_value_str(dp, p, buf, sizeof buf);
        h = fnv1a64(v, strlen(v), h);
    }
    return h;
}
