/* bits.h - wide bit vectors for stream beats: set/get fields at a bit
 * offset, and the hex text form used by .hex stream files (MSB first,
 * exactly ceil(bits/4) lowercase digits). */
#ifndef TF_BITS_H
#define TF_BITS_H

#include <stdint.h>
#include "util.h"

struct bitvec {
    int bits;
    uint32_t *w; /* little-endian words */
};

void bv_init(struct bitvec *bv, int bits);
void bv_free(struct bitvec *bv);
void bv_clear(struct bitvec *bv);
/* Store the low `width` bits of v at bit offset `off` (width <= 64). */
void bv_put(struct bitvec *bv, int off, int width, uint64_t v);
uint64_t bv_get(const struct bitvec *bv, int off, int width);
void bv_hex(const struct bitvec *bv, struct strbuf *out);
/* Parse hex digits (no prefix); -1 if a digit is bad or a set bit lies
 * beyond bv->bits. */
int bv_parse_hex(struct bitvec *bv, const char *s, size_t n);
/* Sign-extend the low `width` bits of v. */
static inline int64_t sext64(uint64_t v, int width)
{
    if (width >= 64)
        return (int64_t)v;
    uint64_t m = 1ULL << (width - 1);
    v &= (1ULL << width) - 1;
    return (int64_t)((v ^ m) - m);
}

#endif
