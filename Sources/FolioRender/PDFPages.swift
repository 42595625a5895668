/// Pages of PDF files (ads, inserts) drawn as vectors: poppler-glib renders a page's content
/// onto the Cairo context, so an ad delivered as PDF keeps its vectors and its fonts in the
/// issue's PDF — never rasterised. The corresponding C calls: `poppler_document_new_from_file`,
/// `poppler_document_get_page`, `poppler_page_get_size`, `poppler_page_render_for_printing`.
import CLazyGraphics
import CPangoCairo
import FolioCore
import Foundation

/// The message of a GError from poppler, librsvg or gdk-pixbuf (the error is freed), or why the
/// library could not be loaded (`CLazyGraphics`).
func takeMessage(_ error: UnsafeMutableRawPointer?) -> String {
    guard let error = error?.assumingMemoryBound(to: GError.self) else {
        return folio_graphics_load_error().map { "cannot load \(String(cString: $0)) (install Folio's packages: make deps)" } ?? "unreadable"
    }
    defer { g_error_free(error) }
    return String(cString: error.pointee.message)
}

final class PDFPageCache {
    private var documents: [String: UnsafeMutableRawPointer] = [:]
    /// For print: whether each page (path and number) can be placed as it is, else why not.
    private var placeable: [String: String?] = [:]
    /// What the reader of the print variant should know: pages drawn through poppler instead.
    private(set) var notes: [String] = []

    deinit { for d in documents.values { g_object_unref(d) } }

    private func document(_ path: String) throws -> UnsafeMutableRawPointer {
        if let d = documents[path] { return d }
        if let problem = RegularFile.problem(path, noun: "PDF") { throw FolioError(problem) }
        var error: UnsafeMutableRawPointer?
        let uri = URL(fileURLWithPath: path).absoluteString
        guard let d = folio_poppler_document_new_from_file(uri, nil, &error) else {
            let why = takeMessage(error)
            throw FolioError("cannot read the PDF \(path): \(why)")
        }
        documents[path] = d
        return d
    }

    /// Draws page `item.page` of the file scaled to fill `item.frame` (centred, cropped to it);
    /// for print (`standIns`), as a stand-in that the finisher replaces by the page itself, so
    /// that an ad delivered in CMYK keeps its inks (poppler draws through Cairo, which is RGB).
    func draw(_ item: PDFPageItem, on cr: OpaquePointer, standIns: ImageCache? = nil) throws {
        let doc = try document(item.path)
        let count = Int(folio_poppler_document_get_n_pages(doc))
        guard (1...max(1, count)).contains(item.page), count > 0, let page = folio_poppler_document_get_page(doc, Int32(item.page - 1)) else {
            throw FolioError("the PDF \(item.path) has \(plural(count, "page")); page \(item.page) was asked for")
        }
        defer { g_object_unref(page) }
        var w = 0.0, h = 0.0
        folio_poppler_page_get_size(page, &w, &h)
        guard w > 0, h > 0 else { return }
        let f = item.frame
        let scale = max(f.width / w, f.height / h)
        cairo_save(cr)
        cairo_rectangle(cr, f.x, f.y, f.width, f.height)
        cairo_clip(cr)
        cairo_translate(cr, f.x + (f.width - w * scale) / 2, f.y + (f.height - h * scale) / 2)
        let key = "\(item.path)\u{0}\(item.page)"
        if standIns != nil, placeable[key] == nil {
            let why = ForeignPDFs.whyNotPlaceable(item.path, page: item.page)
            placeable[key] = .some(why)
            if let why {
                notes.append("the PDF \(item.path) (page \(item.page)) is drawn for print through poppler, its colours converted like Folio's own, not kept as its inks: \(why) (ask for a PDF/X-1a or X-4 with every font embedded)")
            }
        }
        if let standIns, placeable[key] == .some(nil) {
            // The page's box, as poppler measures it (its crop box, turned by /Rotate), is the unit square.
            let standIn = try standIns.pdfPageStandIn(item.path, page: item.page)
            cairo_scale(cr, w * scale, h * scale)
            cairo_set_source_surface(cr, standIn, 0, 0)
            cairo_paint(cr)
        } else {
            cairo_scale(cr, scale, scale)
            drawAsOne(Rect(x: 0, y: 0, width: w, height: h), on: cr) { folio_poppler_page_render_for_printing(page, UnsafeMutableRawPointer($0)) }
        }
        cairo_restore(cr)
    }
}

/// SVG images drawn as vectors by librsvg (logos, maps, charts stay sharp and small in the PDF).
/// The corresponding C calls: `rsvg_handle_new_from_file`, `rsvg_handle_render_document`.
final class VectorImageCache {
    private var handles: [String: UnsafeMutableRawPointer] = [:]

    deinit { for h in handles.values { g_object_unref(h) } }

    /// Draws the SVG to fill `frame` (its aspect kept, centred, cropped to the frame).
    func draw(_ info: ImageInfo, in frame: Rect, on cr: OpaquePointer) throws {
        let handle: UnsafeMutableRawPointer
        if let h = handles[info.path] { handle = h } else {
            if let problem = RegularFile.problem(info.path, noun: "image") { throw FolioError(problem) }
            var error: UnsafeMutableRawPointer?
            guard let h = folio_rsvg_handle_new_from_file(info.path, &error) else {
                let why = takeMessage(error)
                throw FolioError("cannot read the SVG image \(info.path): \(why)")
            }
            handles[info.path] = h
            handle = h
        }
        let w = Double(info.pixelWidth), h = Double(info.pixelHeight)
        let scale = max(frame.width / w, frame.height / h)
        // x, y, width, height (an RsvgRectangle)
        let viewport = [frame.x + (frame.width - w * scale) / 2, frame.y + (frame.height - h * scale) / 2, w * scale, h * scale]
        cairo_save(cr)
        cairo_rectangle(cr, frame.x, frame.y, frame.width, frame.height)
        cairo_clip(cr)
        var error: UnsafeMutableRawPointer?
        var ok: Int32 = 0
        drawAsOne(frame, on: cr) { ok = folio_rsvg_handle_render_document(handle, UnsafeMutableRawPointer($0), viewport, &error) }
        cairo_restore(cr)
        if ok == 0 {
            let why = takeMessage(error)
            throw FolioError("cannot draw the SVG image \(info.path): \(why)")
        }
    }
}

/// A graphic another library draws (poppler, librsvg) recorded first and painted as one: in a PDF
/// it becomes a form XObject, so the clip resets Cairo writes between its pieces (`Q q`) stay in
/// the form's own content instead of restoring, in the page's, a state saved before its `Figure`
/// began (marked content and the graphics state must nest). The vectors are the same (a viewer
/// may antialias a form's edges a shade differently).
/// The corresponding C calls: `cairo_recording_surface_create`, `cairo_set_source_surface`, `cairo_paint`.
func drawAsOne(_ extents: Rect, on cr: OpaquePointer, _ body: (OpaquePointer) -> Void) {
    var bounds = cairo_rectangle_t(x: extents.x, y: extents.y, width: extents.width, height: extents.height)
    let recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &bounds)!
    defer { cairo_surface_destroy(recording) }
    let recorder = cairo_create(recording)!
    body(recorder)
    cairo_destroy(recorder)
    cairo_set_source_surface(cr, recording, 0, 0)
    cairo_paint(cr)
}
