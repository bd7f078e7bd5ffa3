/* gnuplot.c - gnuplot scripts that carry no user text as code (see
 * gnuplot.h). Used by sweep reports (explore/report.c) and validate. */
#define _POSIX_C_SOURCE 200809L
#include "gnuplot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

int gp_begin(struct gp *g)
{
    memset(g, 0, sizeof *g);
    g->slot = -1;
    const char *t = getenv("TMPDIR");
    struct strbuf d = STRBUF_INIT;
    sb_addf(&d, "%s/ternforge-plot-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(d.buf)) {
        sb_release(&d);
        return error("%s: error: cannot make a temporary folder for gnuplot: %s", tf_progname,
                     strerror(errno));
    }
    g->dir = sb_detach(&d);
    g->slot = tmp_register(g->dir, 1);
    return 0;
}

void gp_str(struct strbuf *sb, const char *s)
{
    /* In single quotes gnuplot interprets nothing but '' (one quote). */
    sb_adds(sb, "'");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            sb_adds(sb, "''");
        else if (c < 0x20 || c == 0x7f)
            sb_adds(sb, "?");
        else
            sb_add(sb, s, 1);
    }
    sb_adds(sb, "'");
}

void gp_setf(struct strbuf *sb, const char *what, const char *fmt, ...)
{
    struct strbuf t = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&t, fmt, ap);
    va_end(ap);
    sb_addf(sb, "set %s ", what);
    gp_str(sb, t.buf ? t.buf : "");
    sb_adds(sb, " noenhanced\n");
    sb_release(&t);
}

/* Names of files in the folder are ours (figure, plot and strategy
 * names); anything else is a bug, not input. */
static void check_name(const char *name)
{
    if (!*name || name[0] == '.' ||
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
            strlen(name))
        BUG("gnuplot file name '%s'", name);
}

static void path_in(struct gp *g, struct strbuf *p, const char *name)
{
    check_name(name);
    sb_addf(p, "%s/%s", g->dir, name);
}

int gp_data(struct gp *g, struct strbuf *sb, const char *name, const char *data, size_t len)
{
    struct strbuf p = STRBUF_INIT;
    path_in(g, &p, name);
    int rc = write_file_atomic(p.buf, data ? data : "", data ? len : 0);
    if (sb)
        gp_str(sb, p.buf);
    sb_release(&p);
    return rc;
}

void gp_output(struct gp *g, const char *name)
{
    struct strbuf p = STRBUF_INIT;
    path_in(g, &p, name);
    sb_adds(&g->script, "set output ");
    gp_str(&g->script, p.buf);
    sb_adds(&g->script, "\n");
    sb_release(&p);
}

int gp_run(struct gp *g)
{
    struct strbuf sp = STRBUF_INIT, log = STRBUF_INIT;
    path_in(g, &sp, "plots.gp");
    path_in(g, &log, "gnuplot.log");
    int rc = write_file_atomic(sp.buf, g->script.buf ? g->script.buf : "", g->script.len);
    if (!rc) {
        char *argv[] = { "gnuplot", sp.buf, NULL };
        int st = run_cmd(argv, log.buf, 0);
        if (st == 127) {
            rc = error("%s: error: cannot run gnuplot (Debian package gnuplot-nox); "
                       "--no-plots skips the plots", tf_progname);
        } else if (st != 0) {
            rc = error("%s: error: gnuplot failed (status %d); the end of its log:", tf_progname,
                       st);
            show_log(log.buf, 12);
        }
    }
    sb_release(&sp);
    sb_release(&log);
    return rc;
}

int gp_publish(struct gp *g, const char *name, const char *dest)
{
    struct strbuf from = STRBUF_INIT;
    path_in(g, &from, name);
    size_t len;
    char *data = read_file(from.buf, &len);
    int rc = data ? write_file_atomic(dest, data, len) : -1;
    free(data);
    sb_release(&from);
    return rc;
}

void gp_end(struct gp *g)
{
    if (g->dir && remove_tree(g->dir))
        warning("%s: warning: could not remove %s", tf_progname, g->dir);
    tmp_forget(g->slot);
    free(g->dir);
    sb_release(&g->script);
    memset(g, 0, sizeof *g);
    g->slot = -1;
}

int gp_validate_plot(const char *path, int n, const double *meas, const double *model,
                     const char *what, const char *unit)
{
    /* Refuse a device or a link before any work, as every output does. */
    if (check_output_file(path))
        return -1;
    struct gp g;
    if (gp_begin(&g))
        return -1;
    struct strbuf dat = STRBUF_INIT, *s = &g.script;
    double hi = 0;
    for (int i = 0; i < n; i++) {
        sb_addf(&dat, "%.6g %.6g\n", meas[i], model[i]);
        hi = fmax(hi, fmax(meas[i], model[i]));
    }
    const char *ext = strrchr(path, '.');
    int png = ext && !strcmp(ext, ".png");
    const char *img = png ? "plot.png" : "plot.svg";
    sb_addf(s, "set terminal %s size 800,700\n", png ? "png" : "svg");
    gp_output(&g, img);
    gp_setf(s, "title", "ternforge validate: modelled vs measured %s", what);
    gp_setf(s, "xlabel", "measured (%s)", unit);
    gp_setf(s, "ylabel", "modelled (%s)", unit);
    sb_addf(s, "set logscale xy\nset key top left\nset grid\n");
    sb_addf(s, "plot [%g:%g][%g:%g] x title 'exact' lc rgb '#888888', "
               "x*1.05 title '+-5%%' dt 2 lc rgb '#4477aa', x/1.05 notitle dt 2 lc rgb '#4477aa', ",
            hi / 100, hi * 1.5, hi / 100, hi * 1.5);
    int rc = gp_data(&g, s, "points.dat", dat.buf, dat.len);
    sb_adds(s, " using 1:2 with points pt 7 ps 1 lc rgb '#cc3311' title 'design points'\n");
    if (!rc)
        rc = gp_run(&g);
    if (!rc)
        rc = gp_publish(&g, img, path);
    gp_end(&g);
    sb_release(&dat);
    return rc;
}
