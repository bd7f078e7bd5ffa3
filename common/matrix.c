/* matrix.c - read and write the matrix text format (see matrix.h). */
#include "matrix.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void mat_init(struct matrix *m, int rows, int cols)
{
    m->rows = rows;
    m->cols = cols;
    m->v = xcalloc((size_t)rows * (size_t)cols, sizeof *m->v);
    m->line = NULL;
    m->path = NULL;
    m->hex_digits = 0;
}

void mat_free(struct matrix *m)
{
    free(m->v);
    free(m->line);
    m->v = NULL;
    m->line = NULL;
}

/* Next token on the current line; returns its length or 0 at end of line. */
static size_t token(const char **pp, const char **start)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (*p == '#')
        while (*p && *p != '\n')
            p++;
    *start = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '#')
        p++;
    *pp = p;
    return (size_t)(p - *start);
}

static int parse_int(const char *s, size_t n, void *ctx, int64_t *out)
{
    (void)ctx;
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end || errno == ERANGE || buf[0] == '+' || (buf[0] == '-' && !buf[1]))
        return -1;
    *out = v;
    return 0;
}

static int skip_blank_lines(const char **pp, int *line)
{
    for (;;) {
        const char *p = *pp, *t;
        size_t n = token(&p, &t);
        if (n)
            return 1;
        if (!*p)
            return 0;
        *pp = p + 1; /* past '\n' */
        (*line)++;
    }
}

int mat_read(struct matrix *m, const char *path)
{
    return mat_read_with(m, path, parse_int, NULL, "a decimal integer");
}

int mat_read_with(struct matrix *m, const char *path,
                  int (*conv)(const char *tok, size_t n, void *ctx, int64_t *out), void *ctx,
                  const char *what)
{
    memset(m, 0, sizeof *m);
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return -1;
    if (strlen(text) != len) {
        free(text);
        return error("%s: error: binary data (NUL byte) in a matrix file", path);
    }
    const char *p = text, *t;
    int line = 1;
    int64_t dims[2];
    if (!skip_blank_lines(&p, &line)) {
        free(text);
        return error("%s: error: empty file (expected a first line 'ROWS COLS')", path);
    }
    for (int i = 0; i < 2; i++) {
        size_t n = token(&p, &t);
        if (!n || parse_int(t, n, NULL, &dims[i]) || dims[i] < 1 || dims[i] > (1 << 24)) {
            free(text);
            return error("%s:%d: error: first line must be 'ROWS COLS' with two "
                         "positive integers", path, line);
        }
    }
    if (token(&p, &t)) {
        free(text);
        return error("%s:%d: error: first line must be 'ROWS COLS' with two "
                     "positive integers", path, line);
    }
    if (dims[0] * dims[1] > (int64_t)1 << 28) {
        free(text);
        return error("%s:%d: error: matrix of %" PRId64 " x %" PRId64 " is too large",
                     path, line, dims[0], dims[1]);
    }
    mat_init(m, (int)dims[0], (int)dims[1]);
    m->path = path;
    m->line = xcalloc((size_t)m->rows, sizeof *m->line);
    for (int r = 0; r < m->rows; r++) {
        if (*p == '\n') {
            p++;
            line++;
        }
        if (!skip_blank_lines(&p, &line)) {
            error("%s:%d: error: expected %d rows, found %d", path, line, m->rows, r);
            goto fail;
        }
        m->line[r] = line;
        for (int c = 0; c < m->cols; c++) {
            size_t n = token(&p, &t);
            if (!n) {
                error("%s:%d: error: row %d has %d values, expected %d", path, line,
                      r + 1, c, m->cols);
                goto fail;
            }
            if (conv(t, n, ctx, &MAT(m, r, c))) {
                error("%s:%d: error: '%.*s' is not %s", path, line,
                      (int)(n > 40 ? 40 : n), t, what);
                goto fail;
            }
        }
        if (token(&p, &t)) {
            error("%s:%d: error: row %d has more than %d values", path, line, r + 1,
                  m->cols);
            goto fail;
        }
    }
    if (*p == '\n') {
        p++;
        line++;
    }
    if (skip_blank_lines(&p, &line)) {
        error("%s:%d: error: more rows than the %d declared on the first line", path, line,
              m->rows);
        goto fail;
    }
    free(text);
    return 0;
fail:
    free(text);
    mat_free(m);
    return -1;
}

char *mat_format(const struct matrix *m)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%d %d\n", m->rows, m->cols);
    for (int r = 0; r < m->rows; r++) {
        for (int c = 0; c < m->cols; c++) {
            if (m->hex_digits)
                sb_addf(&sb, "%s0x%0*" PRIx64, c ? " " : "", m->hex_digits,
                        (uint64_t)MAT(m, r, c));
            else
                sb_addf(&sb, "%s%" PRId64, c ? " " : "", MAT(m, r, c));
        }
        sb_adds(&sb, "\n");
    }
    return sb_detach(&sb);
}

int mat_write(const struct matrix *m, const char *path)
{
    char *s = mat_format(m);
    int rc = write_file_atomic(path, s, strlen(s));
    free(s);
    return rc;
}

int mat_check_range(const struct matrix *m, int64_t lo, int64_t hi, const char *what)
{
    for (int r = 0; r < m->rows; r++)
        for (int c = 0; c < m->cols; c++) {
            int64_t v = MAT(m, r, c);
            if (v < lo || v > hi)
                return error("%s:%d: error: %s %" PRId64 " at row %d, column %d is "
                             "outside %" PRId64 "..%" PRId64, m->path ? m->path : "?",
                             m->line ? m->line[r] : 0, what, v, r + 1, c + 1, lo, hi);
        }
    return 0;
}
