/* cache.h - entries of the shared cache ($TERNFORGE_CACHE) that are
 * verified before use and published whole (docs/security.md, "Caches").
 *
 * An entry is trusted only as far as its content matches what was recorded
 * when it was published: a directory entry (a compiled simulator) carries
 * a manifest, written last, with the size and checksum of every file and a
 * checksum of the manifest itself; a file entry (a synthesis result) ends
 * in a checksum line. Entries are built aside and appear by one rename,
 * which also replaces a damaged entry (or a link, a file, anything) under
 * the same name. Builders of one key take a lock, so two runs never build
 * the same entry at once; readers need no lock. Nothing here follows a
 * symbolic link inside the cache or reads a device or FIFO planted there. */
#ifndef TF_CACHE_H
#define TF_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* An exclusive lock for building `name` in root: flock on root/name.lock.
 * Returns the descriptor, or -1 with errno set (the cache is not
 * writable); cache_unlock(-1) does nothing. */
int cache_lock(const char *root, const char *name);
void cache_unlock(int fd);

/* Read a cache file at dirfd/name (AT_FDCWD: a path) that must be a
 * regular file (no link followed, no FIFO opened) of at most max bytes.
 * NULL when it is not, without a message. */
char *cache_read(int dirfd, const char *name, size_t max, size_t *len);

/* Write text as root/NAME atomically (a temporary in root renamed over
 * the name, replacing whatever was there). 0, or -1 with errno set. */
int cache_put_file(const char *root, const char *name, const char *text, size_t len);

/* Text ending in "sum=<checksum of everything before>\n"; cache_sum_ok
 * checks and strips that line (1 if present and right). */
void cache_add_sum(struct strbuf *sb);
int cache_sum_ok(char *text, size_t *len);

/* ---- entries of key=value lines ---------------------------------------- */

/* A result struct as cache text: one "name=value" line per field (doubles
 * %.10g, longs %ld), after a "# ternforge WHAT result", a "key=" line and
 * any `extra` lines, ending in the checksum line. Reading it back gives
 * the same bits, so a fresh result can equal a cached one exactly. */
struct cache_field {
    const char *name;
    size_t off;    /* offsetof in the result struct */
    int is_double; /* else long */
};
char *cache_fields_text(const char *what, uint64_t key, const char *extra,
                        const struct cache_field *f, int n, const void *obj);
/* 0 and *obj filled (memset first) if `t` (modified) holds every field
 * and the key; -1 otherwise. n <= 63. */
int cache_fields_parse(char *t, uint64_t key, const struct cache_field *f, int n, void *obj,
                       size_t size);
/* Read the file entry at path: 0 and *obj filled on a hit; -1 on a miss.
 * A damaged entry (cut, edited, a link, a FIFO, a folder) is a miss with
 * a warning naming `what`; the run that follows replaces it. */
int cache_fields_read(const char *path, uint64_t key, const struct cache_field *f, int n,
                      void *obj, size_t size, const char *what);

/* ---- directory entries -------------------------------------------------- */

/* A directory entry being built: a staging folder in root and the files
 * copied into it, in manifest order. */
struct cache_stage {
    char *dir;
    int slot;
    struct strbuf manifest;
};
/* Create root/.stage-XXXXXX. 0, or -1 with errno set. */
int cache_stage_begin(struct cache_stage *s, const char *root, uint64_t key);
/* Copy src into the stage as `name` and record it. 0, or -1 (errno). */
int cache_stage_copy(struct cache_stage *s, const char *src, const char *name, int exec);
/* Write the manifest and publish the stage as entry (replacing anything
 * there). 0, or -1 with errno set; the stage is gone either way. */
int cache_stage_publish(struct cache_stage *s, const char *entry);
void cache_stage_abort(struct cache_stage *s);

/* Verify entry against its manifest for `key`: every file listed is a
 * regular file of the recorded size and checksum. On success returns 0
 * and, if exe is not NULL, a read-only descriptor of that file (verified
 * through this descriptor: a later replacement cannot change what runs).
 * -1 when the entry is missing (*why = NULL) or damaged (*why says how). */
int cache_verify(const char *entry, uint64_t key, const char *exe, int *exe_fd,
                 const char **why);

/* 1 if a path can be used by make (and so by a Verilator build): only
 * letters, digits and / . _ + - (no blank, $, #, quote, ...). */
int make_safe_path(const char *path);

#endif
