/* xmlparam.c - read a parameter file (XML, libxml2) into a design point.
 *
 * Format (docs/params.md):
 *   <ternforge version="1">
 *     <core kind="tlut" mu="4" luts="8" keys="16" act_width="8"/>
 *   </ternforge>
 * Every attribute of <core> is a parameter from params.def. Unknown
 * elements and attributes are errors; all errors in a file are reported
 * with file:line before we give up. No network, no external entities. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dp.h"
#include "util.h"
#include "xmlread.h"

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static int only_space(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* Check the children of `parent`: text must be blank, comments are fine. */
static int check_text(const char *path, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE && !only_space(n->content))
        return error("%s:%ld: error: unexpected text in <%s>", path,
                     xmlGetLineNo(n), n->parent ? (const char *)n->parent->name : "?");
    return 0;
}

static int read_core(struct design_point *dp, const char *path, xmlNode *core)
{
    int errs = 0;
    struct strbuf loc = STRBUF_INIT;
    sb_addf(&loc, "%s:%ld", path, xmlGetLineNo(core));
    for (xmlAttr *a = core->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        xmlChar *val = xmlNodeListGetString(core->doc, a->children, 1);
        const char *v = val ? (const char *)val : "";
        if (!param_find(name)) {
            error("%s: error: core: unknown attribute '%s' (see 'ternforge params')",
                  loc.buf, name);
            errs++;
        } else if (dp_set(dp, name, v, loc.buf, "core: attribute")) {
            errs++;
        }
        xmlFree(val);
    }
    for (xmlNode *c = core->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            error("%s:%ld: error: core: unknown element <%s>", path, xmlGetLineNo(c),
                  (const char *)c->name);
            errs++;
        } else if (check_text(path, c)) {
            errs++;
        }
    }
    sb_release(&loc);
    return errs;
}

/* Parse a file with libxml2, no network; print a located syntax error and
 * return NULL on failure. */
xmlDocPtr tf_xml_read(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        error("%s: error: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    fclose(fp);

    xmlSetGenericErrorFunc(NULL, silent);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        die("%s: error: out of memory", path);
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[512] = "not a well-formed XML file";
        int line = 0;
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
            line = e->line;
        }
        xmlFreeParserCtxt(ctxt);
        if (line > 0)
            error("%s:%d: error: XML syntax: %s", path, line, msg);
        else
            error("%s: error: XML syntax: %s", path, msg);
        return NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* The root must be <ternforge version="1">; returns it or NULL (errors
 * printed, counted in *errs). */
xmlNode *tf_xml_root(const char *path, xmlDocPtr doc, int *errs)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        (*errs)++;
        error("%s: error: empty document", path);
        return NULL;
    }
    if (strcmp((const char *)root->name, "ternforge")) {
        (*errs)++;
        error("%s:%ld: error: root element is <%s>, expected <ternforge>", path,
              xmlGetLineNo(root), (const char *)root->name);
        return NULL;
    }
    for (xmlAttr *a = root->properties; a; a = a->next) {
        xmlChar *val = xmlNodeListGetString(doc, a->children, 1);
        if (strcmp((const char *)a->name, "version")) {
            (*errs)++;
            error("%s:%ld: error: ternforge: unknown attribute '%s'", path,
                  xmlGetLineNo(root), (const char *)a->name);
        } else if (!val || strcmp((const char *)val, "1")) {
            (*errs)++;
            error("%s:%ld: error: ternforge: attribute 'version': '%s' is not "
                  "supported (this tool reads version 1)", path, xmlGetLineNo(root),
                  val ? (const char *)val : "");
        }
        xmlFree(val);
    }
    return root;
}

int tf_xml_check_text(const char *path, xmlNode *n)
{
    return check_text(path, n);
}

int dp_load(struct design_point *dp, const char *path, char **sets, int nsets)
{
    dp_init(dp);
    dp->src = path;
    xmlDocPtr doc = tf_xml_read(path);
    if (!doc)
        return -1;

    int errs = 0;
    xmlNode *root = tf_xml_root(path, doc, &errs);
    if (root) {
        int ncore = 0;
        for (xmlNode *c = root->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) {
                if (check_text(path, c))
                    errs++;
                continue;
            }
            if (strcmp((const char *)c->name, "core")) {
                errs++;
                error("%s:%ld: error: ternforge: unknown element <%s> (expected <core>)",
                      path, xmlGetLineNo(c), (const char *)c->name);
                continue;
            }
            if (ncore++) {
                errs++;
                error("%s:%ld: error: ternforge: more than one <core> element", path,
                      xmlGetLineNo(c));
                continue;
            }
            dp->src_line = (int)xmlGetLineNo(c);
            errs += read_core(dp, path, c);
        }
        if (!ncore && !errs) {
            errs++;
            error("%s:%ld: error: ternforge: missing <core> element", path,
                  xmlGetLineNo(root));
        }
    }
    xmlFreeDoc(doc);
    if (dp_apply_sets(dp, sets, nsets))
        errs++;
    if (!errs)
        errs += dp_finalize(dp);
    return errs ? -1 : 0;
}
