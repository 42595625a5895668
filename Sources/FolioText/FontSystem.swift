/// FontSystem: a private fontconfig configuration and the Pango font map and context built on
/// it. Folio never uses the process-wide default font map: text sees only the fonts that
/// `fonts/fonts.conf` lists, so layout is the same on every machine with the same packages.
///
/// Not thread-safe (Pango is not): make one per worker thread.
import CPangoCairo
import FolioCore
import Foundation

public final class FontSystem {
    /// The corresponding C objects: `FcConfig`, `PangoFontMap` (a PangoCairoFcFontMap), `PangoContext`.
    let config: OpaquePointer
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    private var fontRefs: [UnsafeMutableRawPointer: FontInfo] = [:]
    /// The fonts the caches here know by address, each referenced once while this lives: a font
    /// Pango let go (its font-set cache is bounded) could otherwise be freed and its address
    /// given to another font, which the caches would take for it.
    private var held: Set<UnsafeMutableRawPointer> = []
    private func hold(_ font: UnsafeMutablePointer<PangoFont>) {
        if held.insert(UnsafeMutableRawPointer(font)).inserted { g_object_ref(font) }
    }
    /// Ink sides of full-width marks, read once per font and glyph.
    private var inkSides: [InkKey: InkSide] = [:]
    private struct InkKey: Hashable {
        var font: UnsafeMutableRawPointer
        var glyph: UInt32
    }

    /// Which half of its advance a glyph's ink sits in (`InkSide`), from the glyph's ink
    /// extents in this font. The corresponding C call: `pango_font_get_glyph_extents`.
    func inkSide(of glyph: UInt32, in font: UnsafeMutablePointer<PangoFont>, advance: Pt) -> InkSide? {
        let key = InkKey(font: UnsafeMutableRawPointer(font), glyph: glyph)
        if let known = inkSides[key] { return known }
        var ink = PangoRectangle(), logical = PangoRectangle()
        // Measured through Cairo's glyph cache (see GlyphCacheLock).
        GlyphCacheLock.lock.withLock { pango_font_get_glyph_extents(font, glyph, &ink, &logical) }
        guard ink.width > 0, logical.width > 0 else { return nil }
        hold(font)
        let side = InkSide(inkLeft: Double(ink.x), inkRight: Double(ink.x + ink.width), advance: Double(logical.width))
        inkSides[key] = side
        return side
    }

    struct FontInfo {
        var ref: FontRef
        var ascent: Pt
        var descent: Pt
        /// The font's hyphen, drawn where an overlong word is broken (glyph 0: none).
        var hyphen: (glyph: UInt32, advance: Pt) = (0, 0)
        /// The font's tatweel (U+0640), drawn in lengthened joins (glyph 0: none).
        var tatweel: (glyph: UInt32, advance: Pt) = (0, 0)

        /// What ends a hyphenated line, and the room it takes: the hyphen, or in right-to-left
        /// text a tatweel on the baseline after a small gap (alreq A5, Uyghur).
        func hyphenMark(rightToLeft: Bool) -> (glyph: UInt32, advance: Pt) {
            rightToLeft && tatweel.glyph != 0 ? (tatweel.glyph, tatweel.advance + 0.12 * ref.size) : hyphen
        }
    }

    /// Loads the fontconfig file `configFile` (usually `fonts/fonts.conf`).
    /// The corresponding C calls: `FcConfigParseAndLoad`, `pango_cairo_font_map_new_for_font_type`,
    /// `pango_fc_font_map_set_config`, `pango_font_map_create_context`.
    public init(configFile: String) throws {
        guard let cfg = FcConfigCreate() else { throw FolioError("cannot create a fontconfig configuration") }
        guard FcConfigParseAndLoad(cfg, configFile, 1) != 0 else {
            FcConfigDestroy(cfg)
            throw FolioError("cannot read the font configuration \(configFile)")
        }
        guard FcConfigBuildFonts(cfg) != 0 else {
            FcConfigDestroy(cfg)
            throw FolioError("fontconfig could not build the font list of \(configFile)")
        }
        config = cfg
        Self.makeDefault(cfg)
        guard let map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT) else {
            FcConfigDestroy(cfg)
            throw FolioError("Pango has no FreeType font map")
        }
        fontMap = map
        folio_fontmap_set_config(map, cfg)
        context = pango_font_map_create_context(map)
        // 72 dpi, unrounded positions, no hinting of metrics: PDF and PNG measure the same
        // (DESIGN §2: otherwise a 10 pt Han character advances 13 pt).
        pango_cairo_context_set_resolution(context, 72)
        pango_context_set_round_glyph_positions(context, 0)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    /// The process's first configuration becomes fontconfig's default, before Pango's first
    /// font map exists. Pango loads the default configuration (`FcInit`) in a thread when its
    /// first font map is made and waits for it before its first match, although Folio's font
    /// maps never use it: the machine's configuration — here 47 files and 425 fonts — parsed
    /// and scanned on every process's critical path. Set beforehand, `FcInit` finds it and
    /// returns. (Libraries that use the default — librsvg's text, poppler's substitutes — then
    /// see Folio's fonts, as everything Folio prints does, not the machine's.)
    private static func makeDefault(_ config: OpaquePointer) {
        defaultLock.withLock {
            guard !defaultSet else { return }
            defaultSet = FcConfigSetCurrent(config) != 0
        }
    }
    private static let defaultLock = NSLock()
    nonisolated(unsafe) private static var defaultSet = false

    deinit {
        held.forEach { folio_object_unref($0) }
        folio_object_unref(UnsafeMutableRawPointer(context))
        folio_object_unref(fontMap)
        FcConfigDestroy(config)
    }

    /// Families the configuration knows, for `folio fonts` and for checking templates.
    public func familyNames() -> [String] {
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>?
        var count: Int32 = 0
        pango_font_map_list_families(fontMap, &families, &count)
        defer { g_free(families) }
        return (0..<Int(count)).compactMap { i in
            families?[i].flatMap { pango_font_family_get_name($0) }.map { String(cString: $0) }
        }.sorted()
    }

    /// The file, index and size of a Pango font, and its ascent and descent; cached per font.
    func info(of font: UnsafeMutablePointer<PangoFont>) -> FontInfo {
        let key = UnsafeMutableRawPointer(font)
        if let known = fontRefs[key] { return known }
        var file = ""
        var index: Int32 = 0
        if let pattern = folio_font_pattern(font) {
            var s: UnsafeMutablePointer<FcChar8>?
            if FcPatternGetString(pattern, FC_FILE, 0, &s) == FcResultMatch, let s {
                file = String(cString: s)
            }
            _ = FcPatternGetInteger(pattern, FC_INDEX, 0, &index)
        }
        let desc = pango_font_describe(font)
        let size = Double(pango_font_description_get_size(desc)) / Double(PANGO_SCALE)
        let gravity = pango_font_description_get_gravity(desc)
        pango_font_description_free(desc)
        // Ascent and descent from the font's HarfBuzz extents as Pango reads them
        // (`folio_font_extents`); Pango's own metrics only for a font it measures otherwise.
        var (up, down): (Int32, Int32) = (0, 0)
        if folio_font_extents(font, gravity, &up, &down) == 0 {
            // Pango measures a sample text through Cairo's glyph cache here (see GlyphCacheLock).
            let metrics = GlyphCacheLock.lock.withLock { pango_font_get_metrics(font, nil) }
            (up, down) = (pango_font_metrics_get_ascent(metrics), pango_font_metrics_get_descent(metrics))
            pango_font_metrics_unref(metrics)
        }
        let ascent = Double(up) / Double(PANGO_SCALE)
        let descent = Double(down) / Double(PANGO_SCALE)
        var info = FontInfo(ref: FontRef(file: file, index: Int(index), size: size), ascent: ascent, descent: descent)
        // The corresponding C calls: `pango_font_get_hb_font`, `hb_font_get_nominal_glyph`.
        if let hb = pango_font_get_hb_font(font) {
            var xScale: Int32 = 0, yScale: Int32 = 0
            hb_font_get_scale(hb, &xScale, &yScale)
            func glyph(_ c: UInt32) -> (UInt32, Pt)? {
                var g: hb_codepoint_t = 0
                guard hb_font_get_nominal_glyph(hb, c, &g) != 0 else { return nil }
                return (g, Double(hb_font_get_glyph_h_advance(hb, g)) / Double(max(1, xScale)) * size)
            }
            if let h = glyph(0x2D) { info.hyphen = h }
            if let t = glyph(0x640) { info.tatweel = t }
        }
        hold(font)
        fontRefs[key] = info
        return info
    }
}

/// Library versions, for `folio --version`.
public enum TextLibraries {
    public static var versions: [(String, String)] {
        [("Pango", String(cString: pango_version_string())),
         ("Cairo", String(cString: cairo_version_string())),
         ("HarfBuzz", String(cString: hb_version_string())),
         ("fontconfig", "\(FcGetVersion() / 10000).\(FcGetVersion() / 100 % 100).\(FcGetVersion() % 100)")]
    }
}
