/* cosim.c - run the generated RTL under Verilator or iverilog.
 *
 * Phases: plan the build (the design's files and the harness, generated
 * in memory; the exact compile command; the tool's version), find it in
 * the cache or build it, write the stimulus, run the harness, read the
 * result beats back (the caller compares them with the C model).
 * The cache key hashes the whole plan, and an entry is reused only when
 * every input file is byte-identical too, so a stale binary can never be
 * run. Entries are built in a temporary directory and renamed into place
 * (safe under concurrency).
 * Stimulus: cfg.txt ("M N" per job), act.hex and wgt.hex (one beat per
 * line); the harness writes res.txt ("cycle last hex" per result beat). */
#define _POSIX_C_SOURCE 200809L
#include "cosim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gen/vw.h"
#include "embedded.h"
#include "../model/kind.h"
#include "tools.h"
#include "util.h"
#include "version.h"

static const char *sim_name(enum simulator s)
{
    return s == SIM_VERILATOR ? "verilator" : "iverilog";
}

/* Read an RTL directory (its files.f and every file it lists). */
static int read_rtl_dir(const char *dir, struct gen_files *gf)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/files.f", dir);
    char *list = read_file(p.buf, NULL);
    sb_release(&p);
    if (!list)
        return -1;
    int rc = 0;
    for (char *line = strtok(list, "\n"); line && !rc; line = strtok(NULL, "\n")) {
        /* the names go to the simulator's command file: no options, no $(...) */
        if (!*line || strchr("-+.", line[0]) ||
            strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
                strlen(line)) {
            rc = error("%s/files.f: error: expected plain file names (letters, digits, '_', "
                       "'.', '-'), got '%s'", dir, tq(line));
            break;
        }
        struct strbuf f = STRBUF_INIT;
        sb_addf(&f, "%s/%s", dir, line);
        char *t = read_file(f.buf, NULL);
        sb_release(&f);
        if (!t)
            rc = -1;
        else
            gf_add(gf, line, t);
    }
    if (!rc) {
        struct strbuf fl = STRBUF_INIT;
        for (int i = 0; i < gf->n; i++)
            sb_addf(&fl, "%s\n", gf->name[i]);
        gf_add(gf, "files.f", sb_detach(&fl));
    }
    free(list);
    return rc;
}

/* ------------------------------------------------------------ build plan */

/* The first line the tool prints about its version, asked once per
 * process; "not found" when it cannot be run (the build then fails and
 * says so). */
static const char *tool_version(enum simulator s)
{
    static char *version[2];
    static int asked[2];
    if (!asked[s]) {
        char *vl[] = { "verilator", "--version", NULL }, *iv[] = { "iverilog", "-V", NULL };
        version[s] = cmd_first_line(s == SIM_VERILATOR ? vl : iv);
        asked[s] = 1;
    }
    return version[s] ? version[s] : "not found";
}

/* Paths are relative to the build directory, where the command runs. */
static void verilator_argv(struct args *a, int trace, const char *tb)
{
    static const char *const fixed[] = {
        "verilator", "--cc", "--exe", "--build", "-j", "2", "-O3",
        "--x-assign", "unique", "--x-initial", "unique",
        "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", "tf_top",
        "-MAKEFLAGS", "OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O1",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        args_add(a, fixed[i]);
    if (trace)
        args_add(a, "--trace");
    /* -o is relative to --Mdir: the executable lands next to the inputs */
    static const char *const files[] = { "--Mdir", "obj", "-o", "../Vsim", "-F", "files.f" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        args_add(a, files[i]);
    args_add(a, tb);
}

static void iverilog_argv(struct args *a, const struct design_point *dp, const char *tb)
{
    args_add(a, "iverilog");
    args_add(a, "-g2005");
    args_add(a, "-s");
    args_add(a, "tf_tb");
    args_add(a, "-o");
    args_add(a, "sim.vvp");
    args_addf(a, "-Ptf_tb.ROW_BITS=%d", dp->d.row_bits);
    args_addf(a, "-Ptf_tb.COL_BITS=%d", dp->d.col_bits);
    args_addf(a, "-Ptf_tb.ACT_BITS=%d", dp->d.act_bits);
    args_addf(a, "-Ptf_tb.WGT_BITS=%d", dp->d.wgt_bits);
    args_addf(a, "-Ptf_tb.RES_BITS=%d", dp->d.res_bits);
    args_add(a, "-f");
    args_add(a, "files.f");
    args_add(a, tb);
}

int sim_plan_init(struct sim_plan *p, const struct design_point *dp, enum simulator sim,
                  int trace, const char *rtl_dir)
{
    memset(p, 0, sizeof *p);
    p->sim = sim;
    gf_init(&p->files);
    if (rtl_dir ? read_rtl_dir(rtl_dir, &p->files) : generate(dp, &p->files, NULL)) {
        gf_free(&p->files);
        return -1;
    }
    const char *tb = sim == SIM_VERILATOR ? "tb_verilator.cpp" : "tb_iverilog.v";
    const char *tbt = template_text(tb);
    if (!tbt)
        BUG("no embedded %s", tb);
    gf_add(&p->files, tb, xstrdup(tbt));
    if (sim == SIM_VERILATOR)
        verilator_argv(&p->argv, trace, tb);
    else
        iverilog_argv(&p->argv, dp, tb);
    p->exe = sim == SIM_VERILATOR ? "Vsim" : "sim.vvp";
    p->tool_version = tool_version(sim);
    p->key = sim_plan_key(p);
    return 0;
}

/* Every part is NUL-terminated, so no two different plans hash the same
 * byte string. */
uint64_t sim_plan_key(const struct sim_plan *p)
{
    uint64_t h = FNV1A64_INIT;
    h = fnv1a64("ternforge " TF_VERSION, sizeof("ternforge " TF_VERSION), h);
    h = fnv1a64(p->tool_version, strlen(p->tool_version) + 1, h);
    for (int i = 0; i < p->argv.n; i++)
        h = fnv1a64(p->argv.v[i], strlen(p->argv.v[i]) + 1, h);
    for (int i = 0; i < p->files.n; i++) {
        h = fnv1a64(p->files.name[i], strlen(p->files.name[i]) + 1, h);
        h = fnv1a64(p->files.text[i], strlen(p->files.text[i]) + 1, h);
    }
    return h;
}

void sim_plan_free(struct sim_plan *p)
{
    gf_free(&p->files);
    args_free(&p->argv);
}

/* ------------------------------------------------------------ the cache */

static int same_file(const char *path, const char *text)
{
    size_t n;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    fclose(fp);
    char *t = read_file(path, &n);
    int same = t && n == strlen(text) && !memcmp(t, text, n);
    free(t);
    return same;
}

/* The one place that decides whether an entry may be used: its executable
 * exists and every input file is byte-identical to the plan's. (A check of
 * the entry's own content belongs here too.) */
static int cache_hit(const struct sim_plan *p, const char *dir)
{
    struct strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/%s", dir, p->exe);
    int hit = access(path.buf, R_OK) == 0;
    for (int i = 0; hit && i < p->files.n; i++) {
        path.len = 0;
        sb_addf(&path, "%s/%s", dir, p->files.name[i]);
        hit = same_file(path.buf, p->files.text[i]);
    }
    sb_release(&path);
    return hit;
}

/* Write the plan's inputs into tmp and run its command there. */
static int compile_in(const struct sim_plan *p, const char *tmp, int verbose)
{
    if (gf_write(&p->files, tmp))
        return -1;
    struct strbuf log = STRBUF_INIT;
    sb_addf(&log, "%s/build.log", tmp);
    int rc = run_cmd_in(tmp, p->argv.v, log.buf, verbose);
    if (rc != 0) {
        error("%s: error: %s failed to build the design (status %d); log: %s",
              tf_progname, sim_name(p->sim), rc, log.buf);
        show_log(log.buf, 20);
    }
    sb_release(&log);
    return rc ? -1 : 0;
}

/* Build into a fresh directory under root and rename it to `dir`: an entry
 * appears whole or not at all. A failed build's directory is kept for its
 * log. */
static int cache_build(const struct sim_plan *p, const char *root, const char *dir,
                       int verbose)
{
    if (mkdir_p(root))
        return -1;
    struct strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s/tmp-XXXXXX", root);
    if (!mkdtemp(tmp.buf)) {
        error("%s: error: cannot create a build directory: %s", tmp.buf, strerror(errno));
        sb_release(&tmp);
        return -1;
    }
    int slot = tmp_register(tmp.buf, 1); /* removed on a signal during the build */
    int rc = compile_in(p, tmp.buf, verbose);
    tmp_forget(slot); /* published below, or kept with the build log */
    /* Publish: if another process won the race, use its entry. */
    if (!rc && rename(tmp.buf, dir) != 0 && remove_tree(tmp.buf))
        warning("%s: warning: could not remove %s", tf_progname, tmp.buf);
    sb_release(&tmp);
    return rc;
}

/* Build (or find in the cache) the simulator executable for dp; returns
 * the directory holding it, or NULL. */
static char *build_sim(const struct design_point *dp, enum simulator sim, int trace,
                       int verbose, const char *rtl_dir)
{
    struct sim_plan p;
    if (sim_plan_init(&p, dp, sim, trace, rtl_dir))
        return NULL;
    char *root = cache_root();
    struct strbuf dir = STRBUF_INIT;
    sb_addf(&dir, "%s/sim-%016llx", root, (unsigned long long)p.key);
    int rc = cache_hit(&p, dir.buf) ? 0 : cache_build(&p, root, dir.buf, verbose);
    sim_plan_free(&p);
    free(root);
    if (rc) {
        sb_release(&dir);
        return NULL;
    }
    return sb_detach(&dir);
}

/* ---------------------------------------------------------------- a run */

/* The files of one run, in a work directory. */
enum { F_CFG, F_ACT, F_WGT, F_RES, F_LOG, F_COUNT };
struct work {
    struct strbuf dir;
    int temporary; /* made here: removed after a successful run */
    int slot;      /* tmp_register()ed: removed on a signal */
    struct strbuf path[F_COUNT];
};

static int work_open(struct work *w, const char *keep)
{
    static const char *const names[F_COUNT] = { "cfg.txt", "act.hex", "wgt.hex", "res.txt",
                                                "run.log" };
    memset(w, 0, sizeof *w);
    w->temporary = !keep;
    w->slot = -1;
    if (keep) {
        sb_adds(&w->dir, keep);
        if (mkdir_p(w->dir.buf)) {
            sb_release(&w->dir);
            return -1;
        }
    } else {
        const char *t = getenv("TMPDIR");
        sb_addf(&w->dir, "%s/ternforge-run-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(w->dir.buf)) {
            error("%s: error: cannot create a work directory: %s", tf_progname,
                  strerror(errno));
            sb_release(&w->dir);
            return -1;
        }
        w->slot = tmp_register(w->dir.buf, 1);
    }
    for (int i = 0; i < F_COUNT; i++)
        sb_addf(&w->path[i], "%s/%s", w->dir.buf, names[i]);
    return 0;
}

/* A failed run keeps its files for the error message that names them. */
static void work_close(struct work *w, int ok)
{
    tmp_forget(w->slot); /* removed below, or kept for inspection */
    if (w->temporary && ok) {
        for (int i = 0; i < F_COUNT; i++)
            unlink(w->path[i].buf);
        rmdir(w->dir.buf);
    }
    for (int i = 0; i < F_COUNT; i++)
        sb_release(&w->path[i]);
    sb_release(&w->dir);
}

/* cfg.txt, act.hex, wgt.hex: every column of every problem is one job. The
 * number of result beats the core must return goes to *beats. */
static int write_stimulus(const struct design_point *dp, const struct job_set *js,
                          const struct work *w, int *beats)
{
    const struct kind_ops *k = kind_get(dp);
    int K = dp->d.outputs;
    struct strbuf cfg = STRBUF_INIT, act = STRBUF_INIT, wgt = STRBUF_INIT;
    *beats = 0;
    for (int i = 0; i < js->n; i++) {
        struct strbuf wb = STRBUF_INIT;
        k->pack_weights(dp, &js->W[i], &wb);
        for (int b = 0; b < js->X[i].cols; b++) {
            sb_addf(&cfg, "%d %d\n", js->W[i].rows, js->W[i].cols);
            k->pack_acts(dp, &js->X[i], b, &act);
            sb_add(&wgt, wb.buf, wb.len);
            *beats += (js->W[i].rows + K - 1) / K;
        }
        sb_release(&wb);
    }
    int rc = -1;
    if (!write_file_atomic(w->path[F_CFG].buf, cfg.buf ? cfg.buf : "", cfg.len) &&
        !write_file_atomic(w->path[F_ACT].buf, act.buf ? act.buf : "", act.len) &&
        !write_file_atomic(w->path[F_WGT].buf, wgt.buf ? wgt.buf : "", wgt.len)) {
        unlink(w->path[F_RES].buf); /* a stale one must not pass for this run's */
        rc = 0;
    }
    sb_release(&cfg);
    sb_release(&act);
    sb_release(&wgt);
    return rc;
}

/* Run the compiled harness in bdir on the stimulus; the cycle count it
 * reports goes to stats. */
static int run_harness(const char *bdir, const struct cosim_opts *o, const struct work *w,
                       struct cosim_stats *stats)
{
    struct args a = ARGS_INIT;
    if (o->sim == SIM_VERILATOR) {
        args_addf(&a, "%s/Vsim", bdir);
        args_add(&a, "+verilator+rand+reset+2");
        args_addf(&a, "+verilator+seed+%llu", (unsigned long long)(o->seed % 1000000 + 1));
    } else {
        args_add(&a, "vvp");
        args_add(&a, "-n");
        args_addf(&a, "%s/sim.vvp", bdir);
    }
    args_addf(&a, "+cfg=%s", w->path[F_CFG].buf);
    args_addf(&a, "+act=%s", w->path[F_ACT].buf);
    args_addf(&a, "+wgt=%s", w->path[F_WGT].buf);
    args_addf(&a, "+res=%s", w->path[F_RES].buf);
    args_addf(&a, "+seed=%llu", (unsigned long long)o->seed);
    args_addf(&a, "+stall=%d", o->stall);
    if (o->vcd)
        args_addf(&a, "+vcd=%s", o->vcd);
    const char *log = w->path[F_LOG].buf;
    double t1 = wall_seconds();
    int st = run_cmd(a.v, log, o->verbose);
    stats->sim_seconds = wall_seconds() - t1;
    args_free(&a);
    char *logt = read_file(log, NULL);
    const char *c = logt ? strstr(logt, "harness: ") : NULL;
    long cyc = -1;
    if (c && sscanf(c, "harness: %ld cycles", &cyc) != 1)
        cyc = -1;
    stats->cycles = cyc;
    int failed = st != 0 || (logt && strstr(logt, "TIMEOUT")) || cyc < 0;
    free(logt);
    if (failed) {
        error("%s: error: simulation failed (status %d); log: %s", tf_progname, st, log);
        show_log(log, 10);
        return -1;
    }
    return 0;
}

/* One result beat "cycle last hex" into row group r of column b. 0, or -1
 * when the beat is malformed or its last flag is wrong. */
static int read_beat(const struct design_point *dp, const char **q, int r, int R, int b,
                     struct matrix *Y, int *beat_cycle, int64_t *vals)
{
    int K = dp->d.outputs, M = Y->rows, B = Y->cols;
    long cyc;
    int last, off = 0;
    if (sscanf(*q, "%ld %d %n", &cyc, &last, &off) != 2 || !off)
        return -1;
    *q += off;
    size_t hn = strcspn(*q, " \n");
    if (unpack_result_beat(dp, *q, hn, vals) || last != (r == R - 1))
        return -1;
    *q += hn;
    if (**q == '\n')
        (*q)++;
    for (int kk = 0; kk < K; kk++) {
        int row = r * K + kk;
        if (row < M) {
            MAT(Y, row, b) = vals[kk];
            if (beat_cycle)
                beat_cycle[row * B + b] = (int)cyc;
        }
    }
    return 0;
}

/* Read result beats back in job order into Y[i] (and beat_cycle[i]). */
static int read_results(const struct design_point *dp, const struct job_set *js,
                        const struct work *w, int beats, struct matrix *Y, int **beat_cycle)
{
    int K = dp->d.outputs;
    char *res = read_file(w->path[F_RES].buf, NULL);
    if (!res)
        return -1;
    int64_t *vals = xmalloc((size_t)K * sizeof *vals);
    const char *q = res;
    int seen = 0, bad = 0;
    for (int i = 0; i < js->n && !bad; i++) {
        int M = js->W[i].rows, B = js->X[i].cols, R = (M + K - 1) / K;
        mat_init(&Y[i], M, B);
        if (dp->d.fp)
            Y[i].hex_digits = dp->d.lane_bits / 4;
        if (beat_cycle)
            beat_cycle[i] = xcalloc((size_t)M * (size_t)B, sizeof(int));
        for (int b = 0; b < B && !bad; b++)
            for (int r = 0; r < R && !bad; r++) {
                bad = read_beat(dp, &q, r, R, b, &Y[i], beat_cycle ? beat_cycle[i] : NULL,
                                vals) != 0;
                seen += !bad;
            }
    }
    free(vals);
    free(res);
    if (bad || seen != beats)
        return error("%s: error: the simulation returned %d well-formed result beats, "
                     "expected %d (res_last must close each job); see %s", tf_progname,
                     seen, beats, w->path[F_RES].buf);
    return 0;
}

int cosim_run(const struct design_point *dp, const struct job_set *js,
              const struct cosim_opts *o, struct matrix *Y, struct cosim_stats *stats,
              int **beat_cycle)
{
    struct cosim_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    double t0 = wall_seconds();
    char *bdir = build_sim(dp, o->sim, o->vcd != NULL, o->verbose, o->rtl_dir);
    if (!bdir)
        return -1;
    stats->build_seconds = wall_seconds() - t0;
    struct work w;
    if (work_open(&w, o->work)) {
        free(bdir);
        return -1;
    }
    int beats, rc = -1;
    if (!write_stimulus(dp, js, &w, &beats) && !run_harness(bdir, o, &w, stats) &&
        !read_results(dp, js, &w, beats, Y, beat_cycle))
        rc = 0;
    work_close(&w, rc == 0);
    free(bdir);
    return rc;
}
