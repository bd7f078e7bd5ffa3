/* tools.h - running external tools (simulators, Yosys, OpenSTA) and the
 * content-keyed cache directory they share. Used by cosim.c and synth.c. */
#ifndef TF_TOOLS_H
#define TF_TOOLS_H

#include "util.h"

/* A NULL-terminated argument vector that owns its strings: built once,
 * then hashed (cache keys), echoed and run as the same array. */
struct args {
    char **v; /* v[n] == NULL once anything was added */
    int n, alloc;
};
#define ARGS_INIT { NULL, 0, 0 }
void args_add(struct args *a, const char *s);
void args_addf(struct args *a, const char *fmt, ...) TF_PRINTF(2, 3);
void args_free(struct args *a);

/* Run argv in directory `dir` (NULL: the current one) with stdout and
 * stderr to `log` (opened before the chdir, so it may be relative).
 * Returns the exit status, 128 + signal, 127 if argv[0] cannot be run, or
 * -1. With verbose, echoes the command to stderr first. */
int run_cmd_in(const char *dir, char *const argv[], const char *log, int verbose);
int run_cmd(char *const argv[], const char *log, int verbose);
/* run_cmd_in, and while it runs a progress line "WHAT: N s" on stderr
 * (for a terminal: the caller decides) unless what is NULL. */
int run_cmd_progress(const char *dir, char *const argv[], const char *log, int verbose,
                     const char *what);

/* The first line `argv` prints (stdout and stderr), or NULL if it cannot
 * be run or exits non-zero. */
char *cmd_first_line(char *const argv[]);

/* 1 if s cannot be written into a tool's script or command file: it holds
 * a control character (a newline starts a new command) or one of `chars`. */
int unsafe_in_script(const char *s, const char *chars);

/* Write text as dir/name (atomically). 0, or -1 with an error printed. */
int write_in_dir(const char *dir, const char *name, const char *text);

/* What copy_fd_to_path does with a file already at the path. */
enum copy_mode {
    /* Replace it atomically (a temporary file renamed over it, as
     * write_file_atomic): a reused --work folder's file is rewritten, and
     * a reader sees the old or the new content whole. Errors printed. */
    COPY_REPLACE,
    /* Never touch it: create the file with O_EXCL | O_NOFOLLOW, failing
     * if anything (a file, a planted link) is there. Silent (-1), for a
     * caller that falls back (a cached object it builds instead). */
    COPY_EXCL,
};
/* Stream what is left of descriptor `in` to path. 0, or -1. A failed
 * COPY_EXCL copy may leave a partial file behind: the caller removes it. */
int copy_fd_to_path(int in, const char *path, enum copy_mode mode);

/* A work folder: `keep` (created if missing) or a fresh
 * $TMPDIR/ternforge-WHAT-XXXXXX, registered for removal on a signal
 * (*slot; -1 for `keep`). Returns 1 for a temporary folder, 0 for keep,
 * -1 with an error printed. */
int work_dir_open(struct strbuf *dir, const char *keep, const char *what, int *slot);

/* Wall-clock seconds from an arbitrary origin (CLOCK_MONOTONIC). */
double wall_seconds(void);

/* Print the last `lines` lines of a log to stderr. */
void show_log(const char *log, int lines);

/* $TERNFORGE_CACHE, else $XDG_CACHE_HOME/ternforge, else
 * ~/.cache/ternforge, else /tmp/ternforge-cache. Caller frees. */
char *cache_root(void);

/* Remove a directory and everything under it (no symlinks followed).
 * Returns 0 or -1 with an error printed. */
int remove_tree(const char *path);

#endif
