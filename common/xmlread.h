/* xmlread.h - the libxml2 plumbing shared by parameter files (xmlparam.c)
 * and sweep files (explore/sweepfile.c): a safe parse with located syntax
 * errors and the <ternforge version="1"> root check. */
#ifndef TF_XMLREAD_H
#define TF_XMLREAD_H

#include <libxml/parser.h>
#include <libxml/tree.h>

xmlDocPtr tf_xml_read(const char *path);
xmlNode *tf_xml_root(const char *path, xmlDocPtr doc, int *errs);
/* Text between elements must be blank: error (located) and -1 if not. */
int tf_xml_check_text(const char *path, xmlNode *n);

#endif
