/// Retail barcodes as vectors: libzint encodes the data (EAN-13 with its add-on, check digit
/// computed and verified by zint) and lays out the bars as rectangles, which Cairo fills — the
/// PDF gets sharp vector bars, never an image. The human-readable digits are set by the cover
/// composer as text in Folio's own fonts, so the renderer draws bars only.
import CPangoCairo
import CZint
import FolioCore

enum BarcodeDrawer {
    /// Draws `b` scaled to its frame's width (bars keep their proportions, and their height
    /// fills the frame) on a white quiet zone. The corresponding C calls: `ZBarcode_Create`,
    /// `ZBarcode_Encode_and_Buffer_Vector`, `ZBarcode_Delete`.
    static func draw(_ b: BarcodeItem, on cr: OpaquePointer) throws {
        guard let symbol = ZBarcode_Create() else { throw FolioError("libzint could not start") }
        defer { ZBarcode_Delete(symbol) }
        symbol.pointee.symbology = Int32(BARCODE_EANX)
        symbol.pointee.show_hrt = 0
        let bytes = Array(b.data.utf8)
        let status = ZBarcode_Encode_and_Buffer_Vector(symbol, bytes, Int32(bytes.count), 0)
        guard status < ZINT_ERROR, let vector = symbol.pointee.vector?.pointee, vector.width > 0, vector.height > 0 else {
            let why = withUnsafeBytes(of: symbol.pointee.errtxt) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw FolioError("cannot encode the barcode \(b.data): \(why)")
        }
        let sx = b.frame.width / Double(vector.width), sy = b.frame.height / Double(vector.height)
        cairo_save(cr)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, b.frame.x, b.frame.y, b.frame.width, b.frame.height)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        var rect = vector.rectangles
        while let r = rect?.pointee {
            cairo_rectangle(cr, b.frame.x + Double(r.x) * sx, b.frame.y + Double(r.y) * sy, Double(r.width) * sx, Double(r.height) * sy)
            rect = r.next
        }
        cairo_fill(cr)
        cairo_restore(cr)
    }
}
