/* util.c - error reporting, memory, strings and atomic files (see util.h). */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tf_progname = "ternforge";
_Thread_local int tf_quiet;
_Thread_local struct strbuf *tf_capture;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    if (tf_capture) {
        if (prefix)
            sb_adds(tf_capture, prefix);
        sb_vaddf(tf_capture, fmt, ap);
        sb_adds(tf_capture, "\n");
        return;
    }
    if (tf_quiet)
        return;
    fflush(stdout);
    if (prefix)
        fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
    exit(1);
}

int error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
    return -1;
}

void warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
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

int af_open(struct atomic_file *af, const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s.tmp.%ld", path, (long)getpid());
    af->path = xstrdup(path);
    af->tmp = sb_detach(&sb);
    af->fp = fopen(af->tmp, "wb");
    if (!af->fp) {
        int e = errno;
        free(af->path);
        free(af->tmp);
        af->path = af->tmp = NULL;
        return error("%s: error: cannot write: %s", path, strerror(e));
    }
    return 0;
}

int af_commit(struct atomic_file *af)
{
    int bad = ferror(af->fp);
    if (fclose(af->fp) != 0)
        bad = 1;
    af->fp = NULL;
    if (bad) {
        unlink(af->tmp);
        error("%s: error: write failed", af->path);
    } else if (rename(af->tmp, af->path) != 0) {
        bad = 1;
        error("%s: error: cannot rename: %s", af->path, strerror(errno));
        unlink(af->tmp);
    }
    free(af->path);
    free(af->tmp);
    af->path = af->tmp = NULL;
    return bad ? -1 : 0;
}

void af_abort(struct atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp)
        unlink(af->tmp);
    free(af->path);
    free(af->tmp);
    af->fp = NULL;
    af->path = af->tmp = NULL;
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
    struct atomic_file af;
    if (af_open(&af, path))
        return -1;
    fwrite(data, 1, len, af.fp);
    return af_commit(&af);
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
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = error("%s: error: cannot create directory: %s", path, strerror(errno));
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
