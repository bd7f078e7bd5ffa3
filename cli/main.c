/* main.c - the ternforge command line: a static table of commands (git
 * style), one file per command in cli/, each with its option table and
 * help beside its code (cli/opt.h); and `help`, which reads the table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"
#include "version.h"

static const struct command cmd_help;

static const struct command *const commands[] = {
    &cmd_gen, &cmd_pack, &cmd_run, &cmd_sim, &cmd_quantize, &cmd_params, &cmd_inventory,
    &cmd_cost, &cmd_synth, &cmd_calibrate, &cmd_validate, &cmd_sweep, &cmd_merge, &cmd_help,
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: ternforge [--version] [--help] COMMAND [ARGS]\n\n"
                 "ternforge %s generates and verifies low-precision accelerator cores.\n\n"
                 "Commands:\n", TF_VERSION);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n'ternforge help COMMAND' shows a command's options. Documentation:\n"
                 "README.md and docs/.\n");
}

/* ---- help ---- */
struct help_args {
    const char *cmd;
    int markdown;
};

/* Words after COMMAND are ignored, as they always were. */
static int ignore(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)o, (void)as_typed, (void)val, (void)dest;
    return 0;
}

static const struct opt help_opts[] = {
    { "--markdown", 0, NULL, "print the synopsis and arguments of every command (or of "
      "COMMAND) as Markdown: docs/cli.md is this output", 0, opt_flag,
      offsetof(struct help_args, markdown), 0, 0 },
    { NULL, 0, "COMMAND", "the command to describe; without it, the list of commands", 0,
      opt_str, offsetof(struct help_args, cmd), 0, 0 },
    { NULL, 0, "WORD", "ignored", OPT_HIDDEN | OPT_MULTI, ignore, 0, 0, 0 },
    { 0 }
};

static int run_help(int argc, char **argv)
{
    struct help_args a = { 0 };
    if (opt_parse(&cmd_help, argc, argv, &a))
        return 1;
    const struct command *c = a.cmd ? find_command(a.cmd) : NULL;
    if (a.cmd && !c)
        return error("%s: error: help: no command '%s'", tf_progname, tq(a.cmd)), 1;
    if (a.markdown && c) {
        opt_markdown(stdout, c);
    } else if (a.markdown) {
        printf("# ternforge commands\n\n"
               "Every command with its synopsis and arguments; `ternforge help COMMAND`\n"
               "says what it does. This file is the output of `ternforge help --markdown`,\n"
               "made from the option tables in cli/ that the commands parse with;\n"
               "tests/cli/docs.sh checks that it, README.md and `help` agree with them.\n\n");
        for (int i = 0; i < NCOMMANDS; i++)
            opt_markdown(stdout, commands[i]);
    } else if (c) {
        opt_help(stdout, c);
    } else {
        usage(stdout);
    }
    return 0;
}

static const struct command cmd_help = {
    "help", run_help, "show help for a command", help_opts, NULL,
    "\n"
    "Show a command's synopsis and what it does; without COMMAND, list the\n"
    "commands. 'ternforge COMMAND --help' is the same as 'ternforge help\n"
    "COMMAND'. --markdown prints the synopsis and arguments of every command\n"
    "(or of COMMAND) as Markdown, with a line on each: docs/cli.md.\n",
    0, 0
};

int main(int argc, char **argv)
{
    close_stdout_at_exit(); /* a failed write to stdout is an error (docs/security.md) */
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("ternforge %s\n", TF_VERSION);
        return 0;
    }
    const struct command *c = find_command(argv[1]);
    if (!c) {
        error("%s: error: '%s' is not a command (see 'ternforge --help')", tf_progname,
              tq(argv[1]));
        return 1;
    }
    if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        opt_help(stdout, c);
        return 0;
    }
    return c->run(argc - 1, argv + 1);
}
