/* matrix.c - read and write matrices (see matrix.h): the text reader, one
 * pass over a fixed buffer with no per-value allocation; .npy files go to
 * npy.c. Storage grows with the values read, never from the header's
 * claim: a 13-byte file cannot make the reader reserve gigabytes. */
#define _DEFAULT_SOURCE /* madvise */
#include "matrix.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "softfloat.h"
#include "npy.h"
#include "util.h"

void mat_init(struct matrix *m, int rows, int cols)
{
    memset(m, 0, sizeof *m);
    m->rows = rows;
    m->cols = cols;
    m->v = xcalloc((size_t)rows * (size_t)cols, sizeof *m->v);
}

void mat_free(struct matrix *m)
{
    free(m->v);
    free(m->e);
    free(m->line);
    m->v = NULL;
    m->e = NULL;
    m->et = MAT_I64;
    m->line = NULL;
    if (m->scales) {
        mat_free(m->scales);
        free(m->scales);
        m->scales = NULL;
    }
}

/* ---- compact storage ---- */

/* One loop per element type, each with a constant trip count per block
 * so that gcc -O2 vectorizes it (as fastmodel.c's dot products). */
#define ROW_BLOCK 64
#define CONVERT_ROW(SRC_T, DST_T, src, dst, n)                                   \
    do {                                                                         \
        const SRC_T *s_ = (const SRC_T *)(src);                                  \
        size_t c_ = 0;                                                           \
        for (; c_ + ROW_BLOCK <= (n); c_ += ROW_BLOCK)                           \
            for (size_t i_ = 0; i_ < ROW_BLOCK; i_++)                            \
                (dst)[c_ + i_] = (DST_T)s_[c_ + i_];                             \
        for (; c_ < (n); c_++)                                                   \
            (dst)[c_] = (DST_T)s_[c_];                                           \
    } while (0)

/* n values of type et at src into dst (of type DST_T). */
#define CONVERT_ANY(DST_T, et, src, dst, n)                                      \
    do {                                                                         \
        switch (et) {                                                            \
        case MAT_I8: CONVERT_ROW(int8_t, DST_T, src, dst, n); break;             \
        case MAT_I16: CONVERT_ROW(int16_t, DST_T, src, dst, n); break;           \
        case MAT_I32: CONVERT_ROW(int32_t, DST_T, src, dst, n); break;           \
        default: CONVERT_ROW(int64_t, DST_T, src, dst, n); break;                \
        }                                                                        \
    } while (0)

static size_t elem_bytes(int et)
{
    return et == MAT_I8 ? 1 : et == MAT_I16 ? 2 : et == MAT_I32 ? 4 : 8;
}

static const void *row_ptr(const struct matrix *m, int r)
{
    size_t i = (size_t)r * (size_t)m->cols;
    return m->et == MAT_I64 ? (const void *)(m->v + i)
                            : (const void *)((const char *)m->e + i * elem_bytes(m->et));
}

void mat_row_i8(const struct matrix *m, int r, int8_t *out)
{
    if (m->et == MAT_I8) {
        memcpy(out, row_ptr(m, r), (size_t)m->cols);
        return;
    }
    CONVERT_ANY(int8_t, m->et, row_ptr(m, r), out, (size_t)m->cols);
}

void mat_row_i16(const struct matrix *m, int r, int16_t *out)
{
    CONVERT_ANY(int16_t, m->et, row_ptr(m, r), out, (size_t)m->cols);
}

void mat_row_i32(const struct matrix *m, int r, int32_t *out)
{
    CONVERT_ANY(int32_t, m->et, row_ptr(m, r), out, (size_t)m->cols);
}

static int64_t *widened(const struct matrix *m)
{
    size_t n = (size_t)m->rows * (size_t)m->cols;
    int64_t *v = xmalloc(n * sizeof *v + 1);
    CONVERT_ANY(int64_t, m->et, m->e, v, n);
    return v;
}

void mat_widen(struct matrix *m)
{
    if (m->et == MAT_I64)
        return;
    m->v = widened(m);
    free(m->e);
    m->e = NULL;
    m->et = MAT_I64;
}

const struct matrix *mat_wide(const struct matrix *m, struct matrix *tmp)
{
    memset(tmp, 0, sizeof *tmp);
    if (m->et == MAT_I64)
        return m;
    *tmp = *m;
    tmp->v = widened(m);
    tmp->e = NULL;
    tmp->et = MAT_I64;
    tmp->line = NULL; /* m's: not tmp's to free */
    if (m->scales) { /* m owns its scales: tmp gets a copy of its own */
        const struct matrix *S = m->scales;
        size_t n = (size_t)S->rows * (size_t)S->cols;
        tmp->scales = xmalloc(sizeof *tmp->scales);
        mat_init(tmp->scales, S->rows, S->cols);
        for (size_t i = 0; i < n; i++)
            tmp->scales->v[i] = mat_get(S, i);
        tmp->scales->path = S->path;
    }
    return tmp;
}

/* n values of v into type T at e, if every one fits (1), in one pass:
 * a value fits when v + 2^(bits-1) is below 2^bits as unsigned; 64-bit
 * adds, shifts and ORs in blocks that gcc -O2 vectorizes. */
#define NARROW_TO(T, bits, v, e, n, ok)                                          \
    do {                                                                         \
        T *o_ = (T *)(e);                                                        \
        uint64_t bad_ = 0;                                                       \
        size_t c_ = 0;                                                           \
        for (; c_ + ROW_BLOCK <= (n) && !bad_; c_ += ROW_BLOCK)                  \
            for (size_t i_ = 0; i_ < ROW_BLOCK; i_++) {                          \
                o_[c_ + i_] = (T)(v)[c_ + i_];                                   \
                bad_ |= ((uint64_t)(v)[c_ + i_] + (UINT64_C(1) << ((bits) - 1))) >> (bits); \
            }                                                                    \
        for (; c_ < (n) && !bad_; c_++) {                                        \
            o_[c_] = (T)(v)[c_];                                                 \
            bad_ |= ((uint64_t)(v)[c_] + (UINT64_C(1) << ((bits) - 1))) >> (bits); \
        }                                                                        \
        (ok) = !bad_;                                                            \
    } while (0)

/* Text read compact: each row is parsed into int64 scratch (one row,
 * hot in the cache) and stored at once in the narrowest type that has
 * held every value so far; a row with a value that does not fit widens
 * what is stored, in place, to the next type (at most three times). No
 * pass over the whole matrix after reading, and memory is the compact
 * matrix plus one int64 row. */
static int64_t elem_at(const void *e, int et, size_t i)
{
    const char *p = (const char *)e + i * elem_bytes(et);
    int8_t a;
    int16_t b;
    int32_t c;
    int64_t d;
    /* memcpy: the bytes of the narrower type are overwritten by the wider
     * one as the widening goes, so no typed pointers that may not alias */
    switch (et) {
    case MAT_I8: memcpy(&a, p, 1); return a;
    case MAT_I16: memcpy(&b, p, 2); return b;
    case MAT_I32: memcpy(&c, p, 4); return c;
    default: memcpy(&d, p, 8); return d;
    }
}

static void elem_put(void *e, int et, size_t i, int64_t v)
{
    char *p = (char *)e + i * elem_bytes(et);
    int16_t b = (int16_t)v;
    int32_t c = (int32_t)v;
    switch (et) {
    case MAT_I16: memcpy(p, &b, 2); break;
    case MAT_I32: memcpy(p, &c, 4); break;
    default: memcpy(p, &v, 8); break;
    }
}

/* Append the k values at v to m's compact values (n stored, room for
 * *cap; the first growth to `first`, never past `limit`). */
static int store_row(struct matrix *m, const char *name, size_t *cap, size_t n,
                     const int64_t *v, size_t k, size_t first, size_t limit)
{
    if (n + k > *cap) {
        size_t want = *cap ? *cap * 2 : first;
        want = want < n + k ? n + k : want > limit ? limit : want;
        void *e = realloc(m->e, want * elem_bytes(m->et) + 1);
        if (!e)
            return error("%s: error: out of memory for %zu values", name, want);
        mat_advise_huge(e, want * elem_bytes(m->et));
        m->e = e;
        *cap = want;
    }
    for (;;) {
        int ok = 1;
        void *dst = (char *)m->e + n * elem_bytes(m->et);
        switch (m->et) {
        case MAT_I8: NARROW_TO(int8_t, 8, v, dst, k, ok); break;
        case MAT_I16: NARROW_TO(int16_t, 16, v, dst, k, ok); break;
        case MAT_I32: NARROW_TO(int32_t, 32, v, dst, k, ok); break;
        default: memcpy(dst, v, k * sizeof *v); break;
        }
        if (ok)
            return 0;
        int et = m->et == MAT_I8 ? MAT_I16 : m->et == MAT_I16 ? MAT_I32 : MAT_I64;
        void *e = realloc(m->e, *cap * elem_bytes(et) + 1);
        if (!e)
            return error("%s: error: out of memory for %zu values", name, *cap);
        /* from the last value down: value i's new bytes start at or
         * after its old ones, so no value is overwritten before it is read */
        for (size_t i = n; i-- > 0;)
            elem_put(e, et, i, elem_at(e, m->et, i));
        m->e = e;
        m->et = et;
    }
}

/* ---- buffered input ---- */

int in_fill(struct mat_in *in, size_t want)
{
    size_t avail = (size_t)(in->end - in->p);
    if (avail >= want || in->eof)
        return 0;
    if (in->p != in->buf) {
        memmove(in->buf, in->p, avail);
        in->off += in->p - in->buf;
        in->p = in->buf;
        in->end = in->buf + avail;
    }
    while (avail < want && !in->eof) {
        if (in->cap - 1 == avail) { /* full: grow, up to MAT_IN_BUF */
            if (in->cap > MAT_IN_BUF)
                BUG("a read of %zu bytes ahead", want);
            size_t cap = in->cap * 2 > MAT_IN_BUF + 1 ? MAT_IN_BUF + 1 : in->cap * 2;
            in->buf = in->p = xrealloc(in->buf, cap + 16);
            memset(in->buf + cap, 0, 16);
            in->end = in->buf + avail;
            in->cap = cap;
        }
        size_t room = in->cap - 1 - avail;
        size_t n;
        if (in->fd < 0) {
            n = in->mem_len - in->mem_pos;
            if (n > room)
                n = room;
            if (in->mem_chunk && n > in->mem_chunk)
                n = in->mem_chunk;
            memcpy(in->end, in->mem + in->mem_pos, n);
            in->mem_pos += n;
        } else {
            ssize_t r;
            do
                r = read(in->fd, in->end, room);
            while (r < 0 && errno == EINTR);
            if (r < 0) {
                *in->end = '\0';
                return error("%s: error: cannot read: %s", in->name, strerror(errno));
            }
            n = (size_t)r;
        }
        if (n == 0)
            in->eof = 1;
        if (in->text && memchr(in->end, '\0', n)) {
            *in->end = '\0';
            return error("%s: error: binary data (NUL byte) in a matrix file", in->name);
        }
        in->end += n;
        avail += n;
    }
    memset(in->end, 0, 8); /* the sentinel, and what parse_dec_fast() reads past it */
    return 0;
}

long long in_take(struct mat_in *in, void *dst, size_t n)
{
    size_t avail = (size_t)(in->end - in->p);
    if (avail) {
        size_t k = avail < n ? avail : n;
        memcpy(dst, in->p, k);
        in->p += k;
        return (long long)k;
    }
    if (in->eof || !n)
        return 0;
    /* The buffer is empty: read straight into dst, the buffer left empty
     * at the new offset (in_fill() carries on from there). */
    in->off += in->p - in->buf;
    in->p = in->end = in->buf;
    *in->end = '\0';
    size_t k;
    if (in->fd < 0) {
        k = in->mem_len - in->mem_pos;
        k = k < n ? k : n;
        if (in->mem_chunk && k > in->mem_chunk)
            k = in->mem_chunk;
        memcpy(dst, in->mem + in->mem_pos, k);
        in->mem_pos += k;
    } else {
        ssize_t r;
        do
            r = read(in->fd, dst, n < ((size_t)1 << 30) ? n : (size_t)1 << 30);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            return error("%s: error: cannot read: %s", in->name, strerror(errno));
        k = (size_t)r;
    }
    if (!k)
        in->eof = 1;
    in->off += (long long)k;
    return (long long)k;
}

/* The buffer: a small file's size (plus room to see its end), else 64 KiB;
 * in_fill() grows it to MAT_IN_BUF. */
static void in_alloc(struct mat_in *in)
{
    in->cap = in->size >= 0 && in->size < MAT_IN_BUF - 64 ? (size_t)in->size + 64 + 1
            : in->size >= 0 ? MAT_IN_BUF + 1 : 65536;
    in->buf = in->p = in->end = xmalloc(in->cap + 16); /* 16: parse_dec_fast() */
    memset(in->buf + in->cap, 0, 16);
    *in->end = '\0';
}

static int stdin_taken; /* "-" names one matrix per command */

static int in_open(struct mat_in *in, const char *path)
{
    memset(in, 0, sizeof *in);
    in->size = -1;
    if (!strcmp(path, "-")) {
        if (stdin_taken++)
            return error("%s: error: standard input ('-') can give only one matrix",
                         tf_progname);
        in->fd = 0;
        in->name = "<stdin>";
    } else {
        in->fd = open_input(path); /* no device; a FIFO without a writer: empty */
        if (in->fd < 0)
            return -1;
        in->name = path;
    }
    struct stat st;
    if (fstat(in->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            if (in->fd)
                close(in->fd);
            return error("%s: error: cannot read: %s", path, strerror(EISDIR));
        }
        if (S_ISREG(st.st_mode))
            in->size = (long long)st.st_size;
    }
    input_note(in->fd);
    in_alloc(in);
    return 0;
}

static void in_close(struct mat_in *in)
{
    if (in->fd > 0)
        close(in->fd);
    free(in->buf);
    in->buf = NULL;
}

/* ---- the text reader ---- */

/* A token shorter than this is always whole in the buffer (converters
 * reject tokens of 512 bytes and more). */
#define SLACK 1024
/* How far the first line is looked at to decide whether it is "ROWS COLS". */
#define HEAD_WINDOW 4096

/* Token delimiters: blanks, line end, comment, and the end sentinel. */
static const unsigned char delim[256] = {
    ['\0'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['#'] = 1,
};

struct tconv {
    int (*fn)(const char *tok, size_t n, void *ctx, int64_t *out); /* NULL: integers */
    void *ctx;
    const char *what;
};

/* A decimal integer token at *pp: [+|-] digits, at most 31 bytes, within
 * int64. On success *pp moves past it. */
static inline int parse_dec(const char **pp, int64_t *out)
{
    const char *p = *pp, *t = p;
    int neg = *p == '-';
    p += *p == '-' || *p == '+';
    const char *d = p;
    while (*p == '0')
        p++;
    const char *s = p;
    uint64_t v = 0;
    while ((unsigned)(*p - '0') < 10) {
        v = v * 10 + (unsigned)(*p - '0');
        p++;
    }
    if (p == d || !delim[(unsigned char)*p] || p - t > 31 || p - s > 19 ||
        v > (uint64_t)INT64_MAX + (uint64_t)neg)
        return -1;
    *out = neg && v ? -(int64_t)(v - 1) - 1 : (int64_t)v;
    *pp = p;
    return 0;
}

/* The common case without a branch per character: a token of at most 7
 * bytes, [+|-] and digits, then a delimiter. Reads 8 bytes at p (at the
 * end of the data: the sentinel and zeros, in_fill()). Returns -1 for anything else,
 * which parse_dec() then reads or rejects. The digits are summed in one
 * 64-bit word: each step joins neighbouring groups (x10, x100, x10000). */
static inline int parse_dec_fast(const char **pp, int64_t *out)
{
    const char *p = *pp;
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    /* The token's length first (the next token's address waits only for
     * this): up to the first byte below '+', where every delimiter lies
     * ('\0', '\t', '\n', '\r', ' ', '#'). */
    uint64_t below = ~((x & 0x7F7F7F7F7F7F7F7Fu) + 0x5555555555555555u) & ~x &
                     0x8080808080808080u;
    if (!below)
        return -1;
    int len = __builtin_ctzll(below) >> 3;
    uint64_t term = x >> (8 * len) & 0xff;
    unsigned c0 = (unsigned)(x & 0xff);
    uint64_t neg = c0 == '-';
    uint64_t sgn = neg | (c0 == '+');
    int n = len - (int)sgn; /* digits */
    if (n <= 0 || term >= 64 || !(UINT64_C(0x0000000900002601) >> term & 1))
        return -1;
    /* Then check them: a byte is a digit when its high nibble is 3 and its
     * low one below 10. */
    x >>= 8 * sgn;
    uint64_t nd = ((x & 0xF0F0F0F0F0F0F0F0u) ^ 0x3030303030303030u) |
                  (((x & 0x0F0F0F0F0F0F0F0Fu) + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u);
    if (nd & ((UINT64_C(1) << (8 * n)) - 1))
        return -1;
    uint64_t d = (x & 0x0F0F0F0F0F0F0F0Fu) << (8 * (8 - n)); /* leading zero digits */
    d = (d * 2561) >> 8;
    d = ((d & 0x00FF00FF00FF00FFu) * 6553601) >> 16;
    d = ((d & 0x0000FFFF0000FFFFu) * 42949672960001u) >> 32;
    *out = (int64_t)((d ^ (0 - neg)) + neg);
    *pp = p + len;
    return 0;
}

/* A whole line of C values in two halves at once: the second half (from
 * the first blank after the middle) parsed into `tmp`, side by side with
 * the first into v, then moved after it. Each half is a chain in which a
 * token's address waits for the previous token's length; two independent
 * chains keep the CPU twice as busy. Only for the plain case: C values,
 * [+|-] digits of at most 7 bytes, blanks between them, then '\n' at nl
 * (the whole line in the buffer); anything else returns -1 with nothing
 * consumed, and the token-by-token loops read the line as before.
 * Returns 0 with the values in v[0..C). */
static int parse_line2(const char *p, const char *nl, int64_t *v, int64_t *tmp, int64_t C)
{
    const char *mid = p + (nl - p) / 2;
    while (mid < nl && *mid != ' ' && *mid != '\t')
        mid++;
    const char *a = p, *b = mid;
    int64_t ca = 0, cb = 0;
    for (;;) {
        while (*a == ' ' || *a == '\t')
            a++;
        while (*b == ' ' || *b == '\t')
            b++;
        if (a >= mid || b >= nl || ca + cb + 2 > C)
            break;
        if (parse_dec_fast(&a, &v[ca]) | parse_dec_fast(&b, &tmp[cb]))
            return -1;
        ca++, cb++;
    }
    for (;; ca++) { /* what is left of either half */
        while (*a == ' ' || *a == '\t')
            a++;
        if (a >= mid)
            break;
        if (ca + cb >= C || parse_dec_fast(&a, &v[ca]))
            return -1;
    }
    for (;; cb++) {
        while (*b == ' ' || *b == '\t')
            b++;
        if (b >= nl)
            break;
        if (ca + cb >= C || parse_dec_fast(&b, &tmp[cb]))
            return -1;
    }
    if (ca + cb != C || b != nl)
        return -1;
    memcpy(v + ca, tmp, (size_t)cb * sizeof *tmp);
    return 0;
}

/* Skip blanks and a comment on the current line; stops at a token (whole
 * in the buffer), a '\n' or the end of the input. */
static int skip_blanks(struct mat_in *in)
{
    for (;;) {
        const char *p = in->p;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        in->p = (char *)p;
        if (*p == '#') {
            for (;;) {
                char *q = memchr(in->p, '\n', (size_t)(in->end - in->p));
                if (q) {
                    in->p = q;
                    return 0;
                }
                in->p = in->end;
                if (in->eof)
                    return 0;
                if (in_fill(in, SLACK))
                    return -1;
            }
        }
        if (p < in->end || in->eof)
            return in_fill(in, SLACK);
        if (in_fill(in, SLACK))
            return -1;
    }
}

/* Past blank and comment lines to the next token: 1 at a token, 0 at the
 * end, -1 on error. */
static int next_row(struct mat_in *in, int *line)
{
    for (;;) {
        if (skip_blanks(in))
            return -1;
        if (*in->p != '\n')
            return in->p < in->end;
        in->p++;
        if (*line == INT_MAX)
            return error("%s: error: more than %d lines", in->name, INT_MAX);
        (*line)++;
    }
}

/* Is the first line "ROWS COLS": exactly two positive decimal integers,
 * not followed by a line of two values unless COLS is 2? Looks at most
 * HEAD_WINDOW bytes ahead and consumes the two tokens when it is. */
static int is_head(struct mat_in *in, int64_t dims[2])
{
    if (in_fill(in, HEAD_WINDOW))
        return -1;
    const char *p = in->p;
    const char *lim = in->end - p > HEAD_WINDOW ? p + HEAD_WINDOW : in->end;
    int whole = lim == in->end && in->eof; /* lim is the end of the input */
    for (int i = 0; i < 3; i++) {
        while (p < lim && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p == lim && !whole)
            return 0;
        if (i == 2)
            break;
        const char *d = p + (*p == '+');
        const char *q = d;
        uint64_t v = 0;
        while (q < lim && (unsigned)(*q - '0') < 10) {
            v = v > UINT64_MAX / 20 ? UINT64_MAX / 2 : v * 10 + (unsigned)(*q - '0');
            q++;
        }
        /* (a token cut at lim is caught by the blank skip that follows) */
        if (q == d || v == 0 || !delim[(unsigned char)*q])
            return 0;
        dims[i] = v > INT64_MAX ? INT64_MAX : (int64_t)v;
        if (q - p > 31) /* not a decimal integer: rejected as a shape */
            dims[i] = INT64_MAX;
        p = q;
    }
    if (!(p == lim || *p == '\n' || *p == '#'))
        return 0;
    /* "R C" with C != 2 and then a line of two values: row 1 of a
     * two-column file without a shape line (numpy.savetxt). */
    if (dims[1] != 2) {
        const char *q = p;
        for (;;) { /* to the next line with values */
            while (q < lim && *q != '\n')
                q++;
            if (q == lim)
                break;
            q++;
            while (q < lim && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q < lim && *q != '\n' && *q != '#')
                break;
        }
        int n = 0;
        for (;;) {
            while (q < lim && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q == lim || *q == '\n' || *q == '#')
                break;
            n++;
            while (q < lim && !delim[(unsigned char)*q])
                q++;
        }
        if (n == 2 && (q < lim || whole))
            return 0;
    }
    in->p = (char *)p;
    return 1;
}

void mat_advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    /* Large matrices: one page fault per 2 MiB instead of per 4 KiB (the
     * faults were a fifth of the time of reading 16 M values). */
    if (bytes >= (4u << 20)) {
        uintptr_t a = ((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
        uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)((2u << 20) - 1);
        if (e > a)
            madvise((void *)a, e - a, MADV_HUGEPAGE);
    }
#else
    (void)p;
    (void)bytes;
#endif
}

int mat_grow(struct matrix *m, const char *name, size_t *cap, size_t need, size_t limit)
{
    if (need <= *cap)
        return 0;
    size_t want = *cap < 4096 ? 4096 : *cap * 2;
    if (want < need)
        want = need;
    if (want > limit)
        want = limit;
    int64_t *v = realloc(m->v, want * sizeof *v);
    if (!v)
        return error("%s: error: out of memory for %zu values", name, want);
    mat_advise_huge(v, want * sizeof *v);
    m->v = v;
    *cap = want;
    return 0;
}

static int grow_lines(struct matrix *m, struct mat_in *in, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t want = *cap < 1024 ? 1024 : *cap * 2;
    int *l = realloc(m->line, want * sizeof *l);
    if (!l)
        return error("%s: error: out of memory for %zu rows", in->name, want);
    m->line = l;
    *cap = want;
    return 0;
}

const char *mat_quote(const char *s, size_t n, char *buf)
{
    char *o = buf;
    for (size_t i = 0; i < n && i < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            o += snprintf(o, 5, "\\x%02x", c);
        else
            *o++ = (char)c;
    }
    *o = '\0';
    return buf;
}

/* A token that is not a value. */
static int bad_token(struct mat_in *in, int line, const char *t, const char *what)
{
    const char *e = t;
    while (!delim[(unsigned char)*e])
        e++;
    char q[MAT_QUOTE_SIZE];
    return error("%s:%d: error: '%s' is not %s", in->name, line,
                 mat_quote(t, (size_t)(e - t), q), what);
}

/* A first line "N 2" was read as the shape, but the row count disagrees:
 * perhaps a two-column file without a shape line (numpy.savetxt). */
static void head_note(struct mat_in *in, int head_line)
{
    error("%s:%d: note: this line was read as 'ROWS COLS'; without that line, a two-column "
          "file cannot start with a row 'N 2' (N > 0): add the line (docs/params.md)",
          in->name, head_line);
}

/* compact: integers kept in the narrowest type (m->e, store_row()); m->v
 * is then the scratch of one row. */
static int read_rows(struct matrix *m, struct mat_in *in, const struct tconv *cv, int compact,
                     int64_t **halfp)
{
    const char *name = in->name;
    int line = 1;
    int t = next_row(in, &line);
    if (t < 0)
        return -1;
    if (t == 0)
        return error("%s: error: empty file (expected a first line 'ROWS COLS')", name);
    int64_t dims[2];
    int head = is_head(in, dims);
    if (head < 0)
        return -1;
    int64_t R = -1, C = -1; /* -1: from the data */
    m->head_line = line;
    if (head) {
        if (dims[0] > MAT_MAX_DIM || dims[1] > MAT_MAX_DIM)
            return error("%s:%d: error: first line must be 'ROWS COLS' with two "
                         "positive integers", name, line);
        if (dims[0] * dims[1] > MAT_MAX_VALUES)
            return error("%s:%d: error: matrix of %" PRId64 " x %" PRId64 " is too large",
                         name, line, dims[0], dims[1]);
        R = dims[0];
        C = dims[1];
        if (skip_blanks(in))
            return -1;
        t = next_row(in, &line);
    }
    /* Each value but the last takes at least two bytes, so the rest of a
     * regular file bounds the values: a valid file with "ROWS COLS" gets
     * its exact storage at once, one without it at most 2^24 values
     * (untouched pages cost no memory), a pipe 65536; then doubling. */
    size_t cap = 0, lcap = 0, n = 0;
    size_t limit = head ? (size_t)(R * C) : (size_t)MAT_MAX_VALUES;
    long long rest = in->size >= 0 ? in->size - in_offset(in, in->p) : -1;
    size_t first = rest >= 0 && (size_t)rest / 2 + 1 < limit ? (size_t)rest / 2 + 1 : limit;
    size_t most = rest < 0 ? 65536 : head ? limit : (size_t)1 << 24;
    first = first < most ? first : most;
    size_t ecap = 0; /* compact: values m->e has room for */
    if (compact)
        m->et = MAT_I8;
    if (mat_grow(m, in->name, &cap, compact ? (C > 0 ? (size_t)C : 4096) : first, limit))
        return -1;
    size_t row0 = 0; /* where row r goes in m->v: n, or 0 (compact) */
    int r;
    for (r = 0;; r++) {
        if (t < 0)
            return -1;
        if (t == 0) {
            if (head && r < R) {
                error("%s:%d: error: expected %" PRId64 " rows, found %d", name, line, R, r);
                if (C == 2)
                    head_note(in, m->head_line);
                return -1;
            }
            break;
        }
        if (head && r == R) {
            error("%s:%d: error: more rows than the %" PRId64 " declared on the first line",
                  name, line, R);
            if (C == 2)
                head_note(in, m->head_line);
            return -1;
        }
        if (!head && r > 0 && ((int64_t)r + 1 > MAT_MAX_DIM || (int64_t)(r + 1) * C > MAT_MAX_VALUES))
            return error("%s:%d: error: matrix of %d x %" PRId64 " is too large", name, line,
                         r + 1, C);
        if (grow_lines(m, in, &lcap, (size_t)r + 1))
            return -1;
        m->line[r] = line;
        row0 = compact ? 0 : n;
        if (C >= 0 && mat_grow(m, in->name, &cap, row0 + (size_t)C, limit))
            return -1;
        int64_t *v = m->v + row0;
        const char *p = in->p;
        int64_t c = 0;
        /* The common case in a tight loop: short integers, single blanks,
         * the buffer well ahead (lim); anything else goes the general way. */
        if (!cv->fn && C >= 0) {
            const char *lim = in->eof ? in->end
                            : in->end - in->buf > SLACK ? in->end - SLACK : in->buf;
            const char *nl = C >= 64 && p < lim ? memchr(p, '\n', (size_t)(lim - p)) : NULL;
            if (nl && !*halfp)
                *halfp = xmalloc((size_t)C * sizeof **halfp);
            if (nl && !parse_line2(p, nl, v, *halfp, C)) {
                p = nl;
                c = C;
            }
            for (; c < C; c++) {
                while (*p == ' ' || *p == '\t')
                    p++;
                if (p >= lim || parse_dec_fast(&p, &v[c]))
                    break;
            }
        }
        for (; C < 0 || c < C; c++) {
            if (in->end - p >= SLACK) {
                while (*p == ' ' || *p == '\t')
                    p++;
            }
            if (in->end - p < SLACK || *p == '#' || *p == '\r') {
                in->p = (char *)p;
                if (skip_blanks(in))
                    return -1;
                p = in->p;
            }
            if (*p == '\n' || p == in->end) {
                if (C < 0)
                    break;
                return error("%s:%d: error: row %d has %" PRId64 " values, expected %" PRId64,
                             name, line, r + 1, c, C);
            }
            if (C < 0) {
                if (c == MAT_MAX_DIM)
                    return error("%s:%d: error: row %d has more than %d values", name, line,
                                 r + 1, MAT_MAX_DIM);
                if (mat_grow(m, in->name, &cap, row0 + (size_t)c + 1, limit))
                    return -1;
                v = m->v + row0;
            }
            if (!cv->fn) {
                if (parse_dec(&p, &v[c]))
                    return bad_token(in, line, p, "a decimal integer");
            } else {
                const char *e = p;
                while (!delim[(unsigned char)*e])
                    e++;
                if (cv->fn(p, (size_t)(e - p), cv->ctx, &v[c]))
                    return bad_token(in, line, p, cv->what);
                p = e;
            }
        }
        if (C < 0)
            C = c;
        if (compact && store_row(m, in->name, &ecap, n, v, (size_t)C, first, limit))
            return -1;
        n += (size_t)C;
        in->p = (char *)p;
        if (skip_blanks(in))
            return -1;
        if (*in->p != '\n' && in->p < in->end)
            return error("%s:%d: error: row %d has more than %" PRId64 " values", name, line,
                         r + 1, C);
        t = next_row(in, &line);
    }
    m->rows = r;
    m->cols = (int)C;
    if (compact && !n) { /* (no values: cannot happen, rows are never empty) */
        free(m->e);
        m->e = NULL;
        m->et = MAT_I64;
        return 0;
    }
    if (compact) {
        free(m->v);
        m->v = NULL;
        if (m->et == MAT_I64) { /* a value beyond int32: int64 after all */
            m->v = m->e;
            m->e = NULL;
        }
        void **keep = m->e ? &m->e : (void **)&m->v;
        void *e = realloc(*keep, n * elem_bytes(m->et) + 1);
        if (e)
            *keep = e;
        return 0;
    }
    if (cap > n) {
        int64_t *v = realloc(m->v, n * sizeof *v);
        if (v)
            m->v = v;
    }
    return 0;
}

static int read_text(struct matrix *m, struct mat_in *in, const struct tconv *cv, int compact)
{
    int64_t *half = NULL; /* parse_line2()'s second half: one row */
    int rc = read_rows(m, in, cv, compact, &half);
    free(half);
    return rc;
}

/* ---- entry points ---- */

struct spec {
    struct tconv cv;
    int fp_fmt;    /* .npy: < 0 integers, else the sf_format of the patterns */
    int allow_npy;
    int compact;   /* integers: keep compact storage (mat_read_compact) */
};

static int read_in(struct matrix *m, struct mat_in *in, const struct spec *sp, int npy_name)
{
    memset(m, 0, sizeof *m);
    m->path = in->name;
    int rc;
    if (in_fill(in, 8))
        rc = -1;
    else if (npy_magic(in)) {
        if (sp->allow_npy)
            rc = npy_read(m, in, sp->fp_fmt, sp->compact);
        else
            rc = error("%s: error: a NumPy .npy file, but this command reads text matrices",
                       in->name);
    } else if (npy_name) {
        rc = error("%s: error: byte 0: not a .npy file (it does not start with "
                   "\\x93NUMPY)", in->name);
    } else {
        in->text = 1;
        if (memchr(in->p, '\0', (size_t)(in->end - in->p)))
            rc = error("%s: error: binary data (NUL byte) in a matrix file", in->name);
        else
            rc = read_text(m, in, &sp->cv, sp->compact && !sp->cv.fn);
    }
    if (rc) {
        mat_free(m);
        m->rows = m->cols = 0;
    }
    return rc;
}

static int read_path(struct matrix *m, const char *path, const struct spec *sp)
{
    struct mat_in in;
    memset(m, 0, sizeof *m);
    if (in_open(&in, path))
        return -1;
    int rc = read_in(m, &in, sp, sp->allow_npy && mat_is_npy_name(path));
    in_close(&in);
    return rc;
}

int mat_is_npy_name(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcmp(path + n - 4, ".npy");
}

/* FP text: sf_parse() on the token (at most 511 bytes). */
static int conv_sf(const char *tok, size_t n, void *ctx, int64_t *out)
{
    char buf[512];
    uint32_t v;
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, tok, n);
    buf[n] = '\0';
    if (sf_parse((enum sf_format)(intptr_t)ctx, buf, &v))
        return -1;
    *out = v;
    return 0;
}

static void spec_for(struct spec *sp, int fp_fmt, const char *what)
{
    memset(sp, 0, sizeof *sp);
    sp->fp_fmt = fp_fmt;
    sp->allow_npy = 1;
    if (fp_fmt >= 0) {
        sp->cv.fn = conv_sf;
        sp->cv.ctx = (void *)(intptr_t)fp_fmt;
        sp->cv.what = what;
    }
}

int mat_read(struct matrix *m, const char *path)
{
    struct spec sp;
    spec_for(&sp, -1, NULL);
    return read_path(m, path, &sp);
}

int mat_read_compact(struct matrix *m, const char *path)
{
    struct spec sp;
    spec_for(&sp, -1, NULL);
    sp.compact = 1;
    return read_path(m, path, &sp);
}

int mat_read_fp(struct matrix *m, const char *path, int fmt, const char *what)
{
    struct spec sp;
    spec_for(&sp, fmt, what);
    return read_path(m, path, &sp);
}

/* Codes: "0x" and 1..15 hex digits, or 1..18 decimal digits. */
static int conv_code(const char *tok, size_t n, void *ctx, int64_t *out)
{
    (void)ctx;
    int hex = n > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X');
    size_t i = hex ? 2 : 0;
    if (n - i > (hex ? 15u : 18u) || n == i)
        return -1;
    int64_t v = 0;
    for (; i < n; i++) {
        int c = tok[i], d = c >= '0' && c <= '9' ? c - '0'
                          : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * (hex ? 16 : 10) + d;
    }
    *out = v;
    return 0;
}

int mat_read_codes(struct matrix *m, const char *path, const char *what)
{
    struct spec sp = { { conv_code, NULL, what }, -1, 1, 0 };
    return read_path(m, path, &sp);
}

int mat_read_with(struct matrix *m, const char *path,
                  int (*conv)(const char *tok, size_t n, void *ctx, int64_t *out), void *ctx,
                  const char *what)
{
    struct spec sp = { { conv, ctx, what }, -1, 0, 0 };
    return read_path(m, path, &sp);
}

static int read_mem(struct matrix *m, const char *name, const void *data, size_t len,
                    int fp_fmt, size_t chunk, int compact)
{
    char what[96];
    if (fp_fmt >= 0)
        snprintf(what, sizeof what, "a %s value (a bit pattern like 0x3c00, or a decimal)",
                 sf_format_names[fp_fmt]);
    struct spec sp;
    spec_for(&sp, fp_fmt, what);
    sp.compact = compact;
    struct mat_in in;
    memset(&in, 0, sizeof in);
    in.fd = -1;
    in.mem = data;
    in.mem_len = len;
    in.mem_chunk = chunk;
    in.name = name;
    in.size = chunk ? -1 : (long long)len;
    in_alloc(&in);
    int rc = read_in(m, &in, &sp, mat_is_npy_name(name));
    free(in.buf);
    return rc;
}

int mat_read_mem(struct matrix *m, const char *name, const void *data, size_t len,
                 int fp_fmt, size_t chunk)
{
    return read_mem(m, name, data, len, fp_fmt, chunk, 0);
}

int mat_read_mem_compact(struct matrix *m, const char *name, const void *data, size_t len,
                         size_t chunk)
{
    return read_mem(m, name, data, len, -1, chunk, 1);
}

/* ---- output ---- */

char *mat_format(const struct matrix *m)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%d %d\n", m->rows, m->cols);
    for (int r = 0; r < m->rows; r++) {
        for (int c = 0; c < m->cols; c++) {
            if (m->hex_digits)
                sb_addf(&sb, "%s0x%0*" PRIx64, c ? " " : "", m->hex_digits,
                        (uint64_t)MAT_GET(m, r, c));
            else
                sb_addf(&sb, "%s%" PRId64, c ? " " : "", MAT_GET(m, r, c));
        }
        sb_adds(&sb, "\n");
    }
    return sb_detach(&sb);
}

int mat_write(const struct matrix *m, const char *path)
{
    size_t len;
    char *s;
    if (mat_is_npy_name(path)) {
        s = npy_format(m, &len);
        if (!s)
            return -1;
    } else {
        s = mat_format(m);
        len = strlen(s);
    }
    int rc = write_file_atomic(path, s, len);
    free(s);
    return rc;
}

/* ---- checks and messages ---- */

int mat_error(const struct matrix *m, int r, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    const char *path = m->path ? m->path : "?";
    if (m->npy)
        sb_addf(&sb, "%s: error: ", path);
    else
        sb_addf(&sb, "%s:%d: error: ", path,
                r < 0 ? (m->head_line ? m->head_line : 1) : m->line ? m->line[r] : 0);
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    error("%s", sb.buf);
    sb_release(&sb);
    return -1;
}

const char *mat_at(const struct matrix *m, int r, int c, char *buf)
{
    if (m->npy) {
        long long k = m->col_major ? (long long)c * m->rows + r : (long long)r * m->cols + c;
        snprintf(buf, MAT_AT_SIZE, "row %d, column %d (byte %lld)", r + 1, c + 1,
                 m->data_off + k * m->elem_size);
    } else {
        snprintf(buf, MAT_AT_SIZE, "row %d, column %d", r + 1, c + 1);
    }
    return buf;
}

/* The index of the first value outside [lo, hi] among n of type T at p,
 * or n: a branch-free pass per block (vectorized), the search only in a
 * block that has one. */
#define FIRST_OUTSIDE(T, p, n, lo, hi, out)                                      \
    do {                                                                         \
        const T *a_ = (const T *)(p);                                            \
        const T lo_ = (T)(lo), hi_ = (T)(hi);                                    \
        size_t i_ = 0;                                                           \
        (out) = (n);                                                             \
        for (; i_ < (n); i_ += ROW_BLOCK) {                                      \
            size_t e_ = (n) - i_ < ROW_BLOCK ? (n) : i_ + ROW_BLOCK;             \
            int bad_ = 0;                                                        \
            if (e_ - i_ == ROW_BLOCK)                                            \
                for (size_t k_ = 0; k_ < ROW_BLOCK; k_++)                        \
                    bad_ |= (a_[i_ + k_] < lo_) | (a_[i_ + k_] > hi_);           \
            else                                                                 \
                bad_ = 1;                                                        \
            if (!bad_)                                                           \
                continue;                                                        \
            for (size_t k_ = i_; k_ < e_; k_++)                                  \
                if (a_[k_] < lo_ || a_[k_] > hi_) {                              \
                    (out) = k_;                                                  \
                    break;                                                       \
                }                                                                \
            if ((out) < (n))                                                     \
                break;                                                           \
        }                                                                        \
    } while (0)

int mat_check_range(const struct matrix *m, int64_t lo, int64_t hi, const char *what)
{
    size_t n = (size_t)m->rows * (size_t)m->cols, bad;
    /* The bounds clamped to the type: every value of it lies in between. */
    int64_t tlo = m->et == MAT_I8 ? INT8_MIN : m->et == MAT_I16 ? INT16_MIN
                : m->et == MAT_I32 ? INT32_MIN : INT64_MIN;
    int64_t thi = -(tlo + 1);
    int64_t l = lo < tlo ? tlo : lo > thi ? thi : lo, h = hi > thi ? thi : hi < tlo ? tlo : hi;
    if (lo > thi || hi < tlo) /* no value of the type fits */
        bad = n ? 0 : n;
    else if (m->et == MAT_I8)
        FIRST_OUTSIDE(int8_t, m->e, n, l, h, bad);
    else if (m->et == MAT_I16)
        FIRST_OUTSIDE(int16_t, m->e, n, l, h, bad);
    else if (m->et == MAT_I32)
        FIRST_OUTSIDE(int32_t, m->e, n, l, h, bad);
    else
        FIRST_OUTSIDE(int64_t, m->v, n, l, h, bad);
    if (bad < n) {
        int r = (int)(bad / (size_t)m->cols), c = (int)(bad % (size_t)m->cols);
        int64_t v = mat_get(m, bad);
        char at[MAT_AT_SIZE];
        return mat_error(m, r, "%s %" PRId64 " at %s is outside %" PRId64 "..%" PRId64,
                         what, v, mat_at(m, r, c, at), lo, hi);
    }
    return 0;
}

