/* dp.h - the design point: one struct that the generator, the C model and
 * the cost model all take, so they cannot disagree.
 *
 * Parameters come from params.def; derived quantities (widths, depths,
 * latency) are computed once by dp_finalize() (model/kind.h: the kinds
 * derive them) and stored in `d`. */
#ifndef TF_DP_H
#define TF_DP_H

#include <stddef.h>
#include <stdint.h>

/* The kinds, from the registry kinds.def. */
enum kind {
#define KIND(E, name, flags) KIND_##E,
#include "kinds.def"
    KIND__COUNT
};
_Static_assert(KIND__COUNT <= 32, "param_desc.kinds (unsigned) has a bit per kind");
#define KIND_BIT(k) (1u << (k))
#define KINDS_ALL ((1u << KIND__COUNT) - 1)
/* Flags of a kind in kinds.def. */
enum { KF_TERNARY = 1 };
/* Sets of kinds for params.def, from the flags. */
enum {
    KINDS_TERNARY = 0
#define KIND(E, name, flags) | ((flags) & KF_TERNARY ? KIND_BIT(KIND_##E) : 0)
#include "kinds.def"
};
/* Activation and sum formats, from formats.def (actfmt.h has the table). */
enum act_type {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact, elem, k, scale) ACT_##E,
#define ACC_FORMAT(E, name, sf)
#include "formats.def"
    ACT__COUNT
};
enum acc_type {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact, elem, k, scale)
#define ACC_FORMAT(E, name, sf) ACC_##E,
#include "formats.def"
    ACC__COUNT
};

extern const char *const kind_names[];
extern const char *const act_type_names[];
extern const char *const acc_type_names[];
extern const char *const w_encoding_names[];
extern const char *const acc_overflow_names[];
extern const char *const interface_names[];
extern const char *const reset_names[];
extern const char *const mem_style_names[];
extern const char *const lut_build_names[];
/* tlut lut_build: how the table's entries are written (model/tlut.h). */
enum { LUT_SHARED, LUT_DIRECT };
enum { MEM_FLOPS, MEM_SRAM };
extern const char *const weight_store_names[];
enum { WS_NATIVE, WS_DENSE };
/* weight_store=dense: ternary weights per byte of the stream (base 3). */
#define DENSE_PER_BYTE 5
/* With mem_style=sram, a buffer of at least this many words is a macro:
 * OpenRAM's own test configurations start at 16 words, and the cost
 * fit (docs/cost-model.md, Memories) is extrapolated below that. */
#define SRAM_MIN_WORDS 16
enum { WENC_INT, WENC_POW2 };
enum { IF_NATIVE, IF_AXIS };
enum { RST_SYNC, RST_SYNC_N, RST_ASYNC_N };

/* PT_STR: a name (a Verilog identifier) that renames what gen writes and
 * changes nothing it computes. Its long field holds 0 for the default
 * text (`sdef`) or an index into a table of interned names
 * (dp_str_value), so design points stay plain values that sweeps copy and
 * compare as they are. */
enum param_type { PT_INT, PT_ENUM, PT_STR };

struct param_desc {
    const char *name;
    enum param_type type;
    long def, min, max;
    const char *const *names; /* PT_ENUM: value names, NULL-terminated */
    const char *sdef;         /* PT_STR: the default text */
    int quiet;                /* left out of descriptions at its default; 2: also
                                 of manifest.json and params.xml (PARAM_QINT,
                                 PARAM_QENUM) */
    int gen_only;             /* a name or port shape: not a design dimension */
    unsigned kinds;
    const char *help;
    size_t offset; /* of the long field in struct design_point */
};

extern const struct param_desc param_table[];
extern const int param_count;

/* Derived, filled in by dp_finalize(). Names follow docs/protocol.md. */
struct dp_derived {
    /* Shared by every kind (the streaming shell, gen/shell.c): */
    int outputs;     /* K: outputs per cycle and column (rows of a row group) */
    int acc_lanes;   /* accumulators = result lanes: K x batch (column c's
                        output k is lane c*K + k) */
    int tile_cols;   /* inputs per cycle (L*mu for tlut, P for tsign/tmul) */
    int lane_in_bits;/* bits of one activation lane */
    int stages;      /* control stages: 1 + pipeline registers in the datapath */
    int tree_terms;  /* terms reduced per output and cycle */
    int term_bits;   /* width of one term entering the tree */
    int acc_sat;     /* accumulator saturates instead of wrapping */
    int lane_bits;   /* bits of one result lane (acc_bits unless converted) */
    int lane_signed; /* result lanes are two's complement */
    int acc_need;    /* accumulator bits for an exact sum over max_cols inputs */
    int prefetch;    /* the shell reads the activation buffer a beat ahead */
    /* Kind-specific: */
    int entries;     /* LUT entries (3^mu-1)/2 */
    int key_bits;    /* KW: magnitude code + sign */
    int entry_bits;  /* EW: width of a LUT entry and of a selected term */
    int tree_levels; /* clog2(tree_terms) adder-tree levels (0 for one term) */
    int tree_bits;   /* width of the exact tree output: term_bits + levels */
    int acc_bits;    /* resolved acc_width */
    int acc_auto;    /* acc_width was 0 (auto) */
    int row_bits, col_bits;
    int act_bits, wgt_bits, res_bits; /* stream beat widths */
    int kq_bits;     /* the kind's weight beat, as the weight register holds it:
                        wgt_bits, or with weight_store=dense what the on-core
                        unpacker makes of the wgt_bits/8 bytes */
    int wgt_digits;  /* dense: weights per beat, outputs x tile_cols */
    int buf_depth, buf_addr_bits;     /* activation buffer */
    int act_sram, fifo_sram;          /* mem_style=sram: which buffers are macros */
    int latency;     /* weight beat of a last tile -> its result in the FIFO */
    /* floating point (act_type != int): */
    int fp;            /* 1 for FP activations */
    int act_fmt, acc_fmt; /* enum sf_format of activations and of sums */
    int acc_exp, acc_man; /* exponent and fraction bits of the sum format */
    int act_man;       /* fraction bits of an activation widened into the sum
                          format (element-wise, act_fmt != acc_fmt), else 0 */
    int term_depth;    /* pipeline stages from the weight register to the
                          tree's terms (the FP LUT build, an FP multiplier) */
    int tree_end;      /* control stage where the tree root is valid */
    int acc_lat;       /* stages of the accumulator adder */
    int spacing;       /* cycles between weight beats (1 = every cycle) */
    /* block-scaled act_type (OCP MX, NVFP4; common/mx.h): fp is 1 and
     * act_fmt is -1 (no element-wise widening); test mx first. */
    int mx;            /* block size k along N; 0: element-wise format */
    int mx_elem, mx_scale; /* enum mx_elem, enum mx_scale */
    int elem_bits;     /* minimal signed width of an element integer */
    int elem_point;    /* P: element integer = value * 2^P */
    int mx_flags;      /* special-value flag bits beside each integer (0, 1, 3) */
    int blk_bits;      /* the per-output integer block sum: exact over k */
    int scale_bits;    /* bits of a scale code (8) */
    /* fixp: */
    int x_frac, w_frac, acc_frac, y_frac; /* fraction bits F = W - I */
    int x_ext, w_ext;  /* operand bits as signed numbers (+1 if unsigned) */
    int wcode_bits;    /* bits of one weight in the stream */
    int exp_bits;      /* pow2: bits of the exponent field */
    int shift_base;    /* pow2: product = +-x << (shift_base + e) at acc_frac */
    int conv_shift;    /* acc_frac - y_frac: bits the conversion drops */
};

/* Index of each parameter in param_table and in set_mask: PI_<field>. */
enum param_index {
#define PARAM_INT(f, def, mn, mx, k, h) PI_##f,
#define PARAM_ENUM(f, def, nm, k, h) PI_##f,
#define PARAM_STR(f, def, k, h) PI_##f,
#define PARAM_PORT(f, def, nm, k, h) PI_##f,
#define PARAM_BUILD(f, def, nm, k, h) PI_##f,
#define PARAM_QINT(f, def, mn, mx, k, h) PI_##f,
#define PARAM_QENUM(f, def, nm, k, h) PI_##f,
#include "params.def"
    PI__COUNT
};
_Static_assert(PI__COUNT <= 64, "set_mask (uint64_t) has a bit per parameter");

struct design_point {
#define PARAM_INT(f, def, mn, mx, k, h) long f;
#define PARAM_ENUM(f, def, nm, k, h) long f;
#define PARAM_STR(f, def, k, h) long f;
#define PARAM_PORT(f, def, nm, k, h) long f;
#define PARAM_BUILD(f, def, nm, k, h) long f;
#define PARAM_QINT(f, def, mn, mx, k, h) long f;
#define PARAM_QENUM(f, def, nm, k, h) long f;
#include "params.def"
    uint64_t set_mask;  /* bit i: param_table[i] given explicitly */
    /* The target clock period in ns (attribute and --set clock_ns); 0:
     * none given. A constraint, not part of the RTL: it is not in the
     * fingerprint or the Verilog headers; it goes to the SDC, the
     * manifest, params.xml and the clock of `synth` and `cost`. */
    double clock_ns;
    const char *src;    /* where the point came from, for messages */
    int src_line;
    struct dp_derived d;
};

/* Was parameter i given explicitly (in the file, by --set or a sweep)? */
static inline int dp_was_set(const struct design_point *dp, enum param_index i)
{
    return (int)(dp->set_mask >> i & 1);
}

/* The parameters of kind k (bit i: param_table[i] applies), from
 * params.def. */
extern uint64_t dp_kind_params_[KIND__COUNT];
static inline uint64_t dp_kind_params(long k)
{
    return dp_kind_params_[k];
}

/* The value of parameter p. Inline: a sweep reads the axes of its plots
 * at every point. */
static inline long dp_get(const struct design_point *dp, const struct param_desc *p)
{
    return *(const long *)((const char *)dp + p->offset);
}

/* Set parameter param_table[pi] to v, a value already checked (a sweep
 * reads its values through dp_set), and mark it given. Inline: sweeps set
 * the swept parameters of every point. By index, not by descriptor: the
 * index of a descriptor is a division by its size. */
static inline void dp_put(struct design_point *dp, int pi, long v)
{
    *(long *)((char *)dp + param_table[pi].offset) = v;
    dp->set_mask |= 1ULL << pi;
}

/* Parameter p back to its default, not given. */
static inline void dp_unset(struct design_point *dp, const struct param_desc *p)
{
    *(long *)((char *)dp + p->offset) = p->def;
    dp->set_mask &= ~(1ULL << (p - param_table));
}

void dp_init(struct design_point *dp);
/* *dst = *src, fast: sweeps copy a base point for every point they price. */
void dp_copy(struct design_point *dst, const struct design_point *src);
/* The parameters of *src (everything before the derived values d) into
 * *dst, for a point about to be finalized: dp_finalize recomputes d from
 * zero, so copying it is wasted (about half the struct). */
void dp_copy_params(struct design_point *dst, const struct design_point *src);
const struct param_desc *param_find(const char *name);
/* A parameter of the table, or clock_ns. */
int dp_is_param(const char *name);
/* Set a parameter from text. `loc` is the "file:line" (or "command line")
 * prefix and `what` names the element or option for the message. Prints an
 * error and returns -1 on a bad value. */
int dp_set(struct design_point *dp, const char *name, const char *value,
           const char *loc, const char *what);
/* Does the adder tree get a pipeline register after level `level`
 * (0 = the selected terms, tree_levels = the root)? */
int tree_cut_after(const struct design_point *dp, int level);
/* "name=value" for every parameter, separated by `sep`, resolved values. */
char *dp_describe(const struct design_point *dp, const char *sep);
/* Same for only the parameters that apply to the point's kind. */
char *dp_describe_kind(const struct design_point *dp, const char *sep);
const char *dp_value_str(const struct design_point *dp,
                         const struct param_desc *p, char *buf, size_t n);
uint64_t dp_fingerprint(const struct design_point *dp);
/* The text of a PT_STR parameter (never NULL). */
const char *dp_str(const struct design_point *dp, const struct param_desc *p);
/* The module and file name prefix (parameter `prefix`). */
static inline const char *dp_prefix(const struct design_point *dp)
{
    return dp_str(dp, &param_table[PI_prefix]);
}
/* Apply a list of "NAME=VALUE" overrides (--set). An error they cause is
 * blamed on the command line: "command line: --set NAME=VALUE: error: ...",
 * the form dp_set_loc writes (the argument quoted as tq() does). A name
 * given twice is an error. */
struct strbuf;
void dp_set_loc(struct strbuf *sb, const char *set);
int dp_apply_sets(struct design_point *dp, char **sets, int nsets);
/* Read a parameter file (XML) into dp (from the defaults) and apply
 * overrides, without checking the combination (dp_load in model/kind.h
 * does both). Returns 0 or prints all errors and returns -1. */
int dp_read(struct design_point *dp, const char *path, char **sets, int nsets);

#endif
