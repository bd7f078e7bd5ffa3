/* util.h - error reporting, memory, growable strings, atomic file output.
 *
 * Conventions (after git): die() prints and exits 1; error() prints and
 * returns -1 so callers can collect several errors; warning() prints only;
 * BUG() reports an internal error with the C source location and aborts.
 * User errors carry the user's file:line, internal ones ours. */
#ifndef TF_UTIL_H
#define TF_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define TF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TF_NORETURN __attribute__((noreturn))
#else
#define TF_PRINTF(f, a)
#define TF_NORETURN
#endif

extern const char *tf_progname;
/* Set in a thread to silence error() and warning() there (die() and BUG()
 * still print): a sweep rejects invalid parameter combinations by the
 * return codes of the same checks a parameter file gets, without a
 * message per point. */
extern _Thread_local int tf_quiet;
struct strbuf;
/* When set (in a thread), error() and warning() append their message here
 * instead of printing: a sweep report quotes why a point was rejected. */
extern _Thread_local struct strbuf *tf_capture;

TF_NORETURN void die(const char *fmt, ...) TF_PRINTF(1, 2);
int error(const char *fmt, ...) TF_PRINTF(1, 2);
void warning(const char *fmt, ...) TF_PRINTF(1, 2);
TF_NORETURN void bug_at(const char *file, int line, const char *fmt, ...)
    TF_PRINTF(3, 4);
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
/* After this many errors on stderr a command stops (exit status 1). */
#define TF_MAX_ERRORS 100

/* User input inside a message: at most TF_QUOTE_MAX bytes, then "...";
 * control characters as \t, \n, \r, \xNN. The result lives in a
 * per-thread ring of 8 buffers: enough for the quotes of one message. */
#define TF_QUOTE_MAX 64
const char *tq(const char *s);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A growable, always NUL-terminated string. */
struct strbuf {
    char *buf;
    size_t len, alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addf(struct strbuf *sb, const char *fmt, ...) TF_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) TF_PRINTF(2, 0);
void sb_release(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);

#include "output.h"

/* Read a whole file; NULL and an error message on failure. */
char *read_file(const char *path, size_t *len);

int mkdir_p(const char *path);

/* Bits needed to hold the values 0..n-1 (at least 1). Inline, one
 * count-leading-zeros instruction: the cost model asks for tens of these
 * per design point and prices millions of points a second. */
static inline int clog2(uint64_t n)
{
    /* (n - 1) | 1 makes 1 and 2 one bit without a branch on n <= 2 (a
     * sweep's n, a tree's terms, say, are 2 at some points and not at
     * others: mispredicted); n = 0, never in a sweep, has a test of its
     * own, always predicted */
    if (n == 0)
        return 1;
    return 64 - __builtin_clzll((n - 1) | 1);
}
/* floor(log2(n)) for n >= 1 (-1 for 0). */
static inline int flog2(uint64_t n)
{
    return n ? 63 - __builtin_clzll(n) : -1;
}
/* Set bits of n (without -mpopcnt, __builtin_popcount is a library call). */
static inline int popcount32(uint32_t n)
{
    n = n - ((n >> 1) & 0x55555555u);
    n = (n & 0x33333333u) + ((n >> 2) & 0x33333333u);
    n = (n + (n >> 4)) & 0x0f0f0f0fu;
    return (int)((n * 0x01010101u) >> 24);
}
/* ceil(a / b) for a >= 0, b >= 1; in 32 bits when both fit (a 64-bit
 * division is several times slower on common x86 cores, and the cost
 * model divides a few times per design point). */
static inline long cdiv(long a, long b)
{
    if ((unsigned long)a < 0x80000000UL && (unsigned long)b < 0x80000000UL)
        return (long)(((uint32_t)a + (uint32_t)b - 1) / (uint32_t)b);
    return (a + b - 1) / b;
}
uint64_t fnv1a64(const void *data, size_t n, uint64_t h);
/* memcpy by the C library, never expanded inline: for the few hundred
 * bytes a sweep copies per point, GCC's inline form is `rep movs`, slow
 * to start; the library's vector loop is faster (make bench). */
void lib_memcpy(void *dst, const void *src, size_t n);

/* Zero n bytes (n a multiple of 4, a constant where it is inlined) with
 * 16-byte stores of one zeroed register: the cost model clears a few
 * hundred bytes per point, and memset becomes `rep stos` (slow to start),
 * a copy of a static zero object a load for every store. */
static inline __attribute__((always_inline)) void zero_small(void *p, size_t n)
{
    typedef double v2z __attribute__((vector_size(16)));
    const v2z z = { 0, 0 };
    unsigned char *b = p;
    size_t i = 0;
#pragma GCC unroll 64
    for (; i + 16 <= n; i += 16)
        __builtin_memcpy(b + i, &z, 16);
    if (i + 8 <= n) {
        __builtin_memcpy(b + i, &z, 8);
        i += 8;
    }
    if (i < n)
        __builtin_memcpy(b + i, &z, 4);
}
/* Set n doubles (n a constant where it is inlined) to v, two a store: a
 * sweep marks every figure of every point NAN first (one at a time, 50
 * instructions a point). */
static inline __attribute__((always_inline)) void fill_doubles(double *p, double v, size_t n)
{
    typedef double v2f __attribute__((vector_size(16)));
    const v2f vv = { v, v };
    size_t i = 0;
#pragma GCC unroll 32
    for (; i + 2 <= n; i += 2)
        __builtin_memcpy(p + i, &vv, 16);
    if (i < n)
        p[i] = v;
}
/* Copy n bytes (n a multiple of 4, a constant where it is inlined) with
 * 16-byte loads and stores: for the 340 bytes of a point's parameters,
 * two instructions per 16 bytes, where the C library's memcpy (a call,
 * size dispatch, loop) took about 64 instructions (`rep movs`, GCC's
 * inline form, is slow to start). */
static inline __attribute__((always_inline)) void copy_small(void *dst, const void *src,
                                                             size_t n)
{
    typedef double v2c __attribute__((vector_size(16)));
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t i = 0;
#pragma GCC unroll 64
    for (; i + 16 <= n; i += 16) {
        v2c v;
        __builtin_memcpy(&v, s + i, 16);
        __builtin_memcpy(d + i, &v, 16);
    }
    if (i + 8 <= n) {
        uint64_t v;
        __builtin_memcpy(&v, s + i, 8);
        __builtin_memcpy(d + i, &v, 8);
        i += 8;
    }
    if (i < n) {
        uint32_t v;
        __builtin_memcpy(&v, s + i, 4);
        __builtin_memcpy(d + i, &v, 4);
    }
}
#define FNV1A64_INIT 0xcbf29ce484222325ULL

/* A streaming 64-bit checksum of a byte sequence, 8 bytes a step (several
 * times faster than fnv1a64 on the gigabytes of a large points.csv): the
 * value depends on the bytes only, not on how they are split into calls.
 * It detects damage, not a forger (docs/security.md). */
struct hash64 {
    uint64_t h, tail, n;
};
#define HASH64_INIT { 0x6a09e667f3bcc908ULL, 0, 0 }
void hash64_add(struct hash64 *x, const void *data, size_t n);
uint64_t hash64_value(const struct hash64 *x);

#endif
