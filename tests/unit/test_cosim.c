/* test_cosim.c - the simulator build cache key (sim/cosim.c) covers the
 * exact command that compiles the design, and that command is the one run.
 *   * changing, dropping or adding any one argument of the Verilator and
 *     the iverilog command changes the key; so do --trace, one byte of any
 *     input file, a file's name and the tool version; argument boundaries
 *     count ("ab" "c" is not "a" "bc");
 *   * the key is a function of the plan alone: two plans of one point agree;
 *   * the command names no absolute path (an entry's key must not depend on
 *     its temporary build directory);
 *   * end to end, with fake `verilator` and `iverilog` first in PATH that
 *     record their arguments and fail: cosim_run runs exactly the planned
 *     argv, in the build directory.
 * No simulator is needed. Usage: test_cosim [SEED] (the seed is unused:
 * every check is exhaustive). Prints "test_cosim: ok" when all pass. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../model/kind.h"
#include "../../sim/cosim.h"
#include "dp.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

/* Replace argument i, drop it, and add one after the last: each must
 * change the key, and restoring the argument must restore it. */
static void each_argument_counts(struct sim_plan *p, const char *what)
{
    uint64_t key = sim_plan_key(p);
    CHECK(key == p->key, "%s: the stored key is not the plan's", what);
    for (int i = 0; i < p->argv.n; i++) {
        char *orig = p->argv.v[i], *changed = xstrdup(orig);
        CHECK(*orig, "%s: argument %d is empty", what, i);
        if (*changed)
            changed[strlen(changed) - 1] ^= 1; /* one bit of the last character */
        p->argv.v[i] = changed;
        CHECK(sim_plan_key(p) != key, "%s: argument %d '%s' changed, same key", what, i, orig);
        p->argv.v[i] = orig;
        free(changed);
        /* drop argument i */
        char **v = xmalloc((size_t)(p->argv.n + 1) * sizeof *v);
        for (int j = 0, m = 0; j <= p->argv.n; j++)
            if (j != i)
                v[m++] = p->argv.v[j];
        char **keep = p->argv.v;
        p->argv.v = v;
        p->argv.n--;
        CHECK(sim_plan_key(p) != key, "%s: argument %d '%s' dropped, same key", what, i, orig);
        p->argv.n++;
        p->argv.v = keep;
        free(v);
    }
    CHECK(sim_plan_key(p) == key, "%s: restored plan, different key", what);
    args_add(&p->argv, "-DEXTRA");
    CHECK(sim_plan_key(p) != key, "%s: an added argument, same key", what);
    free(p->argv.v[--p->argv.n]);
    p->argv.v[p->argv.n] = NULL;
    for (int i = 0; i < p->argv.n; i++)
        CHECK(p->argv.v[i][0] != '/', "%s: argument %d is an absolute path: %s", what, i,
              p->argv.v[i]);
}

/* One byte of each input file, and each file's name. */
static void each_file_counts(struct sim_plan *p, const char *what)
{
    uint64_t key = p->key;
    for (int i = 0; i < p->files.n; i++) {
        char *t = p->files.text[i], *name = p->files.name[i];
        size_t n = strlen(t);
        if (n) {
            t[n / 2] ^= 1;
            CHECK(sim_plan_key(p) != key, "%s: %s changed, same key", what, name);
            t[n / 2] ^= 1;
        }
        name[0] ^= 1;
        CHECK(sim_plan_key(p) != key, "%s: %s renamed, same key", what, name);
        name[0] ^= 1;
    }
    const char *tv = p->tool_version;
    p->tool_version = "another version";
    CHECK(sim_plan_key(p) != key, "%s: tool version changed, same key", what);
    p->tool_version = tv;
    CHECK(sim_plan_key(p) == key, "%s: restored files, different key", what);
}

static void plan_checks(const struct design_point *dp, enum simulator sim, const char *what)
{
    struct sim_plan a, b, t;
    if (sim_plan_init(&a, dp, sim, 0, NULL, NULL) || sim_plan_init(&b, dp, sim, 0, NULL, NULL) ||
        sim_plan_init(&t, dp, sim, 1, NULL, NULL)) {
        CHECK(0, "%s: cannot plan", what);
        return;
    }
    CHECK(a.key == b.key, "%s: two plans of one point differ", what);
    CHECK(a.argv.n > 0 && a.argv.v[a.argv.n] == NULL, "%s: argv not NULL-terminated", what);
    CHECK(!strcmp(a.argv.v[0], sim == SIM_VERILATOR ? "verilator" : "iverilog"),
          "%s: runs %s", what, a.argv.v[0]);
    if (sim == SIM_VERILATOR) {
        int traced = 0;
        for (int i = 0; i < t.argv.n; i++)
            traced += !strcmp(t.argv.v[i], "--trace");
        CHECK(traced == 1 && t.argv.n == a.argv.n + 1 && t.key != a.key,
              "%s: --trace must be in the command and the key", what);
    }
    each_argument_counts(&a, what);
    each_file_counts(&a, what);
    sim_plan_free(&a);
    sim_plan_free(&b);
    sim_plan_free(&t);
}

/* Argument boundaries are part of the key. */
static void boundaries(const struct design_point *dp)
{
    struct sim_plan p;
    if (sim_plan_init(&p, dp, SIM_IVERILOG, 0, NULL, NULL)) {
        CHECK(0, "boundaries: cannot plan");
        return;
    }
    args_add(&p.argv, "ab");
    args_add(&p.argv, "c");
    uint64_t k1 = sim_plan_key(&p);
    strcpy(p.argv.v[p.argv.n - 2], "a");
    free(p.argv.v[p.argv.n - 1]);
    p.argv.v[p.argv.n - 1] = xstrdup("bc");
    CHECK(sim_plan_key(&p) != k1, "\"ab\" \"c\" and \"a\" \"bc\" give one key");
    sim_plan_free(&p);
}

static void write_script(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0 || chmod(path, 0755) != 0)
        die("test_cosim: cannot write %s", path);
}

/* The fake tools print a version, or record their directory and arguments
 * (one per line) in $FAKE_LOG and fail, so no build is ever published. */
static const char fake_tool[] =
    "#!/bin/sh\n"
    "case \"$1\" in --version|-V) echo \"fake-tool 1.0\"; exit 0 ;; esac\n"
    "pwd > \"$FAKE_LOG\"\n"
    "for a in \"${0##*/}\" \"$@\"; do echo \"$a\"; done >> \"$FAKE_LOG\"\n"
    "exit 3\n";

static void runs_the_planned_argv(const struct design_point *dp, const char *tmp,
                                  enum simulator sim)
{
    struct strbuf logp = STRBUF_INIT, cache = STRBUF_INIT;
    sb_addf(&logp, "%s/args.txt", tmp);
    sb_addf(&cache, "%s/cache", tmp);
    unlink(logp.buf);
    struct sim_plan p;
    if (sim_plan_init(&p, dp, sim, 0, NULL, NULL))
        die("test_cosim: cannot plan");
    struct job_set js = { 0, NULL, NULL };
    struct cosim_opts o;
    memset(&o, 0, sizeof o);
    o.sim = sim;
    printf("test_cosim: a fake %s must fail the build (an error message follows on "
           "stderr)\n", p.argv.v[0]);
    fflush(stdout);
    int rc = cosim_run(dp, &js, &o, NULL, NULL, NULL);
    CHECK(rc == COSIM_TOOL, "a failing fake %s: cosim_run returned %d", p.argv.v[0], rc);
    char *rec = read_file(logp.buf, NULL);
    struct strbuf want = STRBUF_INIT;
    if (rec) {
        /* line 1: the directory it ran in, a build directory in the cache */
        size_t dl = strcspn(rec, "\n");
        CHECK(dl > cache.len + 5 && !strncmp(rec, cache.buf, cache.len) &&
                  !strncmp(rec + cache.len, "/tmp-", 5),
              "%s ran in %.*s, not in a build directory under %s", p.argv.v[0], (int)dl, rec,
              cache.buf);
        for (int i = 0; i < p.argv.n; i++)
            sb_addf(&want, "%s\n", p.argv.v[i]);
        CHECK(!strcmp(rec + dl + 1, want.buf),
              "the %s command run is not the planned one:\n%s--- planned:\n%s", p.argv.v[0],
              rec + dl + 1, want.buf);
    } else {
        CHECK(0, "the fake %s was not run", p.argv.v[0]);
    }
    free(rec);
    sb_release(&want);
    sb_release(&logp);
    sb_release(&cache);
    sim_plan_free(&p);
}

int main(int argc, char **argv)
{
    unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    printf("test_cosim: seed %llu (unused)\n", seed);
    char tmp[] = "/tmp/test_cosim.XXXXXX";
    if (!mkdtemp(tmp))
        die("test_cosim: mkdtemp failed");
    /* The fakes come first in PATH before any plan asks for a version. */
    struct strbuf bin = STRBUF_INIT, path = STRBUF_INIT, env = STRBUF_INIT;
    sb_addf(&bin, "%s/bin", tmp);
    if (mkdir_p(bin.buf))
        die("test_cosim: cannot create %s", bin.buf);
    for (int i = 0; i < 2; i++) {
        sb_addf(&path, "%s/%s", bin.buf, i ? "iverilog" : "verilator");
        write_script(path.buf, fake_tool);
        path.len = 0;
    }
    const char *old = getenv("PATH");
    sb_addf(&env, "%s:%s", bin.buf, old ? old : "/usr/bin:/bin");
    setenv("PATH", env.buf, 1);
    sb_release(&env);
    sb_addf(&env, "%s/args.txt", tmp);
    setenv("FAKE_LOG", env.buf, 1);
    sb_release(&env);
    sb_addf(&env, "%s/cache", tmp);
    setenv("TERNFORGE_CACHE", env.buf, 1);

    struct design_point dp;
    dp_init(&dp);
    if (dp_finalize(&dp))
        die("test_cosim: the default point is invalid");
    plan_checks(&dp, SIM_VERILATOR, "verilator");
    plan_checks(&dp, SIM_IVERILOG, "iverilog");
    boundaries(&dp);
    struct sim_plan v;
    if (sim_plan_init(&v, &dp, SIM_VERILATOR, 0, NULL, NULL))
        die("test_cosim: cannot plan");
    CHECK(!strcmp(v.tool_version, "fake-tool 1.0"), "tool version '%s' is not the fake's",
          v.tool_version);
    sim_plan_free(&v);
    runs_the_planned_argv(&dp, tmp, SIM_VERILATOR);
    runs_the_planned_argv(&dp, tmp, SIM_IVERILOG);

    sb_release(&env);
    sb_release(&bin);
    sb_release(&path);
    if (remove_tree(tmp))
        failures++;
    if (failures) {
        printf("test_cosim: %d failures\n", failures);
        return 1;
    }
    printf("test_cosim: ok\n");
    return 0;
}
