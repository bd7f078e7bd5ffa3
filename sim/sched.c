/* sched.c - synthesis runs through a scheduler (see sched.h).
 *
 * A job must land in the cache under the key synth_run() computes here:
 * the generated RTL (so the design point, set_mask included, since
 * dp_finalize's defaults depend on it), the flow kind, the Liberty file's
 * content, the clock and activity printed with %.17g (exact round trip),
 * the scripts and the tool versions. The job's parameter file is written
 * from the point's explicitly set parameters and read back here before
 * anything is submitted; a point that does not read back identically is
 * an internal error, not a silent cache miss on the cluster.
 *
 * Nothing is collected from the jobs but cache entries: a job that ran
 * elsewhere and failed, or ran with other tool versions (another key),
 * shows up as a missing entry, reported with the job's log. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "sched.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/kind.h"
#include "tools.h"
#include "util.h"

const char *const sched_names[] = { "local", "parallel", "slurm" };

/* Slurm's default MaxArraySize is 1001 (indices 0..1000). */
#define SLURM_MAX_TASKS 1000

int sched_parse(const char *name, enum sched_kind *k)
{
    for (int i = 0; i <= SCHED_SLURM; i++)
        if (!strcmp(name, sched_names[i])) {
            *k = (enum sched_kind)i;
            return 0;
        }
    return -1;
}

/* Is `prog` an executable file in $PATH? */
static int in_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return 0;
    int found = 0;
    char *copy = xstrdup(path);
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        struct strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/%s", *d ? d : ".", prog);
        found = access(p.buf, X_OK) == 0;
        sb_release(&p);
    }
    free(copy);
    return found;
}

int sched_check(const struct sched_opts *s)
{
    if ((unsigned)s->kind > SCHED_SLURM)
        BUG("bad scheduler %d", (int)s->kind);
    if (s->kind == SCHED_PARALLEL && !in_path("parallel"))
        return error("%s: error: --scheduler parallel: cannot find 'parallel' in PATH "
                     "(GNU parallel; Debian package parallel)", tf_progname);
    if (s->kind == SCHED_SLURM && !in_path("sbatch"))
        return error("%s: error: --scheduler slurm: cannot find 'sbatch' in PATH "
                     "(Slurm client commands; Debian package slurm-client)", tf_progname);
    if (s->kind == SCHED_PARALLEL && s->hosts && access(s->hosts, R_OK) != 0)
        return error("%s: error: --hosts: cannot read '%s': %s", tf_progname, s->hosts,
                     strerror(errno));
    return 0;
}

/* ---------------------------------------------------------- job files */

/* `s` in single quotes for sh. */
static void sb_quote(struct strbuf *sb, const char *s)
{
    sb_adds(sb, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sb_adds(sb, "'\\''");
        else
            sb_add(sb, s, 1);
    }
    sb_adds(sb, "'");
}

/* The parameter file of a point: the parameters given explicitly, with
 * their given (unresolved) values, so dp_finalize sees what it saw here. */
static char *point_xml(const struct design_point *dp, const char *name, int job)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "<?xml version=\"1.0\"?>\n<!-- ternforge job %d", job);
    if (name && !strstr(name, "--") && !strpbrk(name, "<>&"))
        sb_addf(&sb, ": %s", name);
    sb_adds(&sb, " -->\n<ternforge version=\"1\">\n  <core");
    for (int i = 0; i < param_count; i++) {
        if (!(dp->set_mask >> i & 1))
            continue;
        const struct param_desc *p = &param_table[i];
        long v = dp_get(dp, p);
        if (p->type == PT_ENUM)
            sb_addf(&sb, " %s=\"%s\"", p->name, p->names[v]);
        else if (p->type == PT_STR)
            sb_addf(&sb, " %s=\"%s\"", p->name, dp_str(dp, p));
        else
            sb_addf(&sb, " %s=\"%ld\"", p->name, v);
    }
    sb_adds(&sb, "/>\n</ternforge>\n");
    return sb_detach(&sb);
}

/* Same parameters, same explicitly-set mask, same derived values. */
static int same_point(const struct design_point *a, const struct design_point *b)
{
    for (int i = 0; i < param_count; i++)
        if (dp_get(a, &param_table[i]) != dp_get(b, &param_table[i]))
            return 0;
    return a->set_mask == b->set_mask && !memcmp(&a->d, &b->d, sizeof a->d);
}

/* The flow as a technology file `ternforge synth --tech` turns back into f
 * (flow_of in cli/flow.c). It has no unit costs: the job's own
 * modelled-vs-measured printout in its log is meaningless; its cache entry
 * is what counts. */
static int flow_tech(const struct synth_flow *f, struct strbuf *sb)
{
    static const char *const target[] = { "asic", "xc7", "ice40" };
    if ((unsigned)f->kind > FLOW_ICE40)
        BUG("bad flow kind %d", (int)f->kind);
    sb_addf(sb, "# ternforge: the synthesis flow of the jobs in this directory\n"
                "tech sched-flow\ntarget %s\nclock_ns %.17g\n", target[f->kind], f->clock_ns);
    if (f->kind != FLOW_ASIC)
        return 0;
    char real[PATH_MAX];
    if (!f->liberty || !realpath(f->liberty, real))
        return error("%s: error: cannot open: %s", f->liberty ? f->liberty : "(no Liberty file)",
                     strerror(errno));
    if (strpbrk(real, " \t\r\n#"))
        return error("%s: error: --scheduler: a Liberty path with blanks or '#' cannot go "
                     "into a technology file", real);
    /* the tech parser wants 0 < activity <= 2, as every technology file has */
    if (!(f->activity > 0 && f->activity <= 2))
        return error("%s: error: --scheduler: switching activity %g is not in (0, 2]",
                     tf_progname, f->activity);
    sb_addf(sb, "liberty %s\nactivity %.17g\n", real, f->activity);
    return 0;
}

/* The absolute path of this binary, for the jobs. */
static char *self_exe(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) {
        error("%s: error: --scheduler: cannot read /proc/self/exe: %s", tf_progname,
              strerror(errno));
        return NULL;
    }
    buf[n] = '\0';
    return xstrdup(buf);
}

/* An absolute path for dir, created if needed. */
static char *abs_dir(const char *dir)
{
    char real[PATH_MAX];
    if (mkdir_p(dir))
        return NULL;
    if (!realpath(dir, real)) {
        error("%s: error: %s", dir, strerror(errno));
        return NULL;
    }
    return xstrdup(real);
}

/* ------------------------------------------------------------ running */

static const char *job_name(const char *const *names, int i, char *buf, size_t n)
{
    if (names && names[i])
        return names[i];
    snprintf(buf, n, "point %d", i);
    return buf;
}

/* Run the scheduler: its exit status (a failure is reported later, per
 * job, by the missing results), or -1 if it could not start. */
static int run_parallel(const struct sched_opts *s, const char *work, int verbose)
{
    char jobs[32], *argv[16];
    int a = 0;
    argv[a++] = "parallel";
    if (s->jobs > 0) {
        snprintf(jobs, sizeof jobs, "%d", s->jobs);
        argv[a++] = "--jobs";
        argv[a++] = jobs;
    }
    argv[a++] = "--halt";
    argv[a++] = "now,fail=1";
    argv[a++] = "--joblog";
    argv[a++] = "parallel.joblog";
    if (s->hosts) {
        argv[a++] = "--sshloginfile";
        argv[a++] = (char *)s->hosts;
    }
    /* every line runs under sh, whatever shell parallel finds: it quotes
     * {} for that shell (and for ssh) */
    argv[a++] = "sh";
    argv[a++] = "-c";
    argv[a++] = "{}";
    argv[a++] = "::::";
    argv[a++] = "jobs.txt";
    argv[a] = NULL;
    struct strbuf log = STRBUF_INIT;
    sb_addf(&log, "%s/parallel.log", work);
    int rc = run_cmd_in(work, argv, log.buf, verbose);
    if (rc == 127)
        rc = error("%s: error: --scheduler parallel: cannot run parallel (see %s)",
                   tf_progname, log.buf);
    else if (rc) {
        error("%s: error: parallel exited with status %d; log: %s", tf_progname, rc, log.buf);
        show_log(log.buf, 6);
    }
    sb_release(&log);
    return rc;
}

static int run_slurm(const struct sched_opts *s, const char *work, int njobs, int verbose)
{
    int tasks = njobs < SLURM_MAX_TASKS ? njobs : SLURM_MAX_TASKS;
    struct strbuf sh = STRBUF_INIT, arr = STRBUF_INIT, chdir_opt = STRBUF_INIT,
                  out = STRBUF_INIT, script = STRBUF_INIT, log = STRBUF_INIT;
    /* task t runs lines t, t+tasks, ... so any job count fits the array */
    sb_addf(&sh, "#!/bin/sh\n# ternforge: Slurm array task T runs lines T+1, T+1+%d, ... "
                 "of jobs.txt\nn=%d\ni=${SLURM_ARRAY_TASK_ID:?not an array task}\nrc=0\n"
                 "while [ \"$i\" -lt \"$n\" ]; do\n"
                 "    sh -c \"$(sed -n \"$((i + 1))p\" ", tasks, njobs);
    sb_quote(&sh, work);
    sb_addf(&sh, "/jobs.txt)\" || rc=1\n    i=$((i + %d))\ndone\nexit $rc\n", tasks);
    int rc = write_in_dir(work, "array.sh", sh.buf);
    sb_addf(&arr, "--array=0-%d", tasks - 1);
    if (s->jobs > 0)
        sb_addf(&arr, "%%%d", s->jobs);
    sb_addf(&chdir_opt, "--chdir=%s", work);
    sb_addf(&out, "--output=%s/logs/slurm-%%A_%%a.out", work);
    sb_addf(&script, "%s/array.sh", work);
    sb_addf(&log, "%s/sbatch.log", work);
    const char *extra = s->sbatch_args ? s->sbatch_args : getenv("TERNFORGE_SBATCH_ARGS");
    char *ex = xstrdup(extra ? extra : "");
    int nx = 0;
    for (char *p = ex; *p; p++)
        nx += !strchr(" \t\n", *p) && (p == ex || strchr(" \t\n", p[-1]));
    char **argv = xcalloc((size_t)nx + 10, sizeof *argv);
    int a = 0;
    argv[a++] = "sbatch";
    argv[a++] = "--wait";
    argv[a++] = arr.buf;
    argv[a++] = "--job-name=ternforge-synth";
    argv[a++] = chdir_opt.buf;
    argv[a++] = out.buf;
    for (char *save = NULL, *t = strtok_r(ex, " \t\n", &save); t;
         t = strtok_r(NULL, " \t\n", &save))
        argv[a++] = t;
    argv[a++] = script.buf;
    argv[a] = NULL;
    if (!rc) {
        rc = run_cmd_in(work, argv, log.buf, verbose);
        if (rc == 127)
            rc = error("%s: error: --scheduler slurm: cannot run sbatch (see %s)",
                       tf_progname, log.buf);
        else if (rc) {
            error("%s: error: sbatch exited with status %d; log: %s", tf_progname, rc,
                  log.buf);
            show_log(log.buf, 6);
        }
    }
    free(argv);
    free(ex);
    sb_release(&sh);
    sb_release(&arr);
    sb_release(&chdir_opt);
    sb_release(&out);
    sb_release(&script);
    sb_release(&log);
    return rc;
}

/* Write the job files for the points in todo[] into work. */
static int write_jobs(const char *work, const char *exe, const char *cache,
                      const struct design_point *const *dp, const char *const *names,
                      const int *todo, int nt, const struct synth_flow *f,
                      const struct synth_opts *o)
{
    /* one job per line of jobs.txt: a newline in a path would start a command */
    const char *paths[] = { work, exe, cache };
    for (int i = 0; i < 3; i++)
        if (unsafe_in_script(paths[i], ""))
            return error("%s: error: --scheduler: a path with a control character cannot go "
                         "into a job line", tq(paths[i]));
    struct strbuf tech = STRBUF_INIT, lines = STRBUF_INIT, logs = STRBUF_INIT;
    int rc = flow_tech(f, &tech);
    if (!rc)
        rc = write_in_dir(work, "flow.tech", tech.buf);
    sb_addf(&logs, "%s/logs", work);
    if (!rc)
        rc = mkdir_p(logs.buf);
    for (int j = 0; !rc && j < nt; j++) {
        int i = todo[j];
        char xml[32], nb[32];
        snprintf(xml, sizeof xml, "job-%04d.xml", j);
        char *text = point_xml(dp[i], job_name(names, i, nb, sizeof nb), j);
        rc = write_in_dir(work, xml, text);
        free(text);
        if (rc)
            break;
        struct strbuf path = STRBUF_INIT;
        struct design_point back;
        sb_addf(&path, "%s/%s", work, xml);
        if (dp_load(&back, path.buf, NULL, 0))
            BUG("job file %s does not read back", path.buf);
        if (!same_point(&back, dp[i]))
            BUG("job file %s reads back as another design point", path.buf);
        sb_release(&path);
        sb_adds(&lines, "cd ");
        sb_quote(&lines, work);
        sb_adds(&lines, " && TERNFORGE_CACHE=");
        sb_quote(&lines, cache);
        sb_adds(&lines, " exec ");
        sb_quote(&lines, exe);
        sb_addf(&lines, " synth %s --tech flow.tech --clock %.17g%s%s%s%s > logs/job-%04d.log "
                        "2>&1\n", xml, f->clock_ns,
                f->hier == HIER_ALL ? " --hier --keep-all" : f->hier ? " --hier" : " --flat",
                f->hier && f->one_run ? " --one-run" : "",
                o->no_cache ? " --no-cache" : "", o->verbose ? " -v" : "", j);
    }
    if (!rc)
        rc = write_in_dir(work, "jobs.txt", lines.buf);
    sb_release(&tech);
    sb_release(&lines);
    sb_release(&logs);
    return rc;
}

int sched_synth_many(const struct sched_opts *s, const struct design_point *const *dp,
                     const char *const *names, int n, const struct synth_flow *f,
                     const struct synth_opts *o, struct synth_result *r)
{
    if (s->kind == SCHED_LOCAL)
        return synth_run_many(dp, n, f, o, s->jobs > 0 ? s->jobs : 1, r);
    const char *what = sched_names[s->kind];
    for (int i = 0; i < n; i++)
        memset(&r[i], 0, sizeof r[i]);
    if (n <= 0)
        return 0;
    if (o->keep_dir) {
        error("%s: error: --scheduler %s: cannot keep work directories (--work): the "
              "flows run elsewhere", tf_progname, what);
        return n;
    }
    if (sched_check(s))
        return n;

    /* what the cache already has is not submitted */
    int *todo = xcalloc((size_t)n, sizeof *todo), nt = 0, fails = 0;
    for (int i = 0; i < n; i++) {
        int hit = o->no_cache ? 0 : synth_cached(dp[i], f, &r[i]);
        if (hit < 0) { /* no tools, unreadable Liberty file: same for every point */
            free(todo);
            return n;
        }
        if (!hit)
            todo[nt++] = i;
    }
    fprintf(stderr, "%s: %s: %d of %d points in the cache; %d to synthesize\n", tf_progname,
            what, n - nt, n, nt);
    if (!nt) {
        free(todo);
        return 0;
    }

    char *cache = NULL, *exe = NULL, *work = NULL, *root = cache_root();
    int rc = -1, status = 0, noted = 0, not_run = 0;
    if (!(cache = abs_dir(root)) || !(exe = self_exe()))
        goto out;
    if (s->work_dir) {
        work = abs_dir(s->work_dir);
    } else {
        struct strbuf t = STRBUF_INIT;
        sb_addf(&t, "%s/sched-%s-XXXXXX", cache, what);
        if (!mkdtemp(t.buf))
            error("%s: error: cannot create a work directory in %s: %s", tf_progname, cache,
                  strerror(errno));
        else
            work = sb_detach(&t);
        sb_release(&t);
    }
    if (!work || write_jobs(work, exe, cache, dp, names, todo, nt, f, o))
        goto out;
    double t0 = wall_seconds();
    fprintf(stderr, "%s: %s: running %d jobs (%s/jobs.txt)\n", tf_progname, what, nt, work);
    status = s->kind == SCHED_PARALLEL ? run_parallel(s, work, o->verbose)
                                       : run_slurm(s, work, nt, o->verbose);
    if (status < 0)
        goto out;
    fprintf(stderr, "%s: %s: jobs ended after %.1f s\n", tf_progname, what,
            wall_seconds() - t0);
    rc = 0;
out:
    /* gather: every submitted point must now be in the cache */
    for (int j = 0; j < nt; j++) {
        int i = todo[j];
        char nb[32];
        int hit = rc ? 0 : synth_cached(dp[i], f, &r[i]);
        if (hit == 1) {
            r[i].seconds = 0;
            continue;
        }
        fails++;
        if (rc || hit < 0)
            continue;
        struct strbuf log = STRBUF_INIT;
        sb_addf(&log, "%s/logs/job-%04d.log", work, j);
        if (access(log.buf, R_OK) != 0) {
            if (++not_run <= 3)
                error("%s: error: %s: job %d (%s) did not run", tf_progname, what, j,
                      job_name(names, i, nb, sizeof nb));
        } else {
            error("%s: error: %s: job %d (%s) left no result in %s; log: %s", tf_progname,
                  what, j, job_name(names, i, nb, sizeof nb), cache, log.buf);
            if (!status && !noted++)
                error("%s: note: the job ended without error: do its hosts share %s and "
                      "run the same yosys and sta (%s)?", tf_progname, cache,
                      synth_tool_versions());
            else if (fails <= 3)
                show_log(log.buf, 8);
        }
        sb_release(&log);
    }
    if (not_run > 3)
        error("%s: error: %s: and %d more jobs did not run", tf_progname, what, not_run - 3);
    if (fails && work)
        error("%s: note: %s: the job files are kept in %s", tf_progname, what, work);
    else if (work && !s->work_dir && remove_tree(work))
        warning("%s: warning: could not remove %s", tf_progname, work);
    free(todo);
    free(cache);
    free(exe);
    free(work);
    free(root);
    return fails;
}
