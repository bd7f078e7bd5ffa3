/* test_model.c - the tlut C model against independent arithmetic.
 *
 * 1. Y from the model equals a plain integer matmul reduced modulo
 *    2^acc_width (written here from the definition, not with model code),
 *    over seeded random points: mu 1..8, odd L and K, widths 2..16,
 *    automatic and tiny accumulators, M and N off the tile grid, B > 1.
 *    The fast models (kind_model_fast, 1 to 3 threads) against the
 *    same arithmetic, and fixp's.
 * 2. The packed weight stream decodes back to W with a decoder written
 *    from docs/weights.md alone (hex -> bits -> {sign, code} -> digits).
 * 3. The table recipe: entries equal their balanced-ternary sums, and
 *    the build uses exactly (3^mu-1)/2 - mu adders.
 * Usage: test_model [SEED]. Prints the seed and a final pass line. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/tlut.h"
#include "fixq.h"
#include "dp.h"
#include "../../model/kind.h"
#include "rng.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

/* The exact value reduced to acc bits, two's complement. */
static int64_t wrap_ref(int64_t v, int acc)
{
    if (acc >= 63)
        return v;
    int64_t mod = (int64_t)1 << acc;
    int64_t r = v % mod;
    if (r < 0)
        r += mod;
    if (r >= mod / 2)
        r -= mod;
    return r;
}

static int set(struct design_point *dp, const char *n, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return dp_set(dp, n, buf, "test", "test");
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode one beat line into bits (bit 0 = least significant). */
static void line_bits(const char *line, size_t n, unsigned char *bits, int nbits)
{
    memset(bits, 0, (size_t)nbits);
    for (size_t i = 0; i < n; i++) {
        int v = hexval(line[n - 1 - i]);
        for (int k = 0; k < 4; k++)
            if ((int)i * 4 + k < nbits)
                bits[i * 4 + k] = (unsigned char)(v >> k & 1);
    }
}

/* With `junk` (co-simulation's packing) the digits of padding rows and
 * columns must be junk, non-zero weights, the live ones W's. */
static void check_unpack(const struct design_point *dp, const struct matrix *W, struct rng *junk)
{
    struct strbuf sb = STRBUF_INIT;
    kind_get(dp)->pack_weights(dp, W, junk, &sb);
    int mu = (int)dp->mu, L = (int)dp->luts, K = (int)dp->keys, kb = dp->d.key_bits;
    int tc = mu * L, T = (W->cols + tc - 1) / tc, R = (W->rows + K - 1) / K;
    int nbits = K * L * kb, ndig = (nbits + 3) / 4;
    unsigned char *bits = xmalloc((size_t)nbits);
    const char *p = sb.buf;
    int beats = 0;
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++) {
            const char *nl = strchr(p, '\n');
            CHECK(nl && nl - p == ndig, "beat %d has %d digits, expected %d", beats,
                  nl ? (int)(nl - p) : -1, ndig);
            if (!nl)
                goto out;
            line_bits(p, (size_t)(nl - p), bits, nbits);
            for (int k = 0; k < K; k++)
                for (int l = 0; l < L; l++) {
                    int off = (k * L + l) * kb;
                    long code = 0;
                    for (int b = 0; b < kb - 1; b++)
                        code |= (long)bits[off + b] << b;
                    int neg = bits[off + kb - 1];
                    CHECK(!(code == 0 && neg), "zero group with sign bit set");
                    for (int i = 0; i < mu; i++) {
                        /* balanced ternary digit i of code */
                        long d = ((code % 3) + 3) % 3;
                        int digit = d == 2 ? -1 : (int)d;
                        code = (code - digit) / 3;
                        if (neg)
                            digit = -digit;
                        int row = r * K + k, col = t * tc + l * mu + i;
                        if (row < W->rows && col < W->cols)
                            CHECK(digit == MAT(W, row, col), "weight (%d,%d): decoded %d, "
                                  "want %d", row, col, digit, (int)MAT(W, row, col));
                        else
                            CHECK((digit != 0) == (junk != NULL), "padding weight (%d,%d) "
                                  "is %d with%s junk", row, col, digit, junk ? "" : "out");
                    }
                    CHECK(code == 0, "code has digits beyond mu");
                }
            p = nl + 1;
            beats++;
        }
    CHECK(*p == '\0', "extra beats in the weight stream");
out:
    free(bits);
    sb_release(&sb);
}

/* The baselines' weight stream, decoded from docs/baselines.md alone. */
static void check_unpack_base(const struct design_point *dp, const struct matrix *W,
                              struct rng *junk)
{
    struct strbuf sb = STRBUF_INIT;
    kind_get(dp)->pack_weights(dp, W, junk, &sb);
    int P = (int)dp->inputs, K = (int)dp->keys;
    int wb = dp->kind == KIND_TSIGN ? 2 : (int)dp->act_width;
    int T = (W->cols + P - 1) / P, R = (W->rows + K - 1) / K;
    int nbits = K * P * wb, ndig = (nbits + 3) / 4;
    unsigned char *bits = xmalloc((size_t)nbits);
    const char *p = sb.buf;
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++) {
            const char *nl = strchr(p, '\n');
            CHECK(nl && nl - p == ndig, "baseline beat width");
            if (!nl)
                goto out;
            line_bits(p, (size_t)(nl - p), bits, nbits);
            for (int k = 0; k < K; k++)
                for (int q = 0; q < P; q++) {
                    int off = (k * P + q) * wb, row = r * K + k, col = t * P + q;
                    long v = 0;
                    for (int b = 0; b < wb; b++)
                        v |= (long)bits[off + b] << b;
                    int got;
                    if (dp->kind == KIND_TSIGN) {
                        CHECK(v != 2, "reserved tsign code");
                        got = v == 1 ? 1 : v == 3 ? -1 : 0;
                    } else {
                        got = (int)(v >= (1L << (wb - 1)) ? v - (1L << wb) : v);
                    }
                    if (row < W->rows && col < W->cols)
                        CHECK(got == MAT(W, row, col), "baseline weight (%d,%d): %d, want %d",
                              row, col, got, (int)MAT(W, row, col));
                    else /* junk padding: a non-zero ternary weight */
                        CHECK(junk ? got == 1 || got == -1 : got == 0, "baseline padding "
                              "weight (%d,%d) is %d with%s junk", row, col, got,
                              junk ? "" : "out");
                }
            p = nl + 1;
        }
    CHECK(*p == '\0', "extra beats");
out:
    free(bits);
    sb_release(&sb);
}

/* The activation stream (docs/protocol.md) decoded lane by lane, each
 * job of `batch` columns: lanes of X as they are, the don't-care ones
 * (past N, slots past X's last column) zero without junk; with junk,
 * X's lanes unchanged and at least one don't-care lane in 16 non-zero. */
static void check_acts_one(const struct design_point *dp, const struct matrix *X,
                           struct rng *junk)
{
    int w = dp->d.lane_in_bits, tc = dp->d.tile_cols, C = (int)dp->batch;
    int nbits = dp->d.act_bits, ndig = (nbits + 3) / 4, T = (X->rows + tc - 1) / tc;
    unsigned char *bits = xmalloc((size_t)nbits);
    long pad = 0, pad_nz = 0;
    for (int col = 0; col < X->cols; col += C) {
        struct strbuf sb = STRBUF_INIT;
        kind_get(dp)->pack_acts(dp, X, col, junk, &sb);
        const char *p = sb.buf;
        for (int t = 0; t < T; t++) {
            const char *nl = p ? strchr(p, '\n') : NULL;
            CHECK(nl && nl - p == ndig, "activation beat %d: width", t);
            if (!nl)
                break;
            line_bits(p, (size_t)(nl - p), bits, nbits);
            for (int c = 0; c < C; c++)
                for (int i = 0; i < tc; i++) {
                    int64_t v = 0;
                    for (int b = 0; b < w; b++)
                        v |= (int64_t)bits[(c * tc + i) * w + b] << b;
                    int n = t * tc + i, live = n < X->rows && col + c < X->cols;
                    if (live) {
                        int64_t want = MAT(X, n, col + c) & (((int64_t)1 << w) - 1);
                        CHECK(v == want, "activation x[%d][%d]: lane %d of beat %d is %" PRId64
                              ", want %" PRId64, n, col + c, c * tc + i, t, v, want);
                    } else {
                        pad++;
                        pad_nz += v != 0;
                        CHECK(junk || v == 0, "don't-care lane %d of beat %d is %" PRId64
                              " without junk", c * tc + i, t, v);
                    }
                }
            p = nl + 1;
        }
        CHECK(p && *p == '\0', "extra activation beats");
        sb_release(&sb);
    }
    CHECK(!junk || pad < 16 || pad_nz > 0, "%ld don't-care lanes, none of them junk", pad);
    free(bits);
}

/* Batch 1 and a batch of 3 (empty slots when 3 does not divide B). */
static void check_acts(const struct design_point *dp, const struct matrix *X, struct rng *junk)
{
    for (int j = 0; j < 2; j++)
        check_acts_one(dp, X, j ? junk : NULL);
    struct design_point b3 = *dp;
    tf_quiet++; /* the point's acc_width warnings, again */
    int bad = set(&b3, "batch", 3) || dp_finalize(&b3);
    tf_quiet--;
    if (bad)
        return;
    for (int j = 0; j < 2; j++)
        check_acts_one(&b3, X, j ? junk : NULL);
}

static void check_recipe(void)
{
    static const int key_bits[] = { 0, 2, 4, 5, 7, 8, 10, 12, 13 };
    for (int mu = 1; mu <= 8; mu++) {
        struct design_point dp;
        dp_init(&dp);
        set(&dp, "mu", mu);
        set(&dp, "luts", 1);
        CHECK(dp_finalize(&dp) == 0, "finalize mu=%d", mu);
        long p3 = 1;
        for (int i = 0; i < mu; i++)
            p3 *= 3;
        CHECK(dp.d.entries == (p3 - 1) / 2, "entries mu=%d", mu);
        CHECK(dp.d.key_bits == key_bits[mu], "key bits mu=%d: %d", mu, dp.d.key_bits);
        struct lut_step *s = xmalloc((size_t)(dp.d.entries + 1) * sizeof *s);
        tlut_recipe(mu, s);
        int adders = 0;
        /* coefficient vectors of each entry, built by following the recipe */
        int *coef = xcalloc((size_t)(dp.d.entries + 1) * (size_t)mu, sizeof *coef);
        for (int m = 1; m <= dp.d.entries; m++) {
            CHECK(s[m].sub < m, "entry %d uses a later entry", m);
            if (s[m].sub) {
                adders++;
                for (int i = 0; i < mu; i++)
                    coef[m * mu + i] = (s[m].neg ? -1 : 1) * coef[s[m].sub * mu + i];
            }
            coef[m * mu + s[m].top] += 1;
            /* independent: digits of m in balanced ternary */
            long v = m;
            int nz = 0;
            for (int i = 0; i < mu; i++) {
                long d = v % 3;
                int digit = d == 2 ? -1 : (int)d;
                v = (v - digit) / 3;
                CHECK(coef[m * mu + i] == digit, "mu=%d entry %d digit %d", mu, m, i);
                nz += digit != 0;
            }
            CHECK(s[m].terms == nz, "terms of entry %d", m);
        }
        CHECK(adders == dp.d.entries - mu, "mu=%d: %d adders, minimum is %d", mu, adders,
              dp.d.entries - mu);
        free(coef);
        free(s);
    }
}

/* fixp: the model against exact products summed per tile in 128 bits,
 * the accumulator's wrap or saturation written out here, then fx_convert
 * (itself checked exhaustively against an independent reference in
 * test_fixq.c). Random formats: odd widths, negative and large I,
 * unsigned, both weight encodings, every mode. */
static int fixp_points;

static void check_fixp(struct rng *r, int iter)
{
    struct design_point dp;
    dp_init(&dp);
    dp_set(&dp, "kind", "fixp", "t", "t");
    static const int widths[] = { 2, 3, 5, 7, 8, 12, 16, 18 };
    set(&dp, "array_rows", rng_range(r, 1, 6));
    set(&dp, "array_cols", rng_range(r, 1, 9));
    set(&dp, "x_width", widths[rng_range(r, 0, 7)]);
    set(&dp, "x_int", rng_range(r, -4, 20));
    set(&dp, "x_signed", rng_range(r, 0, 1));
    set(&dp, "w_width", widths[rng_range(r, 0, 7)]);
    set(&dp, "w_int", rng_range(r, -4, 20));
    set(&dp, "w_signed", rng_range(r, 0, 1));
    set(&dp, "y_width", widths[rng_range(r, 0, 7)]);
    set(&dp, "y_int", rng_range(r, -4, 30));
    set(&dp, "y_signed", rng_range(r, 0, 1));
    set(&dp, "max_rows", rng_range(r, 1, 30));
    set(&dp, "max_cols", rng_range(r, 1, 40));
    dp_set(&dp, "quant", fx_quant_names[rng_range(r, 0, FXQ__COUNT - 1)], "t", "t");
    dp_set(&dp, "overflow", fx_ovf_names[rng_range(r, 0, FXO__COUNT - 1)], "t", "t");
    dp_set(&dp, "acc_overflow", rng_range(r, 0, 1) ? "sat" : "wrap", "t", "t");
    if (rng_range(r, 0, 2) == 0)
        set(&dp, "acc_width", rng_range(r, 6, 30));
    if (rng_range(r, 0, 1)) {
        dp_set(&dp, "w_encoding", "pow2", "t", "t");
        long fw = dp.w_width - dp.w_int, top = dp.w_width - 1 - dp.w_signed;
        long lo = -fw, hi = top - fw;
        long a = rng_range(r, lo, hi), b = rng_range(r, lo, hi);
        set(&dp, "shift_min", a < b ? a : b);
        set(&dp, "shift_max", a < b ? b : a);
    }
    if (dp_finalize(&dp))
        return; /* e.g. a signed format of 2 bits with pow2 range empty */
    fixp_points++;
    int M = (int)rng_range(r, 1, dp.max_rows), N = (int)rng_range(r, 1, dp.max_cols);
    int B = (int)rng_range(r, 1, 3), C = (int)dp.array_cols;
    struct matrix W, X, Y;
    mat_init(&W, M, N);
    mat_init(&X, N, B);
    int64_t xlo, xhi;
    kind_act_range(&dp, &xlo, &xhi);
    for (size_t i = 0; i < (size_t)M * N; i++)
        W.v[i] = kind_random_weight(&dp, r, 70);
    for (size_t i = 0; i < (size_t)N * B; i++)
        X.v[i] = rng_range(r, 0, 3) ? rng_range(r, xlo, xhi) : (rng_range(r, 0, 1) ? xhi : xlo);
    W.path = X.path = "t";
    CHECK(kind_get(&dp)->check_inputs(&dp, &W, &X) == 0, "generated inputs rejected");
    kind_get(&dp)->model(&dp, &W, &X, &Y);
    struct matrix Yf; /* the fast model, against the same arithmetic */
    kind_model_fast(&dp, &W, &X, &Yf, 1 + iter % 2);
    struct fx_format yf = { (int)dp.y_width, (int)dp.y_int, (int)dp.y_signed };
    int ab = dp.d.acc_bits;
    __int128 amax = ab >= 64 ? (__int128)INT64_MAX : ((__int128)1 << (ab - 1)) - 1;
    for (int i = 0; i < M; i++)
        for (int b = 0; b < B; b++) {
            __int128 acc = 0;
            for (int t = 0; t * C < N; t++) {
                __int128 s = 0;
                for (int c = 0; c < C && t * C + c < N; c++)
                    s += (__int128)MAT(&W, i, t * C + c) * MAT(&X, t * C + c, b);
                acc += s;
                if (dp.d.acc_sat) {
                    if (acc > amax) acc = amax;
                    if (acc < -amax - 1) acc = -amax - 1;
                } else {
                    __int128 mod = (__int128)1 << ab;
                    acc %= mod;
                    if (acc < 0) acc += mod;
                    if (acc > amax) acc -= mod;
                }
            }
            int64_t want = fx_convert((int64_t)acc, dp.d.acc_frac, &yf,
                                      (enum fx_quant)dp.quant, (enum fx_ovf)dp.overflow);
            CHECK(MAT(&Y, i, b) == want, "fixp point %d y[%d][%d] = %" PRId64 ", want %" PRId64,
                  iter, i, b, MAT(&Y, i, b), want);
            CHECK(MAT(&Yf, i, b) == want, "fixp point %d: fast model y[%d][%d] = %" PRId64
                  ", want %" PRId64, iter, i, b, MAT(&Yf, i, b), want);
        }
    mat_free(&Yf);
    mat_free(&W);
    mat_free(&X);
    mat_free(&Y);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261123;
    printf("test_model: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    check_recipe();
    static const int widths[] = { 2, 3, 5, 8, 13, 16 };
    static const int accs[] = { 0, 0, 0, 2, 5, 16, 64 };
    int points = 0;
    for (int iter = 0; iter < 800; iter++) {
        struct design_point dp;
        dp_init(&dp);
        int kind = (int)rng_range(&r, 0, 2), mu = 0;
        dp_set(&dp, "kind", kind_names[kind], "test", "test");
        if (iter % 4 == 3) {
            check_fixp(&r, iter);
            continue;
        }
        if (kind == KIND_TLUT) {
            mu = (int)rng_range(&r, 1, 8);
            set(&dp, "mu", mu);
            set(&dp, "luts", rng_range(&r, 1, mu >= 7 ? 2 : 7));
        } else {
            set(&dp, "inputs", rng_range(&r, 1, 11));
        }
        set(&dp, "keys", rng_range(&r, 1, 9));
        set(&dp, "act_width", widths[rng_range(&r, 0, 5)]);
        set(&dp, "max_rows", rng_range(&r, 1, 40));
        set(&dp, "max_cols", rng_range(&r, 1, 70));
        set(&dp, "acc_width", accs[rng_range(&r, 0, 6)]);
        if (dp_finalize(&dp))
            continue;
        points++;
        struct matrix W, X, Y;
        int M = (int)rng_range(&r, 1, dp.max_rows), N = (int)rng_range(&r, 1, dp.max_cols);
        int B = (int)rng_range(&r, 1, 3);
        mat_init(&W, M, N);
        mat_init(&X, N, B);
        long amax = (1L << (dp.act_width - 1)) - 1;
        int extreme = rng_range(&r, 0, 3) == 0;
        for (size_t i = 0; i < (size_t)M * N; i++)
            W.v[i] = rng_range(&r, -1, 1);
        for (size_t i = 0; i < (size_t)N * B; i++)
            X.v[i] = extreme ? (rng_range(&r, 0, 1) ? amax : -amax - 1)
                             : rng_range(&r, -amax - 1, amax);
        kind_get(&dp)->model(&dp, &W, &X, &Y);
        struct matrix Yf; /* the fast model, against the same arithmetic */
        kind_model_fast(&dp, &W, &X, &Yf, 1 + iter % 3);
        for (int i = 0; i < M; i++)
            for (int b = 0; b < B; b++) {
                int64_t s = 0;
                for (int n = 0; n < N; n++)
                    s += MAT(&W, i, n) * MAT(&X, n, b);
                int64_t want = wrap_ref(s, dp.d.acc_bits);
                CHECK(MAT(&Y, i, b) == want,
                      "point %d (%s mu=%d L=%ld K=%ld w=%ld acc=%d) y[%d][%d] = %" PRId64
                      ", matmul gives %" PRId64, iter, kind_names[kind], mu, dp.luts, dp.keys,
                      dp.act_width,
                      dp.d.acc_bits, i, b, MAT(&Y, i, b), want);
                CHECK(MAT(&Yf, i, b) == want, "point %d: fast model y[%d][%d] = %" PRId64
                      ", matmul gives %" PRId64, iter, i, b, MAT(&Yf, i, b), want);
            }
        mat_free(&Yf);
        struct rng junk = { r.s ^ 0x5a5a };
        for (int j = 0; j < 2; j++)
            if (kind == KIND_TLUT)
                check_unpack(&dp, &W, j ? &junk : NULL);
            else
                check_unpack_base(&dp, &W, j ? &junk : NULL);
        check_acts(&dp, &X, &junk);
        mat_free(&W);
        mat_free(&X);
        mat_free(&Y);
    }
    CHECK(points > 200, "only %d valid points", points);
    printf("test_model: %d ternary and %d fixp design points\n", points, fixp_points);
    CHECK(fixp_points > 50, "only %d valid fixp points", fixp_points);
    printf("test_model: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
