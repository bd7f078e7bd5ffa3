/* run.c - running a sweep: strategies, threads, points.csv, results.
 *
 * Every strategy reduces to a sorted list of distinct point indices (for
 * exhaustive search, the implicit range of this shard). The list is cut
 * into chunks that threads evaluate into their own buffers and results;
 * the buffers go to points.csv in index order, so the bytes do not depend
 * on the thread count. Only the front, the plot tables and a bounded sample
 * stay in memory: points stream to disk. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../common/rng.h"
#include "../common/util.h"
#include "../sim/tools.h"
#include "run.h"

#define CHUNK 4096
#define SAMPLE_TARGET 2000 /* points in the scatter plots (plus the front) */

/* ---- results ------------------------------------------------------------ */

void result_init(struct result *r, const struct sweep *s)
{
    memset(r, 0, sizeof *r);
    r->run_id = s->run_id;
    r->size = s->size;
    r->planned = s->strategy == STRAT_EXHAUSTIVE ? s->size : s->budget;
    front_init(&r->front, s->nobj);
    r->nblocks = s->nblocks;
    r->blk_invalid = xcalloc((size_t)s->nblocks, sizeof *r->blk_invalid);
    r->blk_first_invalid = xcalloc((size_t)s->nblocks, sizeof *r->blk_first_invalid);
    for (int b = 0; b < s->nblocks; b++)
        r->blk_first_invalid[b] = UINT64_MAX;
    r->blk_feasible = xcalloc((size_t)s->nblocks, sizeof *r->blk_feasible);
    r->nreasons = s->ncons + 1;
    size_t nr = (size_t)s->nblocks * (size_t)r->nreasons;
    r->blk_infeasible = xcalloc(nr, sizeof *r->blk_infeasible);
    r->blk_lo = xmalloc(nr * sizeof *r->blk_lo);
    r->blk_hi = xmalloc(nr * sizeof *r->blk_hi);
    for (size_t i = 0; i < nr; i++)
        r->blk_lo[i] = r->blk_hi[i] = NAN;
    r->nplots = s->nplots;
    r->best = xcalloc((size_t)(s->nplots ? s->nplots : 1), sizeof *r->best);
    for (int i = 0; i < s->nplots; i++) {
        size_t n = (size_t)s->plots[i].nx * (size_t)s->plots[i].ns;
        r->best[i] = xmalloc(sizeof(double) * (n ? n : 1));
        for (size_t j = 0; j < n; j++)
            r->best[i][j] = NAN;
    }
}

void result_free(struct result *r)
{
    front_free(&r->front);
    for (int i = 0; i < r->nplots; i++)
        free(r->best[i]);
    free(r->best);
    free(r->sample);
    free(r->blk_invalid);
    free(r->visits);
    free(r->blk_first_invalid);
    free(r->blk_feasible);
    free(r->blk_infeasible);
    free(r->blk_lo);
    free(r->blk_hi);
    memset(r, 0, sizeof *r);
}

static int in_sample(uint64_t index, uint64_t planned)
{
    return planned <= SAMPLE_TARGET || rng_mix(index) % planned < SAMPLE_TARGET;
}

static void better(double *cell, double y, int maximize)
{
    if (isnan(y))
        return;
    if (isnan(*cell) || (maximize ? y > *cell : y < *cell))
        *cell = y;
}

/* Count n infeasible points of one block and reason, their violating
 * figure in [lo, hi]. */
static void add_infeasible(struct result *r, size_t k, uint64_t n, double lo, double hi)
{
    r->blk_infeasible[k] += n;
    if (isnan(r->blk_lo[k]) || lo < r->blk_lo[k])
        r->blk_lo[k] = lo;
    if (isnan(r->blk_hi[k]) || hi > r->blk_hi[k])
        r->blk_hi[k] = hi;
}

/* The column of a plot axis that point p falls in, or -1 (the axis's
 * parameter does not apply to the point's kind). Always inlined into
 * result_add, which asks for two at every feasible point of each plot: as
 * a call (GCC did not inline it), 63 instructions a point of million.xml
 * more. */
static inline __attribute__((always_inline)) int plot_col(int axis, const long *vals,
                                                           const int *map, int n,
                                                           const struct point *p)
{
    long v;
    if (axis == DIM_TECH) {
        v = p->tech;
    } else if (axis == SERIES_BLOCK) {
        v = p->block;
    } else if (axis == DIM_BW) {
        v = p->mem;
    } else {
        if (!(param_table[axis].kinds & KIND_BIT(p->dp.kind)))
            return -1;
        v = dp_get(&p->dp, &param_table[axis]);
    }
    /* a search took a sixth of a sweep's instructions (7 plots a point) */
    if (map)
        return v >= 0 && v <= vals[n - 1] ? map[v] : -1;
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (vals[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && vals[lo] == v ? lo : -1;
}

void result_add(struct result *r, const struct sweep *s, const struct point *p)
{
    r->evaluated++;
    if (p->status == P_INVALID) {
        r->invalid++;
        r->blk_invalid[p->block]++;
        if (p->index < r->blk_first_invalid[p->block])
            r->blk_first_invalid[p->block] = p->index;
        return;
    }
    if (p->status == P_INFEASIBLE) {
        r->infeasible++;
        add_infeasible(r, (size_t)p->block * (size_t)r->nreasons + (size_t)p->why_i, 1,
                       p->why_v, p->why_v);
        return;
    }
    r->feasible++;
    r->blk_feasible[p->block]++;
    front_add(&r->front, p->index, p->obj);
    int asic = s->tech[p->tech].target == TECH_ASIC;
    for (int i = 0; i < s->nplots; i++) {
        const struct plot *pl = &s->plots[i];
        int x = plot_col(pl->x, pl->xv, pl->xmap, pl->nx, p);
        int se = plot_col(pl->series, pl->sv, pl->smap, pl->ns, p);
        if (x < 0 || se < 0)
            continue;
        int y = asic ? pl->y : pl->y_fpga;
        better(&r->best[i][(size_t)se * pl->nx + x], p->fig[y], fig_table[y].maximize);
    }
    if (in_sample(p->index, r->planned)) {
        if (r->nsample == r->asample) {
            r->asample = r->asample ? 2 * r->asample : 256;
            r->sample = xrealloc(r->sample, sizeof *r->sample * r->asample);
        }
        r->sample[r->nsample++] = p->index;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t sort_unique(uint64_t *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_u64);
    size_t u = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[u - 1])
            v[u++] = v[i];
    return u;
}

void result_merge(struct result *dst, const struct result *src, const struct sweep *s)
{
    dst->evaluated += src->evaluated;
    dst->invalid += src->invalid;
    dst->infeasible += src->infeasible;
    dst->feasible += src->feasible;
    front_merge(&dst->front, &src->front);
    for (int b = 0; b < s->nblocks; b++) {
        dst->blk_invalid[b] += src->blk_invalid[b];
        if (src->blk_first_invalid[b] < dst->blk_first_invalid[b])
            dst->blk_first_invalid[b] = src->blk_first_invalid[b];
        dst->blk_feasible[b] += src->blk_feasible[b];
    }
    for (size_t k = 0; k < (size_t)s->nblocks * (size_t)dst->nreasons; k++)
        if (src->blk_infeasible[k])
            add_infeasible(dst, k, src->blk_infeasible[k], src->blk_lo[k], src->blk_hi[k]);
    for (int i = 0; i < s->nplots; i++) {
        const struct plot *pl = &s->plots[i];
        int maximize = fig_table[pl->y].maximize;
        for (size_t j = 0; j < (size_t)pl->nx * pl->ns; j++)
            better(&dst->best[i][j], src->best[i][j], maximize);
    }
    if (src->nsample) {
        dst->sample = xrealloc(dst->sample, sizeof *dst->sample * (dst->nsample + src->nsample));
        memcpy(dst->sample + dst->nsample, src->sample, sizeof *src->sample * src->nsample);
        dst->nsample += src->nsample;
        dst->asample = dst->nsample;
    }
}

/* Canonical order: front and sample by index (both are sets). */
void result_finish(struct result *r)
{
    front_sort(&r->front);
    r->nsample = sort_unique(r->sample, r->nsample);
}

/* ---- strategies ------------------------------------------------------------ */

/* A bijection of [0, n) (a 4-round Feistel network on the next even power
 * of two, walked until it lands inside): random order without a table. */
struct perm {
    uint64_t n, mask;
    int half;
    uint64_t key[4];
};

static void perm_init(struct perm *p, uint64_t n, uint64_t seed)
{
    p->n = n;
    int bits = 2;
    while (bits < 64 && (UINT64_C(1) << bits) < n)
        bits += 2;
    p->half = bits / 2;
    p->mask = (UINT64_C(1) << p->half) - 1;
    struct rng r = { seed ^ 0x5eed5eed5eed5eedULL };
    for (int i = 0; i < 4; i++)
        p->key[i] = rng_next(&r);
}

/* The network forward, or backward (the inverse: a round run on swapped
 * halves with the keys in reverse order undoes it). Cycle walking inverts
 * by walking the inverse network the same way. */
static uint64_t perm_walk(const struct perm *p, uint64_t x, int inverse)
{
    do {
        uint64_t l = x >> p->half, r = x & p->mask, t;
        if (inverse)
            t = l, l = r, r = t;
        for (int k = 0; k < 4; k++) {
            t = r;
            r = l ^ (rng_mix(r ^ p->key[inverse ? 3 - k : k]) & p->mask);
            l = t;
        }
        if (inverse)
            t = l, l = r, r = t;
        x = l << p->half | r;
    } while (x >= p->n);
    return x;
}

static uint64_t perm_at(const struct perm *p, uint64_t x) { return perm_walk(p, x, 0); }
/* The position of x: perm_at(p, perm_inv(p, x)) == x. */
static uint64_t perm_inv(const struct perm *p, uint64_t x) { return perm_walk(p, x, 1); }

/* Is point x in the random sample of `budget` points? */
static int random_has(const struct sweep *s, uint64_t budget, uint64_t x)
{
    struct perm pm;
    perm_init(&pm, s->size, s->seed);
    return x < s->size && perm_inv(&pm, x) < budget;
}

/* A small open-addressing map: visited point -> its energy. */
struct vmap {
    size_t cap, n;
    uint64_t *key; /* index + 1; 0 = empty */
    double *val;
};

static void vmap_init(struct vmap *m, size_t want)
{
    m->cap = 64;
    while (m->cap < 2 * want)
        m->cap *= 2;
    m->n = 0;
    m->key = xcalloc(m->cap, sizeof *m->key);
    m->val = xcalloc(m->cap, sizeof *m->val);
}

static double *vmap_get(struct vmap *m, uint64_t k, int insert)
{
    size_t i = rng_mix(k) & (m->cap - 1);
    while (m->key[i] && m->key[i] != k + 1)
        i = (i + 1) & (m->cap - 1);
    if (m->key[i])
        return &m->val[i];
    if (!insert)
        return NULL;
    if (2 * (m->n + 1) > m->cap) {
        struct vmap big;
        vmap_init(&big, m->cap);
        for (size_t j = 0; j < m->cap; j++)
            if (m->key[j])
                *vmap_get(&big, m->key[j] - 1, 1) = m->val[j];
        free(m->key);
        free(m->val);
        *m = big;
        return vmap_get(m, k, 1);
    }
    m->key[i] = k + 1;
    m->n++;
    return &m->val[i];
}

/* The scalar an annealing chain minimises: a weighted sum of the logs of
 * its objectives (each chain has its own weights, so the chains spread
 * along the front), plus a penalty when a constraint fails. */
static double energy(const struct sweep *s, const struct point *p, const double *w)
{
    if (p->status == P_INVALID)
        return HUGE_VAL;
    double e = 0;
    for (int i = 0; i < s->nobj; i++) {
        double v = fabs(p->obj[i]);
        double l = log(v > 1e-300 ? v : 1e-300);
        e += w[i] * (p->obj[i] < 0 ? -l : l);
    }
    return p->status == P_INFEASIBLE ? e + 20 : e;
}

/* Index of a block-local digit vector. */
static uint64_t compose(const struct sweep *s, int bi, const long *digit)
{
    const struct block *b = &s->blocks[bi];
    uint64_t x = 0;
    for (int d = 0; d < b->ndims; d++)
        x = x * (uint64_t)b->dims[d].n + (uint64_t)digit[d];
    return b->first + x;
}

static void random_digits(const struct sweep *s, int bi, struct rng *r, long *digit)
{
    const struct block *b = &s->blocks[bi];
    for (int d = 0; d < b->ndims; d++)
        digit[d] = (long)rng_range(r, 0, b->dims[d].n - 1);
}

/* One simulated-annealing chain: `budget` distinct evaluations. Moves
 * change one digit by one step (sometimes to any value) and now and then
 * jump to another <core> block. Returns the visited indices. */
static uint64_t *anneal_chain(const struct sweep *s, int chain, uint64_t budget, size_t *nout)
{
    struct rng r = { rng_mix(s->seed * 0x100000001b3ULL + (uint64_t)chain) };
    double w[SWEEP_MAX_OBJ];
    if (s->nobj == 2) {
        w[0] = (chain % s->chains + 0.5) / s->chains;
        w[1] = 1 - w[0];
    } else {
        double sum = 0;
        for (int i = 0; i < s->nobj; i++)
            sum += w[i] = -log((rng_next(&r) >> 11) * 0x1p-53 + 0x1p-60);
        for (int i = 0; i < s->nobj; i++)
            w[i] /= sum;
    }
    struct vmap seen;
    vmap_init(&seen, budget);
    uint64_t *out = xmalloc(sizeof *out * (size_t)(budget ? budget : 1));
    size_t n = 0;
    struct point *p = xmalloc(sizeof *p);
    long cur[64], cand[64];
    int cb = chain % s->nblocks, nb;
    random_digits(s, cb, &r, cur);
    double ecur = HUGE_VAL;
    uint64_t steps = 0, max_steps = 20 * budget + 1000, stall = 0;
    while (n < budget && steps++ < max_steps) {
        nb = cb;
        memcpy(cand, cur, sizeof cand);
        double u = (rng_next(&r) >> 11) * 0x1p-53;
        if (n == 0) {
            /* first point: the random start */
        } else if (stall > 30) {
            /* every neighbour seen: restart somewhere new */
            nb = (int)rng_range(&r, 0, s->nblocks - 1);
            random_digits(s, nb, &r, cand);
            ecur = HUGE_VAL;
        } else if (s->nblocks > 1 && u < 0.03) {
            nb = (int)rng_range(&r, 0, s->nblocks - 1);
            random_digits(s, nb, &r, cand);
        } else {
            const struct block *b = &s->blocks[cb];
            int free_dims = 0;
            for (int d = 0; d < b->ndims; d++)
                free_dims += b->dims[d].n > 1;
            if (!free_dims)
                break;
            int pick = (int)rng_range(&r, 0, free_dims - 1), d;
            for (d = 0; d < b->ndims; d++)
                if (b->dims[d].n > 1 && pick-- == 0)
                    break;
            if (u < 0.8) {
                long step = (rng_next(&r) & 1) ? 1 : -1;
                if (cand[d] + step < 0 || cand[d] + step >= b->dims[d].n)
                    step = -step;
                cand[d] += step;
            } else {
                cand[d] = (long)rng_range(&r, 0, b->dims[d].n - 1);
            }
        }
        uint64_t idx = compose(s, nb, cand);
        double *known = vmap_get(&seen, idx, 0), ec;
        if (known) {
            ec = *known;
            stall++;
        } else {
            stall = 0;
            sweep_eval(s, idx, p);
            ec = energy(s, p, w);
            *vmap_get(&seen, idx, 1) = ec;
            out[n++] = idx;
        }
        double t = exp(log(1.0) + (log(0.01) - log(1.0)) * (double)n / (double)budget);
        double v = (rng_next(&r) >> 11) * 0x1p-53;
        if (ec <= ecur || (isfinite(ec) && v < exp(-(ec - ecur) / t))) {
            memcpy(cur, cand, sizeof cur);
            cb = nb;
            ecur = ec;
        }
    }
    free(p);
    free(seen.key);
    free(seen.val);
    *nout = n;
    return out;
}

struct chain_task {
    const struct sweep *s;
    int lo, hi;          /* chains */
    uint64_t budget;
    uint64_t *idx;
    size_t n;
};

static uint64_t chain_budget(uint64_t budget, int chains, int c)
{
    return budget / (uint64_t)chains + ((uint64_t)c < budget % (uint64_t)chains);
}

static void *run_chains(void *arg)
{
    struct chain_task *t = arg;
    for (int c = t->lo; c < t->hi; c++) {
        size_t m;
        uint64_t *v = anneal_chain(t->s, c, chain_budget(t->budget, t->s->chains, c), &m);
        t->idx = xrealloc(t->idx, sizeof *t->idx * (t->n + m + 1));
        memcpy(t->idx + t->n, v, sizeof *v * m);
        t->n += m;
        free(v);
    }
    return NULL;
}

uint64_t *strategy_indices(const struct sweep *s, enum strategy st, uint64_t budget,
                           int chain_lo, int chain_hi, int jobs, size_t *n)
{
    if (budget > s->size)
        budget = s->size;
    if (st == STRAT_RANDOM) {
        struct perm pm;
        perm_init(&pm, s->size, s->seed);
        uint64_t *v = xmalloc(sizeof *v * (size_t)(budget ? budget : 1));
        for (uint64_t i = 0; i < budget; i++)
            v[i] = perm_at(&pm, i);
        *n = sort_unique(v, (size_t)budget);
        return v;
    }
    if (st != STRAT_ANNEAL)
        BUG("strategy_indices: strategy %d", (int)st);
    int nc = chain_hi - chain_lo;
    if (jobs > nc)
        jobs = nc > 0 ? nc : 1;
    struct chain_task *t = xcalloc((size_t)jobs, sizeof *t);
    pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
    for (int j = 0; j < jobs; j++) {
        t[j].s = s;
        t[j].lo = chain_lo + nc * j / jobs;
        t[j].hi = chain_lo + nc * (j + 1) / jobs;
        t[j].budget = budget;
        if (j && pthread_create(&th[j], NULL, run_chains, &t[j]))
            die("%s: error: cannot start a thread", tf_progname);
    }
    run_chains(&t[0]);
    size_t total = t[0].n;
    for (int j = 1; j < jobs; j++) {
        pthread_join(th[j], NULL);
        total += t[j].n;
    }
    uint64_t *v = xmalloc(sizeof *v * (total ? total : 1));
    size_t k = 0;
    for (int j = 0; j < jobs; j++) {
        if (t[j].n)
            memcpy(v + k, t[j].idx, sizeof *v * t[j].n);
        k += t[j].n;
        free(t[j].idx);
    }
    free(t);
    free(th);
    *n = sort_unique(v, total);
    return v;
}

/* ---- evaluation ------------------------------------------------------------- */

struct chunk {
    const struct sweep *s;
    const uint64_t *list;   /* NULL: the indices base + i */
    uint64_t base;
    size_t from, to;
    int write;
    struct strbuf out;
    struct result *r;       /* this thread's */
    struct point *p;
    struct eval_memo *memo; /* this thread's state between points */
};

static void *run_chunk(void *arg)
{
    struct chunk *c = arg;
    char row[8192];
    c->out.len = 0;
    if (c->out.buf)
        c->out.buf[0] = '\0';
    for (size_t i = c->from; i < c->to; i++) {
        uint64_t idx = c->list ? c->list[i] : c->base + i;
        sweep_eval_memo(c->s, idx, c->p, c->memo);
        result_add(c->r, c->s, c->p);
        if (c->write) {
            size_t n = sweep_csv_row(c->s, c->p, row, sizeof row);
            sb_add(&c->out, row, n);
        }
    }
    return NULL;
}

/* This shard's slice [lo, hi) of n items. */
static void shard_slice(const struct sweep_opts *o, uint64_t n, uint64_t *lo, uint64_t *hi)
{
    if (!o->shard_n) {
        *lo = 0;
        *hi = n;
        return;
    }
    uint64_t q = n / (uint64_t)o->shard_n, m = n % (uint64_t)o->shard_n;
    uint64_t i = (uint64_t)o->shard_i;
    *lo = i * q + (i < m ? i : m);
    *hi = *lo + q + (i < m);
}

/* Where the rows of points.csv go, and their count and checksum (a
 * shard hands both on to merge). */
struct rows_out {
    FILE *fp;
    struct hash64 h;
    uint64_t rows;
};

/* Evaluate `count` points (list[i], or base + i without a list) with
 * `jobs` threads into r; rows go to `out` in index order when given. */
static void evaluate(const struct sweep *s, const uint64_t *list, uint64_t base, uint64_t count,
                     int jobs, struct rows_out *out, int progress, struct result *r)
{
    double t0 = wall_seconds(), last = t0;
    jobs = jobs > 0 ? jobs : 1;
    struct result *tr = xcalloc((size_t)jobs, sizeof *tr);
    struct chunk *ck = xcalloc((size_t)jobs, sizeof *ck);
    pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
    for (int j = 0; j < jobs; j++) {
        result_init(&tr[j], s);
        ck[j].s = s;
        ck[j].list = list;
        ck[j].base = base;
        ck[j].write = out != NULL;
        ck[j].r = &tr[j];
        ck[j].p = xmalloc(sizeof *ck[j].p);
        ck[j].memo = eval_memo_new(s);
    }
    for (uint64_t at = 0; at < count;) {
        int used = 0;
        for (int j = 0; j < jobs && at < count; j++, used++) {
            ck[j].from = (size_t)at;
            at = at + CHUNK < count ? at + CHUNK : count;
            ck[j].to = (size_t)at;
            if (j && pthread_create(&th[j], NULL, run_chunk, &ck[j]))
                die("%s: error: cannot start a thread", tf_progname);
        }
        run_chunk(&ck[0]);
        for (int j = 1; j < used; j++)
            pthread_join(th[j], NULL);
        if (out)
            for (int j = 0; j < used; j++) {
                fwrite(ck[j].out.buf ? ck[j].out.buf : "", 1, ck[j].out.len, out->fp);
                hash64_add(&out->h, ck[j].out.buf ? ck[j].out.buf : "", ck[j].out.len);
                out->rows += ck[j].to - ck[j].from;
            }
        if (progress && wall_seconds() - last > 0.2) {
            last = wall_seconds();
            fprintf(stderr, "\rsweep: %llu/%llu points (%.0f %%), %.1f s   ",
                    (unsigned long long)at, (unsigned long long)count, 100.0 * at / count,
                    last - t0);
        }
    }
    if (progress && count)
        fprintf(stderr, "\rsweep: %llu/%llu points (100 %%), %.1f s   \n",
                (unsigned long long)count, (unsigned long long)count, wall_seconds() - t0);
    for (int j = 0; j < jobs; j++) {
        result_merge(r, &tr[j], s);
        result_free(&tr[j]);
        sb_release(&ck[j].out);
        free(ck[j].p);
        eval_memo_free(ck[j].memo);
    }
    result_finish(r);
    free(tr);
    free(ck);
    free(th);
}

void result_of(const struct sweep *s, const uint64_t *idx, size_t n, int jobs,
               struct result *r)
{
    result_init(r, s);
    evaluate(s, idx, 0, n, jobs, NULL, 0, r);
}

/* Indices of the random sample held in memory at once (32 MiB): a larger
 * budget is drawn in passes over ranges of the space, so memory does not
 * grow with the budget. */
#define RANDOM_CHUNK ((uint64_t)1 << 22)

/* The header line of points.csv, as bytes (it is part of the checksum). */
static char *csv_header(const struct sweep *s, size_t *n)
{
    char *hdr = NULL;
    FILE *mem = open_memstream(&hdr, n);
    if (!mem)
        die("%s: error: out of memory", tf_progname);
    sweep_csv_header(s, mem);
    fclose(mem);
    return hdr;
}

/* The chunk; TERNFORGE_TEST_RANDOM_CHUNK makes it small so that a test
 * can compare many passes with one, byte for byte. */
static uint64_t random_chunk(void)
{
    const char *e = getenv("TERNFORGE_TEST_RANDOM_CHUNK");
    uint64_t v;
    return e && !parse_u64(e, &v) && v > 0 ? v : RANDOM_CHUNK;
}

/* The random strategy, streamed: positions [lo, hi) of the sorted sample of
 * `budget` points, evaluated range by range of the space. Each pass walks
 * the whole permutation prefix again: time grows with budget^2 / CHUNK,
 * which stays below the evaluation itself up to the default point limit. */
static void random_run(const struct sweep *s, uint64_t budget, uint64_t lo, uint64_t hi,
                       int jobs, struct rows_out *out, int progress, struct result *r)
{
    struct perm pm;
    perm_init(&pm, s->size, s->seed);
    uint64_t chunk = random_chunk();
    uint64_t nr = budget / chunk + (budget % chunk != 0);
    if (nr < 1)
        nr = 1;
    uint64_t width = s->size / nr + (s->size % nr != 0);
    uint64_t *count = xcalloc((size_t)nr, sizeof *count);
    if (nr == 1) {
        count[0] = budget;
    } else {
        for (uint64_t i = 0; i < budget; i++)
            count[perm_at(&pm, i) / width]++;
    }
    uint64_t at = 0; /* sample positions before range k */
    for (uint64_t k = 0; k < nr && at < hi; at += count[k], k++) {
        if (at + count[k] <= lo)
            continue;
        uint64_t *v = xmalloc(sizeof *v * (size_t)(count[k] ? count[k] : 1));
        size_t n = 0;
        for (uint64_t i = 0; i < budget; i++) {
            uint64_t x = perm_at(&pm, i);
            if (x / width == k)
                v[n++] = x;
        }
        if (n != count[k])
            BUG("random sample: range %llu has %zu points, counted %llu",
                (unsigned long long)k, n, (unsigned long long)count[k]);
        sort_unique(v, n);
        uint64_t from = lo > at ? lo - at : 0;
        uint64_t to = hi - at < n ? hi - at : n;
        evaluate(s, v + from, 0, to - from, jobs, out, progress, r);
        free(v);
    }
    free(count);
}

/* This shard's share: [lo, hi) of the points (exhaustive), of the sample
 * positions (random) or of the chains (anneal). */
static void shard_share(const struct sweep *s, int shard_i, int shard_n, uint64_t *lo,
                        uint64_t *hi)
{
    struct sweep_opts o = { 1, shard_i, shard_n, 0, 0, 0 };
    uint64_t n = s->strategy == STRAT_EXHAUSTIVE ? s->size
                 : s->strategy == STRAT_RANDOM   ? s->budget
                                                 : (uint64_t)s->chains;
    shard_slice(&o, n, lo, hi);
}

int sweep_run(const struct sweep *s, const struct sweep_opts *o, const char *dir,
              struct result *r)
{
    uint64_t lo, hi;
    shard_share(s, o->shard_i, o->shard_n, &lo, &hi);
    uint64_t *list = NULL;
    size_t nlist = 0;
    if (s->strategy == STRAT_ANNEAL)
        list = strategy_indices(s, STRAT_ANNEAL, s->budget, (int)lo, (int)hi, o->jobs, &nlist);

    struct atomic_file af = { 0 };
    struct strbuf path = STRBUF_INIT;
    struct rows_out out = { NULL, HASH64_INIT, 0 };
    if (o->write_points) {
        sb_addf(&path, "%s/points.csv", dir);
        if (af_open(&af, path.buf)) {
            free(list);
            sb_release(&path);
            return -1;
        }
        size_t hn;
        char *hdr = csv_header(s, &hn);
        fwrite(hdr, 1, hn, af.fp);
        hash64_add(&out.h, hdr, hn);
        free(hdr);
        out.fp = af.fp;
    }
    result_init(r, s);
    r->shard_i = o->shard_i;
    r->shard_n = o->shard_n;
    struct rows_out *po = o->write_points ? &out : NULL;
    if (s->strategy == STRAT_EXHAUSTIVE) {
        evaluate(s, NULL, lo, hi - lo, o->jobs, po, o->progress, r);
    } else if (s->strategy == STRAT_RANDOM) {
        random_run(s, s->budget, lo, hi, o->jobs, po, o->progress, r);
    } else {
        evaluate(s, list, 0, nlist, o->jobs, po, o->progress, r);
        r->visits = list;
        r->nvisits = nlist;
    }
    r->have_points = o->write_points;
    r->points_rows = out.rows;
    r->points_hash = hash64_value(&out.h);
    int rc = o->write_points ? af_commit(&af) : 0;
    sb_release(&path);
    return rc;
}

/* ---- limits --------------------------------------------------------------------- */

static const char *human(double bytes, char *buf, size_t n)
{
    static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB", "PB" };
    int u = 0;
    while (bytes >= 1000 && u < 5)
        bytes /= 1000, u++;
    snprintf(buf, n, u ? "%.3g %s" : "%.0f %s", bytes, unit[u]);
    return buf;
}

/* Bytes per row of points.csv, from rows of points spread over the space. */
static double row_bytes(const struct sweep *s)
{
    struct point *p = xmalloc(sizeof *p);
    char row[8192];
    double sum = 0;
    int n = 0;
    for (uint64_t i = 0; i < 64 && i < s->size; i++, n++) {
        uint64_t x = (uint64_t)((double)s->size * (double)i / 64);
        sweep_eval(s, x < s->size ? x : s->size - 1, p);
        sum += (double)sweep_csv_row(s, p, row, sizeof row);
    }
    free(p);
    return n ? sum / n : 0;
}

/* Free space of the file system dir will be on (its nearest existing
 * ancestor); negative when unknown. */
static double free_bytes(const char *dir)
{
    char *p = xstrdup(dir);
    struct statvfs v;
    double avail = -1;
    for (;;) {
        if (statvfs(p, &v) == 0) {
            avail = (double)v.f_bavail * (double)v.f_frsize;
            break;
        }
        char *slash = strrchr(p, '/');
        if (!slash) {
            if (strcmp(p, ".") && statvfs(".", &v) == 0)
                avail = (double)v.f_bavail * (double)v.f_frsize;
            break;
        }
        if (slash == p) {
            if (statvfs("/", &v) == 0)
                avail = (double)v.f_bavail * (double)v.f_frsize;
            break;
        }
        *slash = '\0';
    }
    free(p);
    return avail;
}

/* Memory this process may use: physical memory, or a smaller RLIMIT_AS. */
static double memory_bytes(void)
{
    double m = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (double)rl.rlim_cur < m)
        m = (double)rl.rlim_cur;
    return m;
}

int sweep_check_limits(const struct sweep *s, const struct sweep_opts *o, const char *dir,
                       int merging)
{
    uint64_t max = o->max_points ? o->max_points : SWEEP_MAX_POINTS;
    uint64_t lo, hi;
    shard_share(s, o->shard_i, o->shard_n, &lo, &hi);
    double search = 0, compare = 0, mem = 0;
    int jobs = o->jobs > 0 ? o->jobs : 1;
    if (s->strategy == STRAT_ANNEAL) {
        double chains = merging ? s->chains : (double)(hi - lo);
        search = (double)s->budget * chains / s->chains;
        /* the visited maps of the running chains and the index lists */
        double per_chain = (double)s->budget / s->chains;
        mem += 24 * search + 72 * per_chain * (jobs < chains ? jobs : chains);
    } else if (!merging) {
        search = (double)(hi - lo);
        if (s->strategy == STRAT_RANDOM)
            mem += 12.0 * (double)(s->budget < random_chunk() ? s->budget : random_chunk());
    }
    /* The report's comparison of strategies on a small space: the whole
     * space, then random and annealing runs at 1 % .. 50 % of it. */
    if (!o->shard_n && s->size <= s->compare_limit && s->size > 20)
        compare = 2.76 * (double)s->size;
    double cells = 0;
    for (int i = 0; i < s->nplots; i++)
        cells += (double)s->plots[i].nx * s->plots[i].ns;
    mem += 8 * cells * (jobs + 1);
    char b1[32], b2[32];
    double rows = merging ? 0 : search, bytes = o->write_points ? rows * row_bytes(s) : 0;
    if (search + compare > (double)max) {
        char cmp[96] = "";
        if (compare > 0)
            snprintf(cmp, sizeof cmp, " (%.0f of them for the strategy comparison, see "
                                      "compare_limit)", compare);
        return error("%s:%ld: error: sweep: this run (strategy %s) would evaluate %.0f points%s and "
                     "write about %s of points.csv; the limit is %llu points: --max-points N "
                     "raises it (docs/security.md)", s->path, s->line, strategy_names[s->strategy],
                     search + compare, cmp,
                     human(bytes, b1, sizeof b1), (unsigned long long)max);
    }
    double avail = bytes > 0 ? free_bytes(dir) : -1;
    if (avail >= 0 && bytes > avail)
        return error("%s:%ld: error: sweep: points.csv would take about %s, but the file system of "
                     "%s has %s free (--no-points writes none)", s->path, s->line,
                     human(bytes, b1, sizeof b1), dir, human(avail, b2, sizeof b2));
    double have = memory_bytes();
    if (have > 0 && mem > 0.8 * have)
        return error("%s:%ld: error: sweep: this run would need about %s of memory, the machine "
                     "has %s (a smaller budget, fewer plot cells or --jobs)", s->path, s->line,
                     human(mem, b1, sizeof b1), human(have, b2, sizeof b2));
    return 0;
}

/* ---- shard results ----------------------------------------------------------- */

int result_write(const struct result *r, const struct sweep *s, const char *path)
{
    struct strbuf f = STRBUF_INIT;
    sb_addf(&f, "ternforge-partial 2\nrun %016llx\nshard %d %d\nsize %llu\nplanned %llu\n",
            (unsigned long long)r->run_id, r->shard_i, r->shard_n,
            (unsigned long long)r->size, (unsigned long long)r->planned);
    sb_addf(&f, "plan %s %llu %llu\n", strategy_names[s->strategy], (unsigned long long)s->seed,
            (unsigned long long)s->budget);
    sb_addf(&f, "counts %llu %llu %llu %llu\n", (unsigned long long)r->evaluated,
            (unsigned long long)r->invalid, (unsigned long long)r->infeasible,
            (unsigned long long)r->feasible);
    if (r->have_points)
        sb_addf(&f, "points %llu %016llx\n", (unsigned long long)r->points_rows,
                (unsigned long long)r->points_hash);
    else
        sb_adds(&f, "points none\n");
    for (size_t i = 0; i < r->front.n; i++) {
        sb_addf(&f, "front %llu", (unsigned long long)r->front.idx[i]);
        for (int k = 0; k < r->front.k; k++)
            sb_addf(&f, " %a", r->front.obj[i * r->front.k + k]);
        sb_adds(&f, "\n");
    }
    for (int b = 0; b < s->nblocks; b++)
        if (r->blk_invalid[b])
            sb_addf(&f, "invalid %d %llu %llu\n", b, (unsigned long long)r->blk_invalid[b],
                    (unsigned long long)r->blk_first_invalid[b]);
    for (int b = 0; b < s->nblocks; b++)
        if (r->blk_feasible[b])
            sb_addf(&f, "feasible %d %llu\n", b, (unsigned long long)r->blk_feasible[b]);
    for (size_t k = 0; k < (size_t)s->nblocks * (size_t)r->nreasons; k++)
        if (r->blk_infeasible[k])
            sb_addf(&f, "infeasible %zu %llu %a %a\n", k, (unsigned long long)r->blk_infeasible[k],
                    r->blk_lo[k], r->blk_hi[k]);
    for (int i = 0; i < s->nplots; i++)
        for (size_t j = 0; j < (size_t)s->plots[i].nx * s->plots[i].ns; j++)
            if (!isnan(r->best[i][j]))
                sb_addf(&f, "best %d %zu %a\n", i, j, r->best[i][j]);
    for (size_t i = 0; i < r->nsample; i++)
        sb_addf(&f, "sample %llu\n", (unsigned long long)r->sample[i]);
    for (size_t i = 0; i < r->nvisits; i++)
        sb_addf(&f, "visit %llu\n", (unsigned long long)r->visits[i]);
    sb_adds(&f, "end\n");
    struct hash64 h = HASH64_INIT;
    hash64_add(&h, f.buf, f.len);
    sb_addf(&f, "sum %016llx\n", (unsigned long long)hash64_value(&h));
    int rc = write_file_atomic(path, f.buf, f.len);
    sb_release(&f);
    return rc;
}

/* A line of a shard file, with its '\n': its length, 0 at the end of the
 * file, -1 for a line longer than 64 KiB or holding a NUL byte (a row is a
 * few hundred bytes: a huge or sparse file must not make us allocate or
 * read it). */
#define SHARD_LINE_MAX 65536
static ssize_t shard_line(char **buf, size_t *cap, FILE *fp)
{
    size_t len = 0;
    for (;;) {
        if (*cap - len < 2) {
            if (*cap >= SHARD_LINE_MAX)
                return -1;
            *cap = *cap ? 2 * *cap : 256;
            *buf = xrealloc(*buf, *cap);
        }
        size_t room = *cap - len;
        if (!fgets(*buf + len, (int)room, fp))
            return (ssize_t)len;
        size_t k = strlen(*buf + len);
        len += k;
        if (len && (*buf)[len - 1] == '\n')
            return (ssize_t)len;
        if (k < room - 1 && !feof(fp)) /* fgets stopped at neither: a NUL byte */
            return -1;
    }
}

/* Open a file of a shard folder for reading: a regular file only (a
 * shard folder may come from anywhere). */
static FILE *open_shard_file(const char *path)
{
    struct stat st;
    /* O_NONBLOCK: a FIFO planted in a shard folder must not block the
     * open until a writer comes; it is refused below */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        error("%s: error: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    FILE *fp = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 || !(fp = fdopen(fd, "r"))) {
        close(fd);
        error("%s: error: not a regular file", path);
        return NULL;
    }
    input_note(fd);
    return fp;
}

static int cmp_u64_key(const void *a, const void *b)
{
    return cmp_u64(a, b);
}

/* Is x among the points this shard evaluated ([lo, hi) of its share)? */
static int in_share(const struct sweep *s, const struct result *r, uint64_t lo, uint64_t hi,
                    uint64_t x)
{
    if (x >= s->size)
        return 0;
    if (s->strategy == STRAT_EXHAUSTIVE)
        return x >= lo && x < hi;
    if (s->strategy == STRAT_RANDOM)
        return random_has(s, s->budget, x);
    return r->nvisits && bsearch(&x, r->visits, r->nvisits, sizeof x, cmp_u64_key) != NULL;
}

/* What a shard result must satisfy beyond its syntax. */
static int verify_shard(struct result *r, const struct sweep *s, const struct front *fr,
                        const char *path)
{
    uint64_t lo, hi;
    if (r->shard_n < 1 || r->shard_n > 100000 || r->shard_i < 0 || r->shard_i >= r->shard_n)
        return error("%s: error: shard %d of %d is not a shard", path, r->shard_i, r->shard_n);
    shard_share(s, r->shard_i, r->shard_n, &lo, &hi);
    uint64_t want_planned = s->strategy == STRAT_EXHAUSTIVE ? s->size : s->budget;
    if (r->planned != want_planned)
        return error("%s: error: plans %llu evaluations, the sweep %llu", path,
                     (unsigned long long)r->planned, (unsigned long long)want_planned);
    uint64_t share = s->strategy == STRAT_ANNEAL ? (uint64_t)r->nvisits : hi - lo;
    if (r->invalid > r->evaluated || r->infeasible > r->evaluated - r->invalid ||
        r->feasible != r->evaluated - r->invalid - r->infeasible)
        return error("%s: error: counts do not add up: %llu evaluated, %llu invalid, %llu "
                     "infeasible, %llu feasible", path, (unsigned long long)r->evaluated,
                     (unsigned long long)r->invalid, (unsigned long long)r->infeasible,
                     (unsigned long long)r->feasible);
    if (r->evaluated != share)
        return error("%s: error: %llu points evaluated, but shard %d of %d has %llu to evaluate",
                     path, (unsigned long long)r->evaluated, r->shard_i, r->shard_n,
                     (unsigned long long)share);
    if (r->have_points && r->points_rows != r->evaluated)
        return error("%s: error: points.csv declared with %llu rows for %llu points", path,
                     (unsigned long long)r->points_rows, (unsigned long long)r->evaluated);
    if (fr->n > r->feasible || r->nsample > r->feasible)
        return error("%s: error: more front or sample points than feasible points", path);
    uint64_t inv = 0;
    for (int b = 0; b < s->nblocks; b++)
        inv += r->blk_invalid[b];
    if (inv != r->invalid)
        return error("%s: error: invalid points per core block do not add up to %llu", path,
                     (unsigned long long)r->invalid);
    uint64_t fea = 0, infea = 0;
    for (int b = 0; b < s->nblocks; b++) {
        fea += r->blk_feasible[b];
        if (r->blk_feasible[b] + r->blk_invalid[b] > s->blocks[b].size)
            return error("%s: error: core block %d counts more points than it has", path, b);
    }
    for (size_t k = 0; k < (size_t)s->nblocks * (size_t)r->nreasons; k++)
        infea += r->blk_infeasible[k];
    if (fea != r->feasible || infea != r->infeasible)
        return error("%s: error: feasible or infeasible points per core block do not add up "
                     "to %llu and %llu", path, (unsigned long long)r->feasible,
                     (unsigned long long)r->infeasible);
    /* Every point the result names is priced again: a front or sample
     * point must be in this shard's share and be what the line says. */
    struct point *p = xmalloc(sizeof *p);
    int rc = 0;
    for (size_t i = 0; i < fr->n && !rc; i++) {
        uint64_t x = fr->idx[i];
        const double *obj = &fr->obj[i * (size_t)s->nobj];
        if ((i && x <= fr->idx[i - 1]) || !in_share(s, r, lo, hi, x)) {
            rc = error("%s: error: front point %llu is out of order or not in this shard's "
                       "share", path, (unsigned long long)x);
            break;
        }
        sweep_eval(s, x, p);
        if (p->status != P_FEASIBLE || memcmp(p->obj, obj, sizeof(double) * (size_t)s->nobj))
            rc = error("%s: error: front point %llu does not price as the shard says", path,
                       (unsigned long long)x);
        else
            front_add(&r->front, x, obj);
    }
    /* a shard writes its front: no line is dominated by another */
    if (!rc && r->front.n != fr->n)
        rc = error("%s: error: the front lines are not a Pareto front (one is dominated)", path);
    for (size_t i = 0; i < r->nsample && !rc; i++) {
        uint64_t x = r->sample[i];
        if (i && x <= r->sample[i - 1]) {
            rc = error("%s: error: sample points out of order", path);
            break;
        }
        if (!in_share(s, r, lo, hi, x) || !in_sample(x, r->planned)) {
            rc = error("%s: error: sample point %llu is not in this shard's sample", path,
                       (unsigned long long)x);
            break;
        }
        sweep_eval(s, x, p);
        if (p->status != P_FEASIBLE)
            rc = error("%s: error: sample point %llu is not feasible", path,
                       (unsigned long long)x);
    }
    for (int b = 0; b < s->nblocks && !rc; b++) {
        uint64_t x = r->blk_first_invalid[b];
        if (!r->blk_invalid[b])
            continue;
        const struct block *bl = &s->blocks[b];
        if (r->blk_invalid[b] > bl->size || x < bl->first || x - bl->first >= bl->size ||
            !in_share(s, r, lo, hi, x)) {
            rc = error("%s: error: the first invalid point of core block %d is out of range",
                       path, b);
            break;
        }
        sweep_eval(s, x, p);
        if (p->status != P_INVALID)
            rc = error("%s: error: point %llu is not invalid", path, (unsigned long long)x);
    }
    free(p);
    return rc;
}

int result_read(struct result *r, const struct sweep *s, const char *path)
{
    FILE *fp = open_shard_file(path);
    if (!fp)
        return -1;
    result_init(r, s);
    struct hash64 h = HASH64_INIT;
    char *ln = NULL;
    size_t cap = 0;
    ssize_t len;
    int line = 0, ended = 0, summed = 0, rc = 0;
    unsigned seen = 0; /* bit per required line */
    struct front fr = { s->nobj, 0, 0, NULL, NULL }; /* the front lines */
    const char *why = "not a ternforge shard result line";
    while (!rc && (len = shard_line(&ln, &cap, fp)) != 0) {
        line++;
        if (len < 0) {
            why = "a line longer than 64 KiB, or a NUL byte";
            rc = -1;
            break;
        }
        unsigned long long a, b, c, d;
        int i, j, n = 0;
        size_t z;
        double v, v2;
        if (summed || ln[len - 1] != '\n' || memchr(ln, 0, (size_t)len)) {
            why = summed ? "text after the checksum line" : "a cut or binary line";
            rc = -1;
            break;
        }
        if (sscanf(ln, "sum %llx%n", &a, &n) == 1 && ln[n] == '\n') {
            if (!ended || a != hash64_value(&h)) {
                why = "checksum mismatch: the file was changed or cut";
                rc = -1;
            }
            summed = 1;
            continue;
        }
        hash64_add(&h, ln, (size_t)len);
        ln[len - 1] = '\0';
        n = 0;
        if (ended) {
            rc = -1;
        } else if (line == 1) {
            if (strcmp(ln, "ternforge-partial 2")) {
                why = "not a ternforge shard result (version 2: rerun shards of older versions)";
                rc = -1;
            }
        } else if (sscanf(ln, "run %llx%n", &a, &n) == 1 && !ln[n] && !(seen & 1)) {
            seen |= 1;
            if (a != s->run_id) {
                why = "this shard ran another sweep, seed, budget or strategy than the "
                      "sweep.xml it was merged with";
                rc = -1;
            }
        } else if (!strncmp(ln, "plan ", 5) && !(seen & 2)) {
            seen |= 2; /* read by result_plan() before the sweep is set up */
        } else if (sscanf(ln, "shard %d %d%n", &i, &j, &n) == 2 && !ln[n] && !(seen & 4)) {
            seen |= 4;
            r->shard_i = i;
            r->shard_n = j;
        } else if (sscanf(ln, "size %llu%n", &a, &n) == 1 && !ln[n] && !(seen & 8)) {
            seen |= 8;
            rc = a != s->size ? -1 : 0;
        } else if (sscanf(ln, "planned %llu%n", &a, &n) == 1 && !ln[n] && !(seen & 16)) {
            seen |= 16;
            r->planned = a;
        } else if (sscanf(ln, "counts %llu %llu %llu %llu%n", &a, &b, &c, &d, &n) == 4 &&
                   !ln[n] && !(seen & 32)) {
            seen |= 32;
            r->evaluated = a;
            r->invalid = b;
            r->infeasible = c;
            r->feasible = d;
        } else if (!strcmp(ln, "points none") && !(seen & 64)) {
            seen |= 64;
        } else if (sscanf(ln, "points %llu %llx%n", &a, &b, &n) == 2 && !ln[n] &&
                   !(seen & 64)) {
            seen |= 64;
            r->have_points = 1;
            r->points_rows = a;
            r->points_hash = b;
        } else if (sscanf(ln, "front %llu%n", &a, &n) == 1) {
            /* kept as written: verify_shard checks every line */
            if ((fr.n & (fr.n + 1)) == 0) {
                fr.idx = xrealloc(fr.idx, sizeof *fr.idx * (2 * fr.n + 2));
                fr.obj = xrealloc(fr.obj, sizeof *fr.obj * (2 * fr.n + 2) * (size_t)s->nobj);
            }
            char *q = ln + n;
            for (int k = 0; k < s->nobj && !rc; k++) {
                char *end;
                fr.obj[fr.n * (size_t)s->nobj + (size_t)k] = strtod(q, &end);
                rc = end == q ? -1 : 0;
                q = end;
            }
            if (!rc && !*q && a < s->size)
                fr.idx[fr.n++] = a;
            else
                rc = -1;
        } else if (sscanf(ln, "best %d %zu %la%n", &i, &z, &v, &n) == 3 && !ln[n]) {
            if (i < 0 || i >= s->nplots || z >= (size_t)s->plots[i].nx * s->plots[i].ns ||
                isnan(v))
                rc = -1;
            else
                r->best[i][z] = v;
        } else if (sscanf(ln, "invalid %d %llu %llu%n", &i, &a, &b, &n) == 3 && !ln[n]) {
            if (i < 0 || i >= s->nblocks || !a || r->blk_invalid[i])
                rc = -1;
            else
                r->blk_invalid[i] = a, r->blk_first_invalid[i] = b;
        } else if (sscanf(ln, "feasible %d %llu%n", &i, &a, &n) == 2 && !ln[n]) {
            if (i < 0 || i >= s->nblocks || !a || r->blk_feasible[i])
                rc = -1;
            else
                r->blk_feasible[i] = a;
        } else if (sscanf(ln, "infeasible %zu %llu %la %la%n", &z, &a, &v, &v2, &n) == 4 &&
                   !ln[n]) {
            if (z >= (size_t)s->nblocks * (size_t)r->nreasons || !a || r->blk_infeasible[z] ||
                !(v <= v2))
                rc = -1;
            else
                add_infeasible(r, z, a, v, v2);
        } else if (sscanf(ln, "sample %llu%n", &a, &n) == 1 && !ln[n]) {
            if (r->nsample == r->asample) {
                r->asample = r->asample ? 2 * r->asample : 256;
                r->sample = xrealloc(r->sample, sizeof *r->sample * r->asample);
            }
            r->sample[r->nsample++] = a;
        } else if (sscanf(ln, "visit %llu%n", &a, &n) == 1 && !ln[n]) {
            /* sorted and distinct, as sweep_run wrote them */
            if (a >= s->size || (r->nvisits && a <= r->visits[r->nvisits - 1]) ||
                r->nvisits >= s->budget) {
                rc = -1;
            } else {
                if ((r->nvisits & (r->nvisits + 1)) == 0) /* at 0, 1, 3, 7, ...: double */
                    r->visits = xrealloc(r->visits, sizeof *r->visits * (2 * r->nvisits + 2));
                r->visits[r->nvisits++] = a;
            }
        } else if (!strcmp(ln, "end")) {
            ended = 1;
        } else {
            rc = -1;
        }
    }
    int ioerr = ferror(fp);
    fclose(fp);
    free(ln);
    if (rc) {
        error("%s:%d: error: %s", path, line, why);
    } else if (ioerr) {
        rc = error("%s: error: read failed", path);
    } else if (!summed) {
        rc = error("%s: error: truncated shard result (no checksum line at the end)", path);
    } else if (seen != 127) {
        rc = error("%s: error: incomplete shard result (a run, plan, shard, size, planned, "
                   "counts or points line is missing)", path);
    } else {
        rc = verify_shard(r, s, &fr, path);
    }
    free(fr.idx);
    free(fr.obj);
    if (rc)
        result_free(r);
    return rc ? -1 : 0;
}

/* One shard's points.csv while merging. */
struct shard_rows {
    FILE *fp;
    char *line, *path;
    size_t cap;
    ssize_t len;
    uint64_t key, rows, lo, hi;
    struct hash64 h;
    int live;
};

/* Read the next row of shard i; 0, or -1 with an error printed. */
static int next_row(const struct sweep *s, const struct result *r, struct shard_rows *sr)
{
    sr->len = shard_line(&sr->line, &sr->cap, sr->fp);
    if (sr->len < 0)
        return error("%s:%llu: error: a line longer than 64 KiB, or a NUL byte", sr->path,
                     (unsigned long long)sr->rows + 2);
    if (sr->len == 0) {
        sr->live = 0;
        if (ferror(sr->fp))
            return error("%s: error: read failed", sr->path);
        if (sr->rows != r->points_rows)
            return error("%s: error: %llu rows, but the shard's partial.txt declares %llu "
                         "(rows lost)", sr->path, (unsigned long long)sr->rows,
                         (unsigned long long)r->points_rows);
        if (hash64_value(&sr->h) != r->points_hash)
            return error("%s: error: checksum mismatch: the rows were changed", sr->path);
        return 0;
    }
    uint64_t row = ++sr->rows;
    hash64_add(&sr->h, sr->line, (size_t)sr->len);
    char *end;
    errno = 0;
    uint64_t k = strtoull(sr->line, &end, 10);
    if (sr->line[sr->len - 1] != '\n' || memchr(sr->line, 0, (size_t)sr->len) ||
        end == sr->line || *end != ',' || errno || !isdigit((unsigned char)sr->line[0]))
        return error("%s:%llu: error: not a row of points.csv (cut or damaged)", sr->path,
                     (unsigned long long)row + 1);
    if (row > r->points_rows)
        return error("%s:%llu: error: more rows than the shard's partial.txt declares",
                     sr->path, (unsigned long long)row + 1);
    /* the row must be the next point of this shard's share */
    uint64_t want = s->strategy == STRAT_EXHAUSTIVE ? sr->lo + row - 1
                    : s->strategy == STRAT_ANNEAL   ? r->visits[row - 1]
                                                    : k;
    if (k != want)
        return error("%s:%llu: error: point %llu where point %llu is due (a row is missing, "
                     "added or out of order)", sr->path, (unsigned long long)row + 1,
                     (unsigned long long)k, (unsigned long long)want);
    if ((row > 1 && k <= sr->key) || (s->strategy == STRAT_RANDOM && !random_has(s, s->budget, k)))
        return error("%s:%llu: error: point %llu is out of order or not in this shard's sample",
                     sr->path, (unsigned long long)row + 1, (unsigned long long)k);
    sr->key = k;
    sr->live = 1;
    return 0;
}

int merge_points(const struct sweep *s, char **dirs, const struct result *r, int n,
                 const char *out)
{
    struct shard_rows *sr = xcalloc((size_t)n, sizeof *sr);
    size_t hn;
    char *hdr = csv_header(s, &hn);
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        struct strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/points.csv", dirs[i]);
        sr[i].path = sb_detach(&p);
        sr[i].h = (struct hash64)HASH64_INIT;
        shard_share(s, r[i].shard_i, r[i].shard_n, &sr[i].lo, &sr[i].hi);
        if (!(sr[i].fp = open_shard_file(sr[i].path))) {
            rc = -1;
            break;
        }
        sr[i].len = shard_line(&sr[i].line, &sr[i].cap, sr[i].fp);
        if (sr[i].len <= 0 || (size_t)sr[i].len != hn || memcmp(sr[i].line, hdr, hn)) {
            rc = error("%s:1: error: not the header of this sweep's points.csv", sr[i].path);
            break;
        }
        hash64_add(&sr[i].h, sr[i].line, (size_t)sr[i].len);
        rc = next_row(s, &r[i], &sr[i]);
    }
    struct atomic_file af = { 0 };
    struct strbuf op = STRBUF_INIT;
    sb_addf(&op, "%s/points.csv", out);
    if (!rc)
        rc = af_open(&af, op.buf);
    if (!rc) {
        fwrite(hdr, 1, hn, af.fp);
        int have_last = 0;
        uint64_t last = 0;
        for (;;) {
            int m = -1;
            for (int i = 0; i < n; i++)
                if (sr[i].live && (m < 0 || sr[i].key < sr[m].key))
                    m = i;
            if (m < 0)
                break;
            if (!have_last || sr[m].key != last)
                fwrite(sr[m].line, 1, (size_t)sr[m].len, af.fp);
            have_last = 1;
            last = sr[m].key;
            if ((rc = next_row(s, &r[m], &sr[m])))
                break;
        }
        if (rc)
            af_abort(&af);
        else
            rc = af_commit(&af);
    }
    for (int i = 0; i < n; i++) {
        if (sr[i].fp)
            fclose(sr[i].fp);
        free(sr[i].line);
        free(sr[i].path);
    }
    free(sr);
    free(hdr);
    sb_release(&op);
    return rc;
}

int result_plan(const char *path, char *strategy, size_t n, uint64_t *seed, uint64_t *budget,
                int *shard_i, int *shard_n)
{
    FILE *fp = open_shard_file(path);
    if (!fp)
        return -1;
    int found = 0, lines = 0;
    char st[32], *ln = NULL;
    size_t cap = 0;
    unsigned long long a, b;
    /* the header lines only: this runs before the file is verified */
    while (found != 3 && lines++ < 16 && shard_line(&ln, &cap, fp) > 0) {
        if (sscanf(ln, "plan %31s %llu %llu", st, &a, &b) == 3) {
            snprintf(strategy, n, "%s", st);
            *seed = a;
            *budget = b;
            found |= 1;
        } else if (sscanf(ln, "shard %d %d", shard_i, shard_n) == 2) {
            found |= 2;
        }
    }
    free(ln);
    fclose(fp);
    if (found != 3)
        return error("%s: error: not a ternforge shard result (no 'plan' or 'shard' line)", path);
    return 0;
}
