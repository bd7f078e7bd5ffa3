/* fuzz_matrix.c - libFuzzer target for the matrix readers (text and .npy,
 * integer and floating-point, whole and in pipe-like chunks).
 *
 * The first input byte picks the reading: bits 0-2 the values (0..4: the
 * bit patterns of an enum sf_format, 5..7: integers), bits 3-4 the chunk
 * size of the first read (whole, 1, 7 or 4099 bytes), bit 5 a name ending
 * in ".npy". The rest is the file. Besides crashes and sanitizer reports,
 * it traps on a broken promise: a success with an impossible shape or
 * pattern, a different answer when the same bytes arrive whole or are
 * read into compact storage (integers), or a written matrix (text and
 * .npy) that does not read back the same.
 * Build: make fuzz (tests/fuzz/fuzz_*.c); seeds in tests/fuzz/corpus/matrix/.
 * By hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icommon -o fuzz_matrix \
 *       tests/fuzz/fuzz_matrix.c common/matrix.c common/npy.c common/util.c \
 *       common/softfloat.c
 *   ./fuzz_matrix -max_len=65536 -max_total_time=600 CORPUS_DIR tests/fuzz/corpus/matrix */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "softfloat.h"
#include "matrix.h"
#include "npy.h"
#include "util.h"

static void same(const struct matrix *a, const struct matrix *b)
{
    if (a->rows != b->rows || a->cols != b->cols ||
        memcmp(a->v, b->v, sizeof *a->v * (size_t)a->rows * (size_t)a->cols))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    tf_quiet = 1;
    int mode = data[0];
    data++;
    size--;
    int fp = (mode & 7) < SF__COUNT ? (mode & 7) : -1;
    static const size_t chunks[4] = { 0, 1, 7, 4099 };
    size_t chunk = chunks[(mode >> 3) & 3];
    const char *name = mode & 32 ? "f.npy" : "f.txt";

    struct matrix m, whole;
    int rc = mat_read_mem(&m, name, data, size, fp, chunk);
    int rc2 = mat_read_mem(&whole, name, data, size, fp, 0);
    if (!rc != !rc2)
        __builtin_trap();
    if (fp < 0) {
        struct matrix c;
        if (!mat_read_mem_compact(&c, name, data, size, chunk) != !rc)
            __builtin_trap();
        if (rc && (c.v || c.e))
            __builtin_trap();
        if (!rc && (c.rows != whole.rows || c.cols != whole.cols))
            __builtin_trap();
        for (size_t i = 0; !rc && i < (size_t)c.rows * (size_t)c.cols; i++)
            if (mat_get(&c, i) != whole.v[i])
                __builtin_trap();
        mat_free(&c);
    }
    if (rc) {
        if (m.v || whole.v)
            __builtin_trap();
        return 0;
    }
    same(&m, &whole);
    mat_free(&whole);
    if (m.rows < 1 || m.cols < 1 || m.rows > MAT_MAX_DIM || m.cols > MAT_MAX_DIM ||
        (int64_t)m.rows * m.cols > MAT_MAX_VALUES)
        __builtin_trap();
    size_t n = (size_t)m.rows * (size_t)m.cols;
    if (fp >= 0) {
        int bits = sf_info((enum sf_format)fp)->bits;
        for (size_t i = 0; i < n; i++)
            if (m.v[i] < 0 || m.v[i] >> bits)
                __builtin_trap();
        m.hex_digits = bits / 4;
    }
    /* Text back (patterns in hex), then .npy back (int64 or the pattern's
     * unsigned type). */
    struct matrix back;
    char *s = mat_format(&m);
    if (mat_read_mem(&back, "b.txt", s, strlen(s), fp, 0))
        __builtin_trap();
    same(&m, &back);
    mat_free(&back);
    free(s);
    if (fp < 0 || sf_info((enum sf_format)fp)->bits <= 16) {
        int bits = fp < 0 ? 64 : sf_info((enum sf_format)fp)->bits;
        m.dtype = bits == 64 ? NPY_I64 : bits == 16 ? NPY_U16 : NPY_U8;
        size_t len;
        char *b = npy_format(&m, &len);
        if (mat_read_mem(&back, "b.npy", b, len, fp, 0))
            __builtin_trap();
        same(&m, &back);
        mat_free(&back);
        free(b);
    }
    mat_free(&m);
    return 0;
}
