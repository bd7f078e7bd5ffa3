/* output.h - what ternforge writes appears whole or not at all, and what
 * it reads is bounded (docs/security.md).
 *
 *  - Single files go to a fresh temporary beside the target and are
 *    renamed over it; an existing target that is not a regular file (a
 *    device, a FIFO, a symbolic link, a directory) is refused, never
 *    replaced. "-" is standard output.
 *  - Output folders (gen -o, sweep -o, merge -o) are built beside the
 *    target and swapped in as a whole; an existing folder is replaced only
 *    when everything in it is what the command writes.
 *  - Temporaries are registered and removed on exit and on SIGINT,
 *    SIGTERM, SIGHUP and SIGQUIT (async-signal-safe removal).
 *  - Inputs from files others may have written (parameter, sweep and
 *    technology files) are read whole, up to a size limit, and never from
 *    a device. */
#ifndef TF_OUTPUT_H
#define TF_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* ---- temporaries ----------------------------------------------------- */

/* Remember a temporary file (tree 0) or folder (tree 1) of this process
 * for removal if the process is interrupted or exits before tmp_forget.
 * Returns a slot, or -1 when the table is full (then it is not removed). */
int tmp_register(const char *path, int tree);
void tmp_forget(int slot);

/* A tool started in process group pgid (its own pid): killed with all it
 * started, and waited for, before the temporaries are removed on a
 * signal. Returns a slot for child_forget (-1: table full). */
int child_register(pid_t pgid);
void child_forget(int slot);

/* ---- single files ---------------------------------------------------- */

/* Atomic output: data goes to a fresh "<path>.tmp-XXXXXX" (O_EXCL, so a
 * planted symbolic link is never followed) and appears under <path> only
 * on af_commit(), so a failed command leaves no partial file. "-" writes
 * standard output. */
struct af_sink;
struct atomic_file {
    FILE *fp;
    char *path, *tmp;
    int slot;
    struct af_sink *sink; /* keeps the errno of a failed write */
};
int af_open(struct atomic_file *af, const char *path);
int af_commit(struct atomic_file *af);
void af_abort(struct atomic_file *af);
/* Write a whole buffer to a path atomically. */
int write_file_atomic(const char *path, const char *data, size_t len);
/* 0 if path may be written (absent, or a regular file that is none of the
 * inputs input_note() recorded); else an error is printed and -1
 * returned. */
int check_output_file(const char *path);
/* Record the regular file open on fd as an input of this process: no
 * output file replaces it, and no output folder holding it is replaced
 * (read_input() records its files itself). */
void input_note(int fd);
/* 0 if path may be a --work folder (absent, or a folder); else an error
 * is printed and -1 returned. */
int check_work_dir(const char *path);
/* The input at path may be written over after all (calibrate -o FILE
 * updating the technology file it started from). */
void input_allow_write(const char *path);

/* ---- inputs ---------------------------------------------------------- */

/* Most bytes read from a parameter, sweep or technology file: 1 MiB, or
 * $TERNFORGE_MAX_INPUT_BYTES. */
size_t input_limit(void);
/* input_limit(), but at least floor (files larger by nature: Verilog,
 * Liberty). */
size_t input_limit_at_least(size_t floor);
/* A path to read from: it exists and is a regular file or a FIFO (never a
 * device, a socket or a folder); st gets its stat. 0, or -1 with an error
 * printed. */
struct stat;
int check_input_path(const char *path, struct stat *st);
/* Open such a path for reading (a FIFO without a writer reads as empty
 * rather than blocking): a descriptor, or -1 with an error printed. */
int open_input(const char *path);
/* Read a file others may have written: a regular file or a pipe, at most
 * input_limit() bytes, no NUL byte. NULL and a message on failure. */
char *read_input(const char *path, size_t *len);
/* The same with another limit (a user's Verilog, `sim --rtl`: generated
 * RTL runs to several MB). */
char *read_input_max(const char *path, size_t *len, size_t max);

/* ---- output folders -------------------------------------------------- */

/* Which names a command writes into its folder (1: ours). An existing
 * folder holding anything else is not replaced. A subfolder SUB is ours
 * when "SUB/" is and everything in it is, as "SUB/NAME". */
int od_gen_file(const char *name);
/* name is one of the files gen writes for the prefix `prefix`: <prefix>_*,
 * <prefix>.sdc, <prefix>.core. */
int od_prefix_file(const char *name, const char *prefix);
int od_sweep_file(const char *name);

struct outdir {
    char *path;   /* the target, as given (without trailing '/') */
    char *tmp;    /* the folder being built: write here */
    int slot;
    int (*ours)(const char *name);
    char **made;  /* parent folders created for it, removed on abort */
    int nmade;
};
/* Check the target and create the folder to build in (od->tmp). */
int od_begin(struct outdir *od, const char *path, int (*ours)(const char *name));
/* 1 if a and b name the same existing file or folder. */
int same_inode(const char *a, const char *b);
/* Whether two output paths name one file, existing or not (the same
 * name, the same inode, or the same resolved folder and name). */
int same_output(const char *a, const char *b);
/* Publish od->tmp as od->path in one step; on failure nothing changes. */
int od_commit(struct outdir *od);
/* Remove what od_begin made. Safe after a failed od_begin or od_commit. */
void od_abort(struct outdir *od);

/* ---- standard output ------------------------------------------------- */

/* At exit, flush and close standard output; on a write error say why and
 * exit 1 (git and gnulib do the same): `ternforge params > /dev/full`
 * must not succeed. Call once, first thing in main. */
void close_stdout_at_exit(void);

#endif
