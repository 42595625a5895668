/* poppler-glib, librsvg and gdk-pixbuf (Debian libpoppler-glib8, librsvg2-2, libgdk-pixbuf-2.0-0),
 * loaded when first used rather than when Folio starts: they and what they need (poppler, NSS,
 * OpenJPEG: 13 of Folio's 80 libraries, many relocations) cost every run some 5–10 ms, and only
 * a page with a PDF ad, a PDF or SVG graphic or a GIF/WebP/TIFF image uses them.
 * The functions are theirs under a `folio_` prefix, with their objects as opaque pointers (a
 * GError** as void**: the caller reads and frees it with glib). When the library cannot be
 * loaded they return NULL (0) with *error NULL, and folio_graphics_load_error says why. */
#ifndef FOLIO_LAZY_GRAPHICS_H
#define FOLIO_LAZY_GRAPHICS_H

/* Why the last library that could not be loaded could not (NULL: every one loaded). */
const char *folio_graphics_load_error(void);

void *folio_poppler_document_new_from_file(const char *uri, const char *password, void **error);
int folio_poppler_document_get_n_pages(void *document);
void *folio_poppler_document_get_page(void *document, int index);
void folio_poppler_page_get_size(void *page, double *width, double *height);
void folio_poppler_page_render_for_printing(void *page, void *cairo);

void *folio_rsvg_handle_new_from_file(const char *path, void **error);
/* viewport: x, y, width, height (an RsvgRectangle). */
int folio_rsvg_handle_render_document(void *handle, void *cairo, const double *viewport, void **error);

void *folio_gdk_pixbuf_new_from_file(const char *path, void **error);
void *folio_gdk_pixbuf_apply_embedded_orientation(void *pixbuf);
const char *folio_gdk_pixbuf_get_option(void *pixbuf, const char *key);
int folio_gdk_pixbuf_get_width(void *pixbuf);
int folio_gdk_pixbuf_get_height(void *pixbuf);
int folio_gdk_pixbuf_get_n_channels(void *pixbuf);
int folio_gdk_pixbuf_get_rowstride(void *pixbuf);
int folio_gdk_pixbuf_get_has_alpha(void *pixbuf);
unsigned char *folio_gdk_pixbuf_get_pixels(void *pixbuf);

#endif
