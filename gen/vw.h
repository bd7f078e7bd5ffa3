/* vw.h - a small Verilog writer: printf with format checking and explicit
 * indentation (vw_begin/vw_end), plus the set of files a generator run
 * produces, written together and atomically. */
#ifndef TF_VW_H
#define TF_VW_H

#include "dp.h"
#include "inventory.h"
#include "util.h"

struct vw {
    struct strbuf sb;
    int indent;
    int bol; /* at the beginning of a line */
    /* Inside a generate block (gen/shell.c: the datapath of each column of
     * a batch): Verilog-2005 forbids a generate region there, so the
     * optional keywords "generate " and " endgenerate" that start and end
     * the emitters' loops are dropped. */
    int in_generate;
};

/* Verilator takes a comment that starts with exactly VL_DIRECTIVE (no
 * blank after the star) as a directive; other tools ignore it. The
 * generator writes two (gen/tlut.c says why), co-simulation builds
 * hierarchically where it finds VL_HIER_BLOCK (sim/cosim.c), and the
 * synthesis key leaves a line that starts with VL_DIRECTIVE out
 * (sim/synth.c): one spelling for the three. */
#define VL_DIRECTIVE "/*verilator "
#define VL_HIER_BLOCK VL_DIRECTIVE "hier_block*/"
#define VL_NO_INLINE VL_DIRECTIVE "no_inline_module*/"

void vw_init(struct vw *w);
void vw_printf(struct vw *w, const char *fmt, ...) TF_PRINTF(2, 3);
/* Print a line and indent what follows. */
void vw_begin(struct vw *w, const char *fmt, ...) TF_PRINTF(2, 3);
/* Outdent, then print a line. */
void vw_end(struct vw *w, const char *fmt, ...) TF_PRINTF(2, 3);
void vw_indent(struct vw *w);
void vw_outdent(struct vw *w);
char *vw_detach(struct vw *w);

/* "{{n{x[w-1]}}, x}": sign-extend signal `x` of width `from` to `to` bits
 * (or its low `to` bits when to < from). Returned string is static-free. */
char *vw_sext(const char *x, int from, int to);

/* The prefix of dp's module and file names (docs/integration.md). */
const char *gen_prefix(const struct design_point *dp);
/* "<prefix><suffix>" (a fresh string): the integration files name
 * themselves and the top through this, e.g. gen_name(dp, "_top"). */
char *gen_name(const struct design_point *dp, const char *suffix);
/* s with every "tf_" that starts an identifier renamed to "<prefix>_", as
 * generate() renames the Verilog (a fresh string): for text written
 * outside generate() that names modules or instances. */
char *gen_rename(const struct design_point *dp, const char *s);

struct gen_files {
    int n, alloc;
    char **name;
    char **text;
    const char *prefix; /* generate(): the design point's name prefix */
};

void gf_init(struct gen_files *gf);
void gf_free(struct gen_files *gf);
/* Takes ownership of text. */
void gf_add(struct gen_files *gf, const char *name, char *text);
/* The header comment every emitted file starts with. */
char *gen_header(const struct design_point *dp, const char *file, const char *what);
/* Add a leaf module from rtl-templates/, with the header prepended. */
int gf_add_template(struct gen_files *gf, const struct design_point *dp,
                    const char *name);

/* Generate all files of a design point into `gf` (+ files.f). */
int generate(const struct design_point *dp, struct gen_files *gf,
             struct inventory *counted);
/* Write the files into dir (created if needed), each atomically: for
 * work folders. */
int gf_write(const struct gen_files *gf, const char *dir);
/* The output folder of `gen`: built beside dir and swapped in whole, so
 * no file of an earlier design stays (output.h, docs/security.md). */
int gf_publish(const struct gen_files *gf, const char *dir);

#endif
