/* test_activity.c - the toggle counter and the stimulus of sim/activity.c.
 *   * vcd_count on a VCD written by hand below, whose every expected count
 *     and time at 1 was worked out by hand from the waveform (the comment
 *     beside each change says what it does): the scope filter (a variable
 *     of the same name outside the scope is not counted), aliases (two
 *     names, one identifier), vectors with a descending and an offset
 *     range, short vector values (left-extended), x (no toggle into or out
 *     of it), two changes at one time stamp (no toggle), the window from
 *     the reset's fall, the clock's rising edges as cycles;
 *   * damaged and hostile VCDs fail with an error, not a count;
 *   * the stimulus: the zero fraction of the weights within 4.5 sigma of
 *     the asked one (0, 1/3, 2/3, 1), +1 and -1 balanced, integer
 *     activations in range with the documented spread (gauss: sd amax/4;
 *     uniform: (amax-amin+1)/sqrt(12)), FP16 gauss with sd 1, enough
 *     cycles, the same stimulus for the same seed and another for another.
 * Usage: test_activity [SEED] (the seed of the stimulus checks; printed).
 * Prints "test_activity: ok" when all pass. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../model/cost.h"
#include "../../model/kind.h"
#include "../../sim/activity.h"
#include "dp.h"
#include "softfloat.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

/* Window: the reset falls at 22, the file ends at 80: [22, 80].
 * Clock rises in the window at 30, 50, 70: 3 cycles. */
static const char hand_vcd[] =
    "$date today $end\n"
    "$timescale 1ps $end\n"
    "$scope module tf_tb $end\n"
    "$var wire 1 ! clk $end\n"             /* outside the scope: not counted */
    "$scope module dut $end\n"
    "$var wire 1 \" clk $end\n"
    "$var wire 1 # rst $end\n"
    "$var wire 1 $ a $end\n"
    "$var wire 3 % v [2:0] $end\n"
    "$var wire 1 & n $end\n"
    "$var wire 1 $ a_alias $end\n"         /* the same identifier as a */
    "$var wire 2 ' w [4:3] $end\n"
    "$var wire 1 ) q[7] $end\n"            /* name and bit in one token */
    "$upscope $end\n"
    "$var wire 1 ( outside $end\n"
    "$upscope $end\n"
    "$enddefinitions $end\n"
    "#0\n$dumpvars\n0\"\n1#\nx$\nbx %\n0&\nb00 '\n1(\n0!\n0)\n$end\n"
    "#10\n1\"\n1!\n"                       /* before the window */
    "#20\n0\"\n1&\n0$\n1)\n"               /* n 0->1, q 0->1 before the window; a x->0 */
    "#22\n0#\nb01 '\n"                     /* reset falls: the window opens; w[3]
                                              0->1 at its opening: not inside */
    "#30\n1\"\n1$\nb101 %\n0(\n"           /* cycle 1; a 0->1; v x->101: no toggle */
    "#40\n0\"\n0$\nb1 %\n"                 /* a 1->0; v -> 001: v[2] 1->0 */
    "#50\n1\"\n1$\n0$\n0&\nb10 '\n"        /* cycle 2; a 0->1->0 at one stamp: none;
                                              n 1->0; w[4] 0->1, w[3] 1->0 */
    "#60\n0\"\nbx10 %\n"                   /* v[2] 0->x: none; v[1] 0->1; v[0] 1->0 */
    "#70\n1\"\nb110 %\n"                   /* cycle 3; v[2] x->1: none */
    "#80\n0\"\n";

struct expect {
    const char *name;
    long toggles;
    double high;
};
static const struct expect hand_expect[] = {
    { "clk", 6, 30 },  /* 30, 40, 50, 60, 70, 80; high 30-40, 50-60, 70-80 */
    { "rst", 0, 0 },   /* its fall opens the window: not inside it */
    { "a", 2, 10 },    /* high 30-40 */
    { "a_alias", 2, 10 },
    { "v[2]", 1, 20 }, /* high 30-40 and 70-80 */
    { "v[1]", 1, 20 }, /* high 60-80 */
    { "v[0]", 1, 30 }, /* high 30-60 */
    { "n", 1, 28 },    /* high 22-50 (from 20, clipped to the window) */
    { "w[4]", 1, 30 }, /* high 50-80 */
    { "w[3]", 1, 28 }, /* high 22-50 */
    { "q[7]", 0, 58 }, /* high all the window */
};
#define NEXPECT ((int)(sizeof hand_expect / sizeof hand_expect[0]))

static char tmpdir[] = "/tmp/test_activity.XXXXXX";

static const char *write_vcd(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f))
        die("test_activity: cannot write %s", path);
    return path;
}

static void hand_counts(void)
{
    struct vcd_counts c;
    const char *p = write_vcd("hand.vcd", hand_vcd);
    if (vcd_count(p, "tf_tb.dut", "clk", "rst", &c)) {
        CHECK(0, "the hand-written VCD was refused");
        return;
    }
    CHECK(c.cycles == 3, "cycles %ld, expected 3", c.cycles);
    CHECK(c.t0 == 22 && c.t1 == 80, "window [%g, %g], expected [22, 80]", c.t0, c.t1);
    CHECK(c.n == NEXPECT, "%d nets, expected %d (outside the scope counted?)", c.n, NEXPECT);
    for (int e = 0; e < NEXPECT; e++) {
        int found = 0;
        for (int i = 0; i < c.n; i++) {
            if (strcmp(c.net[i].name, hand_expect[e].name))
                continue;
            found++;
            CHECK(c.net[i].toggles == hand_expect[e].toggles, "%s: %ld toggles, expected %ld",
                  hand_expect[e].name, c.net[i].toggles, hand_expect[e].toggles);
            CHECK(c.net[i].high == hand_expect[e].high, "%s: %g at 1, expected %g",
                  hand_expect[e].name, c.net[i].high, hand_expect[e].high);
        }
        CHECK(found == 1, "net %s found %d times", hand_expect[e].name, found);
    }
    vcd_counts_free(&c);
}

static void hostile(void)
{
    static const struct {
        const char *name, *text;
    } bad[] = {
        { "empty", "" },
        { "no enddefinitions", "$scope module tf_tb $end\n$scope module dut $end\n" },
        { "no reset", "$scope module tf_tb $end $scope module dut $end\n"
                      "$var wire 1 ! clk $end $upscope $end $upscope $end\n"
                      "$enddefinitions $end\n#0\n0!\n" },
        { "reset never falls", "$scope module tf_tb $end $scope module dut $end\n"
                               "$var wire 1 ! clk $end $var wire 1 # rst $end\n"
                               "$upscope $end $upscope $end $enddefinitions $end\n#0\n1#\n" },
        { "time goes back", "$scope module tf_tb $end $scope module dut $end\n"
                            "$var wire 1 ! clk $end $var wire 1 # rst $end\n"
                            "$upscope $end $upscope $end $enddefinitions $end\n"
                            "#5\n1#\n#3\n0#\n" },
        { "change before time", "$scope module tf_tb $end $scope module dut $end\n"
                                "$var wire 1 ! clk $end $var wire 1 # rst $end\n"
                                "$upscope $end $upscope $end $enddefinitions $end\n0#\n" },
        { "bad width", "$scope module tf_tb $end $scope module dut $end\n"
                       "$var wire 0 ! clk $end $upscope $end $upscope $end\n"
                       "$enddefinitions $end\n" },
        { "range misfits", "$scope module tf_tb $end $scope module dut $end\n"
                           "$var wire 4 ! v [2:0] $end $upscope $end $upscope $end\n"
                           "$enddefinitions $end\n" },
        { "var cut", "$scope module tf_tb $end $scope module dut $end\n$var wire 1 ! clk" },
        { "garbage body", "$scope module tf_tb $end $scope module dut $end\n"
                          "$var wire 1 ! clk $end $var wire 1 # rst $end\n"
                          "$upscope $end $upscope $end $enddefinitions $end\n#0\n?!\n" },
        { "bad vector", "$scope module tf_tb $end $scope module dut $end\n"
                        "$var wire 1 ! clk $end $var wire 2 # rst $end\n"
                        "$upscope $end $upscope $end $enddefinitions $end\n#0\nb2 #\n" },
        { "upscope at top", "$upscope $end\n$enddefinitions $end\n" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct vcd_counts c;
        tf_quiet++;
        int rc = vcd_count(write_vcd("bad.vcd", bad[i].text), "tf_tb.dut", "clk", "rst", &c);
        tf_quiet--;
        CHECK(rc == -1, "%s: accepted", bad[i].name);
        if (!rc)
            vcd_counts_free(&c);
    }
    struct vcd_counts c;
    tf_quiet++;
    CHECK(vcd_count("/nonexistent/x.vcd", "tf_tb.dut", "clk", "rst", &c) == -1,
          "a missing file was accepted");
    tf_quiet--;
}

static void load(struct design_point *dp, const char *const *sets, int n)
{
    dp_init(dp);
    if (dp_apply_sets(dp, (char **)sets, n) || dp_finalize(dp))
        die("test_activity: bad test point");
}

/* 4.5 sigma of a binomial fraction of n draws at p. */
static double band(double p, double n)
{
    return 4.5 * sqrt(p * (1 - p) / n) + 1e-12;
}

static void stimulus(uint64_t seed)
{
    static const char *const int8[] = { "kind=tlut", "act_width=8", "mu=3", "luts=2",
                                        "keys=4", "max_rows=64", "max_cols=64" };
    static const char *const fp16[] = { "kind=tsign", "act_type=fp16", "inputs=6", "keys=4",
                                        "max_rows=40", "max_cols=100" };
    struct design_point dp;
    load(&dp, int8, 7);
    const double zf[] = { 0, 1.0 / 3, 2.0 / 3, 1 };
    for (int z = 0; z < 4; z++) {
        for (int d = 0; d < 2; d++) {
            struct activity_opts ao = { seed, zf[z], (enum act_dist)d, 3000 };
            struct job_set js;
            activity_stimulus(&dp, &ao, &js);
            long zeros = 0, plus = 0, all = 0, n = 0;
            double s = 0, s2 = 0;
            int in_range = 1;
            for (int j = 0; j < js.n; j++) {
                const struct matrix *W = &js.W[j], *X = &js.X[j];
                CHECK(W->rows == 64 && W->cols == 64 && X->rows == 64 && X->cols == 1,
                      "job %d is %dx%d times %dx%d", j, W->rows, W->cols, X->rows, X->cols);
                for (int i = 0; i < W->rows * W->cols; i++) {
                    zeros += W->v[i] == 0;
                    plus += W->v[i] == 1;
                    in_range &= W->v[i] >= -1 && W->v[i] <= 1;
                    all++;
                }
                for (int i = 0; i < X->rows; i++) {
                    in_range &= X->v[i] >= -128 && X->v[i] <= 127;
                    s += (double)X->v[i];
                    s2 += (double)X->v[i] * (double)X->v[i];
                    n++;
                }
            }
            double fz = (double)zeros / (double)all;
            CHECK(fabs(fz - zf[z]) <= band(zf[z], (double)all),
                  "zeros %g: got a fraction %g of %ld weights", zf[z], fz, all);
            if (all > zeros)
                CHECK(fabs((double)plus / (double)(all - zeros) - 0.5) <=
                          band(0.5, (double)(all - zeros)),
                      "zeros %g: %ld of %ld non-zero weights are +1", zf[z], plus, all - zeros);
            CHECK(in_range, "a weight or an activation out of range");
            double sd = sqrt(s2 / (double)n - (s / (double)n) * (s / (double)n));
            double want = d == ACT_GAUSS ? 127.0 / 4 : 256 / sqrt(12.0);
            CHECK(fabs(sd - want) < 0.1 * want, "%s: activations have sd %g, expected %g",
                  act_dist_names[d], sd, want);
            CHECK(js.n * cost_job_cycles(&dp, 64, 64) >= 3000, "%d jobs are too few cycles",
                  js.n);
            activity_stimulus_free(&js);
        }
    }
    /* the seed decides the stimulus */
    struct activity_opts a1 = ACTIVITY_OPTS_INIT, a2 = ACTIVITY_OPTS_INIT;
    a1.seed = a2.seed = seed;
    struct job_set j1, j2;
    activity_stimulus(&dp, &a1, &j1);
    activity_stimulus(&dp, &a2, &j2);
    CHECK(j1.n == j2.n && !memcmp(j1.W[0].v, j2.W[0].v, 64 * 64 * sizeof *j1.W[0].v) &&
              !memcmp(j1.X[j1.n - 1].v, j2.X[j2.n - 1].v, 64 * sizeof *j1.X[0].v),
          "the same seed gave another stimulus");
    activity_stimulus_free(&j2);
    a2.seed = seed + 1;
    activity_stimulus(&dp, &a2, &j2);
    CHECK(memcmp(j1.W[0].v, j2.W[0].v, 64 * 64 * sizeof *j1.W[0].v),
          "seeds %" PRIu64 " and %" PRIu64 " gave the same weights", seed, seed + 1);
    activity_stimulus_free(&j1);
    activity_stimulus_free(&j2);

    /* FP16: N(0, 1) rounded to fp16 */
    load(&dp, fp16, 6);
    struct activity_opts af = { seed, 1.0 / 3, ACT_GAUSS, 2000 };
    activity_stimulus(&dp, &af, &j1);
    double s = 0, s2 = 0;
    long n = 0;
    for (int j = 0; j < j1.n; j++)
        for (int i = 0; i < j1.X[j].rows; i++) {
            double x = sf_to_double(SF_FP16, (uint32_t)j1.X[j].v[i]);
            s += x;
            s2 += x * x;
            n++;
        }
    CHECK(j1.W[0].rows == 40 && j1.W[0].cols == 64, "fp16 jobs are %dx%d, expected 40x64",
          j1.W[0].rows, j1.W[0].cols);
    double sd = sqrt(s2 / (double)n - (s / (double)n) * (s / (double)n));
    CHECK(fabs(sd - 1) < 0.1 && fabs(s / (double)n) < 0.1, "fp16: mean %g sd %g of %ld",
          s / (double)n, sd, n);
    activity_stimulus_free(&j1);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    printf("test_activity: seed %" PRIu64 "\n", seed);
    if (!mkdtemp(tmpdir))
        die("test_activity: mkdtemp");
    hand_counts();
    hostile();
    stimulus(seed);
    char path[300];
    snprintf(path, sizeof path, "%s/hand.vcd", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/bad.vcd", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    if (failures) {
        printf("test_activity: %d failures\n", failures);
        return 1;
    }
    printf("test_activity: ok\n");
    return 0;
}
