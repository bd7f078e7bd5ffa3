/* pareto.c - an archive of mutually non-dominated points (all objectives
 * minimised). Adding a point costs one scan of the archive; the member that
 * last rejected a point moves to the front, because in a sweep most points
 * are dominated by the same few designs. Archives of threads and shards
 * merge into the same set: the non-dominated set of a union is the
 * non-dominated set of the union of the parts' sets. */
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "pareto.h"

void front_init(struct front *f, int k)
{
    memset(f, 0, sizeof *f);
    f->k = k;
}

void front_free(struct front *f)
{
    free(f->idx);
    free(f->obj);
    memset(f, 0, sizeof *f);
}

/* -1: a dominates b; 1: b dominates a; 0: neither (equal vectors too). */
static int dom(const double *a, const double *b, int k)
{
    int a_better = 0, b_better = 0;
    for (int i = 0; i < k; i++) {
        if (a[i] < b[i])
            a_better = 1;
        else if (b[i] < a[i])
            b_better = 1;
    }
    if (a_better && !b_better)
        return -1;
    if (b_better && !a_better)
        return 1;
    return 0;
}

static void swap_members(struct front *f, size_t i, size_t j)
{
    int k = f->k;
    uint64_t t = f->idx[i];
    f->idx[i] = f->idx[j];
    f->idx[j] = t;
    double tmp[FRONT_MAX_K];
    memcpy(tmp, f->obj + i * k, sizeof(double) * k);
    memcpy(f->obj + i * k, f->obj + j * k, sizeof(double) * k);
    memcpy(f->obj + j * k, tmp, sizeof(double) * k);
}

int front_add(struct front *f, uint64_t index, const double *obj)
{
    int k = f->k;
    for (size_t i = 0; i < f->n; i++) {
        if (f->idx[i] == index)
            return 0; /* the same point again (shards of an annealing search) */
        int d = dom(f->obj + i * k, obj, k);
        if (d < 0) {
            if (i)
                swap_members(f, 0, i);
            return 0;
        }
        if (d > 0) {
            /* obj dominates member i; it can dominate others but no member
             * can dominate obj any more (dominance is transitive). */
            size_t w = i;
            for (size_t j = i + 1; j < f->n; j++) {
                if (dom(obj, f->obj + j * k, k) < 0)
                    continue;
                f->idx[w] = f->idx[j];
                memmove(f->obj + w * k, f->obj + j * k, sizeof(double) * k);
                w++;
            }
            f->n = w;
            break;
        }
    }
    if (f->n == f->alloc) {
        f->alloc = f->alloc ? 2 * f->alloc : 64;
        f->idx = xrealloc(f->idx, sizeof *f->idx * f->alloc);
        f->obj = xrealloc(f->obj, sizeof *f->obj * f->alloc * (size_t)k);
    }
    f->idx[f->n] = index;
    memcpy(f->obj + f->n * k, obj, sizeof(double) * k);
    f->n++;
    return 1;
}

void front_merge(struct front *dst, const struct front *src)
{
    for (size_t i = 0; i < src->n; i++)
        front_add(dst, src->idx[i], src->obj + i * src->k);
}

static int cmp_rows(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void front_sort(struct front *f)
{
    int k = f->k;
    size_t row = sizeof(uint64_t) + sizeof(double) * (size_t)k;
    char *tmp = xmalloc(row * (f->n ? f->n : 1));
    for (size_t i = 0; i < f->n; i++) {
        memcpy(tmp + i * row, &f->idx[i], sizeof(uint64_t));
        memcpy(tmp + i * row + sizeof(uint64_t), f->obj + i * k, sizeof(double) * k);
    }
    qsort(tmp, f->n, row, cmp_rows);
    for (size_t i = 0; i < f->n; i++) {
        memcpy(&f->idx[i], tmp + i * row, sizeof(uint64_t));
        memcpy(f->obj + i * k, tmp + i * row + sizeof(uint64_t), sizeof(double) * k);
    }
    free(tmp);
}

int front_has(const struct front *f, uint64_t index)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->idx[mid] < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->n && f->idx[lo] == index;
}
