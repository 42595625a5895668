/// Drawing page values: PDF boxes and JPEG pass-through, PNG previews, atomic writes, traces.
@testable import FolioRender
import CPangoCairo
import FolioCore
import Foundation
import XCTest

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

let fixtureJPEG = ImageInfo(path: repoRoot + "/examples/sample-issue/images/grassland.jpg", format: .jpeg, pixelWidth: 1500, pixelHeight: 1000)

/// A page with a tinted rule, a JPEG, a missing-image placeholder and two Han glyphs.
func fixturePage(number: Int = 1) -> Page {
    let jpeg = fixtureJPEG
    let bleed = mm(3)
    let size = Size(width: mm(216), height: mm(291))
    let trim = Rect(x: bleed, y: bleed, width: mm(210), height: mm(285))
    let glyphs = [PlacedGlyph(id: 1000, x: 0, y: 0), PlacedGlyph(id: 1001, x: 10, y: 0)]
    let run = GlyphRun(font: FontRef(file: "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", index: 2, size: 10),
                       color: .black, glyphs: glyphs, text: "字形", clusters: [ClusterMap(bytes: 3, glyphs: 1), ClusterMap(bytes: 3, glyphs: 1)])
    let line = SetLine(runs: [run], width: 20, ascent: 8.8, descent: 1.2, range: 0..<2)
    return Page(size: size, trim: trim, items: [
        .rect(RectItem(frame: Rect(x: 0, y: 0, width: size.width, height: 100), fill: Color(red: 0.8, green: 0.1, blue: 0.1))),
        .image(ImageItem(image: jpeg, frame: Rect(x: 100, y: 200, width: 300, height: 200))),
        .image(ImageItem(image: nil, frame: Rect(x: 100, y: 450, width: 300, height: 100))),
        .text(TextItem(origin: Point(x: 100, y: 600), line: line, role: .body)),
    ], number: number)
}

final class RenderTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let jpeg = fixtureJPEG
    func page(number: Int = 1) -> Page { fixturePage(number: number) }

    func testPDFRecordsTrimAndBleedBoxesOnEveryPage() throws {
        let path = dir.appendingPathComponent("boxes.pdf").path
        let writer = try PDFWriter(path: path, info: DocumentInfo(title: "t", date: "2024-06-15T00:00:00"))
        try writer.write(page(number: 1))
        try writer.write(page(number: 2))
        try writer.finish()
        let out = try shell("pdfinfo", "-box", "-l", "2", path)
        let trims = out.split(separator: "\n").filter { $0.contains("TrimBox:") }
        XCTAssertEqual(trims.count, 2, out)
        for t in trims {
            let n = t.split(separator: " ").compactMap { Double($0) }.suffix(4)
            XCTAssertEqual(Array(n), [mm(3), mm(3), mm(213), mm(288)], accuracy: 0.01)
        }
        XCTAssertTrue(out.contains("Page    2 BleedBox"), out)
        // qpdf-free structural check: the xref offsets still point at objects.
        XCTAssertFalse(try shell("pdftotext", path, "-").contains("Syntax Error"))
    }

    func testJPEGBytesArePassedThroughUnchanged() throws {
        let path = dir.appendingPathComponent("jpeg.pdf").path
        let writer = try PDFWriter(path: path, info: DocumentInfo(title: "t", date: "2024-06-15T00:00:00"))
        try writer.write(page())
        try writer.finish()
        let pdf = try Data(contentsOf: URL(fileURLWithPath: path))
        let original = try Data(contentsOf: URL(fileURLWithPath: jpeg.path))
        XCTAssertNotNil(pdf.range(of: original), "the JPEG was re-encoded")
    }

    func testSameInputGivesTheSameBytes() throws {
        func render(_ name: String) throws -> Data {
            let path = dir.appendingPathComponent(name).path
            let writer = try PDFWriter(path: path, info: DocumentInfo(title: "t", date: "2024-06-15T00:00:00"))
            try writer.write(page())
            try writer.finish()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        XCTAssertEqual(try render("a.pdf"), try render("b.pdf"))
    }

    func testUnwritableOutputFailsAndLeavesNoFile() {
        let path = dir.appendingPathComponent("missing-folder/out.pdf").path
        XCTAssertThrowsError(try PDFWriter(path: path, info: DocumentInfo(title: "t", date: "2024-06-15T00:00:00")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testPNGPreviewIsTheTrimAtTheRequestedResolution() throws {
        let path = dir.appendingPathComponent("p.png").path
        try PNGWriter.write(page(), dpi: 72, to: path)
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        let w = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(w, Int(mm(210).rounded()))
        XCTAssertEqual(h, Int(mm(285).rounded()))
    }

    /// A preview decodes a JPEG at the smallest of libjpeg-turbo's scales that still gives every
    /// pixel of the page one of the image's (a camera photo at 110 dpi: half its width and height):
    /// the page looks the same, the image is decoded once whether ahead or when drawn, and the
    /// PDF keeps the whole JPEG.
    func testPreviewsDecodeJPEGsAtThePagesResolution() throws {
        // The scale is the first of libjpeg-turbo's eighths at or above what is needed.
        let cache = ImageCache(mode: .decode)
        XCTAssertEqual([0.01, 0.3, 0.5, 0.51, 0.9, 1, 3].map(cache.jpegShare), [0.125, 0.375, 0.5, 0.625, 1, 1, 1])
        XCTAssertEqual(ImageCache(mode: .passThrough).jpegShare(needed: 0.2), 1, "a PDF's JPEG passes through whole")
        // The fixture page at 40 dpi is 340 × 458 pixels: decoded ahead of drawing, the 1500 × 1000
        // photo is decoded for a frame across the page, at a quarter.
        let p = page()
        cache.drawArea = PNGWriter.drawArea(p.size, dpi: 40)
        let quarter = try cache.surface(for: jpeg, needed: cache.needed(for: jpeg, in: nil))
        XCTAssertEqual([cairo_image_surface_get_width(quarter), cairo_image_surface_get_height(quarter)], [375, 250])
        // Its frame on the page (300 × 200 pt: 167 × 111 pixels) needs an eighth, a frame larger
        // than the page the whole photo: each decoded when asked for.
        let eighth = try cache.surface(for: jpeg, needed: cache.needed(for: jpeg, in: Size(width: 167, height: 111)))
        XCTAssertEqual([cairo_image_surface_get_width(eighth), cairo_image_surface_get_height(eighth)], [188, 125])
        let whole = try cache.surface(for: jpeg, needed: cache.needed(for: jpeg, in: Size(width: 1400, height: 900)))
        XCTAssertEqual([cairo_image_surface_get_width(whole), cairo_image_surface_get_height(whole)], [1500, 1000])
        XCTAssertEqual(cache.decodeCount, 3)

        // Decoded ahead, a photo across the page is not decoded again; one in a smaller frame is,
        // at its share. Either way the page is the one drawn without decoding ahead, and the page
        // drawn from the whole photo but for a rounding here and there.
        var across = p
        across.items[1] = .image(ImageItem(image: jpeg, frame: Rect(x: 0, y: 200, width: p.size.width, height: p.size.width * 2 / 3)))
        let aheadAcross = PNGWriter.Prefetch([jpeg], pageSize: p.size, dpi: 40)
        XCTAssertEqual(try PNGWriter.encode(spread: [across], dpi: 40, images: aheadAcross), try PNGWriter.encode(spread: [across], dpi: 40))
        XCTAssertEqual(aheadAcross.drawer.images.decodeCount, 1)
        let ahead = PNGWriter.Prefetch([jpeg], pageSize: p.size, dpi: 40)
        let scaled = try PNGWriter.encode(spread: [p], dpi: 40, images: ahead)
        XCTAssertEqual(ahead.drawer.images.decodeCount, 2)
        XCTAssertEqual(try PNGWriter.encode(spread: [p], dpi: 40), scaled, "the same pixels whether decoded ahead or when drawn")
        let full = PNGWriter.Prefetch([], pageSize: p.size, dpi: 40)
        full.drawer.images.scalesJPEGs = false
        let fromWhole = try PNGWriter.encode(spread: [p], dpi: 40, images: full)
        XCTAssertNotEqual(fromWhole, scaled)
        let (a, b) = (try pixels(scaled), try pixels(fromWhole))
        XCTAssertEqual(a.count, b.count)
        let mean = Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
        XCTAssertLessThan(mean, 1.0, "mean difference per channel, in levels of 255")
    }

    /// A large JPEG a preview decoded is kept as a proxy in the user's cache: the next preview
    /// (another process: a fresh image cache) draws the same pixels from it, not from the file;
    /// once the file changes it is decoded again. The folder keeps the proxies used last.
    func testLargeJPEGsAreKeptDecodedForTheNextPreview() throws {
        setenv("XDG_CACHE_HOME", dir.appendingPathComponent("cache").path, 1)
        let smallest = ImageProxies.smallest
        defer { unsetenv("XDG_CACHE_HOME"); ImageProxies.smallest = smallest; ImageProxies.limit = 256 << 20 }
        ImageProxies.smallest = 1_000_000   // the 1500 × 1000 fixture counts as large
        let photo = dir.appendingPathComponent("photo.jpg").path
        try FileManager.default.copyItem(atPath: jpeg.path, toPath: photo)
        var p = page()
        p.items[1] = .image(ImageItem(image: ImageInfo(path: photo, format: .jpeg, pixelWidth: 1500, pixelHeight: 1000), frame: Rect(x: 100, y: 200, width: 300, height: 200)))
        // The proxy is written while the page is drawn: the command writing the PNG waits for it.
        func encoded() throws -> Data {
            let png = try PNGWriter.encode(spread: [p], dpi: 40)
            ImageProxies.finishStoring()
            return png
        }
        let first = try encoded()
        let folder = try XCTUnwrap(ImageProxies.folder).path
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(kept.count, 1)
        XCTAssertEqual(try encoded(), first, "drawn from the proxy: the same pixels")
        // Proof that it is drawn from the proxy: its pixels spoiled, the page shows them.
        let proxy = folder + "/" + kept[0]
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: proxy))
        bytes.replaceSubrange(16..<bytes.count, with: Data(count: bytes.count - 16))
        try bytes.write(to: URL(fileURLWithPath: proxy))
        XCTAssertNotEqual(try encoded(), first)
        // The photo changed (its time): decoded from the file again, into a proxy of its own.
        var later = timespec(tv_sec: time(nil) + 60, tv_nsec: 0)
        var times = [later, later]
        XCTAssertEqual(utimensat(AT_FDCWD, photo, &times, 0), 0)
        XCTAssertEqual(try encoded(), first)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.count, 2)
        // Past its bound the folder lets go of the proxies used longest ago (the spoiled one).
        ImageProxies.limit = bytes.count + 1
        later.tv_sec += 60
        times = [later, later]
        XCTAssertEqual(utimensat(AT_FDCWD, photo, &times, 0), 0)
        XCTAssertEqual(try encoded(), first)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: proxy))
        // Small JPEGs are not kept.
        ImageProxies.smallest = 2_000_000
        try FileManager.default.removeItem(atPath: folder)
        _ = try encoded()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }

    /// The live preview keeps its pages' images decoded from one PNG to the next (at each share
    /// its resolutions need), decodes an image again when its file changes, and lets go of the
    /// images drawn longest ago past its bound.
    func testKeptImagesAreDecodedOnceUntilTheirFileChanges() throws {
        let photo = dir.appendingPathComponent("photo.jpg").path
        try FileManager.default.copyItem(atPath: jpeg.path, toPath: photo)
        var p = page()
        p.items[1] = .image(ImageItem(image: ImageInfo(path: photo, format: .jpeg, pixelWidth: 1500, pixelHeight: 1000), frame: Rect(x: 100, y: 200, width: 300, height: 200)))
        let kept = PNGWriter.Prefetch()
        let first = try PNGWriter.encode(spread: [p], dpi: 80, images: kept)
        XCTAssertEqual(try PNGWriter.encode(spread: [p], dpi: 80, images: kept), first)
        XCTAssertEqual(kept.drawer.images.decodeCount, 1)
        // Thumbnails (10 dpi: an eighth; the page at 80 dpi, a quarter) beside the page shown: both kept.
        _ = try PNGWriter.encode(spread: [p], dpi: 10, images: kept)
        _ = try PNGWriter.encode(spread: [p], dpi: 80, images: kept)
        XCTAssertEqual(kept.drawer.images.decodeCount, 2)
        // Another picture saved under the same name: decoded again, and drawn.
        try FileManager.default.removeItem(atPath: photo)
        try FileManager.default.copyItem(atPath: repoRoot + "/Tests/EndToEndTests/Fixtures/adobe-rgb.jpg", toPath: photo)
        XCTAssertNotEqual(try PNGWriter.encode(spread: [p], dpi: 80, images: kept), first)
        XCTAssertEqual(kept.drawer.images.decodeCount, 3)
        // Past the bound, the image drawn longest ago goes first: drawn again, it is decoded again.
        kept.drawer.images.kept?.bytes = 1
        var other = page()
        other.items[1] = .image(ImageItem(image: jpeg, frame: Rect(x: 100, y: 200, width: 300, height: 200)))
        _ = try PNGWriter.encode(spread: [other], dpi: 80, images: kept)
        _ = try PNGWriter.encode(spread: [other], dpi: 80, images: kept)
        XCTAssertEqual(kept.drawer.images.decodeCount, 4)
        _ = try PNGWriter.encode(spread: [p], dpi: 80, images: kept)
        XCTAssertEqual(kept.drawer.images.decodeCount, 5)
    }

    /// The bytes of a PNG's pixels as Cairo decodes them.
    func pixels(_ png: Data) throws -> [UInt8] {
        let path = dir.appendingPathComponent("\(UUID().uuidString).png").path
        try png.write(to: URL(fileURLWithPath: path))
        let s = try XCTUnwrap(cairo_image_surface_create_from_png(path))
        defer { cairo_surface_destroy(s) }
        let n = Int(cairo_image_surface_get_stride(s)) * Int(cairo_image_surface_get_height(s))
        return Array(UnsafeBufferPointer(start: cairo_image_surface_get_data(s), count: n))
    }

    /// Images decoded ahead on other cores (a preview's) draw the same pixels as images decoded
    /// when drawn; an image that cannot be decoded ahead is decoded again and reported as ever.
    func testImagesDecodedAheadDrawTheSamePixels() throws {
        let png = ImageInfo(path: repoRoot + "/examples/sample-issue/images/ornament.png", format: .png, pixelWidth: 1200, pixelHeight: 800)
        var p = page()
        p.items.append(.image(ImageItem(image: png, frame: Rect(x: 100, y: 650, width: 300, height: 200))))
        let plain = try PNGWriter.encode(spread: [p], dpi: 40)
        XCTAssertEqual(try PNGWriter.encode(spread: [p], dpi: 40, images: PNGWriter.Prefetch([jpeg, png], pageSize: p.size, dpi: 40)), plain)
        // A prefetch that is never drawn is abandoned without a leak or a wait.
        _ = PNGWriter.Prefetch([jpeg, png], pageSize: p.size, dpi: 40)
        let broken = dir.appendingPathComponent("broken.png").path
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: broken))
        var q = page()
        q.items.append(.image(ImageItem(image: ImageInfo(path: broken, format: .png, pixelWidth: 10, pixelHeight: 10), frame: Rect(x: 0, y: 0, width: 10, height: 10))))
        let ahead = PNGWriter.Prefetch(q.items.compactMap { if case .image(let i) = $0 { return i.image } else { return nil } }, pageSize: q.size, dpi: 40)
        XCTAssertThrowsError(try PNGWriter.encode(spread: [q], dpi: 40, images: ahead)) {
            XCTAssertTrue("\($0)".contains("cannot decode the PNG image \(broken)"), "\($0)")
        }
    }

    /// The preview PNG, its rows filtered and compressed in bands on every core, decodes to the
    /// pixels Cairo drew (read back by Python's zlib, as any PNG reader would).
    func testPNGBandsDecodeToThePixelsDrawn() throws {
        let path = dir.appendingPathComponent("bands.png").path
        try PNGWriter.write(page(), dpi: 50, to: path)
        let script = """
        import sys, zlib, struct
        d = open(sys.argv[1], 'rb').read(); i = 8; idat = b''; crcs = True
        while i < len(d):
            n = struct.unpack('>I', d[i:i+4])[0]; t = d[i+4:i+8]; body = d[i+8:i+8+n]
            crcs = crcs and zlib.crc32(t + body) == struct.unpack('>I', d[i+8+n:i+12+n])[0]
            if t == b'IHDR': w, h = struct.unpack('>II', body[:8])
            if t == b'IDAT': idat += body
            i += 12 + n
        raw = zlib.decompress(idat); row = 1 + 3 * w; prev = bytearray(3 * w); red = 0
        for y in range(h):
            assert raw[y * row] == 2
            cur = bytearray((a + b) & 255 for a, b in zip(raw[y * row + 1:(y + 1) * row], prev))
            red += sum(1 for x in range(w) if cur[3*x] > 150 and cur[3*x+1] < 80 and cur[3*x+2] < 80)
            prev = cur
        print(w, h, crcs, red)
        """
        let out = try shell("python3", "-c", script, path).split(separator: " ").map(String.init)
        XCTAssertEqual(out.count, 4, out.joined(separator: " "))
        let (w, h) = (Int(out[0]) ?? 0, Int(out[1]) ?? 0)
        XCTAssertEqual(w, Int((mm(210) * 50 / 72).rounded()))
        XCTAssertEqual(h, Int((mm(285) * 50 / 72).rounded()))
        XCTAssertEqual(out[2], "True", "every chunk's CRC")
        // The red band across the page's top (100 pt of the 291 mm page, less the 3 mm bleed).
        let bandRows = Int(((100 - mm(3)) * 50 / 72).rounded())
        XCTAssertEqual(Double(Int(out[3].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0), Double(bandRows * w), accuracy: Double(2 * w))
    }

    func testTraceListsEveryItem() {
        let trace = TraceWriter.trace(page())
        XCTAssertEqual(trace.split(separator: "\n").count, 5)
        XCTAssertTrue(trace.contains("image 100.00,200.00 300.00x200.00 grassland.jpg"))
        XCTAssertTrue(trace.contains("image 100.00,450.00 300.00x100.00 missing"))
        XCTAssertTrue(trace.contains("text body 100.00,600.00 w20.00 字形"))
    }
}

/// Runs a command line tool and returns what it printed (standard output and error).
@discardableResult
func shell(_ args: String...) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
