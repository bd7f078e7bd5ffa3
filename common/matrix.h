/* matrix.h - the matrices W, X and Y and their files: the text format
 * (docs/params.md, "Matrix files") and NumPy .npy files (common/npy.c).
 *
 * Text: an optional first line "ROWS COLS", then rows of whitespace-
 * separated decimal integers ('+' and '-' signs allowed); '#' starts a
 * comment that runs to the end of the line; blank lines are ignored.
 * Without the "ROWS COLS" line (the output of numpy.savetxt(a, fmt='%d'))
 * the shape is the number of rows and of values per row. A first line of
 * exactly two positive integers is always read as "ROWS COLS".
 *
 * A file whose first bytes are the .npy magic is read as .npy, whatever
 * its name; a name ending in ".npy" must hold one. The path "-" reads
 * standard input (once per command). Readers never size memory from a
 * claim in the file: storage grows with the values actually read. */
#ifndef TF_MATRIX_H
#define TF_MATRIX_H

#include <stddef.h>
#include <stdint.h>

/* Element types of a matrix's storage. MAT_I64 is what every user can
 * read (v); the compact types exist so that a 2-billion-weight int8 file
 * costs 2 GB and not 16 (readers asked for them: mat_read_compact). */
enum mat_elem { MAT_I64, MAT_I8, MAT_I16, MAT_I32 };

struct matrix {
    int rows, cols;
    int64_t *v;     /* row-major; NULL while the values are compact (et != MAT_I64) */
    void *e;        /* compact: row-major values of type et (int8_t, int16_t, int32_t) */
    int et;         /* enum mat_elem */
    int *line;      /* text: source line of each row, for messages (may be NULL) */
    int hex_digits; /* > 0: values are bit patterns, printed 0x + this many digits */
    const char *path;
    int head_line;  /* text: line of "ROWS COLS" (or of row 1 without one); 0: 1 */
    /* Read from a .npy file: messages give byte offsets (docs/params.md). */
    int npy;
    int elem_size;       /* bytes per element in the file */
    int col_major;       /* the file was in Fortran order */
    long long data_off;  /* offset of element (0, 0) */
    int dtype;           /* -o Y.npy: the element type (enum npy_dtype; 0: int64) */
    /* Block-scaled activations (act_type mx*, nvfp4): X's block scale
     * codes, ceil(N/k) x B (row j: block j; column b: column b of X), owned
     * (mat_free frees it). NULL: every scale is 1.0 (common/mx.h). */
    struct matrix *scales;
};

/* Element (r, c) of an int64 matrix (et == MAT_I64). */
#define MAT(m, r, c) ((m)->v[(size_t)(r) * (size_t)(m)->cols + (size_t)(c)])

/* Element i (row-major) of a matrix of any element type. */
static inline int64_t mat_get(const struct matrix *m, size_t i)
{
    switch (m->et) {
    case MAT_I8: return ((const int8_t *)m->e)[i];
    case MAT_I16: return ((const int16_t *)m->e)[i];
    case MAT_I32: return ((const int32_t *)m->e)[i];
    default: return m->v[i];
    }
}
#define MAT_GET(m, r, c) mat_get((m), (size_t)(r) * (size_t)(m)->cols + (size_t)(c))

/* Does m hold values (int64 or compact)? */
static inline int mat_has(const struct matrix *m)
{
    return m->v || m->e;
}

/* Limits for every reader: ROWS and COLS at most 2^24, ROWS*COLS at most
 * 2^28 values (2 GiB of int64). */
#define MAT_MAX_DIM (1 << 24)
#define MAT_MAX_VALUES ((int64_t)1 << 28)

void mat_init(struct matrix *m, int rows, int cols);
void mat_free(struct matrix *m);

/* Row r as int8, int16 or int32 (values known to fit), whatever the
 * storage: loops the compiler vectorizes, for the fast model. */
void mat_row_i8(const struct matrix *m, int r, int8_t *out);
void mat_row_i16(const struct matrix *m, int r, int16_t *out);
void mat_row_i32(const struct matrix *m, int r, int32_t *out);

/* Compact m into int64 storage in place (v; e freed). For users that
 * index v. */
void mat_widen(struct matrix *m);
/* m itself when it is int64, else an int64 copy in *tmp (mat_free it
 * after; a shallow copy of m's other fields, but its own copy of the
 * scales): for reference models. */
const struct matrix *mat_wide(const struct matrix *m, struct matrix *tmp);

/* Read a matrix of integers (text, or .npy of an integer dtype); prints
 * "path:line: error: ..." (text) or "path: error: ..." (.npy) and returns
 * -1. */
int mat_read(struct matrix *m, const char *path);
/* The same, kept compact: .npy int8/int16/int32 data as is (one read,
 * no conversion), text narrowed to the smallest of int8/int16/int32
 * that holds every value; users of v call mat_widen() first. */
int mat_read_compact(struct matrix *m, const char *path);

/* Floating-point values, held as bit patterns of format fmt (an enum
 * sf_format): text tokens as sf_parse() reads them (a hex pattern like
 * 0x3c00, or a decimal rounded to nearest even); .npy float16, float32 or
 * float64 values rounded once to nearest even into fmt, or unsigned
 * integers of fmt's width taken as bit patterns. `what` names a value in
 * text messages ("a fp16 value ..."). */
int mat_read_fp(struct matrix *m, const char *path, int fmt, const char *what);

/* Non-negative codes (bit patterns): text tokens "0x" + hex digits or
 * decimal digits, or a .npy of integers; `what` names a value in text
 * messages. The caller checks the range. */
int mat_read_codes(struct matrix *m, const char *path, const char *what);

/* Text only, each token converted by conv (returns 0, or -1 when the token
 * is not `what`, e.g. "a decimal number"; tokens reach conv whole up to
 * 1023 bytes, longer ones cut there). */
int mat_read_with(struct matrix *m, const char *path,
                  int (*conv)(const char *tok, size_t n, void *ctx, int64_t *out), void *ctx,
                  const char *what);

/* The same readers on a buffer (tests, fuzzing): `fp_fmt` < 0 reads
 * integers, else as mat_read_fp; `chunk` > 0 hands the reader at most
 * that many bytes per read, as a pipe would. */
int mat_read_mem(struct matrix *m, const char *name, const void *data, size_t len,
                 int fp_fmt, size_t chunk);
/* mat_read_mem of integers kept compact (mat_read_compact). */
int mat_read_mem_compact(struct matrix *m, const char *name, const void *data, size_t len,
                         size_t chunk);

/* Format as text (the same format, with the "ROWS COLS" line). */
char *mat_format(const struct matrix *m);
/* Write atomically: .npy when path ends in ".npy" (element type m->dtype),
 * else text. */
int mat_write(const struct matrix *m, const char *path);
/* Check every value lies in [lo, hi]; `what` names the values. */
int mat_check_range(const struct matrix *m, int64_t lo, int64_t hi, const char *what);

/* Messages about a matrix: "path:line: error: " + the message for text
 * (the line of row r; r < 0: of the shape), "path: error: " for .npy. */
int mat_error(const struct matrix *m, int r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "row R, column C" (1-based) of element (r, c), with " (byte N)" when it
 * came from a .npy file; buf holds MAT_AT_SIZE bytes. */
#define MAT_AT_SIZE 80
const char *mat_at(const struct matrix *m, int r, int c, char *buf);

/* Does the name end in ".npy"? */
int mat_is_npy_name(const char *path);

#endif
