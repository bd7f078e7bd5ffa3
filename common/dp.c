/* dp.c - the design point: parameter table, value parsing, range and
 * consistency checks, derived widths (see dp.h). */
#include "dp.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fixq.h"
#include "util.h"

const char *const kind_names[] = {
#define KIND(E, name, flags) #name,
#include "kinds.def"
    NULL
};
const char *const w_encoding_names[] = { "int", "pow2", NULL };
const char *const acc_overflow_names[] = { "wrap", "sat", NULL };
const char *const interface_names[] = { "native", "axis", NULL };
const char *const reset_names[] = { "sync", "sync_n", "async_n", NULL };
const char *const mem_style_names[] = { "flops", "sram", NULL };
const char *const lut_build_names[] = { "shared", "direct", NULL };
const char *const weight_store_names[] = { "native", "dense", NULL };
const char *const act_type_names[] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact, elem, k, scale) #name,
#define ACC_FORMAT(E, name, sf)
#include "formats.def"
    NULL
};
const char *const acc_type_names[] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact, elem, k, scale)
#define ACC_FORMAT(E, name, sf) #name,
#include "formats.def"
    NULL
};

const struct param_desc param_table[] = {
#define PARAM_INT(f, def, mn, mx, k, h) \
    { #f, PT_INT, def, mn, mx, NULL, NULL, 0, 0, k, h, offsetof(struct design_point, f) },
#define PARAM_ENUM(f, def, nm, k, h) \
    { #f, PT_ENUM, def, 0, 0, nm, NULL, 0, 0, k, h, offsetof(struct design_point, f) },
#define PARAM_STR(f, def, k, h) \
    { #f, PT_STR, 0, 1, STR_PARAM_MAX, NULL, def, 1, 1, k, h, offsetof(struct design_point, f) },
#define PARAM_PORT(f, def, nm, k, h) \
    { #f, PT_ENUM, def, 0, 0, nm, NULL, 1, 1, k, h, offsetof(struct design_point, f) },
#define PARAM_BUILD(f, def, nm, k, h) \
    { #f, PT_ENUM, def, 0, 0, nm, NULL, 1, 0, k, h, offsetof(struct design_point, f) },
#define PARAM_QINT(f, def, mn, mx, k, h) \
    { #f, PT_INT, def, mn, mx, NULL, NULL, 2, 0, k, h, offsetof(struct design_point, f) },
#define PARAM_QENUM(f, def, nm, k, h) \
    { #f, PT_ENUM, def, 0, 0, nm, NULL, 2, 0, k, h, offsetof(struct design_point, f) },
#include "params.def"
};
const int param_count = (int)(sizeof param_table / sizeof param_table[0]);

/* Names given to PT_STR parameters, interned: equal text, equal index, so
 * design points compare as plain values. Index 0 stands for a parameter's
 * own default and is never stored here. Filled only while parameters are
 * read (one thread); never freed (a handful of short names). */
static char **str_pool;
static long str_count = 1;

static long str_intern(const struct param_desc *p, const char *text)
{
    if (!strcmp(text, p->sdef))
        return 0;
    for (long i = 1; i < str_count; i++)
        if (!strcmp(str_pool[i], text))
            return i;
    str_pool = xrealloc(str_pool, (size_t)(str_count + 1) * sizeof *str_pool);
    str_pool[str_count] = xstrdup(text);
    return str_count++;
}

const char *dp_str(const struct design_point *dp, const struct param_desc *p)
{
    long v = *(const long *)((const char *)dp + p->offset);
    if (p->type != PT_STR)
        BUG("dp_str on parameter %s", p->name);
    if (v < 0 || v >= str_count)
        BUG("parameter %s holds no interned name (%ld)", p->name, v);
    return v ? str_pool[v] : p->sdef;
}

/* A PT_STR value: a Verilog identifier (it starts module and file names)
 * of at most STR_PARAM_MAX characters. */
static int bad_identifier(const char *s)
{
    if (!(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 1;
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return s[n] != '\0' || n > STR_PARAM_MAX;
}

static long *field(struct design_point *dp, const struct param_desc *p)
{
    return (long *)((char *)dp + p->offset);
}

/* A struct assignment this large compiles to `rep movsq`: lib_memcpy
 * (util.h) is about 5 ns faster of the 100 ns a sweep spends per point. */
void dp_copy(struct design_point *dst, const struct design_point *src)
{
    lib_memcpy(dst, src, sizeof *dst);
}

_Static_assert(offsetof(struct design_point, d) + sizeof(struct dp_derived) ==
               sizeof(struct design_point), "the derived values end the point");
void dp_copy_params(struct design_point *dst, const struct design_point *src)
{
    _Static_assert(offsetof(struct design_point, d) % 4 == 0,
                   "copy_small copies 4 bytes at a time or more");
    copy_small(dst, src, offsetof(struct design_point, d));
}

void dp_init(struct design_point *dp)
{
    memset(dp, 0, sizeof *dp);
    for (int i = 0; i < param_count; i++)
        *field(dp, &param_table[i]) = param_table[i].def;
    dp->src = "defaults";
}

const struct param_desc *param_find(const char *name)
{
    for (int i = 0; i < param_count; i++)
        if (!strcmp(param_table[i].name, name))
            return &param_table[i];
    return NULL;
}

static void list_names(struct strbuf *sb, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        sb_addf(sb, "%s%s", i ? ", " : "", names[i]);
}

/* clock_ns: a decimal period in ns, above 0 and at most 1e6 (1 ms). */
static int set_clock(struct design_point *dp, const char *value, const char *loc,
                     const char *what)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end || errno == ERANGE || value[0] == ' ' || value[0] == '+' ||
        !(v > 0 && v <= 1e6))
        return error("%s: error: %s 'clock_ns': '%s' is not a clock period in ns "
                     "(a number above 0, at most 1e6)", loc, what, value);
    dp->clock_ns = v;
    return 0;
}

int dp_is_param(const char *name)
{
    return param_find(name) || !strcmp(name, "clock_ns");
}

int dp_set(struct design_point *dp, const char *name, const char *value,
           const char *loc, const char *what)
{
    const struct param_desc *p = param_find(name);
    if (!p && !strcmp(name, "clock_ns") && *value)
        return set_clock(dp, value, loc, what);
    if (!p)
        return error("%s: error: %s '%s': unknown parameter (see 'ternforge params')",
                     loc, what, tq(name));
    if (!*value)
        return error("%s: error: %s '%s': empty value", loc, what, name);
    if (p->type == PT_STR) {
        if (bad_identifier(value))
            return error("%s: error: %s '%s': '%s' is not a Verilog identifier of at most %d "
                         "characters (letters, digits, '_', not starting with a digit)",
                         loc, what, name, tq(value), STR_PARAM_MAX);
        *field(dp, p) = str_intern(p, value);
        dp->set_mask |= 1ULL << (p - param_table);
        return 0;
    }
    if (p->type == PT_ENUM) {
        for (int i = 0; p->names[i]; i++) {
            if (!strcmp(p->names[i], value)) {
                *field(dp, p) = i;
                dp->set_mask |= 1ULL << (p - param_table);
                return 0;
            }
        }
        struct strbuf sb = STRBUF_INIT;
        list_names(&sb, p->names);
        error("%s: error: %s '%s': '%s' is not one of: %s",
              loc, what, name, tq(value), sb.buf);
        sb_release(&sb);
        return -1;
    }
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    /* strtol skips any leading blank (a tab, a newline too) and takes '+' */
    if (end == value || *end || errno == ERANGE || isspace((unsigned char)value[0]) ||
        value[0] == '+')
        return error("%s: error: %s '%s': '%s' is not a decimal integer",
                     loc, what, name, tq(value));
    if (v < p->min || v > p->max)
        return error("%s: error: %s '%s': value %ld is out of range %ld..%ld",
                     loc, what, name, v, p->min, p->max);
    *field(dp, p) = v;
    dp->set_mask |= 1ULL << (p - param_table);
    return 0;
}

void dp_set_loc(struct strbuf *sb, const char *set)
{
    sb_addf(sb, "command line: --set %s", tq(set));
}

int dp_apply_sets(struct design_point *dp, char **sets, int nsets)
{
    int errs = 0;
    for (int i = 0; i < nsets; i++) {
        struct strbuf loc = STRBUF_INIT;
        dp_set_loc(&loc, sets[i]);
        char *eq = strchr(sets[i], '=');
        size_t n = eq ? (size_t)(eq - sets[i]) : 0;
        int twice = -1;
        for (int j = 0; eq && j < i; j++)
            if (!strncmp(sets[j], sets[i], n) && sets[j][n] == '=')
                twice = j;
        char *name = xstrdup(sets[i]);
        name[n] = '\0';
        if (!eq) {
            error("%s: error: expected NAME=VALUE", loc.buf);
            errs++;
        } else if (twice >= 0) {
            /* which one should win is nobody's guess from the command line */
            error("%s: error: parameter '%s' is already given by --set %s", loc.buf, tq(name),
                  tq(sets[twice]));
            errs++;
        } else if (dp_set(dp, name, eq + 1, loc.buf, "parameter")) {
            errs++;
        }
        free(name);
        sb_release(&loc);
    }
    return errs ? -1 : 0;
}

/* Which tree levels (0 = after the selection, tree_levels = the root) get a
 * pipeline register: s registers spread evenly over levels+1 cut points. */
int tree_cut_after(const struct design_point *dp, int level)
{
    int cuts = dp->d.tree_levels + 1;
    long s = dp->tree_stages;
    return (level + 1) * s / cuts > level * s / cuts;
}

/* Bit i of dp_kind_params_[k]: param_table[i] applies to kind k, from
 * the kinds column of params.def, for any number of kinds. Filled before
 * main() runs: as a constant initializer it would need params.def
 * expanded once per kind, by hand. */
uint64_t dp_kind_params_[KIND__COUNT];

__attribute__((constructor)) static void init_kind_params(void)
{
    for (int k = 0; k < KIND__COUNT; k++)
        for (int i = 0; i < param_count; i++)
            if (param_table[i].kinds & KIND_BIT(k))
                dp_kind_params_[k] |= 1ULL << i;
}

const char *dp_value_str(const struct design_point *dp, const struct param_desc *p,
                         char *buf, size_t n)
{
    long v = dp_get(dp, p);
    if (p->type == PT_ENUM)
        return p->names[v];
    if (p->type == PT_STR)
        return dp_str(dp, p);
    if (!strcmp(p->name, "acc_width") && dp->d.acc_bits && !dp->d.fp)
        v = dp->d.acc_bits; /* resolved */
    snprintf(buf, n, "%ld", v);
    return buf;
}

/* Names, port shapes and the later dimensions (PARAM_BUILD, PARAM_Q*)
 * at their default are left out of descriptions
 * (and so of headers and fingerprints): they came after fingerprints were
 * published, and must not change the bytes or fingerprints of cores that
 * do not use them. So are parameters the point does not use. */
static int default_name(const struct design_point *dp, const struct param_desc *p)
{
    if (p->quiet && dp_get(dp, p) == p->def)
        return 1;
    /* The shift range means nothing to integer weights: leaving it out
     * also gives points that differ only there one fingerprint. */
    return (p == &param_table[PI_shift_min] || p == &param_table[PI_shift_max]) &&
           dp->kind == KIND_FIXP && dp->w_encoding == WENC_INT;
}

static char *describe(const struct design_point *dp, const char *sep, int only_kind)
{
    struct strbuf sb = STRBUF_INIT;
    char buf[32];
    int first = 1;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        if ((only_kind && !(p->kinds & KIND_BIT(dp->kind))) || default_name(dp, p))
            continue;
        sb_addf(&sb, "%s%s=%s", first ? "" : sep, p->name, dp_value_str(dp, p, buf, sizeof buf));
        first = 0;
    }
    return sb_detach(&sb);
}

char *dp_describe(const struct design_point *dp, const char *sep)
{
    return describe(dp, sep, 0);
}

char *dp_describe_kind(const struct design_point *dp, const char *sep)
{
    return describe(dp, sep, 1);
}

/* The FNV-1a hash of dp_describe_kind(dp, " "), computed piece by piece
 * without allocating: sweeps fingerprint a million points. */
uint64_t dp_fingerprint(const struct design_point *dp)
{
    uint64_t h = FNV1A64_INIT;
    char buf[32];
    int first = 1;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        if (!(p->kinds & KIND_BIT(dp->kind)) || default_name(dp, p))
            continue;
        if (!first)
            h = fnv1a64(" ", 1, h);
        first = 0;
        h = fnv1a64(p->name, strlen(p->name), h);
        h = fnv1a64("=", 1, h);
        const char *v = dp_value_str(dp, p, buf, sizeof buf);
        h = fnv1a64(v, strlen(v), h);
    }
    return h;
}
