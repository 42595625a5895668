// The C surface of Pango, PangoCairo, PangoFT2, fontconfig and Cairo (PDF, PNG, FreeType
// font faces) that Folio uses. FolioText and FolioRender import this module; FolioInput only
// for glib (a PDF graphic's page count and size come from poppler through CLazyGraphics).
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangofc-font.h>
#include <fontconfig/fontconfig.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-ft.h>
#include <hb.h>
#include <hb-subset.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <stdlib.h>
// poppler-glib, librsvg and gdk-pixbuf are loaded when first used: see CLazyGraphics.

#ifdef __GLIBC__
#include <malloc.h>
#endif
/// Gives the memory freed so far back to the system (glibc keeps it in each thread's arena:
/// pages composed on worker threads and released on the main one are never reused by it).
static inline void folio_return_freed_memory(void) {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/// GSList walking without macros Swift cannot see.
static inline void *folio_slist_data(GSList *l) { return l ? l->data : NULL; }
static inline GSList *folio_slist_next(GSList *l) { return l ? l->next : NULL; }
/// The resolved fontconfig pattern of a Pango font created by a PangoFcFontMap.
static inline FcPattern *folio_font_pattern(PangoFont *font) {
    return pango_fc_font_get_pattern(PANGO_FC_FONT(font));
}
/// A Pango font's ascent and descent in Pango units, as `pango_font_get_metrics` gives them
/// (Pango 1.50: the font's HarfBuzz extents, upright, for an untransformed font), without the
/// sample text that call lays out and measures for the approximate character widths Folio never
/// reads (glyph outlines loaded for every font: a tenth of a cold preview). Returns 0 for a
/// font Pango measures otherwise — a fontconfig matrix, a gravity other than south (`gravity`:
/// the font's, from its description) — whose metrics the caller then asks Pango for.
static inline int folio_font_extents(PangoFont *font, PangoGravity gravity, int *ascent, int *descent) {
    FcMatrix *m = NULL;
    FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
    if (pattern && FcPatternGetMatrix(pattern, FC_MATRIX, 0, &m) == FcResultMatch
        && (m->xx != 1 || m->xy != 0 || m->yx != 0 || m->yy != 1)) return 0;
    if (gravity != PANGO_GRAVITY_SOUTH && gravity != PANGO_GRAVITY_AUTO) return 0;
    hb_font_t *hb = pango_font_get_hb_font(font);
    if (!hb) return 0;
    hb_font_extents_t e;
    hb_font_get_extents_for_direction(hb, HB_DIRECTION_LTR, &e);
    *ascent = e.ascender;
    *descent = -e.descender;
    return 1;
}
static inline void folio_object_unref(void *object) { g_object_unref(object); }
static inline void folio_fontmap_set_config(PangoFontMap *map, FcConfig *config) {
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
}
/// PangoLogAttr is a bitfield struct; read the bits Folio needs here.
static inline int folio_can_break_before(const PangoLogAttr *a, int i) { return a[i].is_line_break; }
static inline int folio_must_break_before(const PangoLogAttr *a, int i) { return a[i].is_mandatory_break; }
static inline int folio_is_white(const PangoLogAttr *a, int i) { return a[i].is_white; }
static inline void *folio_list_data(GList *l) { return l ? l->data : NULL; }
static inline GList *folio_list_next(GList *l) { return l ? l->next : NULL; }

/// A Cairo font face over a font held in memory (a HarfBuzz blob), e.g. a subset made for one
/// document. The face owns a FreeType library of its own (so faces may be made and released on
/// any thread) and a reference to the blob; both are released with the face.
typedef struct { FT_Library library; FT_Face face; hb_blob_t *blob; } folio_memory_face;
static void folio_memory_face_release(void *data) {
    folio_memory_face *m = (folio_memory_face *)data;
    FT_Done_Face(m->face);
    FT_Done_FreeType(m->library);
    hb_blob_destroy(m->blob);
    free(m);
}
static inline cairo_font_face_t *folio_cairo_face_from_blob(hb_blob_t *blob) {
    static const cairo_user_data_key_t key;
    unsigned int length = 0;
    const char *data = hb_blob_get_data(blob, &length);
    folio_memory_face *m = (folio_memory_face *)calloc(1, sizeof *m);
    if (!m) return NULL;
    if (FT_Init_FreeType(&m->library)) { free(m); return NULL; }
    if (FT_New_Memory_Face(m->library, (const FT_Byte *)data, (FT_Long)length, 0, &m->face)) {
        FT_Done_FreeType(m->library); free(m); return NULL;
    }
    m->blob = hb_blob_reference(blob);
    cairo_font_face_t *face = cairo_ft_font_face_create_for_ft_face(m->face, FT_LOAD_NO_HINTING);
    if (cairo_font_face_set_user_data(face, &key, m, folio_memory_face_release) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(face);
        folio_memory_face_release(m);
        return NULL;
    }
    return face;
}
