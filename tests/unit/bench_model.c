/* bench_model.c - C model speed (make bench): the fast models
 * (kind_model_fast) and the reference models against yardsticks built
 * with the same flags and run in the same process, so that the ratios
 * hold however loaded the machine is. Prints numbers; asserts nothing
 * (the goals are issue 21's).
 *
 * Yardsticks (plain C, -O2, no intrinsics):
 *   int   int8 W x int8 x -> int32 sums, one dot product per output (the
 *         compiler vectorizes it); W already int8 in memory.
 *   float one float sum per output, w * x added in order (cannot be
 *         vectorized without reordering: the FP contract's situation).
 * Shapes: GEMV 4096 x 4096 x 1, GEMM 4096 x 4096 x 16. "call" is a whole
 * kind_model_fast() call with W in compact int8 storage, as `run` reads
 * an int8 .npy or a text file of small values; "int64 call" the same
 * from int64 storage (W narrowed every call: the rate before compact
 * storage); "kernel" (integer) reuses W decoded once (tern_int_run), as
 * a caller that keeps its weights would. Rates in M MAC/s (ternary or
 * fixp MACs). usage: bench_model [--quick] [NAME] (NAME: only the rows
 * whose name contains it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "../../sim/tools.h"
#include "../../model/fastmodel.h"
#include "../../model/kind.h"
#include "rng.h"
#include "softfloat.h"
#include "util.h"

enum { M = 4096, N = 4096, BG = 16 };

static int8_t *w8;            /* M x N */
static int8_t *x8;            /* BG x N (transposed) */
static float *xf;             /* N */
static volatile int32_t sink; /* keeps the yardsticks' results alive */

static void yard_int(int B)
{
    for (int r = 0; r < M; r++)
        for (int b = 0; b < B; b++) {
            const int8_t *w = &w8[(size_t)r * N], *x = &x8[(size_t)b * N];
            int32_t s = 0;
            for (int n = 0; n < N; n++)
                s += w[n] * x[n];
            sink += s;
        }
}

static void yard_float(int B)
{
    for (int r = 0; r < M; r++)
        for (int b = 0; b < B; b++) {
            const int8_t *w = &w8[(size_t)r * N];
            float acc = 0;
            for (int n = 0; n < N; n++)
                acc += (float)w[n] * xf[n];
            sink += (int32_t)acc;
        }
}

/* Best of `reps` wall times of fn(ctx). */
static double best_of(int reps, void (*fn)(void *), void *ctx)
{
    double best = 1e30;
    for (int i = 0; i < reps; i++) {
        double t0 = wall_seconds();
        fn(ctx);
        double t = wall_seconds() - t0;
        best = t < best ? t : best;
    }
    return best;
}

/* Best wall times of fn(a) and fn(b), alternated `reps` times: one job
 * and --jobs 2 see the same moments of the machine's load (measured one
 * after the other, a burst of other work on the second core could fall
 * on all of one's repetitions and none of the other's). */
static void best_of_pair(int reps, void (*fn)(void *), void *a, void *b, double *ta, double *tb)
{
    *ta = *tb = 1e30;
    for (int i = 0; i < reps; i++) {
        double t = best_of(1, fn, a);
        *ta = t < *ta ? t : *ta;
        t = best_of(1, fn, b);
        *tb = t < *tb ? t : *tb;
    }
}

static void call_yard_int(void *c) { yard_int(*(int *)c); }
static void call_yard_float(void *c) { yard_float(*(int *)c); }

struct run {
    struct design_point *dp;
    struct matrix *W, *X;
    int rows, jobs, ref;
};

static void call_model(void *c)
{
    struct run *r = c;
    struct matrix Y, Wr = *r->W;
    Wr.rows = r->rows; /* the first `rows` rows */
    if (r->ref)
        kind_get(r->dp)->model(r->dp, &Wr, r->X, &Y);
    else
        kind_model_fast(r->dp, &Wr, r->X, &Y, r->jobs);
    mat_free(&Y);
}

struct kern {
    struct design_point *dp;
    struct matrix *X;
    int jobs;
};

static void call_kernel(void *c)
{
    struct kern *k = c;
    struct matrix Y;
    tern_int_run(k->dp, w8, M, N, k->X, &Y, k->jobs);
    mat_free(&Y);
}

static int point(struct design_point *dp, const char *const *sets, int n)
{
    dp_init(dp);
    char *s[16];
    for (int i = 0; i < n; i++)
        s[i] = (char *)sets[i];
    if (dp_apply_sets(dp, s, n) || dp_finalize(dp))
        return -1;
    return 0;
}

/* Activations for dp: codes (integer kinds), finite values near 1 (FP). */
static void fill_acts(const struct design_point *dp, struct matrix *X, struct rng *r)
{
    int64_t lo, hi;
    kind_act_range(dp, &lo, &hi);
    for (size_t i = 0; i < (size_t)X->rows * (size_t)X->cols; i++) {
        if (!dp->d.fp) {
            X->v[i] = rng_range(r, lo, hi);
            continue;
        }
        /* sign, exponent bias-2..bias+1, any fraction: no NaN, no overflow */
        const struct sf_info *f = sf_info((enum sf_format)dp->d.act_fmt);
        int64_t e = rng_range(r, f->bias - 2, f->bias + 1), m = rng_range(r, 0, (1 << f->man_bits) - 1);
        X->v[i] = rng_range(r, 0, 1) << (f->bits - 1) | e << f->man_bits | m;
    }
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    /* An optional last argument: only the rows whose name contains it. */
    const char *only = argc > 1 + quick ? argv[1 + quick] : NULL;
    struct rng rg = { 42 };
    w8 = xmalloc((size_t)M * N);
    x8 = xmalloc((size_t)BG * N);
    xf = xmalloc((size_t)N * sizeof *xf);
    struct matrix W, Wf, W8 = { .rows = M, .cols = N, .et = MAT_I8 }, Wf8 = W8;
    mat_init(&W, M, N);
    mat_init(&Wf, M, N);
    int8_t *wf8 = xmalloc((size_t)M * N);
    for (size_t i = 0; i < (size_t)M * N; i++) {
        W.v[i] = rng_range(&rg, -1, 1);
        w8[i] = (int8_t)W.v[i];
        Wf.v[i] = rng_range(&rg, -128, 127);
        wf8[i] = (int8_t)Wf.v[i];
    }
    W8.e = xmalloc((size_t)M * N);
    memcpy(W8.e, w8, (size_t)M * N);
    Wf8.e = wf8;
    for (size_t i = 0; i < (size_t)BG * N; i++)
        x8[i] = (int8_t)rng_range(&rg, -128, 127);
    for (int n = 0; n < N; n++)
        xf[n] = (float)rng_range(&rg, -1000, 1000) / 256;
    int one = 1, bg = BG, reps = quick ? 1 : 3;
    double mac1 = (double)M * N, macg = mac1 * BG;
    printf("yardsticks (measured again before each row; M MAC/s): int8 GEMV %.0f, int8 "
           "GEMM(B=16) %.0f, float in order %.0f\n",
           mac1 / best_of(reps, call_yard_int, &one) / 1e6,
           macg / best_of(reps, call_yard_int, &bg) / 1e6,
           mac1 / best_of(reps, call_yard_float, &one) / 1e6);

    static const struct {
        const char *name;
        const char *sets[9];
        int n;
    } cfg[] = {
        { "INT8 tlut", { "mu=4", "luts=32", "keys=128", "act_width=8" }, 4 },
        { "INT8 tsign", { "kind=tsign", "inputs=128", "keys=128", "act_width=8" }, 4 },
        { "INT8 tmul", { "kind=tmul", "inputs=128", "keys=128", "act_width=8" }, 4 },
        { "INT8 tlut acc16", { "mu=4", "luts=32", "keys=128", "act_width=8", "acc_width=16" }, 5 },
        { "INT4 tlut", { "mu=4", "luts=32", "keys=128", "act_width=4" }, 4 },
        { "INT16 tlut", { "mu=4", "luts=32", "keys=128", "act_width=16" }, 4 },
        { "FP16 tlut", { "mu=4", "luts=32", "keys=128", "act_type=fp16" }, 4 },
        { "FP16 tsign", { "kind=tsign", "inputs=128", "keys=128", "act_type=fp16" }, 4 },
        { "BF16 tlut", { "mu=4", "luts=32", "keys=128", "act_type=bf16" }, 4 },
        { "BF16 tmul", { "kind=tmul", "inputs=128", "keys=128", "act_type=bf16" }, 4 },
        { "FP8 tlut", { "mu=4", "luts=32", "keys=128", "act_type=fp8e4m3" }, 4 },
        { "FP8 tlut fp32", { "mu=4", "luts=32", "keys=128", "act_type=fp8e4m3", "acc_type=fp32" }, 5 },
        { "fixp", { "kind=fixp", "array_rows=16", "array_cols=16", "x_width=8", "x_int=1",
                    "w_width=8", "w_int=1", "acc_overflow=sat" }, 8 },
        /* 16 bits: the sums do leave the range, every output adds tile
         * after tile with saturation */
        { "fixp sat acc16", { "kind=fixp", "array_rows=16", "array_cols=16", "x_width=8",
                              "x_int=1", "w_width=8", "w_int=1", "acc_overflow=sat", "acc_width=16" }, 9 },
        { "fixp wrap", { "kind=fixp", "array_rows=16", "array_cols=16", "x_width=8", "x_int=1",
                         "w_width=8", "w_int=1" }, 7 },
    };
    printf("M MAC/s (ratio to the int yardstick of the same shape; FP rows also to the float one)\n");
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; c++) {
        if (only && !strstr(cfg[c].name, only))
            continue;
        struct design_point dp;
        const char *sets[11];
        memcpy(sets, cfg[c].sets, sizeof cfg[c].sets);
        sets[cfg[c].n] = "max_rows=4096";
        sets[cfg[c].n + 1] = "max_cols=4096";
        if (point(&dp, sets, cfg[c].n + 2)) {
            printf("%s: bad point\n", cfg[c].name);
            return 1;
        }
        int fixp = !(KINDS_TERNARY & KIND_BIT(dp.kind));
        struct matrix *Wc = fixp ? &Wf8 : &W8, *Wl = fixp ? &Wf : &W;
        for (int g = 0; g < 2; g++) {
            int B = g ? BG : 1;
            double mac = g ? macg : mac1;
            /* the yardsticks now, under the load the model meets next */
            double yi = mac / best_of(reps, call_yard_int, g ? &bg : &one) / 1e6;
            double yf1 = dp.d.fp ? mac / best_of(reps, call_yard_float, g ? &bg : &one) / 1e6 : 0;
            struct matrix X;
            mat_init(&X, N, B);
            fill_acts(&dp, &X, &rg);
            struct run r1 = { &dp, Wc, &X, M, 1, 0 }, r2 = { &dp, Wc, &X, M, 2, 0 };
            struct run rl = { &dp, Wl, &X, M, 1, 0 };
            /* the reference on fewer rows: it is slow */
            int rrows = dp.d.fp ? 256 : 1024;
            struct run rr = { &dp, Wl, &X, rrows, 1, 1 };
            double t1, t2;
            best_of_pair(reps + 2, call_model, &r1, &r2, &t1, &t2);
            double f1 = mac / t1 / 1e6, f2 = mac / t2 / 1e6;
            double fl = mac / best_of(reps, call_model, &rl) / 1e6;
            double ref = mac * rrows / M / best_of(1, call_model, &rr) / 1e6;
            printf("%-16s %s: yardstick %5.0f  call %6.0f (%.2fx)  --jobs 2 %6.0f (%.2fx; "
                   "%.2f times one job)  int64 call %6.0f (%.2fx)",
                   cfg[c].name, g ? "GEMM" : "GEMV", yi, f1, f1 / yi, f2, f2 / yi, f2 / f1, fl,
                   fl / yi);
            if (!dp.d.fp && !fixp) {
                struct kern k1 = { &dp, &X, 1 }, k2 = { &dp, &X, 2 };
                best_of_pair(reps + 2, call_kernel, &k1, &k2, &t1, &t2);
                double k = mac / t1 / 1e6, kj = mac / t2 / 1e6;
                printf("  kernel %6.0f (%.2fx)  kernel --jobs 2 %6.0f (%.2fx)", k, k / yi, kj,
                       kj / yi);
            }
            if (dp.d.fp)
                printf("  float yardstick %.0f: %.2fx", yf1, f1 / yf1);
            printf("  reference %5.0f (%.3fx; fast call %.0fx faster)\n", ref, ref / yi, f1 / ref);
            mat_free(&X);
        }
    }
    mat_free(&W);
    mat_free(&Wf);
    mat_free(&W8);
    mat_free(&Wf8);
    free(w8);
    free(x8);
    free(xf);
    return 0;
}
