/* xmlread.h - the libxml2 plumbing shared by parameter files (xmlparam.c)
 * and sweep files (explore/sweepfile.c): a safe parse with located syntax
 * errors, the XML policy and the <ternforge version="1"> root check. */
#ifndef TF_XMLREAD_H
#define TF_XMLREAD_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dp.h"

/* Read and parse under the XML policy (xmlparam.c, docs/security.md):
 * NULL after a located error. tf_xml_parse: the same for text already
 * read with read_input(). */
xmlDocPtr tf_xml_read(const char *path);
xmlDocPtr tf_xml_parse(const char *path, const char *text, size_t len);
/* dp_set, but a value longer than TF_QUOTE_MAX is an error of its own
 * (its message does not repeat a huge value). */
int tf_xml_dp_set(struct design_point *dp, const char *name, const char *value, const char *loc,
                  const char *what);
xmlNode *tf_xml_root(const char *path, xmlDocPtr doc, int *errs);
/* The line of a node: exact past 65535 too (xmlGetLineNo is not). */
long tf_xml_line(xmlNode *n);
/* Text between elements must be blank: error (located) and -1 if not. */
int tf_xml_check_text(const char *path, xmlNode *n);

#endif
