/* fixq.h - bit-exact conversion of exact values into fixed-point formats
 * with the quantization and overflow modes of AMD ap_fixed<W,I,Q,O>
 * (UG1399). docs/fixed-point.md defines every mode with examples.
 *
 * A format has W bits, I of them integer bits (counting the sign bit of a
 * signed format), and F = W - I fraction bits. A raw code c stands for the
 * real value c * 2^-F. I may be negative (F > W: only small magnitudes) or
 * larger than W (F < 0: the step is 2^-F > 1).
 *
 * A conversion first rounds the exact value to a multiple of 2^-F with the
 * quantization mode, then applies the overflow mode to that rounded value
 * if it lies outside the format's range. Every result is exact: there is
 * no binary floating point and no intermediate overflow. */
#ifndef TF_FIXQ_H
#define TF_FIXQ_H

#include <stdint.h>

enum fx_quant {
    FXQ_TRN,         /* toward -inf (floor) */
    FXQ_TRN_ZERO,    /* toward zero */
    FXQ_RND,         /* nearest, ties toward +inf */
    FXQ_RND_ZERO,    /* nearest, ties toward zero */
    FXQ_RND_MIN_INF, /* nearest, ties toward -inf */
    FXQ_RND_INF,     /* nearest, ties away from zero */
    FXQ_RND_CONV,    /* nearest, ties to the even code */
    FXQ__COUNT
};

enum fx_ovf {
    FXO_WRAP,     /* keep the low W bits */
    FXO_SAT,      /* clamp to [min, max] */
    FXO_SAT_ZERO, /* any overflow gives 0 */
    FXO_SAT_SYM,  /* signed: clamp to [-max, max]: positive overflow ->
                   * max, negative overflow -> -max, and a value rounded
                   * to exactly the most negative code -2^(W-1) -> -max
                   * too (as the ap_fixed headers do); unsigned: as SAT */
    FXO__COUNT
};

/* "trn", "trn_zero", "rnd", "rnd_zero", "rnd_min_inf", "rnd_inf",
 * "rnd_conv", NULL - indexed by enum fx_quant. */
extern const char *const fx_quant_names[];
/* "wrap", "sat", "sat_zero", "sat_sym", NULL - indexed by enum fx_ovf. */
extern const char *const fx_ovf_names[];

/* ap_fixed<W,I> (is_signed) or ap_ufixed<W,I>. */
struct fx_format {
    int width;    /* W: 1..64 unsigned, 2..64 signed */
    int int_bits; /* I: -FX_INT_BITS_LIMIT..FX_INT_BITS_LIMIT */
    int is_signed;
};

/* The supported range of int_bits (a limit of this library, far beyond
 * any hardware format): F = W - I stays within about +-16384, which
 * bounds the work of fx_from_decimal. */
#define FX_INT_BITS_LIMIT 16384

/* NULL if f is a supported format, else a static message saying why not.
 * The functions below call BUG() on an unsupported format, so check user
 * input with this first. */
const char *fx_format_check(const struct fx_format *f);

/* The largest and smallest codes of f. For an unsigned 64-bit format the
 * largest code 2^64-1 comes back as the bit pattern -1 (see fx_convert). */
int64_t fx_max_code(const struct fx_format *f);
int64_t fx_min_code(const struct fx_format *f);

/* The index of a mode name ("rnd_conv" -> FXQ_RND_CONV), or -1. */
int fx_quant_lookup(const char *name);
int fx_ovf_lookup(const char *name);

/* Convert the exact value v * 2^-src_frac to format f with quantization q
 * and overflow o. Returns the raw code: the W-bit two's complement
 * (signed) or unsigned code, sign-extended (signed) or zero-extended
 * (unsigned) to 64 bits. An unsigned 64-bit code >= 2^63 has no
 * zero-extended int64_t form: it is returned as its bit pattern, i.e.
 * (int64_t)(uint64_t)code. src_frac is meant to lie in -128..128, but any
 * int gives the exact result. */
int64_t fx_convert(int64_t v, int src_frac, const struct fx_format *f, enum fx_quant q,
                   enum fx_ovf o);

/* The real value of a code, code * 2^-F, as a double (for printing; exact
 * when the code fits in 53 bits and the value in the double range). */
double fx_to_double(int64_t code, const struct fx_format *f);

/* Parse a decimal real and convert it exactly (integer arithmetic only)
 * to f with q and o. Accepted text, nothing before or after it:
 *     [+-] digits [. [digits]] [(e|E) [+-] digits]
 *     [+-] . digits [(e|E) [+-] digits]
 * e.g. "-0.75", "3", "5.", ".5", "1e-3", "+2.5E2". Any number of digits
 * and any exponent are accepted and converted exactly. Returns 0, or -1
 * if the text is not such a number (then *code is untouched). */
int fx_from_decimal(const char *text, const struct fx_format *f, enum fx_quant q,
                    enum fx_ovf o, int64_t *code);

/* Is code a valid raw code of f: -2^(W-1)..2^(W-1)-1 (signed) or
 * 0..2^W-1 (unsigned; for W = 64 every bit pattern is valid)? */
int fx_code_valid(int64_t code, const struct fx_format *f);

#endif
