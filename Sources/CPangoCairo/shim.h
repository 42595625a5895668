// The C surface of Pango, PangoCairo, PangoFT2, fontconfig and Cairo (PDF, PNG, FreeType
// font faces) that Folio uses. Only FolioText and FolioRender import this module.
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangofc-font.h>
#include <fontconfig/fontconfig.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-ft.h>
#include <hb.h>

/// GSList walking without macros Swift cannot see.
static inline void *folio_slist_data(GSList *l) { return l ? l->data : NULL; }
static inline GSList *folio_slist_next(GSList *l) { return l ? l->next : NULL; }
/// The resolved fontconfig pattern of a Pango font created by a PangoFcFontMap.
static inline FcPattern *folio_font_pattern(PangoFont *font) {
    return pango_fc_font_get_pattern(PANGO_FC_FONT(font));
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
