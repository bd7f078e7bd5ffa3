/* rng.h - a small deterministic PRNG (splitmix64) for seeded tests: the
 * same seed gives the same vectors on every machine. */
#ifndef TF_RNG_H
#define TF_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s;
};

/* The output of a generator whose state was x: a good 64-bit hash of x. */
static inline uint64_t rng_mix(uint64_t x)
{
    uint64_t z = x + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rng_next(struct rng *r)
{
    uint64_t x = r->s;
    r->s += 0x9e3779b97f4a7c15ULL;
    return rng_mix(x);
}

/* Uniform in [lo, hi]. */
static inline int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(span ? rng_next(r) % span : rng_next(r));
}

#endif
