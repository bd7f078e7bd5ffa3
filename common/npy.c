/* npy.c - NumPy .npy matrices (see npy.h): the header's dict literal,
 * element types, data checked against the header before any storage is
 * sized from it, and the writer of `run -o Y.npy`. */
#include "npy.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "softfloat.h"
#include "dp.h"
#include "matrix.h"
#include "util.h"

const char *const npy_descr[NPY__COUNT] = {
    "<i8", "|i1", "<i2", "<i4", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8",
};
const char *const npy_names[NPY__COUNT] = {
    "int64", "int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
};
static const int sizes[NPY__COUNT] = { 8, 1, 2, 4, 1, 2, 4, 8, 2, 4, 8 };

int npy_size(enum npy_dtype t)
{
    return sizes[t];
}

static int is_float(int t)
{
    return t == NPY_F16 || t == NPY_F32 || t == NPY_F64;
}

static int is_unsigned(int t)
{
    return t == NPY_U8 || t == NPY_U16 || t == NPY_U32 || t == NPY_U64;
}

int npy_result_dtype(const struct design_point *dp)
{
    if (dp->d.fp)
        return dp->d.acc_fmt == SF_FP16 ? NPY_F16 : dp->d.acc_fmt == SF_FP32 ? NPY_F32 : NPY_U16;
    int fits32 = dp->d.lane_signed ? dp->d.lane_bits <= 32 : dp->d.lane_bits <= 31;
    return fits32 ? NPY_I32 : NPY_I64;
}

int npy_magic(const struct mat_in *in)
{
    return in->end - in->p >= 6 && !memcmp(in->p, "\x93NUMPY", 6);
}

/* ---- the header: a Python dict literal ---- */

#define HEADER_MAX (1 << 18)

struct hdr {
    const char *name;
    const char *base, *p, *end; /* base is file offset 0 */
    char descr[40];
    int fortran;  /* -1: missing */
    int ndim;     /* -1: missing */
    int64_t dim[3];
    int dim_neg;
};

static int hdr_err(const struct hdr *h, const char *what)
{
    return error("%s: error: byte %lld: header: %s", h->name, (long long)(h->p - h->base), what);
}

static void hdr_blank(struct hdr *h)
{
    while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n' || *h->p == '\r'))
        h->p++;
}

static int hdr_char(struct hdr *h, char c, const char *what)
{
    hdr_blank(h);
    if (h->p == h->end || *h->p != c)
        return hdr_err(h, what);
    h->p++;
    return 0;
}

/* A string literal without escapes ('...' or "..."), at most n-1 bytes. */
static int hdr_string(struct hdr *h, char *out, size_t n, const char *what)
{
    hdr_blank(h);
    if (h->p == h->end || (*h->p != '\'' && *h->p != '"'))
        return hdr_err(h, what);
    char q = *h->p;
    const char *s = h->p + 1, *e = s;
    while (e < h->end && *e != q && *e != '\\' && *e != '\n' && (size_t)(e - s) < n - 1)
        e++;
    if (e == h->end || *e != q) {
        h->p = e;
        return hdr_err(h, "a string that does not end, has an escape or is too long");
    }
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    h->p = e + 1;
    return 0;
}

static int hdr_word(struct hdr *h, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(h->end - h->p) >= n && !memcmp(h->p, w, n)) {
        h->p += n;
        return 1;
    }
    return 0;
}

/* (d0, d1, ...): a tuple of integers (Python 2's "3L" too). */
static int hdr_shape(struct hdr *h)
{
    if (hdr_char(h, '(', "'shape' is not a tuple"))
        return -1;
    int n = 0, comma = 0;
    for (;;) {
        hdr_blank(h);
        if (h->p < h->end && *h->p == ')')
            break;
        if (n && !comma)
            return hdr_err(h, "expected ',' or ')' in 'shape'");
        int neg = h->p < h->end && *h->p == '-';
        h->p += neg;
        const char *d = h->p;
        uint64_t v = 0;
        while (h->p < h->end && (unsigned)(*h->p - '0') < 10) {
            v = v > UINT64_MAX / 20 ? UINT64_MAX / 2 : v * 10 + (unsigned)(*h->p - '0');
            h->p++;
        }
        if (h->p == d)
            return hdr_err(h, "expected an integer in 'shape'");
        if (h->p < h->end && (*h->p == 'L' || *h->p == 'l'))
            h->p++;
        if (n < 3)
            h->dim[n] = v > INT64_MAX ? INT64_MAX : (int64_t)v;
        if (neg && v)
            h->dim_neg = 1;
        if (n < 1000)
            n++;
        hdr_blank(h);
        comma = h->p < h->end && *h->p == ',';
        h->p += comma;
    }
    if (n == 1 && !comma)
        return hdr_err(h, "'shape' is not a tuple (one dimension is written (N,))");
    h->p++;
    h->ndim = n;
    return 0;
}

static int hdr_parse(struct hdr *h)
{
    int seen[3] = { 0, 0, 0 };
    h->fortran = -1;
    h->ndim = -1;
    if (hdr_char(h, '{', "expected '{'"))
        return -1;
    for (;;) {
        hdr_blank(h);
        if (h->p < h->end && *h->p == '}')
            break;
        char key[40], q[MAT_QUOTE_SIZE];
        const char *at = h->p;
        if (hdr_string(h, key, sizeof key, "expected a key in quotes or '}'"))
            return -1;
        int k = !strcmp(key, "descr") ? 0 : !strcmp(key, "fortran_order") ? 1
              : !strcmp(key, "shape") ? 2 : -1;
        if (k < 0 || seen[k]) {
            h->p = at;
            char msg[300];
            snprintf(msg, sizeof msg, "%s key '%s' (a .npy header has 'descr', "
                     "'fortran_order' and 'shape')", k < 0 ? "unknown" : "repeated",
                     mat_quote(key, strlen(key), q));
            return hdr_err(h, msg);
        }
        seen[k] = 1;
        if (hdr_char(h, ':', "expected ':' after the key"))
            return -1;
        hdr_blank(h);
        if (k == 0) {
            if (h->p < h->end && *h->p == '[')
                return hdr_err(h, "'descr' is a list: a structured (record) dtype, not "
                                  "numbers");
            if (hdr_string(h, h->descr, sizeof h->descr, "'descr' is not a string"))
                return -1;
        } else if (k == 1) {
            if (hdr_word(h, "True"))
                h->fortran = 1;
            else if (hdr_word(h, "False"))
                h->fortran = 0;
            else
                return hdr_err(h, "'fortran_order' is not True or False");
        } else if (hdr_shape(h)) {
            return -1;
        }
        hdr_blank(h);
        if (h->p < h->end && *h->p == ',') {
            h->p++;
            continue;
        }
        hdr_blank(h);
        if (h->p == h->end || *h->p != '}')
            return hdr_err(h, "expected ',' or '}'");
    }
    const char *close = h->p++;
    hdr_blank(h);
    if (h->p != h->end)
        return hdr_err(h, "more after the dict than the padding of spaces and '\\n'");
    static const char *const keys[3] = { "descr", "fortran_order", "shape" };
    h->p = close;
    for (int k = 0; k < 3; k++)
        if (!seen[k]) {
            char msg[64];
            snprintf(msg, sizeof msg, "no '%s'", keys[k]);
            return hdr_err(h, msg);
        }
    return 0;
}

/* The element type of a descr, or -1 with a reason (`why`, n bytes). */
static int parse_descr(const char *d, char *why, size_t n)
{
    char order = 0;
    if (*d == '<' || *d == '>' || *d == '|' || *d == '=')
        order = *d++;
    char kind = *d ? *d++ : 0;
    char *end;
    long size = strtol(d, &end, 10);
    if (*end || d == end)
        size = -1;
    static const char *const others[][2] = {
        { "b", "bool" }, { "?", "bool" }, { "O", "an object array (pickled Python objects)" },
        { "c", "complex" }, { "S", "a byte string" }, { "a", "a byte string" },
        { "U", "a unicode string" }, { "M", "a datetime" }, { "m", "a timedelta" },
    };
    const char *what = "not a type this reader knows";
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (kind == others[i][0][0])
            what = others[i][1];
    if (kind == 'V' && size == 2)
        what = "raw 2-byte values (bfloat16 arrays are saved so: save a.view(np.uint16))";
    else if (kind == 'V')
        what = "raw bytes";
    int t = -1;
    if (kind == 'i')
        t = size == 1 ? NPY_I8 : size == 2 ? NPY_I16 : size == 4 ? NPY_I32 : size == 8 ? NPY_I64 : -1;
    else if (kind == 'u')
        t = size == 1 ? NPY_U8 : size == 2 ? NPY_U16 : size == 4 ? NPY_U32 : size == 8 ? NPY_U64 : -1;
    else if (kind == 'f')
        t = size == 2 ? NPY_F16 : size == 4 ? NPY_F32 : size == 8 ? NPY_F64 : -1;
    if (t < 0) {
        snprintf(why, n, "%s; the reader takes int8..int64, uint8..uint64, float16, float32 "
                 "and float64", what);
        return -1;
    }
    if (sizes[t] > 1 && order == '>') {
        snprintf(why, n, "big-endian %s: save little-endian, a.astype('<%c%ld')", npy_names[t],
                 kind, size);
        return -1;
    }
    if (sizes[t] > 1 && order != '<') {
        snprintf(why, n, "%s without the byte order '<'", npy_names[t]);
        return -1;
    }
    return t;
}

/* Is element type t right for the matrix (fp_fmt < 0: integers)? */
static int check_role(int t, int fp_fmt, char *why, size_t n)
{
    if (fp_fmt < 0) {
        if (is_float(t)) {
            snprintf(why, n, "%s, but this matrix holds integers: save integers, e.g. "
                     "a.astype(np.int32)", npy_names[t]);
            return -1;
        }
        return 0;
    }
    const struct sf_info *fi = sf_info((enum sf_format)fp_fmt);
    const char *f = sf_format_names[fp_fmt];
    if (is_float(t))
        return 0;
    if (is_unsigned(t) && sizes[t] * 8 == fi->bits)
        return 0;
    if (is_unsigned(t))
        snprintf(why, n, "%s: bit patterns of %d bits, but %s patterns have %d", npy_names[t],
                 sizes[t] * 8, f, fi->bits);
    else
        snprintf(why, n, "%s, not %s values: give values as float16, float32 or float64, or "
                 "bit patterns as uint%d", npy_names[t], f, fi->bits);
    return -1;
}

/* ---- elements ---- */

static uint64_t get_le(const unsigned char *b, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* A binary64 pattern to binary32, rounded to nearest even (odd = 0) or to
 * odd (odd = 1: the result's last bit is set when anything was dropped,
 * and overflow gives the largest finite value). Rounding to odd in fp32
 * and then once more, to nearest even, into a format of at most 13
 * significant bits (fp16, bf16, fp8) equals one rounding of the double:
 * fp32 keeps at least 2 more bits everywhere in their ranges. */
static uint32_t f64_to_f32(uint64_t x, int odd)
{
    uint32_t sign = (uint32_t)(x >> 63) << 31;
    int e = (int)(x >> 52 & 0x7ff);
    uint64_t f = x & ((UINT64_C(1) << 52) - 1);
    if (e == 0x7ff) /* NaN: the canonical one, as every conversion gives */
        return f ? 0x7fc00000u : sign | 0x7f800000u;
    if (!e && !f)
        return sign;
    int ue; /* value = 1.m * 2^ue with m = mant's 52 bits below its top */
    uint64_t mant;
    if (e) {
        mant = f | UINT64_C(1) << 52;
        ue = e - 1023;
    } else {
        int lz = __builtin_clzll(f) - 11; /* shift to put the top bit at 52 */
        mant = f << lz;
        ue = -1022 - lz;
    }
    if (ue > 127)
        return sign | (odd ? 0x7f7fffffu : 0x7f800000u);
    int shift = ue >= -126 ? 29 : 29 + (-126 - ue); /* bits dropped */
    uint64_t m = shift < 64 ? mant >> shift : 0;
    uint64_t rem = shift < 64 ? mant & ((UINT64_C(1) << shift) - 1) : mant;
    if (odd) {
        m |= rem != 0;
    } else {
        uint64_t half = shift < 64 ? UINT64_C(1) << (shift - 1) : 0;
        if (shift >= 64)
            half = UINT64_MAX; /* far below the smallest subnormal's half */
        if (rem > half || (rem == half && (m & 1)))
            m++;
    }
    /* Normal: (biased exponent << 23) + m - hidden bit, a carry of m into
     * bit 24 steps the exponent; subnormal: m itself. */
    if (ue >= -126)
        return sign | (((uint32_t)(ue + 127) << 23) + (uint32_t)m - 0x800000u);
    return sign | (uint32_t)m;
}

/* Convert k elements; returns -1, or the index of one that does not fit. */
static long convert(int64_t *dst, const unsigned char *src, size_t k, int t, int fp_fmt)
{
    int sz = sizes[t];
    switch (t) {
    case NPY_I8:
        for (size_t i = 0; i < k; i++)
            dst[i] = (int8_t)src[i];
        return -1;
    case NPY_U8:
        for (size_t i = 0; i < k; i++)
            dst[i] = src[i];
        return -1;
    case NPY_I16:
        for (size_t i = 0; i < k; i++)
            dst[i] = (int16_t)(uint16_t)get_le(src + 2 * i, 2);
        break;
    case NPY_I32:
        for (size_t i = 0; i < k; i++)
            dst[i] = (int32_t)(uint32_t)get_le(src + 4 * i, 4);
        break;
    case NPY_I64:
        for (size_t i = 0; i < k; i++) {
            uint64_t u = get_le(src + 8 * i, 8);
            dst[i] = u > INT64_MAX ? -(int64_t)(~u) - 1 : (int64_t)u;
        }
        break;
    default:
        for (size_t i = 0; i < k; i++) {
            uint64_t u = get_le(src + (size_t)sz * i, sz);
            if (t == NPY_U64 && u > INT64_MAX)
                return (long)i;
            dst[i] = (int64_t)u;
        }
        break;
    }
    if (fp_fmt < 0 || !is_float(t))
        return -1;
    enum sf_format to = (enum sf_format)fp_fmt;
    for (size_t i = 0; i < k; i++) {
        uint64_t u = (uint64_t)dst[i];
        uint32_t v;
        if (t == NPY_F16)
            v = sf_convert(to, SF_FP16, (uint32_t)u);
        else if (t == NPY_F32)
            v = sf_convert(to, SF_FP32, (uint32_t)u);
        else if (to == SF_FP32)
            v = f64_to_f32(u, 0);
        else
            v = sf_convert(to, SF_FP32, f64_to_f32(u, 1));
        dst[i] = v;
    }
    return -1;
}

/* ---- reading ---- */

/* The shape as Python writes it (at most 3 dimensions shown). */
static void shape_str(char *buf, size_t n, const struct hdr *h)
{
    if (h->ndim == 1) {
        snprintf(buf, n, "(%" PRId64 ",)", h->dim[0]);
        return;
    }
    size_t k = (size_t)snprintf(buf, n, "(");
    for (int i = 0; i < h->ndim && i < 3 && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%" PRId64, i ? ", " : "", h->dim[i]);
    if (k < n)
        snprintf(buf + k, n - k, "%s)", h->ndim > 3 ? ", ..." : "");
}

/* The data of int8/int16/int32 as is (compact storage): one copy from
 * the file, no conversion. A regular file's size matched the header, so
 * storage is sized at once; a pipe's grows with what arrives. */
static int read_compact(struct matrix *m, struct mat_in *in, int t, size_t R, size_t C,
                        const char *span)
{
    size_t sz = (size_t)sizes[t], nbytes = R * C * sz, done = 0;
    size_t cap = in->size >= 0 || nbytes < ((size_t)1 << 20) ? nbytes : (size_t)1 << 20;
    char *e = malloc(cap);
    if (!e)
        return error("%s: error: out of memory for %zu bytes", in->name, cap);
    mat_advise_huge(e, cap);
    m->e = e;
    m->et = t == NPY_I8 ? MAT_I8 : t == NPY_I16 ? MAT_I16 : MAT_I32;
    while (done < nbytes) {
        if (done == cap) {
            cap = cap * 2 < nbytes ? cap * 2 : nbytes;
            if (!(e = realloc(m->e, cap)))
                return error("%s: error: out of memory for %zu bytes", in->name, cap);
            mat_advise_huge(e, cap);
            m->e = e;
        }
        long long got = in_take(in, e + done, cap - done);
        if (got < 0)
            return -1;
        if (got == 0)
            return error("%s: error: byte %lld: the file ends inside the data (%s)", in->name,
                         m->data_off + (long long)done, span);
        done += (size_t)got;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < R * C; i++) {
        uint64_t v = get_le((const unsigned char *)e + i * sz, (int)sz);
        memcpy(e + i * sz, (char *)&v + 8 - sz, sz);
    }
#endif
    if (m->col_major) {
        char *d = malloc(nbytes);
        if (!d)
            return error("%s: error: out of memory for %zu bytes", in->name, nbytes);
        for (size_t c = 0; c < C; c++)
            for (size_t r = 0; r < R; r++)
                memcpy(d + (r * C + c) * sz, e + (c * R + r) * sz, sz);
        free(e);
        m->e = d;
    }
    return 0;
}

int npy_read(struct matrix *m, struct mat_in *in, int fp_fmt, int compact)
{
    const char *name = in->name;
    m->npy = 1;
    m->path = name;
    if (in_fill(in, 12))
        return -1;
    const unsigned char *b = (const unsigned char *)in->p;
    long long avail = in->end - in->p;
    if (avail < 8)
        return error("%s: error: byte %lld: the file ends inside the .npy magic and version",
                     name, avail);
    int major = b[6], minor = b[7];
    if (!(major >= 1 && major <= 3 && minor == 0))
        return error("%s: error: byte 6: .npy format version %d.%d (this reader knows 1.0, "
                     "2.0 and 3.0)", name, major, minor);
    int lsize = major == 1 ? 2 : 4;
    if (avail < 8 + lsize)
        return error("%s: error: byte %lld: the file ends inside the header length", name,
                     avail);
    uint32_t hlen = (uint32_t)get_le(b + 8, lsize);
    long long hstart = 8 + lsize, dstart = hstart + hlen;
    if (hlen > HEADER_MAX)
        return error("%s: error: byte 8: header length %" PRIu32 " is above the limit of %d "
                     "bytes", name, hlen, HEADER_MAX);
    if (in->size >= 0 && dstart > in->size)
        return error("%s: error: byte 8: header length %" PRIu32 " runs past the end of the "
                     "file (%lld bytes)", name, hlen, in->size);
    if (in_fill(in, (size_t)dstart))
        return -1;
    if (in->end - in->p < dstart)
        return error("%s: error: byte %lld: the file ends inside the header (%" PRIu32 " bytes "
                     "from byte %lld)", name, (long long)(in->end - in->p), hlen, hstart);
    struct hdr h;
    memset(&h, 0, sizeof h);
    h.name = name;
    h.base = in->p;
    h.p = in->p + hstart;
    h.end = in->p + dstart;
    if (hdr_parse(&h))
        return -1;

    /* What the header says, checked before it sizes anything. */
    char why[160], shape[64], q[MAT_QUOTE_SIZE];
    int t = parse_descr(h.descr, why, sizeof why);
    if (t < 0 || check_role(t, fp_fmt, why, sizeof why))
        return error("%s: error: header 'descr': '%s' is %s", name,
                     mat_quote(h.descr, strlen(h.descr), q), why);
    shape_str(shape, sizeof shape, &h);
    if (h.ndim < 1 || h.ndim > 2)
        return error("%s: error: header 'shape' %s has %d dimensions; a matrix has 2 (or 1: "
                     "a column)", name, shape, h.ndim);
    if (h.dim_neg)
        return error("%s: error: header 'shape' has a negative dimension", name);
    int64_t R = h.dim[0], C = h.ndim == 2 ? h.dim[1] : 1;
    if (R == 0 || C == 0)
        return error("%s: error: header 'shape' %s: an empty matrix", name, shape);
    if (R > MAT_MAX_DIM || C > MAT_MAX_DIM || R * C > MAT_MAX_VALUES)
        return error("%s: error: header 'shape' %s: matrix of %" PRId64 " x %" PRId64
                     " is too large", name, shape, R, C);
    int sz = sizes[t];
    long long nbytes = R * C * sz;
    char span[160];
    snprintf(span, sizeof span, "shape %s of '%s' is %lld bytes from byte %lld", shape,
             npy_descr[t], nbytes, dstart);
    if (in->size >= 0 && in->size - dstart < nbytes)
        return error("%s: error: byte %lld: the file ends inside the data (%s)", name,
                     in->size, span);
    if (in->size >= 0 && in->size - dstart > nbytes)
        return error("%s: error: byte %lld: the file goes on after the data (%s)", name,
                     dstart + nbytes, span);
    m->elem_size = sz;
    m->col_major = h.fortran && h.ndim == 2;
    m->data_off = dstart;

    in->p += dstart;
    if (compact && fp_fmt < 0 && (t == NPY_I8 || t == NPY_I16 || t == NPY_I32)) {
        if (read_compact(m, in, t, (size_t)R, (size_t)C, span))
            return -1;
        goto end;
    }
    /* The data: a regular file's size matched, so storage is sized at
     * once; a pipe's grows with what arrives. */
    size_t total = (size_t)(R * C), cap = 0, done = 0;
    if (mat_grow(m, name, &cap, in->size >= 0 ? total : (total < 65536 ? total : 65536), total))
        return -1;
    while (done < total) {
        if (in->end - in->p < sz) {
            if (in_fill(in, (size_t)sz))
                return -1;
            if (in->end - in->p < sz)
                return error("%s: error: byte %lld: the file ends inside the data (%s)", name,
                             in_offset(in, in->end), span);
        }
        size_t k = (size_t)(in->end - in->p) / (size_t)sz;
        if (k > total - done)
            k = total - done;
        if (mat_grow(m, name, &cap, done + k, total))
            return -1;
        long bad = convert(m->v + done, (const unsigned char *)in->p, k, t, fp_fmt);
        if (bad >= 0) {
            size_t i = done + (size_t)bad;
            int r = (int)(m->col_major ? i % (size_t)R : i / (size_t)C);
            int c = (int)(m->col_major ? i / (size_t)R : i % (size_t)C);
            m->rows = (int)R;
            m->cols = (int)C;
            char at[MAT_AT_SIZE];
            return error("%s: error: uint64 value %" PRIu64 " at %s does not fit in int64",
                         name, get_le((const unsigned char *)in->p + (size_t)bad * (size_t)sz, sz),
                         mat_at(m, r, c, at));
        }
        in->p += k * (size_t)sz;
        done += k;
    }
    m->rows = (int)R;
    m->cols = (int)C;
    if (m->col_major) {
        int64_t *v = malloc(total * sizeof *v);
        if (!v)
            return error("%s: error: out of memory for %zu values", name, total);
        for (size_t c = 0; c < (size_t)C; c++)
            for (size_t r = 0; r < (size_t)R; r++)
                v[r * (size_t)C + c] = m->v[c * (size_t)R + r];
        free(m->v);
        m->v = v;
    }
end:
    if (in_fill(in, 1))
        return -1;
    if (in->end > in->p)
        return error("%s: error: byte %lld: the file goes on after the data (%s)", name,
                     in_offset(in, in->p), span);
    m->rows = (int)R;
    m->cols = (int)C;
    return 0;
}

/* ---- writing ---- */

char *npy_format(const struct matrix *m, size_t *len)
{
    int t = m->dtype;
    char dict[160];
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
                     "'shape': (%d, %d), }", npy_descr[t], m->rows, m->cols);
    /* NumPy's layout, byte for byte as numpy.save (1.24) writes it: magic,
     * version 1.0, length, the dict, room for the first dimension to grow
     * to 21 digits, then spaces and '\n' to a multiple of 64 bytes (at
     * least one space). */
    char rows[16];
    n += snprintf(dict + n, sizeof dict - (size_t)n, "%*s",
                  21 - snprintf(rows, sizeof rows, "%d", m->rows), "");
    size_t head = 10 + (size_t)n + 1;
    size_t pad = 64 - head % 64;
    size_t hlen = (size_t)n + pad + 1;
    size_t sz = (size_t)sizes[t], cnt = (size_t)m->rows * (size_t)m->cols;
    *len = 10 + hlen + cnt * sz;
    unsigned char *out = xmalloc(*len);
    memcpy(out, "\x93NUMPY\x01\x00", 8);
    out[8] = (unsigned char)(hlen & 0xff);
    out[9] = (unsigned char)(hlen >> 8);
    memcpy(out + 10, dict, (size_t)n);
    memset(out + 10 + n, ' ', pad);
    out[10 + hlen - 1] = '\n';
    unsigned char *d = out + 10 + hlen;
    int64_t lo = is_float(t) || is_unsigned(t) ? 0 : sz == 8 ? INT64_MIN : -((int64_t)1 << (sz * 8 - 1));
    int64_t hi = sz == 8 ? INT64_MAX : is_float(t) || is_unsigned(t)
                 ? ((int64_t)1 << (sz * 8)) - 1 : ((int64_t)1 << (sz * 8 - 1)) - 1;
    for (size_t i = 0; i < cnt; i++) {
        int64_t v = mat_get(m, i);
        if (v < lo || v > hi)
            BUG("value %" PRId64 " of a result does not fit its .npy type %s", v, npy_names[t]);
        for (size_t j = 0; j < sz; j++)
            d[i * sz + j] = (unsigned char)((uint64_t)v >> (8 * j));
    }
    return (char *)out;
}
