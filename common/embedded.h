/* embedded.h - the files built into the binary (rtl-templates/, the
 * testbenches, the technology files of model/tech/), so an installed
 * ternforge needs no search path. common/embed.c turns them into
 * build/templates.c at build time. */
#ifndef TF_EMBEDDED_H
#define TF_EMBEDDED_H

/* The text of the embedded file `name` (its base name), or NULL. */
const char *template_text(const char *name);

#endif
