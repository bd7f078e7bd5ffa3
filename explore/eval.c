/* eval.c - one point of a sweep: decode its index, finalize and price the
 * design point, derive the figures, check constraints, and format its row
 * of points.csv. This is the inner loop of every sweep, so it allocates
 * nothing and formats numbers itself. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../model/kind.h"
#include "actfmt.h"
#include "sweep.h"

long sweep_digit(const struct sweep *s, const struct block *b, int d, uint64_t local)
{
    (void)s;
    for (int k = b->ndims - 1; k > d; k--)
        local /= (uint64_t)b->dims[k].n;
    return b->dims[d].v[local % (uint64_t)b->dims[d].n];
}

static int block_of(const struct sweep *s, uint64_t index)
{
    int lo = 0, hi = s->nblocks - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (s->blocks[mid].first <= index)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void check(const struct sweep *s, struct point *p, int asic)
{
    p->status = P_FEASIBLE;
    p->why = NULL;
    if (s->clock_ns > 0 && p->c.critical_path_ns > s->clock_ns) {
        p->status = P_INFEASIBLE;
        p->why = "clock";
        p->why_i = 0;
        p->why_v = p->c.critical_path_ns;
        return;
    }
    for (int i = 0; i < s->ncons; i++) {
        const struct constraint *k = &s->cons[i];
        double v = p->fig[asic ? k->fig : k->fig_fpga];
        if ((!isnan(k->min) && !(v >= k->min)) || (!isnan(k->max) && !(v <= k->max))) {
            p->status = P_INFEASIBLE;
            p->why = k->name;
            p->why_i = 1 + i;
            p->why_v = v;
            return;
        }
    }
}

/* ---- the memo of cores (sweep_eval_memo) ------------------------------ */

/* The memory-independent part of a point: its finalized design point and
 * the fields of struct cost that cost_eval_core fills (xt and total, then
 * everything from critical_path_ns on; x and comp are cost_components'). */
#define COST_HEAD_END offsetof(struct cost, x)
#define COST_TAIL offsetof(struct cost, critical_path_ns)
_Static_assert(offsetof(struct cost, xt) == 0 &&
               offsetof(struct cost, total) == sizeof(double) * F__COUNT &&
               COST_HEAD_END == sizeof(double) * (F__COUNT + M__COUNT) &&
               COST_TAIL > COST_HEAD_END,
               "struct cost: xt, total, x, comp, then the scalars");
struct memo_entry {
    uint64_t key;       /* the core's index with memory digit 0, plus 1; 0: empty */
    int invalid;
    struct design_point dp;
    unsigned char head[COST_HEAD_END];
    unsigned char tail[sizeof(struct cost) - COST_TAIL];
};

/* A thread's state between points: the last point's digits, which the
 * next index steps like an odometer (a sweep visits its points in index
 * order; decoding an index from scratch is a chain of one 64-bit
 * division per dimension, about a third of a point's time), and the
 * memo of cores, direct-mapped on the key: a block's cores (for one
 * technology) have consecutive keys, so up to `cap` of them never evict
 * each other. */
struct eval_memo {
    uint64_t next;      /* the index the digits are one step before; 0: none */
    int block;
    uint64_t stride;    /* the block's place of the memory digit */
    long digit[SWEEP_DIMS_MAX];
    uint64_t mask;      /* cap - 1 */
    struct memo_entry *e; /* NULL: no block has two memory settings */
};

/* At most this many entries (about 1 KB each): a block whose cores are
 * more than this many points apart gets no hits, only misses. */
#define MEMO_CAP_MAX ((uint64_t)1 << 14)

struct eval_memo *eval_memo_new(const struct sweep *s)
{
    uint64_t want = 0;
    for (int i = 0; i < s->nblocks; i++) {
        const struct block *b = &s->blocks[i];
        if (b->ndims < 2 || b->dims[1].n < 2)
            continue;
        uint64_t stride = b->size / ((uint64_t)b->dims[0].n * (uint64_t)b->dims[1].n);
        if (stride > want)
            want = stride;
    }
    struct eval_memo *m = xcalloc(1, sizeof *m);
    if (!want)
        return m;
    uint64_t cap = 1;
    while (cap < want && cap < MEMO_CAP_MAX)
        cap <<= 1;
    m->mask = cap - 1;
    m->e = xcalloc((size_t)cap, sizeof *m->e);
    return m;
}

void eval_memo_free(struct eval_memo *m)
{
    if (!m)
        return;
    free(m->e);
    free(m);
}

void sweep_eval(const struct sweep *s, uint64_t index, struct point *p)
{
    sweep_eval_memo(s, index, p, NULL);
}

/* The block of a point, its digits (last dimension fastest) and the place
 * of its memory digit. */
static int decode(const struct sweep *s, uint64_t index, long *digit, uint64_t *stride)
{
    int bi = block_of(s, index);
    const struct block *b = &s->blocks[bi];
    uint64_t local = index - b->first, place = 1;
    *stride = 1;
    for (int d = b->ndims - 1; d >= 0; d--) {
        uint64_t n = (uint64_t)b->dims[d].n;
        digit[d < SWEEP_DIMS_MAX ? d : SWEEP_DIMS_MAX - 1] = (long)(local % n);
        local /= n;
        if (d == 1)
            *stride = place;
        place *= n;
    }
    return bi;
}

void sweep_eval_memo(const struct sweep *s, uint64_t index, struct point *p,
                     struct eval_memo *m)
{
    long own[SWEEP_DIMS_MAX], *digit = m ? m->digit : own;
    uint64_t stride;
    int bi;
    if (m && m->next && index == m->next &&
        index - s->blocks[m->block].first < s->blocks[m->block].size) {
        /* the next point of the same block: step the digits */
        bi = m->block;
        const struct block *b = &s->blocks[bi];
        for (int d = b->ndims - 1; d >= 0 && ++digit[d] == b->dims[d].n; d--)
            digit[d] = 0;
        stride = m->stride;
    } else {
        bi = decode(s, index, digit, &stride);
    }
    if (m) {
        m->next = index + 1;
        m->block = bi;
        m->stride = stride;
    }
    const struct block *b = &s->blocks[bi];
    p->index = index;
    p->block = bi;
    p->tech = (int)b->dims[0].v[digit[0]];
    p->mem = (int)b->dims[1].v[digit[1]];
    p->bw = s->bw[p->mem];
    const struct tech *t = &s->tech[p->tech];
    struct workload wl = s->wl;
    wl.bw_gbps = p->bw;
    wl.mem_pj_per_bit = s->mem_pj[p->mem];
    wl.clock_ns = s->clock_ns;
    fill_doubles(p->fig, NAN, G__COUNT);
    p->why = NULL;

    struct memo_entry *e = NULL;
    if (m && m->e && b->dims[1].n > 1) {
        uint64_t key = index - (uint64_t)digit[1] * stride + 1;
        e = &m->e[key & m->mask];
        if (e->key == key) {
            dp_copy(&p->dp, &e->dp);
            if (e->invalid) {
                p->status = P_INVALID;
                return;
            }
            memcpy(&p->c, e->head, sizeof e->head);
            memcpy((unsigned char *)&p->c + COST_TAIL, e->tail, sizeof e->tail);
            cost_eval_memory(&wl, &p->c);
            goto figures;
        }
        e->key = key;
    }

    dp_copy_params(&p->dp, &b->base);
    for (int d = 2; d < b->ndims; d++)
        dp_put(&p->dp, b->dims[d].param, b->dims[d].v[digit[d]]);
    if (act_formats[p->dp.act_type].width && (b->inherited_mask >> PI_act_width & 1) &&
        !(b->own_mask >> PI_act_width & 1))
        dp_unset(&p->dp, &param_table[PI_act_width]); /* the workload's, for int points */
    int quiet = tf_quiet; /* (tf_capture, when set, still gets the messages) */
    tf_quiet = 1;
    int bad = dp_finalize(&p->dp);
    tf_quiet = quiet;

    int invalid = bad || s->wl.M > p->dp.max_rows || s->wl.N > p->dp.max_cols;
    if (e) {
        e->invalid = invalid;
        dp_copy(&e->dp, &p->dp);
    }
    if (invalid) {
        p->status = P_INVALID;
        return;
    }
    cost_eval_core(&p->dp, &s->tctx[p->tech], &wl, &p->c);
    if (e) {
        memcpy(e->head, &p->c, sizeof e->head);
        memcpy(e->tail, (unsigned char *)&p->c + COST_TAIL, sizeof e->tail);
    }
    cost_eval_memory(&wl, &p->c);

figures:;
    struct cost *c = &p->c;
    double *f = p->fig;
    int asic = t->target == TECH_ASIC;
    double peak = c->peak_macs_per_cycle;
    if (asic) {
        f[G_AREA_UM2] = c->total[M_AREA];
        f[G_AREA_PER_MAC_UM2] = c->total[M_AREA] / peak;
    } else {
        f[G_LUTS] = c->total[M_LUTS];
        f[G_FFS] = c->total[M_FFS];
        f[G_CARRY] = c->total[M_CARRY];
        f[G_DSPS] = c->total[M_DSPS];
        f[G_BRAMS] = c->brams;
        f[G_LUTS_PER_MAC] = c->total[M_LUTS] / peak;
    }
    if (c->critical_path_ns > 0) {
        f[G_CRITICAL_PATH_NS] = c->critical_path_ns;
        f[G_FMAX_MHZ] = c->fmax_mhz;
    }
    f[G_CLOCK_NS] = c->clock_ns;
    if (t->has[M_ENERGY]) {
        f[G_ENERGY_PJ_PER_MAC] = c->energy_pj_per_mac;
        f[G_ENERGY_PJ_PER_GEMV] = c->energy_pj_per_gemv;
        f[G_POWER_MW] = c->power_mw;
    }
    f[G_CYCLES] = c->cycles;
    f[G_MACS_PER_CYCLE] = c->macs_per_cycle;
    f[G_PEAK_MACS_PER_CYCLE] = peak;
    f[G_TIME_S] = c->time_s;
    f[G_TOKENS_PER_S] = c->tokens_per_s;
    f[G_WEIGHT_MB_PER_TOKEN] = c->weight_bytes_per_token * 1e-6;
    f[G_MEM_ENERGY_UJ_PER_TOKEN] = c->mem_energy_pj_per_token * 1e-6;
    if (t->has[M_ENERGY])
        f[G_ENERGY_UJ_PER_TOKEN] = c->energy_pj_per_token * 1e-6;
    f[G_GMACS_PER_S] = c->macs / c->time_s * 1e-9;
    if (asic)
        f[G_GMACS_PER_S_PER_MM2] = f[G_GMACS_PER_S] / (c->total[M_AREA] * 1e-6);
    else
        f[G_GMACS_PER_S_PER_KLUT] = f[G_GMACS_PER_S] / (c->total[M_LUTS] * 1e-3);
    for (int i = 0; i < s->nobj; i++) {
        double v = f[asic ? s->obj[i].fig : s->obj[i].fig_fpga];
        p->obj[i] = s->obj[i].maximize ? -v : v;
    }
    check(s, p, asic);
}

void sweep_why_invalid(const struct sweep *s, uint64_t index, struct strbuf *why)
{
    struct point *p = xmalloc(sizeof *p);
    struct strbuf *old = tf_capture;
    tf_capture = why;
    sweep_eval(s, index, p);
    tf_capture = old;
    if (p->status == P_INVALID && !why->len)
        sb_addf(why, "the workload (M=%ld, N=%ld) exceeds max_rows=%ld or max_cols=%ld\n",
                s->wl.M, s->wl.N, p->dp.max_rows, p->dp.max_cols);
    free(p);
}

/* ---- formatting --------------------------------------------------------- */

static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                              1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                              1e20, 1e21, 1e22 };

static int fmt_u64(uint64_t v, char *buf)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

static int fmt_long(long v, char *buf)
{
    if (v < 0) {
        buf[0] = '-';
        return 1 + fmt_u64((uint64_t)0 - (uint64_t)v, buf + 1);
    }
    return fmt_u64((uint64_t)v, buf);
}

/* a * 10^k, rounded to an integer; exact powers of ten up to 10^22. */
static double scaled(double a, int k)
{
    if (k >= 0)
        return k <= 22 ? a * p10[k] : a * pow(10, k);
    return -k <= 22 ? a / p10[-k] : a / pow(10, -k);
}

/* Like printf("%.6g"): six significant digits, trailing zeros dropped,
 * exponent form below 1e-5 and from 1e15; integers below 1e15 exactly.
 * NaN (a figure that does not apply) is the empty string. */
int fmt_num(double v, char *buf)
{
    if (isnan(v)) {
        buf[0] = '\0';
        return 0;
    }
    int n = 0;
    if (v < 0) {
        buf[n++] = '-';
        v = -v;
    }
    if (isinf(v))
        return n + (memcpy(buf + n, "inf", 4), 3);
    if (v == 0 || (v < 1e15 && v == floor(v))) {
        n += fmt_u64((uint64_t)v, buf + n);
        buf[n] = '\0';
        return n;
    }
    int e = (int)floor(log10(v));
    double m = nearbyint(scaled(v, 5 - e));
    if (m >= 1e6) {
        e++;
        m = nearbyint(scaled(v, 5 - e));
    } else if (m < 1e5) {
        e--;
        m = nearbyint(scaled(v, 5 - e));
    }
    if (m >= 1e6) { /* 9.999995 rounds up to 10.0000 */
        m = 1e5;
        e++;
    }
    char dig[8];
    fmt_u64((uint64_t)m, dig); /* six digits */
    int nd = 6;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (e >= -5 && e < 15) {
        if (e < 0) {
            buf[n++] = '0';
            buf[n++] = '.';
            for (int i = -1; i > e; i--)
                buf[n++] = '0';
            memcpy(buf + n, dig, (size_t)nd);
            n += nd;
        } else {
            for (int i = 0; i < nd || i <= e; i++) {
                if (i == e + 1)
                    buf[n++] = '.';
                buf[n++] = i < nd ? dig[i] : '0';
            }
        }
    } else {
        buf[n++] = dig[0];
        if (nd > 1) {
            buf[n++] = '.';
            memcpy(buf + n, dig + 1, (size_t)(nd - 1));
            n += nd - 1;
        }
        buf[n++] = 'e';
        buf[n++] = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;
        if (ae < 10)
            buf[n++] = '0';
        n += fmt_u64((uint64_t)ae, buf + n);
    }
    buf[n] = '\0';
    return n;
}

static const char *const status_names[] = { "invalid", "infeasible", "feasible" };

void sweep_csv_header(const struct sweep *s, FILE *out)
{
    (void)s;
    fputs("index,fingerprint,status,violates,core,tech,bw_gbps,memory", out);
    for (int i = 0; i < param_count; i++)
        if (!param_table[i].gen_only) /* names and port shapes are for gen, not dimensions */
            fprintf(out, ",%s", param_table[i].name);
    for (int g = 0; g < G__COUNT; g++)
        fprintf(out, ",%s", fig_table[g].name);
    fputs(",bound,critical_stage\n", out);
}

/* Room for what a field writes besides strings: a number (< 32 bytes)
 * and a separator, or the row's end. */
#define ROW_SLACK 48

/* Every string field is bounded where it is read (labels and technology
 * names at most 64 bytes), so a row fits in 4096 bytes; this is the net
 * under that: a longer string stops the program instead of writing past
 * the buffer (a 20,000-byte label once did). */
static int put(char *buf, int n, size_t cap, const char *s)
{
    size_t l = strlen(s);
    if (l + (size_t)n + ROW_SLACK > cap)
        BUG("csv row of more than %zu bytes (a field of %zu)", cap, l);
    memcpy(buf + n, s, l);
    return n + (int)l;
}

/* The same for a number or a separator about to be written at n. */
static inline void room(int n, size_t cap)
{
    if ((size_t)n + ROW_SLACK > cap)
        BUG("csv row of more than %zu bytes", cap);
}

size_t sweep_csv_row(const struct sweep *s, const struct point *p, char *buf, size_t cap)
{
    /* A row is at most ~60 fields of < 32 bytes; callers pass >= 4096. */
    if (cap < 4096)
        BUG("csv row buffer of %zu bytes", cap);
    int n = fmt_u64(p->index, buf);
    buf[n++] = ',';
    static const char hex[] = "0123456789abcdef";
    uint64_t fp = p->status == P_INVALID ? 0 : dp_fingerprint(&p->dp);
    if (p->status != P_INVALID)
        for (int i = 15; i >= 0; i--)
            buf[n++] = hex[(fp >> (4 * i)) & 15];
    buf[n++] = ',';
    n = put(buf, n, cap, status_names[p->status]);
    buf[n++] = ',';
    if (p->why)
        n = put(buf, n, cap, p->why);
    buf[n++] = ',';
    n = put(buf, n, cap, s->blocks[p->block].label);
    buf[n++] = ',';
    n = put(buf, n, cap, s->tech[p->tech].name);
    buf[n++] = ',';
    n += fmt_num(p->bw, buf + n);
    buf[n++] = ',';
    if (s->mem_name[p->mem])
        n = put(buf, n, cap, s->mem_name[p->mem]);
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *pd = &param_table[i];
        if (pd->gen_only)
            continue;
        room(n, cap);
        buf[n++] = ',';
        if (!(pd->kinds & KIND_BIT(p->dp.kind)))
            continue;
        long v = dp_get(&p->dp, pd);
        if (pd->type == PT_ENUM)
            n = put(buf, n, cap, pd->names[v]);
        else if (i == PI_acc_width && p->status != P_INVALID) { /* resolved */
            char tmp[32];
            n = put(buf, n, cap, dp_value_str(&p->dp, pd, tmp, sizeof tmp));
        }
        else
            n += fmt_long(v, buf + n);
    }
    for (int g = 0; g < G__COUNT; g++) {
        room(n, cap);
        buf[n++] = ',';
        n += fmt_num(p->fig[g], buf + n);
    }
    room(n, cap);
    buf[n++] = ',';
    if (p->status != P_INVALID) {
        n = put(buf, n, cap, p->c.memory_bound ? "memory" : "compute");
        buf[n++] = ',';
        if (p->c.critical_path_ns > 0 && p->c.critical_stage)
            n = put(buf, n, cap, p->c.critical_stage);
    } else {
        buf[n++] = ',';
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return (size_t)n;
}

/* ---- plot axes ------------------------------------------------------------ */

const char *axis_name(int axis)
{
    if (axis == DIM_TECH)
        return "tech";
    if (axis == DIM_BW)
        return "bw_gbps";
    if (axis == SERIES_BLOCK)
        return "core";
    return param_table[axis].name;
}

const char *axis_value_name(const struct sweep *s, int axis, long v, char *buf, size_t n)
{
    if (axis == DIM_TECH)
        return s->tech[v].name;
    if (axis == SERIES_BLOCK)
        return s->blocks[v].label;
    if (axis == DIM_BW) {
        char tmp[32];
        fmt_num(s->bw[v], tmp);
        if (s->mem_name[v])
            snprintf(buf, n, "%s (%s GB/s)", s->mem_name[v], tmp);
        else
            snprintf(buf, n, "%s", tmp);
        return buf;
    }
    if (param_table[axis].type == PT_ENUM)
        return param_table[axis].names[v];
    snprintf(buf, n, "%ld", v);
    return buf;
}
