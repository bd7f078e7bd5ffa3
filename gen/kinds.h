/* kinds.h - the Verilog emitter of every core kind (gen/<kind>.c), declared
 * from the registry common/kinds.def: name##_emit writes the kind's files
 * (the shell around its datapath, its leaf modules) into `out` and counts
 * every component it writes into `counted` (never NULL). generate()
 * (gen/vw.h) calls the point's. */
#ifndef TF_GEN_KINDS_H
#define TF_GEN_KINDS_H

#include "dp.h"
#include "inventory.h"
#include "vw.h"

typedef int (*kind_emit_fn)(const struct design_point *dp, struct gen_files *out,
                            struct inventory *counted);

#define KIND(E, name, flags)                                                         \
    int name##_emit(const struct design_point *dp, struct gen_files *out,            \
                    struct inventory *counted);
#include "kinds.def"

#endif
