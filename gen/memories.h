/* memories.h - the memories of a design point that are SRAM macros
 * (mem_style=sram), and memories.json, the list an SRAM compiler
 * configuration is made from (docs/integration.md, "Memories"). */
#ifndef TF_MEMORIES_H
#define TF_MEMORIES_H

#include "dp.h"

struct tf_memory {
    const char *role;     /* "act_buffer", "result_fifo" */
    const char *instance; /* hierarchical path from the top */
    int depth, width;     /* words, bits per word */
};

/* The macros of dp, in a fixed order; returns how many (at most 2). */
int memories_of(const struct design_point *dp, struct tf_memory m[2]);
/* The text of memories.json (an empty list for mem_style=flops). */
char *memories_json(const struct design_point *dp);

#endif
