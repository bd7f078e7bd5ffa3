/* gnuplot.h - plots from data others may have written (sweep names, core
 * labels, technology names) without letting any of it become gnuplot
 * code: strings reach a script only through gp_str() (a single-quoted
 * gnuplot string: no backslash escapes, no `command` or @macro
 * substitution; quotes doubled, control characters replaced), numbers
 * only through data files, and the script names files only inside its own
 * temporary folder. gnuplot runs by fork/exec, never through a shell. */
#ifndef TF_GNUPLOT_H
#define TF_GNUPLOT_H

#include <stddef.h>

#include "util.h"

struct gp {
    char *dir;           /* the temporary folder: data, script, images, log */
    int slot;            /* tmp_register()ed: removed on a signal */
    struct strbuf script;
};

/* Make the temporary folder; 0 or -1 (error printed). */
int gp_begin(struct gp *g);
/* Append s to sb as a gnuplot string literal. */
void gp_str(struct strbuf *sb, const char *s);
/* Append "set WHAT '<the formatted text>' noenhanced" and a newline. */
void gp_setf(struct strbuf *sb, const char *what, const char *fmt, ...) TF_PRINTF(3, 4);
/* Write data to the file NAME in the folder (NAME: letters, digits, '-',
 * '_', '.'); append its quoted path to sb. */
int gp_data(struct gp *g, struct strbuf *sb, const char *name, const char *data, size_t len);
/* Append "set output '<folder>/NAME'" to the script. */
void gp_output(struct gp *g, const char *name);
/* Write the script and run gnuplot on it; on failure print the end of
 * gnuplot's log (the folder is removed by gp_end). */
int gp_run(struct gp *g);
/* Copy the image NAME from the folder to dest (atomically). */
int gp_publish(struct gp *g, const char *name, const char *dest);
/* Remove the folder. */
void gp_end(struct gp *g);

/* `validate --plot`: modelled against measured values (n points) as an
 * SVG, or a PNG when path ends in .png. */
int gp_validate_plot(const char *path, int n, const double *meas, const double *model,
                     const char *what, const char *unit);

#endif
