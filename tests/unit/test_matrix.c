/* test_matrix.c - the matrix readers against independent references:
 *   - text: random valid files (shape line or not, signs, leading zeros,
 *     blanks, comments, CRLF) against the values they were made from, and
 *     random mutations of them against a simple strtoll-based reader of
 *     the documented grammar (same accept/reject, same first message, same
 *     values), each read whole and in pipe-like chunks of 1..4099 bytes;
 *     files over the reader's 1 MiB buffer with tokens and comments across
 *     every refill point;
 *   - .npy: files built here byte by byte (versions 1.0, 2.0, 3.0, padding
 *     and key-order variants, C and Fortran order, every dtype), integers
 *     checked by explicit arithmetic and floats against sf_parse() of the
 *     value's exact decimal expansion (a path that shares no code with the
 *     reader's conversion); 60 bad files with their exact messages;
 *   - the .npy writer against NumPy's layout, and round trips.
 * usage: test_matrix [SEED]   prints "test_matrix: ok" on success */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softfloat.h"
#include "matrix.h"
#include "npy.h"
#include "rng.h"
#include "util.h"

static int failures;
static struct rng R;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            if (failures++ < 400) {                                                          \
                printf("FAIL %s:%d: ", __FILE__, __LINE__);                                 \
                printf(__VA_ARGS__);                                                        \
                printf("\n");                                                               \
            }                                                                               \
        }                                                                                   \
    } while (0)

static int reads_compact; /* compact reads compared with int64 ones */

/* The compact type the readers must choose: .npy int8/int16/int32 data as
 * is (descr from the file), text the smallest that holds the values. */
static int want_et(const struct matrix *m, const char *data, size_t len)
{
    if (m->npy) {
        static const char *const d[] = { "i1'", "i2'", "i4'", "i1\"", "i2\"", "i4\"" };
        for (size_t i = 0; i + 3 <= len && i < 400; i++)
            for (int k = 0; k < 6; k++)
                if (!memcmp(data + i, d[k], 3))
                    return MAT_I8 + k % 3;
        return MAT_I64;
    }
    int64_t lo = 0, hi = 0;
    for (size_t i = 0; i < (size_t)m->rows * (size_t)m->cols; i++) {
        lo = m->v[i] < lo ? m->v[i] : lo;
        hi = m->v[i] > hi ? m->v[i] : hi;
    }
    return lo >= -128 && hi <= 127 ? MAT_I8 : lo >= -32768 && hi <= 32767 ? MAT_I16
         : lo >= INT32_MIN && hi <= INT32_MAX ? MAT_I32 : MAT_I64;
}

/* Read with the messages captured; returns rc, first message line in msg.
 * Integers are read a second time kept compact (mat_read_mem_compact):
 * the same result, message, shape and values, in the expected type. */
static int cap_read(struct matrix *m, const char *name, const char *data, size_t len,
                    int fp, size_t chunk, char *msg, size_t n)
{
    struct strbuf sb = STRBUF_INIT, sc = STRBUF_INIT;
    tf_capture = &sb;
    int rc = mat_read_mem(m, name, data, len, fp, chunk);
    if (fp < 0) {
        struct matrix c;
        tf_capture = &sc;
        int rcc = mat_read_mem_compact(&c, name, data, len, chunk);
        reads_compact++;
        CHECK(rcc == rc && !strcmp(sb.buf ? sb.buf : "", sc.buf ? sc.buf : ""),
              "%s (chunk %zu): compact read rc %d '%s', int64 read rc %d '%s'", name, chunk,
              rcc, sc.buf ? sc.buf : "", rc, sb.buf ? sb.buf : "");
        if (rcc)
            CHECK(!c.e && !c.v, "%s: compact storage left after an error", name);
        if (!rc && !rcc) {
            int et = want_et(m, data, len);
            CHECK(c.et == et && (et == MAT_I64) == !c.e && (et == MAT_I64) == !!c.v,
                  "%s (chunk %zu): compact type %d, want %d", name, chunk, c.et, et);
            CHECK(c.rows == m->rows && c.cols == m->cols, "%s: compact shape %dx%d, int64 %dx%d",
                  name, c.rows, c.cols, m->rows, m->cols);
            for (size_t i = 0; c.rows == m->rows && c.cols == m->cols &&
                               i < (size_t)m->rows * (size_t)m->cols; i++)
                if (mat_get(&c, i) != m->v[i]) {
                    CHECK(0, "%s (chunk %zu): compact value %zu: %" PRId64 ", int64 %" PRId64,
                          name, chunk, i, mat_get(&c, i), m->v[i]);
                    break;
                }
        }
        mat_free(&c);
        sb_release(&sc);
    }
    tf_capture = NULL;
    msg[0] = '\0';
    if (sb.buf) {
        size_t k = strcspn(sb.buf, "\n");
        if (k >= n)
            k = n - 1;
        memcpy(msg, sb.buf, k);
        msg[k] = '\0';
    }
    sb_release(&sb);
    return rc;
}

/* ---------------------------------------------------------------- text */

/* The reference: the grammar of docs/params.md read the simple way. */
struct ref {
    int rc;
    char msg[600];
    int rows, cols;
    int64_t *v;
};

struct rline {
    int no;       /* line number */
    int ntok;
    const char **tok;
    size_t *len;
};

static int ref_int(const char *t, size_t n, int64_t *out)
{
    char buf[40];
    if (n == 0 || n > 31)
        return -1;
    memcpy(buf, t, n);
    buf[n] = '\0';
    const char *d = buf + (buf[0] == '+' || buf[0] == '-');
    if (*d < '0' || *d > '9')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

static int shape_token(const char *t, size_t n, int64_t *dim)
{
    size_t i = t[0] == '+';
    if (i == n)
        return 0;
    int nonzero = 0;
    for (size_t j = i; j < n; j++) {
        if (t[j] < '0' || t[j] > '9')
            return 0;
        nonzero |= t[j] != '0';
    }
    if (!nonzero)
        return 0;
    int64_t v;
    *dim = n <= 31 && !ref_int(t, n, &v) ? v : INT64_MAX;
    return 1;
}

static void ref_text(const char *name, const char *data, size_t len, struct ref *res)
{
    memset(res, 0, sizeof *res);
    res->rc = -1;
    if (memchr(data, 0, len)) {
        snprintf(res->msg, sizeof res->msg, "%s: error: binary data (NUL byte) in a matrix file",
                 name);
        return;
    }
    /* Lines of tokens (comments cut). */
    int nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += data[i] == '\n';
    struct rline *L = calloc((size_t)nl, sizeof *L);
    const char **tpool = malloc((len + 1) * sizeof *tpool);
    size_t *lpool = malloc((len + 1) * sizeof *lpool), used = 0;
    const char *p = data, *end = data + len;
    for (int i = 0; i < nl; i++) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        const char *h = memchr(p, '#', (size_t)(e - p));
        const char *ce = h ? h : e;
        L[i].no = i + 1;
        L[i].tok = tpool + used;
        L[i].len = lpool + used;
        const char *q = p;
        while (q < ce) {
            while (q < ce && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q == ce)
                break;
            const char *t = q;
            while (q < ce && *q != ' ' && *q != '\t' && *q != '\r')
                q++;
            L[i].tok[L[i].ntok] = t;
            L[i].len[L[i].ntok++] = (size_t)(q - t);
        }
        used += (size_t)L[i].ntok;
        p = e + (e < end);
    }
    int first = 0;
    while (first < nl && !L[first].ntok)
        first++;
    if (first == nl) {
        snprintf(res->msg, sizeof res->msg,
                 "%s: error: empty file (expected a first line 'ROWS COLS')", name);
        goto out;
    }
    int64_t dims[2];
    int head = L[first].ntok == 2 && shape_token(L[first].tok[0], L[first].len[0], &dims[0]) &&
               shape_token(L[first].tok[1], L[first].len[1], &dims[1]);
    if (head && dims[1] != 2) {
        int nx = first + 1;
        while (nx < nl && !L[nx].ntok)
            nx++;
        if (nx < nl && L[nx].ntok == 2)
            head = 0;
    }
    int64_t Rr = -1, C = -1;
    int start = first;
    if (head) {
        if (dims[0] > (1 << 24) || dims[1] > (1 << 24)) {
            snprintf(res->msg, sizeof res->msg, "%s:%d: error: first line must be 'ROWS COLS' "
                     "with two positive integers", name, L[first].no);
            goto out;
        }
        if (dims[0] * dims[1] > ((int64_t)1 << 28)) {
            snprintf(res->msg, sizeof res->msg, "%s:%d: error: matrix of %" PRId64 " x %" PRId64
                     " is too large", name, L[first].no, dims[0], dims[1]);
            goto out;
        }
        Rr = dims[0];
        C = dims[1];
        start = first + 1;
    } else {
        C = L[first].ntok;
    }
    int64_t *v = malloc(sizeof *v * (size_t)(len + 2));
    int r = 0;
    for (int i = start; i < nl; i++) {
        if (!L[i].ntok)
            continue;
        if (head && r == Rr) {
            snprintf(res->msg, sizeof res->msg, "%s:%d: error: more rows than the %" PRId64
                     " declared on the first line", name, L[i].no, Rr);
            free(v);
            goto out;
        }
        for (int c = 0; c < C; c++) {
            if (c == L[i].ntok) {
                snprintf(res->msg, sizeof res->msg, "%s:%d: error: row %d has %d values, "
                         "expected %" PRId64, name, L[i].no, r + 1, c, C);
                free(v);
                goto out;
            }
            if (ref_int(L[i].tok[c], L[i].len[c], &v[(int64_t)r * C + c])) {
                /* at most 40 bytes, control bytes as \xNN */
                char q[200], *o = q;
                for (size_t j = 0; j < L[i].len[c] && j < 40; j++) {
                    unsigned char ch = (unsigned char)L[i].tok[c][j];
                    o += ch < 32 || ch == 127 ? sprintf(o, "\\x%02x", ch) : sprintf(o, "%c", ch);
                }
                snprintf(res->msg, sizeof res->msg, "%s:%d: error: '%s' is not a decimal "
                         "integer", name, L[i].no, q);
                free(v);
                goto out;
            }
        }
        if (L[i].ntok > C) {
            snprintf(res->msg, sizeof res->msg, "%s:%d: error: row %d has more than %" PRId64
                     " values", name, L[i].no, r + 1, C);
            free(v);
            goto out;
        }
        r++;
    }
    if (head && r < Rr) {
        snprintf(res->msg, sizeof res->msg, "%s:%d: error: expected %" PRId64 " rows, found %d",
                 name, nl, Rr, r);
        free(v);
        goto out;
    }
    res->rc = 0;
    res->rows = r;
    res->cols = (int)C;
    res->v = v;
out:
    free(tpool);
    free(lpool);
    free(L);
}

static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 1000, 4099 };

/* The reader (whole and chunked) against the reference on one input;
 * inputs over 64 KiB only whole and in 4099-byte chunks. */
static void compare_text(const char *data, size_t len, const char *what)
{
    struct ref ref;
    ref_text("t", data, len, &ref);
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        size_t ch = chunks[k];
        if (k > 2 && k < 7 && rng_range(&R, 0, 3)) /* a sample of the middle sizes */
            continue;
        if (len > 65536 && k > 0 && k < 7)
            continue;
        struct matrix m;
        char msg[600];
        int rc = cap_read(&m, "t", data, len, -1, ch, msg, sizeof msg);
        CHECK(rc == ref.rc, "%s (chunk %zu): rc %d, reference %d (reader '%s', reference '%s')",
              what, ch, rc, ref.rc, msg, ref.msg);
        if (rc || ref.rc) {
            CHECK(!strcmp(msg, ref.msg), "%s (chunk %zu): message\n  reader:    %s\n  "
                  "reference: %s", what, ch, msg, ref.msg);
            CHECK(!m.v, "%s: storage left after an error", what);
        } else {
            CHECK(m.rows == ref.rows && m.cols == ref.cols, "%s (chunk %zu): %dx%d, reference "
                  "%dx%d", what, ch, m.rows, m.cols, ref.rows, ref.cols);
            if (m.rows == ref.rows && m.cols == ref.cols)
                CHECK(!memcmp(m.v, ref.v, sizeof *m.v * (size_t)m.rows * (size_t)m.cols),
                      "%s (chunk %zu): values differ", what, ch);
        }
        mat_free(&m);
    }
    free(ref.v);
}

static void add_blanks(struct strbuf *sb)
{
    static const char *const b[] = { " ", " ", " ", "  ", "\t", " \t ", "\r" };
    int k = (int)rng_range(&R, 1, 2);
    while (k--)
        sb_adds(sb, b[rng_range(&R, 0, 6)]);
}

static int64_t random_value(void)
{
    switch (rng_range(&R, 0, 5)) {
    case 0:
        return rng_range(&R, -1, 1);
    case 1:
        return rng_range(&R, -128, 127);
    case 2:
        return (int64_t)rng_next(&R);
    case 3:
        return rng_range(&R, 0, 1) ? INT64_MAX - rng_range(&R, 0, 2)
                                   : INT64_MIN + rng_range(&R, 0, 2);
    default:
        return rng_range(&R, -100000, 100000);
    }
}

/* A random valid file of rows x cols values (savetxt style or not). */
static char *random_text(int rows, int cols, int64_t *vals, size_t *len, int *with_head)
{
    struct strbuf sb = STRBUF_INIT;
    int head = rng_range(&R, 0, 3) != 0;
    int crlf = rng_range(&R, 0, 4) == 0;
    const char *eol = crlf ? "\r\n" : "\n";
    if (rng_range(&R, 0, 3) == 0) {
        sb_adds(&sb, "# made by test_matrix");
        sb_adds(&sb, eol);
    }
    for (int i = 0; i < rows * cols; i++)
        vals[i] = random_value();
    /* Without a shape line, a first row "N 2", or a single row of two
     * positive values, reads as a shape: as documented. */
    if (cols == 2 && vals[0] > 0 && (vals[1] == 2 || (rows == 1 && vals[1] > 0)))
        vals[0] = -vals[0];
    if (head) {
        if (rng_range(&R, 0, 1))
            add_blanks(&sb);
        sb_addf(&sb, "%s%d", rng_range(&R, 0, 5) ? "" : "+", rows);
        add_blanks(&sb);
        sb_addf(&sb, "%d", cols);
        if (rng_range(&R, 0, 4) == 0)
            sb_adds(&sb, " # shape");
        sb_adds(&sb, eol);
    }
    for (int r = 0; r < rows; r++) {
        if (rng_range(&R, 0, 6) == 0) {
            sb_adds(&sb, rng_range(&R, 0, 1) ? "   " : "# a comment line");
            sb_adds(&sb, eol);
        }
        if (rng_range(&R, 0, 3) == 0)
            add_blanks(&sb);
        for (int c = 0; c < cols; c++) {
            int64_t v = vals[r * cols + c];
            char num[40];
            snprintf(num, sizeof num, "%" PRIu64, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
            int zeros = rng_range(&R, 0, 5) ? 0 : (int)rng_range(&R, 1, 3);
            if ((int)strlen(num) + zeros + 1 > 31)
                zeros = 0;
            sb_addf(&sb, "%s%.*s%s", v < 0 ? "-" : rng_range(&R, 0, 4) ? "" : "+", zeros,
                    "000", num);
            if (c + 1 < cols)
                add_blanks(&sb);
        }
        if (rng_range(&R, 0, 4) == 0)
            add_blanks(&sb);
        if (rng_range(&R, 0, 5) == 0)
            sb_adds(&sb, rng_range(&R, 0, 1) ? "# end" : "#");
        if (r + 1 < rows || rng_range(&R, 0, 4))
            sb_adds(&sb, eol);
    }
    if (rng_range(&R, 0, 5) == 0)
        sb_adds(&sb, eol);
    *len = sb.len;
    *with_head = head;
    return sb_detach(&sb);
}

static void test_text_random(int n)
{
    for (int i = 0; i < n; i++) {
        /* 1 in 4: rows of 64 to 200 values, which the reader parses in
         * two halves at once (parse_line2) */
        int wide = rng_range(&R, 0, 3) == 0;
        int rows = (int)rng_range(&R, 1, wide ? 4 : 9);
        int cols = (int)(wide ? rng_range(&R, 64, 200) : rng_range(&R, 1, 9));
        int64_t *vals = xmalloc((size_t)rows * (size_t)cols * sizeof *vals);
        size_t len;
        int head;
        char *s = random_text(rows, cols, vals, &len, &head);
        struct matrix m;
        char msg[600];
        int rc = cap_read(&m, "t", s, len, -1, 0, msg, sizeof msg);
        CHECK(!rc && m.rows == rows && m.cols == cols &&
              !memcmp(m.v, vals, sizeof *vals * (size_t)(rows * cols)),
              "valid %dx%d file (shape line %d) read as %dx%d: %s\n%s", rows, cols, head, m.rows,
              m.cols, msg, s);
        mat_free(&m);
        compare_text(s, len, "valid file");
        /* Mutations: bytes inserted, deleted or replaced. */
        static const char alpha[] = "0123456789-+ \t\n\r#x.\v\033\0";
        for (int k = 0; k < 6; k++) {
            struct strbuf sb = STRBUF_INIT;
            sb_add(&sb, s, len);
            int muts = (int)rng_range(&R, 1, 3);
            while (muts--) {
                size_t at = sb.len ? (size_t)rng_range(&R, 0, (int64_t)sb.len - 1) : 0;
                int op = (int)rng_range(&R, 0, 3);
                /* wide files: no NUL, which a pipe's reader meets only when it
                 * reads that far, after an earlier bad token (the reference
                 * knows no read-ahead; small files cover the NUL rule) */
                char c = alpha[rng_range(&R, 0, (int64_t)sizeof alpha - (wide ? 3 : 2))];
                if (op == 0 && sb.len) {
                    memmove(sb.buf + at, sb.buf + at + 1, sb.len - at - 1);
                    sb.len--;
                } else if (op == 1 && sb.len) {
                    sb.buf[at] = c;
                } else if (op == 2) {
                    int runs = (int)rng_range(&R, 20, 45); /* a long token */
                    struct strbuf t = STRBUF_INIT;
                    sb_add(&t, sb.buf, at);
                    while (runs--)
                        sb_add(&t, rng_range(&R, 0, 2) ? "0" : "9", 1);
                    sb_add(&t, sb.buf + at, sb.len - at);
                    sb_release(&sb);
                    sb = t;
                } else {
                    sb_grow(&sb, 1);
                    memmove(sb.buf + at + 1, sb.buf + at, sb.len - at);
                    sb.buf[at] = c;
                    sb.len++;
                }
            }
            compare_text(sb.buf ? sb.buf : "", sb.len, "mutated file");
            sb_release(&sb);
        }
        free(s);
        free(vals);
    }
}

/* Hand-picked inputs: the documented rules and their edges. */
static void test_text_cases(void)
{
    static const char *const cases[] = {
        "2 3\n1 2 3\n4 5 6\n", "1 2 3\n4 5 6\n", "3 5\n1 2\n3 4\n", "3 2\n1 2\n3 4\n",
        "2 2\n1 2\n3 4\n", "1 1\n", "5\n", "+1 -1\n", "-1 +1\n", "0 4\n1 2\n", "3 0\n",
        "1 2\n3\n", "1\n2 3\n", "2 2\n1 2\n3 4\n5 6\n", "3 4\n", "  \n# x\n\n", "",
        "\n\n\n", "1 1\n-\n", "1 1\n+\n", "1 1\n+-1\n", "1 1\n--1\n", "1 1\n1-\n",
        "1 1\n9223372036854775807\n", "1 1\n-9223372036854775808\n",
        "1 1\n9223372036854775808\n", "1 1\n-9223372036854775809\n",
        "1 1\n0000000000000000000000000000001\n", "1 1\n00000000000000000000000000000001\n",
        "1 1\n+000000000000000000000000000001\n", "1 1\n1.5\n", "1 1\n0x10\n",
        "1 1\n1e3\n", "1 1 # c\n7 # c\n", "1 1#c\n7#c\n", "2 1\r\n1\r\n2\r\n",
        "1\t2\n3\t4\n", "1 1\n\v1\n", "16777216 16\n", "16777217 1\n", "16384 16385\n",
        "99999999999999999999999999 3\n", "01 02\n5 6\n", "00 1\n", "1 1\n1\n\n\n# end",
        "2 3\n1 2 3\n", "2 3\n1 2 3\n4 5\n", "2 3\n1 2 3 4\n", "2 1\n1\n2\n3\n",
        "7 2\n", "7 3\n1 2\n", "7 3\n1 2\n3 4 5\n", "1 2\n3 4\n5 6 7\n",
        "5 2\n1 1\n", "2 5\n1 2\n\n# c\n3 4\n", "#\n#\n4 1\n1\n2\n3\n4\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        compare_text(cases[i], strlen(cases[i]), cases[i]);
    /* A first line whose second number crosses the 4096 bytes the reader
     * looks at to decide whether it is "ROWS COLS". */
    for (int k = 4090; k <= 4097; k++) {
        struct strbuf sb = STRBUF_INIT;
        sb_adds(&sb, "1");
        for (int i = 0; i < k; i++)
            sb_adds(&sb, " ");
        sb_adds(&sb, "234 4\n5 6 7\n");
        compare_text(sb.buf, sb.len, "long first line");
        sb_release(&sb);
    }
    /* With a NUL byte. */
    compare_text("1 1\n\0\n", 6, "NUL");
    /* The shape does not size storage: a 13-byte claim of 2^28 values. */
    struct matrix m;
    char msg[600];
    int rc = cap_read(&m, "t", "16777216 16\n", 12, -1, 0, msg, sizeof msg);
    CHECK(rc && !strcmp(msg, "t:2: error: expected 16777216 rows, found 0"), "%s", msg);
}

/* Inputs over the 1 MiB buffer: a value at every offset around a refill,
 * after a long comment or a long run of blanks. */
static void test_text_big(void)
{
    size_t base = (size_t)MAT_IN_BUF;
    static const int coarse[] = { -1100, -1030, -1025, -1024, -1023, -1000, -500 };
    for (int kind = 0; kind < 3; kind++)
        for (int i = 0; i < 7 + (kind < 2 ? 46 : 0); i++) {
            /* each value across the first read's end (1 MiB) at every offset */
            int d = i < 7 ? coarse[i] : i - 7 - 40;
            struct strbuf sb = STRBUF_INIT;
            sb_adds(&sb, "2 2\n");
            size_t fill = base + (size_t)d - sb.len - 3;
            sb_grow(&sb, fill + 100);
            if (kind == 0) { /* a comment line */
                memset(sb.buf + sb.len, 'x', fill - sb.len);
                sb.buf[sb.len] = '#';
                sb.buf[fill - 1] = '\n';
            } else if (kind == 1) { /* blanks before the first value */
                memset(sb.buf + sb.len, ' ', fill - sb.len);
            } else { /* many blank lines */
                for (size_t i = sb.len; i < fill; i++)
                    sb.buf[i] = (i & 1) ? '\n' : ' ';
            }
            sb.len = fill;
            sb_adds(&sb, "-1234567 +42\n9223372036854775807 -9223372036854775808\n");
            if (i < 3)
                compare_text(sb.buf, sb.len, "big file");
            struct matrix m;
            char msg[600];
            int rc = cap_read(&m, "t", sb.buf, sb.len, -1, 0, msg, sizeof msg);
            CHECK(!rc && m.rows == 2 && m.v[0] == -1234567 && m.v[1] == 42 &&
                  m.v[2] == INT64_MAX && m.v[3] == INT64_MIN, "big file %d/%d: %s", kind, d, msg);
            mat_free(&m);
            sb_release(&sb);
        }
    /* A headerless file of many rows (storage grows) and a long row. */
    struct strbuf sb = STRBUF_INIT;
    for (int r = 0; r < 70000; r++)
        sb_addf(&sb, "%d %d %d\n", r, -r, r % 3 - 1);
    compare_text(sb.buf, sb.len, "70000 rows");
    sb_release(&sb);
    for (int c = 0; c < 300000; c++)
        sb_addf(&sb, "%d ", c % 255 - 127);
    compare_text(sb.buf, sb.len, "one row of 300000");
    sb_release(&sb);
}

/* Streaming: files of 10-40 KiB (long tokens, long comments, runs of
 * blanks, mutations) read in chunks of 1..4099 bytes, so that tokens and
 * comments cross the reader's refills everywhere. */
static void test_text_stream(int n)
{
    for (int it = 0; it < n; it++) {
        struct strbuf sb = STRBUF_INIT;
        int rows = (int)rng_range(&R, 50, 300), cols = (int)rng_range(&R, 1, 20);
        if (rng_range(&R, 0, 1))
            sb_addf(&sb, "%d %d\n", rows, cols);
        for (int r = 0; r < rows; r++) {
            if (rng_range(&R, 0, 30) == 0) {
                int k = (int)rng_range(&R, 1, 3000);
                sb_adds(&sb, "#");
                while (k--)
                    sb_adds(&sb, "c");
                sb_adds(&sb, "\n");
            }
            for (int c = 0; c < cols; c++) {
                if (rng_range(&R, 0, 40) == 0) {
                    int k = (int)rng_range(&R, 1, 2000);
                    while (k--)
                        sb_adds(&sb, " ");
                }
                int64_t v = random_value();
                int zeros = rng_range(&R, 0, 8) ? 0 : (int)rng_range(&R, 1, 10);
                char num[40];
                snprintf(num, sizeof num, "%" PRIu64, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
                if ((int)strlen(num) + zeros + 1 > 31)
                    zeros = 0;
                sb_addf(&sb, "%s%.*s%s%s", v < 0 ? "-" : "", zeros, "0000000000", num,
                        c + 1 < cols ? " " : "\n");
            }
        }
        if (it % 3 == 2) { /* a few mutations */
            for (int k = 0; k < 3; k++) {
                size_t at = (size_t)rng_range(&R, 0, (int64_t)sb.len - 1);
                sb.buf[at] = "x-+ \n#9"[rng_range(&R, 0, 6)];
            }
        }
        struct ref ref;
        ref_text("t", sb.buf, sb.len, &ref);
        static const size_t ch[] = { 1, 2, 3, 5, 64, 1000, 1023, 1024, 1025, 4099 };
        for (size_t k = 0; k < sizeof ch / sizeof ch[0]; k++) {
            struct matrix m;
            char msg[600];
            int rc = cap_read(&m, "t", sb.buf, sb.len, -1, ch[k], msg, sizeof msg);
            CHECK(rc == ref.rc && (rc ? !strcmp(msg, ref.msg)
                                      : m.rows == ref.rows && m.cols == ref.cols &&
                                        !memcmp(m.v, ref.v, sizeof *m.v * (size_t)m.rows *
                                                                (size_t)m.cols)),
                  "stream %d, chunk %zu: rc %d/%d '%s' / '%s'", it, ch[k], rc, ref.rc, msg,
                  ref.msg);
            mat_free(&m);
        }
        free(ref.v);
        sb_release(&sb);
    }
}

/* FP text: the token goes to sf_parse() whole. */
static void test_text_fp(void)
{
    const char *s = "2 3\n0x3c00 1.5 -0\n+inf 65520 1e-5\n";
    uint32_t want[6] = { 0x3c00, 0x3e00, 0x8000, 0x7c00, 0x7c00, 0x00a8 };
    struct matrix m;
    char msg[600];
    int rc = cap_read(&m, "x", s, strlen(s), SF_FP16, 0, msg, sizeof msg);
    CHECK(!rc, "fp text: %s", msg);
    for (int i = 0; !rc && i < 6; i++)
        CHECK(m.v[i] == want[i], "fp text value %d: 0x%" PRIx64 ", expected 0x%x", i, m.v[i],
              want[i]);
    mat_free(&m);
    s = "1 2\n0x3c00 0x13c00\n";
    rc = cap_read(&m, "x", s, strlen(s), SF_FP16, 0, msg, sizeof msg);
    CHECK(rc && !strcmp(msg, "x:2: error: '0x13c00' is not a fp16 value (a bit pattern like "
                        "0x3c00, or a decimal)"), "%s", msg);
}

/* ---------------------------------------------------------------- .npy */

/* An .npy file built by hand: magic, version, length (2 or 4 bytes,
 * little-endian), the header text with `pad` spaces and '\n' (nl = 0:
 * without), then the data. */
static char *npy_build(int major, const char *dict, int pad, int nl, const void *data,
                       size_t dlen, size_t *len)
{
    size_t lsize = major == 1 ? 2 : 4;
    size_t hlen = strlen(dict) + (size_t)pad + (size_t)nl;
    *len = 8 + lsize + hlen + dlen;
    char *b = malloc(*len + 1);
    memcpy(b, "\x93NUMPY", 6);
    b[6] = (char)major;
    b[7] = 0;
    for (size_t i = 0; i < lsize; i++)
        b[8 + i] = (char)(hlen >> (8 * i));
    char *h = b + 8 + lsize;
    memcpy(h, dict, strlen(dict));
    memset(h + strlen(dict), ' ', (size_t)pad);
    if (nl)
        h[hlen - 1] = '\n';
    memcpy(b + 8 + lsize + hlen, data, dlen);
    return b;
}

/* Padding as NumPy writes it: the whole header a multiple of 64 bytes. */
static int numpy_pad(int major, const char *dict)
{
    int pre = major == 1 ? 10 : 12;
    return 64 - (pre + (int)strlen(dict) + 1) % 64;
}

struct dt {
    const char *descr;
    int size, is_signed, is_float;
};
static const struct dt dts[] = {
    { "|i1", 1, 1, 0 }, { "<i2", 2, 1, 0 }, { "<i4", 4, 1, 0 }, { "<i8", 8, 1, 0 },
    { "|u1", 1, 0, 0 }, { "<u2", 2, 0, 0 }, { "<u4", 4, 0, 0 }, { "<u8", 8, 0, 0 },
    { "<f2", 2, 0, 1 }, { "<f4", 4, 0, 1 }, { "<f8", 8, 0, 1 },
};

static uint64_t le(const unsigned char *b, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* The value of a float element as a double: fp16 by its fields, the others
 * by the host's types. */
static double float_value(const unsigned char *b, int size)
{
    uint64_t u = le(b, size);
    if (size == 2) {
        int e = (int)(u >> 10 & 31), f = (int)(u & 1023), s = (int)(u >> 15);
        double v = e == 31 ? (f ? NAN : INFINITY)
                 : e ? ldexp(1024 + f, e - 25) : ldexp(f, -24);
        return s ? -v : v;
    }
    if (size == 4) {
        float x;
        uint32_t w = (uint32_t)u;
        memcpy(&x, &w, 4);
        return x;
    }
    double x;
    memcpy(&x, &u, 8);
    return x;
}

/* The pattern of format f nearest to the double (ties to even), through
 * its exact decimal expansion and sf_parse(). */
static uint32_t expect_fp(double x, int f)
{
    char buf[1200];
    uint32_t v;
    if (isnan(x))
        snprintf(buf, sizeof buf, "nan");
    else if (isinf(x))
        snprintf(buf, sizeof buf, "%sinf", x < 0 ? "-" : "");
    else
        snprintf(buf, sizeof buf, "%.1100e", x);
    if (sf_parse((enum sf_format)f, buf, &v))
        BUG("sf_parse rejected %s", buf);
    return v;
}

/* Random element bytes with interesting floats mixed in. */
static void random_elems(unsigned char *d, int n, const struct dt *t)
{
    for (int i = 0; i < n; i++) {
        uint64_t u = rng_next(&R);
        if (t->is_float && rng_range(&R, 0, 2) == 0) {
            /* near fp16/bf16/fp8 rounding points: few low bits set */
            double specials[] = { 1 + 0x1p-11, 1 + 3 * 0x1p-11, 0x1p-25, -0x1p-25, 0x1.8p-25,
                                  65504, 65519.99, 65520, 448, 464, 480, 0x1p-133, 0x1p-134,
                                  0x1.8p-134, -0.0, 0.0, 57344, 61440, 1e300, 1e-300,
                                  0x1p-149, 0x1p-150, 0x1.000002p-150, 3.4028235e38,
                                  0x1.ffffffp127, 0x1.fffffe8p127, 1.0 / 3 };
            double x = specials[rng_range(&R, 0, sizeof specials / sizeof specials[0] - 1)];
            int k = (int)rng_range(&R, 0, 3);
            if (k == 0)
                x = ldexp(floor(ldexp(x, 8) + rng_range(&R, -2, 2)), -8);
            if (k == 1) {
                /* a hair off a midpoint of fp16, bf16, E4M3 or E5M2 (for
                 * doubles: below float32's resolution, so rounding twice
                 * to nearest would land on the midpoint and go wrong) */
                static const double mid[] = { 1 + 0x1p-11, 1 + 0x1p-8, 1 + 0x1p-4, 1 + 0x1p-3,
                                              1 + 3 * 0x1p-11, 1 + 3 * 0x1p-8 };
                x = ldexp(mid[rng_range(&R, 0, 5)] + (rng_range(&R, 0, 1) ? 0x1p-40 : -0x1p-40),
                          (int)rng_range(&R, -20, 10));
            }
            if (t->size == 8) {
                memcpy(&u, &x, 8);
            } else if (t->size == 4) {
                float y = (float)x;
                uint32_t w;
                memcpy(&w, &y, 4);
                u = w;
            } else {
                u = rng_next(&R) & 0x7c0f; /* extreme exponents, few fraction bits */
            }
        } else if (t->is_float && t->size == 8 && rng_range(&R, 0, 1)) {
            /* doubles in the small formats' ranges */
            u = (rng_next(&R) & 0x800fffffffffffffULL) |
                (uint64_t)rng_range(&R, 1023 - 140, 1023 + 130) << 52;
        } else if (t->is_float && t->size == 4 && rng_range(&R, 0, 1)) {
            u = (rng_next(&R) & 0x807fffffu) | (uint64_t)rng_range(&R, 127 - 140, 127 + 130)
                << 23;
        }
        for (int k = 0; k < t->size; k++)
            d[i * t->size + k] = (unsigned char)(u >> (8 * k));
    }
}

static void test_npy_valid(int n)
{
    static const int fmts[] = { SF_FP16, SF_BF16, SF_FP8E4M3, SF_FP8E5M2, SF_FP32 };
    for (int it = 0; it < n; it++) {
        const struct dt *t = &dts[it % (int)(sizeof dts / sizeof dts[0])];
        int fp = -1;
        if (t->is_float || (it / 11) % 3 == 0) {
            fp = fmts[rng_range(&R, 0, 4)];
            if (!t->is_float) { /* bit patterns: an unsigned type of the format's width */
                int bits = sf_info((enum sf_format)fp)->bits;
                t = bits == 8 ? &dts[4] : bits == 16 ? &dts[5] : &dts[6];
            }
        }
        int rows = (int)rng_range(&R, 1, 7), cols = (int)rng_range(&R, 1, 7);
        int one_d = rng_range(&R, 0, 4) == 0;
        if (one_d)
            cols = 1;
        int fortran = !one_d && rng_range(&R, 0, 2) == 0;
        int major = (int)rng_range(&R, 1, 3);
        unsigned char data[7 * 7 * 8];
        random_elems(data, rows * cols, t);
        char shape[64], dict[400];
        if (one_d)
            snprintf(shape, sizeof shape, "(%d,%s)", rows, rng_range(&R, 0, 1) ? "" : " ");
        else
            snprintf(shape, sizeof shape, rng_range(&R, 0, 3) ? "(%d, %d)" : "(%dL, %dL,)",
                     rows, cols);
        const char *q = rng_range(&R, 0, 3) ? "'" : "\"";
        const char *sp = rng_range(&R, 0, 2) ? " " : rng_range(&R, 0, 1) ? "" : "  \t";
        char kv[3][128];
        snprintf(kv[0], sizeof kv[0], "%sdescr%s:%s%s%s%s", q, q, sp, q, t->descr, q);
        snprintf(kv[1], sizeof kv[1], "%sfortran_order%s: %s", q, q, fortran ? "True" : "False");
        snprintf(kv[2], sizeof kv[2], "%sshape%s:%s%s", q, q, sp, shape);
        int order = (int)rng_range(&R, 0, 5);
        static const int perm[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
                                        { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
        snprintf(dict, sizeof dict, "{%s, %s,%s%s%s}", kv[perm[order][0]], kv[perm[order][1]],
                 sp, kv[perm[order][2]], rng_range(&R, 0, 1) ? ", " : "");
        int pads[] = { numpy_pad(major, dict), 0, 1, (int)rng_range(&R, 0, 200),
                       numpy_pad(major, dict) + 64 * (major > 1 ? 1100 : 1) };
        int pad = pads[rng_range(&R, 0, 4)];
        int nl = rng_range(&R, 0, 6) != 0;
        size_t len;
        char *b = npy_build(major, dict, pad, nl, data, (size_t)(rows * cols * t->size), &len);
        /* Expected values, element (r, c) at file index r*cols+c (C) or c*rows+r. */
        int64_t want[49];
        int fits = 1;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                int k = fortran ? c * rows + r : r * cols + c;
                const unsigned char *e = data + k * t->size;
                uint64_t u = le(e, t->size);
                int64_t v;
                if (t->is_float)
                    v = expect_fp(float_value(e, t->size), fp);
                else if (t->is_signed && t->size < 8 && (u >> (8 * t->size - 1)))
                    v = (int64_t)u - ((int64_t)1 << (8 * t->size));
                else if (u > INT64_MAX)
                    v = t->is_signed ? -(int64_t)(~u) - 1 : (fits = 0);
                else
                    v = (int64_t)u;
                want[r * cols + c] = v;
            }
        for (int ch = 0; ch < 2; ch++) {
            struct matrix m;
            char msg[600];
            size_t chunk = ch ? (size_t)rng_range(&R, 1, 70) : 0;
            int rc = cap_read(&m, "a.npy", b, len, fp, chunk, msg, sizeof msg);
            if (!fits) {
                CHECK(rc && strstr(msg, "does not fit in int64"), "uint64: %s", msg);
            } else {
                CHECK(!rc, "valid .npy (%s %s fp %d v%d pad %d chunk %zu): %s", t->descr,
                      dict, fp, major, pad, chunk, msg);
                if (!rc) {
                    CHECK(m.rows == rows && m.cols == cols, "shape %dx%d for %s", m.rows,
                          m.cols, dict);
                    for (int i = 0; i < rows * cols && m.rows == rows && m.cols == cols; i++)
                        CHECK(m.v[i] == want[i], "%s %s fp %d element %d: 0x%" PRIx64
                              ", expected 0x%" PRIx64, t->descr, dict, fp, i, (uint64_t)m.v[i],
                              (uint64_t)want[i]);
                }
            }
            mat_free(&m);
        }
        free(b);
    }
}

struct bad {
    int major;
    const char *dict; /* NULL: raw bytes below */
    int fp;
    long dlen;        /* data bytes (zeros); -1: exactly what the shape needs */
    const char *expect;
    const char *raw;  /* with dict == NULL */
    int rawlen;
};

static void test_npy_bad(void)
{
    static const struct bad bads[] = {
        { 1, NULL, -1, 0, "a.npy: error: byte 6: .npy format version 4.0 (this reader knows "
          "1.0, 2.0 and 3.0)", "\x93NUMPY\x04\x00\x10\x00", 10 },
        { 1, NULL, -1, 0, "a.npy: error: byte 6: .npy format version 1.1 (this reader knows "
          "1.0, 2.0 and 3.0)", "\x93NUMPY\x01\x01\x10\x00", 10 },
        { 1, NULL, -1, 0, "a.npy: error: byte 7: the file ends inside the .npy magic and "
          "version", "\x93NUMPY\x01", 7 },
        { 1, NULL, -1, 0, "a.npy: error: byte 9: the file ends inside the header length",
          "\x93NUMPY\x01\x00\x10", 9 },
        { 1, NULL, -1, 0, "a.npy: error: byte 8: header length 16 runs past the end of the "
          "file (14 bytes)", "\x93NUMPY\x01\x00\x10\x00{}  ", 14 },
        { 2, NULL, -1, 0, "a.npy: error: byte 8: header length 4294967295 is above the limit "
          "of 262144 bytes", "\x93NUMPY\x02\x00\xff\xff\xff\xff", 12 },
        { 1, NULL, -1, 0, "a.npy: error: byte 0: not a .npy file (it does not start with "
          "\\x93NUMPY)", "2 2\n1 2\n3 4\n", 12 },
        { 1, NULL, -1, 0, "a.npy: error: byte 0: not a .npy file (it does not start with "
          "\\x93NUMPY)", "", 0 },
        { 1, "[1, 2]", -1, 0, "a.npy: error: byte 10: header: expected '{'", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False}", -1, 0,
          "a.npy: error: byte 49: header: no 'shape'", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), 'x': 1}", -1, 8,
          "a.npy: error: byte 66: header: unknown key 'x' (a .npy header has 'descr', "
          "'fortran_order' and 'shape')", NULL, 0 },
        { 1, "{'descr': '<i4', 'descr': '<i4', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 27: header: repeated key 'descr' (a .npy header has 'descr', "
          "'fortran_order' and 'shape')", NULL, 0 },
        { 1, "{'descr': 4, 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 20: header: 'descr' is not a string", NULL, 0 },
        { 1, "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 20: header: 'descr' is a list: a structured (record) dtype, "
          "not numbers", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': true, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 44: header: 'fortran_order' is not True or False", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2)}", -1, 8,
          "a.npy: error: byte 62: header: 'shape' is not a tuple (one dimension is written "
          "(N,))", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': [2, 3]}", -1, 24,
          "a.npy: error: byte 60: header: 'shape' is not a tuple", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2 3)}", -1, 24,
          "a.npy: error: byte 63: header: expected ',' or ')' in 'shape'", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, x)}", -1, 24,
          "a.npy: error: byte 64: header: expected an integer in 'shape'", NULL, 0 },
        { 1, "{'descr': '<i4' 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 26: header: expected ',' or '}'", NULL, 0 },
        { 1, "{'descr' '<i4', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 19: header: expected ':' after the key", NULL, 0 },
        { 1, "{'descr: '<i4', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 11: header: unknown key 'descr: ' (a .npy header has 'descr', "
          "'fortran_order' and 'shape')", NULL, 0 },
        { 1, "{'descr': '<i\\x34', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: byte 23: header: a string that does not end, has an escape or is "
          "too long", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,)} x", -1, 8,
          "a.npy: error: byte 66: header: more after the dict than the padding of spaces "
          "and '\\n'", NULL, 0 },
        { 1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: header 'descr': '>i4' is big-endian int32: save little-endian, "
          "a.astype('<i4')", NULL, 0 },
        { 1, "{'descr': '>i1', 'fortran_order': False, 'shape': (2,)}", -1, -1, NULL, NULL, 0 },
        { 1, "{'descr': 'i4', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: header 'descr': 'i4' is int32 without the byte order '<'", NULL, 0 },
        { 1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", -1, 16,
          "a.npy: error: header 'descr': '|O' is an object array (pickled Python objects); "
          "the reader takes int8..int64, uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", -1, 16,
          "a.npy: error: header 'descr': '<c8' is complex; the reader takes int8..int64, "
          "uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '<U3', 'fortran_order': False, 'shape': (2,)}", -1, 24,
          "a.npy: error: header 'descr': '<U3' is a unicode string; the reader takes "
          "int8..int64, uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,)}", -1, 2,
          "a.npy: error: header 'descr': '|b1' is bool; the reader takes int8..int64, "
          "uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (2,)}", -1, 16,
          "a.npy: error: header 'descr': '<M8[ns]' is a datetime; the reader takes "
          "int8..int64, uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '<V2', 'fortran_order': False, 'shape': (2,)}", SF_BF16, 4,
          "a.npy: error: header 'descr': '<V2' is raw 2-byte values (bfloat16 arrays are "
          "saved so: save a.view(np.uint16)); the reader takes int8..int64, uint8..uint64, "
          "float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '<f16', 'fortran_order': False, 'shape': (2,)}", -1, 32,
          "a.npy: error: header 'descr': '<f16' is not a type this reader knows; the reader "
          "takes int8..int64, uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': 'int32', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: header 'descr': 'int32' is not a type this reader knows; the reader "
          "takes int8..int64, uint8..uint64, float16, float32 and float64", NULL, 0 },
        { 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", -1, 8,
          "a.npy: error: header 'descr': '<f4' is float32, but this matrix holds integers: "
          "save integers, e.g. a.astype(np.int32)", NULL, 0 },
        { 1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2,)}", SF_FP16, 4,
          "a.npy: error: header 'descr': '<i2' is int16, not fp16 values: give values as "
          "float16, float32 or float64, or bit patterns as uint16", NULL, 0 },
        { 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2,)}", SF_BF16, 2,
          "a.npy: error: header 'descr': '|u1' is uint8: bit patterns of 8 bits, but bf16 "
          "patterns have 16", NULL, 0 },
        { 1, "{'descr': '<u2', 'fortran_order': False, 'shape': (2,)}", SF_FP8E4M3, 4,
          "a.npy: error: header 'descr': '<u2' is uint16: bit patterns of 16 bits, but fp8e4m3 "
          "patterns have 8", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': ()}", -1, 4,
          "a.npy: error: header 'shape' () has 0 dimensions; a matrix has 2 (or 1: a "
          "column)", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2, 2)}", -1, 16,
          "a.npy: error: header 'shape' (1, 2, 2) has 3 dimensions; a matrix has 2 (or 1: a "
          "column)", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (0, 3)}", -1, 0,
          "a.npy: error: header 'shape' (0, 3): an empty matrix", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (0,)}", -1, 0,
          "a.npy: error: header 'shape' (0,): an empty matrix", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (-2, 3)}", -1, 0,
          "a.npy: error: header 'shape' has a negative dimension", NULL, 0 },
        { 1, "{'descr': '|i1', 'fortran_order': False, 'shape': (16777217, 1)}", -1, 0,
          "a.npy: error: header 'shape' (16777217, 1): matrix of 16777217 x 1 is too large",
          NULL, 0 },
        { 1, "{'descr': '|i1', 'fortran_order': False, 'shape': (16384, 16385)}", -1, 0,
          "a.npy: error: header 'shape' (16384, 16385): matrix of 16384 x 16385 is too large",
          NULL, 0 },
        { 1, "{'descr': '|i1', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
          -1, 0, "a.npy: error: header 'shape' (9223372036854775807,): matrix of "
          "9223372036854775807 x 1 is too large", NULL, 0 },
        { 1, "{'descr': '|i1', 'fortran_order': False, 'shape': (16777216, 16)}", -1, 1,
          "a.npy: error: byte 129: the file ends inside the data (shape (16777216, 16) of '|i1' "
          "is 268435456 bytes from byte 128)", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}", -1, 23,
          "a.npy: error: byte 151: the file ends inside the data (shape (2, 3) of '<i4' is 24 "
          "bytes from byte 128)", NULL, 0 },
        { 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}", -1, 25,
          "a.npy: error: byte 152: the file goes on after the data (shape (2, 3) of '<i4' is "
          "24 bytes from byte 128)", NULL, 0 },
        { 3, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}", -1, 0,
          "a.npy: error: byte 128: the file ends inside the data (shape (2, 3) of '<i4' is 24 "
          "bytes from byte 128)", NULL, 0 },
    };
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const struct bad *bd = &bads[i];
        size_t len;
        char *b;
        if (bd->dict) {
            char zeros[64] = { 0 };
            long dl = bd->dlen;
            b = npy_build(bd->major, bd->dict, numpy_pad(bd->major, bd->dict), 1, zeros,
                          dl < 0 ? 2 : (size_t)dl, &len);
        } else {
            len = (size_t)bd->rawlen;
            b = malloc(len + 1);
            memcpy(b, bd->raw, len);
        }
        for (int ch = 0; ch < 3; ch++) {
            struct matrix m;
            char msg[600];
            size_t chunk = ch == 0 ? 0 : ch == 1 ? 1 : 5;
            int rc = cap_read(&m, "a.npy", b, len, bd->fp, chunk, msg, sizeof msg);
            if (!bd->expect) {
                CHECK(!rc, "bad case %zu should be read: %s", i, msg);
            } else if (ch == 0 || !strstr(bd->expect, "runs past the end")) {
                /* A pipe's size is unknown: a header past the end is found
                 * when the header runs out instead. */
                CHECK(rc && !strcmp(msg, bd->expect), "bad case %zu (chunk %zu):\n  got:      "
                      "%s\n  expected: %s", i, chunk, msg, bd->expect);
            } else {
                CHECK(rc && strstr(msg, "the file ends inside the header"), "%s", msg);
            }
            CHECK(!bd->expect || !m.v, "bad case %zu: storage left", i);
            mat_free(&m);
        }
        free(b);
    }
    /* A uint64 beyond int64, located by row, column and byte. */
    unsigned char d[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 };
    const char *dict = "{'descr': '<u8', 'fortran_order': True, 'shape': (1, 2), }";
    size_t len;
    char *b = npy_build(1, dict, numpy_pad(1, dict), 1, d, 16, &len);
    struct matrix m;
    char msg[600];
    int rc = cap_read(&m, "a.npy", b, len, -1, 0, msg, sizeof msg);
    CHECK(rc && !strcmp(msg, "a.npy: error: uint64 value 9223372036854775808 at row 1, "
                        "column 2 (byte 136) does not fit in int64"), "%s", msg);
    free(b);
    /* Text messages of a .npy matrix give byte offsets. */
    dict = "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }";
    unsigned char e[6] = { 1, 0, 255, 2, 1, 0 };
    b = npy_build(1, dict, numpy_pad(1, dict), 1, e, 6, &len);
    rc = cap_read(&m, "w.npy", b, len, -1, 0, msg, sizeof msg);
    CHECK(!rc && m.v[0] == 1 && m.v[1] == -1 && m.v[2] == 1 && m.v[3] == 0 && m.v[4] == 2 &&
          m.v[5] == 0, "fortran order");
    struct strbuf sb = STRBUF_INIT;
    tf_capture = &sb;
    mat_check_range(&m, -1, 1, "weight");
    tf_capture = NULL;
    CHECK(sb.buf && !strcmp(sb.buf, "w.npy: error: weight 2 at row 2, column 2 (byte 131) is "
                            "outside -1..1\n"), "%s", sb.buf);
    sb_release(&sb);
    mat_free(&m);
    free(b);
}

/* The writer: NumPy's layout (numpy.save of 1.24, checked byte for byte
 * against it: `np.save(f, np.zeros((10, 2), '<i4'))` starts with this
 * 128-byte header), and round trips through the reader. */
static void test_npy_write(void)
{
    struct matrix m;
    mat_init(&m, 10, 2);
    m.dtype = NPY_I32;
    for (int i = 0; i < 20; i++)
        m.v[i] = i * 1000003 - 7;
    size_t len;
    char *b = npy_format(&m, &len);
    const char want[] = "\x93NUMPY\x01\x00v\x00{'descr': '<i4', 'fortran_order': False, "
                        "'shape': (10, 2), }";
    CHECK(len == 128 + 80 && !memcmp(b, want, sizeof want - 1) && b[127] == '\n',
          "numpy.save layout");
    for (size_t i = sizeof want - 1; i < 127; i++)
        CHECK(b[i] == ' ', "padding byte %zu", i);
    CHECK(le((unsigned char *)b + 128 + 4, 4) == (uint32_t)(1000003 - 7), "element 1");
    free(b);
    mat_free(&m);
    for (int t = 0; t < NPY__COUNT; t++) {
        if (t == NPY_F64)
            continue; /* not an output type */
        int rows = (int)rng_range(&R, 1, 30), cols = (int)rng_range(&R, 1, 30);
        mat_init(&m, rows, cols);
        m.dtype = t;
        int size = npy_size((enum npy_dtype)t);
        int fp = t == NPY_F16 ? SF_FP16 : t == NPY_F32 ? SF_FP32 : -1;
        for (int i = 0; i < rows * cols; i++) {
            uint64_t u = rng_next(&R);
            if (size < 8)
                u &= (UINT64_C(1) << (8 * size)) - 1;
            int64_t v = (int64_t)u;
            if (t == NPY_I8 || t == NPY_I16 || t == NPY_I32)
                v = (int64_t)u - (int64_t)(UINT64_C(1) << (8 * size - 1));
            if (t == NPY_U64)
                v = (int64_t)(u >> 1);
            if (fp >= 0 && sf_is_nan((enum sf_format)fp, (uint32_t)v))
                v = sf_info((enum sf_format)fp)->qnan;
            m.v[i] = v;
        }
        b = npy_format(&m, &len);
        struct matrix back;
        char msg[600];
        int rc = cap_read(&back, "y.npy", b, len, fp, 0, msg, sizeof msg);
        CHECK(!rc && back.rows == rows && back.cols == cols &&
              !memcmp(back.v, m.v, sizeof *m.v * (size_t)(rows * cols)),
              "round trip of %s: %s", npy_names[t], msg);
        mat_free(&back);
        free(b);
        /* Text too. */
        char *s = mat_format(&m);
        rc = cap_read(&back, "y.txt", s, strlen(s), -1, 0, msg, sizeof msg);
        CHECK(!rc && !memcmp(back.v, m.v, sizeof *m.v * (size_t)(rows * cols)),
              "text round trip: %s", msg);
        mat_free(&back);
        free(s);
        mat_free(&m);
    }
}

/* ---------------------------------------------------------- compact */

/* A compact copy of m in type et (values known to fit), built here. */
static void compact_copy(const struct matrix *m, int et, struct matrix *c)
{
    *c = *m;
    size_t n = (size_t)m->rows * (size_t)m->cols;
    c->v = NULL;
    c->line = NULL;
    c->et = et;
    c->e = xmalloc(n * 4 + 1);
    for (size_t i = 0; i < n; i++) {
        if (et == MAT_I8)
            ((int8_t *)c->e)[i] = (int8_t)m->v[i];
        else if (et == MAT_I16)
            ((int16_t *)c->e)[i] = (int16_t)m->v[i];
        else
            ((int32_t *)c->e)[i] = (int32_t)m->v[i];
    }
}

/* mat_check_range, mat_row_i8/i16/i32, mat_widen and mat_wide on compact
 * storage against the int64 matrix they were made from: the same first
 * message (the row-major first value outside, located), the same rows
 * and values. Ranges straddle the types' limits (a bound beyond every
 * value of the type, a bound that no value reaches). */
static void test_compact(void)
{
    static const int64_t lims[3][2] = { { -128, 127 }, { -32768, 32767 },
                                        { INT32_MIN, INT32_MAX } };
    for (int it = 0; it < 3000; it++) {
        int et = MAT_I8 + it % 3;
        int rows = (int)rng_range(&R, 1, 9), cols = (int)rng_range(&R, 1, 150);
        struct matrix m, c;
        mat_init(&m, rows, cols);
        m.path = "c.txt";
        m.line = xmalloc((size_t)rows * sizeof *m.line);
        for (int r = 0; r < rows; r++)
            m.line[r] = 3 * r + 2;
        int64_t tlo = lims[et - MAT_I8][0], thi = lims[et - MAT_I8][1];
        int64_t span = rng_range(&R, 0, 2) ? 3 : thi;
        for (size_t i = 0; i < (size_t)rows * (size_t)cols; i++)
            m.v[i] = rng_range(&R, -span - 1 < tlo ? tlo : -span - 1, span);
        int nout = (int)rng_range(&R, 0, 3); /* values at the type's ends */
        for (int k = 0; k < nout; k++)
            m.v[rng_range(&R, 0, (int64_t)rows * cols - 1)] = rng_range(&R, 0, 1) ? tlo : thi;
        compact_copy(&m, et, &c);
        c.line = m.line;
        c.npy = m.npy = rng_range(&R, 0, 1);
        c.elem_size = m.elem_size = 1 << (et - MAT_I8);
        int64_t lo = rng_range(&R, 0, 4) ? -span : tlo - rng_range(&R, 0, 5);
        int64_t hi = rng_range(&R, 0, 4) ? span - rng_range(&R, 0, 1) : thi + rng_range(&R, 0, 5);
        if (rng_range(&R, 0, 30) == 0)
            lo = thi + 1, hi = thi + 9; /* nothing of the type fits */
        char m1[600], m2[600];
        struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
        tf_capture = &a;
        int r1 = mat_check_range(&m, lo, hi, "value");
        tf_capture = &b;
        int r2 = mat_check_range(&c, lo, hi, "value");
        tf_capture = NULL;
        snprintf(m1, sizeof m1, "%s", a.buf ? a.buf : "");
        snprintf(m2, sizeof m2, "%s", b.buf ? b.buf : "");
        /* the expected first offender, found the plain way */
        size_t first = (size_t)-1;
        for (size_t i = 0; i < (size_t)rows * (size_t)cols && first == (size_t)-1; i++)
            if (m.v[i] < lo || m.v[i] > hi)
                first = i;
        CHECK(r1 == r2 && !strcmp(m1, m2), "check_range [%" PRId64 ", %" PRId64 "] type %d: "
              "int64 %d '%s', compact %d '%s'", lo, hi, et, r1, m1, r2, m2);
        CHECK((first != (size_t)-1) == (r1 != 0), "check_range: rc %d, first outside %zu", r1,
              first);
        if (first != (size_t)-1) {
            char want[128];
            snprintf(want, sizeof want, ":%d: error: value %" PRId64 " at row %zu, column %zu",
                     m.npy ? 0 : m.line[first / (size_t)cols], m.v[first],
                     first / (size_t)cols + 1, first % (size_t)cols + 1);
            CHECK(strstr(m2, m.npy ? strchr(want, ' ') + 1 : want), "check_range: '%s' lacks "
                  "'%s'", m2, want);
        }
        sb_release(&a);
        sb_release(&b);
        int8_t r8[160];
        int16_t r16[160];
        int32_t r32[160];
        int row = (int)rng_range(&R, 0, rows - 1);
        mat_row_i32(&c, row, r32);
        for (int k = 0; k < cols; k++)
            CHECK(r32[k] == MAT(&m, row, k), "mat_row_i32 type %d (%d, %d)", et, row, k);
        if (et != MAT_I32) {
            mat_row_i16(&c, row, r16);
            for (int k = 0; k < cols; k++)
                CHECK(r16[k] == MAT(&m, row, k), "mat_row_i16 type %d (%d, %d)", et, row, k);
        }
        int fits8 = 1; /* int8 rows: values known to fit (ternary weights) */
        for (int k = 0; k < cols; k++)
            fits8 &= MAT(&m, row, k) >= -128 && MAT(&m, row, k) <= 127;
        if (fits8) {
            mat_row_i8(&c, row, r8);
            for (int k = 0; k < cols; k++)
                CHECK(r8[k] == MAT(&m, row, k), "mat_row_i8 type %d (%d, %d)", et, row, k);
        }
        struct matrix t;
        const struct matrix *w = mat_wide(&c, &t);
        CHECK(w == &t && w->et == MAT_I64 && w->v && !w->e && w->line == NULL &&
              !memcmp(w->v, m.v, (size_t)rows * (size_t)cols * sizeof *m.v),
              "mat_wide type %d", et);
        mat_free(&t);
        CHECK(mat_wide(&m, &t) == &m && !t.v, "mat_wide of an int64 matrix copies it");
        c.line = NULL;
        mat_widen(&c);
        CHECK(c.et == MAT_I64 && !c.e && c.v &&
              !memcmp(c.v, m.v, (size_t)rows * (size_t)cols * sizeof *m.v),
              "mat_widen type %d", et);
        mat_free(&c);
        mat_free(&m);
    }
}

/* Text narrowed at each type's limits: the smallest type that holds
 * every value, values kept. */
static void test_compact_limits(void)
{
    static const struct {
        const char *text;
        int et;
    } cases[] = {
        { "1 3\n-128 0 127\n", MAT_I8 },
        { "1 3\n-129 0 127\n", MAT_I16 },
        { "1 3\n-128 0 128\n", MAT_I16 },
        { "2 2\n-32768 1\n32767 0\n", MAT_I16 },
        { "2 2\n-32769 1\n32767 0\n", MAT_I32 },
        { "2 2\n-32768 1\n32768 0\n", MAT_I32 },
        { "1 2\n-2147483648 2147483647\n", MAT_I32 },
        { "1 2\n-2147483649 0\n", MAT_I64 },
        { "1 2\n0 2147483648\n", MAT_I64 },
        { "0 0 0\n", MAT_I8 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct matrix c;
        const char *t = cases[k].text;
        int rc = mat_read_mem_compact(&c, "l.txt", t, strlen(t), 0);
        CHECK(!rc && c.et == cases[k].et, "'%s': rc %d, type %d, want %d", t, rc, c.et,
              cases[k].et);
        /* the values, from the text by strtoll */
        const char *p = t;
        if (strchr(p, '\n') - p < 6 && k + 1 < sizeof cases / sizeof cases[0])
            p = strchr(p, '\n') + 1;
        for (size_t i = 0; !rc && i < (size_t)c.rows * (size_t)c.cols; i++) {
            char *e;
            long long v = strtoll(p, &e, 10);
            CHECK(mat_get(&c, i) == v, "'%s' value %zu: %" PRId64 ", want %lld", t, i,
                  mat_get(&c, i), v);
            p = e;
        }
        mat_free(&c);
    }
}

/* Text read compact is stored row by row in the narrowest type so far
 * and widened in place when a row needs more: matrices whose rows step
 * up through int8, int16, int32 and int64 at random rows (many rows
 * stored before each step, so that a widening moves more than a block),
 * with and without the shape line, whole and in pipe-sized chunks: the
 * values generated here, and the final type, must come back. */
static void test_compact_upgrade(int cases)
{
    static const int64_t top[] = { 127, 32767, INT32_MAX, INT64_MAX };
    for (int k = 0; k < cases; k++) {
        int rows = (int)rng_range(&R, 1, 300), cols = (int)rng_range(&R, 1, 70);
        int steps = (int)rng_range(&R, 0, 3), head = (int)rng_range(&R, 0, 1);
        int at[3]; /* row where the values may first need type i + 1 */
        for (int i = 0; i < 3; i++)
            at[i] = i < steps ? (int)rng_range(&R, i ? at[i - 1] : 0, rows - 1) : rows;
        int64_t *want = xmalloc((size_t)rows * (size_t)cols * sizeof *want);
        struct strbuf sb = STRBUF_INIT;
        if (head || cols == 2)
            sb_addf(&sb, "%d %d\n", rows, cols);
        int need = 0; /* the type index the values so far need */
        for (int r = 0; r < rows; r++) {
            int t = r >= at[2] ? 3 : r >= at[1] ? 2 : r >= at[0] ? 1 : 0;
            for (int c = 0; c < cols; c++) {
                int64_t lim = top[t], v;
                /* the step's row has a value beyond the type below at a random column */
                if (t > 0 && r == at[t - 1] && c == (r * 7 + t) % cols)
                    v = rng_range(&R, 0, 1) ? lim : -lim - 1;
                else
                    v = rng_range(&R, t ? -top[t - 1] - 1 : -128, t ? top[t - 1] : 127);
                want[(size_t)r * cols + c] = v;
                sb_addf(&sb, "%s%" PRId64, c ? " " : "", v);
                while (v > top[need] || v < -top[need] - 1)
                    need++;
            }
            sb_adds(&sb, "\n");
        }
        size_t chunk = rng_range(&R, 0, 1) ? 0 : (size_t)rng_range(&R, 1, 300);
        struct matrix m;
        int rc = mat_read_mem_compact(&m, "u.txt", sb.buf, sb.len, chunk);
        int et = need == 0 ? MAT_I8 : need == 1 ? MAT_I16 : need == 2 ? MAT_I32 : MAT_I64;
        CHECK(!rc && m.rows == rows && m.cols == cols && m.et == et,
              "upgrade case %d (%dx%d, steps at rows %d %d %d, chunk %zu): rc %d, %dx%d, type "
              "%d, want %d", k, rows, cols, at[0], at[1], at[2], chunk, rc, m.rows, m.cols,
              m.et, et);
        for (size_t i = 0; !rc && i < (size_t)rows * (size_t)cols; i++)
            if (mat_get(&m, i) != want[i]) {
                CHECK(0, "upgrade case %d (%dx%d, steps at rows %d %d %d): value %zu: %"
                      PRId64 ", want %" PRId64, k, rows, cols, at[0], at[1], at[2], i,
                      mat_get(&m, i), want[i]);
                break;
            }
        mat_free(&m);
        sb_release(&sb);
        free(want);
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261123;
    R.s = seed;
    printf("test_matrix: seed %" PRIu64 "\n", seed);
    test_text_cases();
    test_text_fp();
    test_text_random(1500);
    test_text_stream(30);
    test_text_big();
    test_npy_valid(3000);
    test_npy_bad();
    test_npy_write();
    test_compact();
    test_compact_limits();
    test_compact_upgrade(400);
    if (failures) {
        printf("test_matrix: %d failures\n", failures);
        return 1;
    }
    printf("test_matrix: %d reads compared with their compact reads\n", reads_compact);
    printf("test_matrix: ok\n");
    return 0;
}
