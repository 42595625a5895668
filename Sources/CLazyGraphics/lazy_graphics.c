#include "lazy_graphics.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

/* Each library is opened (by the soname Debian 12 ships) and its symbols resolved once, on
 * first use, under pthread_once: any thread may be first. */
static const char *_Atomic failure;

static void *open_library(const char *file) {
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) failure = dlerror();
    return h;
}

/* A library: its soname, and its functions Folio calls (result, name, parameters), listed once
 * for both the table of pointers and the loader that fills it. */
#define LIBRARY(library, file, FUNCTIONS) \
    static struct { FUNCTIONS(FIELD) } library; \
    static pthread_once_t library##_once = PTHREAD_ONCE_INIT; \
    static void load_##library(void) { \
        void *h = open_library(file); \
        if (!h) return; \
        FUNCTIONS(RESOLVE) \
    }
#define FIELD(library, result, name, parameters) result (*name) parameters;
#define RESOLVE(library, result, name, parameters) library.name = (result (*) parameters)dlsym(h, #name);

#define POPPLER(F) \
    F(poppler, void *, poppler_document_new_from_file, (const char *, const char *, void **)) \
    F(poppler, int, poppler_document_get_n_pages, (void *)) \
    F(poppler, void *, poppler_document_get_page, (void *, int)) \
    F(poppler, void, poppler_page_get_size, (void *, double *, double *)) \
    F(poppler, void, poppler_page_render_for_printing, (void *, void *))
LIBRARY(poppler, "libpoppler-glib.so.8", POPPLER)

#define RSVG(F) \
    F(rsvg, void *, rsvg_handle_new_from_file, (const char *, void **)) \
    F(rsvg, int, rsvg_handle_render_document, (void *, void *, const double *, void **))
LIBRARY(rsvg, "librsvg-2.so.2", RSVG)

#define PIXBUF(F) \
    F(pixbuf, void *, gdk_pixbuf_new_from_file, (const char *, void **)) \
    F(pixbuf, void *, gdk_pixbuf_apply_embedded_orientation, (void *)) \
    F(pixbuf, const char *, gdk_pixbuf_get_option, (void *, const char *)) \
    F(pixbuf, int, gdk_pixbuf_get_width, (void *)) \
    F(pixbuf, int, gdk_pixbuf_get_height, (void *)) \
    F(pixbuf, int, gdk_pixbuf_get_n_channels, (void *)) \
    F(pixbuf, int, gdk_pixbuf_get_rowstride, (void *)) \
    F(pixbuf, int, gdk_pixbuf_get_has_alpha, (void *)) \
    F(pixbuf, unsigned char *, gdk_pixbuf_get_pixels, (void *))
LIBRARY(pixbuf, "libgdk_pixbuf-2.0.so.0", PIXBUF)

const char *folio_graphics_load_error(void) { return failure; }

/* The library's function `name` called with the arguments, or `fallback` when it is missing. */
#define CALL(library, name, fallback, ...) \
    pthread_once(&library##_once, load_##library); \
    return library.name ? library.name(__VA_ARGS__) : fallback

void *folio_poppler_document_new_from_file(const char *uri, const char *password, void **error) {
    if (error) *error = NULL;
    CALL(poppler, poppler_document_new_from_file, NULL, uri, password, error);
}
int folio_poppler_document_get_n_pages(void *document) { CALL(poppler, poppler_document_get_n_pages, 0, document); }
void *folio_poppler_document_get_page(void *document, int index) { CALL(poppler, poppler_document_get_page, NULL, document, index); }
void folio_poppler_page_get_size(void *page, double *width, double *height) {
    pthread_once(&poppler_once, load_poppler);
    if (poppler.poppler_page_get_size) poppler.poppler_page_get_size(page, width, height);
}
void folio_poppler_page_render_for_printing(void *page, void *cairo) {
    pthread_once(&poppler_once, load_poppler);
    if (poppler.poppler_page_render_for_printing) poppler.poppler_page_render_for_printing(page, cairo);
}

void *folio_rsvg_handle_new_from_file(const char *path, void **error) {
    if (error) *error = NULL;
    CALL(rsvg, rsvg_handle_new_from_file, NULL, path, error);
}
int folio_rsvg_handle_render_document(void *handle, void *cairo, const double *viewport, void **error) {
    CALL(rsvg, rsvg_handle_render_document, 0, handle, cairo, viewport, error);
}

void *folio_gdk_pixbuf_new_from_file(const char *path, void **error) {
    if (error) *error = NULL;
    CALL(pixbuf, gdk_pixbuf_new_from_file, NULL, path, error);
}
void *folio_gdk_pixbuf_apply_embedded_orientation(void *p) { CALL(pixbuf, gdk_pixbuf_apply_embedded_orientation, NULL, p); }
const char *folio_gdk_pixbuf_get_option(void *p, const char *key) { CALL(pixbuf, gdk_pixbuf_get_option, NULL, p, key); }
int folio_gdk_pixbuf_get_width(void *p) { CALL(pixbuf, gdk_pixbuf_get_width, 0, p); }
int folio_gdk_pixbuf_get_height(void *p) { CALL(pixbuf, gdk_pixbuf_get_height, 0, p); }
int folio_gdk_pixbuf_get_n_channels(void *p) { CALL(pixbuf, gdk_pixbuf_get_n_channels, 0, p); }
int folio_gdk_pixbuf_get_rowstride(void *p) { CALL(pixbuf, gdk_pixbuf_get_rowstride, 0, p); }
int folio_gdk_pixbuf_get_has_alpha(void *p) { CALL(pixbuf, gdk_pixbuf_get_has_alpha, 0, p); }
unsigned char *folio_gdk_pixbuf_get_pixels(void *p) { CALL(pixbuf, gdk_pixbuf_get_pixels, NULL, p); }
