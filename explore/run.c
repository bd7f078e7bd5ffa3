/* run.c - running a sweep: strategies, threads, points.csv, results.
 *
 * Every strategy reduces to a sorted list of distinct point indices (for
 * exhaustive search, the implicit range of this shard). The list is cut
 * into chunks that threads evaluate into their own buffers and results;
 * the buffers go to points.csv in index order, so the bytes do not depend
 * on the thread count. Only the front, the plot tables and a bounded sample
 * stay in memory: points stream to disk. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
        return;
    }
    r->feasible++;
    front_add(&r->front, p->index, p->obj);
    int asic = s->tech[p->tech].target == TECH_ASIC;
    for (int i = 0; i < s->nplots; i++) {
        const struct plot *pl = &s->plots[i];
        int x = plot_col(s, pl->x, pl->xv, pl->nx, p);
        int se = plot_col(s, pl->series, pl->sv, pl->ns, p);
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
    }
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

static uint64_t perm_at(const struct perm *p, uint64_t x)
{
    do {
        uint64_t l = x >> p->half, r = x & p->mask;
        for (int i = 0; i < 4; i++) {
            uint64_t t = r;
            r = l ^ (rng_mix(r ^ p->key[i]) & p->mask);
            l = t;
        }
        x = l << p->half | r;
    } while (x >= p->n);
    return x;
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
        sweep_eval(c->s, idx, c->p);
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

/* Evaluate `count` points (list[i], or base + i without a list) with
 * `jobs` threads into r; rows go to `out` in index order when given. */
static void evaluate(const struct sweep *s, const uint64_t *list, uint64_t base, uint64_t count,
                     int jobs, FILE *out, int progress, struct result *r)
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
            for (int j = 0; j < used; j++)
                fwrite(ck[j].out.buf ? ck[j].out.buf : "", 1, ck[j].out.len, out);
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

int sweep_run(const struct sweep *s, const struct sweep_opts *o, const char *dir,
              struct result *r)
{
    /* The indices: an implicit range, or a list. */
    uint64_t *list = NULL, base = 0, count;
    if (s->strategy == STRAT_EXHAUSTIVE) {
        uint64_t lo, hi;
        shard_slice(o, s->size, &lo, &hi);
        base = lo;
        count = hi - lo;
    } else if (s->strategy == STRAT_RANDOM) {
        size_t n;
        uint64_t *all = strategy_indices(s, STRAT_RANDOM, s->budget, 0, 0, o->jobs, &n);
        uint64_t lo, hi;
        shard_slice(o, n, &lo, &hi);
        count = hi - lo;
        list = xmalloc(sizeof *list * (size_t)(count ? count : 1));
        memcpy(list, all + lo, sizeof *list * (size_t)count);
        free(all);
    } else {
        uint64_t lo, hi;
        shard_slice(o, (uint64_t)s->chains, &lo, &hi);
        size_t n;
        list = strategy_indices(s, STRAT_ANNEAL, s->budget, (int)lo, (int)hi, o->jobs, &n);
        count = n;
    }

    struct atomic_file af = { 0 };
    struct strbuf path = STRBUF_INIT;
    if (o->write_points) {
        sb_addf(&path, "%s/points.csv", dir);
        if (af_open(&af, path.buf)) {
            free(list);
            sb_release(&path);
            return -1;
        }
        sweep_csv_header(s, af.fp);
    }
    result_init(r, s);
    r->shard_i = o->shard_i;
    r->shard_n = o->shard_n;
    evaluate(s, list, base, count, o->jobs, o->write_points ? af.fp : NULL, o->progress, r);
    if (s->strategy == STRAT_ANNEAL) {
        r->visits = list;
        r->nvisits = (size_t)count;
    } else {
        free(list);
    }
    int rc = 0;
    if (o->write_points) {
        if (ferror(af.fp)) {
            af_abort(&af);
            rc = error("%s: error: cannot write", path.buf);
        } else {
            rc = af_commit(&af);
        }
    }
    sb_release(&path);
    return rc;
}

/* ---- shard results ----------------------------------------------------------- */

int result_write(const struct result *r, const struct sweep *s, const char *path)
{
    struct atomic_file af;
    if (af_open(&af, path))
        return -1;
    FILE *f = af.fp;
    fprintf(f, "ternforge-partial 1\nrun %016llx\nshard %d %d\nsize %llu\nplanned %llu\n",
            (unsigned long long)r->run_id, r->shard_i, r->shard_n,
            (unsigned long long)r->size, (unsigned long long)r->planned);
    fprintf(f, "plan %s %llu %llu\n", strategy_names[s->strategy], (unsigned long long)s->seed,
            (unsigned long long)s->budget);
    fprintf(f, "counts %llu %llu %llu %llu\n", (unsigned long long)r->evaluated,
            (unsigned long long)r->invalid, (unsigned long long)r->infeasible,
            (unsigned long long)r->feasible);
    for (size_t i = 0; i < r->front.n; i++) {
        fprintf(f, "front %llu", (unsigned long long)r->front.idx[i]);
        for (int k = 0; k < r->front.k; k++)
            fprintf(f, " %a", r->front.obj[i * r->front.k + k]);
        fputc('\n', f);
    }
    for (int b = 0; b < s->nblocks; b++)
        if (r->blk_invalid[b])
            fprintf(f, "invalid %d %llu %llu\n", b, (unsigned long long)r->blk_invalid[b],
                    (unsigned long long)r->blk_first_invalid[b]);
    for (int i = 0; i < s->nplots; i++)
        for (size_t j = 0; j < (size_t)s->plots[i].nx * s->plots[i].ns; j++)
            if (!isnan(r->best[i][j]))
                fprintf(f, "best %d %zu %a\n", i, j, r->best[i][j]);
    for (size_t i = 0; i < r->nsample; i++)
        fprintf(f, "sample %llu\n", (unsigned long long)r->sample[i]);
    for (size_t i = 0; i < r->nvisits; i++)
        fprintf(f, "visit %llu\n", (unsigned long long)r->visits[i]);
    fputs("end\n", f);
    return af_commit(&af);
}

int result_read(struct result *r, const struct sweep *s, const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return -1;
    result_init(r, s);
    int line = 0, ended = 0;
    char *save = NULL;
    for (char *ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        line++;
        unsigned long long a, b, c, d;
        int i, j, n = 0;
        size_t z;
        double v;
        if (line == 1) {
            if (strcmp(ln, "ternforge-partial 1"))
                goto bad;
        } else if (sscanf(ln, "run %llx%n", &a, &n) == 1 && !ln[n]) {
            if (a != s->run_id) {
                free(text);
                return error("%s:%d: error: this shard ran another sweep, seed, budget or "
                             "strategy than the sweep.xml it was merged with", path, line);
            }
        } else if (!strncmp(ln, "plan ", 5)) {
            /* read by result_plan() before the sweep is set up */
        } else if (sscanf(ln, "shard %d %d%n", &i, &j, &n) == 2 && !ln[n]) {
            r->shard_i = i;
            r->shard_n = j;
        } else if (sscanf(ln, "size %llu%n", &a, &n) == 1 && !ln[n]) {
            if (a != s->size)
                goto bad;
        } else if (sscanf(ln, "planned %llu%n", &a, &n) == 1 && !ln[n]) {
            r->planned = a;
        } else if (sscanf(ln, "counts %llu %llu %llu %llu%n", &a, &b, &c, &d, &n) == 4 &&
                   !ln[n]) {
            r->evaluated = a;
            r->invalid = b;
            r->infeasible = c;
            r->feasible = d;
        } else if (sscanf(ln, "front %llu%n", &a, &n) == 1) {
            double obj[SWEEP_MAX_OBJ];
            char *p = ln + n;
            for (int k = 0; k < s->nobj; k++) {
                char *end;
                obj[k] = strtod(p, &end);
                if (end == p)
                    goto bad;
                p = end;
            }
            if (*p)
                goto bad;
            front_add(&r->front, a, obj);
        } else if (sscanf(ln, "best %d %zu %la%n", &i, &z, &v, &n) == 3 && !ln[n]) {
            if (i < 0 || i >= s->nplots || z >= (size_t)s->plots[i].nx * s->plots[i].ns)
                goto bad;
            r->best[i][z] = v;
        } else if (sscanf(ln, "invalid %d %llu %llu%n", &i, &a, &b, &n) == 3 && !ln[n]) {
            if (i < 0 || i >= s->nblocks)
                goto bad;
            r->blk_invalid[i] = a;
            r->blk_first_invalid[i] = b;
        } else if (sscanf(ln, "sample %llu%n", &a, &n) == 1 && !ln[n]) {
            if (r->nsample == r->asample) {
                r->asample = r->asample ? 2 * r->asample : 256;
                r->sample = xrealloc(r->sample, sizeof *r->sample * r->asample);
            }
            r->sample[r->nsample++] = a;
        } else if (sscanf(ln, "visit %llu%n", &a, &n) == 1 && !ln[n]) {
            if (a >= s->size)
                goto bad;
            if ((r->nvisits & (r->nvisits + 1)) == 0) /* at 0, 1, 3, 7, ...: double */
                r->visits = xrealloc(r->visits, sizeof *r->visits * (2 * r->nvisits + 2));
            r->visits[r->nvisits++] = a;
        } else if (!strcmp(ln, "end")) {
            ended = 1;
        } else {
            goto bad;
        }
    }
    free(text);
    if (!ended)
        return error("%s: error: truncated shard result (no 'end' line)", path);
    return 0;
bad:
    free(text);
    return error("%s:%d: error: not a ternforge shard result line", path, line);
}

int result_plan(const char *path, char *strategy, size_t n, uint64_t *seed, uint64_t *budget,
                int *shard_i, int *shard_n)
{
    char *text = read_file(path, NULL);
    if (!text)
        return -1;
    int found = 0;
    char st[32];
    unsigned long long a, b;
    for (char *ln = text; ln && *ln; ln = strchr(ln, '\n') ? strchr(ln, '\n') + 1 : NULL) {
        if (sscanf(ln, "plan %31s %llu %llu", st, &a, &b) == 3) {
            snprintf(strategy, n, "%s", st);
            *seed = a;
            *budget = b;
            found |= 1;
        } else if (sscanf(ln, "shard %d %d", shard_i, shard_n) == 2) {
            found |= 2;
        }
    }
    free(text);
    if (found != 3)
        return error("%s: error: not a ternforge shard result (no 'plan' or 'shard' line)", path);
    return 0;
}
