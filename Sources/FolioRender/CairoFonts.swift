/// Cairo font faces opened from `FontRef`s (file + index + size), cached per renderer.
/// The same files Pango measured are drawn, at 72 dpi with unhinted metrics, so PDF and PNG match.
import CPangoCairo
import FolioCore

final class CairoFonts {
    private var faces: [String: OpaquePointer] = [:]        // "file#index" → cairo_font_face_t
    private var scaled: [FontRef: OpaquePointer] = [:]      // → cairo_scaled_font_t
    private let options: OpaquePointer

    init() {
        options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    }

    deinit {
        for s in scaled.values { cairo_scaled_font_destroy(s) }
        for f in faces.values { cairo_font_face_destroy(f) }
        cairo_font_options_destroy(options)
    }

    /// The corresponding C calls: `cairo_ft_font_face_create_for_pattern`, `cairo_scaled_font_create`.
    func scaledFont(_ ref: FontRef) throws -> OpaquePointer {
        if let s = scaled[ref] { return s }
        let key = "\(ref.file)#\(ref.index)"
        let face: OpaquePointer
        if let f = faces[key] { face = f } else {
            guard let pattern = FcPatternCreate() else { throw FolioError("out of memory opening \(ref.file)") }
            defer { FcPatternDestroy(pattern) }
            _ = FcPatternAddString(pattern, FC_FILE, ref.file)
            _ = FcPatternAddInteger(pattern, FC_INDEX, Int32(ref.index))
            guard let f = cairo_ft_font_face_create_for_pattern(pattern), cairo_font_face_status(f) == CAIRO_STATUS_SUCCESS else {
                throw FolioError("Cairo cannot open the font \(ref.file)")
            }
            faces[key] = f
            face = f
        }
        var matrix = cairo_matrix_t(), ctm = cairo_matrix_t()
        cairo_matrix_init_scale(&matrix, ref.size, ref.size)
        cairo_matrix_init_identity(&ctm)
        let s = cairo_scaled_font_create(face, &matrix, &ctm, options)!
        guard cairo_scaled_font_status(s) == CAIRO_STATUS_SUCCESS else {
            throw FolioError("Cairo cannot scale the font \(ref.file) to \(ref.size) pt")
        }
        scaled[ref] = s
        return s
    }
}
