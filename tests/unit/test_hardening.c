/* test_hardening.c - the pieces of docs/security.md that are easiest to
 * check from C: the shard checksum does not depend on how bytes are split,
 * quoted input is cut, gnuplot strings stay strings, inputs are bounded,
 * a cache copy made exclusively never writes over anything.
 *
 *   test_hardening [SEED]          the checks; prints "test_hardening: ok"
 *   test_hardening resum FILE      recompute the checksum line of a
 *                                  partial.txt (tests/hostile forges shard
 *                                  results that only the re-pricing catches)
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/rng.h"
#include "../../common/util.h"
#include "../../sim/gnuplot.h"
#include "../../sim/tools.h"

static int fails;
#define CHECK(c, ...)                                                                      \
    do {                                                                                   \
        if (!(c)) {                                                                        \
            fails++;                                                                       \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                    \
            printf(__VA_ARGS__);                                                           \
            printf("\n");                                                                  \
        }                                                                                  \
    } while (0)

static int resum(const char *path)
{
    size_t len;
    char *t = read_file(path, &len);
    if (!t)
        return 1;
    char *sum = strstr(t, "\nsum ");
    size_t body = sum ? (size_t)(sum - t) + 1 : len;
    struct hash64 h = HASH64_INIT;
    hash64_add(&h, t, body);
    struct strbuf sb = STRBUF_INIT;
    sb_add(&sb, t, body);
    sb_addf(&sb, "sum %016llx\n", (unsigned long long)hash64_value(&h));
    int rc = write_file_atomic(path, sb.buf, sb.len);
    sb_release(&sb);
    free(t);
    return rc ? 1 : 0;
}

static void test_hash(uint64_t seed)
{
    struct rng r = { seed };
    unsigned char buf[300];
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = (size_t)rng_range(&r, 0, sizeof buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = (unsigned char)rng_next(&r);
        struct hash64 one = HASH64_INIT, many = HASH64_INIT;
        hash64_add(&one, buf, n);
        for (size_t at = 0; at < n;) {
            size_t k = (size_t)rng_range(&r, 0, (int64_t)(n - at));
            hash64_add(&many, buf + at, k);
            at += k;
        }
        CHECK(hash64_value(&one) == hash64_value(&many), "hash of %zu bytes depends on splits", n);
        if (n) {
            struct hash64 other = HASH64_INIT;
            buf[rng_range(&r, 0, (int64_t)n - 1)] ^= (unsigned char)(1 + rng_range(&r, 0, 254));
            hash64_add(&other, buf, n);
            CHECK(hash64_value(&one) != hash64_value(&other), "one changed byte not seen");
        }
    }
    /* a byte more (a zero) is another text */
    struct hash64 a = HASH64_INIT, b = HASH64_INIT;
    hash64_add(&a, "abc", 3);
    hash64_add(&b, "abc", 4);
    CHECK(hash64_value(&a) != hash64_value(&b), "a trailing NUL byte not seen");
}

static void test_quote(void)
{
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *q = tq(big);
    CHECK(strlen(q) == TF_QUOTE_MAX + 3 && !strcmp(q + TF_QUOTE_MAX, "..."), "tq: '%s'", q);
    CHECK(!strcmp(tq("a\tb\n\x01"), "a\\tb\\n\\x01"), "tq: control characters: '%s'",
          tq("a\tb\n\x01"));
    CHECK(!strcmp(tq("short"), "short"), "tq: a short string changed");
    /* 63 ASCII bytes then a 2-byte character: not cut inside it */
    char u[80];
    memset(u, 'a', 63);
    strcpy(u + 63, "\xc3\xa9zzzz");
    q = tq(u);
    CHECK(strlen(q) == 63 + 3, "tq: cut inside a UTF-8 character ('%s')", q);
    struct strbuf sb = STRBUF_INIT;
    gp_str(&sb, "it's `x` @m \\ \"q\"\nnext");
    CHECK(!strcmp(sb.buf, "'it''s `x` @m \\ \"q\"?next'"), "gp_str: %s", sb.buf);
    sb_release(&sb);
}

/* What a path holds (NULL if it cannot be read). */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", dir, name);
    char *t = read_file(p.buf, len);
    sb_release(&p);
    return t;
}

/* copy_fd_to_path: COPY_EXCL never writes where anything already is (a
 * file, a link), COPY_REPLACE renames a new file over the old one (a
 * reader of the old one keeps it whole) and leaves no temporary behind.
 * The source spans several read buffers. */
static void test_copy(const char *dir, uint64_t seed)
{
    struct rng r = { seed };
    size_t n = 200000 + (size_t)rng_range(&r, 0, 1000);
    char *src = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        src[i] = (char)rng_next(&r);
    struct strbuf in = STRBUF_INIT, old = STRBUF_INIT, link = STRBUF_INIT, fresh = STRBUF_INIT;
    sb_addf(&in, "%s/copy-src", dir);
    sb_addf(&old, "%s/copy-old", dir);
    sb_addf(&link, "%s/copy-link", dir);
    sb_addf(&fresh, "%s/copy-fresh", dir);
    CHECK(!write_file_atomic(in.buf, src, n), "cannot write %s", in.buf);
    CHECK(!write_file_atomic(old.buf, "old\n", 4), "cannot write %s", old.buf);
    CHECK(!symlink("copy-target", link.buf), "cannot make %s", link.buf);
    size_t len;
    char *t;
    for (int mode = 0; mode < 2; mode++) {
        int fd = open(in.buf, O_RDONLY);
        CHECK(fd >= 0, "cannot open %s", in.buf);
        if (mode == COPY_EXCL) {
            CHECK(copy_fd_to_path(fd, old.buf, COPY_EXCL) == -1, "EXCL wrote over a file");
            CHECK(copy_fd_to_path(fd, link.buf, COPY_EXCL) == -1, "EXCL followed a link");
            struct stat st;
            CHECK(stat(link.buf, &st) != 0, "EXCL created a link's target");
            CHECK(copy_fd_to_path(fd, fresh.buf, COPY_EXCL) == 0, "EXCL into a fresh file");
            t = slurp(dir, "copy-fresh", &len);
        } else {
            int keep = open(old.buf, O_RDONLY);
            CHECK(copy_fd_to_path(fd, old.buf, COPY_REPLACE) == 0, "REPLACE failed");
            char buf[8] = "";
            CHECK(read(keep, buf, sizeof buf) == 4 && !memcmp(buf, "old\n", 4),
                  "REPLACE rewrote the file in place, not atomically");
            close(keep);
            t = slurp(dir, "copy-old", &len);
        }
        close(fd);
        CHECK(t && len == n && !memcmp(t, src, n), "mode %d: copy differs from its source",
              mode);
        free(t);
    }
    int files = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        files += !strncmp(e->d_name, "copy-", 5);
    if (d)
        closedir(d);
    CHECK(files == 4, "%d copy-* files, not 4 (a temporary left behind?)", files);
    free(src);
    sb_release(&in);
    sb_release(&old);
    sb_release(&link);
    sb_release(&fresh);
}

static void test_inputs(const char *dir)
{
    size_t len;
    tf_quiet = 1;
    CHECK(!read_input("/dev/zero", &len), "read_input read a device");
    CHECK(!read_input(".", &len), "read_input read a folder");
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/fifo", dir);
    if (mkfifo(p.buf, 0600) == 0) {
        char *t = read_input(p.buf, &len); /* no writer: empty, and no hang */
        CHECK(t && len == 0, "a FIFO without a writer");
        free(t);
    }
    sb_release(&p);
    sb_addf(&p, "%s/big", dir);
    char *blob = xcalloc(2000, 1);
    memset(blob, 'a', 1999);
    write_file_atomic(p.buf, blob, 1999);
    setenv("TERNFORGE_MAX_INPUT_BYTES", "1000", 1);
    CHECK(!read_input(p.buf, &len), "the size limit");
    setenv("TERNFORGE_MAX_INPUT_BYTES", "5000", 1);
    char *t = read_input(p.buf, &len);
    CHECK(t && len == 1999, "a raised size limit");
    free(t);
    blob[500] = '\0';
    /* a file read is an input: no output replaces it (docs/security.md),
     * unless the command allows it (calibrate's technology file) */
    CHECK(write_file_atomic(p.buf, blob, 1999) != 0, "an input written over");
    char big[4096];
    snprintf(big, sizeof big, "%s", p.buf);
    sb_addf(&p, ".link");
    unlink(p.buf);
    CHECK(link(big, p.buf) == 0, "a hard link");
    CHECK(check_output_file(p.buf) != 0, "an input written over through a hard link");
    unlink(p.buf);
    sb_release(&p);
    sb_addf(&p, "%s/big", dir);
    input_allow_write(p.buf);
    CHECK(write_file_atomic(p.buf, blob, 1999) == 0, "an input allowed to be written over");
    CHECK(!read_input(p.buf, &len), "a NUL byte");
    unsetenv("TERNFORGE_MAX_INPUT_BYTES");
    free(blob);
    sb_release(&p);
    tf_quiet = 0;
}

/* validate --plot FILE: a file name that ends a gnuplot string and calls
 * system() must only name the file. */
static void test_plot(const char *dir)
{
    if (system("gnuplot --version > /dev/null 2>&1") != 0) {
        printf("test_hardening: gnuplot not found, plot check skipped\n");
        return;
    }
    /* relative names: a '/' in the file name would name folders */
    if (chdir(dir) != 0)
        die("test_hardening: cannot change to %s", dir);
    struct strbuf path = STRBUF_INIT, pwned = STRBUF_INIT;
    sb_adds(&pwned, "PWNED");
    sb_adds(&path, "x'; system 'touch PWNED'; print '.svg");
    double meas[3] = { 1, 2, 3 }, model[3] = { 1.1, 1.9, 3.2 };
    int rc = gp_validate_plot(path.buf, 3, meas, model, "area", "um2");
    struct stat st;
    CHECK(rc == 0, "gp_validate_plot failed");
    CHECK(stat(path.buf, &st) == 0 && st.st_size > 100, "no plot under the odd name");
    CHECK(stat(pwned.buf, &st) != 0, "gnuplot ran the command in the file name");
    sb_release(&path);
    sb_release(&pwned);
    if (chdir("/") != 0)
        die("test_hardening: cannot change to /");
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "resum"))
        return resum(argv[2]);
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    printf("test_hardening: seed %llu\n", (unsigned long long)seed);
    const char *t = getenv("TMPDIR");
    struct strbuf d = STRBUF_INIT;
    sb_addf(&d, "%s/test_hardening-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(d.buf))
        die("test_hardening: cannot make %s", d.buf);
    test_hash(seed);
    test_quote();
    test_inputs(d.buf);
    test_plot(d.buf);
    test_copy(d.buf, seed);
    if (remove_tree(d.buf))
        fails++;
    sb_release(&d);
    if (fails) {
        printf("test_hardening: %d failures\n", fails);
        return 1;
    }
    printf("test_hardening: ok\n");
    return 0;
}
