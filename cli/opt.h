/* opt.h - one option table per command: parsing, the usage synopsis of
 * `help CMD` and the Markdown reference (`help --markdown`, docs/cli.md)
 * all come from it.
 *
 * A table is an array of struct opt ended by an entry without set(). An
 * entry is an option (name and/or short_name) or, with neither, a
 * positional argument; positionals take the command line's non-option
 * words in table order. set() stores the value into the command's option
 * struct at `off` (offsetof) and checks it, printing the error itself so
 * every option keeps its exact message.
 *
 * The rules (kept from the hand-written parsers they replace; getopt_long
 * differs in each, see cli/opt.c): an option is matched whole, no
 * abbreviations, no --opt=value, no bundled short options; every word
 * that starts with '-' is an option, until "--", after which every word
 * is positional; a repeated option is applied again (the last value wins,
 * lists grow). */
#ifndef TF_OPT_H
#define TF_OPT_H

#include <stddef.h>
#include <stdio.h>

struct opt;
/* as_typed: the word on the command line ("-v" or "--verbose"); val:
 * the value (NULL for an option without arg; the word for a positional).
 * Returns 0, or -1 after printing an error. */
typedef int opt_set_fn(const struct opt *o, const char *as_typed, const char *val,
                       void *dest);

enum {
    OPT_REQ = 1,     /* shown without [ ] in the synopsis (the command
                        checks it, with its own message) */
    OPT_MULTI = 2,   /* shown with "...": repeatable option, or a
                        positional that takes every remaining word */
    OPT_HIDDEN = 4,  /* accepted, but in no synopsis or reference */
    OPT_OTHER = 8,   /* matches every option no other entry matches */
};

struct opt {
    const char *name;   /* "--weights", or NULL */
    char short_name;    /* 'o' for "-o", or 0 */
    const char *arg;    /* what the value is called ("W.txt"); NULL: no value */
    const char *help;   /* one line for the reference */
    int flags;
    opt_set_fn *set;
    size_t off;         /* where set() writes in the command's struct */
    long lo, hi;        /* range for opt_long */
};

/* A command of the table in cli/main.c. Its help is "usage: " and the
 * synopsis (generated from opts unless `usage` lays it out by hand, for
 * alternative forms and nested options; tests/cli/docs.sh checks those
 * against the table), then `text`. */
struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    const char *summary;               /* one line for `ternforge --help` */
    const struct opt *opts;
    const char *usage;                 /* NULL: generated */
    const char *text;
    /* Layout of a generated synopsis, to keep the lines laid out by hand
     * before: continuation indent (0: under the first argument) and the
     * column lines stay below (0: 80). */
    int indent, width;
};

/* Parse argv[1..argc-1] into dest by c->opts. 0, or -1 after an error. */
int opt_parse(const struct command *c, int argc, char **argv, void *dest);

/* `help CMD`, and one command's section of `help --markdown`. */
void opt_help(FILE *out, const struct command *c);
void opt_markdown(FILE *out, const struct command *c);

/* A list of strings (--set NAME=VALUE ...); free v afterwards. */
struct strlist {
    char **v;
    int n;
};

/* Setters for the common kinds of values. */
opt_set_fn opt_str;     /* const char *: the value as given */
opt_set_fn opt_flag;    /* int: 1 */
opt_set_fn opt_list;    /* struct strlist: appended */
opt_set_fn opt_long;    /* long in lo..hi */

/* A pointer into the command's option struct. */
#define OPT_DEST(dest, o, type) ((type *)(void *)((char *)(dest) + (o)->off))

#endif
