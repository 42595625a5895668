/// Renders one page value to a PNG (the editing preview): the same drawing code as the PDF,
/// on an image surface, written atomically.
import CPangoCairo
import FolioCore
import Foundation

public enum PNGWriter {
    /// Writes `page` at `dpi` to `path`, with `overlay` items (guides) drawn on top. `trimOnly`
    /// crops the bleed away, as editors see the page.
    public static func write(_ page: Page, overlay: [PageItem] = [], dpi: Double, to path: String, trimOnly: Bool = true) throws {
        try write(spread: [page], overlays: [overlay], dpi: dpi, to: path, trimOnly: trimOnly)
    }

    /// Writes pages side by side (a spread: verso left, recto right) as one PNG.
    public static func write(spread pages: [Page], overlays: [[PageItem]] = [], dpi: Double, to path: String, trimOnly: Bool = true,
                             images: Prefetch? = nil) throws {
        try AtomicFile.write(encode(spread: pages, overlays: overlays, dpi: dpi, trimOnly: trimOnly, images: images), to: path)
        // A photo decoded for it is being kept as a proxy (`ImageProxies.storeLater`): the
        // command ends next, so it waits for that — the live server's pages do not.
        ImageProxies.finishStoring()
    }

    /// Raster images being decoded on other cores for a PNG drawn soon after at `dpi`, of pages
    /// of `pageSize` (bleed included): a preview starts this with its article's images before
    /// composing it.
    public final class Prefetch: @unchecked Sendable {
        let drawer = PageDrawer(images: .decode)
        public init(_ images: [ImageInfo], pageSize: Size, dpi: Double) {
            drawer.images.drawArea = PNGWriter.drawArea(pageSize, dpi: dpi)
            drawer.images.prefetch(images)
        }
        /// Images kept decoded from one PNG to the next at the same resolution (the live
        /// preview's pages: a page redrawn after an edit or a figure moved finds its photos
        /// decoded), up to 128 MB of pixels; an image whose file changed is decoded again.
        public init() { drawer.images.kept = (ImageCache.keptBytes, [:], []) }
    }

    /// A page of `size` in pixels at `dpi`: what images on it are decoded for.
    static func drawArea(_ size: Size, dpi: Double) -> Size {
        Size(width: size.width * dpi / 72, height: size.height * dpi / 72)
    }

    /// The PNG's bytes (the live preview serves them without a file); `images`: the drawer
    /// with images decoded ahead.
    public static func encode(spread pages: [Page], overlays: [[PageItem]] = [], dpi: Double, trimOnly: Bool = true,
                              images: Prefetch? = nil) throws -> Data {
        guard let page = pages.first else { throw FolioError("nothing to preview") }
        let scale = dpi / 72
        let box = trimOnly ? page.trim : Rect(x: 0, y: 0, width: page.size.width, height: page.size.height)
        let w = Int32((box.width * Double(pages.count) * scale).rounded()), h = Int32((box.height * scale).rounded())
        guard w > 0, h > 0, w < 20000, h < 20000 else { throw FolioError("a preview of \(w) × \(h) pixels is out of range; lower --dpi") }
        let drawer = images?.drawer ?? PageDrawer(images: .decode)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)!
        defer { GlyphCacheLock.lock.withLock { cairo_surface_destroy(surface) } }
        try GlyphCacheLock.lock.withLock {
            let cr = cairo_create(surface)!
            defer { cairo_destroy(cr) }
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            cairo_scale(cr, scale, scale)
            for (k, p) in pages.enumerated() {
                cairo_save(cr)
                cairo_translate(cr, Double(k) * box.width - box.x, -box.y)
                if k > 0 {
                    // The spine between facing pages.
                    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6)
                    cairo_rectangle(cr, box.x - 0.25, box.y, 0.5, box.height)
                    cairo_fill(cr)
                }
                try drawer.draw(p, on: cr)
                if k < overlays.count {
                    try drawer.draw(Page(size: p.size, trim: p.trim, items: overlays[k], number: p.number), on: cr)
                }
                cairo_restore(cr)
            }
            cairo_surface_flush(surface)
        }
        return try PNGEncoder.encode(bgrx: cairo_image_surface_get_data(surface), width: Int(w), height: Int(h),
                                     stride: Int(cairo_image_surface_get_stride(surface)))
    }
}
