/* report.c - turn a sweep's result into pareto.csv, pareto.json, report.md
 * and plots. Front points are evaluated again here (that is cheap and
 * gives their component breakdown), so a shard needs to hand on only
 * indices and exact objective values. Nothing here depends on time, the
 * machine or the thread count: the same result gives the same bytes. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../sim/gnuplot.h"
#include "../sim/integ.h"
#include "report.h"
#include "../model/mempresets.h"
#include "../model/models.h"

/* ---- small helpers ------------------------------------------------------ */

static const char *num(double v, char *buf)
{
    fmt_num(v, buf);
    return buf;
}

/* A JSON number or null. */
static const char *jnum(double v, char *buf)
{
    if (isnan(v) || isinf(v))
        return strcpy(buf, "null");
    return num(v, buf);
}

static int fig_of(const struct sweep *s, const struct point *p, int asic_fig, int fpga_fig)
{
    return s->tech[p->tech].target == TECH_ASIC ? asic_fig : fpga_fig;
}

/* The name of a figure resolved per target: the figure's own when the
 * sweep's technologies agree on it, else the alias as written. */
static const char *fig_pair_name(const struct sweep *s, int asic_fig, int fpga_fig,
                                 const char *written)
{
    return asic_fig == fpga_fig || !s->fpga ? fig_table[asic_fig].name
           : !s->asic                       ? fig_table[fpga_fig].name
                                            : written;
}

static const char *obj_name(const struct sweep *s, int i)
{
    const struct objective *o = &s->obj[i];
    return fig_pair_name(s, o->fig, o->fig_fpga, o->name);
}

/* Front order for reading: by the first objective, then the others, then
 * the index (the CSV and JSON keep index order). */
static const struct result *sort_r;
static int cmp_front(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const struct front *f = &sort_r->front;
    for (int k = 0; k < f->k; k++) {
        double x = f->obj[i * f->k + k], y = f->obj[j * f->k + k];
        if (x != y)
            return x < y ? -1 : 1;
    }
    return f->idx[i] < f->idx[j] ? -1 : f->idx[i] > f->idx[j];
}

static size_t *front_order(const struct result *r)
{
    size_t *ord = xmalloc(sizeof *ord * (r->front.n ? r->front.n : 1));
    for (size_t i = 0; i < r->front.n; i++)
        ord[i] = i;
    sort_r = r;
    qsort(ord, r->front.n, sizeof *ord, cmp_front);
    return ord;
}

int report_top(const struct sweep *s, const struct result *r, int k, uint64_t *idx)
{
    (void)s;
    size_t *ord = front_order(r);
    int n = 0;
    for (size_t i = 0; i < r->front.n && n < k; i++)
        idx[n++] = r->front.idx[ord[i]];
    free(ord);
    return n;
}

/* Parameters of p worth showing: the kind, those free in its block, and
 * those its block fixes, in params.def order. */
static void describe_params(const struct sweep *s, const struct point *p, struct strbuf *sb,
                            const char *sep)
{
    const struct block *b = &s->blocks[p->block];
    int first = 1;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *pd = &param_table[i];
        if (!(pd->kinds & KIND_BIT(p->dp.kind)))
            continue;
        int shown = i == PI_kind || (p->dp.set_mask >> i & 1);
        for (int d = 2; d < b->ndims; d++)
            shown |= b->dims[d].param == i;
        if (!shown)
            continue;
        char buf[32];
        sb_addf(sb, "%s%s=%s", first ? "" : sep, pd->name, dp_value_str(&p->dp, pd, buf, sizeof buf));
        first = 0;
    }
}

/* ---- pareto.csv and pareto.json ---------------------------------------------- */

static int write_pareto_csv(const struct sweep *s, const struct result *r, const char *dir,
                            struct point *p)
{
    struct strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/pareto.csv", dir);
    struct atomic_file af;
    int rc = af_open(&af, path.buf);
    if (!rc) {
        sweep_csv_header(s, af.fp);
        char row[8192];
        for (size_t i = 0; i < r->front.n; i++) {
            sweep_eval(s, r->front.idx[i], p);
            fwrite(row, 1, sweep_csv_row(s, p, row, sizeof row), af.fp);
        }
        rc = af_commit(&af);
    }
    sb_release(&path);
    return rc;
}

static void json_point(FILE *f, const struct sweep *s, struct point *p)
{
    char b1[40];
    const struct tech *t = &s->tech[p->tech];
    cost_components(&p->dp, t, &p->c);
    fprintf(f, "    {\"index\": %llu, \"fingerprint\": \"%016llx\", \"core\": \"%s\", "
               "\"tech\": \"%s\", \"bw_gbps\": %s,\n      \"params\": {",
            (unsigned long long)p->index, (unsigned long long)dp_fingerprint(&p->dp),
            s->blocks[p->block].label, t->name, num(p->bw, b1));
    int first = 1;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *pd = &param_table[i];
        if (!(pd->kinds & KIND_BIT(p->dp.kind)) || pd->gen_only)
            continue;
        char buf[32];
        const char *v = dp_value_str(&p->dp, pd, buf, sizeof buf);
        if (pd->type == PT_ENUM)
            fprintf(f, "%s\"%s\": \"%s\"", first ? "" : ", ", pd->name, v);
        else
            fprintf(f, "%s\"%s\": %s", first ? "" : ", ", pd->name, v);
        first = 0;
    }
    fprintf(f, "},\n      \"figures\": {");
    first = 1;
    for (int g = 0; g < G__COUNT; g++) {
        if (isnan(p->fig[g]))
            continue;
        fprintf(f, "%s\"%s\": %s", first ? "" : ", ", fig_table[g].name, jnum(p->fig[g], b1));
        first = 0;
    }
    fprintf(f, "},\n      \"bound\": \"%s\", \"critical_stage\": ",
            p->c.memory_bound ? "memory" : "compute");
    if (p->c.critical_path_ns > 0 && p->c.critical_stage)
        fprintf(f, "\"%s\"", p->c.critical_stage);
    else
        fprintf(f, "null");
    fprintf(f, ",\n      \"components\": {");
    first = 1;
    int asic = t->target == TECH_ASIC;
    for (int k = 0; k < COMP__COUNT; k++) {
        double any = 0;
        for (int m = 0; m < M__COUNT; m++)
            any += fabs(p->c.comp[k][m]);
        if (any == 0)
            continue;
        fprintf(f, "%s\"%s\": {", first ? "" : ", ", comp_names[k]);
        first = 0;
        int fi = 1;
        for (int m = 0; m < M__COUNT; m++) {
            if (!t->has[m] || (asic && m != M_AREA && m != M_ENERGY))
                continue;
            fprintf(f, "%s\"%s%s\": %s", fi ? "" : ", ", metric_names[m],
                    m == M_AREA ? "_um2" : m == M_ENERGY ? "_pj_per_cycle" : "",
                    jnum(p->c.comp[k][m], b1));
            fi = 0;
        }
        fprintf(f, "}");
    }
    fprintf(f, "}}");
}

static int write_pareto_json(const struct sweep *s, const struct result *r, const char *dir,
                             struct point *p)
{
    struct strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/pareto.json", dir);
    struct atomic_file af;
    int rc = af_open(&af, path.buf);
    if (rc) {
        sb_release(&path);
        return rc;
    }
    FILE *f = af.fp;
    fprintf(f, "{\n  \"sweep\": \"%s\",\n  \"strategy\": \"%s\",\n  \"seed\": %llu,\n"
               "  \"space_points\": %llu,\n  \"evaluated\": %llu,\n  \"feasible\": %llu,\n",
            s->name, strategy_names[s->strategy], (unsigned long long)s->seed,
            (unsigned long long)s->size, (unsigned long long)r->evaluated,
            (unsigned long long)r->feasible);
    fprintf(f, "  \"objectives\": [");
    for (int i = 0; i < s->nobj; i++)
        fprintf(f, "%s{\"figure\": \"%s\", \"sense\": \"%s\"}", i ? ", " : "", obj_name(s, i),
                s->obj[i].maximize ? "max" : "min");
    fprintf(f, "],\n  \"front\": [\n");
    for (size_t i = 0; i < r->front.n; i++) {
        sweep_eval(s, r->front.idx[i], p);
        json_point(f, s, p);
        fprintf(f, "%s\n", i + 1 < r->front.n ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    rc = af_commit(&af);
    sb_release(&path);
    return rc;
}

/* ---- plots ------------------------------------------------------------------- */

/* Both terminals for one plot: `body` sets it up and plots. */
static void plot_emit(struct gp *g, const char *name, const char *body)
{
    struct strbuf img = STRBUF_INIT;
    sb_adds(&g->script, "set terminal svg size 860,600 dynamic font 'Sans,12'\n");
    sb_addf(&img, "%s.svg", name);
    gp_output(g, img.buf);
    sb_addf(&g->script, "%s\nset terminal pngcairo size 860,600 font 'Sans,10'\n", body);
    img.len -= 3; /* "svg" */
    img.buf[img.len] = '\0';
    sb_addf(&img, "png");
    gp_output(g, img.buf);
    sb_addf(&g->script, "%s\nunset output\n", body);
    sb_release(&img);
}

/* Data file NAME.dat; its quoted path is appended to sb. */
static int plot_data(struct gp *g, struct strbuf *sb, const char *name, const struct strbuf *d)
{
    struct strbuf file = STRBUF_INIT;
    sb_addf(&file, "%s.dat", name);
    int rc = gp_data(g, sb, file.buf, d->buf, d->len);
    sb_release(&file);
    return rc;
}

static int wide(double lo, double hi) { return lo > 0 && hi / lo > 30; }

/* The plot command of a plot with no point to draw: an empty frame that
 * says so. gnuplot refuses to autoscale an axis without data, or to
 * log-scale one, so the ranges are fixed and the log scales dropped. */
static void plot_nothing(struct strbuf *sb)
{
    sb_adds(sb, "unset logscale\nset label 'no feasible point' at graph 0.5,0.5 center\n"
                "plot [0:1][0:1] NaN notitle");
}

/* One axis of a scatter plot: a figure per target class and its name. */
struct sc_axis {
    int fig, fig_fpga;
    const char *name;
};

/* Figure fx against fy: the sample of feasible points, one colour per
 * <core> block, and the sweep's Pareto front highlighted; the front is a
 * line only when it is the front of exactly these two figures (a sweep
 * of two objectives, plotted against each other), else points: a front
 * of three or four objectives is not a curve in two of them. */
static void scatter(struct gp *pl, const struct sweep *s, const struct result *r,
                    const struct sc_axis *ax, const struct sc_axis *ay, int front_line,
                    const char *name, struct point *p)
{
    struct strbuf *blk = xcalloc((size_t)s->nblocks, sizeof *blk), fr = STRBUF_INIT;
    size_t *nblk = xcalloc((size_t)s->nblocks, sizeof *nblk);
    double lo[2] = { HUGE_VAL, HUGE_VAL }, hi[2] = { 0, 0 };
    char b1[40], b2[40];
    size_t nf = r->front.n;
    double *xs = xmalloc(sizeof *xs * (nf ? nf : 1)), *ys = xmalloc(sizeof *ys * (nf ? nf : 1));
    size_t *ord = xmalloc(sizeof *ord * (nf ? nf : 1));
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass ? nf : r->nsample;
        for (size_t i = 0; i < n; i++) {
            sweep_eval(s, pass ? r->front.idx[i] : r->sample[i], p);
            double x = p->fig[fig_of(s, p, ax->fig, ax->fig_fpga)];
            double y = p->fig[fig_of(s, p, ay->fig, ay->fig_fpga)];
            if (pass) {
                xs[i] = x;
                ys[i] = y;
                ord[i] = i;
            } else {
                sb_addf(&blk[p->block], "%s %s\n", num(x, b1), num(y, b2));
                nblk[p->block]++;
            }
            if (isnan(x) || isnan(y))
                continue;
            lo[0] = fmin(lo[0], x), hi[0] = fmax(hi[0], x);
            lo[1] = fmin(lo[1], y), hi[1] = fmax(hi[1], y);
        }
    }
    /* The front in the order of its x values. */
    for (size_t i = 1; i < nf; i++) /* insertion sort: fronts are small */
        for (size_t j = i; j > 0 && (xs[ord[j]] < xs[ord[j - 1]] ||
                                     (xs[ord[j]] == xs[ord[j - 1]] && ys[ord[j]] < ys[ord[j - 1]]));
             j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t i = 0; i < nf; i++)
        sb_addf(&fr, "%s %s\n", num(xs[ord[i]], b1), num(ys[ord[i]], b2));
    free(ord);
    free(xs);
    free(ys);
    struct strbuf body = STRBUF_INIT;
    const struct fig_desc *fa = &fig_table[ax->fig], *fb = &fig_table[ay->fig];
    sb_adds(&body, "reset\nset grid\nset key outside bottom center horizontal\n");
    gp_setf(&body, "title", "%s: %s vs %s (%llu points evaluated)", s->name, ax->name, ay->name,
            (unsigned long long)r->evaluated);
    gp_setf(&body, "xlabel", "%s (%s)", ax->name, fa->unit);
    gp_setf(&body, "ylabel", "%s (%s)", ay->name, fb->unit);
    if (wide(lo[0], hi[0]))
        sb_adds(&body, "set logscale x\n");
    if (wide(lo[1], hi[1]))
        sb_adds(&body, "set logscale y\n");
    int any = 0;
    if (!nf && !r->nsample)
        plot_nothing(&body);
    else
        sb_adds(&body, "plot ");
    for (int b = 0; b < s->nblocks && (nf || r->nsample); b++) {
        if (!nblk[b])
            continue;
        char dname[160];
        snprintf(dname, sizeof dname, "%s-b%d", name, b);
        plot_data(pl, &body, dname, &blk[b]);
        /* Colours repeat after 8 blocks: point types do not. */
        static const int ptype[] = { 7, 5, 9, 11, 13, 15, 4, 6, 8, 10, 12, 14 };
        sb_addf(&body, " using 1:2 with points pt %d ps 0.5 lc %d title ", ptype[b % 12],
                1 + b % 8);
        char title[160];
        snprintf(title, sizeof title, "%s (%zu)", s->blocks[b].label, nblk[b]);
        gp_str(&body, title);
        sb_adds(&body, " noenhanced, ");
        any = 1;
    }
    char fname[160];
    snprintf(fname, sizeof fname, "%s-front", name);
    if (nf || any) {
        plot_data(pl, &body, fname, &fr);
        if (front_line)
            sb_addf(&body, " using 1:2 with linespoints pt 6 ps 1.2 lw 1.5 lc rgb '#cc3311' "
                           "title 'Pareto front (%zu)'", r->front.n);
        else
            sb_addf(&body, " using 1:2 with points pt 6 ps 1.4 lw 1.5 lc rgb '#cc3311' "
                           "title 'Pareto front (%zu points, %d objectives)'", r->front.n,
                    s->nobj);
    }
    plot_emit(pl, name, body.buf);
    sb_release(&body);
    for (int b = 0; b < s->nblocks; b++)
        sb_release(&blk[b]);
    free(blk);
    free(nblk);
    sb_release(&fr);
}

/* A legend entry: "mu=3" for a numeric parameter, the value for names. */
static void series_title(const struct sweep *s, int axis, long v, char *out, size_t n)
{
    char buf[128];
    const char *val = axis_value_name(s, axis, v, buf, sizeof buf);
    if (axis >= 0 && param_table[axis].type == PT_INT)
        snprintf(out, n, "%s=%s", axis_name(axis), val);
    else if (axis == DIM_BW && !s->mem_name[v])
        snprintf(out, n, "%s GB/s", val);
    else
        snprintf(out, n, "%s", val);
}

/* Does series se of plot i have any feasible point? */
static int series_any(const struct sweep *s, const struct result *r, int i, int se)
{
    const struct plot *pt = &s->plots[i];
    for (int x = 0; x < pt->nx; x++)
        if (!isnan(r->best[i][(size_t)se * pt->nx + x]))
            return 1;
    return 0;
}

/* The titles of the series of plot i without a feasible point, ", "-separated. */
static void missing_series(const struct sweep *s, const struct result *r, int i,
                           struct strbuf *sb)
{
    const struct plot *pt = &s->plots[i];
    for (int se = 0; se < pt->ns; se++)
        if (!series_any(s, r, i, se)) {
            char title[160];
            series_title(s, pt->series, pt->sv[se], title, sizeof title);
            sb_addf(sb, "%s%s", sb->len ? ", " : "", title);
        }
}

static void curves(struct gp *pl, const struct sweep *s, const struct result *r, int i)
{
    const struct plot *pt = &s->plots[i];
    int numeric_x = pt->x >= 0 && param_table[pt->x].type == PT_INT;
    struct strbuf body = STRBUF_INIT;
    const struct fig_desc *fy = &fig_table[pt->y];
    const char *yname = fig_pair_name(s, pt->y, pt->y_fpga, "area");
    sb_adds(&body, "reset\nset grid\nset key outside right top\n");
    struct strbuf missing = STRBUF_INIT;
    missing_series(s, r, i, &missing);
    if (missing.len)
        gp_setf(&body, "title", "%s: best %s per %s (no feasible point: %s)", s->name, yname,
                axis_name(pt->x), missing.buf);
    else
        gp_setf(&body, "title", "%s: best %s per %s", s->name, yname, axis_name(pt->x));
    sb_release(&missing);
    gp_setf(&body, "xlabel", "%s", axis_name(pt->x));
    gp_setf(&body, "ylabel", "%s (%s)", yname, fy->unit);
    double lo = HUGE_VAL, hi = 0;
    long xlo = 0, xhi = 0;
    if (pt->nx) {
        xlo = pt->xv[0];
        xhi = pt->xv[pt->nx - 1];
    }
    if (!numeric_x) {
        sb_adds(&body, "set xtics (");
        for (int x = 0; x < pt->nx; x++) {
            char buf[128];
            sb_adds(&body, x ? ", " : "");
            gp_str(&body, axis_value_name(s, pt->x, pt->xv[x], buf, sizeof buf));
            sb_addf(&body, " %d", x);
        }
        sb_addf(&body, ")\nset xrange [-0.5:%d.5]\n", pt->nx - 1);
    } else if (xlo > 0 && xhi / xlo >= 16) {
        sb_adds(&body, "set logscale x 2\n");
    }
    struct strbuf cmd = STRBUF_INIT;
    int lines = 0;
    for (int se = 0; se < pt->ns; se++) {
        struct strbuf d = STRBUF_INIT;
        for (int x = 0; x < pt->nx; x++) {
            double y = r->best[i][(size_t)se * pt->nx + x];
            if (isnan(y))
                continue;
            char b1[40];
            if (numeric_x)
                sb_addf(&d, "%ld %s\n", pt->xv[x], num(y, b1));
            else
                sb_addf(&d, "%d %s\n", x, num(y, b1));
            lo = fmin(lo, y);
            hi = fmax(hi, y);
        }
        if (d.len) {
            struct strbuf dname = STRBUF_INIT;
            sb_addf(&dname, "%s-%d", pt->name, se);
            sb_adds(&cmd, lines++ ? ", " : "plot ");
            plot_data(pl, &cmd, dname.buf, &d);
            sb_release(&dname);
            /* Colours repeat after 8 series: point types and dashes do not. */
            static const int ptype[] = { 7, 5, 9, 11, 13, 15, 4, 6, 8, 10, 12, 14 };
            char title[160];
            series_title(s, pt->series, pt->sv[se], title, sizeof title);
            sb_addf(&cmd, " using 1:2 with %s pt %d ps 1.2 lw 1.5 dt %d lc %d title ",
                    numeric_x ? "linespoints" : "points", ptype[se % 12], 1 + se / 8 % 4,
                    1 + se % 8);
            gp_str(&cmd, title);
            sb_adds(&cmd, " noenhanced");
        }
        sb_release(&d);
    }
    if (!lines)
        plot_nothing(&cmd);
    else if (wide(lo, hi))
        sb_adds(&body, "set logscale y\n");
    sb_addf(&body, "%s", cmd.buf);
    plot_emit(pl, pt->name, body.buf);
    sb_release(&cmd);
    sb_release(&body);
}

/* ---- strategy comparison ------------------------------------------------------ */

struct cmp_row {
    const char *strategy;
    uint64_t evals;
    size_t found;
};

static int compare_strategies(const struct sweep *s, int jobs, struct front *truth,
                              struct cmp_row **rows, struct point *p)
{
    front_init(truth, s->nobj);
    for (uint64_t i = 0; i < s->size; i++) {
        sweep_eval(s, i, p);
        if (p->status == P_FEASIBLE)
            front_add(truth, i, p->obj);
    }
    front_sort(truth);
    static const double frac[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5 };
    int n = 0;
    struct cmp_row *v = xcalloc(2 * 6 + 1, sizeof *v);
    uint64_t prev = 0;
    for (int i = 0; i < 6; i++) {
        uint64_t b = (uint64_t)ceil(frac[i] * (double)s->size);
        if (b < 10)
            b = 10;
        if (b >= s->size || b == prev)
            continue;
        prev = b;
        for (int st = STRAT_RANDOM; st <= STRAT_ANNEAL; st++) {
            size_t m;
            uint64_t *idx = strategy_indices(s, (enum strategy)st, b, 0, s->chains, jobs, &m);
            size_t found = 0;
            for (size_t j = 0; j < m; j++)
                found += (size_t)front_has(truth, idx[j]);
            free(idx);
            v[n++] = (struct cmp_row){ strategy_names[st], (uint64_t)m, found };
        }
    }
    v[n++] = (struct cmp_row){ "exhaustive", s->size, truth->n };
    *rows = v;
    return n;
}

static void strategies_plot(struct gp *pl, const struct sweep *s, const struct cmp_row *v,
                            int n, size_t truth)
{
    struct strbuf cmd = STRBUF_INIT, body = STRBUF_INIT;
    sb_adds(&body, "reset\nset grid\nset key bottom right\nset logscale x\n");
    gp_setf(&body, "title", "%s: share of the true Pareto front found", s->name);
    sb_adds(&body, "set xlabel 'evaluations'\nset ylabel 'front points found (%)'\n"
                   "set yrange [0:105]\n");
    for (int st = STRAT_RANDOM; st <= STRAT_ANNEAL; st++) {
        struct strbuf d = STRBUF_INIT;
        for (int i = 0; i < n; i++)
            if (!strcmp(v[i].strategy, strategy_names[st]))
                sb_addf(&d, "%llu %.2f\n", (unsigned long long)v[i].evals,
                        truth ? 100.0 * v[i].found / truth : 0);
        sb_adds(&cmd, st == STRAT_RANDOM ? "plot " : ", ");
        plot_data(pl, &cmd, strategy_names[st], &d);
        sb_addf(&cmd, " using 1:2 with linespoints pt 7 lw 1.5 title '%s'", strategy_names[st]);
        sb_release(&d);
    }
    sb_addf(&body, "%s", cmd.buf);
    plot_emit(pl, "strategies", body.buf);
    sb_release(&cmd);
    sb_release(&body);
}

/* Run the script, then copy each image into dir. */
static int plot_render(struct gp *pl, const char *dir, char **names, int nnames)
{
    int rc = gp_run(pl);
    for (int i = 0; i < nnames && !rc; i++)
        for (int e = 0; e < 2 && !rc; e++) {
            const char *ext = e ? "png" : "svg";
            struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
            sb_addf(&from, "%s.%s", names[i], ext);
            sb_addf(&to, "%s/%s.%s", dir, names[i], ext);
            rc = gp_publish(pl, from.buf, to.buf);
            sb_release(&from);
            sb_release(&to);
        }
    return rc;
}

/* ---- report.md ------------------------------------------------------------------ */

static void limit_text(struct strbuf *sb, const struct sweep *s, const struct point *p)
{
    const struct cost *c = &p->c;
    char b1[40], b2[40], b3[40];
    if (c->memory_bound) {
        double need = (c->bytes_weights + c->bytes_acts + c->bytes_results) / c->time_compute_s * 1e-9;
        sb_addf(sb, "memory bandwidth: the workload needs %s GB/s to keep the core busy, "
                    "the memory gives %s GB/s", num(need, b1), num(p->bw, b2));
    } else if (s->clock_ns > 0) {
        sb_addf(sb, "compute at the target clock of %s ns: %s MAC/cycle", num(s->clock_ns, b1),
                num(c->peak_macs_per_cycle, b2));
        if (c->critical_path_ns > 0)
            sb_addf(sb, " (critical path %s ns in %s)", num(c->critical_path_ns, b3),
                    c->critical_stage);
    } else if (c->critical_path_ns > 0) {
        sb_addf(sb, "compute and clock: %s MAC/cycle at f_max %s MHz, set by the critical path "
                    "in %s (%s ns)", num(c->peak_macs_per_cycle, b1), num(c->fmax_mhz, b2),
                c->critical_stage, num(c->critical_path_ns, b3));
    } else {
        sb_addf(sb, "compute: %s MAC/cycle at the technology's clock of %s ns (no FPGA "
                    "timing model)", num(c->peak_macs_per_cycle, b1), num(c->clock_ns, b2));
    }
}

static void md_point(struct strbuf *md, const struct sweep *s, struct point *p)
{
    const struct tech *t = &s->tech[p->tech];
    int asic = t->target == TECH_ASIC;
    char b1[40];
    sb_addf(md, "- core `%s`, tech `%s`", s->blocks[p->block].label, t->name);
    if (p->bw > 0)
        sb_addf(md, ", %s GB/s", num(p->bw, b1));
    sb_addf(md, ", point %llu, fingerprint `%016llx`, parameter file "
                "[pareto/%llu.xml](pareto/%llu.xml)\n- parameters: `",
            (unsigned long long)p->index, (unsigned long long)dp_fingerprint(&p->dp),
            (unsigned long long)p->index, (unsigned long long)p->index);
    describe_params(s, p, md, " ");
    sb_adds(md, "`\n- figures:");
    static const int show[] = { G_AREA_UM2, G_LUTS, G_FFS, G_DSPS, G_BRAMS, G_CRITICAL_PATH_NS,
                                G_FMAX_MHZ, G_CLOCK_NS, G_ENERGY_PJ_PER_MAC, G_POWER_MW,
                                G_MACS_PER_CYCLE, G_GMACS_PER_S, G_GMACS_PER_S_PER_MM2,
                                G_GMACS_PER_S_PER_KLUT, G_TIME_S };
    int first = 1;
    for (size_t i = 0; i < sizeof show / sizeof show[0]; i++) {
        double v = p->fig[show[i]];
        if (isnan(v))
            continue;
        sb_addf(md, "%s %s %s %s", first ? "" : ",", fig_table[show[i]].name, num(v, b1),
                fig_table[show[i]].unit);
        first = 0;
    }
    sb_adds(md, "\n- limited by: ");
    limit_text(md, s, p);
    sb_adds(md, "\n\n");
    /* Component breakdown. */
    cost_components(&p->dp, t, &p->c);
    enum metric m0 = asic ? M_AREA : M_LUTS;
    sb_addf(md, "| component | %s (%s) | share |", metric_names[m0], metric_units[m0]);
    int energy = t->has[M_ENERGY];
    if (energy)
        sb_adds(md, " energy (pJ/cycle) | share |");
    sb_adds(md, "\n|---|---:|---:|");
    if (energy)
        sb_adds(md, "---:|---:|");
    sb_adds(md, "\n");
    for (int k = 0; k < COMP__COUNT; k++) {
        double a = p->c.comp[k][m0], e = p->c.comp[k][M_ENERGY];
        if (a == 0 && (!energy || e == 0))
            continue;
        char b2[40];
        sb_addf(md, "| %s | %s | %.1f %% |", comp_names[k], num(a, b1),
                p->c.total[m0] > 0 ? 100 * a / p->c.total[m0] : 0);
        if (energy)
            sb_addf(md, " %s | %.1f %% |", num(e, b2),
                    p->c.total[M_ENERGY] > 0 ? 100 * e / p->c.total[M_ENERGY] : 0);
        sb_adds(md, "\n");
    }
    sb_adds(md, "\n");
}

static void md_summary(struct strbuf *md, const struct sweep *s, const struct result *r)
{
    char b1[40];
    sb_adds(md, "Generated by `ternforge sweep` from the sweep file copied beside this report "
                "as `sweep.xml`. Every figure is the analytical cost model's "
                "(docs/cost-model.md); its measured error is in reports/validate-*.txt.\n\n");
    sb_adds(md, "| | |\n|---|---|\n");
    if (s->wl.model) {
        const struct model_desc *m = s->wl.model;
        struct model_other o;
        model_other(m, &o);
        sb_addf(md, "| workload | model `%s` (%s, docs/models.md), %s of %ld token(s): every "
                    "ternary matrix of a token, one job each: %s ternary MACs per token, "
                    "matrices up to %ld x %ld |\n", m->name, m->hf, s->phase, s->wl.B,
                num(o.ternary_macs, b1), s->wl.M, s->wl.N);
        char b2[40], b3[40], b4[40], b5[40];
        if (m->vocab)
            sb_addf(md, "| not on this core | per token, 16-bit: LM head %s MACs reading %s B, "
                        "embedding row %s B; per cached position: attention %s FLOPs, KV cache "
                        "%s B |\n", num(o.lm_head_macs, b1), num(o.lm_head_bytes, b2),
                    num(o.embed_bytes, b3), num(o.attn_flops_per_pos, b4),
                    num(o.kv_bytes_per_pos, b5));
        else
            sb_addf(md, "| not on this core | per token, 16-bit: LM head not counted "
                        "(vocabulary not verified), embedding row %s B; per cached position: "
                        "attention %s FLOPs, KV cache %s B |\n", num(o.embed_bytes, b2),
                    num(o.attn_flops_per_pos, b3), num(o.kv_bytes_per_pos, b4));
    } else {
        sb_addf(md, "| workload | M=%ld N=%ld B=%ld (Y = W X, W ternary or fixp) |\n", s->wl.M,
                s->wl.N, s->wl.B);
    }
    sb_adds(md, "| technologies |");
    for (int t = 0; t < s->ntech; t++)
        sb_addf(md, " %s", s->tech[t].name);
    sb_adds(md, " |\n| memory |");
    for (int i = 0; i < s->n_bw; i++) {
        char mb[128];
        if (s->bw[i] > 0)
            sb_addf(md, "%s %s%s", i ? "," : "", axis_value_name(s, DIM_BW, i, mb, sizeof mb),
                    s->mem_name[i] ? "" : " GB/s");
        else
            sb_addf(md, "%s none (no roofline)", i ? "," : "");
        if (s->mem_pj[i] > 0)
            sb_addf(md, " at %s pJ/bit", num(s->mem_pj[i], b1));
        if (s->mem_preset[i])
            sb_addf(md, " (preset `%s`: %s)", s->mem_preset[i]->name, s->mem_preset[i]->what);
    }
    sb_adds(md, " |\n");
    if (s->clock_ns > 0)
        sb_addf(md, "| target clock | %s ns (slower designs are infeasible) |\n",
                num(s->clock_ns, b1));
    else
        sb_adds(md, "| clock | each design at its modelled f_max |\n");
    sb_adds(md, "| constraints |");
    if (!s->ncons)
        sb_adds(md, " none");
    for (int i = 0; i < s->ncons; i++) {
        const struct constraint *c = &s->cons[i];
        char b2[40];
        sb_addf(md, "%s %s", i ? "," : "", c->name);
        if (!isnan(c->min))
            sb_addf(md, " >= %s", num(c->min, b1));
        if (!isnan(c->max))
            sb_addf(md, " <= %s", num(c->max, b2));
    }
    sb_adds(md, " |\n| objectives |");
    for (int i = 0; i < s->nobj; i++)
        sb_addf(md, "%s %s (%s)", i ? "," : "", obj_name(s, i), s->obj[i].maximize ? "max" : "min");
    sb_addf(md, " |\n| strategy | %s, seed %llu", strategy_names[s->strategy],
            (unsigned long long)s->seed);
    if (s->strategy != STRAT_EXHAUSTIVE)
        sb_addf(md, ", budget %llu", (unsigned long long)s->budget);
    if (s->strategy == STRAT_ANNEAL)
        sb_addf(md, ", %d chains", s->chains);
    sb_addf(md, " |\n| space | %llu points in %d core blocks |\n", (unsigned long long)s->size,
            s->nblocks);
    sb_addf(md, "| evaluated | %llu: %llu feasible, %llu infeasible (a constraint or the clock), "
                "%llu invalid (parameters rejected) |\n",
            (unsigned long long)r->evaluated, (unsigned long long)r->feasible,
            (unsigned long long)r->infeasible, (unsigned long long)r->invalid);
    sb_addf(md, "| Pareto front | %zu points (pareto.csv, pareto.json; each point's parameter "
                "file: pareto/INDEX.xml, `ternforge gen pareto/INDEX.xml -o DIR` gives its "
                "RTL) |\n\n", r->front.n);
}

/* Every <core> block with its counts: evaluated, feasible, infeasible by
 * reason with the range of the violating figure, invalid with the first
 * message, so a family that never fits is visible and says why. */
static void md_blocks(struct strbuf *md, const struct sweep *s, const struct result *r)
{
    char b1[40], b2[40], b3[40];
    sb_adds(md, "## Core blocks\n\nEvery `<core>` block of the sweep: the points evaluated, "
                "how many are feasible, why the others are not (the constraint or the target "
                "clock, with the range of the figure that violates it) and how many "
                "parameter combinations are invalid.\n\n"
                "| core | evaluated | feasible | infeasible | invalid |\n|---|---:|---:|---|---:|\n");
    for (int b = 0; b < s->nblocks; b++) {
        uint64_t infea = 0;
        for (int k = 0; k < r->nreasons; k++)
            infea += r->blk_infeasible[(size_t)b * r->nreasons + k];
        uint64_t ev = r->blk_feasible[b] + infea + r->blk_invalid[b];
        sb_addf(md, "| `%s` | %llu | %llu |", s->blocks[b].label, (unsigned long long)ev,
                (unsigned long long)r->blk_feasible[b]);
        int first = 1;
        for (int k = 0; k < r->nreasons; k++) {
            size_t j = (size_t)b * r->nreasons + k;
            if (!r->blk_infeasible[j])
                continue;
            num(r->blk_lo[j], b1);
            num(r->blk_hi[j], b2);
            const char *range = strcmp(b1, b2) ? "to" : NULL;
            sb_addf(md, "%s %llu ", first ? "" : ";", (unsigned long long)r->blk_infeasible[j]);
            if (k == 0) {
                sb_addf(md, "clock: critical path %s%s%s ns > %s ns", b1, range ? " to " : "",
                        range ? b2 : "", num(s->clock_ns, b3));
            } else {
                const struct constraint *c = &s->cons[k - 1];
                const struct fig_desc *fd = &fig_table[s->asic ? c->fig : c->fig_fpga];
                sb_addf(md, "%s", c->name);
                if (!isnan(c->min))
                    sb_addf(md, " >= %s", num(c->min, b3));
                if (!isnan(c->max))
                    sb_addf(md, "%s <= %s", isnan(c->min) ? "" : ",", num(c->max, b3));
                sb_addf(md, ": %s %s%s%s %s", fd->name, b1, range ? " to " : "", range ? b2 : "",
                        fd->unit);
            }
            first = 0;
        }
        if (first)
            sb_adds(md, " 0");
        sb_addf(md, " | %llu |\n", (unsigned long long)r->blk_invalid[b]);
    }
    sb_adds(md, "\n");
    int none = 0;
    for (int b = 0; b < s->nblocks; b++)
        none += r->blk_feasible[b] == 0;
    if (none) {
        sb_adds(md, "**No feasible point** in:");
        for (int b = 0, k = 0; b < s->nblocks; b++)
            if (!r->blk_feasible[b])
                sb_addf(md, "%s `%s`", k++ ? "," : "", s->blocks[b].label);
        sb_adds(md, ". They are absent from the front and the plots for the reasons above.\n\n");
    }
    if (!r->invalid)
        return;
    sb_adds(md, "Invalid points are parameter combinations the design-point checks reject "
                "(the same checks a parameter file gets); the first one of each block:\n\n");
    for (int b = 0; b < s->nblocks; b++) {
        if (!r->blk_invalid[b])
            continue;
        struct strbuf why = STRBUF_INIT;
        sweep_why_invalid(s, r->blk_first_invalid[b], &why);
        while (why.len && why.buf[why.len - 1] == '\n')
            why.buf[--why.len] = '\0';
        for (char *c = why.buf; c && *c; c++)
            if (*c == '\n')
                *c = ' ';
        sb_addf(md, "- `%s`: %llu invalid; point %llu: %s\n", s->blocks[b].label,
                (unsigned long long)r->blk_invalid[b],
                (unsigned long long)r->blk_first_invalid[b], why.buf ? why.buf : "");
        sb_release(&why);
    }
    sb_adds(md, "\n");
}

/* The numbers behind a curve plot: best y per x (rows) and series. */
static void plot_table(struct strbuf *md, const struct sweep *s, const struct result *r, int i)
{
    const struct plot *pt = &s->plots[i];
    const struct fig_desc *fy = &fig_table[pt->y];
    char buf[128], title[160];
    sb_addf(md, "### %s: best %s (%s) per %s\n\n| %s |", pt->name, fy->name, fy->unit,
            axis_name(pt->x), axis_name(pt->x));
    int used = 0;
    for (int se = 0; se < pt->ns; se++) {
        if (!series_any(s, r, i, se))
            continue;
        series_title(s, pt->series, pt->sv[se], title, sizeof title);
        sb_addf(md, " %s |", title);
        used++;
    }
    sb_adds(md, "\n|---|");
    for (int k = 0; k < used; k++)
        sb_adds(md, "---:|");
    sb_adds(md, "\n");
    for (int x = 0; x < pt->nx; x++) {
        sb_addf(md, "| %s |", axis_value_name(s, pt->x, pt->xv[x], buf, sizeof buf));
        for (int se = 0; se < pt->ns; se++) {
            if (!series_any(s, r, i, se))
                continue;
            double y = r->best[i][(size_t)se * pt->nx + x];
            sb_addf(md, " %s |", isnan(y) ? "" : num(y, buf));
        }
        sb_adds(md, "\n");
    }
    struct strbuf missing = STRBUF_INIT;
    missing_series(s, r, i, &missing);
    if (missing.len)
        sb_addf(md, "\nNo feasible point (no curve): %s; the Core blocks section says why.\n",
                missing.buf);
    sb_release(&missing);
    sb_adds(md, "\n");
}

/* The front, one row per hardware: points that differ only in the
 * memory setting (bandwidth, energy per bit) are the same design, shown
 * once with the range of their settings and figures. */
static void md_front(struct strbuf *md, const struct sweep *s, const struct result *r,
                     struct point *p)
{
    char b1[40], b2[40];
    sb_adds(md, "## Pareto front\n\n");
    size_t n = r->front.n;
    size_t *ord = front_order(r);
    uint64_t *key = xmalloc(sizeof *key * (n ? n : 1));
    int *tech = xmalloc(sizeof *tech * (n ? n : 1)), *blk = xmalloc(sizeof *blk * (n ? n : 1));
    int *done = xcalloc(n ? n : 1, sizeof *done);
    for (size_t j = 0; j < n; j++) {
        sweep_eval(s, r->front.idx[ord[j]], p);
        key[j] = dp_fingerprint(&p->dp);
        tech[j] = p->tech;
        blk[j] = p->block;
    }
    size_t groups = 0;
    for (size_t j = 0; j < n; j++)
        if (!done[j]) {
            groups++;
            for (size_t k = j; k < n; k++)
                if (key[k] == key[j] && tech[k] == tech[j] && blk[k] == blk[j])
                    done[k] = 1;
        }
    memset(done, 0, sizeof *done * (n ? n : 1));
    size_t shown = groups < 40 ? groups : 40;
    sb_addf(md, "%zu points, %zu distinct designs (points that differ only in the memory "
                "setting are one design: one row, with the range of their figures).",
            n, groups);
    if (groups > shown)
        sb_addf(md, " The first %zu designs by %s; every point is in pareto.csv.", shown,
                obj_name(s, 0));
    sb_adds(md, "\n\n");
    int bwcol = s->n_bw > 1;
    sb_addf(md, "| points | core | tech |%s", bwcol ? " memory |" : "");
    for (int i = 0; i < s->nobj; i++)
        sb_addf(md, " %s |", obj_name(s, i));
    sb_addf(md, " bound | parameters |\n|---:|---|---|%s", bwcol ? "---|" : "");
    for (int i = 0; i < s->nobj; i++)
        sb_adds(md, "---:|");
    sb_adds(md, "---|---|\n");
    size_t row = 0;
    for (size_t j = 0; j < n && row < shown; j++) {
        if (done[j])
            continue;
        row++;
        struct strbuf idx = STRBUF_INIT, mem = STRBUF_INIT;
        double lo[SWEEP_MAX_OBJ], hi[SWEEP_MAX_OBJ];
        int bound[2] = { 0, 0 };
        for (int i = 0; i < s->nobj; i++)
            lo[i] = HUGE_VAL, hi[i] = -HUGE_VAL;
        for (size_t k = j; k < n; k++) {
            if (key[k] != key[j] || tech[k] != tech[j] || blk[k] != blk[j])
                continue;
            done[k] = 1;
            sweep_eval(s, r->front.idx[ord[k]], p);
            sb_addf(&idx, "%s[%llu](pareto/%llu.xml)", idx.len ? ", " : "",
                    (unsigned long long)p->index, (unsigned long long)p->index);
            char mb[128];
            sb_addf(&mem, "%s%s", mem.len ? ", " : "",
                    axis_value_name(s, DIM_BW, p->mem, mb, sizeof mb));
            for (int i = 0; i < s->nobj; i++) {
                double v = p->fig[fig_of(s, p, s->obj[i].fig, s->obj[i].fig_fpga)];
                lo[i] = fmin(lo[i], v);
                hi[i] = fmax(hi[i], v);
            }
            bound[p->c.memory_bound] = 1;
        }
        sweep_eval(s, r->front.idx[ord[j]], p);
        sb_addf(md, "| %s | %s | %s |", idx.buf, s->blocks[p->block].label, s->tech[p->tech].name);
        if (bwcol)
            sb_addf(md, " %s |", mem.buf);
        for (int i = 0; i < s->nobj; i++) {
            if (lo[i] == hi[i])
                sb_addf(md, " %s |", num(lo[i], b1));
            else
                sb_addf(md, " %s to %s |", num(lo[i], b1), num(hi[i], b2));
        }
        sb_addf(md, " %s | `", bound[0] && bound[1] ? "compute, memory"
                              : bound[1]            ? "memory"
                                                    : "compute");
        describe_params(s, p, md, " ");
        sb_adds(md, "` |\n");
        sb_release(&idx);
        sb_release(&mem);
    }
    sb_adds(md, "\n");
    free(ord);
    free(key);
    free(tech);
    free(blk);
    free(done);
}

/* ---- recommendation ------------------------------------------------------------ */

/* Why point p is not a design for the target: its infeasibility, or the
 * tokens/s it reaches and what bounds them. */
static void fail_text(struct strbuf *sb, const struct sweep *s, const struct point *p)
{
    char b1[40], b2[40];
    if (p->status == P_INFEASIBLE && p->why_i == 0)
        sb_addf(sb, "misses the target clock: critical path %s ns > %s ns",
                num(p->why_v, b1), num(s->clock_ns, b2));
    else if (p->status == P_INFEASIBLE)
        sb_addf(sb, "violates the constraint on %s (%s)", p->why, num(p->why_v, b1));
    else
        sb_addf(sb, "reaches %s tokens/s, %s-bound", num(p->fig[G_TOKENS_PER_S], b1),
                p->c.memory_bound ? "memory" : "compute");
}

/* For each memory setting and technology, the smallest design (area or
 * LUTs) that reaches the target tokens/s, and why the next smaller design
 * evaluated does not. Exhaustive sweeps scan the whole space; others
 * only the front and the scatter sample (said so). */
static void md_recommend(struct strbuf *md, const struct sweep *s, const struct result *r,
                         struct point *p)
{
    char b1[40], b2[40], b3[40];
    double target = s->target_tokens_per_s;
    int all = s->strategy == STRAT_EXHAUSTIVE;
    size_t n = all ? (size_t)s->size : r->front.n + r->nsample;
    sb_addf(md, "## Recommendation\n\nThe smallest design reaching %s tokens/s (the sweep's "
                "`target_tokens_per_s`), per memory setting and technology, among %s; and "
                "why the next smaller design does not.\n\n",
            num(target, b1), all ? "every point of the space" :
            "the front and the scatter sample only (the sweep is not exhaustive)");
    int ns = s->n_bw * s->ntech;
    uint64_t *best = xmalloc(sizeof *best * (size_t)ns), *next = xmalloc(sizeof *next * (size_t)ns);
    double *ba = xmalloc(sizeof *ba * (size_t)ns), *na = xmalloc(sizeof *na * (size_t)ns);
    for (int k = 0; k < ns; k++)
        best[k] = next[k] = UINT64_MAX, ba[k] = HUGE_VAL, na[k] = -HUGE_VAL;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            uint64_t x = all ? (uint64_t)i : i < r->front.n ? r->front.idx[i]
                                                             : r->sample[i - r->front.n];
            sweep_eval(s, x, p);
            if (p->status == P_INVALID)
                continue;
            int k = p->mem * s->ntech + p->tech;
            double a = p->fig[fig_of(s, p, G_AREA_UM2, G_LUTS)];
            int meets = p->status == P_FEASIBLE && p->fig[G_TOKENS_PER_S] >= target;
            if (!pass && meets && (a < ba[k] || (a == ba[k] && x < best[k])))
                ba[k] = a, best[k] = x;
            /* the largest design below the recommended one (or below all, if none) */
            if (pass && a < ba[k] && (a > na[k] || (a == na[k] && x < next[k])))
                na[k] = a, next[k] = x;
        }
    sb_adds(md, "| memory | tech | design | point | area | tokens/s | energy/token | the next "
                "smaller design (the largest, if none reaches the target) |\n|---|---|---|---:|---:|---:|---:|---|\n");
    for (int m = 0; m < s->n_bw; m++)
        for (int t = 0; t < s->ntech; t++) {
            int k = m * s->ntech + t;
            char mb[128];
            sb_addf(md, "| %s | %s |", axis_value_name(s, DIM_BW, m, mb, sizeof mb),
                    s->tech[t].name);
            if (best[k] == UINT64_MAX) {
                sb_adds(md, " none reaches the target | | | | |");
            } else {
                sweep_eval(s, best[k], p);
                sb_addf(md, " `%s`: `", s->blocks[p->block].label);
                describe_params(s, p, md, " ");
                sb_addf(md, "` | %llu | %s | %s | %s |", (unsigned long long)best[k], num(ba[k], b1),
                        num(p->fig[G_TOKENS_PER_S], b2),
                        isnan(p->fig[G_ENERGY_UJ_PER_TOKEN]) ? "" :
                        num(p->fig[G_ENERGY_UJ_PER_TOKEN], b3));
            }
            if (next[k] == UINT64_MAX) {
                sb_adds(md, " none smaller |\n");
                continue;
            }
            sweep_eval(s, next[k], p);
            sb_addf(md, " point %llu (`%s`, area %s): ", (unsigned long long)next[k],
                    s->blocks[p->block].label, num(na[k], b1));
            fail_text(md, s, p);
            sb_adds(md, " |\n");
        }
    sb_adds(md, "\nThe parameters of a design are its point's row of points.csv; `energy/token` "
                "is in uJ (core and memory).\n\n");
    free(best);
    free(next);
    free(ba);
    free(na);
}

static int write_report(const struct sweep *s, const struct result *r, const char *dir,
                        const struct report_opts *o, char **plots, int nplots,
                        const struct cmp_row *cmp, int ncmp, size_t truth, struct point *p)
{
    struct strbuf md = STRBUF_INIT;
    char b1[40], b2[40];
    md_summary(&md, s, r);

    sb_adds(&md, "## Best design per objective\n\n");
    if (!r->front.n)
        sb_adds(&md, "No feasible point: relax the constraints or widen the space.\n\n");
    for (int i = 0; i < s->nobj && r->front.n; i++) {
        size_t best = 0;
        for (size_t j = 1; j < r->front.n; j++)
            if (r->front.obj[j * s->nobj + i] < r->front.obj[best * s->nobj + i])
                best = j;
        sweep_eval(s, r->front.idx[best], p);
        double v = p->fig[fig_of(s, p, s->obj[i].fig, s->obj[i].fig_fpga)];
        sb_addf(&md, "### %s %s: %s %s\n\n", s->obj[i].maximize ? "Highest" : "Lowest",
                obj_name(s, i), num(v, b1), fig_table[fig_of(s, p, s->obj[i].fig, s->obj[i].fig_fpga)].unit);
        md_point(&md, s, p);
    }

    md_blocks(&md, s, r);

    md_front(&md, s, r, p);
    if (s->target_tokens_per_s > 0)
        md_recommend(&md, s, r, p);

    if (nplots) {
        sb_adds(&md, "## Plots\n\nEach plot is also a PNG of the same name.\n\n");
        for (int i = 0; i < nplots; i++)
            sb_addf(&md, "![%s](%s.svg)\n\n", plots[i], plots[i]);
    }
    for (int i = 0; i < s->nplots; i++)
        plot_table(&md, s, r, i);

    if (ncmp) {
        sb_addf(&md, "## Search strategies on this space\n\nThe space has %llu points, so the "
                     "true front (%zu points) is known. Share of it each strategy "
                     "evaluated, at the same seed:\n\n| strategy | evaluations | front points "
                     "found | share | found per 1000 evaluations |\n|---|---:|---:|---:|---:|\n",
                (unsigned long long)s->size, truth);
        for (int i = 0; i < ncmp; i++)
            sb_addf(&md, "| %s | %llu | %zu | %.1f %% | %s |\n", cmp[i].strategy,
                    (unsigned long long)cmp[i].evals, cmp[i].found,
                    truth ? 100.0 * cmp[i].found / truth : 0,
                    num(cmp[i].evals ? 1000.0 * cmp[i].found / cmp[i].evals : 0, b1));
        sb_adds(&md, "\n");
    }

    if (o->synth) {
        const struct synth_check *sc = o->synth;
        sb_addf(&md, "## Synthesis of the top %d front points\n\n", sc->n);
        sb_addf(&md, "Real synthesis (`ternforge synth`) of the best front points by %s; "
                     "flow `--hier` above the tile size where `synth` keeps the hierarchy by "
                     "itself (docs/cost-model.md).\n\n"
                     "| point | core | flow | model %s | measured | error |\n"
                     "|---:|---|---|---:|---:|---:|\n",
                obj_name(s, 0), sc->what);
        int ok = 0, agree = 0, pairs = 0;
        for (int i = 0; i < sc->n; i++) {
            sweep_eval(s, sc->idx[i], p);
            if (sc->ok[i]) {
                ok++;
                sb_addf(&md, "| %llu | %s | %s | %s | %s | %+.1f %% |\n",
                        (unsigned long long)sc->idx[i], s->blocks[p->block].label,
                        sc->hier[i] ? "--hier" : "flat", num(sc->model[i], b1),
                        num(sc->meas[i], b2), 100 * (sc->model[i] - sc->meas[i]) / sc->meas[i]);
            } else {
                sb_addf(&md, "| %llu | %s | %s | %s | failed | |\n",
                        (unsigned long long)sc->idx[i], s->blocks[p->block].label,
                        sc->hier[i] ? "--hier" : "flat", num(sc->model[i], b1));
            }
            for (int j = 0; j < i; j++)
                if (sc->ok[i] && sc->ok[j] && sc->model[i] != sc->model[j]) {
                    pairs++;
                    agree += (sc->model[i] < sc->model[j]) == (sc->meas[i] < sc->meas[j]);
                }
        }
        if (pairs)
            sb_addf(&md, "\nThe model orders %d of %d pairs as synthesis does (%.0f %%): the "
                         "ranking %s.\n\n", agree, pairs, 100.0 * agree / pairs,
                    agree == pairs ? "holds" : "does not fully hold");
        else
            sb_addf(&md, "\n%d of %d points synthesized; too few to compare rankings.\n\n", ok,
                    sc->n);
    }
    struct strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/report.md", dir);
    int rc = write_file_atomic(path.buf, md.buf, md.len);
    sb_release(&path);
    sb_release(&md);
    return rc;
}

/* pareto/<index>.xml: the resolved parameter file of every front point,
 * so `ternforge gen pareto/<index>.xml` gives its RTL (same fingerprint). */
static int write_front_xml(const struct sweep *s, const struct result *r, const char *dir,
                           struct point *p)
{
    struct strbuf path = STRBUF_INIT, why = STRBUF_INIT;
    sb_addf(&path, "%s/pareto", dir);
    int rc = mkdir_p(path.buf);
    for (size_t j = 0; !rc && j < r->front.n; j++) {
        sweep_eval(s, r->front.idx[j], p);
        const char *label = s->blocks[p->block].label;
        char b1[40];
        why.len = 0;
        if (why.buf)
            why.buf[0] = '\0';
        /* the sweep's own words go into an XML comment only when they can */
        int plain = !strstr(s->name, "--") && !strpbrk(s->name, "<>&") &&
                    !strstr(label, "--") && !strpbrk(label, "<>&");
        sb_addf(&why, "sweep %s, point %llu: core %s, tech %s", plain ? s->name : "",
                (unsigned long long)p->index, plain ? label : kind_names[p->dp.kind],
                s->tech[p->tech].name);
        if (p->bw > 0)
            sb_addf(&why, ", %s GB/s", num(p->bw, b1));
        char *xml = integ_params_xml(&p->dp, why.buf);
        path.len = 0;
        sb_addf(&path, "%s/pareto/%llu.xml", dir, (unsigned long long)p->index);
        rc = write_file_atomic(path.buf, xml, strlen(xml));
        free(xml);
    }
    sb_release(&path);
    sb_release(&why);
    return rc;
}

int report_write(const struct sweep *s, const struct result *r, const char *dir,
                 const struct report_opts *o)
{
    struct point *p = xmalloc(sizeof *p);
    int rc = write_pareto_csv(s, r, dir, p);
    if (!rc)
        rc = write_pareto_json(s, r, dir, p);
    if (!rc)
        rc = write_front_xml(s, r, dir, p);

    struct front truth = { 0 };
    struct cmp_row *cmp = NULL;
    int ncmp = 0;
    if (!rc && s->size <= s->compare_limit && s->size > 20)
        ncmp = compare_strategies(s, o->jobs, &truth, &cmp, p);

    char *names[256];
    int nnames = 0;
    struct gp pl;
    if (!rc && o->plots) {
        if (gp_begin(&pl)) {
            rc = -1;
        } else {
            for (int a = 0; a < s->nobj && a < 3; a++)
                for (int b = a + 1; b < s->nobj && b < 3; b++) {
                    struct sc_axis xa = { s->obj[a].fig, s->obj[a].fig_fpga, obj_name(s, a) };
                    struct sc_axis ya = { s->obj[b].fig, s->obj[b].fig_fpga, obj_name(s, b) };
                    struct strbuf n = STRBUF_INIT;
                    sb_addf(&n, "scatter-%s-%s", obj_name(s, a), obj_name(s, b));
                    scatter(&pl, s, r, &xa, &ya, s->nobj == 2, n.buf, p);
                    names[nnames++] = sb_detach(&n);
                }
            /* A model workload: tokens/s and energy per token against area. */
            for (int k = 0; s->wl.model && k < 2; k++) {
                if (k == 1 && s->fpga)
                    break; /* no energy model */
                int fy = k ? G_ENERGY_UJ_PER_TOKEN : G_TOKENS_PER_S;
                struct sc_axis xa = { G_AREA_UM2, G_LUTS, s->fpga ? (s->asic ? "area" : "fpga_luts")
                                                                  : "area_um2" };
                struct sc_axis ya = { fy, fy, fig_table[fy].name };
                struct strbuf n = STRBUF_INIT;
                sb_addf(&n, "model-%s-area", fig_table[fy].name);
                scatter(&pl, s, r, &xa, &ya, 0, n.buf, p);
                names[nnames++] = sb_detach(&n);
            }
            for (int i = 0; i < s->nplots && nnames < 250; i++) {
                curves(&pl, s, r, i);
                names[nnames++] = xstrdup(s->plots[i].name);
            }
            if (ncmp) {
                strategies_plot(&pl, s, cmp, ncmp, truth.n);
                names[nnames++] = xstrdup("strategies");
            }
            rc = plot_render(&pl, dir, names, nnames);
            gp_end(&pl);
        }
    }
    if (!rc)
        rc = write_report(s, r, dir, o, names, nnames, cmp, ncmp, truth.n, p);
    for (int i = 0; i < nnames; i++)
        free(names[i]);
    free(cmp);
    front_free(&truth);
    free(p);
    return rc;
}
