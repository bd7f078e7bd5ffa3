/* mx.h - block-scaled activation formats (OCP MX, NVFP4): the element
 * formats, their exact fixed-point integers, the block scales and the
 * per-block conversion into the sum format. docs/block-scaled.md is the
 * contract; formats.def names, per act_type, the element, the block size
 * k and the scale kind. Integer arithmetic only. */
#ifndef TF_MX_H
#define TF_MX_H

#include <stdint.h>

#include "softfloat.h"

/* The element formats (the `elem` column of formats.def). */
enum mx_elem { MXE_NONE, MXE_INT8, MXE_E4M3, MXE_E5M2, MXE_E3M2, MXE_E2M3, MXE_E2M1, MXE__COUNT };
/* The scale formats (the `scale` column). */
enum mx_scale { MXS_NONE, MXS_E8M0, MXS_UE4M3 };

/* Special values beside an element integer: an element, a LUT entry, a
 * tree sum and a block sum carry these flags (OR-ed as they are summed;
 * negation swaps the infinities). */
enum { MXF_NAN = 1, MXF_PINF = 2, MXF_NINF = 4 };

struct mx_elem_info {
    const char *name;  /* "int8", "e4m3", ... */
    int bits;          /* code bits */
    int point;         /* P: integer = value * 2^P */
    int64_t max_pos;   /* largest element integer */
    int64_t max_neg;   /* magnitude of the most negative one */
    int flag_bits;     /* flags the hardware carries: 3 (E5M2), 1 (E4M3), 0 */
    int emax;          /* OCP emax_elem: exponent of the largest normal */
    int sf;            /* the FP8 elements: their enum sf_format, else -1 */
    const struct sf_info *fi; /* FP6/FP4: their format (finite_only) */
};

const struct mx_elem_info *mx_elem(enum mx_elem e);
/* The FP element's format (mx_elem()'s sf or fi), NULL for int8. */
const struct sf_info *mx_elem_fi(enum mx_elem e);

/* The exact integer of element `code` (value * 2^P) and its flags. */
int64_t mx_elem_int(enum mx_elem e, uint32_t code, unsigned *flags);

/* The minimal two's-complement width of an element integer (int8: 8). */
int mx_elem_bits(enum mx_elem e);
/* The minimal two's-complement width holding every sum of c terms, each
 * +-element integer (c >= 1; int8: +128 = -(-128) counts). */
int mx_sum_bits(enum mx_elem e, long c);

/* Scale code (0..255) -> value ms * 2^es; returns 1 for NaN. E8M0:
 * ms = 1, es = code - 127; UE4M3: the E4M3 value of code & 0x7f (the
 * sign bit is ignored), ms = 0 for a zero scale. */
int mx_scale_decode(enum mx_scale s, uint32_t code, uint32_t *ms, int *es);
/* The code of scale 1.0 (E8M0 127, UE4M3 0x38): the scale when none is given. */
uint32_t mx_scale_one(enum mx_scale s);

/* The block converter: T = scale * S_int * 2^-P rounded once into acc
 * format f (RNE, subnormals, overflow to Inf); S_int = 0 without flags
 * gives +0; NaN flags, a NaN scale, +Inf with -Inf, or Inf times a zero
 * scale give f's canonical qNaN; an infinite block gives +-Inf. */
uint32_t mx_block_convert(enum sf_format f, enum mx_elem e, enum mx_scale s, int64_t sum,
                          unsigned flags, uint32_t scale_code);

#endif
