/* fuzz_sweep.c - libFuzzer target: the sweep-file reader (sweep_load: the
 * XML policy, every element, technologies named in it), the plan, and a
 * few points priced and formatted as rows of points.csv (where a long
 * core label once overflowed the row buffer). `make fuzz`. */
#include "fuzz_input.h"

#include "../../explore/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n, ".xml");
    struct sweep s;
    if (sweep_load(&s, path) == 0 && sweep_plan(&s) == 0 && s.size) {
        struct point *p = malloc(sizeof *p);
        char row[8192];
        uint64_t at[4] = { 0, s.size / 3, s.size / 2, s.size - 1 };
        for (int i = 0; i < 4; i++) {
            sweep_eval(&s, at[i], p);
            sweep_csv_row(&s, p, row, sizeof row);
        }
        free(p);
    }
    sweep_free(&s);
    unlink(path);
    return 0;
}
