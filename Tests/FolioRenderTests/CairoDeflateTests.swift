/// The zlib level Folio chooses for the next stream Cairo compresses (Sources/CCairoDeflate):
/// the choice must reach Cairo's own deflate calls — the symbol interposition works — and apply
/// to that one stream only.
import CCairoDeflate
import CPangoCairo
import Foundation
import XCTest

final class CairoDeflateTests: XCTestCase {
    /// Two pages drawn by Cairo: the first after asking for level 0 (stored blocks, so that it
    /// cannot be mistaken for any compressing level), the second without asking.
    func testTheLevelReachesCairoForOnePageOnly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("folio-deflate-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let surface = cairo_pdf_surface_create(path, 200, 200)
        let cr = cairo_create(surface)
        for page in 0..<2 {
            for k in 0..<40 {   // enough content that level 0 and the default differ in kind
                cairo_rectangle(cr, Double(k * 4), Double(k * 3 + page), 3, 2)
                cairo_fill(cr)
            }
            if page == 0 { folio_deflate_level_for_next_stream(0) }
            cairo_show_page(cr)
            folio_deflate_level_for_next_stream(-1)
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)

        let pdf = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let streams = flateStreams(pdf)
        guard streams.count >= 2, streams[0].count == 3 else { return XCTFail("Cairo wrote a compressed content stream per page: \(streams)") }
        let (first, second) = (streams[0], streams[1])
        // zlib's header says the level class (0x01: levels 0–1, 0x9c: the default) and the first
        // block's type bits (1–2 of its first byte) are 00 for stored, uncompressed data.
        XCTAssertEqual(first.prefix(2), [0x78, 0x01], "page 1's content at the level asked for")
        XCTAssertEqual(first[2] & 0b110, 0, "page 1's content in stored blocks: level 0 reached Cairo")
        XCTAssertEqual(second.prefix(2), [0x78, 0x9c], "page 2's content at zlib's default again")
    }

    /// The bytes of every `/FlateDecode` stream, in file order.
    private func flateStreams(_ pdf: [UInt8]) -> [[UInt8]] {
        var found: [[UInt8]] = []
        let filter = Array("/FlateDecode".utf8), keyword = Array("stream\n".utf8)
        var i = 0
        while let f = firstIndex(of: filter, in: pdf, from: i), let s = firstIndex(of: keyword, in: pdf, from: f) {
            let start = s + keyword.count
            found.append(Array(pdf[start..<min(pdf.count, start + 3)]))
            i = start
        }
        return found
    }

    private func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        for i in from...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }
}
