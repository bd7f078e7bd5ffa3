/* quantize.c - `ternforge quantize`: decimal reals to raw fixed-point codes
 * (exactly: no binary floating point), and back with --reverse. This is
 * how a user goes from real-valued matrices to the integer codes that
 * matrix files for kind "fixp" hold (docs/fixed-point.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfmt.h"
#include "fixq.h"
#include "mx.h"
#include "softfloat.h"
#include "../model/kind.h"
#include "dp.h"
#include "matrix.h"
#include "util.h"
#include "cli.h"

struct quantize_args {
    struct point_args pt;
    const char *operand, *format, *quant, *ovf, *in, *out, *scales;
    int reverse;
};

struct qctx {
    struct fx_format f;
    enum fx_quant q;
    enum fx_ovf o;
};

/* A token as a C string in buf (512 bytes); -1 if it does not fit. */
static int tok_str(const char *tok, size_t n, char *buf)
{
    if (n >= 512)
        return -1;
    memcpy(buf, tok, n);
    buf[n] = '\0';
    return 0;
}

static int conv_dec(const char *tok, size_t n, void *vctx, int64_t *out)
{
    struct qctx *c = vctx;
    char buf[512];
    if (tok_str(tok, n, buf))
        return -1;
    return fx_from_decimal(buf, &c->f, c->q, c->o, out);
}

static int parse_format(const char *s, struct fx_format *f)
{
    int w, i, used = 0;
    if (sscanf(s, "ap_fixed<%d,%d>%n", &w, &i, &used) == 2 && !s[used])
        f->is_signed = 1;
    else if (sscanf(s, "ap_ufixed<%d,%d>%n", &w, &i, &used) == 2 && !s[used])
        f->is_signed = 0;
    else
        return error("%s: error: quantize: format '%s' is not ap_fixed<W,I> or "
                     "ap_ufixed<W,I>", tf_progname, tq(s));
    f->width = w;
    f->int_bits = i;
    const char *why = fx_format_check(f);
    if (!why && f->is_signed && w < 2)
        why = "a signed format needs at least 2 bits";
    if (why)
        return error("%s: error: quantize: format '%s': %s", tf_progname, tq(s), why);
    return 0;
}

/* The exact decimal value of code * 2^-F (F may be negative): the digits
 * of m * 2^-F (F <= 0) or of m * 5^F (F > 0, then a point F digits from
 * the right), little-endian, by repeated multiplication. */
static void exact_decimal(int64_t code, const struct fx_format *f, struct strbuf *out)
{
    int F = f->width - f->int_bits;
    int neg = f->is_signed && code < 0;
    uint64_t m = neg ? (uint64_t)0 - (uint64_t)code : (uint64_t)code;
    int factor = F > 0 ? 5 : 2, times = F > 0 ? F : -F, frac = F > 0 ? F : 0;
    /* |F| <= 16448 (fx_format_check): 5^F needs < 0.7 F digits, 2^-F < 0.31 |F| */
    static char dig[12000 + 64];
    int nd = 0;
    do {
        dig[nd++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    for (int k = 0; k < times; k++) {
        int carry = 0;
        for (int i = 0; i < nd; i++) {
            int v = (dig[i] - '0') * factor + carry;
            dig[i] = (char)('0' + v % 10);
            carry = v / 10;
        }
        for (; carry; carry /= 10) {
            if (nd == (int)sizeof dig)
                BUG("decimal expansion longer than %zu digits", sizeof dig);
            dig[nd++] = (char)('0' + carry % 10);
        }
    }
    while (nd <= frac)
        dig[nd++] = '0';
    int lo = 0; /* no trailing zeros after the point */
    while (lo < frac && dig[lo] == '0')
        lo++;
    if (neg)
        sb_adds(out, "-");
    for (int i = nd - 1; i >= frac; i--)
        sb_add(out, &dig[i], 1);
    if (lo < frac) {
        sb_adds(out, ".");
        for (int i = frac - 1; i >= lo; i--)
            sb_add(out, &dig[i], 1);
    }
}

/* quantize --format fp16 ...: floating-point bit patterns. */
static int quantize_fp(enum sf_format f, const char *in, const char *out, int reverse)
{
    struct matrix m;
    struct strbuf sb = STRBUF_INIT;
    int rc = 1;
    if (mat_read_fp(&m, in, f, "a real number or a bit pattern like 0x3c00"))
        return 1;
    if (!reverse) {
        m.hex_digits = sf_info(f)->bits / 4;
        char *s = mat_format(&m);
        sb_adds(&sb, s);
        free(s);
    } else {
        sb_addf(&sb, "%d %d\n", m.rows, m.cols);
        for (int r = 0; r < m.rows; r++)
            for (int c = 0; c < m.cols; c++) {
                uint32_t v = (uint32_t)MAT(&m, r, c);
                double d = sf_to_double(f, v);
                if (sf_is_nan(f, v))
                    sb_addf(&sb, "%snan", c ? " " : "");
                else
                    sb_addf(&sb, "%s%.17g", c ? " " : "", d); /* exact: %.17g round-trips */
                if (c == m.cols - 1)
                    sb_adds(&sb, "\n");
            }
    }
    rc = out ? (write_file_atomic(out, sb.buf, sb.len) ? 1 : 0) : (fputs(sb.buf, stdout), 0);
    sb_release(&sb);
    mat_free(&m);
    return rc;
}

/* ---- block-scaled formats (docs/block-scaled.md, "quantize") ---------- */

/* The exact reals, in reading order: (-1)^sign * q * 2^e (q's low bit a
 * jam bit, common/softfloat.h), q = 0 for zero. */
struct exact { int sign, e; uint64_t q; };
struct mxq {
    struct exact *v;
    size_t n, cap;
};

static int conv_exact(const char *tok, size_t n, void *vctx, int64_t *out)
{
    struct mxq *c = vctx;
    char buf[512];
    if (tok_str(tok, n, buf))
        return -1;
    struct exact x = { 0, 0, 0 };
    int cls = sf_decimal_exact(buf, &x.sign, &x.q, &x.e);
    if (cls != SF_DEC_FIN && cls != SF_DEC_ZERO)
        return -1;
    if (cls == SF_DEC_ZERO)
        x.q = 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n] = x;
    *out = (int64_t)c->n++;
    return 0;
}

static int bitlen(uint64_t x)
{
    int n = 0;
    for (; x; x >>= 1)
        n++;
    return n;
}

/* |a| < |b| for exact reals. */
static int exact_less(const struct exact *a, const struct exact *b)
{
    if (!a->q || !b->q)
        return !a->q && b->q;
    int la = bitlen(a->q) + a->e, lb = bitlen(b->q) + b->e;
    if (la != lb)
        return la < lb;
    int sh = a->e - b->e; /* both q in [2^27, 2^29): |sh| <= 1 here */
    return sh >= 0 ? (a->q << sh) < b->q : a->q < (b->q << -sh);
}

/* q * 2^(e + sh) rounded to nearest even, as an integer; the result is
 * small (|result| < 2^10) or saturates to `lim`. */
static int64_t round_int(const struct exact *x, int sh, int64_t lim)
{
    int s = -(x->e + sh); /* right shift */
    int64_t r;
    if (!x->q)
        return 0;
    if (s <= 0)
        r = lim; /* >= 2^27 */
    else if (s >= 63)
        r = 0; /* below 2^-34: rounds to zero */
    else {
        uint64_t rem = x->q & ((UINT64_C(1) << s) - 1), half = UINT64_C(1) << (s - 1);
        uint64_t m = x->q >> s;
        if (rem > half || (rem == half && (m & 1)))
            m++;
        r = m > (uint64_t)lim ? lim : (int64_t)m;
    }
    return x->sign ? -r : r;
}

/* q / d (d <= 15) as a jammed quotient times 2^*sh: exact for the
 * roundings here (no rounding boundary lies strictly between q/d and
 * (q+1)/d, see docs/block-scaled.md). */
static uint64_t div_jam(uint64_t q, uint32_t d, int *sh)
{
    uint64_t n = q << 8;
    *sh = -8;
    return n / d | (n % d != 0);
}

/* Convert one block (len reals x[i]) into element codes and return its
 * scale code (the OCP conversion). */
static uint32_t mx_quantize_block(const struct act_format *af, struct exact *const *x, int len,
                                  uint32_t *codes)
{
    enum mx_elem el = (enum mx_elem)af->elem;
    const struct mx_elem_info *in = mx_elem(el);
    const struct sf_info *fi = mx_elem_fi(el);
    const struct exact *mx = NULL;
    for (int i = 0; i < len; i++)
        if (!mx || exact_less(mx, x[i]))
            mx = x[i];
    if (af->scale == MXS_E8M0) {
        /* shared exponent = floor(log2 max|v|) - emax_elem, in -127..127;
         * an all-zero block takes the bottom of the range */
        int X = mx && mx->q ? bitlen(mx->q) - 1 + mx->e - in->emax : -127;
        X = X < -127 ? -127 : X > 127 ? 127 : X;
        for (int i = 0; i < len; i++)
            codes[i] = !fi ? (uint32_t)(round_int(x[i], in->point - X, 127) & 0xff)
                       : x[i]->q ? sf_round_info(fi, x[i]->sign, x[i]->e - X, x[i]->q, 1)
                                 : 0;
        return (uint32_t)(X + 127);
    }
    /* NVFP4: scale = max|v| / 6 rounded (RNE) to E4M3, saturating at 448;
     * elements v / scale, RNE, saturating at 6. A zero scale (max|v| = 0
     * or below 2^-10 * 6) gives zero elements. */
    const struct sf_info *e4 = sf_info(SF_FP8E4M3);
    uint32_t sc = 0;
    if (mx && mx->q) {
        int sh;
        uint64_t q6 = div_jam(mx->q, 6, &sh);
        sc = sf_round_info(e4, 0, mx->e + sh, q6, 1);
    }
    uint32_t ms;
    int es;
    mx_scale_decode(MXS_UE4M3, sc, &ms, &es);
    for (int i = 0; i < len; i++) {
        codes[i] = 0;
        if (!ms || !x[i]->q)
            continue;
        int sh;
        uint64_t qd = div_jam(x[i]->q, ms, &sh);
        codes[i] = sf_round_info(fi, x[i]->sign, x[i]->e + sh - es, qd, 1);
    }
    return sc;
}

/* The exact decimal of element code * scale into out ("nan", "inf"). */
static void mx_decimal(const struct act_format *af, uint32_t code, uint32_t scode,
                       struct strbuf *out)
{
    unsigned fl;
    int64_t v = mx_elem_int((enum mx_elem)af->elem, code, &fl);
    uint32_t ms;
    int es;
    if (mx_scale_decode((enum mx_scale)af->scale, scode, &ms, &es) || (fl & MXF_NAN)) {
        sb_adds(out, "nan");
        return;
    }
    if (fl) {
        sb_adds(out, fl & MXF_NINF ? "-inf" : "inf");
        return;
    }
    /* v * ms * 2^(es - P): an ap_fixed code with F = P - es fraction bits */
    struct fx_format f = { 64, 64 - (mx_elem((enum mx_elem)af->elem)->point - es), 1 };
    exact_decimal(v * (int64_t)ms, &f, out);
}

static int quantize_mx(int act, const struct quantize_args *a)
{
    const struct act_format *af = &act_formats[act];
    struct design_point dp;
    struct matrix X, Y;
    struct mxq c = { NULL, 0, 0 };
    struct strbuf sb = STRBUF_INIT, ss = STRBUF_INIT;
    int rc = 1;
    memset(&X, 0, sizeof X);
    memset(&Y, 0, sizeof Y);
    dp_init(&dp);
    if (dp_set(&dp, "act_type", af->name, "quantize", "--format") || dp_finalize(&dp))
        BUG("act_type=%s does not derive", af->name);
    if (!a->scales) {
        error("%s: error: quantize: --format %s needs --scales S.txt (the block scales: "
              "written, or with --reverse read)", tf_progname, af->name);
        goto done;
    }
    if (a->reverse) {
        char what[64];
        snprintf(what, sizeof what, "element code (%s, %d bits)", af->name, af->width);
        if (mat_read_codes(&X, a->in, "an element code (hex like 0x3f)") ||
            mat_check_range(&X, 0, (1 << af->width) - 1, what) ||
            read_scales(&dp, a->scales, &X))
            goto done;
        sb_addf(&sb, "%d %d\n", X.rows, X.cols);
        for (int r = 0; r < X.rows; r++)
            for (int b = 0; b < X.cols; b++) {
                if (b)
                    sb_adds(&sb, " ");
                mx_decimal(af, (uint32_t)MAT(&X, r, b), (uint32_t)MAT(X.scales, r / af->k, b),
                           &sb);
                if (b == X.cols - 1)
                    sb_adds(&sb, "\n");
            }
        rc = a->out ? (write_file_atomic(a->out, sb.buf, sb.len) ? 1 : 0)
                    : (fputs(sb.buf, stdout), 0);
        goto done;
    }
    if (mat_read_with(&X, a->in, conv_exact, &c, "a finite decimal number (|v| < 1e46)"))
        goto done;
    int N = X.rows, B = X.cols, blocks = (N + af->k - 1) / af->k;
    mat_init(&Y, N, B);
    Y.hex_digits = (af->width + 3) / 4;
    struct matrix S;
    mat_init(&S, blocks, B);
    S.hex_digits = 2;
    struct exact **col = xmalloc((size_t)af->k * sizeof *col);
    uint32_t *codes = xmalloc((size_t)af->k * sizeof *codes);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < blocks; j++) {
            int len = N - j * af->k < af->k ? N - j * af->k : af->k;
            for (int i = 0; i < len; i++)
                col[i] = &c.v[MAT(&X, j * af->k + i, b)];
            MAT(&S, j, b) = mx_quantize_block(af, col, len, codes);
            for (int i = 0; i < len; i++)
                MAT(&Y, j * af->k + i, b) = codes[i];
        }
    free(col);
    free(codes);
    char *ys = mat_format(&Y), *s2 = mat_format(&S);
    sb_adds(&sb, ys);
    sb_adds(&ss, s2);
    free(ys);
    free(s2);
    mat_free(&S);
    /* both outputs checked before either is written: no half output */
    if (a->out && strcmp(a->out, "-") &&
        (check_output_file(a->out) ||
         (same_output(a->out, a->scales) &&
          error("%s: error: -o and --scales name the same file", a->out))))
        goto done;
    if (write_file_atomic(a->scales, ss.buf, ss.len))
        goto done;
    rc = a->out ? (write_file_atomic(a->out, sb.buf, sb.len) ? 1 : 0)
                : (fputs(sb.buf, stdout), 0);
done:
    free(c.v);
    sb_release(&sb);
    sb_release(&ss);
    mat_free(&X);
    mat_free(&Y);
    return rc;
}

/* The words: the first one naming a .xml file is the parameter file, the
 * next the input matrix. */
static int quantize_word(const struct opt *o, const char *as_typed, const char *val,
                         void *dest)
{
    (void)o, (void)as_typed;
    struct quantize_args *a = dest;
    if (!a->pt.file && strstr(val, ".xml"))
        a->pt.file = val;
    else if (!a->in)
        a->in = val;
    else
        return error("%s: error: quantize: unexpected argument '%s'", tf_progname, tq(val));
    return 0;
}

static const struct opt opts[] = {
    { "--format", 0, "FMT", "ap_fixed<W,I>, ap_ufixed<W,I>, fp16, bf16, fp32, fp8e4m3, "
      "fp8e5m2, or a block-scaled act_type (mxint8, mxfp8e4m3, mxfp8e5m2, mxfp6e3m2, "
      "mxfp6e2m3, mxfp4, nvfp4)", 0, opt_str, offsetof(struct quantize_args, format), 0, 0 },
    { "--scales", 0, "S.txt", "block-scaled FMT: the block scale codes, ceil(N/k) x B "
      "(written; read with --reverse)", 0, opt_str, offsetof(struct quantize_args, scales),
      0, 0 },
    { NULL, 0, "[P.xml] FILE", "a fixp parameter file (a name with .xml), then the input "
      "matrix: reals, or codes with --reverse", OPT_REQ | OPT_MULTI, quantize_word, 0, 0, 0 },
    { "--operand", 0, "x|w|y", "with P.xml: the format of this operand of the core", 0,
      opt_str, offsetof(struct quantize_args, operand), 0, 0 },
    { "--quant", 0, "MODE", "quantization mode: trn (default), trn_zero, rnd, rnd_zero, "
      "rnd_min_inf, rnd_inf, rnd_conv", 0, opt_str, offsetof(struct quantize_args, quant),
      0, 0 },
    { "--overflow", 0, "MODE", "overflow mode: wrap (default), sat, sat_zero, sat_sym", 0,
      opt_str, offsetof(struct quantize_args, ovf), 0, 0 },
    { "--reverse", 0, NULL, "codes (or bit patterns) to their exact real values", 0,
      opt_flag, offsetof(struct quantize_args, reverse), 0, 0 },
    { NULL, 'o', "FILE", "write the result here instead of to standard output", 0, opt_str,
      offsetof(struct quantize_args, out), 0, 0 },
    OPT_SET(struct quantize_args, pt),
    { 0 }
};

static int run_quantize(int argc, char **argv)
{
    struct quantize_args a = { 0 };
    int rc = 1;
    struct matrix m;
    memset(&m, 0, sizeof m);
    if (opt_parse(&cmd_quantize, argc, argv, &a))
        goto done;
    const char *param = a.pt.file, *operand = a.operand, *format = a.format;
    const char *quant = a.quant, *ovf = a.ovf, *in = a.in, *out = a.out;
    int reverse = a.reverse;
    struct qctx c = { { 0, 0, 0 }, FXQ_TRN, FXO_WRAP };
    if (!in) {
        error("%s: error: quantize: missing the input matrix file", tf_progname);
        goto done;
    }
    if (!!format == !!param) {
        error("%s: error: quantize: give either --format FMT or P.xml --operand x|w|y",
              tf_progname);
        goto done;
    }
    if (format && sf_lookup(format) >= 0 && !a.scales) {
        rc = quantize_fp((enum sf_format)sf_lookup(format), in, out, reverse);
        goto done;
    }
    for (int t = 0; format && t < ACT__COUNT; t++)
        if (act_formats[t].k && !strcmp(format, act_formats[t].name)) {
            rc = quantize_mx(t, &a);
            goto done;
        }
    if (a.scales) {
        error("%s: error: quantize: --scales applies to the block-scaled formats only "
              "(mxint8, ..., nvfp4)", tf_progname);
        goto done;
    }
    if (format) {
        if (parse_format(format, &c.f))
            goto done;
    } else {
        struct design_point dp;
        if (dp_load(&dp, param, a.pt.sets.v, a.pt.sets.n))
            goto done;
        if (!kind_get(&dp)->fx_operand) {
            struct strbuf fx = STRBUF_INIT; /* the kinds with fixed-point operands */
            for (int k = 0; k < KIND__COUNT; k++)
                if (kind_ops_of(k)->fx_operand)
                    sb_addf(&fx, "%s'%s'", fx.len ? " or " : "", kind_names[k]);
            error("%s: error: quantize: %s is a '%s' core; --operand needs kind %s",
                  tf_progname, param, kind_names[dp.kind], fx.buf);
            sb_release(&fx);
            goto done;
        }
        if (!operand || strlen(operand) != 1 || !strchr("xwy", operand[0])) {
            error("%s: error: quantize: --operand must be x, w or y", tf_progname);
            goto done;
        }
        kind_get(&dp)->fx_operand(&dp, operand[0], &c.f, &c.q, &c.o);
    }
    if (quant && (int)(c.q = (enum fx_quant)fx_quant_lookup(quant)) < 0) {
        error("%s: error: quantize: '%s' is not one of: trn, trn_zero, rnd, rnd_zero, "
              "rnd_min_inf, rnd_inf, rnd_conv", tf_progname, tq(quant));
        goto done;
    }
    if (ovf && (int)(c.o = (enum fx_ovf)fx_ovf_lookup(ovf)) < 0) {
        error("%s: error: quantize: '%s' is not one of: wrap, sat, sat_zero, sat_sym",
              tf_progname, tq(ovf));
        goto done;
    }
    struct strbuf sb = STRBUF_INIT;
    if (!reverse) {
        if (mat_read_with(&m, in, conv_dec, &c, "a decimal number"))
            goto done;
        char *s = mat_format(&m);
        sb_adds(&sb, s);
        free(s);
    } else {
        if (mat_read(&m, in))
            goto done;
        char what[80];
        snprintf(what, sizeof what, "code of ap_%sfixed<%d,%d>", c.f.is_signed ? "" : "u",
                 c.f.width, c.f.int_bits);
        if (mat_check_range(&m, fx_min_code(&c.f), fx_max_code(&c.f), what))
            goto done;
        sb_addf(&sb, "%d %d\n", m.rows, m.cols);
        for (int r = 0; r < m.rows; r++) {
            for (int k = 0; k < m.cols; k++) {
                if (k)
                    sb_adds(&sb, " ");
                exact_decimal(MAT(&m, r, k), &c.f, &sb);
            }
            sb_adds(&sb, "\n");
        }
    }
    if (out)
        rc = write_file_atomic(out, sb.buf, sb.len) ? 1 : 0;
    else {
        fputs(sb.buf, stdout);
        rc = 0;
    }
    sb_release(&sb);
done:
    mat_free(&m);
    free(a.pt.sets.v);
    return rc;
}

const struct command cmd_quantize = {
    "quantize", run_quantize, "decimal reals <-> fixed-point codes", opts,
    "usage: ternforge quantize --format FMT [--quant MODE] [--overflow MODE]\n"
    "                          REALS.txt [-o CODES.txt]\n"
    "       ternforge quantize P.xml --operand x|w|y [--quant MODE] [--overflow MODE]\n"
    "                          REALS.txt [-o CODES.txt] [--set NAME=VALUE]...\n"
    "       ternforge quantize (--format FMT | P.xml --operand x|w|y) --reverse\n"
    "                          CODES.txt [-o REALS.txt]\n"
    "       ternforge quantize --format MX REALS.txt --scales S.txt [-o X.txt]\n"
    "       ternforge quantize --format MX --reverse X.txt --scales S.txt [-o REALS.txt]\n",
    "\n"
    "Convert a matrix of decimal reals (e.g. 0.75, -1.5e-3) into the raw\n"
    "two's-complement codes of a fixed-point format, exactly, with an\n"
    "ap_fixed quantization mode (default trn) and overflow mode (default\n"
    "wrap; for --operand y the core's quant and overflow are the defaults).\n"
    "FMT is ap_fixed<W,I> or ap_ufixed<W,I> (I counts the sign bit), or a\n"
    "floating-point format fp16, bf16, fp32, fp8e4m3, fp8e5m2: reals (and\n"
    "inf, nan) round to nearest even into hex bit patterns (0x3c00). With\n"
    "--reverse, codes or patterns become their exact real values. Matrix\n"
    "files: first line 'ROWS COLS', then the rows.\n"
    "MX is a block-scaled act_type (mxint8, mxfp8e4m3, mxfp8e5m2, mxfp6e3m2,\n"
    "mxfp6e2m3, mxfp4: blocks of 32 along each column, E8M0 scales; nvfp4:\n"
    "blocks of 16, UE4M3 scales): the OCP conversion writes the element\n"
    "codes (hex) and the scale codes to --scales (docs/block-scaled.md).\n",
    0, 0
};
