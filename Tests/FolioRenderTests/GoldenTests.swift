/// A small PNG golden (Typst's habit: tiny images, a per-channel tolerance): the preview of a
/// page with a tinted rule, a JPEG, a missing-image placeholder and two Han glyphs, at 24 dpi.
/// On a mismatch the actual image and a diff are written next to the golden's name in /tmp.
/// FOLIO_UPDATE_GOLDENS=1 rewrites the golden.
import CPangoCairo
@testable import FolioRender
import FolioCore
import Foundation
import XCTest

final class GoldenTests: XCTestCase {
    let golden = repoRoot + "/Tests/FolioRenderTests/Goldens/page-24dpi.png"

    func testPreviewMatchesTheGolden() throws {
        let actual = FileManager.default.temporaryDirectory.appendingPathComponent("folio-golden-actual.png").path
        try PNGWriter.write(fixturePage(), dpi: 24, to: actual)
        if ProcessInfo.processInfo.environment["FOLIO_UPDATE_GOLDENS"] != nil {
            try? FileManager.default.removeItem(atPath: golden)
            try FileManager.default.copyItem(atPath: actual, toPath: golden)
        }
        let a = try pixels(actual), g = try pixels(golden)
        XCTAssertEqual(a.width, g.width)
        XCTAssertEqual(a.height, g.height)
        guard a.width == g.width, a.height == g.height else { return }
        var worst = 0, differing = 0
        for i in 0..<a.data.count {
            let d = abs(Int(a.data[i]) - Int(g.data[i]))
            worst = max(worst, d)
            if d > 2 { differing += 1 }
        }
        if differing > 0 {
            let diff = FileManager.default.temporaryDirectory.appendingPathComponent("folio-golden-diff.txt").path
            try? "\(differing) channels differ by more than 2 (worst \(worst)); actual: \(actual)".write(toFile: diff, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(differing, 0, "the preview differs from \(golden) (worst channel difference \(worst)); see \(actual)")
        XCTAssertLessThan((try FileManager.default.attributesOfItem(atPath: golden)[.size] as? Int) ?? 0, 20_000)
    }

    /// The RGB bytes of a PNG, through Cairo.
    func pixels(_ path: String) throws -> (width: Int, height: Int, data: [UInt8]) {
        guard let s = cairo_image_surface_create_from_png(path), cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            throw FolioError("cannot read \(path)")
        }
        defer { cairo_surface_destroy(s) }
        let w = Int(cairo_image_surface_get_width(s)), h = Int(cairo_image_surface_get_height(s)), stride = Int(cairo_image_surface_get_stride(s))
        let p = cairo_image_surface_get_data(s)!
        var out: [UInt8] = []
        out.reserveCapacity(w * h * 3)
        for y in 0..<h { for x in 0..<w { for c in 0..<3 { out.append(p[y * stride + 4 * x + c]) } } }
        return (w, h, out)
    }
}
