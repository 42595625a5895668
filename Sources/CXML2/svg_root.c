// See include/folio_xml.h. The corresponding libxml2 calls: xmlReadMemory,
// xmlDocGetRootElement, xmlGetProp, xmlFree, xmlFreeDoc.
#include "folio_xml.h"
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static void copy_attribute(xmlNodePtr node, const char *name, char *out, int32_t capacity) {
    out[0] = 0;
    xmlChar *value = xmlGetProp(node, (const xmlChar *)name);
    if (!value) return;
    strncpy(out, (const char *)value, (size_t)capacity - 1);
    out[capacity - 1] = 0;
    xmlFree(value);
}

int32_t folio_svg_root(const char *bytes, int32_t length, char *width, char *height, char *viewBox, int32_t capacity) {
    xmlDocPtr doc = xmlReadMemory(bytes, length, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) return -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int32_t result = 0;
    if (root && root->name && strcmp((const char *)root->name, "svg") == 0) {
        copy_attribute(root, "width", width, capacity);
        copy_attribute(root, "height", height, capacity);
        copy_attribute(root, "viewBox", viewBox, capacity);
        result = 1;
    }
    xmlFreeDoc(doc);
    return result;
}
