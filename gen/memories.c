/* memories.c - which buffers are SRAM macros, and memories.json (see
 * memories.h). The shell (shell.c) instantiates the wrapper from the same
 * derived flags; tests/run.sh checks this list against the instances
 * parsed from the emitted Verilog. */
#include "memories.h"

#include "util.h"

int memories_of(const struct design_point *dp, struct tf_memory m[2])
{
    const struct dp_derived *d = &dp->d;
    int n = 0;
    if (d->act_sram)
        m[n++] = (struct tf_memory){ "act_buffer", "tf_top.u_act_buf", d->buf_depth,
                                     d->act_bits };
    if (d->fifo_sram)
        m[n++] = (struct tf_memory){ "result_fifo", "tf_top.u_res_fifo.u_mem",
                                     (int)dp->out_depth, d->res_bits + 1 };
    return n;
}

char *memories_json(const struct design_point *dp)
{
    struct tf_memory m[2];
    int n = memories_of(dp, m);
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "{\n  \"format\": \"ternforge-memories-1\",\n"
                 "  \"design_point\": \"%016llx\",\n  \"top\": \"tf_top\",\n"
                 "  \"mem_style\": \"%s\",\n  \"min_words\": %d,\n  \"memories\": [",
            (unsigned long long)dp_fingerprint(dp), mem_style_names[dp->mem_style],
            SRAM_MIN_WORDS);
    for (int i = 0; i < n; i++) {
        sb_addf(&sb, "%s\n    {\n", i ? "," : "");
        sb_addf(&sb, "      \"role\": \"%s\",\n      \"instance\": \"%s\",\n"
                     "      \"module\": \"tf_sram_1r1w\",\n"
                     "      \"depth\": %d,\n      \"width\": %d,\n      \"addr_bits\": %d,\n",
                m[i].role, m[i].instance, m[i].depth, m[i].width, clog2((uint64_t)m[i].depth));
        /* One clock; the write port and the read port are separate (a
         * compiler's 1rw1r macro serves: its rw port only writes). */
        sb_addf(&sb, "      \"ports\": [\n"
                     "        { \"name\": \"w\", \"kind\": \"write\", \"enable\": \"we\", "
                     "\"addr\": \"waddr\", \"data\": \"wdata\" },\n"
                     "        { \"name\": \"r\", \"kind\": \"read\", \"enable\": \"re\", "
                     "\"addr\": \"raddr\", \"data\": \"rdata\" }\n      ],\n"
                     "      \"clock\": \"clk\",\n      \"read_latency\": 1,\n"
                     "      \"read_during_write\": \"never\",\n"
                     "      \"openram\": { \"word_size\": %d, \"num_words\": %d, "
                     "\"num_rw_ports\": 1, \"num_r_ports\": 1, \"num_w_ports\": 0 }\n    }",
                m[i].width, m[i].depth);
    }
    sb_addf(&sb, "%s]\n}\n", n ? "\n  " : "");
    return sb_detach(&sb);
}
