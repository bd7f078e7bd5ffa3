/* matrix.h - the matrix text format shared by W, X and Y files:
 * first line "ROWS COLS", then ROWS lines of COLS whitespace-separated
 * decimal integers. '#' starts a comment that runs to the end of the line. */
#ifndef TF_MATRIX_H
#define TF_MATRIX_H

#include <stddef.h>
#include <stdint.h>

struct matrix {
    int rows, cols;
    int64_t *v;     /* row-major */
    int *line;      /* source line of each row, for messages (may be NULL) */
    int hex_digits; /* > 0: values are bit patterns, printed 0x + this many digits */
    const char *path;
};

#define MAT(m, r, c) ((m)->v[(size_t)(r) * (size_t)(m)->cols + (size_t)(c)])

void mat_init(struct matrix *m, int rows, int cols);
void mat_free(struct matrix *m);
/* Read a matrix file; prints "path:line: error: ..." and returns -1. */
int mat_read(struct matrix *m, const char *path);
/* The same with each value converted by conv (returns 0, or -1 when the
 * token is not `what`, e.g. "a decimal number"). */
int mat_read_with(struct matrix *m, const char *path,
                  int (*conv)(const char *tok, size_t n, void *ctx, int64_t *out), void *ctx,
                  const char *what);
/* Format as text (the same format). */
char *mat_format(const struct matrix *m);
/* Write atomically. */
int mat_write(const struct matrix *m, const char *path);
/* Check every value lies in [lo, hi]; `what` names the values. */
int mat_check_range(const struct matrix *m, int64_t lo, int64_t hi, const char *what);

#endif
