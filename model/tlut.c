/* tlut.c - the ternary LUT core (kind "tlut"): derivation and checks of
 * its parameters, bit-exact C model (integer and FP), weight packing, the
 * analytic component inventory, its part of the critical path and its
 * co-simulation corners. Its Verilog emitter is gen/tlut.c;
 * docs/weights.md documents the keys bit for bit. */
#include "tlut.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "fastmodel.h"
#include "fpmodel.h"
#include "kind.h"
#include "mxmodel.h"
#include "path.h"
#include "rng.h"
#include "shell_inv.h"
#include "ternary.h"
#include "util.h"

/* make_keys() packs code | sign << 15 into a uint16_t: (3^mu-1)/2 < 2^15;
 * the integer model's entries, mu activations of act_width bits, are
 * int32_t. */
_Static_assert(TLUT_MU_MAX <= 10, "tlut keys: (3^mu-1)/2 codes fit in 15 bits");
_Static_assert(TLUT_MU_MAX * (1L << (ACT_WIDTH_MAX - 1)) <= INT32_MAX,
               "tlut entries: mu * 2^(w-1) fits in int32_t");

/* The activations, sums and tables of mu lanes, checked against the
 * limits of params.def. */
static int tlut_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = ternary_derive(dp, loc);
    /* 3^mu from a table, not a loop: the loop's exit was a branch
     * mispredicted at every point a sweep derives. */
    static const long pow3[] = { 1, 3, 9, 27, 81, 243, 729, 2187, 6561, 19683, 59049 };
    _Static_assert(sizeof pow3 / sizeof pow3[0] > TLUT_MU_MAX, "3^mu for every mu");
    long w = dp->act_width;
    d->entries = (int)((pow3[dp->mu] - 1) / 2);
    d->key_bits = clog2((uint64_t)d->entries + 1) + 1;
    /* |sum of mu terms +-a| <= mu * 2^(w-1): needs w + floor(log2 mu) + 1
     * bits, and then every entry and its negation fit. FP entries are
     * values of the sum format. */
    d->entry_bits = d->fp ? d->acc_bits : (int)w + flog2((uint64_t)dp->mu) + 1;
    if (d->mx) /* block-scaled: integer entries, exact over mu elements */
        d->entry_bits = mx_sum_bits((enum mx_elem)d->mx_elem, dp->mu);
    if (d->fp && !d->mx)
        d->term_depth = (int)(dp->mu - 1) * (int)dp->fp_latency + (int)dp->lut_reg;
    /* An integer core (block-scaled too) with registered tables reads one
     * beat ahead. */
    d->prefetch = (!d->fp || d->mx) && dp->lut_reg;
    d->tile_cols = (int)(dp->mu * dp->luts);
    d->outputs = (int)dp->keys;
    d->tree_terms = (int)dp->luts;
    d->term_bits = d->entry_bits;
    if (d->tile_cols > TILE_COLS_MAX) {
        error("%s: error: core: mu*luts = %d inputs per cycle exceeds the limit %d",
              loc, d->tile_cols, TILE_COLS_MAX);
        errs++;
    }
    if (dp->keys * dp->luts > DATAPATH_TERMS_MAX) {
        error("%s: error: core: keys*luts = %ld look-up ports exceeds the limit %d",
              loc, dp->keys * dp->luts, DATAPATH_TERMS_MAX);
        errs++;
    }
    d->wgt_bits = (int)(dp->keys * dp->luts) * d->key_bits;
    /* lut_reg reads the buffer a beat ahead: one PRIME cycle per job
     * before the first weight beat, not a stage after the last. */
    d->latency = 2 + (int)dp->tree_stages;
    return errs;
}

void tlut_recipe(int mu, struct lut_step *steps)
{
    int entries = 0;
    long p3 = 1;
    for (int i = 0; i < mu; i++)
        p3 *= 3;
    entries = (int)((p3 - 1) / 2);
    memset(steps, 0, (size_t)(entries + 1) * sizeof *steps);
    int j = 0;
    long pj = 1; /* 3^j */
    for (int m = 1; m <= entries; m++) {
        /* top digit j: the smallest j with m <= (3^(j+1)-1)/2 */
        while (m > (3 * pj - 1) / 2) {
            pj *= 3;
            j++;
        }
        long r = m - pj;
        steps[m].top = j;
        steps[m].sub = (int)(r < 0 ? -r : r);
        steps[m].neg = r < 0;
        steps[m].terms = 1 + (r ? steps[r < 0 ? -r : r].terms : 0);
    }
}

int tlut_digits(int mu, long m, int8_t *d)
{
    int n = 0;
    for (int i = 0; i < mu; i++) {
        long r = ((m % 3) + 3) % 3;
        d[i] = (int8_t)(r == 2 ? -1 : r);
        m = (m - d[i]) / 3;
        n += d[i] != 0;
    }
    return n;
}

int tlut_entry_bits(int w, int terms)
{
    /* The top digit is +1, the others +-1: the entry lies in
     * [-terms * 2^(w-1), terms * 2^(w-1) - 1]. */
    return terms <= 1 ? w : w + clog2((uint64_t)terms);
}

unsigned tlut_key(const int8_t *w, int mu, int key_bits)
{
    long v = 0, p = 1;
    for (int i = 0; i < mu; i++) {
        v += w[i] * p;
        p *= 3;
    }
    unsigned key = (unsigned)(v < 0 ? -v : v);
    if (v < 0)
        key |= 1u << (key_bits - 1);
    return key;
}


/* Keys of every (row, group) pair, decoded: code | sign << 15. */
static uint16_t *make_keys(const struct design_point *dp, const struct matrix *W,
                           int groups)
{
    int mu = (int)dp->mu;
    uint16_t *keys = xmalloc((size_t)W->rows * (size_t)groups * sizeof *keys);
    int8_t w[TLUT_MU_MAX];
    for (int r = 0; r < W->rows; r++)
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < mu; i++) {
                int n = g * mu + i;
                w[i] = (int8_t)(n < W->cols ? MAT(W, r, n) : 0);
            }
            unsigned key = tlut_key(w, mu, dp->d.key_bits);
            unsigned sign = key >> (dp->d.key_bits - 1) & 1;
            unsigned code = key & ((1u << (dp->d.key_bits - 1)) - 1);
            keys[(size_t)r * (size_t)groups + (size_t)g] = (uint16_t)(code | sign << 15);
        }
    return keys;
}

/* ---- floating point (model/fpmodel.c) -------------------------------- */

/* Sum of d_i * a_i over the non-zero balanced-ternary digits of code,
 * left to right (i increasing): the contract's order
 * (docs/floating-point.md), which lut_build=direct writes literally. The
 * shared build computes a_j + E(r) instead; IEEE addition commutes and
 * its zero flags give -E(-r) the signed zero of the negated terms' sum,
 * so both builds have these bits and the model needs no second order. */
static uint32_t lut_entry(enum sf_format f, const uint32_t *a, int mu, long code)
{
    uint32_t e = 0;
    int started = 0;
    int8_t dg[TLUT_MU_MAX];
    tlut_digits(mu, code, dg);
    for (int i = 0; i < mu; i++) {
        int digit = dg[i];
        if (!digit)
            continue;
        uint32_t t = digit > 0 ? a[i] : sf_neg(f, a[i]);
        e = started ? sf_add(f, e, t) : t;
        started = 1;
    }
    return e;
}

/* A term: the LUT entry of the key of mu weights from column n0. */
static uint32_t tlut_fp_term(const struct design_point *dp, const struct matrix *W, int r,
                             int n0, const uint32_t *a)
{
    enum sf_format sf = (enum sf_format)dp->d.acc_fmt;
    int mu = (int)dp->mu, N = W->cols;
    long code = 0, p = 1;
    for (int i = 0; i < mu; i++) {
        int n = n0 + i;
        code += (n < N ? MAT(W, r, n) : 0) * p;
        p *= 3;
    }
    uint32_t e = code ? lut_entry(sf, a, mu, code < 0 ? -code : code) : 0;
    return code < 0 ? sf_neg(sf, e) : e;
}

/* ---- block-scaled (model/mxmodel.c) ---------------------------------- */

/* A term: the integer LUT entry of the key of mu weights from column n0:
 * the sum of d_i * a_i over the key's non-zero digits, then the key's
 * sign; checked against entry_bits as the table holds it. */
static struct mx_val tlut_mx_term(const struct design_point *dp, const struct matrix *W,
                                  int r, int n0, int lim, const struct mx_val *a)
{
    int mu = (int)dp->mu;
    long code = 0, p = 1;
    for (int i = 0; i < mu; i++) {
        int n = n0 + i;
        code += (n < lim ? MAT(W, r, n) : 0) * p;
        p *= 3;
    }
    struct mx_val e = { 0, 0 };
    long c = code < 0 ? -code : code;
    for (int i = 0; i < mu && c; i++) {
        long dg = ((c % 3) + 3) % 3;
        int digit = dg == 2 ? -1 : (int)dg;
        c = (c - digit) / 3;
        if (digit)
            e = mx_add(e, digit > 0 ? a[i] : mx_negate(a[i]));
    }
    int64_t lim_e = (int64_t)1 << (dp->d.entry_bits - 1);
    if (e.v >= lim_e || e.v < -lim_e)
        BUG("MX LUT entry overflows entry_bits");
    return code < 0 ? mx_negate(e) : e;
}

static void tlut_model(const struct design_point *dp, const struct matrix *W,
                       const struct matrix *X, struct matrix *Y)
{
    if (dp->d.mx) {
        mx_model(dp, W, X, Y, tlut_mx_term);
        return;
    }
    if (dp->d.fp) {
        fp_model(dp, W, X, Y, tlut_fp_term);
        return;
    }
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, L = (int)dp->luts, ne = d->entries;
    int N = W->cols, M = W->rows, B = X->cols;
    int tiles = (N + d->tile_cols - 1) / d->tile_cols;
    int groups = tiles * L;
    struct lut_step *steps = xmalloc((size_t)(ne + 1) * sizeof *steps);
    tlut_recipe(mu, steps);
    uint16_t *keys = make_keys(dp, W, groups);
    int32_t *ent = xmalloc((size_t)groups * (size_t)(ne + 1) * sizeof *ent);
    int64_t ent_lim = (int64_t)1 << (d->entry_bits - 1);
    int64_t tree_lim = (int64_t)1 << (d->tree_bits - 1);
    mat_init(Y, M, B);

    for (int b = 0; b < B; b++) {
        /* Table build: padding lanes (n >= N) hold zero, as in the buffer. */
        for (int g = 0; g < groups; g++) {
            int32_t a[TLUT_MU_MAX], *e = &ent[(size_t)g * (size_t)(ne + 1)];
            for (int i = 0; i < mu; i++) {
                int n = g * mu + i;
                a[i] = n < N ? (int32_t)MAT(X, n, b) : 0;
            }
            e[0] = 0;
            for (int m = 1; m <= ne; m++) {
                const struct lut_step *s = &steps[m];
                int32_t rest = s->sub ? e[s->sub] : 0;
                e[m] = a[s->top] + (s->neg ? -rest : rest);
                int64_t lim = (int64_t)1 << (tlut_entry_bits((int)dp->act_width, s->terms) - 1);
                if (e[m] >= lim || e[m] < -lim)
                    BUG("LUT entry %d = %" PRId32 " overflows its width", m, e[m]);
            }
        }
        /* Look-up, sign, tree (exact), then the accumulator wraps. */
        for (int r = 0; r < M; r++) {
            const uint16_t *kr = &keys[(size_t)r * (size_t)groups];
            uint64_t acc = 0;
            for (int t = 0; t < tiles; t++) {
                int64_t tree = 0;
                for (int l = 0; l < L; l++) {
                    int g = t * L + l;
                    unsigned k = kr[g];
                    int32_t v = ent[(size_t)g * (size_t)(ne + 1) + (k & 0x7fff)];
                    if (v >= ent_lim || v < -ent_lim)
                        BUG("selected term overflows entry_bits");
                    tree += (k >> 15) ? -v : v;
                }
                if (tree >= tree_lim || tree < -tree_lim)
                    BUG("adder tree output overflows tree_bits");
                acc = (uint64_t)sext64(acc + (uint64_t)tree, d->acc_bits);
            }
            MAT(Y, r, b) = sext64(acc, d->acc_bits);
        }
    }
    free(ent);
    free(keys);
    free(steps);
}

static void tlut_model_fast(const struct design_point *dp, const struct matrix *W,
                            const struct matrix *X, struct matrix *Y, int jobs)
{
    tern_fast(dp, W, X, Y, jobs, FPT_LUT, tlut_model);
}

static void tlut_pack_weights(const struct design_point *dp, const struct matrix *W,
                              struct rng *junk, struct strbuf *out)
{
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, L = (int)dp->luts, K = (int)dp->keys;
    int tiles = (int)tiles_of(d, W->cols);
    int rgroups = (W->rows + K - 1) / K;
    struct bitvec bv;
    bv_init(&bv, d->wgt_bits);
    int8_t w[TLUT_MU_MAX];
    for (int rg = 0; rg < rgroups; rg++)
        for (int t = 0; t < tiles; t++) {
            bv_clear(&bv);
            for (int k = 0; k < K; k++) {
                int r = rg * K + k;
                for (int l = 0; l < L; l++) {
                    /* padding rows and columns: zero digits, or junk ones */
                    for (int i = 0; i < mu; i++) {
                        long n = tile_col(d, t, l * mu + i);
                        w[i] = (int8_t)(r < W->rows && n >= 0 && n < W->cols
                                            ? MAT(W, r, n)
                                            : kind_junk_weight(dp, junk));
                    }
                    bv_put(&bv, (k * L + l) * d->key_bits, d->key_bits,
                           tlut_key(w, mu, d->key_bits));
                }
            }
            bv_hex(&bv, out);
            sb_adds(out, "\n");
        }
    bv_free(&bv);
}

/* Entries of a mu-digit table with exactly t non-zero digits: the top
 * digit is +1, t-1 of the lower digits are +-1, so C(mu, t) 2^(t-1).
 * Entries with t > 1 are built by one adder from a smaller entry. */
static inline long entries_with_terms(int mu, int t)
{
    /* C(mu, t) for mu <= 8 from a table, without a division per step:
     * the cost model asks for every t of every point it prices. Larger mu
     * (TLUT_MU_MAX raised) compute it. */
    static const unsigned char binom[][9] = {
        { 1 }, { 1, 1 }, { 1, 2, 1 }, { 1, 3, 3, 1 }, { 1, 4, 6, 4, 1 },
        { 1, 5, 10, 10, 5, 1 }, { 1, 6, 15, 20, 15, 6, 1 }, { 1, 7, 21, 35, 35, 21, 7, 1 },
        { 1, 8, 28, 56, 70, 56, 28, 8, 1 },
    };
    if (mu >= 0 && mu < (int)(sizeof binom / sizeof binom[0]) && t >= 1 && t <= mu)
        return (long)binom[mu][t] << (t - 1);
    long c = 1;
    for (int i = 0; i < t; i++)
        c = c * (mu - i) / (i + 1);
    return c << (t - 1);
}

/* FP (gen/fpdp.c fp_emit_lut, one instance per LUT): entries are values of
 * the sum format from free-running adders of fp_latency stages. Entry m =
 * a_j + X is ready (terms(m)-1)*lat cycles after the activations, and
 * waits (mu-terms(m))*lat cycles to leave with the others. Lane a_j waits
 * (terms(m)-2)*lat for X in one delay line per lane, as long as the
 * longest wait: (j-1)*lat, for the m whose j lower digits are all
 * non-zero. An entry r that some m subtracts (r is an entry of a mu-1
 * table: r <= (entries-1)/3) sends its "all terms +0" flag along,
 * (terms(r)-1)*lat cycles. The keys wait term_depth cycles for the tables. */
/* weight_store=dense: each of the K x L keys from its mu base-3 digits
 * (gen/tlut.c, tlut_from_digits): Horner's 2 additions per digit after the
 * first, the offset (3^mu-1)/2 taken off, the magnitude's negation. */
INV_INLINE void tlut_dense_inventory(const struct design_point *dp, struct inventory *inv)
{
    if (dp->weight_store != WS_DENSE)
        return;
    long nk = dp->keys * dp->luts, mu = dp->mu, p3 = 1;
    for (long j = 0; j < mu; j++)
        p3 *= 3;
    int ub = clog2((uint64_t)p3);
    inv_add(inv, COMP_KEY_SELECT, PRIM_ADD, ub, 2, 2 * (mu - 1) * nk);
    inv_add(inv, COMP_KEY_SELECT, PRIM_ADD, ub + 1, 2, nk);
    inv_add(inv, COMP_KEY_SELECT, PRIM_NEG, dp->d.key_bits - 1, 0, nk);
}

INV_INLINE void tlut_fp_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    /* L tables and K x L ports per column of a batch (nb columns) */
    long mu = dp->mu, L = dp->luts * dp->batch, K = d->outputs, lat = dp->fp_latency;
    long ne = d->entries, p = 2 * ne + 1, p1 = p / 3; /* 3^mu, 3^(mu-1) */
    int w = d->acc_bits;
    shell_inventory(dp, inv);
    tlut_dense_inventory(dp, inv);
    fp_widen_inventory(dp, inv, d->tile_cols);
    if (dp->lut_build == LUT_DIRECT) {
        /* An entry of t terms has t - 1 adders: sum over t of
         * entries_with_terms(mu, t) (t-1) = mu 3^(mu-1) - (3^mu-1)/2. A
         * subtracted term enters with its sign bit inverted: no
         * primitive, as the shared build's sign handling has none. */
        long adders = mu * p1 - ne;
        /* an entry's first adder adds two activations: ne - mu of them */
        long two = d->act_man ? ne - mu : 0;
        inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w, FP_ACTS_INPUTS(dp, lat), two * L);
        inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w, FP_INPUTS(d->acc_man, lat),
                (adders - two) * L);
    } else {
        /* Every entry of more than one term has an adder: ne - mu of them;
         * those of two-term entries (an activation plus a one-term entry,
         * mu (mu - 1) of them) add two activations. */
        long two = d->act_man ? mu * (mu - 1) : 0;
        inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w, FP_ACTS_INPUTS(dp, lat), two * L);
        inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w, FP_INPUTS(d->acc_man, lat),
                (ne - mu - two) * L);
    }
    if (dp->lut_reg)
        inv_add(inv, COMP_LUT_STORE, PRIM_REG, w, 0, ne * L);
    /* Waits of the entries, sum over t of entries_with_terms(mu, t) (mu-t)
     * = mu (3^mu-1)/2 - mu 3^(mu-1) (as sum C(m,t) 2^(t-1) = (3^m-1)/2 and
     * sum t C(m,t) 2^(t-1) = m 3^(m-1)), and of the lanes' delay lines,
     * sum over j < mu of (j-1): all of them w-bit registers. The direct
     * build's lane i waits as long, (i-1)*lat, for its term in position i. */
    long entry_waits = mu * ne - mu * p1, lane_waits = (mu - 1) * (mu - 2) / 2;
    inv_add(inv, COMP_PIPELINE, PRIM_REG, w, 0, (entry_waits + lane_waits) * lat * L);
    /* The subtracted entries' flags: the entries of a mu-1 table, sum over
     * t of entries_with_terms(mu-1, t) (t-1) = (mu-1) 3^(mu-2) - (3^(mu-1)-1)/2. */
    long flags = mu >= 2 && dp->lut_build == LUT_SHARED ? (mu - 1) * (p1 / 3) - (p1 - 1) / 2 : 0;
    inv_add(inv, COMP_PIPELINE, PRIM_REG, 1, 0, flags * lat * L);
    inv_add(inv, COMP_PIPELINE, PRIM_REG, d->kq_bits, 0, d->term_depth * dp->batch);
    /* read ports; the key's sign flips the sign bit */
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, w, (int)ne + 1, K * L);
    inv_add(inv, COMP_SIGN, PRIM_NEG, 1, 0, K * L);
    /* the tree adds LUT entries: at mu = 1 each is one widened activation
     * (two calls, so the common one folds its constant) */
    if (dp->mu == 1 && d->act_man != 0)
        fp_tree_inventory(dp, inv, (int)dp->luts, 1);
    else
        fp_tree_inventory(dp, inv, (int)dp->luts, 0);
}

/* What the integer build's items (the loop over t in tlut_inventory) sum
 * to, per mu and build (0 shared, 1 direct): the adders' count and their
 * bits beyond the lane width, sum over t of count_t and count_t clog2(t)
 * (an entry of t > 1 terms is w + clog2(t) bits), and the stored
 * entries' bits beyond the lane width. A tally (the cost model's sums,
 * integers in any order) takes L x (w x count + bits) at once: the loop,
 * with its exit at mu, was about 70 instructions of an integer LUT point.
 * Filled before main() runs; an inventory that lists items still walks
 * the loop, and test_cost prices those items against the tally. */
struct tlut_build_sums {
    long add_n, add_lg, reg_lg;
};
static struct tlut_build_sums tlut_build_sums[2][TLUT_MU_MAX + 1];

/* The adders that build the n entries of t > 1 terms: one per entry
 * (shared: an entry of t terms is one of t - 1 terms plus one more), or
 * (direct) t - 1 per entry and, in the half of the entries whose first
 * term is subtracted (lowest non-zero digit -1), one more: -a is 0 - a,
 * a subtractor (not the look-up's conditional negation). */
static inline long build_adders(long n, int t, int direct)
{
    return direct ? (t - 1) * n + n / 2 : n;
}

__attribute__((constructor)) static void init_tlut_build_sums(void)
{
    for (int direct = 0; direct < 2; direct++)
        for (int mu = 1; mu <= TLUT_MU_MAX; mu++) {
            struct tlut_build_sums *b = &tlut_build_sums[direct][mu];
            for (int t = 2; t <= mu; t++) {
                long n = entries_with_terms(mu, t), k = build_adders(n, t, direct);
                int lg = clog2((uint64_t)t);
                b->add_n += k;
                b->add_lg += k * lg;
                b->reg_lg += n * lg;
            }
        }
}

/* The analytic inventory: what the architecture needs, from the parameters
 * alone. gen/tlut.c counts what it writes; tests compare the two. */
INV_INLINE void tlut_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    if (d->fp && !d->mx) {
        tlut_fp_inventory(dp, inv);
        return;
    }
    /* L tables and K x L ports per column of a batch; block-scaled:
     * integer tables of the elements' integers, at the minimal width of
     * each entry's terms, flags beside them */
    long L = dp->luts * dp->batch;
    int w = (int)dp->act_width, K = d->outputs;
    int ne = d->entries, ew = d->entry_bits, mu = (int)dp->mu;
    shell_inventory(dp, inv);
    tlut_dense_inventory(dp, inv);
    if (d->mx) {
        int fe = d->mx_flags == 3 ? 3 : 1;
        mx_inventory(dp, inv);
        if (d->mx_flags) {
            if (dp->lut_reg)
                inv_add(inv, COMP_LUT_STORE, PRIM_REG, ne * fe, 0, L);
            inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, fe, ne + 1, (long)K * L);
        }
    }
    if (inv->tally && !d->mx && mu >= 1 && mu <= TLUT_MU_MAX) {
        /* a tally: the loop's sums at once (tlut_build_sums) */
        const struct tlut_build_sums *b = &tlut_build_sums[dp->lut_build == LUT_DIRECT][mu];
        inv_add(inv, COMP_LUT_BUILD, PRIM_ADD, 1, 2, L * (w * b->add_n + b->add_lg));
        if (dp->lut_reg)
            inv_add(inv, COMP_LUT_STORE, PRIM_REG, 1, 0, L * (w * (long)ne + b->reg_lg));
    } else {
        for (int t = 1; t <= mu; t++) {
            long n = entries_with_terms(mu, t);
            int bits = d->mx ? mx_sum_bits((enum mx_elem)d->mx_elem, t) : tlut_entry_bits(w, t);
            if (t > 1)
                inv_add(inv, COMP_LUT_BUILD, PRIM_ADD, bits, 2,
                        build_adders(n, t, dp->lut_build == LUT_DIRECT) * L);
            if (dp->lut_reg)
                inv_add(inv, COMP_LUT_STORE, PRIM_REG, bits, 0, n * L);
        }
    }
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, ew, ne + 1, (long)K * L);
    inv_add(inv, COMP_SIGN, PRIM_NEG, ew, 0, (long)K * L);
    tree_inventory(dp, inv, (int)dp->luts, ew);
}

static void tlut_tally(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                       void *ctx)
{
    inv_tally_run(tlut_inventory, dp, t, sink, ctx);
}

/* ---- timing ---------------------------------------------------------- */

/* Integer LUT build: the most loaded activation bit is the sign bit of
 * the top lane a[mu-1]. It is the top digit of 3^(mu-1) entries; each
 * entry of t > 1 terms adds it in an adder of w + clog2(t) bits, sign-
 * extended, so the bit drives clog2(t) + 1 adder bits there. There are
 * C(mu-1, t-1) 2^(t-1) such entries (the lower digits: t-1 of them
 * +-1), and the one-term entry is the lane itself. */
static double top_lane_loads_of(int mu)
{
    int n = mu - 1;
    double loads = 1;
    long c = 1; /* C(n, k) */
    for (int k = 1; k <= n; k++) {
        c = c * (n - k + 1) / k;
        loads += (double)c * (1L << k) * (clog2((uint64_t)k + 1) + 1);
    }
    return loads;
}

/* lut_build=direct: lane i is a term of every entry whose digit i is
 * non-zero, in an expression of the entry's width (w + clog2(t) bits, so
 * clog2(t) + 1 adder bits per sign bit); the most loaded lane's count. */
static double direct_lane_loads_of(int mu)
{
    long ne = 1;
    for (int i = 0; i < mu; i++)
        ne *= 3;
    ne = (ne - 1) / 2;
    double loads[TLUT_MU_MAX] = { 0 }, best = 0;
    int8_t dg[TLUT_MU_MAX];
    for (long m = 1; m <= ne; m++) {
        int t = tlut_digits(mu, m, dg);
        for (int i = 0; i < mu; i++)
            if (dg[i])
                loads[i] += t > 1 ? clog2((uint64_t)t) + 1 : 1;
    }
    for (int i = 0; i < mu; i++)
        if (loads[i] > best)
            best = loads[i];
    return best;
}

/* The same for every mu of params.def, and the FP build's loads: filled
 * by tlut_init() (cost_init()). */
static double top_loads_tab[TLUT_MU_MAX + 1], direct_loads_tab[TLUT_MU_MAX + 1],
    fp_build_loads_tab[TLUT_MU_MAX + 1];

static void tlut_init(void)
{
    for (int mu = 1, entries = 1; mu <= TLUT_MU_MAX; mu++, entries = 3 * entries + 1) {
        top_loads_tab[mu] = top_lane_loads_of(mu);
        direct_loads_tab[mu] = direct_lane_loads_of(mu);
        fp_build_loads_tab[mu] = (double)entries * 2 / mu;
    }
}

static inline double top_lane_loads(const struct design_point *dp)
{
    int direct = dp->lut_build == LUT_DIRECT;
    if (dp->mu >= 1 && dp->mu <= TLUT_MU_MAX)
        return (direct ? direct_loads_tab : top_loads_tab)[dp->mu];
    return direct ? direct_lane_loads_of((int)dp->mu) : top_lane_loads_of((int)dp->mu);
}

/* FP LUT build: each activation (a register) feeds the entries that use
 * it, entries * 2 / mu loads on average (entries = (3^mu-1)/2 = 1, 4,
 * 13, ...). */
static inline double fp_build_loads(const struct design_point *dp)
{
    /* direct: sum over t of t entries_with_terms(mu, t) = mu 3^(mu-1)
     * operands, 3^(mu-1) = (2 entries + 1) / 3 per lane */
    if (dp->lut_build == LUT_DIRECT)
        return (double)(2 * dp->d.entries + 1) / 3;
    if (dp->mu >= 1 && dp->mu <= TLUT_MU_MAX)
        return fp_build_loads_tab[dp->mu];
    return (double)dp->d.entries * 2 / dp->mu;
}

PATH_INLINE void tlut_path(const struct design_point *dp, struct paths *ps, uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    int K = d->outputs, lat = (int)dp->fp_latency;
    /* Table build: each activation bit (a register) feeds the adders of
     * the entries that use it, then a chain of mu-1 adders. */
    int fp = d->fp && !d->mx; /* block-scaled tables are integer */
    if (d->mx)
        p_mx_decode(ps, dp);
    p_load(ps, fp ? fp_build_loads(dp) : top_lane_loads(dp));
    /* direct: the entry of mu terms whose first is subtracted (0 - a),
     * every adder at that entry's width */
    int iw = d->mx ? d->elem_bits : (int)dp->act_width; /* integer lane bits */
    int direct = dp->lut_build == LUT_DIRECT, wd = tlut_entry_bits(iw, (int)dp->mu);
    if (direct && !fp && dp->mu > 1)
        p_add(ps, wd);
    if (fp) { /* the first adder adds two activations */
        int first = fp_add_bits(dp, 1), full = fp_add_bits(dp, 0);
        for (int j = 1; j < dp->mu; j++)
            p_fp(ps, D_FPADD, j == 1 ? first : full, lat, "lut_build");
    } else {
        for (int j = 1; j < dp->mu; j++)
            p_add(ps, direct ? wd : iw + 1 + flog2((uint64_t)j));
    }
    if (dp->lut_reg)
        seg_close(ps, "lut_build");
    /* Look-up: each key bit (a register) drives the decoders of all
     * entries (of every column's tables with batch), each entry bit the K
     * read ports; then the entry select. */
    long kl = (long)d->entries * dp->batch;
    p_load(ps, K > kl ? K : kl);
    p_fan(ps, d->entries);
    p_mux(ps, d->entries + 1);
    if (!fp)
        p_neg(ps, d->entry_bits);
    /* mu = 1: an entry is the activation itself, so the tree's first level
     * adds two widened activations, as a sign-flip tree's does (narrow in
     * a flat flow; a kept tf_fpadd is whole) */
    if (fp && dp->mu == 1 && ps->delay[D_KEPT] == 0)
        p_tree_acc_open_first(ps, dp, cuts, fp_add_bits(dp, 1));
    else /* the common case apart: its first level's width folds */
        p_tree_acc_open(ps, dp, cuts);
    seg_close(ps, "accumulator");
}
PATH_FN(tlut_path)
TALLY_PATH_FN(tlut)

/* ---- co-simulation corners ------------------------------------------- */

static int clampi(long v, long lo, long hi)
{
    return (int)(v < lo ? lo : v > hi ? hi : v);
}

/* Every key code: row r, group q gets the weights of code (r*G+q) mod 3^mu. */
static void tlut_corner_problems(const struct design_point *dp, struct problem_sink *ps,
                                 struct rng *r)
{
    int mu = (int)dp->mu, tc = dp->d.tile_cols;
    long p3 = 1;
    for (int i = 0; i < mu; i++)
        p3 *= 3;
    int N = clampi(((long)tc > 3 * mu) ? tc : 3L * mu, 1, dp->max_cols);
    int G = (N + mu - 1) / mu;
    int M = clampi((p3 + G - 1) / G, 1, dp->max_rows);
    struct matrix *W, *X;
    ps->add(ps, M, N, 2, "every key code", &W, &X);
    for (int row = 0; row < M; row++)
        for (int q = 0; q < G; q++) {
            long code = ((long)row * G + q) % p3;
            for (int i = 0; i < mu && q * mu + i < N; i++) {
                MAT(W, row, q * mu + i) = code % 3 - 1;
                code /= 3;
            }
        }
    for (size_t i = 0; i < (size_t)X->rows * (size_t)X->cols; i++)
        X->v[i] = kind_random_act(dp, r);
}

const struct kind_ops tlut_ops = {
    .derive = tlut_derive,
    .check_inputs = ternary_check_inputs,
    .model = tlut_model,
    .model_fast = tlut_model_fast,
    .pack_weights = tlut_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = tlut_inventory,
    .tally = tlut_tally,
    .path = PATH_OPS(tlut_path),
    .tally_path = TALLY_PATH_OPS(tlut),
    .init = tlut_init,
    .act_range = ternary_act_range,
    .weight_extreme = ternary_weight_extreme,
    .random_weight = ternary_random_weight,
    .corner_problems = tlut_corner_problems,
    .dense = 1,
};
