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

struct matrix {
    int rows, cols;
    int64_t *v;     /* row-major */
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
};

#define MAT(m, r, c) ((m)->v[(size_t)(r) * (size_t)(m)->cols + (size_t)(c)])

/* Limits for every reader: ROWS and COLS at most 2^24, ROWS*COLS at most
 * 2^28 values (2 GiB of int64). */
#define MAT_MAX_DIM (1 << 24)
#define MAT_MAX_VALUES ((int64_t)1 << 28)

void mat_init(struct matrix *m, int rows, int cols);
void mat_free(struct matrix *m);

/* Read a matrix of integers (text, or .npy of an integer dtype); prints
 * "path:line: error: ..." (text) or "path: error: ..." (.npy) and returns
 * -1. */
int mat_read(struct matrix *m, const char *path);

/* Floating-point values, held as bit patterns of format fmt (an enum
 * sf_format): text tokens as sf_parse() reads them (a hex pattern like
 * 0x3c00, or a decimal rounded to nearest even); .npy float16, float32 or
 * float64 values rounded once to nearest even into fmt, or unsigned
 * integers of fmt's width taken as bit patterns. `what` names a value in
 * text messages ("a fp16 value ..."). */
int mat_read_fp(struct matrix *m, const char *path, int fmt, const char *what);

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
