/* xmlparam.c - read a parameter file (XML, libxml2) into a design point.
 *
 * Format (docs/params.md):
 *   <ternforge version="1">
 *     <core kind="tlut" mu="4" luts="8" keys="16" act_width="8"/>
 *   </ternforge>
 * Every attribute of <core> is a parameter from params.def. Unknown
 * elements and attributes are errors; all errors in a file are reported
 * with file:line before we give up. The XML policy (tf_xml_parse,
 * docs/security.md) holds for sweep files too: no DOCTYPE, no entities,
 * no namespaces, a size limit. */
#include <errno.h>
#include <stdint.h>
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
                     tf_xml_line(n), n->parent ? tq((const char *)n->parent->name) : "?");
    return 0;
}

static int read_core(struct design_point *dp, const char *path, xmlNode *core)
{
    int errs = 0;
    struct strbuf loc = STRBUF_INIT;
    sb_addf(&loc, "%s:%ld", path, tf_xml_line(core));
    for (xmlAttr *a = core->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        xmlChar *val = xmlNodeListGetString(core->doc, a->children, 1);
        const char *v = val ? (const char *)val : "";
        if (!dp_is_param(name)) {
            error("%s: error: core: unknown attribute '%s' (see 'ternforge params')",
                  loc.buf, tq(name));
            errs++;
        } else if (tf_xml_dp_set(dp, name, v, loc.buf, "core: attribute")) {
            errs++;
        }
        xmlFree(val);
    }
    for (xmlNode *c = core->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            error("%s:%ld: error: core: unknown element <%s>", path, tf_xml_line(c),
                  tq((const char *)c->name));
            errs++;
        } else if (check_text(path, c)) {
            errs++;
        }
    }
    sb_release(&loc);
    return errs;
}

/* The one XML policy of parameter and sweep files (docs/security.md):
 * UTF-8 text of at most input_limit() bytes without NUL bytes; no
 * DOCTYPE (so no DTD, no entity but the five predefined ones), no
 * namespaces, no CDATA sections or processing instructions; attribute
 * values without control characters (a character reference such as
 * &#9; is the only way to write one). Parsing stops at a DOCTYPE, before
 * any declaration in it is read. */
struct xml_guard {
    long doctype_line;
    startElementNsSAX2Func start;
};

/* libxml2 keeps element lines in 16 bits and guesses past 65535 (from the
 * next text node, one line late): keep the exact line in _private. */
static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
                     const xmlChar **attr)
{
    xmlParserCtxtPtr c = ctx;
    struct xml_guard *g = c->_private;
    g->start(ctx, localname, prefix, uri, nns, ns, nattr, ndef, attr);
    if (c->node && c->input)
        c->node->_private = (void *)(intptr_t)c->input->line;
}

long tf_xml_line(xmlNode *n)
{
    if (n->type == XML_ELEMENT_NODE && n->_private)
        return (long)(intptr_t)n->_private;
    return xmlGetLineNo(n);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr c = ctx;
    struct xml_guard *g = c->_private;
    g->doctype_line = c->input ? c->input->line : 1;
    xmlStopParser(c);
}

static int bad_node(const char *path, xmlNode *n, const char *what)
{
    return error("%s:%ld: error: XML: %s are not allowed in ternforge files "
                 "(docs/security.md)", path, tf_xml_line(n), what);
}

/* Check every node against the policy; returns the number of errors. */
static int check_tree(const char *path, xmlNode *n)
{
    int errs = 0;
    for (; n; n = n->next) {
        switch (n->type) {
        case XML_ELEMENT_NODE:
            if (n->ns || n->nsDef) {
                errs++;
                error("%s:%ld: error: XML: <%s%s%s>: namespaces are not allowed in "
                      "ternforge files (docs/security.md)", path, tf_xml_line(n),
                      n->ns && n->ns->prefix ? tq((const char *)n->ns->prefix) : "",
                      n->ns && n->ns->prefix ? ":" : "", tq((const char *)n->name));
            }
            for (xmlAttr *a = n->properties; a; a = a->next) {
                const char *an = tq((const char *)a->name);
                if (a->ns) {
                    errs++;
                    error("%s:%ld: error: XML: attribute '%s:%s': namespaces are not allowed "
                          "in ternforge files (docs/security.md)", path, tf_xml_line(n),
                          tq((const char *)a->ns->prefix), an);
                }
                for (xmlNode *v = a->children; v; v = v->next) {
                    if (v->type != XML_TEXT_NODE) {
                        errs++;
                        bad_node(path, n, "entity references");
                        continue;
                    }
                    for (const xmlChar *c = v->content; c && *c; c++)
                        if (*c < 0x20 || *c == 0x7f) {
                            errs++;
                            error("%s:%ld: error: attribute '%s': control character 0x%02x in "
                                  "the value '%s' (from a character reference such as &#9;)",
                                  path, tf_xml_line(n), an, *c,
                                  tq((const char *)v->content));
                            break;
                        }
                }
            }
            errs += check_tree(path, n->children);
            break;
        case XML_TEXT_NODE:
        case XML_COMMENT_NODE:
            break; /* text outside attributes: the readers want it blank */
        case XML_CDATA_SECTION_NODE:
            errs++;
            bad_node(path, n, "CDATA sections");
            break;
        case XML_PI_NODE:
            errs++;
            bad_node(path, n, "processing instructions");
            break;
        case XML_ENTITY_REF_NODE:
        case XML_ENTITY_NODE:
            errs++;
            bad_node(path, n, "entity references");
            break;
        default:
            errs++;
            bad_node(path, n, "DTD and other declarations");
            break;
        }
    }
    return errs;
}

xmlDocPtr tf_xml_parse(const char *path, const char *text, size_t len)
{
    if (len > (size_t)input_limit())
        BUG("tf_xml_parse: %zu bytes past the input limit", len);
    xmlSetGenericErrorFunc(NULL, silent);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt || !ctxt->sax)
        die("%s: error: out of memory", path);
    struct xml_guard g = { 0 };
    ctxt->_private = &g;
    ctxt->sax->internalSubset = on_doctype;
    g.start = ctxt->sax->startElementNs;
    ctxt->sax->startElementNs = on_start;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
    if (g.doctype_line) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        error("%s:%ld: error: XML: a DOCTYPE is not allowed in ternforge files (no DTD, "
              "no entities; docs/security.md)", path, g.doctype_line);
        return NULL;
    }
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[512] = "not a well-formed XML file";
        int line = 0;
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
            for (char *c = msg; *c; c++) /* it may quote the file */
                if ((unsigned char)*c < 0x20)
                    *c = ' ';
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
    if (check_tree(path, doc->children)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

xmlDocPtr tf_xml_read(const char *path)
{
    size_t len;
    char *text = read_input(path, &len);
    if (!text)
        return NULL;
    xmlDocPtr doc = tf_xml_parse(path, text, len);
    free(text);
    return doc;
}

int tf_xml_dp_set(struct design_point *dp, const char *name, const char *value, const char *loc,
                  const char *what)
{
    /* No value of a parameter is this long; saying so keeps a huge one
     * out of the message. */
    if (strlen(value) > TF_QUOTE_MAX)
        return error("%s: error: %s '%s': '%s' is longer than %d characters", loc, what,
                     tq(name), tq(value), TF_QUOTE_MAX);
    return dp_set(dp, name, value, loc, what);
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
              tf_xml_line(root), tq((const char *)root->name));
        return NULL;
    }
    for (xmlAttr *a = root->properties; a; a = a->next) {
        xmlChar *val = xmlNodeListGetString(doc, a->children, 1);
        if (strcmp((const char *)a->name, "version")) {
            (*errs)++;
            error("%s:%ld: error: ternforge: unknown attribute '%s'", path,
                  tf_xml_line(root), tq((const char *)a->name));
        } else if (!val || strcmp((const char *)val, "1")) {
            (*errs)++;
            error("%s:%ld: error: ternforge: attribute 'version': '%s' is not "
                  "supported (this tool reads version 1)", path, tf_xml_line(root),
                  tq(val ? (const char *)val : ""));
        }
        xmlFree(val);
    }
    return root;
}

int tf_xml_check_text(const char *path, xmlNode *n)
{
    return check_text(path, n);
}

int dp_read(struct design_point *dp, const char *path, char **sets, int nsets)
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
                      path, tf_xml_line(c), tq((const char *)c->name));
                continue;
            }
            if (ncore++) {
                errs++;
                error("%s:%ld: error: ternforge: more than one <core> element", path,
                      tf_xml_line(c));
                continue;
            }
            dp->src_line = (int)tf_xml_line(c);
            errs += read_core(dp, path, c);
        }
        if (!ncore && !errs) {
            errs++;
            error("%s:%ld: error: ternforge: missing <core> element", path,
                  tf_xml_line(root));
        }
    }
    xmlFreeDoc(doc);
    if (dp_apply_sets(dp, sets, nsets))
        errs++;
    return errs ? -1 : 0;
}
