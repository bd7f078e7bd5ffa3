/* opt.c - the option parser of every command, and the help generated from
 * the same tables (opt.h).
 *
 * Why not getopt_long: glibc's accepts abbreviations (--wei for
 * --weights), --opt=value, bundled and attached short options (-vo DIR,
 * -oDIR), treats a lone "-" as positional, prints its own messages
 * ("unrecognized option", "requires an argument") and stops permuting
 * under POSIXLY_CORRECT, so "run P.xml --weights W" would read --weights
 * as a file. Each of these changes what ternforge accepted or printed;
 * the loop below is the rule all four earlier parsers followed. */
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "util.h"

/* A generated synopsis stays below this column, as most hand-laid ones
 * did. */
#define SYNOPSIS_WIDTH 80

static int is_positional(const struct opt *o)
{
    return !o->name && !o->short_name && !(o->flags & OPT_OTHER);
}

static const struct opt *next_positional(const struct opt *o)
{
    for (; o->set; o++)
        if (is_positional(o))
            return o;
    return NULL;
}

static const struct opt *find(const struct opt *o, const char *word)
{
    const struct opt *other = NULL;
    for (; o->set; o++) {
        if (o->flags & OPT_OTHER)
            other = o;
        else if ((o->name && !strcmp(word, o->name)) ||
                 (o->short_name && word[1] == o->short_name && !word[2]))
            return o;
    }
    return other;
}

int opt_parse(const struct command *c, int argc, char **argv, void *dest)
{
    const struct opt *pos = next_positional(c->opts);
    int options_end = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_end && !strcmp(a, "--")) {
            options_end = 1;
            continue;
        }
        if (!options_end && a[0] == '-') {
            const struct opt *o = find(c->opts, a);
            if (!o)
                return error("%s: error: %s: unknown option '%s' (see 'ternforge help %s')",
                             tf_progname, c->name, tq(a), c->name);
            const char *val = NULL;
            if (o->arg) {
                if (i + 1 >= argc)
                    return error("%s: error: option '%s' needs a value", tf_progname, tq(a));
                val = argv[++i];
            }
            if (o->set(o, a, val, dest))
                return -1;
            continue;
        }
        if (!pos)
            return error("%s: error: %s: unexpected argument '%s'", tf_progname, c->name, tq(a));
        if (pos->set(pos, a, a, dest))
            return -1;
        if (!(pos->flags & OPT_MULTI))
            pos = next_positional(pos + 1);
    }
    return 0;
}

/* ---- setters ---- */

int opt_str(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

int opt_flag(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    (void)val;
    *OPT_DEST(dest, o, int) = 1;
    return 0;
}

int opt_list(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    struct strlist *l = OPT_DEST(dest, o, struct strlist);
    l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (char *)val;
    return 0;
}

int opt_long(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    char *end;
    long v = strtol(val, &end, 10);
    if (!*val || *end || v < o->lo || v > o->hi)
        return error("%s: error: option '%s': '%s' is not an integer in %ld..%ld",
                     tf_progname, tq(as_typed), tq(val), o->lo, o->hi);
    *OPT_DEST(dest, o, long) = v;
    return 0;
}

/* ---- help ---- */

/* "[--engine model|rtl]", "-o DIR", "P.xml", "[--set NAME=VALUE]..." */
static void token(struct strbuf *sb, const struct opt *o)
{
    int bracket = !(o->flags & OPT_REQ);
    if (bracket)
        sb_adds(sb, "[");
    if (o->short_name)
        sb_addf(sb, "-%c", o->short_name);
    else if (o->name)
        sb_adds(sb, o->name);
    if (o->arg)
        sb_addf(sb, "%s%s", is_positional(o) ? "" : " ", o->arg);
    if (bracket)
        sb_adds(sb, "]");
    if (o->flags & OPT_MULTI)
        sb_adds(sb, "...");
}

static void synopsis(struct strbuf *sb, const struct command *c)
{
    if (c->usage) {
        sb_adds(sb, c->usage);
        return;
    }
    size_t start = sb->len;
    sb_addf(sb, "usage: ternforge %s", c->name);
    size_t indent = c->indent ? (size_t)c->indent : sb->len - start + 1, line = start;
    size_t width = c->width ? (size_t)c->width : SYNOPSIS_WIDTH;
    for (const struct opt *o = c->opts; o->set; o++) {
        if (o->flags & (OPT_HIDDEN | OPT_OTHER))
            continue;
        struct strbuf t = STRBUF_INIT;
        token(&t, o);
        if (sb->len - line + 1 + t.len >= width) {
            sb_adds(sb, "\n");
            line = sb->len;
            sb_addf(sb, "%*s", (int)indent, "");
        } else {
            sb_adds(sb, " ");
        }
        sb_adds(sb, t.buf);
        sb_release(&t);
    }
    sb_adds(sb, "\n");
}

void opt_help(FILE *out, const struct command *c)
{
    struct strbuf sb = STRBUF_INIT;
    synopsis(&sb, c);
    sb_adds(&sb, c->text);
    fputs(sb.buf, out);
    sb_release(&sb);
}

/* Markdown table cells: '|' would end the cell. */
static void md_cell(struct strbuf *sb, const char *s)
{
    for (; *s; s++)
        sb_adds(sb, *s == '|' ? "\\|" : (char[]){ *s, 0 });
}

void opt_markdown(FILE *out, const struct command *c)
{
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "## %s: %s\n\n```\n", c->name, c->summary);
    synopsis(&sb, c);
    sb_adds(&sb, "```\n\n");
    int rows = 0;
    for (const struct opt *o = c->opts; o->set; o++) {
        if (o->flags & (OPT_HIDDEN | OPT_OTHER))
            continue;
        if (!rows++)
            sb_adds(&sb, "| argument | meaning |\n|---|---|\n");
        struct strbuf t = STRBUF_INIT;
        if (o->short_name)
            sb_addf(&t, "-%c", o->short_name);
        if (o->short_name && o->name)
            sb_adds(&t, "`, `");
        if (o->name)
            sb_adds(&t, o->name);
        if (o->arg)
            sb_addf(&t, "%s%s", t.len ? " " : "", o->arg);
        sb_adds(&sb, "| `");
        md_cell(&sb, t.buf);
        sb_adds(&sb, "` | ");
        md_cell(&sb, o->help);
        sb_adds(&sb, " |\n");
        sb_release(&t);
    }
    sb_adds(&sb, rows ? "\n" : "");
    fputs(sb.buf, out);
    sb_release(&sb);
}
