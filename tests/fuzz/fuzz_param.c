/* fuzz_param.c - libFuzzer target: the parameter-file reader (dp_load:
 * the XML policy, every attribute, dp_finalize), then the cost model on
 * what it accepted. `make fuzz`; docs/security.md. */
#include "fuzz_input.h"

#include "../../common/dp.h"
#include "../../model/cost.h"
#include "../../model/kind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static struct tech t;
    static int have_tech;
    if (!have_tech) {
        tf_quiet = 1;
        if (tech_load(&t, "osu018"))
            abort();
        have_tech = 1;
    }
    const char *path = fuzz_file(data, n, ".xml");
    struct design_point dp;
    if (dp_load(&dp, path, NULL, 0) == 0) {
        struct workload wl = { .M = 64, .N = 64, .B = 1, .bw_gbps = 10 };
        struct cost c;
        cost_eval(&dp, &t, &wl, &c);
    }
    unlink(path);
    return 0;
}
