/* fuzz_tech.c - libFuzzer target: the technology-file reader (tech_load
 * on a .tech path), then the cost model of one design point of each kind
 * under what it accepted. `make fuzz`. */
#include "fuzz_input.h"

#include "../../common/dp.h"
#include "../../model/cost.h"
#include "../../model/kind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n, ".tech");
    struct tech t;
    if (tech_load(&t, path) == 0) {
        static const char *const kinds[] = { "tlut", "tsign", "tmul", "fixp" };
        for (int k = 0; k < 4; k++) {
            struct design_point dp;
            dp_init(&dp);
            if (dp_set(&dp, "kind", kinds[k], "fuzz", "kind") || dp_finalize(&dp))
                abort();
            struct workload wl = { .M = 256, .N = 256, .B = 2, .bw_gbps = 10 };
            struct cost c;
            cost_eval(&dp, &t, &wl, &c);
            cost_components(&dp, &t, &c);
        }
        tech_free(&t);
    }
    unlink(path);
    return 0;
}
