/* point.c - what the commands that read a parameter file share: loading
 * the design point, the simulator and seed options of run and sim, and
 * the weight and activation matrices of pack and run. */
#include <stdlib.h>
#include <string.h>

#include "softfloat.h"
#include "cli.h"
#include "../explore/sweep.h"
#include "../model/kind.h"
#include "util.h"

int load_point(const struct point_args *p, struct design_point *dp, const char *cmd)
{
    if (!p->file)
        return error("%s: error: %s: missing parameter file (usage: 'ternforge help %s')",
                     tf_progname, cmd, cmd);
    return dp_load(dp, p->file, p->sets.v, p->sets.n);
}

int parse_sim(const char *s, enum simulator *sim)
{
    if (!s || !strcmp(s, "verilator"))
        *sim = SIM_VERILATOR;
    else if (!strcmp(s, "iverilog"))
        *sim = SIM_IVERILOG;
    else
        return error("%s: error: option '--simulator': '%s' is not one of: verilator, "
                     "iverilog", tf_progname, tq(s));
    return 0;
}

int opt_seed(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    /* The sweep's parser: decimal digits only, no sign, no overflow. */
    if (parse_u64(val, OPT_DEST(dest, o, uint64_t)))
        return error("%s: error: option '%s': '%s' is not a non-negative integer",
                     tf_progname, tq(as_typed), tq(val));
    return 0;
}

/* FP activations: hex bit patterns (0x3c00) or decimals, rounded to
 * nearest even into act_type (.npy: see docs/params.md). */
static int read_fp_matrix(const struct design_point *dp, struct matrix *X, const char *path)
{
    char what[96];
    snprintf(what, sizeof what, "a %s value (a bit pattern like 0x3c00, or a decimal)",
             act_type_names[dp->act_type]);
    return mat_read_fp(X, path, dp->d.act_fmt, what);
}

int read_inputs(const struct design_point *dp, const char *weights, const char *acts,
                struct matrix *W, struct matrix *X, int need_w, int need_x, int compact)
{
    int errs = 0;
    memset(W, 0, sizeof *W);
    memset(X, 0, sizeof *X);
    if (need_w && !weights)
        return error("%s: error: missing '--weights W.txt'", tf_progname);
    if (need_x && !acts)
        return error("%s: error: missing '--acts X.txt'", tf_progname);
    if (weights && (compact ? mat_read_compact(W, weights) : mat_read(W, weights)))
        errs++;
    if (acts && (dp->d.mx ? mat_read_codes(X, acts, "an element code (hex like 0x3f)")
                 : dp->d.fp ? read_fp_matrix(dp, X, acts)
                 : compact  ? mat_read_compact(X, acts)
                            : mat_read(X, acts)))
        errs++;
    const struct kind_ops *k = kind_get(dp);
    if (!errs && mat_has(W) && mat_has(X) && k->check_inputs(dp, W, X))
        errs++;
    if (errs || (mat_has(W) && mat_has(X))) {
        if (errs) {
            mat_free(W);
            mat_free(X);
        }
        return errs ? -1 : 0;
    }
    /* Only one side given: check it against a neutral partner. */
    struct matrix other;
    int rc;
    if (mat_has(W)) {
        mat_init(&other, W->cols, 1);
        other.path = "(none)";
        rc = k->check_inputs(dp, W, &other);
    } else {
        mat_init(&other, 1, X->rows);
        other.path = "(none)";
        rc = k->check_inputs(dp, &other, X);
    }
    mat_free(&other);
    if (rc) {
        mat_free(W);
        mat_free(X);
    }
    return rc;
}

int read_scales(const struct design_point *dp, const char *path, struct matrix *X)
{
    if (!dp->d.mx)
        return path ? error("%s: error: --scales applies to block-scaled act_type only "
                            "(mxint8, mxfp8e4m3, ..., nvfp4), not %s", tf_progname,
                            act_type_names[dp->act_type])
                    : 0;
    if (!path)
        return error("%s: error: act_type=%s needs '--scales S.txt' (ceil(N/%d) x B scale "
                     "codes)", tf_progname, act_type_names[dp->act_type], dp->d.mx);
    struct matrix *S = xmalloc(sizeof *S);
    if (mat_read_codes(S, path, "a scale code (hex like 0x7f)")) {
        free(S);
        return -1;
    }
    S->hex_digits = 2;
    X->scales = S;
    if (mx_check_scales(dp, X)) {
        mat_free(S);
        free(S);
        X->scales = NULL;
        return -1;
    }
    return 0;
}
