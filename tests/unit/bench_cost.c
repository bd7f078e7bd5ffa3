/* bench_cost.c - cost-model speed: design-point evaluations per second on
 * one core. One evaluation = set the swept parameters of a point, check
 * and derive it (dp_finalize) and price it (cost_eval: inventory, area,
 * energy, critical path, cycles, roofline). Points cycle through kinds,
 * mu, L, K, widths and activation types so no result is reused. Prints
 * numbers; asserts nothing (see scripts/bench.sh). Then the two halves
 * apart, on points finalized beforehand: dp_finalize alone (common/dp.c)
 * and cost_eval alone (model/cost.c), best of 20 runs of 100000, and two
 * parts of cost_eval (the critical-path walk, the inventory tally); then
 * both halves on the same points in the order a sweep visits them.
 * Time is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so a busy
 * machine (synthesis running beside it) does not change the numbers much;
 * the wall time of the mixed loop is printed too, and the loop's best of
 * 20 short runs, which a busy machine disturbs less. A yardstick that shares
 * no code with the cost model (a fixed chain of multiplies, adds and
 * divisions, best of 20) runs alongside: compare builds by the ratios.
 * Last, real sweeps (the arguments, at most two; default
 * tests/bench/memories.xml, four memory settings, and million.xml, one)
 * point by point in index order, as `sweep` evaluates them, without and
 * with the thread's state (explore/eval.c: the next index's digits
 * stepped, a core priced once for all its memory settings). With
 * --points N it only evaluates N mixed points, for callgrind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../model/cost.h"
#include "../../model/kind.h"
#include "dp.h"
#include "../../explore/sweep.h"
#include "../../sim/tools.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The yardstick: 100,000 steps of a fixed integer and FP dependency
 * chain with a division, the mix the cost model runs; best of 20. Returns
 * steps per second. */
static double yardstick(double *sink)
{
    double best = 1e9;
    for (int run = 0; run < 20; run++) {
        uint64_t r = 88172645463325252ULL;
        double x = 1, t0 = cpu_seconds();
        for (int i = 0; i < 100000; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            x = x * 0.999 + (double)(r & 1023) / (double)((r >> 10 & 7) + 1);
        }
        double t = cpu_seconds() - t0;
        *sink += x;
        if (t < best)
            best = t;
    }
    return 1e5 / best;
}

/* The tally's sink for the items it does not sum (multipliers, SRAM
 * macros): counted, so the work is not optimized away. */
static void count_sink(void *ctx, enum comp c, enum prim p, int w, int in, long count)
{
    (void)c;
    (void)p;
    *(double *)ctx += (double)w * in * count;
}

/* The swept parameters of point n: consecutive points differ in each. */
static inline void set_swept(struct design_point *dp, long n)
{
    dp->mu = 1 + n % 6;
    dp->luts = 1 << (n / 7 % 6);
    dp->keys = 4 << (n / 11 % 5);
    dp->inputs = 8 << (n / 13 % 4);
    if (dp->act_type == ACT_INT && dp->kind != KIND_FIXP)
        dp->act_width = 4 + n / 17 % 9;
}

/* Points n0 to n1-1 of the mixed loop: copy a base point as a sweep does
 * (explore/eval.c), set the swept parameters, finalize, price. */
static int mixed_points(const struct design_point *base, int nb, const struct cost_ctx *x,
                        const struct workload *wl, long n0, long n1, double *sink)
{
    for (long n = n0; n < n1; n++) {
        struct design_point dp;
        dp_copy_params(&dp, &base[n % nb]);
        set_swept(&dp, n);
        struct cost c;
        if (dp_finalize(&dp))
            return 1;
        cost_eval_ctx(&dp, x, wl, &c);
        *sink += c.total[M_AREA] + c.cycles;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const dflt[] = { "tests/bench/memories.xml", "tests/bench/million.xml" };
    /* --points N: only N points of the mixed loop, untimed, for an
     * instruction count that the machine's load does not change
     * (valgrind --tool=callgrind; docs/cost-model.md, Speed). */
    long count = 0;
    if (argc > 2 && !strcmp(argv[1], "--points")) {
        count = atol(argv[2]);
        if (count <= 0) {
            fprintf(stderr, "bench_cost: --points takes a positive count\n");
            return 2;
        }
        argc = 1;
    }
    const char *const *sweeps = argc > 1 ? (const char *const *)argv + 1 : dflt;
    int nsweep = argc > 1 ? (argc - 1 < 2 ? argc - 1 : 2) : 2;
    struct tech t;
    if (tech_load(&t, "osu018"))
        return 1;
    struct cost_ctx x; /* as a sweep prices its points (explore/eval.c) */
    cost_ctx_init(&x, &t);
    enum { NB = 64 };
    struct design_point base[NB];
    static const long acts[] = { ACT_INT, ACT_FP16, ACT_BF16, ACT_FP8E4M3 };
    for (int i = 0; i < NB; i++) {
        struct design_point *dp = &base[i];
        dp_init(dp);
        dp->src = "bench";
        dp->kind = i % 8 < 5 ? KIND_TLUT : i % 8 < 6 ? KIND_TSIGN : i % 8 < 7 ? KIND_TMUL : KIND_FIXP;
        if (dp->kind != KIND_FIXP)
            dp->act_type = acts[i % 4];
        dp->max_rows = dp->max_cols = 4096;
    }
    struct workload wl = { .M = 4096, .N = 4096, .B = 1, .bw_gbps = 100 };
    long n = 0;
    double sink = 0, t0 = cpu_seconds(), w0 = wall_seconds(), t1;
    if (count) { /* only the mixed loop, a fixed number of points */
        if (mixed_points(base, NB, &x, &wl, 0, count, &sink))
            return 1;
        printf("cost: %ld mixed points evaluated [checksum %.17g]\n", count, sink);
        tech_free(&t);
        return 0;
    }
    do {
        if (mixed_points(base, NB, &x, &wl, n, n + 100000, &sink))
            return 1;
        n += 100000;
        t1 = cpu_seconds();
    } while (t1 - t0 < 2.0);
    double mixed = n / (t1 - t0);
    printf("cost: %ld design-point evaluations in %.2f s CPU (%.2f s wall): %.2f M "
           "evaluations/s on one core (goal >= 10 M/s) [checksum %.6g]\n", n, t1 - t0,
           wall_seconds() - w0, mixed / 1e6, sink);
    /* The same loop as best of 20 runs of 100,000 points (about 15 ms
     * each), like the parts below: a run that another process disturbs is
     * dropped, where the 2-second average above takes it in. */
    double best_mx = 1e9;
    for (int run = 0; run < 20; run++) {
        double a = cpu_seconds();
        if (mixed_points(base, NB, &x, &wl, 0, 100000, &sink))
            return 1;
        double b = cpu_seconds();
        if (b - a < best_mx)
            best_mx = b - a;
    }
    double mixed_best = 1e5 / best_mx;
    printf("cost: the same, best of 20 runs of 100000: %.2f M evaluations/s [checksum %.6g]\n",
           mixed_best / 1e6, sink);

    enum { NP = 512 };
    static struct design_point pts[NP], raw[NP];
    for (n = 0; n < NP; n++) {
        struct design_point dp = base[n % NB];
        set_swept(&dp, n);
        raw[n] = dp;
        if (dp_finalize(&dp))
            return 1;
        pts[n] = dp;
    }
    /* dp_finalize, cost_eval, and two parts of cost_eval alone on the
     * same points: the critical-path walk (cost_critical_path, as
     * cost_eval calls it) and the kind's inventory tally (its ops.tally,
     * the multipliers to a counting sink); the rest of cost_eval is
     * pricing the tally, the totals and the workload. So a change can be
     * aimed at the part that costs. */
    enum { FIN, EVAL, PATH, TALLY, NPART };
    double best[NPART] = { 1e9, 1e9, 1e9, 1e9 };
    for (int run = 0; run < 20; run++) {
        double at[NPART + 1];
        at[FIN] = cpu_seconds();
        for (n = 0; n < 100000; n++) {
            struct design_point dp;
            dp_copy(&dp, &raw[n % NP]);
            if (dp_finalize(&dp))
                return 1;
            sink += dp.d.acc_bits;
        }
        at[EVAL] = cpu_seconds();
        for (n = 0; n < 100000; n++) {
            struct cost c;
            cost_eval_ctx(&pts[n % NP], &x, &wl, &c);
            sink += c.total[M_AREA] + c.cycles;
        }
        at[PATH] = cpu_seconds();
        for (n = 0; n < 100000; n++) {
            const char *stage;
            sink += cost_critical_path(&pts[n % NP], &t, NULL, &stage);
        }
        at[TALLY] = cpu_seconds();
        for (n = 0; n < 100000; n++) {
            const struct design_point *dp = &pts[n % NP];
            struct inv_tally ty;
            kind_get(dp)->tally(dp, &ty, count_sink, &sink);
            sink += (double)ty.units[PRIM_ADD];
        }
        at[NPART] = cpu_seconds();
        for (int i = 0; i < NPART; i++)
            if (at[i + 1] - at[i] < best[i])
                best[i] = at[i + 1] - at[i];
    }
    printf("cost: apart: dp_finalize %.0f ns, cost_eval %.0f ns per point (best of 20) "
           "[checksum %.6g]\n", best[FIN] / 1e5 * 1e9, best[EVAL] / 1e5 * 1e9, sink);
    printf("cost: parts of cost_eval: critical path %.0f ns, inventory tally %.0f ns, the rest "
           "%.0f ns (best of 20)\n", best[PATH] / 1e5 * 1e9, best[TALLY] / 1e5 * 1e9,
           (best[EVAL] - best[PATH] - best[TALLY]) / 1e5 * 1e9);

    /* The same 512 points in the order a sweep visits them: one kind and
     * activation type for a run of points, the numeric parameters varying
     * fastest. The mixed loop above changes kind and type at every point,
     * which costs branch mispredictions a sweep mostly does not pay. */
    static struct design_point sorted[NP];
    int ns = 0;
    for (long k = 0; k < KIND__COUNT; k++)
        for (long a = 0; a < ACT__COUNT; a++)
            for (n = 0; n < NP; n++)
                if (raw[n].kind == k && raw[n].act_type == a)
                    sorted[ns++] = raw[n];
    double best_sw = 1e9;
    for (int run = 0; run < 20; run++) {
        double a = cpu_seconds();
        for (n = 0; n < 100000; n++) {
            struct design_point dp;
            dp_copy(&dp, &sorted[n % NP]);
            struct cost c;
            if (dp_finalize(&dp))
                return 1;
            cost_eval_ctx(&dp, &x, &wl, &c);
            sink += c.total[M_AREA] + c.cycles;
        }
        double b = cpu_seconds();
        if (b - a < best_sw)
            best_sw = b - a;
    }
    printf("cost: in sweep order (grouped by kind and type): %.2f M evaluations/s "
           "(best of 20) [checksum %.6g]\n", 1e5 / best_sw / 1e6, sink);
    /* A real sweep's points in index order, the whole evaluation of each
     * (sweep_eval: decode the index, set the parameters, finalize, price,
     * figures, constraints), without and with the memo of cores that
     * `sweep` uses: points that differ only in their memory setting share
     * their core's pricing. Best of 5 passes over the space. */
    double sp[2][2] = { { 0, 0 }, { 0, 0 } };
    for (int f = 0; f < nsweep; f++) {
        struct sweep sw;
        if (sweep_load(&sw, sweeps[f]) || sweep_plan(&sw))
            return 1;
        struct point *pt = malloc(sizeof *pt);
        struct eval_memo *memo = eval_memo_new(&sw);
        double best_sp[2] = { 1e9, 1e9 };
        for (int run = 0; run < 5; run++)
            for (int with = 0; with < 2; with++) {
                double a = cpu_seconds();
                for (uint64_t i = 0; i < sw.size; i++) {
                    sweep_eval_memo(&sw, i, pt, with ? memo : NULL);
                    sink += pt->status == P_INVALID ? 1 : pt->fig[G_TOKENS_PER_S];
                }
                double b = cpu_seconds();
                if (b - a < best_sp[with])
                    best_sp[with] = b - a;
            }
        for (int with = 0; with < 2; with++)
            sp[f][with] = sw.size / best_sp[with];
        printf("cost: sweep %s (%llu points, %d memory setting%s), whole evaluation in index "
               "order: %.2f M points/s, with the thread's state (digits stepped, memo of "
               "cores) %.2f M points/s (best of 5) [checksum %.6g]\n", sweeps[f],
               (unsigned long long)sw.size, sw.n_bw, sw.n_bw > 1 ? "s" : "", sp[f][0] / 1e6,
               sp[f][1] / 1e6, sink);
        eval_memo_free(memo);
        free(pt);
        sweep_free(&sw);
    }
    double ys = yardstick(&sink);
    printf("cost: yardstick %.1f M steps/s [checksum %.6g]; evaluations per 1000 steps: "
           "mixed %.2f (best of 20 %.2f), in sweep order %.2f", ys / 1e6, sink, 1e3 * mixed / ys,
           1e3 * mixed_best / ys, 1e3 * 1e5 / best_sw / ys);
    for (int f = 0; f < nsweep; f++)
        printf("; sweep %d: %.2f, with the state %.2f", f + 1, 1e3 * sp[f][0] / ys,
               1e3 * sp[f][1] / ys);
    printf("\n");
    tech_free(&t);
    return 0;
}
