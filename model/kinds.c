/* kinds.c - the table of core kinds (from the registry common/kinds.def)
 * and what every kind shares: dp_finalize() (the shell's derivation around
 * the kind's own), the activation stream of integer lanes, the weight grid,
 * the result beat layout, input shapes and test values through the ops. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "actfmt.h"
#include "bits.h"
#include "kind.h"
#include "rng.h"
#include "shell_inv.h"

const struct kind_ops *const kind_table[KIND__COUNT] = {
#define KIND(E, name, flags) [KIND_##E] = &name##_ops,
#include "kinds.def"
};

void kind_bug(long kind)
{
    BUG("no ops for kind %ld", kind);
}

void kind_model_fast(const struct design_point *dp, const struct matrix *W,
                     const struct matrix *X, struct matrix *Y, int jobs)
{
    const struct kind_ops *k = kind_get(dp);
    if (k->model_fast) {
        k->model_fast(dp, W, X, Y, jobs);
        return;
    }
    model_wide(k->model, dp, W, X, Y);
}

void model_wide(void (*model)(const struct design_point *, const struct matrix *,
                              const struct matrix *, struct matrix *),
                const struct design_point *dp, const struct matrix *W, const struct matrix *X,
                struct matrix *Y)
{
    struct matrix tw, tx;
    model(dp, mat_wide(W, &tw), mat_wide(X, &tx), Y);
    mat_free(&tw);
    mat_free(&tx);
}

_Static_assert(ACC_WIDTH_MAX <= 64, "accumulators are computed in 64-bit words");
_Static_assert((long)TILE_COLS_MAX * 64 * BATCH_MAX <= INT_MAX &&
               (long)4096 * 64 * BATCH_MAX <= INT_MAX,
               "beats of batch columns (lanes x <= 64 bits x batch) are ints");
_Static_assert(DATAPATH_TERMS_MAX <= INT_MAX / 64 && TILE_COLS_MAX <= INT_MAX / 64,
               "stream widths (terms or lanes x <= 64 bits) are ints");

long tree_lv_sums[TREE_LV_SUMS_MAX + 1];

/* tree_lv_sums (shell_inv.h): the levels of tree_inventory's loop, n
 * terms pairing into ceil(n / 2) per level, clog2(n) levels. */
__attribute__((constructor)) static void init_tree_lv_sums(void)
{
    for (int n0 = 1; n0 <= TREE_LV_SUMS_MAX; n0++) {
        long s = 0;
        int levels = n0 > 1 ? clog2((uint64_t)n0) : 0;
        for (int lv = 1, n = n0; lv <= levels; lv++) {
            s += (long)lv * (n / 2);
            n = (n + 1) / 2;
        }
        tree_lv_sums[n0] = s;
    }
}

int dp_finalize(struct design_point *dp)
{
    struct dp_derived *d = &dp->d;
    /* "file:line" when there is a line. A sweep finalizes millions of
     * points of a few <core> blocks, and formatting it each time was an
     * eighth of a point's time: the thread keeps the last one (src
     * compared by content, not by pointer: a freed name's address may
     * come back with another file). */
    static _Thread_local struct {
        int line;
        char src[960];
        char loc[1024];
    } last;
    const char *loc = dp->src ? dp->src : "";
    if (dp->src_line > 0) {
        if (dp->src_line != last.line || strcmp(loc, last.src)) {
            snprintf(last.loc, sizeof last.loc, "%s:%d", loc, dp->src_line);
            last.line = strlen(loc) < sizeof last.src ? dp->src_line : 0;
            if (last.line)
                memcpy(last.src, loc, strlen(loc) + 1);
        }
        loc = last.loc;
    }
    int errs = 0;

    /* Not memset: that compiles to `rep stos`, whose start-up cost was a
     * third of this function (every field's zero is all zero bits). */
    _Static_assert(sizeof *d % 4 == 0, "zero_small clears 4 bytes at a time or more");
    zero_small(d, sizeof *d);
    /* Set parameters of another kind: one test of the mask, the loop only
     * to name them. */
    if ((unsigned long)dp->kind >= KIND__COUNT || (dp->set_mask & ~dp_kind_params(dp->kind))) {
        for (int i = 0; i < param_count; i++) {
            const struct param_desc *p = &param_table[i];
            if ((dp->set_mask >> i & 1) && !(p->kinds & KIND_BIT(dp->kind))) {
                error("%s: error: core: attribute '%s' does not apply to kind '%s'",
                      loc, p->name, kind_names[dp->kind]);
                errs++;
            }
        }
    }
    if (dp->interface == IF_AXIS && dp->reset != RST_SYNC) {
        error("%s: error: core: attribute 'reset': '%s' applies to the native interface; "
              "interface 'axis' has aresetn (synchronous, active low)", loc,
              reset_names[dp->reset]);
        errs++;
    }
    if (dp->acc_width == 1 && act_formats[dp->act_type].sf == SF_NONE) {
        error("%s: error: core: attribute 'acc_width': value 1 is out of range "
              "(0 = auto, or 2..64)", loc);
        errs++;
    }

    /* The kind's derive, at a call site of its own for each kind: each
     * has one target, which the branch predictor learns (through
     * kind_table[] a sweep's mixed points mispredict it). The registry
     * lists the kinds. */
#define KIND(E, name, flags) if (dp->kind == KIND_##E) errs += name##_ops.derive(dp, loc); else
#include "kinds.def"
        kind_bug(dp->kind);
    /* The shell: trees, stages, stream widths. Integer trees grow a bit
     * per level; FP trees keep the format and take fp_latency per level. */
    d->tree_levels = d->tree_terms > 1 ? clog2((uint64_t)d->tree_terms) : 0;
    d->tree_bits = d->fp ? d->term_bits : d->term_bits + d->tree_levels;
    if (d->mx) /* integer tree of elements, at the minimal exact width */
        d->tree_bits = mx_sum_bits((enum mx_elem)d->mx_elem, d->tile_cols);
    d->tree_end = 1 + d->term_depth + (int)dp->tree_stages +
                  (d->fp && !d->mx ? d->tree_levels * (int)dp->fp_latency : 0);
    d->stages = d->tree_end + d->acc_lat;
    if (!d->spacing)
        d->spacing = 1;
    if (d->fp)
        d->latency = 1 + d->stages;
    /* batch: the datapath once per column, all on the same weight beat;
     * an activation beat carries the same tile of every column. */
    d->acc_lanes = d->outputs * (int)dp->batch;
    d->act_bits = d->tile_cols * d->lane_in_bits * (int)dp->batch;
    if (dp->batch > 1 && (long)d->outputs * d->tree_terms * dp->batch > DATAPATH_TERMS_MAX) {
        error("%s: error: core: batch=%ld copies %ld terms per cycle %ld times: %ld terms "
              "(> %d)", loc, dp->batch, (long)d->outputs * d->tree_terms, dp->batch,
              (long)d->outputs * d->tree_terms * dp->batch, DATAPATH_TERMS_MAX);
        errs++;
    }
    if (d->mx) {
        /* Block-scaled (docs/protocol.md): integer trees; after them the
         * block converter (fp_latency stages) feeds the FP accumulator; the
         * beat carries the block's scale above its lanes; tiles never span
         * blocks. */
        d->tree_bits = d->term_bits + d->tree_levels;
        d->tree_end = 1 + d->term_depth + (int)dp->tree_stages + (int)dp->fp_latency;
        d->stages = d->tree_end + d->acc_lat;
        d->latency = 1 + d->stages;
        d->act_bits += d->scale_bits * (int)dp->batch; /* one scale per column */
        if (d->tile_cols > d->mx) {
            error("%s: error: core: %d inputs per cycle exceed the block size %d of act_type "
                  "'%s': a tile must not span two blocks", loc, d->tile_cols, d->mx,
                  act_type_names[dp->act_type]);
            errs++;
        }
    }
    if (dp->tree_stages > d->tree_levels + 1) {
        error("%s: error: core: tree_stages=%ld but an adder tree over %d terms has only "
              "%d register positions (levels+1)", loc, dp->tree_stages, d->tree_terms,
              d->tree_levels + 1);
        errs++;
    }

    /* The accumulator: acc_need (the kind's) bits give an exact sum over
     * max_cols inputs. */
    int need = d->acc_need;
    d->acc_auto = dp->acc_width == 0;
    if (!d->fp)
        d->acc_bits = d->acc_auto ? need : (int)dp->acc_width;
    if (d->acc_bits > ACC_WIDTH_MAX) {
        error("%s: error: core: the automatic acc_width would be %d bits (> %d); "
              "set acc_width explicitly or lower max_cols", loc, d->acc_bits, ACC_WIDTH_MAX);
        errs++;
    } else if (!d->fp && !d->acc_auto && d->acc_bits < need && !errs) {
        warning("%s: warning: core: acc_width=%d can overflow: a sum over max_cols=%ld "
                "inputs needs %d bits; results %s", loc, d->acc_bits, dp->max_cols, need,
                d->acc_sat ? "saturate" : "wrap");
    }
    d->row_bits = clog2((uint64_t)dp->max_rows + 1);
    d->col_bits = clog2((uint64_t)dp->max_cols + 1);
    if (!d->lane_bits)
        d->lane_bits = d->acc_bits;
    d->res_bits = d->acc_lanes * d->lane_bits;
    /* Dense weights: the stream carries bytes of 5 base-3 digits, the core
     * unpacks them into the kind's beat (kq_bits) before the register. */
    d->kq_bits = d->wgt_bits;
    if (dp->weight_store == WS_DENSE) {
        if (!kind_get(dp)->dense) {
            error("%s: error: core: weight_store='dense' is for ternary weights unpacked into "
                  "keys or sign codes (kinds tlut, tsign); kind '%s' streams its weights as "
                  "values", loc, kind_names[dp->kind]);
            errs++;
        } else {
            d->wgt_digits = d->outputs * d->tile_cols;
            d->wgt_bits = 8 * (int)cdiv(d->wgt_digits, DENSE_PER_BYTE);
        }
    }
    if (d->tile_cols > 0) {
        d->buf_depth = (int)tiles_of(d, dp->max_cols);
        d->buf_addr_bits = clog2((uint64_t)d->buf_depth);
    }
    d->act_sram = dp->mem_style == MEM_SRAM && d->buf_depth >= SRAM_MIN_WORDS;
    d->fifo_sram = dp->mem_style == MEM_SRAM && dp->out_depth >= SRAM_MIN_WORDS;
    return errs;
}

/* What dp_finalize says (errors and warnings, one per line) about the file
 * with the --set arguments chosen by `use` (NULL: all). */
static char *finalize_says(const char *path, char **sets, const int *use, int nsets)
{
    char **sub = xcalloc((size_t)nsets + 1, sizeof *sub);
    int m = 0;
    for (int i = 0; i < nsets; i++)
        if (!use || use[i])
            sub[m++] = sets[i];
    struct design_point t;
    struct strbuf sb = STRBUF_INIT, *old = tf_capture;
    tf_capture = &sb;
    if (!dp_read(&t, path, sub, m))
        dp_finalize(&t);
    tf_capture = old;
    free(sub);
    if (!sb.buf)
        sb_adds(&sb, "");
    return sb_detach(&sb);
}

/* The lines of `says` that the file alone does not give. */
static char *news(const char *says, const char *alone)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *l = says; *l;) {
        size_t n = strcspn(l, "\n");
        int old = 0;
        for (const char *a = alone; *a && !old;) {
            size_t k = strcspn(a, "\n");
            old = k == n && !memcmp(a, l, n);
            a += k + (a[k] == '\n');
        }
        if (!old)
            sb_addf(&sb, "%.*s\n", (int)n, l);
        l += n + (l[n] == '\n');
    }
    if (!sb.buf)
        sb_adds(&sb, "");
    return sb_detach(&sb);
}

/* dp_finalize(dp), with every message the --set arguments cause (one the
 * file alone does not give) blamed on the fewest of them that still cause
 * it: "command line: --set a=1 --set b=2: error: ...". */
static int finalize_blamed(struct design_point *dp, const char *path, char **sets, int nsets)
{
    struct strbuf got = STRBUF_INIT, *old = tf_capture;
    tf_capture = &got;
    int bad = dp_finalize(dp);
    tf_capture = old;
    if (!got.len) {
        sb_release(&got);
        return bad;
    }
    char *alone = finalize_says(path, sets, NULL, 0);
    char *caused = news(got.buf, alone);
    /* Drop each argument that the new messages do not need. */
    int *use = xcalloc((size_t)nsets, sizeof *use);
    for (int i = 0; i < nsets; i++)
        use[i] = 1;
    for (int i = 0; *caused && i < nsets; i++) {
        use[i] = 0;
        char *says = finalize_says(path, sets, use, nsets), *n = news(says, alone);
        use[i] = strcmp(n, caused) != 0;
        free(says);
        free(n);
    }
    struct strbuf loc = STRBUF_INIT, blamed = STRBUF_INIT;
    for (int i = 0; i < nsets; i++)
        if (use[i]) {
            if (!loc.len)
                dp_set_loc(&loc, sets[i]); /* "command line: --set a=1" */
            else
                sb_addf(&loc, " --set %s", tq(sets[i]));
        }
    int line = dp->src_line;
    tf_capture = &blamed;
    dp->src = loc.buf;
    dp->src_line = 0;
    dp_finalize(dp);
    dp->src = path;
    dp->src_line = line;
    tf_capture = old;
    /* Line by line: the file's own messages as they were, the others blamed
     * (both renderings come from the same point, line for line). */
    const char *a = got.buf, *b = blamed.buf ? blamed.buf : "";
    while (*a) {
        size_t n = strcspn(a, "\n"), k = strcspn(b, "\n");
        char *line = xmalloc(n + 1);
        memcpy(line, a, n);
        line[n] = '\0';
        char *mine = news(line, alone);
        const char *say = *mine || !*b ? b : a;
        size_t len = *mine || !*b ? k : n;
        if (strstr(line, ": error: "))
            error("%.*s", (int)len, say);
        else
            warning("%.*s", (int)len, say);
        free(mine);
        free(line);
        a += n + (a[n] == '\n');
        b += k + (b[k] == '\n');
    }
    tf_quiet++;
    dp_finalize(dp); /* the same again: dp as the file and the sets make it */
    tf_quiet--;
    free(use);
    free(alone);
    free(caused);
    sb_release(&loc);
    sb_release(&blamed);
    sb_release(&got);
    return bad;
}

int dp_load(struct design_point *dp, const char *path, char **sets, int nsets)
{
    if (dp_read(dp, path, sets, nsets))
        return -1;
    if (!nsets)
        return dp_finalize(dp) ? -1 : 0;
    return finalize_blamed(dp, path, sets, nsets) ? -1 : 0;
}

void pack_int_acts(const struct design_point *dp, const struct matrix *X, int col,
                   struct rng *junk, struct strbuf *out)
{
    const struct dp_derived *d = &dp->d;
    int w = d->lane_in_bits, tc = d->tile_cols, nb = (int)dp->batch;
    long beats = tiles_of(d, X->rows);
    struct bitvec bv;
    bv_init(&bv, d->act_bits);
    for (long t = 0; t < beats; t++) {
        bv_clear(&bv);
        /* Column col + c of the pass in slot c; slots past X's last column
         * (a short last pass), lanes past N and block padding are
         * don't-care: zero, or junk. */
        for (int c = 0; c < nb; c++)
            for (int i = 0; i < tc; i++) {
                long n = tile_col(d, t, i);
                if (col + c < X->cols && n >= 0 && n < X->rows)
                    bv_put(&bv, (c * tc + i) * w, w, (uint64_t)MAT(X, n, col + c));
                else if (junk)
                    bv_put(&bv, (c * tc + i) * w, w, rng_next(junk));
            }
        /* Block-scaled: column c's block scale above every column's lanes,
         * at lanes + c x scale_bits (none given: 1.0; a short pass's
         * missing columns: 1.0 or junk). */
        for (int c = 0; d->mx && c < nb; c++) {
            uint64_t sc = mx_scale_one((enum mx_scale)d->mx_scale);
            if (col + c < X->cols && X->scales)
                sc = (uint64_t)MAT(X->scales, t / mx_tpb(d), col + c);
            else if (col + c >= X->cols && junk)
                sc = rng_next(junk);
            bv_put(&bv, (nb * tc * w) + c * d->scale_bits, d->scale_bits, sc);
        }
        bv_hex(&bv, out);
        sb_adds(out, "\n");
    }
    bv_free(&bv);
}

int64_t kind_junk_weight(const struct design_point *dp, struct rng *junk)
{
    return junk ? kind_random_weight(dp, junk, 100) : 0;
}

void kind_pack_weights(const struct design_point *dp, const struct matrix *W,
                       struct rng *junk, struct strbuf *out)
{
    const struct dp_derived *d = &dp->d;
    if (dp->weight_store != WS_DENSE) {
        kind_get(dp)->pack_weights(dp, W, junk, out);
        return;
    }
    int tc = d->tile_cols, K = d->outputs, n = d->wgt_digits;
    long tiles = tiles_of(d, W->cols);
    int rgroups = (W->rows + K - 1) / K;
    struct bitvec bv;
    bv_init(&bv, d->wgt_bits);
    for (int rg = 0; rg < rgroups; rg++)
        for (long t = 0; t < tiles; t++) {
            bv_clear(&bv);
            for (int byte = 0; byte < d->wgt_bits / 8; byte++) {
                unsigned v = 0;
                for (int j = DENSE_PER_BYTE - 1; j >= 0; j--) {
                    int i = byte * DENSE_PER_BYTE + j, r = rg * K + i / tc;
                    long c = tile_col(d, t, i % tc);
                    /* padding weights (past the beat, M, N or a block): 0 (digit 1), or junk */
                    int64_t w = i < n && r < W->rows && c >= 0 && c < W->cols
                                    ? MAT(W, r, c) : kind_junk_weight(dp, junk);
                    v = 3 * v + (unsigned)(w + 1);
                }
                bv_put(&bv, byte * 8, 8, v);
            }
            bv_hex(&bv, out);
            sb_adds(out, "\n");
        }
    bv_free(&bv);
}

void pack_weight_grid(const struct design_point *dp, const struct matrix *W,
                      uint64_t (*code)(const struct design_point *dp, int64_t w),
                      struct rng *junk, struct strbuf *out)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, K = d->outputs, wb = d->wgt_bits / (K * P);
    int tiles = (int)tiles_of(d, W->cols), rgroups = (W->rows + K - 1) / K;
    struct bitvec bv;
    bv_init(&bv, d->wgt_bits);
    for (int rg = 0; rg < rgroups; rg++)
        for (int t = 0; t < tiles; t++) {
            bv_clear(&bv);
            for (int k = 0; k < K; k++)
                for (int p = 0; p < P; p++) {
                    int r = rg * K + k, n = (int)tile_col(d, t, p);
                    int live = r < W->rows && n >= 0 && n < W->cols;
                    bv_put(&bv, (k * P + p) * wb, wb,
                           code(dp, live ? MAT(W, r, n) : kind_junk_weight(dp, junk)));
                }
            bv_hex(&bv, out);
            sb_adds(out, "\n");
        }
    bv_free(&bv);
}

int unpack_result_beat(const struct design_point *dp, const char *hex, size_t n,
                       int64_t *vals)
{
    struct bitvec bv;
    bv_init(&bv, dp->d.res_bits);
    int rc = bv_parse_hex(&bv, hex, n);
    if (!rc)
        for (int k = 0; k < dp->d.acc_lanes; k++) {
            uint64_t u = bv_get(&bv, k * dp->d.lane_bits, dp->d.lane_bits);
            vals[k] = dp->d.lane_signed ? sext64(u, dp->d.lane_bits) : (int64_t)u;
        }
    bv_free(&bv);
    return rc;
}

void kind_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi)
{
    kind_get(dp)->act_range(dp, lo, hi);
}

int64_t kind_weight_extreme(const struct design_point *dp, int positive)
{
    return kind_get(dp)->weight_extreme(dp, positive);
}

int64_t kind_random_weight(const struct design_point *dp, struct rng *r, int density)
{
    return kind_get(dp)->random_weight(dp, r, density);
}

int check_shape(const struct design_point *dp, const struct matrix *W, const struct matrix *X)
{
    int errs = 0;
    if (W->rows > dp->max_rows) {
        mat_error(W, -1, "W has %d rows but the core's max_rows is %ld", W->rows,
                  dp->max_rows);
        errs++;
    }
    if (W->cols > dp->max_cols) {
        mat_error(W, -1, "W has %d columns but the core's max_cols is %ld", W->cols,
                  dp->max_cols);
        errs++;
    }
    if (X->rows != W->cols) {
        mat_error(X, -1, "X has %d rows but W has %d columns (X must be N x B)", X->rows,
                  W->cols);
        errs++;
    }
    return errs;
}

int mx_check_scales(const struct design_point *dp, const struct matrix *X)
{
    const struct matrix *S = X->scales;
    if (!S)
        return 0;
    int k = dp->d.mx, blocks = (X->rows + k - 1) / k;
    if (S->rows != blocks || S->cols != X->cols) {
        mat_error(S, -1, "the scales are %d x %d but X (%d x %d) with blocks of %d needs "
                  "ceil(N/k) x B = %d x %d", S->rows, S->cols, X->rows, X->cols, k, blocks,
                  X->cols);
        return 1;
    }
    return mat_check_range(S, 0, (1 << dp->d.scale_bits) - 1, "scale code (8 bits)") ? 1 : 0;
}

/* Block-scaled elements: mostly any finite code; zeros, the largest
 * magnitudes and (1 in 64) the specials (NaN, Inf of E4M3/E5M2) more often
 * than uniform draws would give them, yet rarely enough that most blocks
 * of 32 stay finite. */
static int64_t mx_random_elem(const struct design_point *dp, struct rng *r)
{
    enum mx_elem el = (enum mx_elem)dp->d.mx_elem;
    int bits = dp->d.lane_in_bits;
    uint32_t sign = (uint32_t)rng_range(r, 0, 1) << (bits - 1), code;
    int64_t pick = rng_range(r, 0, 63);
    int special = pick == 63 && dp->d.mx_flags;
    unsigned f;
    if (pick < 8)
        return sign; /* +-0 */
    if (pick < 16) { /* a largest magnitude: the top finite codes */
        if (el == MXE_INT8)
            return sign ? 0x80 : 0x7f;
        code = sign | ((1u << (bits - 1)) - 1);
        for (mx_elem_int(el, code, &f); f; mx_elem_int(el, code, &f))
            code--;
        return code;
    }
    do /* a special, or any finite code */
        code = (uint32_t)rng_range(r, 0, (1 << bits) - 1);
    while (mx_elem_int(el, code, &f), (f != 0) != special);
    return code;
}

/* Interesting FP activations: zeros, subnormals, normals at the edges,
 * infinities, NaN, ones, values far apart (exponent spread) and close
 * together (cancellation). */
int64_t kind_random_act(const struct design_point *dp, struct rng *r)
{
    int64_t lo, hi;
    kind_act_range(dp, &lo, &hi);
    if (!dp->d.fp)
        return rng_range(r, lo, hi);
    if (dp->d.mx)
        return mx_random_elem(dp, r);
    const struct sf_info *in = sf_info((enum sf_format)dp->d.act_fmt);
    uint32_t sign = (uint32_t)rng_range(r, 0, 1) << (in->bits - 1);
    uint32_t emax = (1u << in->exp_bits) - 1, mmax = (1u << in->man_bits) - 1;
    uint32_t e, m;
    switch (rng_range(r, 0, 9)) {
    case 0: e = 0; m = 0; break;                                      /* +-0 */
    case 1: e = 0; m = (uint32_t)rng_range(r, 1, mmax); break;        /* subnormal */
    case 2: e = (uint32_t)rng_range(r, 1, 2); m = (uint32_t)rng_range(r, 0, mmax); break;
    case 3: e = emax - 1 - (uint32_t)rng_range(r, 0, 1); m = (uint32_t)rng_range(r, 0, mmax);
        if (!in->has_inf && e == emax - 1) e = emax;                   /* e4m3 top binade */
        if (!in->has_inf && m == mmax) m--;
        break;
    case 4: e = in->has_inf ? emax : emax; m = in->has_inf ? 0 : mmax; break; /* inf / NaN */
    case 5: e = emax; m = in->has_inf ? (uint32_t)rng_range(r, 1, mmax) : mmax; break; /* NaN */
    case 6: e = (uint32_t)in->bias; m = 0; break;                      /* +-1 */
    default: /* near 1: cancellations and rounding ties */
        e = (uint32_t)in->bias + (uint32_t)rng_range(r, 0, 2) - 1;
        m = (uint32_t)rng_range(r, 0, mmax);
        break;
    }
    return (int64_t)(sign | e << in->man_bits | m);
}
