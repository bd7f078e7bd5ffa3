/* test_sweep.c - the Pareto archive and a sweep's outputs against brute
 * force.
 *
 *   test_sweep SEED            archive (split into parts and merged, as the
 *                              threads and shards do) vs the O(n^2)
 *                              definition on random vectors full of ties
 *   test_sweep SEED S.xml DIR  DIR holds 'ternforge sweep S.xml' output:
 *                              every point of the space is evaluated here
 *                              one by one, the non-dominated feasible set is
 *                              found by pairwise comparison and must equal
 *                              the indices in DIR/pareto.csv; points.csv
 *                              must list distinct indices in order with the
 *                              status this evaluation gives (an exhaustive
 *                              sweep: every index); and every point
 *                              priced through the memo of cores
 *                              (sweep_eval_memo) equals it, in index order
 *                              and in a random order; every point is
 *                              priced as cost_eval prices it with its
 *                              technology (the sweep's pricing contexts).
 * Prints "test_sweep: ok" when every check passes. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/rng.h"
#include "../../common/util.h"
#include "../../explore/pareto.h"
#include "../../explore/sweep.h"

static int fails;
#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

/* The definition: i is on the front iff no j is <= in every objective and
 * < in one. */
static int dominated(const double *v, size_t n, int k, size_t i)
{
    for (size_t j = 0; j < n; j++) {
        if (j == i)
            continue;
        int le = 1, lt = 0;
        for (int d = 0; d < k; d++) {
            le &= v[j * k + d] <= v[i * k + d];
            lt |= v[j * k + d] < v[i * k + d];
        }
        if (le && lt)
            return 1;
    }
    return 0;
}

static void archive_tests(uint64_t seed)
{
    struct rng r = { seed };
    for (int trial = 0; trial < 400; trial++) {
        int k = 1 + trial % 4;
        size_t n = (size_t)rng_range(&r, 0, trial < 200 ? 60 : 1500);
        int levels = (int)rng_range(&r, 1, 12); /* few levels: many ties */
        double *v = xmalloc(sizeof *v * (n ? n : 1) * k);
        for (size_t i = 0; i < n * k; i++)
            v[i] = (double)rng_range(&r, 0, levels) * (trial % 3 ? 1.0 : 0.37);
        int parts = (int)rng_range(&r, 1, 4);
        struct front f[4], all;
        for (int p = 0; p < parts; p++)
            front_init(&f[p], k);
        for (size_t i = 0; i < n; i++) {
            int p = (int)rng_range(&r, 0, parts - 1);
            front_add(&f[p], i, v + i * k);
        }
        front_init(&all, k);
        for (int p = parts - 1; p >= 0; p--) {
            front_merge(&all, &f[p]);
            front_free(&f[p]);
        }
        front_sort(&all);
        size_t expect = 0, ok = 1;
        for (size_t i = 0; i < n; i++) {
            int on = !dominated(v, n, k, i);
            expect += (size_t)on;
            if (on != front_has(&all, i))
                ok = 0;
        }
        CHECK(ok && expect == all.n, "trial %d (k=%d n=%zu): archive has %zu points, brute "
              "force %zu", trial, k, n, all.n, expect);
        front_free(&all);
        free(v);
    }
    printf("archive: 400 random trials (k 1..4, up to 1500 points, ties) vs brute force\n");
}

static uint64_t *read_index_column(const char *path, size_t *n, char ***status)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fails++;
        printf("FAIL: cannot open %s\n", path);
        *n = 0;
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0, m = 0, alloc = 1024;
    uint64_t *v = xmalloc(sizeof *v * alloc);
    char **st = xmalloc(sizeof *st * alloc);
    int first = 1;
    while (getline(&line, &cap, f) > 0) {
        if (first) {
            first = 0;
            continue;
        }
        if (m == alloc) {
            alloc *= 2;
            v = xrealloc(v, sizeof *v * alloc);
            st = xrealloc(st, sizeof *st * alloc);
        }
        v[m] = strtoull(line, NULL, 10);
        char *c = strchr(line, ',');
        c = c ? strchr(c + 1, ',') : NULL; /* index,fingerprint,status */
        char *e = c ? strchr(c + 1, ',') : NULL;
        st[m] = c && e ? strndup(c + 1, (size_t)(e - c - 1)) : xstrdup("?");
        m++;
    }
    free(line);
    fclose(f);
    *n = m;
    *status = st;
    return v;
}

/* Do two evaluations of one point agree, bit for bit, in everything a
 * sweep writes or ranks by: status, reason, figures, objectives, the
 * features and totals, and the row of points.csv? */
static int same_point(const struct sweep *s, const struct point *a, const struct point *b)
{
    static char ra[8192], rb[8192];
    if (a->status != b->status || a->why != b->why ||
        (a->status == P_INFEASIBLE && /* (else left as they were) */
         (a->why_i != b->why_i || memcmp(&a->why_v, &b->why_v, sizeof a->why_v))) ||
        memcmp(a->fig, b->fig, sizeof a->fig) ||
        memcmp(a->obj, b->obj, sizeof(double) * (size_t)s->nobj))
        return 0;
    if (a->status != P_INVALID &&
        (memcmp(a->c.xt, b->c.xt, sizeof a->c.xt) ||
         memcmp(a->c.total, b->c.total, sizeof a->c.total) ||
         a->c.critical_stage != b->c.critical_stage || a->c.memory_bound != b->c.memory_bound))
        return 0;
    sweep_csv_row(s, a, ra, sizeof ra);
    sweep_csv_row(s, b, rb, sizeof rb);
    return !strcmp(ra, rb);
}

/* sweep_eval_memo against sweep_eval on every point, in index order (as
 * `sweep` visits them: the digits step, a core's other memory settings
 * hit) and in a seeded random order (decoded digits; hits, misses and
 * evictions in any order). */
static void memo_tests(const struct sweep *s, uint64_t seed)
{
    size_t n = (size_t)s->size;
    struct eval_memo *m = eval_memo_new(s);
    uint64_t *order = xmalloc(sizeof *order * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    struct point *a = xmalloc(sizeof *a), *b = xmalloc(sizeof *b);
    struct rng r = { seed };
    for (int pass = 0; pass < 2; pass++) {
        if (pass) /* Fisher-Yates */
            for (size_t i = n; i > 1; i--) {
                size_t j = (size_t)rng_range(&r, 0, (int64_t)i - 1);
                uint64_t t = order[i - 1];
                order[i - 1] = order[j];
                order[j] = t;
            }
        size_t bad = 0;
        uint64_t first = 0;
        for (size_t i = 0; i < n; i++) {
            sweep_eval(s, order[i], a);
            sweep_eval_memo(s, order[i], b, m);
            if (!same_point(s, a, b) && !bad++)
                first = order[i];
        }
        CHECK(!bad, "%s: %zu of %zu points differ through the memo (%s order; first: index "
              "%llu)", s->path, bad, n, pass ? "random" : "index", (unsigned long long)first);
    }
    printf("%s: %zu points through the memo, index and random order\n", s->path, n);
    eval_memo_free(m);
    free(order);
    free(a);
    free(b);
}

/* Is a point priced as a plain cost_eval with its own technology prices
 * it? A sweep prices with the contexts sweep_load built, one per
 * technology (s->tctx), long after the technologies were read: a context
 * of another technology, or of one moved since, gives other bits. */
static int same_as_cost_eval(const struct sweep *s, const struct point *p)
{
    if (p->status == P_INVALID)
        return 1;
    struct workload wl = s->wl;
    wl.bw_gbps = p->bw;
    wl.mem_pj_per_bit = s->mem_pj[p->mem];
    wl.clock_ns = s->clock_ns;
    struct cost c;
    cost_eval(&p->dp, &s->tech[p->tech], &wl, &c);
    const struct cost *a = &p->c;
#define SAME(f) !memcmp(&a->f, &c.f, sizeof c.f)
    return SAME(xt) && SAME(total) && SAME(critical_path_ns) &&
           a->critical_stage == c.critical_stage && SAME(cycles) && SAME(energy_pj_per_token) &&
           SAME(tokens_per_s);
#undef SAME
}

/* A plot axis's map (struct plot) against its sorted values: value v has
 * column i when v is the i-th value, -1 when it is none; no map only when
 * some value is outside 0..PLOT_MAP_MAX. */
static int map_ok(const long *v, int n, const int *map)
{
    int fits = n > 0 && v[0] >= 0 && v[n - 1] <= PLOT_MAP_MAX;
    if (!map)
        return !fits;
    if (!fits)
        return 0;
    for (long x = 0, i = 0; x <= v[n - 1]; x++) {
        int col = i < n && v[i] == x ? (int)i++ : -1;
        if (map[x] != col)
            return 0;
    }
    return 1;
}

static void map_tests(const struct sweep *s)
{
    for (int i = 0; i < s->nplots; i++) {
        const struct plot *pl = &s->plots[i];
        CHECK(map_ok(pl->xv, pl->nx, pl->xmap), "%s: plot %s: the map of x is wrong", s->path,
              pl->name);
        CHECK(map_ok(pl->sv, pl->ns, pl->smap), "%s: plot %s: the map of series is wrong",
              s->path, pl->name);
    }
}

static void sweep_tests(const char *file, const char *dir, uint64_t seed)
{
    struct sweep s;
    if (sweep_load(&s, file) || sweep_plan(&s)) {
        fails++;
        printf("FAIL: cannot load %s\n", file);
        return;
    }
    /* Brute force over the whole space. */
    size_t n = (size_t)s.size;
    double *obj = xmalloc(sizeof *obj * (n ? n : 1) * s.nobj);
    int *feasible = xcalloc(n ? n : 1, sizeof *feasible);
    enum pstatus *status = xcalloc(n ? n : 1, sizeof *status);
    struct point *p = xmalloc(sizeof *p);
    size_t nf = 0;
    uint64_t *fidx = xmalloc(sizeof *fidx * (n ? n : 1));
    size_t priced_apart = 0;
    for (size_t i = 0; i < n; i++) {
        sweep_eval(&s, i, p);
        priced_apart += !same_as_cost_eval(&s, p);
        status[i] = p->status;
        if (p->status == P_FEASIBLE) {
            memcpy(obj + nf * s.nobj, p->obj, sizeof(double) * s.nobj);
            fidx[nf++] = i;
            feasible[i] = 1;
        }
    }
    CHECK(!priced_apart, "%s: %zu of %zu points priced otherwise than by cost_eval with "
          "their technology", file, priced_apart, n);
    char path[4096];
    snprintf(path, sizeof path, "%s/pareto.csv", dir);
    size_t np;
    char **pst;
    uint64_t *pidx = read_index_column(path, &np, &pst);
    size_t expect = 0, j = 0;
    int same = 1;
    for (size_t i = 0; i < nf; i++) {
        if (dominated(obj, nf, s.nobj, i))
            continue;
        expect++;
        if (j >= np || pidx[j] != fidx[i])
            same = 0;
        j++;
    }
    CHECK(same && expect == np, "%s: pareto.csv has %zu points, brute force %zu%s", file, np,
          expect, same ? "" : " (different points)");
    /* points.csv: distinct, ordered, statuses as evaluated here. */
    snprintf(path, sizeof path, "%s/points.csv", dir);
    size_t nr;
    char **st;
    uint64_t *idx = read_index_column(path, &nr, &st);
    static const char *const names[] = { "invalid", "infeasible", "feasible" };
    int ordered = 1, statuses = 1;
    for (size_t i = 0; i < nr; i++) {
        if (i && idx[i] <= idx[i - 1])
            ordered = 0;
        if (idx[i] >= n || strcmp(st[i], names[status[idx[i]]]))
            statuses = 0;
        free(st[i]);
    }
    CHECK(ordered, "%s: points.csv indices not increasing", file);
    CHECK(statuses, "%s: points.csv status differs from a fresh evaluation", file);
    if (s.strategy == STRAT_EXHAUSTIVE)
        CHECK(nr == n, "%s: exhaustive sweep wrote %zu of %zu points", file, nr, n);
    else
        CHECK(nr <= s.budget, "%s: %zu points for a budget of %llu", file, nr,
              (unsigned long long)s.budget);
    printf("%s: %zu points, %zu feasible, front %zu (brute force %zu)\n", file, n, nf, np, expect);
    memo_tests(&s, seed);
    map_tests(&s);
    for (size_t i = 0; i < np; i++)
        free(pst[i]);
    free(pst);
    free(st);
    free(idx);
    free(pidx);
    free(obj);
    free(feasible);
    free(status);
    free(fidx);
    free(p);
    sweep_free(&s);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    printf("test_sweep: seed %llu\n", (unsigned long long)seed);
    if (argc > 3)
        sweep_tests(argv[2], argv[3], seed);
    else
        archive_tests(seed);
    if (fails) {
        printf("test_sweep: %d failures\n", fails);
        return 1;
    }
    printf("test_sweep: ok\n");
    return 0;
}
