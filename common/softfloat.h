/* softfloat.h - bit-exact IEEE-style floating point in software for the
 * activation formats of the cores: fp16, bf16, fp32, OCP FP8 E4M3 and
 * E5M2. docs/floating-point.md is the contract; in short:
 *
 *   - every operation rounds its exact result once, to nearest with ties
 *     to even (RNE), with an unbounded exponent, then checks for overflow;
 *   - gradual underflow: subnormal inputs and results are kept, never
 *     flushed; a nonzero result too small for the smallest subnormal
 *     rounds to a zero with the sign of the exact result;
 *   - overflow gives an infinity of the right sign, except in E4M3, which
 *     has no infinity: there overflow (and an infinite input) gives NaN;
 *   - an exact zero sum is +0 (x + (-x), (+0) + (-0)), except
 *     (-0) + (-0) = -0; a product's sign is the XOR of the signs, zeros
 *     included;
 *   - inf - inf, inf * 0 and any NaN operand give NaN, and EVERY NaN
 *     result is the format's canonical quiet NaN (sf_info()->qnan, sign 0).
 *
 * A value is held as its bit pattern in the low bits of a uint32_t. A
 * pattern with bits set above the format's width is an internal error
 * (BUG()), as is a format outside enum sf_format. The library uses no host
 * floating point (sf_to_double only assembles a double's bits). */
#ifndef TF_SOFTFLOAT_H
#define TF_SOFTFLOAT_H

#include <stddef.h>
#include <stdint.h>

enum sf_format { SF_FP16, SF_BF16, SF_FP32, SF_FP8E4M3, SF_FP8E5M2, SF__COUNT };

/* "fp16", "bf16", "fp32", "fp8e4m3", "fp8e5m2", NULL - indexed by
 * enum sf_format. */
extern const char *const sf_format_names[];

struct sf_info {
    int bits;      /* total width: 8, 16 or 32 */
    int exp_bits;  /* exponent field width */
    int man_bits;  /* stored fraction bits (without the hidden bit) */
    int bias;      /* exponent bias */
    int has_inf;   /* 0 only for E4M3 */
    uint32_t qnan; /* the canonical quiet NaN every NaN result takes */
    int finite_only; /* no Inf, no NaN: every pattern is a number (the MX
                        elements E3M2, E2M3, E2M1; common/mx.c) */
};

const struct sf_info *sf_info(enum sf_format f);

/* The format named name ("fp16", ...), or -1. */
int sf_lookup(const char *name);

/* a + b, a - b (= a + sf_neg(b)), a * b, each rounded once (RNE). */
uint32_t sf_add(enum sf_format f, uint32_t a, uint32_t b);
uint32_t sf_sub(enum sf_format f, uint32_t a, uint32_t b);
uint32_t sf_mul(enum sf_format f, uint32_t a, uint32_t b);

/* -a: flips the sign bit of every non-NaN pattern (zeros and infinities
 * included); a NaN gives the canonical quiet NaN, like every operation. */
uint32_t sf_neg(enum sf_format f, uint32_t a);

/* a in format from, rounded once (RNE) into format to. Exact whenever the
 * value is representable in to (every widening: fp8 -> fp16/bf16/fp32,
 * fp16 -> fp32, bf16 -> fp32, e4m3 -> bf16, e5m2 -> fp16/bf16). Zeros keep
 * their sign, infinities stay infinite, NaN gives to's canonical qNaN.
 * Into E4M3 (non-saturating): a finite value that rounds above 448 and
 * any infinity give NaN (0x7f); 464 is a tie and rounds to 448. to == from
 * returns a unchanged unless it is a NaN. */
uint32_t sf_convert(enum sf_format to, enum sf_format from, uint32_t a);

/* (-1)^sign * mag * 2^exp2 rounded once (RNE) into f, overflow to +-Inf
 * (E4M3: NaN), subnormals kept; mag = 0 gives +0. The MX block
 * converter's rounding (common/mx.c). */
uint32_t sf_scaled_int(enum sf_format f, int sign, uint64_t mag, int exp2);
/* The same into any format described by fi (e.g. an MX element); `sat`:
 * overflow gives the largest finite value of that sign instead. mag's low
 * bit may be a jam bit (softfloat.c) when at least two bits of mag lie
 * below the rounding position. */
uint32_t sf_round_info(const struct sf_info *fi, int sign, int exp2, uint64_t mag, int sat);

/* Decimal text (sf_parse's notation, no hex) as its exact magnitude
 * class: SF_DEC_FIN with value (-1)^sign * q * 2^exp2, q in [2^27, 2^29),
 * its low bit a jam bit (exact for rounding to 25 bits or fewer);
 * magnitudes below 1e-50 are SF_DEC_ZERO, above 1e46 SF_DEC_INF. -1: not
 * a decimal. For MX quantization (cli/quantize.c). */
enum { SF_DEC_ZERO, SF_DEC_FIN, SF_DEC_INF, SF_DEC_NAN };
int sf_decimal_exact(const char *text, int *sign, uint64_t *q, int *exp2);

int sf_is_nan(enum sf_format f, uint32_t a);
int sf_is_inf(enum sf_format f, uint32_t a);  /* 0 for every E4M3 pattern */
int sf_is_zero(enum sf_format f, uint32_t a); /* +0 or -0 */

/* Text into a pattern of format f. Two notations:
 *   - a bit pattern in hex: "0x" (or "0X") and 1 or more hex digits of
 *     either case whose value fits in the format's width ("0x3c00",
 *     "0x7F" for E4M3; "0x10000" is rejected for fp16);
 *   - a decimal real: [+-] digits [. digits] [(e|E) [+-] digits] (at least
 *     one mantissa digit, before or after the point), or [+-]"inf",
 *     [+-]"infinity", [+-]"nan" in any case. The exact decimal value is
 *     rounded once (RNE) as by sf_convert: "65520" -> fp16 inf, "-0" ->
 *     0x8000, "inf" -> E4M3 NaN, any nan -> the canonical qNaN.
 * No white space anywhere. Returns 0 and sets *out, or -1 (*out
 * untouched). */
int sf_parse(enum sf_format f, const char *text, uint32_t *out);

/* "0x" and exactly bits/4 lowercase hex digits ("0x3c00", "0x7e",
 * "0x7fc00000"), truncated to fit n bytes (SF_HEX_SIZE always fits). */
#define SF_HEX_SIZE 11
void sf_format_hex(enum sf_format f, uint32_t a, char *buf, size_t n);

/* The exact value as a double (every format fits). NaN gives a quiet
 * NaN; zeros keep their sign. For printing and tests. */
double sf_to_double(enum sf_format f, uint32_t a);

#endif
