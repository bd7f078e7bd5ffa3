/* tech.c - technology files: the unit costs the cost model multiplies.
 *
 * A technology file is plain text, one statement per line, '#' starts a
 * comment (docs/cost-model.md has the full format):
 *
 *   tech osu018
 *   target asic                      # asic | xc7 | ice40
 *   liberty /usr/share/qflow/tech/osu018/osu018_stdcells.lib
 *   clock_ns 10
 *   activity 0.1
 *   dsp 25 18 9                      # FPGA DSP tile: a, b, min product bits
 *   select_load 1.25                 # ASIC: a mux select pin in mean loads
 *   unit area add 41.5               # metric feature value
 *   delay add 0.31                   # delay term value (ns)
 *   sram area bit 17.3               # SRAM macros: area|read|write one|bit|word|col
 *   calibrated <free text>
 *
 * The built-in files (model/tech/NAME.tech) are embedded in the binary. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost.h"
#include "embedded.h"

const char *const tech_builtin_names[] = { "osu018", "xc7", "ice40", NULL };
static const char *const target_names[] = { "asic", "xc7", "ice40", NULL };
const char *const sram_what_names[] = { "area", "read", "write", NULL };
const char *const sram_term_names[] = { "one", "bit", "word", "col", NULL };

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (names[i] && !strcmp(names[i], s))
            return i;
    return -1;
}

void tech_free(struct tech *t)
{
    free(t->name);
    free(t->path);
    free(t->liberty);
    free(t->note);
    memset(t, 0, sizeof *t);
}

void tech_sram_units(struct tech *t)
{
    for (int i = 0; i < 4; i++) {
        t->unit[M_AREA][F_SRAM + i] = t->sram[0][i];
        t->unit[M_ENERGY][F_SRAM + i] = t->sram[1][i];
    }
}

double tech_sram_cost(const struct tech *t, int what, int depth, int width)
{
    const double *c = t->sram[what];
    return c[0] + c[1] * (double)depth * width + c[2] * depth + c[3] * width;
}

static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return !*s || *end || errno || !isfinite(*v) ? -1 : 0;
}

/* Parse `text` (from `path`) into t. Every error is printed with its line. */
static int tech_parse(struct tech *t, const char *path, char *text)
{
    int errs = 0, line = 0;
    memset(t, 0, sizeof *t);
    t->path = xstrdup(path);
    t->clock_ns = 10;
    t->activity = 0.1;
    for (char *p = text; p && *p; line++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        char *s = p;
        p = nl ? nl + 1 : NULL;
        /* names and paths go into reports and synthesis scripts */
        const char *ctl = s;
        while (*ctl && ((unsigned char)*ctl >= 0x20 || *ctl == '\t' || *ctl == '\r') &&
               *ctl != 0x7f)
            ctl++;
        if (*ctl) {
            error("%s:%d: error: control character 0x%02x", path, line + 1,
                  (unsigned char)*ctl);
            errs++;
            continue;
        }
        char *hash = strchr(s, '#');
        if (hash && strncmp(s, "calibrated", 10))
            *hash = 0;
        char *tok[6];
        int nt = 0;
        char *rest = NULL;
        for (char *q = strtok(s, " \t\r"); q && nt < 6; q = strtok(NULL, " \t\r")) {
            tok[nt++] = q;
            if (nt == 1 && !strcmp(q, "calibrated")) {
                rest = strtok(NULL, "\r");
                break;
            }
        }
        if (!nt)
            continue;
        int ln = line + 1;
        const char *k = tok[0];
        double v[3] = { 0, 0, 0 };
#define BAD(...) do { error(__VA_ARGS__); errs++; goto next; } while (0)
        if (!strcmp(k, "calibrated")) {
            free(t->note);
            t->note = xstrdup(rest ? rest : "");
        } else if (!strcmp(k, "tech") || !strcmp(k, "liberty")) {
            if (nt != 2)
                BAD("%s:%d: error: '%s' takes one value", path, ln, k);
            if (k[0] == 't' && (strlen(tok[1]) > 64 ||
                                strspn(tok[1], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                               "0123456789_.+-") != strlen(tok[1])))
                BAD("%s:%d: error: 'tech' name '%s' is not up to 64 letters, digits, '_', '.', "
                    "'+' and '-'", path, ln, tq(tok[1]));
            char **dst = k[0] == 't' ? &t->name : &t->liberty;
            free(*dst);
            *dst = xstrdup(tok[1]);
        } else if (!strcmp(k, "target")) {
            int i = nt == 2 ? lookup(target_names, 3, tok[1]) : -1;
            if (i < 0)
                BAD("%s:%d: error: 'target' must be asic, xc7 or ice40", path, ln);
            t->target = (enum tech_target)i;
        } else if (!strcmp(k, "clock_ns") || !strcmp(k, "activity")) {
            if (nt != 2 || parse_num(tok[1], &v[0]) || v[0] <= 0 ||
                (k[0] == 'a' && v[0] > 2))
                BAD("%s:%d: error: '%s' needs a positive number%s", path, ln, k,
                    k[0] == 'a' ? " up to 2" : "");
            *(k[0] == 'c' ? &t->clock_ns : &t->activity) = v[0];
        } else if (!strcmp(k, "select_load")) {
            if (nt != 2 || parse_num(tok[1], &v[0]) || !(v[0] > 0 && v[0] <= 16))
                BAD("%s:%d: error: 'select_load' needs a number above 0 and up to 16 (a "
                    "mux select pin in mean loads)", path, ln);
            t->delay[D_SEL_LOAD] = v[0] - 1;
        } else if (!strcmp(k, "dsp")) {
            /* counts (bits): cast to int below */
            if (nt != 4 || parse_num(tok[1], &v[0]) || parse_num(tok[2], &v[1]) ||
                parse_num(tok[3], &v[2]) || !(v[0] >= 0 && v[0] <= 1024) ||
                !(v[1] >= 0 && v[1] <= 1024) || !(v[2] >= 0 && v[2] <= 1024) ||
                v[0] != (int)v[0] || v[1] != (int)v[1] || v[2] != (int)v[2])
                BAD("%s:%d: error: 'dsp' takes three counts up to 1024: max a bits, max b "
                    "bits, min product bits", path, ln);
            /* the cost model divides operand widths by a and b (fuzzing found
             * "dsp 25 0 9": a division by zero) */
            if ((v[0] || v[1] || v[2]) && (v[0] < 1 || v[1] < 1))
                BAD("%s:%d: error: 'dsp': a DSP tile multiplies at least 1 x 1 bits "
                    "('dsp 0 0 0': no DSP tiles)", path, ln);
            t->dsp_a = (int)v[0];
            t->dsp_b = (int)v[1];
            t->dsp_y = (int)v[2];
        } else if (!strcmp(k, "ffs_count")) {
            if (nt != 1)
                BAD("%s:%d: error: 'ffs_count' takes no value", path, ln);
            t->ffs_count = 1;
        } else if (!strcmp(k, "unit")) {
            if (nt != 4)
                BAD("%s:%d: error: 'unit' takes: metric feature value", path, ln);
            int m = lookup(metric_names, M__COUNT, tok[1]);
            int f = lookup(feat_names, F__COUNT, tok[2]);
            if (m < 0)
                BAD("%s:%d: error: unknown metric '%s'", path, ln, tq(tok[1]));
            if (f < 0)
                BAD("%s:%d: error: unknown feature '%s'", path, ln, tq(tok[2]));
            if (!feat_fitted(f) && f != F_SLEW)
                BAD("%s:%d: error: SRAM macros are priced by 'sram' lines, not 'unit %s'",
                    path, ln, feat_names[f]);
            if (parse_num(tok[3], &v[0]) || v[0] < 0)
                BAD("%s:%d: error: unit cost '%s' must be a number >= 0", path, ln, tq(tok[3]));
            t->unit[m][f] = v[0];
            t->has[m] = 1;
            if (f == F_FPADDLUT)
                t->split_lut_fpadd = 1;
            if (f == F_SEL)
                t->split_sel = 1;
            if (f == F_ADDLUT)
                t->split_lut_add = 1;
            if (f == F_NEGM)
                t->split_negm = 1;
        } else if (!strcmp(k, "sram")) {
            int w = nt == 4 ? lookup(sram_what_names, 3, tok[1]) : -1;
            int f = nt == 4 ? lookup(sram_term_names, 4, tok[2]) : -1;
            if (w < 0 || f < 0)
                BAD("%s:%d: error: 'sram' takes: area|read|write one|bit|word|col value", path,
                    ln);
            if (parse_num(tok[3], &v[0]) || v[0] < 0)
                BAD("%s:%d: error: sram cost '%s' must be a number >= 0", path, ln, tq(tok[3]));
            t->sram[w][f] = v[0];
            t->has_sram = 1;
        } else if (!strcmp(k, "delay")) {
            int d = nt == 3 ? lookup(dterm_names, D__COUNT, tok[1]) : -1;
            if (nt != 3)
                BAD("%s:%d: error: 'delay' takes: term value", path, ln);
            if (d < 0)
                BAD("%s:%d: error: unknown delay term '%s'", path, ln, tq(tok[1]));
            if (parse_num(tok[2], &v[0]) || v[0] < 0)
                BAD("%s:%d: error: delay '%s' must be a number >= 0", path, ln, tq(tok[2]));
            t->delay[d] = v[0];
        } else {
            BAD("%s:%d: error: unknown statement '%s'", path, ln, tq(k));
        }
    next:;
#undef BAD
    }
    tech_sram_units(t);
    if (!errs && !t->name) {
        error("%s: error: no 'tech NAME' line", path);
        errs++;
    }
    if (!errs && t->target == TECH_ASIC && !t->liberty) {
        error("%s: error: an asic technology needs a 'liberty' line", path);
        errs++;
    }
    return errs ? -1 : 0;
}

static int is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".tech"));
}

int tech_load(struct tech *t, const char *name)
{
    char *text = NULL;
    struct strbuf path = STRBUF_INIT;
    if (is_path(name)) {
        sb_adds(&path, name);
        text = read_input(name, NULL);
        if (!text) {
            sb_release(&path);
            return -1;
        }
    } else {
        const char *dir = getenv("TERNFORGE_TECH_PATH");
        if (dir && *dir) {
            sb_addf(&path, "%s/%s.tech", dir, name);
            if (access(path.buf, F_OK) == 0 && !(text = read_input(path.buf, NULL))) {
                sb_release(&path);
                return -1;
            }
        }
        if (!text) {
            sb_release(&path);
            sb_addf(&path, "%s.tech", name);
            const char *bt = template_text(path.buf);
            if (!bt) {
                sb_release(&path);
                struct strbuf all = STRBUF_INIT;
                for (int i = 0; tech_builtin_names[i]; i++)
                    sb_addf(&all, "%s%s", i ? ", " : "", tech_builtin_names[i]);
                error("%s: error: unknown technology '%s' (built in: %s; or give a .tech file)",
                      tf_progname, tq(name), all.buf);
                sb_release(&all);
                return -1;
            }
            text = xstrdup(bt);
            sb_release(&path);
            sb_addf(&path, "<built-in>/%s.tech", name);
        }
    }
    cost_init();
    int rc = tech_parse(t, path.buf, text);
    free(text);
    sb_release(&path);
    if (rc)
        tech_free(t);
    return rc;
}

int tech_write(const struct tech *t, const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "# ternforge technology file (docs/cost-model.md)\n");
    sb_addf(&sb, "tech %s\ntarget %s\n", t->name, target_names[t->target]);
    if (t->liberty)
        sb_addf(&sb, "liberty %s\n", t->liberty);
    sb_addf(&sb, "clock_ns %.6g\nactivity %.6g\n", t->clock_ns, t->activity);
    if (t->delay[D_SEL_LOAD] != 0)
        sb_addf(&sb, "select_load %.6g\n", t->delay[D_SEL_LOAD] + 1);
    if (t->dsp_a || t->dsp_b || t->dsp_y)
        sb_addf(&sb, "dsp %d %d %d\n", t->dsp_a, t->dsp_b, t->dsp_y);
    if (t->ffs_count)
        sb_adds(&sb, "ffs_count\n");
    if (t->note)
        sb_addf(&sb, "calibrated %s\n", t->note);
    for (int m = 0; m < M__COUNT; m++) {
        if (!t->has[m])
            continue;
        sb_addf(&sb, "# %s (%s per feature unit)\n", metric_names[m], metric_units[m]);
        /* F_SRAM..: from the sram lines; addlut and negm only where they
         * are priced apart (their lines are what says so) */
        for (int f = 0; f < F__COUNT; f++)
            if (feat_fitted(f) && (f != F_ADDLUT || t->split_lut_add) &&
                (f != F_NEGM || t->split_negm))
                sb_addf(&sb, "unit %-6s %-6s %.6g\n", metric_names[m], feat_names[f],
                        t->unit[m][f]);
        if (t->unit[m][F_SLEW] > 0) /* held, not fitted (measured) */
            sb_addf(&sb, "unit %-6s %-6s %.6g\n", metric_names[m], feat_names[F_SLEW],
                    t->unit[m][F_SLEW]);
    }
    if (t->has_sram)
        sb_addf(&sb, "# SRAM macros: area (%s) and energy per read and write access (pJ) = "
                     "one + bit x bits + word x words + col x width\n",
                metric_units[M_AREA]);
    for (int w = 0; t->has_sram && w < 3; w++)
        for (int f = 0; f < 4; f++)
            sb_addf(&sb, "sram %-5s %-4s %.6g\n", sram_what_names[w], sram_term_names[f],
                    t->sram[w][f]);
    int timed = 0;
    for (int d = 0; d < D__COUNT; d++)
        timed |= t->delay[d] > 0;
    if (timed)
        sb_addf(&sb, "# critical-path model (ns)\n");
    for (int d = 0; timed && d < D__COUNT; d++)
        sb_addf(&sb, "delay %-6s %.6g\n", dterm_names[d], t->delay[d]);
    int rc = write_file_atomic(path, sb.buf, sb.len);
    sb_release(&sb);
    return rc;
}
