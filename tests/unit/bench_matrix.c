/* bench_matrix.c - matrix reading speed and memory: text and .npy files of
 * the issue-21 workload (a 4096 x 4096 ternary W, a 4096 x 16 X), each
 * read in a fresh child process (best of 5 CPU times, user + system, and
 * of 5 wall times; the child's peak RSS), next to yardsticks built and
 * run here: read() the whole file and strtoll() every token / widen every
 * int8 / nothing more (a file copied into memory), the obvious C code with no checks. "compact" rows read as `run`
 * does (mat_read_compact: int8 data kept as is, text narrowed). Prints
 * numbers; asserts nothing (scripts/bench.sh).
 * usage: bench_matrix DIR   (writes its files into DIR) */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "softfloat.h"
#include "../../sim/tools.h"
#include "matrix.h"
#include "rng.h"

enum how { READ_INT, READ_COMPACT, READ_FP16, YARD_TEXT, YARD_NPY8, YARD_READ };

static char *slurp(const char *path, size_t *n)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st))
        exit(2);
    char *b = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
        if (r <= 0)
            exit(2);
        got += (size_t)r;
    }
    b[got] = '\0';
    close(fd);
    *n = got;
    return b;
}

/* The yardsticks: what a user would write without a reader library. */
static long yard_text(const char *path, long values)
{
    size_t n;
    char *b = slurp(path, &n), *p = b;
    int64_t *v = malloc((size_t)values * sizeof *v);
    strtol(p, &p, 10); /* ROWS COLS */
    strtol(p, &p, 10);
    long i = 0;
    while (i < values)
        v[i++] = strtoll(p, &p, 10);
    long sum = (long)v[values - 1];
    free(b);
    free(v);
    return sum;
}

static long yard_npy8(const char *path, long values)
{
    size_t n;
    char *b = slurp(path, &n);
    const signed char *d = (const signed char *)b + n - values;
    int64_t *v = malloc((size_t)values * sizeof *v);
    for (long i = 0; i < values; i++)
        v[i] = d[i];
    long sum = (long)v[values - 1];
    free(b);
    free(v);
    return sum;
}

/* One measurement in a child: its CPU seconds (user + system, < 0: the
 * read failed), wall seconds and peak RSS. CPU time is what the rates
 * use: on a shared machine it moves far less than wall time. */
struct meas {
    double cpu, wall;
    long rss_kb;
};

static struct meas measure(enum how how, const char *path, long values)
{
    int fd[2];
    if (pipe(fd))
        exit(2);
    fflush(stdout); /* a child's error message would flush it again */
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        struct matrix m;
        double t0 = wall_seconds();
        int rc = 0;
        if (how == READ_INT)
            rc = mat_read(&m, path);
        else if (how == READ_COMPACT)
            rc = mat_read_compact(&m, path);
        else if (how == READ_FP16)
            rc = mat_read_fp(&m, path, SF_FP16, "a fp16 value");
        else if (how == YARD_TEXT)
            yard_text(path, values);
        else if (how == YARD_READ) {
            size_t n;
            free(slurp(path, &n));
        }
        else
            yard_npy8(path, values);
        double t = rc ? -1 : wall_seconds() - t0;
        if (write(fd[1], &t, sizeof t) != sizeof t)
            _exit(2);
        _exit(0);
    }
    close(fd[1]);
    struct meas r = { -1, -1, 0 };
    if (read(fd[0], &r.wall, sizeof r.wall) != sizeof r.wall)
        r.wall = -1;
    close(fd[0]);
    int st;
    struct rusage ru;
    wait4(pid, &st, 0, &ru);
    r.rss_kb = ru.ru_maxrss;
    if (r.wall >= 0)
        r.cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    return r;
}

/* Best of 5 (CPU and wall apart), the largest RSS; prints a line and
 * returns the CPU time (< 0: not readable). */
static double bench(const char *label, enum how how, const char *path, long values,
                    double yard)
{
    struct meas best = { 1e9, 1e9, 0 };
    for (int i = 0; i < 5; i++) {
        struct meas r = measure(how, path, values);
        if (r.cpu < 0) {
            printf("%-44s not readable by this build\n", label);
            return -1;
        }
        best.cpu = r.cpu < best.cpu ? r.cpu : best.cpu;
        best.wall = r.wall < best.wall ? r.wall : best.wall;
        best.rss_kb = r.rss_kb > best.rss_kb ? r.rss_kb : best.rss_kb;
    }
    struct stat st;
    stat(path, &st);
    printf("%-44s %6.1f M values/s  CPU %.3f s  wall %.3f s  peak RSS %4ld MB  file %5.1f MB",
           label, values / best.cpu / 1e6, best.cpu, best.wall, best.rss_kb / 1024,
           st.st_size / 1e6);
    if (yard > 0)
        printf("  %.2fx yardstick", yard / best.cpu);
    printf("\n");
    return best.cpu;
}

/* A NumPy 1.0 header as numpy.save writes it (without the growth room). */
static void npy_header(FILE *f, const char *descr, int rows, int cols)
{
    char dict[128];
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
                     "'shape': (%d, %d), }", descr, rows, cols);
    int pad = 64 - (10 + n + 1) % 64;
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fputc((n + pad + 1) & 0xff, f);
    fputc((n + pad + 1) >> 8, f);
    fprintf(f, "%s%*s\n", dict, pad, "");
}

/* Files: text with and without the shape line, int8 .npy, float32 .npy. */
static void write_files(const char *dir, int M, int N, int B)
{
    char path[4096];
    struct rng r = { 21 };
    size_t mn = (size_t)M * N;
    signed char *w = malloc(mn);
    for (size_t i = 0; i < mn; i++)
        w[i] = (signed char)rng_range(&r, -1, 1);
    for (int head = 1; head >= 0; head--) {
        snprintf(path, sizeof path, "%s/W%s.txt", dir, head ? "" : "_savetxt");
        FILE *f = fopen(path, "w");
        if (head)
            fprintf(f, "%d %d\n", M, N);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
                fprintf(f, "%d%c", w[(size_t)i * N + j], j + 1 < N ? ' ' : '\n');
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/W.npy", dir);
    FILE *f = fopen(path, "wb");
    npy_header(f, "|i1", M, N);
    fwrite(w, 1, mn, f);
    fclose(f);
    signed char *x = malloc((size_t)N * B);
    for (int i = 0; i < N * B; i++)
        x[i] = (signed char)rng_range(&r, -128, 127);
    snprintf(path, sizeof path, "%s/X.txt", dir);
    f = fopen(path, "w");
    fprintf(f, "%d %d\n", N, B);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < B; j++)
            fprintf(f, "%d%c", x[i * B + j], j + 1 < B ? ' ' : '\n');
    fclose(f);
    snprintf(path, sizeof path, "%s/X.npy", dir);
    f = fopen(path, "wb");
    npy_header(f, "|i1", N, B);
    fwrite(x, 1, (size_t)N * B, f);
    fclose(f);
    free(x);
    snprintf(path, sizeof path, "%s/Xfp.txt", dir);
    f = fopen(path, "w");
    fprintf(f, "%d %d\n", N, B);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < B; j++)
            fprintf(f, "%.4f%c", (double)rng_range(&r, -80000, 80000) / 1e4,
                    j + 1 < B ? ' ' : '\n');
    fclose(f);
    snprintf(path, sizeof path, "%s/Xfp.npy", dir);
    f = fopen(path, "wb");
    npy_header(f, "<f4", N, B);
    for (int i = 0; i < N * B; i++) {
        float x = (float)rng_range(&r, -80000, 80000) / 1e4f;
        fwrite(&x, 4, 1, f);
    }
    fclose(f);
    free(w);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_matrix DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    int M = 4096, N = 4096, B = 16;
    write_files(dir, M, N, B);
    char p[4096];
    long mn = (long)M * N;
    snprintf(p, sizeof p, "%s/W.txt", dir);
    double yt = bench("yardstick: read + strtoll, W.txt", YARD_TEXT, p, mn, 0);
    bench("W 4096 x 4096 text (goal >= 100 M values/s)", READ_INT, p, mn, yt);
    bench("W 4096 x 4096 text, compact (as run reads)", READ_COMPACT, p, mn, yt);
    snprintf(p, sizeof p, "%s/W_savetxt.txt", dir);
    bench("W 4096 x 4096 text without 'ROWS COLS'", READ_INT, p, mn, yt);
    snprintf(p, sizeof p, "%s/W.npy", dir);
    double yn = bench("yardstick: read + widen int8, W.npy", YARD_NPY8, p, mn, 0);
    bench("W 4096 x 4096 .npy int8", READ_INT, p, mn, yn);
    double yr = bench("yardstick: read() the whole W.npy", YARD_READ, p, mn, 0);
    bench("W 4096 x 4096 .npy int8, compact (as run reads)", READ_COMPACT, p, mn, yr);
    snprintf(p, sizeof p, "%s/X.txt", dir);
    bench("X 4096 x 16 text int8", READ_INT, p, (long)N * B, 0);
    snprintf(p, sizeof p, "%s/Xfp.txt", dir);
    bench("X 4096 x 16 text decimals -> fp16 (RNE)", READ_FP16, p, (long)N * B, 0);
    snprintf(p, sizeof p, "%s/Xfp.npy", dir);
    bench("X 4096 x 16 .npy float32 -> fp16 (RNE)", READ_FP16, p, (long)N * B, 0);
    return 0;
}
