/* tlut.h - the ternary LUT core (kind "tlut"): shared facts about its
 * architecture used by its C model (model/tlut.c) and its emitter
 * (gen/tlut.c). */
#ifndef TF_MODEL_TLUT_H
#define TF_MODEL_TLUT_H

#include <stdint.h>
#include "dp.h"

/* How LUT entry m (1..entries) is built with one adder from earlier ones.
 * m's balanced-ternary digits d_i give entry(m) = sum d_i a_i. Its top
 * digit j is +1, so m = 3^j + r with |r| < m and
 *   entry(m) = a_j                     if r == 0
 *            = a_j + entry(r)          if r > 0
 *            = a_j - entry(-r)         if r < 0.
 * This needs (3^mu-1)/2 - mu adders: the minimum for a table without
 * zero terms where every entry is one addition of earlier results. */
struct lut_step {
    int top;    /* j: the activation lane a_j */
    int sub;    /* |r|, or 0 when entry(m) = a_j */
    int neg;    /* r < 0 */
    int terms;  /* non-zero digits of m: the number of activations summed */
};

/* lut_build=direct writes entry m as the sum of its non-zero terms d_i a_i,
 * i increasing, one adder per term after the first (and, for integers, a
 * negation when the first term is -a_i): no entry reuses another. The
 * digits of m: d[0..mu-1] in {-1, 0, +1}; returns how many are non-zero. */
int tlut_digits(int mu, long m, int8_t *d);

/* Fill steps[1..entries]; steps[0] is unused. */
void tlut_recipe(int mu, struct lut_step *steps);
/* Bits of an entry that sums `terms` w-bit activations: w + ceil(log2
 * terms). Its top digit is +1, so it never reaches +terms * 2^(w-1). */
int tlut_entry_bits(int w, int terms);
/* Key of a group of mu ternary weights (w[0] applies to lane 0):
 * v = sum w_i 3^i, key = {v < 0, |v|} with the sign in bit key_bits-1. */
unsigned tlut_key(const int8_t *w, int mu, int key_bits);

#endif
