/// Renders one page value to a PNG (the editing preview): the same drawing code as the PDF,
/// on an image surface, written atomically.
import CPangoCairo
import FolioCore
import Foundation

public enum PNGWriter {
    /// Writes `page` at `dpi` to `path`. `trimOnly` crops the bleed away, as editors see the page.
    public static func write(_ page: Page, dpi: Double, to path: String, trimOnly: Bool = true) throws {
        let scale = dpi / 72
        let box = trimOnly ? page.trim : Rect(x: 0, y: 0, width: page.size.width, height: page.size.height)
        let w = Int32((box.width * scale).rounded()), h = Int32((box.height * scale).rounded())
        guard w > 0, h > 0, w < 20000, h < 20000 else { throw FolioError("a preview of \(w) × \(h) pixels is out of range; lower --dpi") }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        cairo_translate(cr, -box.x, -box.y)
        try PageDrawer(images: .decode).draw(page, on: cr)
        cairo_surface_flush(surface)
        let png = try PNGEncoder.encode(bgrx: cairo_image_surface_get_data(surface), width: Int(w), height: Int(h),
                                        stride: Int(cairo_image_surface_get_stride(surface)))
        let temp = AtomicFile.temporaryPath(for: path)
        do {
            try png.write(to: URL(fileURLWithPath: temp))
        } catch {
            unlink(temp)
            throw FolioError("cannot write \(path): \(error.localizedDescription)")
        }
        try AtomicFile.moveIntoPlace(temp, path)
    }
}
