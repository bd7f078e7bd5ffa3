/* test_dp.c - the design-point model: defaults, range checks, derived
 * widths (computed by hand here), --set overrides, fingerprints, every
 * parameter reachable by name, and the table of activation formats
 * against the arithmetic of softfloat.c. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/kind.h"
#include "actfmt.h"
#include "dp.h"
#include "softfloat.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

static int try_set(const char *n, const char *v)
{
    struct design_point dp;
    dp_init(&dp);
    return dp_set(&dp, n, v, "test", "test");
}

/* clog2 and flog2 (util.h, count-leading-zeros) against their
 * definitions: the smallest b >= 1 with 2^b >= n, the largest b with
 * 2^b <= n; around every power of two and from 0 to 5000. */
static void check_logs(void)
{
    for (int k = 0; k < 64; k++) {
        uint64_t p = 1ULL << k;
        uint64_t near[] = { p - 1, p, p + 1, p + p / 2 };
        for (int i = 0; i < 4; i++) {
            uint64_t n = near[i];
            int c = 1, f = -1;
            while (c < 64 && (1ULL << c) < n)
                c++;
            for (uint64_t m = n; m; m >>= 1)
                f++;
            CHECK(clog2(n) == c, "clog2(%llu) = %d, want %d", (unsigned long long)n, clog2(n), c);
            CHECK(flog2(n) == f, "flog2(%llu) = %d, want %d", (unsigned long long)n, flog2(n), f);
        }
    }
    for (uint64_t n = 0; n <= 5000; n++) {
        int c = 1;
        while ((1ULL << c) < n)
            c++;
        CHECK(clog2(n) == c, "clog2(%llu)", (unsigned long long)n);
        CHECK(n == 0 || ((1ULL << flog2(n)) <= n && n < (2ULL << flog2(n))),
              "flog2(%llu)", (unsigned long long)n);
    }
    CHECK(clog2(~0ULL) == 64 && flog2(~0ULL) == 63 && flog2(0) == -1, "extremes");
    /* cdiv (32-bit division when it fits) against the 64-bit formula,
     * across the 2^31 boundary */
    const long vals[] = { 0, 1, 2, 3, 7, 4096, 65535, 1048576, 0x7fffffffL, 0x80000000L,
                          0x80000001L, 0xffffffffL, 0x100000000L, 0x123456789abL };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (size_t j = 1; j < sizeof vals / sizeof vals[0]; j++)
            for (long da = -1; da <= 1; da++) {
                long a = vals[i] + da, b = vals[j];
                if (a < 0)
                    continue;
                CHECK(cdiv(a, b) == (a + b - 1) / b, "cdiv(%ld, %ld) = %ld", a, b, cdiv(a, b));
            }
    /* popcount32 (SWAR) against a bit loop: 0..70000 and every single and
     * double bit */
    for (uint64_t n = 0; n < 70000 + 64 * 64; n++) {
        uint32_t v = n < 70000 ? (uint32_t)n : (1u << (n - 70000) / 64 % 32) | (1u << (n - 70000) % 32);
        int want = 0;
        for (uint32_t m = v; m; m >>= 1)
            want += m & 1;
        CHECK(popcount32(v) == want, "popcount32(%u) = %d, want %d", v, popcount32(v), want);
    }
    CHECK(popcount32(0xffffffffu) == 32, "popcount32(all ones)");
}

/* Each FP row of formats.def: its width is its sf_format's, and the sum
 * formats it claims to widen into exactly (acc_exact, acc_auto among them)
 * are those into which every one of its values converts and comes back
 * unchanged, tried on every bit pattern. Integer rows: act_width lanes. */
static void check_formats(void)
{
    for (int a = 0; a < ACT__COUNT; a++) {
        const struct act_format *af = &act_formats[a];
        CHECK(!strcmp(af->name, act_type_names[a]), "act format %d: name %s", a, af->name);
        if (af->k) {
            /* Block-scaled (issue 18's table): NVFP4 alone has blocks of 16
             * and a UE4M3 scale; the converter rounds into every sum
             * format; the lane is the element code. */
            int nv = !strcmp(af->name, "nvfp4");
            CHECK(af->sf == SF_NONE, "%s: no element-wise format", af->name);
            CHECK(af->k == (nv ? 16 : 32), "%s: block size %d", af->name, af->k);
            CHECK(af->scale == (nv ? MXS_UE4M3 : MXS_E8M0), "%s: scale kind", af->name);
            CHECK(af->acc_auto == ACC_FP32, "%s: acc_type=auto is fp32", af->name);
            for (int s = 0; s < ACC__COUNT; s++)
                CHECK((int)(af->acc_exact >> s & 1) == (acc_formats[s].sf != SF_NONE),
                      "%s: every sum format allowed", af->name);
            int want = strstr(af->name, "fp4") ? 4 : strstr(af->name, "fp6") ? 6 : 8;
            CHECK(af->width == want && mx_elem((enum mx_elem)af->elem)->bits == want,
                  "%s: %d-bit elements", af->name, want);
            continue;
        }
        CHECK(af->elem == MXE_NONE && af->scale == MXS_NONE, "%s: not block-scaled", af->name);
        if (af->sf == SF_NONE) {
            CHECK(af->width == 0, "%s: integer lanes are act_width bits", af->name);
            continue;
        }
        const struct sf_info *in = sf_info((enum sf_format)af->sf);
        CHECK(af->width == in->bits, "%s: width %d, format %d bits", af->name, af->width,
              in->bits);
        CHECK(af->acc_exact >> af->acc_auto & 1, "%s: acc_type=auto is not exact", af->name);
        for (int s = 0; s < ACC__COUNT; s++) {
            if (acc_formats[s].sf == SF_NONE)
                continue;
            enum sf_format sf = (enum sf_format)acc_formats[s].sf, f = (enum sf_format)af->sf;
            int exact = 1;
            for (uint32_t x = 0; x < (1u << in->bits) && exact; x++) {
                if (sf_is_nan(f, x))
                    continue;
                uint32_t y = sf_convert(sf, f, x);
                exact = sf_convert(f, sf, y) == x && !sf_is_nan(sf, y);
            }
            CHECK(exact == (int)(af->acc_exact >> s & 1), "%s into %s: exact %d, table says %d",
                  af->name, acc_formats[s].name, exact, (int)(af->acc_exact >> s & 1));
        }
    }
    for (int s = 0; s < ACC__COUNT; s++)
        CHECK(!strcmp(acc_formats[s].name, acc_type_names[s]), "acc format %d", s);
}

/* The sum format each (act_type, acc_type) pair derives (dp_finalize,
 * through actfmt.c's table of pairs), by hand from IEEE 754 and the OCP
 * formats: the sum's exponent, fraction and total bits, and the fraction
 * bits of an activation widened into it (0: not widened, or block-scaled).
 * A pair that does not widen exactly is an error. */
static void check_sum_formats(void)
{
    static const struct {
        const char *act, *acc;
        int ok, exp, man, bits, act_man, lane_in;
    } want[] = {
        { "fp16", "auto", 1, 5, 10, 16, 0, 16 },       { "fp16", "fp16", 1, 5, 10, 16, 0, 16 },
        { "fp16", "fp32", 1, 8, 23, 32, 10, 16 },      { "fp16", "bf16", 0, 0, 0, 0, 0, 0 },
        { "bf16", "auto", 1, 8, 7, 16, 0, 16 },        { "bf16", "fp32", 1, 8, 23, 32, 7, 16 },
        { "bf16", "fp16", 0, 0, 0, 0, 0, 0 },          { "fp8e4m3", "auto", 1, 5, 10, 16, 3, 8 },
        { "fp8e4m3", "bf16", 1, 8, 7, 16, 3, 8 },      { "fp8e4m3", "fp32", 1, 8, 23, 32, 3, 8 },
        { "fp8e5m2", "auto", 1, 5, 10, 16, 2, 8 },     { "fp8e5m2", "bf16", 1, 8, 7, 16, 2, 8 },
        { "fp8e5m2", "fp32", 1, 8, 23, 32, 2, 8 },     { "mxfp8e4m3", "auto", 1, 8, 23, 32, 0, 8 },
        { "mxfp4", "bf16", 1, 8, 7, 16, 0, 4 },        { "nvfp4", "fp16", 1, 5, 10, 16, 0, 4 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct design_point dp;
        dp_init(&dp);
        char a[40], c[40];
        snprintf(a, sizeof a, "act_type=%s", want[i].act);
        snprintf(c, sizeof c, "acc_type=%s", want[i].acc);
        char *sets[] = { "kind=tsign", a, c, "inputs=4", "max_cols=64" };
        CHECK(dp_apply_sets(&dp, sets, 5) == 0, "%s %s: apply sets", a, c);
        if (!want[i].ok)
            fprintf(stderr, "(expected) ");
        int errs = dp_finalize(&dp);
        CHECK((errs == 0) == want[i].ok, "%s %s: %d errors", a, c, errs);
        if (!want[i].ok)
            continue;
        const struct dp_derived *d = &dp.d;
        CHECK(d->fp && d->acc_exp == want[i].exp && d->acc_man == want[i].man &&
                  d->acc_bits == want[i].bits && (d->mx || d->term_bits == want[i].bits) &&
                  d->lane_bits == want[i].bits && d->act_man == want[i].act_man &&
                  d->lane_in_bits == want[i].lane_in,
              "%s %s: sum e%d m%d %d bits (lanes %d), act_man %d, lane_in %d", a, c, d->acc_exp,
              d->acc_man, d->acc_bits, d->lane_bits, d->act_man, d->lane_in_bits);
    }
}

/* An FP adder's operations (inventory.h: fpadd_ops_em, the significand's
 * part from a table up to 255 fraction bits) against their definition,
 * (p+3)(2 clog2(p+3)+1) + 3e for p = man + 1, clog2 by doubling. */
static void check_fpadd_ops(void)
{
    for (int man = 0; man < 300; man++) {
        int q = man + 4, lg = 0;
        while ((1 << lg) < q)
            lg++;
        for (int e = 2; e <= 11; e += 3)
            CHECK(fpadd_ops_em(e, man) == q * (2 * lg + 1) + 3 * e, "fpadd_ops_em(%d, %d) = %d",
                  e, man, fpadd_ops_em(e, man));
    }
}

int main(void)
{
    check_formats();
    check_sum_formats();
    check_fpadd_ops();
    struct design_point dp;
    check_logs();
    dp_init(&dp);
    CHECK(dp_finalize(&dp) == 0, "defaults must be valid");
    /* dp_copy copies every byte */
    struct design_point cp;
    memset(&cp, 0x5a, sizeof cp);
    dp_copy(&cp, &dp);
    CHECK(memcmp(&cp, &dp, sizeof dp) == 0, "dp_copy");
    /* dp_copy_params copies every byte before d (the parameters, src,
     * src_line), and finalizing the copy gives the whole point: sweeps
     * copy only that before dp_finalize */
    {
        struct design_point src, full;
        dp_init(&src);
        char *sets[] = { "mu=4", "luts=3", "keys=7", "act_type=fp16", "max_cols=300" };
        CHECK(dp_apply_sets(&src, sets, 5) == 0, "apply sets");
        src.src = "copy.xml";
        src.src_line = 12;
        CHECK(dp_finalize(&src) == 0, "finalize");
        memset(&cp, 0x5a, sizeof cp);
        dp_copy_params(&cp, &src);
        CHECK(memcmp(&cp, &src, offsetof(struct design_point, d)) == 0, "dp_copy_params");
        dp_copy(&full, &src);
        CHECK(dp_finalize(&cp) == 0 && dp_finalize(&full) == 0, "finalize the copies");
        CHECK(memcmp(&cp, &full, sizeof cp) == 0 && memcmp(&cp, &src, sizeof cp) == 0,
              "dp_copy_params + dp_finalize");
    }

    /* range checks (error messages go to stderr; the bad/ suite checks text) */
    const char *bad[][2] = { { "mu", "0" }, { "mu", "9" }, { "act_width", "1" },
                             { "act_width", "17" }, { "luts", "0" }, { "keys", "0" },
                             { "mu", "abc" }, { "mu", "3x" }, { "mu", "" }, { "mu", " 3" },
                             { "mu", "+3" }, { "kind", "tmux" }, { "nope", "1" },
                             { "acc_width", "65" }, { "max_rows", "0" },
                             { "mu", "99999999999999999999999" } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(try_set(bad[i][0], bad[i][1]) == -1, "%s=%s must be rejected", bad[i][0],
              bad[i][1]);
    const char *good[][2] = { { "mu", "1" }, { "mu", "8" }, { "act_width", "2" },
                              { "act_width", "16" }, { "acc_width", "0" },
                              { "acc_width", "64" }, { "kind", "tlut" } };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(try_set(good[i][0], good[i][1]) == 0, "%s=%s must be accepted", good[i][0],
              good[i][1]);

    /* derived widths, by hand: mu=3, w=8, L=4, K=5, max_cols=4096 */
    dp_init(&dp);
    char *sets[] = { "mu=3", "act_width=8", "luts=4", "keys=5", "max_cols=4096",
                     "max_rows=100" };
    CHECK(dp_apply_sets(&dp, sets, 6) == 0, "apply sets");
    CHECK(dp_finalize(&dp) == 0, "finalize");
    CHECK(dp.d.entries == 13, "entries %d", dp.d.entries);
    CHECK(dp.d.key_bits == 5, "key bits %d", dp.d.key_bits);            /* 13 -> 4 + sign */
    CHECK(dp.d.entry_bits == 10, "entry bits %d", dp.d.entry_bits);     /* |v| <= 3*128 */
    CHECK(dp.d.tree_levels == 2 && dp.d.tree_bits == 12, "tree %d %d", dp.d.tree_levels,
          dp.d.tree_bits);
    CHECK(dp.d.acc_bits == 21, "acc %d", dp.d.acc_bits);                /* 4096*128 = 2^19 */
    CHECK(dp.d.tile_cols == 12 && dp.d.act_bits == 96, "tile %d", dp.d.tile_cols);
    CHECK(dp.d.wgt_bits == 5 * 4 * 5, "wgt bits %d", dp.d.wgt_bits);
    CHECK(dp.d.res_bits == 5 * 21, "res bits %d", dp.d.res_bits);
    CHECK(dp.d.row_bits == 7 && dp.d.col_bits == 13, "row/col bits %d %d", dp.d.row_bits,
          dp.d.col_bits);
    CHECK(dp.d.buf_depth == 342 && dp.d.buf_addr_bits == 9, "buffer %d %d", dp.d.buf_depth,
          dp.d.buf_addr_bits);

    /* automatic accumulator: 2-bit activations, N <= 1 needs 2 bits (-2..2 -> 3) */
    dp_init(&dp);
    char *s2[] = { "act_width=2", "max_cols=1" };
    dp_apply_sets(&dp, s2, 2);
    CHECK(dp_finalize(&dp) == 0 && dp.d.acc_bits == 3, "acc %d", dp.d.acc_bits);

    /* A message names the point's own file:line, also when the last point
     * finalized had the same line and its name at the same address
     * (dp_finalize keeps the last location it formatted). */
    {
        static const char *const names[] = { "a.xml", "b.xml", "b.xml", "c.xml", "c.xml" };
        static const int lines[] = { 7, 7, 8, 8, 8 };
        char src[16];
        for (int i = 0; i < 5; i++) {
            struct strbuf sb = STRBUF_INIT, *old = tf_capture;
            int quiet = tf_quiet;
            dp_init(&dp);
            snprintf(src, sizeof src, "%s", names[i]);
            dp.src = src;
            dp.src_line = lines[i];
            dp.acc_width = 1; /* an error */
            tf_capture = &sb;
            tf_quiet = 1;
            dp_finalize(&dp);
            tf_capture = old;
            tf_quiet = quiet;
            char want[32];
            snprintf(want, sizeof want, "%s:%d: error:", names[i], lines[i]);
            CHECK(sb.buf && !strncmp(sb.buf, want, strlen(want)), "message %d: '%s', want '%s'",
                  i, sb.buf ? sb.buf : "", want);
            sb_release(&sb);
        }
    }

    /* inconsistent combinations */
    dp_init(&dp);
    char *s3[] = { "luts=4", "tree_stages=4" }; /* 2 levels -> at most 3 */
    dp_apply_sets(&dp, s3, 2);
    CHECK(dp_finalize(&dp) > 0, "tree_stages beyond levels+1 must fail");
    dp_init(&dp);
    char *s4[] = { "acc_width=1" };
    dp_apply_sets(&dp, s4, 1);
    CHECK(dp_finalize(&dp) > 0, "acc_width=1 must fail");
    dp_init(&dp);
    char *s5[] = { "act_width=16", "max_cols=1048576", "mu=8", "luts=513" };
    dp_apply_sets(&dp, s5, 4);
    CHECK(dp_finalize(&dp) > 0, "mu*luts > 4096 must fail");

    /* fingerprints: equal for equal points, different otherwise */
    struct design_point a, b;
    dp_init(&a);
    dp_init(&b);
    dp_finalize(&a);
    dp_finalize(&b);
    CHECK(dp_fingerprint(&a) == dp_fingerprint(&b), "fingerprint stable");
    dp_set(&b, "keys", "5", "t", "t");
    dp_finalize(&b);
    CHECK(dp_fingerprint(&a) != dp_fingerprint(&b), "fingerprint changes");

    /* a name prefix: a Verilog identifier; left out of descriptions and
     * fingerprints at its default (so unnamed cores keep their bytes),
     * in them otherwise */
    struct design_point c;
    dp_init(&c);
    CHECK(!strcmp(dp_prefix(&c), "tf"), "default prefix %s", dp_prefix(&c));
    const char *bad_names[] = { "9a", "a-b", "a b", "", "$x", "a$", "\\esc",
                                "abcdefghijklmnopqrstuvwxyz0123456" };
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        fprintf(stderr, "(expected) ");
        CHECK(dp_set(&c, "prefix", bad_names[i], "t", "t") < 0, "prefix '%s' accepted",
              bad_names[i]);
    }
    CHECK(dp_set(&c, "prefix", "tf", "t", "t") == 0, "prefix tf refused");
    dp_finalize(&c);
    CHECK(dp_fingerprint(&a) == dp_fingerprint(&c), "prefix=tf changes the fingerprint");
    const char *names[] = { "_x", "Core_2", "abcdefghijklmnopqrstuvwxyz012345", "core_b",
                           "Core_2" };
    uint64_t seen[5];
    for (int i = 0; i < 5; i++) {
        dp_init(&c);
        CHECK(dp_set(&c, "prefix", names[i], "t", "t") == 0, "prefix '%s' refused", names[i]);
        dp_finalize(&c);
        CHECK(!strcmp(dp_prefix(&c), names[i]), "prefix reads back %s, not %s", dp_prefix(&c),
              names[i]);
        char *dc = dp_describe_kind(&c, " "), key[64];
        snprintf(key, sizeof key, " prefix=%s", names[i]);
        CHECK(strstr(dc, key) != NULL, "describe lacks%s: %s", key, dc);
        free(dc);
        seen[i] = dp_fingerprint(&c);
        CHECK(seen[i] != dp_fingerprint(&a), "prefix %s leaves the fingerprint", names[i]);
        for (int j = 0; j < i; j++)
            CHECK((seen[j] == seen[i]) == !strcmp(names[i], names[j]),
                  "fingerprints of prefixes %s and %s", names[j], names[i]);
    }
    CHECK(dp_get(&c, &param_table[PI_prefix]) != 0, "Core_2 interned as the default");

    /* ports: at the default left out, like the prefix; else described */
    const char *port_sets[][3] = { { "interface", "native", "axis" },
                                   { "reset", "sync", "async_n" },
                                   { "reset", "sync", "sync_n" } };
    for (int i = 0; i < 3; i++) {
        dp_init(&c);
        dp_set(&c, port_sets[i][0], port_sets[i][1], "t", "t");
        dp_finalize(&c);
        CHECK(dp_fingerprint(&c) == dp_fingerprint(&a), "%s=%s changes the fingerprint",
              port_sets[i][0], port_sets[i][1]);
        dp_set(&c, port_sets[i][0], port_sets[i][2], "t", "t");
        dp_finalize(&c);
        CHECK(dp_fingerprint(&c) != dp_fingerprint(&a), "%s=%s leaves the fingerprint",
              port_sets[i][0], port_sets[i][2]);
    }
    fprintf(stderr, "(expected) ");
    dp_init(&c);
    dp_set(&c, "interface", "axis", "t", "t");
    dp_set(&c, "reset", "async_n", "t", "t");
    CHECK(dp_finalize(&c) > 0, "interface=axis with reset=async_n must fail");

    /* fixp with integer weights: the shift range is not described and
     * does not change the fingerprint; with pow2 weights it does */
    for (int pow2 = 0; pow2 < 2; pow2++) {
        struct design_point f, g;
        dp_init(&f);
        dp_set(&f, "kind", "fixp", "t", "t");
        dp_set(&f, "w_encoding", pow2 ? "pow2" : "int", "t", "t");
        dp_copy(&g, &f);
        dp_set(&g, "shift_min", "-5", "t", "t");
        dp_finalize(&f);
        dp_finalize(&g);
        char *df = dp_describe_kind(&f, " ");
        CHECK((strstr(df, "shift_min=") != NULL) == pow2, "w_encoding %d: shift_min", pow2);
        CHECK((strstr(df, "shift_max=") != NULL) == pow2, "w_encoding %d: shift_max", pow2);
        CHECK((dp_fingerprint(&f) != dp_fingerprint(&g)) == pow2,
              "w_encoding %d: shift_min and the fingerprint", pow2);
        free(df);
    }

    /* every parameter is in the description, by name (names and ports
     * when not at their default) */
    dp_set(&a, "prefix", "p", "t", "t");
    dp_set(&a, "interface", "axis", "t", "t");
    dp_set(&a, "reset", "sync_n", "t", "t");
    dp_set(&a, "mem_style", "sram", "t", "t");
    dp_set(&a, "lut_build", "direct", "t", "t");
    dp_set(&a, "batch", "2", "t", "t");
    dp_set(&a, "weight_store", "dense", "t", "t");
    dp_set(&a, "w_encoding", "pow2", "t", "t");
    char *d = dp_describe(&a, " ");
    for (int i = 0; i < param_count; i++) {
        char key[40];
        snprintf(key, sizeof key, "%s=", param_table[i].name);
        CHECK(strstr(d, key) != NULL, "describe lacks %s", param_table[i].name);
        CHECK(param_find(param_table[i].name) == &param_table[i], "find %s",
              param_table[i].name);
    }
    free(d);
    dp_init(&a);
    d = dp_describe(&a, " ");
    CHECK(strstr(d, "prefix=") == NULL, "the default prefix is described");
    /* mem_style (PARAM_BUILD) at its default: not described, and the
     * fingerprint of the points before it existed; sram changes it */
    CHECK(strstr(d, "mem_style=") == NULL, "the default mem_style is described");
    CHECK(strstr(d, "lut_build=") == NULL, "the default lut_build is described");
    CHECK(strstr(d, "batch=") == NULL, "the default batch is described");
    CHECK(strstr(d, "weight_store=") == NULL, "the default weight_store is described");
    free(d);
    {
        struct design_point m;
        dp_init(&m);
        uint64_t before = dp_fingerprint(&m);
        dp_set(&m, "mem_style", "flops", "t", "t");
        CHECK(dp_fingerprint(&m) == before, "mem_style=flops changes the fingerprint");
        dp_set(&m, "mem_style", "sram", "t", "t");
        CHECK(dp_fingerprint(&m) != before, "mem_style=sram keeps the fingerprint");
        dp_init(&m);
        dp_set(&m, "lut_build", "shared", "t", "t");
        CHECK(dp_fingerprint(&m) == before, "lut_build=shared changes the fingerprint");
        dp_set(&m, "lut_build", "direct", "t", "t");
        CHECK(dp_fingerprint(&m) != before, "lut_build=direct keeps the fingerprint");
        /* batch (PARAM_QINT) likewise */
        dp_init(&m);
        dp_set(&m, "batch", "1", "t", "t");
        CHECK(dp_fingerprint(&m) == before, "batch=1 changes the fingerprint");
        dp_set(&m, "batch", "4", "t", "t");
        CHECK(dp_fingerprint(&m) != before, "batch=4 keeps the fingerprint");
    }
    printf("test_dp: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
