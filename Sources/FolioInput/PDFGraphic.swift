/// A PDF used as a graphic in an article (`![地图](map.pdf#page=2)`): poppler-glib opens it when
/// the article is read, so a broken file or a missing page is a located error, and gives the
/// page's size in points. FolioRender draws it as vectors. The corresponding C calls:
/// `poppler_document_new_from_file`, `poppler_document_get_n_pages`, `poppler_page_get_size`.
import CLazyGraphics
import CPangoCairo
import FolioCore
import Foundation

enum PDFGraphic {
    static func pageSize(_ path: String, page: Int) throws -> (width: Double, height: Double) {
        var raw: UnsafeMutableRawPointer?
        guard let doc = folio_poppler_document_new_from_file(URL(fileURLWithPath: path).absoluteString, nil, &raw) else {
            let error = raw?.assumingMemoryBound(to: GError.self)
            let why = error.map { String(cString: $0.pointee.message) }
                ?? folio_graphics_load_error().map { "cannot load " + String(cString: $0) } ?? "unreadable"
            if let error { g_error_free(error) }
            throw FolioError("the PDF graphic \(path) is truncated or corrupt (\(why))")
        }
        defer { g_object_unref(doc) }
        let count = Int(folio_poppler_document_get_n_pages(doc))
        guard (1...max(1, count)).contains(page), count > 0, let p = folio_poppler_document_get_page(doc, Int32(page - 1)) else {
            throw FolioError("the PDF graphic \(path) has \(plural(count, "page")); page \(page) was asked for")
        }
        defer { g_object_unref(p) }
        var w = 0.0, h = 0.0
        folio_poppler_page_get_size(p, &w, &h)
        guard w >= 1, h >= 1, w < 20_000, h < 20_000 else { throw FolioError("the PDF graphic \(path) has a page of \(w) × \(h) pt") }
        return (w, h)
    }
}
