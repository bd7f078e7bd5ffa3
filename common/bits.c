/* bits.c - wide bit vectors and their hex form (see bits.h). */
#include "bits.h"

#include <stdlib.h>
#include <string.h>

void bv_init(struct bitvec *bv, int bits)
{
    bv->bits = bits;
    bv->w = xcalloc((size_t)(bits + 31) / 32 + 1, sizeof *bv->w);
}

void bv_free(struct bitvec *bv)
{
    free(bv->w);
    bv->w = NULL;
}

void bv_clear(struct bitvec *bv)
{
    memset(bv->w, 0, ((size_t)(bv->bits + 31) / 32 + 1) * sizeof *bv->w);
}

void bv_put(struct bitvec *bv, int off, int width, uint64_t v)
{
    if (off < 0 || width < 0 || width > 64 || off + width > bv->bits)
        BUG("bv_put out of range: off %d width %d bits %d", off, width, bv->bits);
    for (int i = 0; i < width; i++) {
        int b = off + i;
        uint32_t m = 1u << (b & 31);
        if (v >> i & 1)
            bv->w[b >> 5] |= m;
        else
            bv->w[b >> 5] &= ~m;
    }
}

uint64_t bv_get(const struct bitvec *bv, int off, int width)
{
    if (off < 0 || width < 0 || width > 64 || off + width > bv->bits)
        BUG("bv_get out of range: off %d width %d bits %d", off, width, bv->bits);
    uint64_t v = 0;
    for (int i = 0; i < width; i++) {
        int b = off + i;
        v |= (uint64_t)(bv->w[b >> 5] >> (b & 31) & 1) << i;
    }
    return v;
}

void bv_hex(const struct bitvec *bv, struct strbuf *out)
{
    static const char dig[] = "0123456789abcdef";
    int nd = (bv->bits + 3) / 4;
    sb_grow(out, (size_t)nd);
    for (int d = nd - 1; d >= 0; d--) {
        int b = d * 4;
        unsigned nib = (bv->w[b >> 5] >> (b & 31)) & 15;
        out->buf[out->len++] = dig[nib];
    }
    out->buf[out->len] = '\0';
}

int bv_parse_hex(struct bitvec *bv, const char *s, size_t n)
{
    bv_clear(bv);
    for (size_t i = 0; i < n; i++) {
        char c = s[n - 1 - i];
        unsigned v;
        if (c >= '0' && c <= '9')
            v = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v = (unsigned)(c - 'A' + 10);
        else
            return -1;
        for (int k = 0; k < 4; k++) {
            if (!(v >> k & 1))
                continue;
            int b = (int)i * 4 + k;
            if (b >= bv->bits)
                return -1;
            bv->w[b >> 5] |= 1u << (b & 31);
        }
    }
    return 0;
}
