/* util.c - error reporting, memory, strings and atomic files (see util.h). */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "rng.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tf_progname = "ternforge";
_Thread_local int tf_quiet;
_Thread_local struct strbuf *tf_capture;

/* Longest message written to stderr (bytes): a message quotes user input
 * through tq(), this is the net for anything that does not. */
#define TF_MESSAGE_MAX 4096

static _Atomic int errors_printed;

static void vreport(int is_error, const char *fmt, va_list ap)
{
    if (tf_capture) {
        sb_vaddf(tf_capture, fmt, ap);
        sb_adds(tf_capture, "\n");
        return;
    }
    if (tf_quiet)
        return;
    struct strbuf sb = STRBUF_INIT;
    sb_vaddf(&sb, fmt, ap);
    if (sb.len > TF_MESSAGE_MAX) {
        sb.len = TF_MESSAGE_MAX;
        sb.buf[sb.len] = '\0';
        sb_adds(&sb, " ... (message cut)");
    }
    fflush(stdout);
    fputs(sb.buf ? sb.buf : "", stderr);
    fputc('\n', stderr);
    sb_release(&sb);
    /* A hostile file can hold a million small errors: report the first
     * ones, then stop (outputs are not started while input is read). */
    if (is_error && ++errors_printed == TF_MAX_ERRORS) {
        fprintf(stderr, "%s: error: too many errors (%d), stopping\n", tf_progname,
                TF_MAX_ERRORS);
        exit(1);
    }
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(0, fmt, ap);
    va_end(ap);
    exit(1);
}

int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(1, fmt, ap);
    va_end(ap);
    return -1;
}

void warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(0, fmt, ap);
    va_end(ap);
}

const char *tq(const char *s)
{
    static _Thread_local char ring[8][TF_QUOTE_MAX * 4 + 8];
    static _Thread_local int next;
    char *out = ring[next++ & 7], *o = out;
    if (!s)
        s = "";
    size_t n = strlen(s), shown = n;
    if (n > TF_QUOTE_MAX) {
        shown = TF_QUOTE_MAX;
        /* not inside a UTF-8 sequence */
        while (shown > 0 && ((unsigned char)s[shown] & 0xc0) == 0x80)
            shown--;
    }
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t')
            o += sprintf(o, "\\t");
        else if (c == '\n')
            o += sprintf(o, "\\n");
        else if (c == '\r')
            o += sprintf(o, "\\r");
        else if (c < 0x20 || c == 0x7f)
            o += sprintf(o, "\\x%02x", c);
        else
            *o++ = (char)c;
    }
    if (shown < n)
        o += sprintf(o, "...");
    *o = '\0';
    return out;
}

void bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: internal error at %s:%d: ", tf_progname, file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("%s: error: out of memory (%zu bytes)", tf_progname, n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("%s: error: out of memory", tf_progname);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("%s: error: out of memory (%zu bytes)", tf_progname, n);
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

void sb_grow(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->alloc)
        return;
    size_t want = sb->alloc ? sb->alloc : 64;
    while (want < sb->len + extra + 1)
        want *= 2;
    sb->buf = xrealloc(sb->buf, want);
    sb->alloc = want;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char probe[1];
    int n = vsnprintf(probe, sizeof probe, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        BUG("vsnprintf failed");
    sb_grow(sb, (size_t)n);
    if (!sb->buf)
        BUG("no buffer");
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void sb_release(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->alloc = 0;
}

char *sb_detach(struct strbuf *sb)
{
    if (!sb->buf)
        return xstrdup("");
    char *p = sb->buf;
    sb->buf = NULL;
    sb->len = sb->alloc = 0;
    return p;
}

char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        error("%s: error: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct strbuf sb = STRBUF_INIT;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        sb_add(&sb, tmp, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        sb_release(&sb);
        error("%s: error: read failed", path);
        return NULL;
    }
    if (len)
        *len = sb.len;
    return sb_detach(&sb);
}

int mkdir_p(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            return error("%s: error: cannot create directory: %s", path, strerror(e));
        }
        *s = '/';
    }
    int rc = 0;
    struct stat st;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = error("%s: error: cannot create directory: %s", path, strerror(errno));
    else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = error("%s: error: exists and is not a folder", path);
    free(p);
    return rc;
}

/* Out of line, so the size is not a constant where the call is made. */
void lib_memcpy(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
}

uint64_t fnv1a64(const void *data, size_t n, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static inline uint64_t hash64_step(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

void hash64_add(struct hash64 *x, const void *data, size_t n)
{
    const unsigned char *p = data;
    /* finish a word begun by an earlier call */
    while (n && (x->n & 7)) {
        x->tail |= (uint64_t)*p++ << (8 * (x->n & 7));
        n--;
        if ((++x->n & 7) == 0) {
            x->h = hash64_step(x->h, x->tail);
            x->tail = 0;
        }
    }
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w = 0;
        for (int i = 0; i < 8; i++) /* little-endian on every host */
            w |= (uint64_t)p[i] << (8 * i);
        x->h = hash64_step(x->h, w);
        x->n += 8;
    }
    while (n--) {
        x->tail |= (uint64_t)*p++ << (8 * (x->n & 7));
        x->n++;
    }
}

uint64_t hash64_value(const struct hash64 *x)
{
    uint64_t h = hash64_step(x->h, x->tail ^ 0x80ULL << (8 * (x->n & 7)));
    return rng_mix(h ^ x->n);
}
