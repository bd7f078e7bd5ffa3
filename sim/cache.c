/* cache.c - verified, atomically published cache entries (see cache.h). */
#define _GNU_SOURCE /* renameat2 */
#include "util.h"

#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "tools.h"

#define MANIFEST "manifest"
#define MANIFEST_MAX 65536

int cache_lock(const char *root, const char *name)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s.lock", root, name);
    /* Read-only is enough for flock: a lock file made by another user of a
     * shared cache still locks. */
    int fd = open(p.buf, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EACCES)
        fd = open(p.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    sb_release(&p);
    if (fd < 0)
        return -1;
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
    }
    return fd;
}

void cache_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

/* A regular file opened without following a link or blocking on a FIFO. */
static int open_regular(int dirfd, const char *name, int cloexec, struct stat *st)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | (cloexec ? O_CLOEXEC : 0));
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

char *cache_read(int dirfd, const char *name, size_t max, size_t *len)
{
    struct stat st;
    int fd = open_regular(dirfd, name, 1, &st);
    if (fd < 0)
        return NULL;
    if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
        close(fd);
        return NULL;
    }
    struct strbuf sb = STRBUF_INIT;
    sb_grow(&sb, (size_t)st.st_size + 1);
    char buf[65536];
    ssize_t n = 0; /* the loop runs at least once; gcc -O1 with ASan cannot tell */
    while (sb.len <= max && ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
        if (n > 0)
            sb_add(&sb, buf, (size_t)n);
    int bad = n < 0 || sb.len > max;
    close(fd);
    if (bad) {
        sb_release(&sb);
        return NULL;
    }
    if (!sb.buf)
        sb_add(&sb, "", 0);
    if (len)
        *len = sb.len;
    return sb_detach(&sb);
}

/* Checksum and size of everything fd reads. */
static int fd_hash(int fd, uint64_t *h, long long *size)
{
    struct hash64 x = HASH64_INIT;
    char buf[65536];
    ssize_t n;
    long long total = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) {
            hash64_add(&x, buf, (size_t)n);
            total += n;
        }
    if (n < 0)
        return -1;
    *h = hash64_value(&x);
    *size = total;
    return 0;
}

/* ---- file entries ----------------------------------------------------------- */

int cache_put_file(const char *root, const char *name, const char *text, size_t len)
{
    struct strbuf tmp = STRBUF_INIT, dst = STRBUF_INIT;
    sb_addf(&tmp, "%s/.put-XXXXXX", root);
    sb_addf(&dst, "%s/%s", root, name);
    int rc = -1, fd = mkstemp(tmp.buf);
    if (fd >= 0) {
        int slot = tmp_register(tmp.buf, 0);
        const char *p = text;
        size_t left = len;
        ssize_t n = 0;
        while (left && ((n = write(fd, p, left)) > 0 || (n < 0 && errno == EINTR)))
            if (n > 0) {
                p += n;
                left -= (size_t)n;
            }
        int e = left ? (n < 0 ? errno : ENOSPC) : 0;
        fchmod(fd, 0644);
        if (close(fd) != 0 && !e)
            e = errno;
        /* rename replaces a link or a file under the name, never follows */
        if (!e && rename(tmp.buf, dst.buf) != 0)
            e = errno;
        if (e)
            unlink(tmp.buf);
        tmp_forget(slot);
        errno = e;
        rc = e ? -1 : 0;
    }
    sb_release(&tmp);
    sb_release(&dst);
    return rc;
}

void cache_add_sum(struct strbuf *sb)
{
    struct hash64 x = HASH64_INIT;
    hash64_add(&x, sb->buf, sb->len);
    sb_addf(sb, "sum=%016llx\n", (unsigned long long)hash64_value(&x));
}

int cache_sum_ok(char *text, size_t *len)
{
    size_t n = *len;
    /* the last line, "sum=" and 16 hex digits */
    if (n < 21 || text[n - 1] != '\n' || memcmp(text + n - 21, "sum=", 4) ||
        (n > 21 && text[n - 22] != '\n'))
        return 0;
    char *end;
    unsigned long long want = strtoull(text + n - 17, &end, 16);
    if (end != text + n - 1)
        return 0;
    struct hash64 x = HASH64_INIT;
    hash64_add(&x, text, n - 21);
    if (hash64_value(&x) != want)
        return 0;
    text[n - 21] = '\0';
    *len = n - 21;
    return 1;
}

char *cache_fields_text(const char *what, uint64_t key, const char *extra,
                        const struct cache_field *f, int n, const void *obj)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "# ternforge %s result\nkey=%016llx\n%s", what, (unsigned long long)key,
            extra ? extra : "");
    for (int i = 0; i < n; i++) {
        const char *p = (const char *)obj + f[i].off;
        if (f[i].is_double)
            sb_addf(&sb, "%s=%.10g\n", f[i].name, *(const double *)p);
        else
            sb_addf(&sb, "%s=%ld\n", f[i].name, *(const long *)p);
    }
    cache_add_sum(&sb); /* a cut or edited entry is not read as a result */
    return sb_detach(&sb);
}

int cache_fields_parse(char *t, uint64_t key, const struct cache_field *f, int n, void *obj,
                       size_t size)
{
    char *res = xcalloc(1, size);
    uint64_t seen = 0;
    int key_ok = 0;
    if (n > 63)
        BUG("%d cache fields", n);
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        char *eq = strchr(line, '=');
        if (line[0] == '#' || !eq)
            continue;
        *eq = '\0';
        const char *v = eq + 1;
        char *end;
        if (!strcmp(line, "key")) {
            key_ok = strtoull(v, &end, 16) == key && !*end;
            continue;
        }
        for (int i = 0; i < n; i++) {
            if (strcmp(line, f[i].name))
                continue;
            char *p = res + f[i].off;
            if (f[i].is_double)
                *(double *)(void *)p = strtod(v, &end);
            else
                *(long *)(void *)p = strtol(v, &end, 10);
            if (*v && !*end)
                seen |= (uint64_t)1 << i;
        }
    }
    int rc = -1;
    if (key_ok && seen == ((uint64_t)1 << n) - 1) {
        memcpy(obj, res, size);
        rc = 0;
    }
    free(res);
    return rc;
}

int cache_fields_read(const char *path, uint64_t key, const struct cache_field *f, int n,
                      void *obj, size_t size, const char *what)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    size_t len;
    char *t = cache_read(AT_FDCWD, path, 65536, &len);
    int rc = t && cache_sum_ok(t, &len) ? cache_fields_parse(t, key, f, n, obj, size) : -1;
    free(t);
    if (rc)
        warning("%s: warning: the cached %s result is damaged; it is not used", path, what);
    return rc;
}

/* ---- directory entries ----------------------------------------------------- */

int cache_stage_begin(struct cache_stage *s, const char *root, uint64_t key)
{
    memset(s, 0, sizeof *s);
    s->slot = -1;
    struct strbuf d = STRBUF_INIT;
    sb_addf(&d, "%s/.stage-XXXXXX", root);
    if (!mkdtemp(d.buf)) {
        int e = errno;
        sb_release(&d);
        errno = e;
        return -1;
    }
    s->dir = sb_detach(&d);
    s->slot = tmp_register(s->dir, 1);
    chmod(s->dir, 0755); /* readable by the users sharing the cache */
    sb_addf(&s->manifest, "ternforge cache entry 1\nkey=%016llx\n", (unsigned long long)key);
    return 0;
}

int cache_stage_copy(struct cache_stage *s, const char *src, const char *name, int exec)
{
    struct stat st;
    int in = open_regular(AT_FDCWD, src, 1, &st);
    if (in < 0)
        return -1;
    struct strbuf dst = STRBUF_INIT;
    sb_addf(&dst, "%s/%s", s->dir, name);
    int out = open(dst.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   exec ? 0755 : 0644);
    sb_release(&dst);
    struct hash64 x = HASH64_INIT;
    long long total = 0;
    int e = out < 0 ? errno : 0;
    char buf[65536];
    ssize_t n = 0;
    while (!e && ((n = read(in, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))) {
        if (n <= 0)
            continue;
        hash64_add(&x, buf, (size_t)n);
        total += n;
        for (ssize_t off = 0, w; !e && off < n; off += w > 0 ? w : 0)
            if ((w = write(out, buf + off, (size_t)(n - off))) < 0 && errno != EINTR)
                e = errno;
    }
    if (!e && n < 0)
        e = errno;
    close(in);
    if (out >= 0 && close(out) != 0 && !e)
        e = errno;
    if (e) {
        errno = e;
        return -1;
    }
    sb_addf(&s->manifest, "file %s %lld %016llx\n", name, total,
            (unsigned long long)hash64_value(&x));
    return 0;
}

void cache_stage_abort(struct cache_stage *s)
{
    if (s->dir)
        remove_tree(s->dir);
    tmp_forget(s->slot);
    free(s->dir);
    sb_release(&s->manifest);
    memset(s, 0, sizeof *s);
    s->slot = -1;
}

/* Move whatever is at entry out of the way (into a fresh folder, removed
 * after) and the stage in. RENAME_EXCHANGE does it in one step; the
 * fallback takes two, between which a reader finds no entry (a miss, not
 * a wrong entry). */
static int publish_over(const char *stage, const char *entry, const char *root)
{
    if (rename(stage, entry) == 0)
        return 0;
    if (errno != EEXIST && errno != ENOTEMPTY && errno != ENOTDIR && errno != EISDIR)
        return -1;
    /* TERNFORGE_TEST_NO_EXCHANGE: tests take the fallback on any file system */
    if (!getenv("TERNFORGE_TEST_NO_EXCHANGE") &&
        renameat2(AT_FDCWD, stage, AT_FDCWD, entry, RENAME_EXCHANGE) == 0)
    {
        remove_tree(stage); /* the stage now holds the old entry */
        return 0;
    }
    struct strbuf old = STRBUF_INIT, in = STRBUF_INIT;
    sb_addf(&old, "%s/.old-XXXXXX", root);
    int rc = -1;
    if (mkdtemp(old.buf)) {
        sb_addf(&in, "%s/e", old.buf);
        if (rename(entry, in.buf) == 0 && rename(stage, entry) == 0)
            rc = 0;
        int e = errno;
        remove_tree(old.buf);
        errno = e;
    }
    sb_release(&old);
    sb_release(&in);
    return rc;
}

int cache_stage_publish(struct cache_stage *s, const char *entry)
{
    cache_add_sum(&s->manifest);
    struct strbuf m = STRBUF_INIT;
    sb_addf(&m, "%s/" MANIFEST, s->dir);
    int fd = open(m.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    sb_release(&m);
    int e = fd < 0 ? errno : 0;
    if (!e) {
        const char *p = s->manifest.buf;
        size_t left = s->manifest.len;
        ssize_t n = 0;
        while (left && ((n = write(fd, p, left)) > 0 || (n < 0 && errno == EINTR)))
            if (n > 0) {
                p += n;
                left -= (size_t)n;
            }
        if (left)
            e = n < 0 ? errno : ENOSPC;
        if (close(fd) != 0 && !e)
            e = errno;
    }
    char *root = xstrdup(s->dir);
    *strrchr(root, '/') = '\0';
    if (!e && publish_over(s->dir, entry, root) != 0)
        e = errno;
    free(root);
    if (!e) {
        free(s->dir);
        s->dir = NULL; /* it is the entry now */
    }
    cache_stage_abort(s);
    errno = e;
    return e ? -1 : 0;
}

int cache_verify(const char *entry, uint64_t key, const char *exe, int *exe_fd,
                 const char **why)
{
    *why = NULL;
    if (exe_fd)
        *exe_fd = -1;
    struct stat st;
    if (lstat(entry, &st) != 0)
        return -1; /* a miss */
    if (!S_ISDIR(st.st_mode)) {
        *why = "it is not a folder";
        return -1;
    }
    int dir = open(entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) {
        *why = "it cannot be opened";
        return -1;
    }
    size_t n;
    char *m = cache_read(dir, MANIFEST, MANIFEST_MAX, &n);
    int found_exe = 0, fd = -1;
    *why = "its manifest is missing or damaged";
    if (!m || !cache_sum_ok(m, &n))
        goto out;
    char head[64];
    snprintf(head, sizeof head, "ternforge cache entry 1\nkey=%016llx\n", (unsigned long long)key);
    if (strncmp(m, head, strlen(head)))
        goto out;
    for (char *line = strtok(m + strlen(head), "\n"); line; line = strtok(NULL, "\n")) {
        char name[256];
        long long size, got_size;
        unsigned long long h;
        uint64_t got;
        if (sscanf(line, "file %255s %lld %llx", name, &size, &h) != 3 || strchr(name, '/')) {
            *why = "its manifest is missing or damaged";
            goto out;
        }
        int is_exe = exe && !strcmp(name, exe);
        int f = open_regular(dir, name, !is_exe, &st);
        static _Thread_local char buf[320];
        snprintf(buf, sizeof buf, "%s is %s", name,
                 f < 0 ? (errno == ENOENT ? "missing" : "not a regular file") : "not as recorded");
        *why = buf;
        if (f < 0)
            goto out;
        if (fd_hash(f, &got, &got_size) || got_size != size || got != h) {
            close(f);
            goto out;
        }
        if (is_exe && fd < 0) {
            lseek(f, 0, SEEK_SET);
            fd = f;
            found_exe = 1;
        } else {
            close(f);
        }
    }
    if (exe && !found_exe) {
        *why = "its manifest is missing or damaged";
        goto out;
    }
    *why = NULL;
out:
    free(m);
    close(dir);
    if (*why) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (exe_fd)
        *exe_fd = fd;
    else if (fd >= 0)
        close(fd);
    return 0;
}

int make_safe_path(const char *path)
{
    return strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-") ==
           strlen(path);
}
