/* npy.h - NumPy .npy matrices (format 1.0, 2.0 and 3.0) and the buffered
 * input both matrix readers share. The format is NumPy's
 * (numpy.lib.format): the magic "\x93NUMPY", a version, a header length,
 * a Python dict literal {'descr', 'fortran_order', 'shape'} padded with
 * spaces and ended by '\n', then the elements. docs/params.md lists what
 * is accepted and the messages' byte-offset convention. */
#ifndef TF_NPY_H
#define TF_NPY_H

#include <stddef.h>
#include <stdint.h>

struct matrix;
struct design_point;

/* Element types of .npy files (0 is the default output type). */
enum npy_dtype {
    NPY_I64, NPY_I8, NPY_I16, NPY_I32, NPY_U8, NPY_U16, NPY_U32, NPY_U64,
    NPY_F16, NPY_F32, NPY_F64, NPY__COUNT
};
/* "<i8", "|i1", ... as NumPy writes them, and the NumPy names. */
extern const char *const npy_descr[NPY__COUNT];
extern const char *const npy_names[NPY__COUNT];
int npy_size(enum npy_dtype t);

/* The .npy element type `run -o Y.npy` writes for a design point: int32
 * when every result of the lane fits, else int64; float16 for fp16 sums,
 * float32 for fp32 sums, uint16 bit patterns for bf16 sums. */
int npy_result_dtype(const struct design_point *dp);

/* Buffered input: [p, end) is unread and *end == '\0'. A file, standard
 * input or a buffer handed over in chunks. */
struct mat_in {
    int fd;                    /* -1: memory */
    const unsigned char *mem;  /* memory: the data, what was handed over, per read */
    size_t mem_len, mem_pos, mem_chunk;
    const char *name;          /* for messages */
    char *buf, *p, *end;
    size_t cap;                /* bytes of buf, the sentinel included */
    long long off;             /* file offset of buf[0] */
    long long size;            /* a regular file's size; -1: unknown */
    int eof;
    int text;                  /* a NUL byte is an error (text files) */
};
#define MAT_IN_BUF (1 << 20)
/* Make at least `want` bytes available at in->p, or all up to the end of
 * the input (in->eof). Returns 0, or -1 after a message (read error, NUL
 * byte in text). want must be below MAT_IN_BUF. */
int in_fill(struct mat_in *in, size_t want);
static inline long long in_offset(const struct mat_in *in, const char *p)
{
    return in->off + (long long)(p - in->buf);
}

/* Up to n bytes into dst: what the buffer holds, else one read() (or
 * chunk of memory) straight into dst. Returns the bytes (0: the end), or
 * -1 after a message. */
long long in_take(struct mat_in *in, void *dst, size_t n);

/* Ask for huge pages on a large block (fewer page faults while it fills). */
void mat_advise_huge(void *p, size_t bytes);

/* Grow m->v to hold `need` values (need <= limit): doubling, at most to
 * limit; *cap is the values allocated. */
int mat_grow(struct matrix *m, const char *name, size_t *cap, size_t need, size_t limit);

/* At most 40 bytes of s for a message, control bytes as \xNN; buf holds
 * MAT_QUOTE_SIZE bytes. */
#define MAT_QUOTE_SIZE 161
const char *mat_quote(const char *s, size_t n, char *buf);

/* Starts with the .npy magic? (needs 6 bytes available, or the end) */
int npy_magic(const struct mat_in *in);
/* Read a .npy matrix from in (at the magic). fp_fmt < 0: integers; else
 * the enum sf_format of the bit patterns to produce. compact (integers):
 * int8/int16/int32 data kept as is (m->e, m->et). */
int npy_read(struct matrix *m, struct mat_in *in, int fp_fmt, int compact);
/* The .npy bytes of m (element type m->dtype); NULL (after a message) when
 * a value does not fit it. */
char *npy_format(const struct matrix *m, size_t *len);

#endif
