/// The images editors have (issue 17, first part): a camera JPEG stored on its side is placed
/// upright by its EXIF orientation (the JPEG itself passed through untouched), and an SVG is
/// drawn as vectors.
import Foundation
import XCTest

final class ImageFormatTests: FolioCommandTestCase {
    /// A copy of the sample photograph (1500 × 1000) with an EXIF orientation tag.
    func rotatedJPEG(_ orientation: UInt16, to path: String) throws {
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/examples/sample-issue/images/grassland.jpg")))
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let tiff: [UInt8] = Array("MM".utf8) + [0, 0x2A, 0, 0, 0, 8] + be16(1) + be16(0x0112) + be16(3) + [0, 0, 0, 1]
            + be16(Int(orientation)) + [0, 0] + [0, 0, 0, 0]
        let app1 = Array("Exif".utf8) + [0, 0] + tiff
        let head: [UInt8] = Array(jpeg[0..<2]) + [0xFF, 0xE1] + be16(app1.count + 2)
        let bytes: [UInt8] = head + app1 + Array(jpeg[2...])
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func imageBoxes(_ pdf: String) throws -> [[Double]] {
        let r = try shell("python3", ["-c", """
        import fitz, json, sys
        print(json.dumps([i["bbox"] for i in fitz.open(sys.argv[1])[0].get_image_info()]))
        """, pdf])
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[Double]] ?? []
    }

    func testEXIFOrientationPlacesPhotosUpright() throws {
        for (orientation, upright) in [(1, false), (6, true), (8, true), (3, false)] {
            try rotatedJPEG(UInt16(orientation), to: work + "/p.jpg")
            let md = work + "/a.md", pdf = work + "/a-\(orientation).pdf"
            try "---\ntitle: 照片\n---\n\n![照片](p.jpg)\n".write(toFile: md, atomically: true, encoding: .utf8)
            let r = try shell(folio, ["render", md, "-o", pdf])
            XCTAssertEqual(r.status, 0, r.stderr)
            let box = try XCTUnwrap(imageBoxes(pdf).first)
            let (w, h) = (box[2] - box[0], box[3] - box[1])
            XCTAssertEqual(h > w, upright, "orientation \(orientation): \(w) × \(h)")
            // Passed through: the PDF carries the camera's JPEG as it was, 1500 × 1000.
            XCTAssertTrue(try shell("pdfimages", ["-list", pdf]).stdout.contains("1500  1000"))
        }
    }

    func testSVGIsDrawnAsVectors() throws {
        let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
        <rect x="5" y="5" width="190" height="90" fill="#c33"/><circle cx="100" cy="50" r="30" fill="#fff"/></svg>
        """
        try svg.write(toFile: work + "/logo.svg", atomically: true, encoding: .utf8)
        try "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect".write(toFile: work + "/broken.svg", atomically: true, encoding: .utf8)
        let md = work + "/a.md", pdf = work + "/a.pdf"
        try "---\ntitle: 标志\n---\n\n![标志](logo.svg)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", md, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try imageBoxes(pdf), [], "no raster image")
        let drawn = try shell("python3", ["-c", "import fitz, sys; print(len(fitz.open(sys.argv[1])[0].get_drawings()))", pdf])
        XCTAssertGreaterThanOrEqual(Int(drawn.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 2, "the SVG's shapes")
        try "---\ntitle: 标志\n---\n\n![坏](broken.svg)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let bad = try shell(folio, ["render", md, "-o", pdf + ".bad.pdf"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("a.md:5:1: error: the SVG image"), bad.stderr)
    }

    /// GIF, WebP, LZW TIFF and a CMYK Deflate TIFF (fixtures made with Pillow) are placed, each
    /// 120 × 80; the CMYK one keeps its colours (red stays red, not its negative).
    func testGIFWebPAndTIFFArePlaced() throws {
        for name in ["sample.gif", "sample.webp", "sample.tif", "sample-cmyk.tif"] {
            try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/" + name, toPath: work + "/" + name)
        }
        let md = work + "/a.md", pdf = work + "/a.pdf"
        try "---\ntitle: 格式\n---\n\n![GIF](sample.gif)\n\n![WebP](sample.webp)\n\n![TIFF](sample.tif)\n\n![CMYK](sample-cmyk.tif)\n"
            .write(toFile: md, atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", md, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let list = try shell("pdfimages", ["-list", pdf]).stdout.split(separator: "\n").dropFirst(2)
        XCTAssertEqual(list.count, 4, list.joined(separator: "\n"))
        for row in list { XCTAssertTrue(row.contains("120    80"), String(row)) }
        // The CMYK TIFF's rectangle is red once decoded.
        let probe = try shell("python3", ["-c", """
        import fitz, sys
        doc = fitz.open(sys.argv[1])
        xref = doc[0].get_images()[3][0]
        pix = fitz.Pixmap(doc, xref)
        print(*pix.pixel(30, 40)[:3])
        """, pdf])
        let rgb = probe.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(rgb.count, 3, probe.stderr)
        XCTAssertGreaterThan(rgb.first ?? 0, 180, "red: \(rgb)")
        XCTAssertLessThan(rgb.dropFirst().first ?? 255, 100, "red: \(rgb)")
        // A TIFF stored on its side (orientation 6, made with Pillow) is placed upright: 120 × 80
        // with its red quarter at the top left.
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/oriented-6.tif", toPath: work + "/side.tif")
        try "---\ntitle: 转\n---\n\n![转](side.tif)\n".write(toFile: md, atomically: true, encoding: .utf8)
        XCTAssertEqual(try shell(folio, ["render", md, "-o", pdf]).status, 0)
        let turned = try shell("python3", ["-c", """
        import fitz, sys
        doc = fitz.open(sys.argv[1])
        pix = fitz.Pixmap(doc, doc[0].get_images()[0][0])
        print(pix.width, pix.height, *pix.pixel(10, 10)[:3], *pix.pixel(100, 60)[:3])
        """, pdf]).stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(turned.count, 8)
        XCTAssertEqual(Array(turned.prefix(2)), [120, 80])
        XCTAssertTrue(turned.count == 8 && turned[2] > 180 && turned[4] < 100, "top left is red: \(turned)")
        XCTAssertTrue(turned.count == 8 && turned[7] > 180 && turned[5] < 100, "bottom right is blue: \(turned)")
        // A TIFF of two pages (red, then blue; Pillow): the first is placed, and a warning says so.
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/two-pages.tif", toPath: work + "/two.tif")
        try "---\ntitle: 多页\n---\n\n![多页](two.tif)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let multi = try shell(folio, ["render", md, "-o", pdf])
        XCTAssertEqual(multi.status, 0, multi.stderr)
        XCTAssertTrue(multi.stderr.contains("a.md:5:1: warning: image two.tif is a TIFF of several pages; its first page is placed"), multi.stderr)
        XCTAssertFalse(r.stderr.contains("several pages"), "single-page TIFFs are not warned about: \(r.stderr)")

        // Each format cut in half is an error that names the file (gdk-pixbuf alone would paint
        // the missing part black).
        for name in ["sample.gif", "sample.webp", "sample.tif"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: work + "/" + name))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: work + "/cut-" + name))
            try "---\ntitle: 坏\n---\n\n![坏](cut-\(name))\n".write(toFile: md, atomically: true, encoding: .utf8)
            let bad = try shell(folio, ["render", md, "-o", pdf + ".bad.pdf"])
            XCTAssertEqual(bad.status, 1, name)
            XCTAssertTrue(bad.stderr.contains("a.md:5:1: error:") && bad.stderr.contains("cut-" + name) && bad.stderr.contains("truncated or corrupt"), bad.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: pdf + ".bad.pdf"))
        }
    }

    /// `![地图](map.pdf#page=2)` places that page as vectors: no image XObject, the page's red
    /// rectangle is a vector fill in the article's PDF, at the page's aspect (200 × 100 pt);
    /// a page the file lacks and a page that is not a number are located errors.
    func testPDFGraphicIsPlacedAsVectors() throws {
        let map = work + "/map.pdf"
        let made = try shell("python3", ["-c", """
        import fitz, sys
        doc = fitz.open()
        doc.new_page(width=300, height=300).insert_text((20, 50), "one")
        doc.new_page(width=200, height=100).draw_rect(fitz.Rect(10, 10, 190, 90), color=(0, 0, 0), fill=(1, 0, 0))
        doc.save(sys.argv[1])
        """, map])
        XCTAssertEqual(made.status, 0, made.stderr)
        let md = work + "/a.md", pdf = work + "/a.pdf"
        try "---\ntitle: 地图\n---\n\n正文。\n\n![地图](map.pdf#page=2)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", md, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try shell("pdfimages", ["-list", pdf]).stdout.split(separator: "\n").count, 2, "no image XObjects")
        let probe = try shell("python3", ["-c", """
        import fitz, sys
        page = fitz.open(sys.argv[1])[0]
        reds = [d["rect"] for d in page.get_drawings() if d.get("fill") and d["fill"][0] > 0.9 and d["fill"][1] < 0.1]
        print(len(reds), round(reds[0].width / reds[0].height, 2) if reds else 0)
        """, pdf]).stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(probe.first, "1", "one red vector fill: \(probe)")
        XCTAssertEqual(probe.last, "2.25", "the rectangle keeps its 180 × 80 shape: \(probe)")
        try "---\ntitle: 地图\n---\n\n![地图](map.pdf#page=3)\n\n![地图](map.pdf#page=x)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let bad = try shell(folio, ["render", md, "-o", work + "/bad.pdf"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("a.md:5:1: error: the PDF graphic") && bad.stderr.contains("has 2 pages; page 3"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("a.md:7:1: error: 'map.pdf#page=x'"), bad.stderr)
    }

    /// An EPS is placed as vectors (the PDF Ghostscript makes of it, cropped to its bounding box);
    /// a cut-off EPS is a located error; the EPS itself is an input no output may replace.
    func testEPSIsPlacedAsVectors() throws {
        let eps = "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 200 100\n%%EndComments\n1 0 0 setrgbcolor 10 10 180 80 rectfill\nshowpage\n%%EOF\n"
        try eps.write(toFile: work + "/logo.eps", atomically: true, encoding: .utf8)
        // Cut inside a word ("setrgbcol"): Ghostscript stops on the undefined name.
        try String(eps.prefix(80)).write(toFile: work + "/cut.eps", atomically: true, encoding: .utf8)
        let md = work + "/a.md", pdf = work + "/a.pdf"
        try "---\ntitle: 标志\n---\n\n正文。\n\n![标志](logo.eps)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", md, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try imageBoxes(pdf), [], "no raster image")
        let probe = try shell("python3", ["-c", """
        import fitz, sys
        page = fitz.open(sys.argv[1])[0]
        reds = [d["rect"] for d in page.get_drawings() if d.get("fill") and d["fill"][0] > 0.9 and d["fill"][1] < 0.1]
        print(len(reds), round(reds[0].width / reds[0].height, 2) if reds else 0)
        """, pdf]).stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(probe, ["1", "2.25"], "one red vector fill, 180 × 80: \(probe)")
        // The EPS is one of the article's inputs.
        let over = try shell(folio, ["render", md, "-o", work + "/logo.eps"])
        XCTAssertEqual(over.status, 1)
        XCTAssertTrue(over.stderr.contains("it is an input of this run"), over.stderr)
        try "---\ntitle: 标志\n---\n\n![坏](cut.eps)\n".write(toFile: md, atomically: true, encoding: .utf8)
        let bad = try shell(folio, ["render", md, "-o", work + "/bad.pdf"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("a.md:5:1: error: the EPS image") && bad.stderr.contains("truncated or corrupt"), bad.stderr)
    }
}
