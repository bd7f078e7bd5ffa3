/* fuzz_input.h - shared by the libFuzzer targets (tests/fuzz/fuzz_*.c):
 * the readers take paths, so each input goes to a file of its own in
 * $TMPDIR first. One file per process, rewritten for every input. */
#ifndef TF_FUZZ_INPUT_H
#define TF_FUZZ_INPUT_H

#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/util.h"

/* The path of a file holding data; suffix: ".xml", ".tech", ... */
static inline const char *fuzz_file(const uint8_t *data, size_t n, const char *suffix)
{
    static char path[512];
    if (!path[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/ternforge-fuzz-%ld%s", t && *t ? t : "/tmp",
                 (long)getpid(), suffix);
        tf_quiet = 1; /* errors are expected; crashes and leaks are the findings */
    }
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, n, fp) != n || fclose(fp) != 0)
        abort();
    return path;
}

#endif
