/* cosim.c - run the generated RTL under Verilator or iverilog.
 *
 * The design is generated in memory; its files plus the harness source
 * form the cache key: a cache entry is reused only when every file is
 * byte-identical, so a stale binary can never be run. Entries are built in
 * a temporary directory and renamed into place (safe under concurrency).
 * Stimulus: cfg.txt ("M N" per job), act.hex and wgt.hex (one beat per
 * line); the harness writes res.txt ("cycle last hex" per result beat). */
#define _POSIX_C_SOURCE 200809L
#include "cosim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../gen/vw.h"
#include "embedded.h"
#include "../model/kind.h"
#include "tools.h"
#include "util.h"
#include "version.h"

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

/* Part of the cache key: change them and every entry is rebuilt. */
#define VERILATOR_OPT "OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O1"
#define VERILATOR_FLAGS "-O3 --x-assign unique --x-initial unique " VERILATOR_OPT

static const char *sim_name(enum simulator s)
{
    return s == SIM_VERILATOR ? "verilator" : "iverilog";
}

/* Build (or find in the cache) the simulator executable for dp; returns
 * the directory holding it, or NULL. */
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

static char *build_sim(const struct design_point *dp, enum simulator sim, int trace,
                       int verbose, const char *rtl_dir)
{
    struct gen_files gf;
    gf_init(&gf);
    if (rtl_dir ? read_rtl_dir(rtl_dir, &gf) : generate(dp, &gf, NULL)) {
        gf_free(&gf);
        return NULL;
    }
    const char *tb = sim == SIM_VERILATOR ? "tb_verilator.cpp" : "tb_iverilog.v";
    const char *tbt = template_text(tb);
    if (!tbt)
        BUG("no embedded %s", tb);
    gf_add(&gf, tb, xstrdup(tbt));
    /* Flags are part of the content: a different build is a different entry. */
    struct strbuf flags = STRBUF_INIT;
    sb_addf(&flags, "ternforge %s %s trace=%d flags=%s\n", TF_VERSION, sim_name(sim), trace,
            sim == SIM_VERILATOR ? VERILATOR_FLAGS : "-g2005");
    gf_add(&gf, "build.txt", sb_detach(&flags));

    uint64_t h = FNV1A64_INIT;
    for (int i = 0; i < gf.n; i++) {
        h = fnv1a64(gf.name[i], strlen(gf.name[i]) + 1, h);
        h = fnv1a64(gf.text[i], strlen(gf.text[i]), h);
    }
    char *root = cache_root();
    struct strbuf dir = STRBUF_INIT;
    sb_addf(&dir, "%s/sim-%016llx", root, (unsigned long long)h);
    const char *exe = sim == SIM_VERILATOR ? "Vsim" : "sim.vvp";
    struct strbuf exep = STRBUF_INIT;
    sb_addf(&exep, "%s/%s", dir.buf, exe);
    int hit = access(exep.buf, R_OK) == 0;
    for (int i = 0; hit && i < gf.n; i++) {
        struct strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/%s", dir.buf, gf.name[i]);
        hit = same_file(p.buf, gf.text[i]);
        sb_release(&p);
    }
    sb_release(&exep);
    if (hit) {
        gf_free(&gf);
        free(root);
        return sb_detach(&dir);
    }

    if (mkdir_p(root))
        goto fail_early;
    struct strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s/tmp-XXXXXX", root);
    if (!mkdtemp(tmp.buf)) {
        error("%s: error: cannot create a build directory: %s", tmp.buf, strerror(errno));
        sb_release(&tmp);
        goto fail_early;
    }
    int slot = tmp_register(tmp.buf, 1); /* removed on a signal during the build */
    if (gf_write(&gf, tmp.buf))
        goto fail;
    struct strbuf log = STRBUF_INIT;
    sb_addf(&log, "%s/build.log", tmp.buf);
    int rc;
    if (sim == SIM_VERILATOR) {
        struct strbuf mdir = STRBUF_INIT, ff = STRBUF_INIT, tbp = STRBUF_INIT,
                      outp = STRBUF_INIT;
        sb_addf(&mdir, "%s/obj", tmp.buf);
        sb_addf(&ff, "%s/files.f", tmp.buf);
        sb_addf(&tbp, "%s/%s", tmp.buf, tb);
        sb_addf(&outp, "%s/Vsim", tmp.buf);
        char *argv[40];
        int a = 0;
        argv[a++] = "verilator";
        argv[a++] = "--cc";
        argv[a++] = "--exe";
        argv[a++] = "--build";
        argv[a++] = "-j";
        argv[a++] = "2";
        argv[a++] = "-O3";
        argv[a++] = "--x-assign";
        argv[a++] = "unique";
        argv[a++] = "--x-initial";
        argv[a++] = "unique";
        argv[a++] = "-Wno-fatal";
        argv[a++] = "-Wno-lint";
        argv[a++] = "-Wno-style";
        argv[a++] = "--top-module";
        argv[a++] = "tf_top";
        argv[a++] = "-MAKEFLAGS";
        argv[a++] = VERILATOR_OPT;
        if (trace)
            argv[a++] = "--trace";
        argv[a++] = "--Mdir";
        argv[a++] = mdir.buf;
        argv[a++] = "-o";
        argv[a++] = outp.buf;
        argv[a++] = "-F";
        argv[a++] = ff.buf;
        argv[a++] = tbp.buf;
        argv[a] = NULL;
        rc = run_cmd(argv, log.buf, verbose);
        sb_release(&mdir);
        sb_release(&ff);
        sb_release(&tbp);
        sb_release(&outp);
    } else {
        struct strbuf outp = STRBUF_INIT, ff = STRBUF_INIT, tbp = STRBUF_INIT;
        struct strbuf pr[5];
        sb_addf(&outp, "%s/sim.vvp", tmp.buf);
        sb_addf(&ff, "%s/files.f", tmp.buf);
        sb_addf(&tbp, "%s/%s", tmp.buf, tb);
        const char *pn[5] = { "ROW_BITS", "COL_BITS", "ACT_BITS", "WGT_BITS", "RES_BITS" };
        int pv[5] = { dp->d.row_bits, dp->d.col_bits, dp->d.act_bits, dp->d.wgt_bits,
                      dp->d.res_bits };
        char *argv[40];
        int a = 0;
        argv[a++] = "iverilog";
        argv[a++] = "-g2005";
        argv[a++] = "-s";
        argv[a++] = "tf_tb";
        argv[a++] = "-o";
        argv[a++] = outp.buf;
        for (int i = 0; i < 5; i++) {
            struct strbuf s = STRBUF_INIT;
            sb_addf(&s, "-Ptf_tb.%s=%d", pn[i], pv[i]);
            pr[i] = s;
            argv[a++] = pr[i].buf;
        }
        argv[a++] = "-f";
        argv[a++] = ff.buf;
        argv[a++] = tbp.buf;
        argv[a] = NULL;
        /* file names in files.f are relative to the build directory */
        argv[a - 2] = "files.f";
        argv[a - 1] = (char *)tb;
        rc = run_cmd_in(tmp.buf, argv, log.buf, verbose);
        for (int i = 0; i < 5; i++)
            sb_release(&pr[i]);
        sb_release(&outp);
        sb_release(&ff);
        sb_release(&tbp);
    }
    if (rc != 0) {
        error("%s: error: %s failed to build the design (status %d); log: %s",
              tf_progname, sim_name(sim), rc, log.buf);
        show_log(log.buf, 20);
        sb_release(&log);
        goto fail_keep;
    }
    sb_release(&log);
    /* Publish: if another process won the race, use its entry. */
    tmp_forget(slot);
    if (rename(tmp.buf, dir.buf) != 0 && remove_tree(tmp.buf))
        warning("%s: warning: could not remove %s", tf_progname, tmp.buf);
    sb_release(&tmp);
    gf_free(&gf);
    free(root);
    return sb_detach(&dir);
fail:
    sb_release(&tmp);
fail_keep:
    tmp_forget(slot); /* the build log is kept for inspection */
fail_early:
    gf_free(&gf);
    free(root);
    sb_release(&dir);
    return NULL;
}

int cosim_run(const struct design_point *dp, const struct job_set *js,
              const struct cosim_opts *o, struct matrix *Y, struct cosim_stats *stats,
              int **beat_cycle)
{
    const struct kind_ops *k = kind_get(dp);
    int K = dp->d.outputs;
    struct cosim_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    double t0 = wall_seconds();
    char *bdir = build_sim(dp, o->sim, o->vcd != NULL, o->verbose, o->rtl_dir);
    if (!bdir)
        return -1;
    stats->build_seconds = wall_seconds() - t0;
    struct strbuf work = STRBUF_INIT;
    int tmpwork = !o->work, wslot = -1;
    if (o->work) {
        sb_adds(&work, o->work);
        if (mkdir_p(work.buf)) {
            free(bdir);
            return -1;
        }
    } else {
        const char *t = getenv("TMPDIR");
        sb_addf(&work, "%s/ternforge-run-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(work.buf)) {
            error("%s: error: cannot create a work directory: %s", tf_progname,
                  strerror(errno));
            free(bdir);
            sb_release(&work);
            return -1;
        }
        wslot = tmp_register(work.buf, 1); /* removed on a signal */
    }
    struct strbuf cfg = STRBUF_INIT, act = STRBUF_INIT, wgt = STRBUF_INIT;
    int jobs = 0, beats = 0;
    for (int i = 0; i < js->n; i++) {
        struct strbuf wb = STRBUF_INIT;
        k->pack_weights(dp, &js->W[i], &wb);
        for (int b = 0; b < js->X[i].cols; b++) {
            sb_addf(&cfg, "%d %d\n", js->W[i].rows, js->W[i].cols);
            k->pack_acts(dp, &js->X[i], b, &act);
            sb_add(&wgt, wb.buf, wb.len);
            jobs++;
            beats += (js->W[i].rows + K - 1) / K;
        }
        sb_release(&wb);
    }
    struct strbuf p[5];
    const char *names[5] = { "cfg.txt", "act.hex", "wgt.hex", "res.txt", "run.log" };
    for (int i = 0; i < 5; i++) {
        struct strbuf s = STRBUF_INIT;
        sb_addf(&s, "%s/%s", work.buf, names[i]);
        p[i] = s;
    }
    int rc = -1;
    if (write_file_atomic(p[0].buf, cfg.buf ? cfg.buf : "", cfg.len) ||
        write_file_atomic(p[1].buf, act.buf ? act.buf : "", act.len) ||
        write_file_atomic(p[2].buf, wgt.buf ? wgt.buf : "", wgt.len))
        goto out;
    unlink(p[3].buf);
    {
        struct strbuf a[8];
        for (int i = 0; i < 8; i++) {
            struct strbuf s = STRBUF_INIT;
            a[i] = s;
        }
        sb_addf(&a[0], "+cfg=%s", p[0].buf);
        sb_addf(&a[1], "+act=%s", p[1].buf);
        sb_addf(&a[2], "+wgt=%s", p[2].buf);
        sb_addf(&a[3], "+res=%s", p[3].buf);
        sb_addf(&a[4], "+seed=%llu", (unsigned long long)o->seed);
        sb_addf(&a[5], "+stall=%d", o->stall);
        sb_addf(&a[6], "+verilator+seed+%llu", (unsigned long long)(o->seed % 1000000 + 1));
        if (o->vcd)
            sb_addf(&a[7], "+vcd=%s", o->vcd);
        struct strbuf exe = STRBUF_INIT;
        char *argv[16];
        int n = 0;
        if (o->sim == SIM_VERILATOR) {
            sb_addf(&exe, "%s/Vsim", bdir);
            argv[n++] = exe.buf;
            argv[n++] = "+verilator+rand+reset+2";
            argv[n++] = a[6].buf;
        } else {
            sb_addf(&exe, "%s/sim.vvp", bdir);
            argv[n++] = "vvp";
            argv[n++] = "-n";
            argv[n++] = exe.buf;
        }
        for (int i = 0; i < 6; i++)
            argv[n++] = a[i].buf;
        if (o->vcd)
            argv[n++] = a[7].buf;
        argv[n] = NULL;
        double t1 = wall_seconds();
        int st = run_cmd(argv, p[4].buf, o->verbose);
        stats->sim_seconds = wall_seconds() - t1;
        char *logt = read_file(p[4].buf, NULL);
        const char *c = logt ? strstr(logt, "harness: ") : NULL;
        long cyc = -1;
        if (c && sscanf(c, "harness: %ld cycles", &cyc) != 1)
            cyc = -1;
        stats->cycles = cyc;
        if (st != 0 || (logt && strstr(logt, "TIMEOUT")) || cyc < 0) {
            error("%s: error: simulation failed (status %d); log: %s", tf_progname, st,
                  p[4].buf);
            show_log(p[4].buf, 10);
            free(logt);
            tmpwork = 0;
            for (int i = 0; i < 8; i++)
                sb_release(&a[i]);
            sb_release(&exe);
            goto out;
        }
        free(logt);
        for (int i = 0; i < 8; i++)
            sb_release(&a[i]);
        sb_release(&exe);
    }
    /* Read result beats back in job order. */
    {
        size_t len;
        char *res = read_file(p[3].buf, &len);
        if (!res)
            goto out;
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
                for (int r = 0; r < R; r++) {
                    long cyc;
                    int last, off = 0;
                    if (sscanf(q, "%ld %d %n", &cyc, &last, &off) != 2 || !off) {
                        bad = 1;
                        break;
                    }
                    q += off;
                    size_t hn = strcspn(q, " \n");
                    if (unpack_result_beat(dp, q, hn, vals) ||
                        last != (r == R - 1)) {
                        bad = 1;
                        break;
                    }
                    q += hn;
                    if (*q == '\n')
                        q++;
                    for (int kk = 0; kk < K; kk++) {
                        int row = r * K + kk;
                        if (row < M) {
                            MAT(&Y[i], row, b) = vals[kk];
                            if (beat_cycle)
                                beat_cycle[i][row * B + b] = (int)cyc;
                        }
                    }
                    seen++;
                }
        }
        free(vals);
        free(res);
        if (bad || seen != beats) {
            error("%s: error: the simulation returned %d well-formed result beats, "
                  "expected %d (res_last must close each job); see %s", tf_progname,
                  seen, beats, p[3].buf);
            tmpwork = 0;
            goto out;
        }
    }
    rc = 0;
out:
    tmp_forget(wslot); /* removed below, or kept for inspection */
    if (tmpwork && rc == 0) {
        for (int i = 0; i < 5; i++)
            unlink(p[i].buf);
        rmdir(work.buf);
    }
    for (int i = 0; i < 5; i++)
        sb_release(&p[i]);
    sb_release(&cfg);
    sb_release(&act);
    sb_release(&wgt);
    sb_release(&work);
    free(bdir);
    (void)jobs;
    return rc;
}
