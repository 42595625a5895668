/// CFF fonts drawn from HarfBuzz subsets: kept across documents, grown for recurring glyphs,
/// and the same bytes whatever a worker wrote before.
import CPangoCairo
@testable import FolioRender
import FolioCore
import Foundation
import XCTest

final class FontSubsetTests: XCTestCase {
    let serif = FontRef(file: "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", index: 2, size: 10)
    /// Glyphs outside GB 2312 (vertical forms and rare ideographs at the end of the font).
    let rare: [UInt32] = [60001, 60002, 60003]
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-subset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        setenv("XDG_CACHE_HOME", dir.appendingPathComponent("cache").path, 1)   // a cache of the test's own
    }
    override func tearDownWithError() throws {
        unsetenv("XDG_CACHE_HOME")
        try? FileManager.default.removeItem(at: dir)
    }

    /// A glyph of a common character (GB 2312).
    var guo: UInt32 { Self.nominalGlyphs(of: "国", in: serif)[0] }

    /// One line of the given glyphs, each a cluster showing `showing` (one Han character).
    func page(_ glyphs: [UInt32], showing: String = "字") -> Page {
        let placed = glyphs.enumerated().map { PlacedGlyph(id: $0.element, x: Double($0.offset) * 10, y: 0) }
        let text = String(repeating: showing, count: glyphs.count)
        let run = GlyphRun(font: serif, color: .black, glyphs: placed, text: text,
                           clusters: Array(repeating: ClusterMap(bytes: showing.utf8.count, glyphs: 1), count: glyphs.count))
        let line = SetLine(runs: [run], width: Double(glyphs.count) * 10, ascent: 8.8, descent: 1.2, range: 0..<glyphs.count)
        return Page(size: Size(width: 300, height: 300), trim: Rect(x: 0, y: 0, width: 300, height: 300),
                    items: [.text(TextItem(origin: Point(x: 20, y: 50), line: line, role: .body))], number: 1)
    }

    func write(_ name: String, _ pages: [Page], _ resources: RenderResources) throws -> Data {
        let path = dir.appendingPathComponent(name).path
        let writer = try PDFWriter(path: path, info: DocumentInfo(title: "t", date: "2024-06-15T00:00:00"), resources: resources)
        for p in pages { try writer.write(p) }
        try writer.finish()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// `body` with a HarfBuzz font of the face of `font`.
    static func withFont<T>(_ font: FontRef, _ body: (OpaquePointer) -> T) -> T {
        let blob = hb_blob_create_from_file(font.file)
        let face = hb_face_create(blob, UInt32(font.index)), hbFont = hb_font_create(face)
        defer { hb_font_destroy(hbFont); hb_face_destroy(face); hb_blob_destroy(blob) }
        return body(hbFont!)
    }

    /// The glyphs HarfBuzz shapes `text` to in `language` with the face of `font`.
    static func shapedGlyphs(_ text: String, language: String, font: FontRef) -> [UInt32] {
        withFont(font) { hbFont in
            let buffer = hb_buffer_create()
            defer { hb_buffer_destroy(buffer) }
            hb_buffer_add_utf8(buffer, text, Int32(text.utf8.count), 0, -1)
            hb_buffer_set_language(buffer, hb_language_from_string(language, -1))
            hb_buffer_guess_segment_properties(buffer)
            if language == "en" { hb_buffer_set_script(buffer, HB_SCRIPT_LATIN) }
            hb_shape(hbFont, buffer, nil, 0)
            var count: UInt32 = 0
            let infos = hb_buffer_get_glyph_infos(buffer, &count)
            return (0..<Int(count)).map { infos![$0].codepoint }
        }
    }

    /// The glyphs the font's cmap gives `text`'s characters.
    static func nominalGlyphs(of text: String, in font: FontRef) -> [UInt32] {
        withFont(font) { hbFont in
            text.unicodeScalars.compactMap { u in
                var g: hb_codepoint_t = 0
                return hb_font_get_nominal_glyph(hbFont, u.value, &g) != 0 ? g : nil
            }
        }
    }

    /// The glyphs the font's cmap gives the common characters.
    static func nominalGlyphs(in font: FontRef) -> Set<UInt32> {
        withFont(font) { hbFont in
            Set(FontSubsetter.commonCharacters.compactMap { u in
                var g: hb_codepoint_t = 0
                return hb_font_get_nominal_glyph(hbFont, u, &g) != 0 ? g : nil
            })
        }
    }

    func testCommonCharactersAreAsciiPunctuationAndTheHanziOfGB2312() {
        let chars = FontSubsetter.commonCharacters
        XCTAssertEqual(chars.filter { (0x4E00...0x9FFF).contains($0) }.count, 6763)
        for c in ["的", "一", "，", "。", "A", "“"] { XCTAssertTrue(chars.contains(c.unicodeScalars.first!.value), c) }
        XCTAssertFalse(chars.contains(0x4DB5))   // an Extension A ideograph
    }

    func testKeptSubsetServesLaterDocumentsAndGrowsOnlyForRecurringGlyphs() throws {
        let fonts = CairoFonts(), key = FaceKey(serif)
        fonts.beginDocument([page([1000, 1001])])
        XCTAssertNotNil(fonts.document[key], "the first document makes the kept subset")
        XCTAssertFalse(fonts.own.contains(key))
        fonts.endDocument()
        XCTAssertEqual(fonts.kept[key]?.subset.glyphs, [0, 1000, 1001], "of just its glyphs: one PDF pays for no more")

        fonts.beginDocument([page([1000])])
        XCTAssertFalse(fonts.own.contains(key), "a document it covers is drawn from it")
        fonts.endDocument()

        // A second document needing more: the kept subset takes the common characters and the
        // glyphs this document shares with earlier ones — not those drawn once (a name's rare
        // character), so that other workers and runs seed it alike and find it in the cache.
        // A glyph of the document's own it lacks: the document gets a subset of its own.
        fonts.beginDocument([page([1000, 2000])])
        XCTAssertTrue(fonts.own.contains(key))
        fonts.endDocument()
        let kept = try XCTUnwrap(fonts.kept[key]?.subset.glyphs)
        XCTAssertGreaterThan(kept.count, 6000, "the common characters are in it")
        XCTAssertTrue(kept.contains(1000))
        XCTAssertFalse(kept.contains(1001), "drawn by one document")
        XCTAssertFalse(kept.contains(2000), "drawn by one document")
        XCTAssertTrue(rare.allSatisfy { !kept.contains($0) })
        fonts.beginDocument([page([1000, guo])])
        XCTAssertFalse(fonts.own.contains(key), "a common character: the kept subset")
        fonts.endDocument()
        // With the forms the common characters take in Latin and Chinese text: a Latin run's
        // digit is another glyph than the cmap's, and a document of it needs no subset of its own.
        let two = try XCTUnwrap(Self.shapedGlyphs("2", language: "en", font: serif).first)
        XCTAssertFalse(Self.nominalGlyphs(in: serif).contains(two), "glyph \(two) is not the cmap's")
        XCTAssertTrue(kept.contains(two), "the Latin 2 (glyph \(two))")

        // Glyphs it lacks: the document gets its own subset, until they have recurred in
        // `growth` documents; then the kept subset takes them.
        for k in 0..<CairoFonts.growth {
            fonts.beginDocument([page(rare + [1000])])
            XCTAssertTrue(fonts.own.contains(key), "document \(k)")
            fonts.endDocument()
        }
        fonts.beginDocument([page(rare)])
        XCTAssertFalse(fonts.own.contains(key))
        XCTAssertTrue(Set(rare).isSubset(of: try XCTUnwrap(fonts.document[key]?.glyphs)))
        fonts.endDocument()

        // Glyphs that never recur do not make it grow.
        let before = try XCTUnwrap(fonts.kept[key]?.subset.glyphs.count)
        for k in 0..<(2 * CairoFonts.growth) {
            fonts.beginDocument([page([UInt32(61000 + k)])])
            XCTAssertTrue(fonts.own.contains(key))
            fonts.endDocument()
        }
        XCTAssertEqual(fonts.kept[key]?.subset.glyphs.count, before)
    }

    /// An archive's documents draw a thousand or two of the seeded subset's 7,000 glyphs; once
    /// they draw glyphs seen before, a subset of just those serves them (Cairo copies the whole
    /// font program of the subset it draws from, twice per PDF).
    func testTheUsualSubsetHoldsJustTheGlyphsDocumentsDrewOnceTheyRecur() throws {
        let fonts = CairoFonts(), key = FaceKey(serif)
        func draw(_ glyphs: [UInt32]) -> Set<UInt32>? {
            fonts.beginDocument([page(glyphs)])
            defer { fonts.endDocument() }
            XCTAssertFalse(fonts.own.contains(key), "\(glyphs)")
            return fonts.document[key]?.glyphs
        }
        let guo = guo
        _ = draw([1000, 1001, 2000])
        let seeded = try XCTUnwrap(draw([1000, 2000, guo])?.count, "seeded with the common characters")
        XCTAssertGreaterThan(seeded, 6000)
        // Documents drawing only glyphs seen before: the seeded subset, until `growth` of them.
        for _ in 1..<CairoFonts.growth { XCTAssertEqual(draw([2000, guo])?.count, seeded) }
        XCTAssertNil(fonts.kept[key]?.usual)
        XCTAssertEqual(draw([1000, 2000]), [0, 1000, 1001, 2000, guo], "just the glyphs documents drew")
        XCTAssertEqual(draw([1001]), [0, 1000, 1001, 2000, guo])
        // A common glyph no document drew: the seeded subset; once it recurs in twice as many
        // documents as the first time, the usual subset is made again with it.
        let zhong = try XCTUnwrap(Self.nominalGlyphs(of: "中", in: serif).first)
        XCTAssertEqual(draw([zhong])?.count, seeded)
        for _ in 1..<(2 * CairoFonts.growth) { XCTAssertEqual(draw([zhong, 1000])?.count, seeded) }
        XCTAssertEqual(draw([zhong]), [0, 1000, 1001, 2000, guo, zhong])
        XCTAssertEqual(fonts.kept[key]?.usualMade, 2)
        XCTAssertEqual(fonts.kept[key]?.subset.glyphs.count, seeded, "the seeded subset did not grow")
    }

    /// Past `usualLargest` glyphs drawn the usual subset would save little, and is not made.
    func testNoUsualSubsetOnceDocumentsDrewManyGlyphs() throws {
        let fonts = CairoFonts(), key = FaceKey(serif)
        fonts.beginDocument([page([1000])]); fonts.endDocument()
        let many = (0..<UInt32(CairoFonts.usualLargest + 1)).map { 20_000 + $0 }
        for part in stride(from: 0, to: many.count, by: 1000) {
            fonts.beginDocument([page(Array(many[part..<min(part + 1000, many.count)]))]); fonts.endDocument()
        }
        for _ in 0..<(2 * CairoFonts.growth) { fonts.beginDocument([page([1000])]); fonts.endDocument() }
        XCTAssertGreaterThan(try XCTUnwrap(fonts.kept[key]?.seen.count), CairoFonts.usualLargest)
        XCTAssertNil(fonts.kept[key]?.usual)
    }

    /// A worker whose documents keep bringing ideographs beyond GB 2312 that no other document
    /// draws (rare names and places) gave each a subset of its own; once `growth` of them, and a
    /// quarter of the documents since seeding, did, the kept subset takes every CJK Unified
    /// Ideograph, and such documents are drawn from it — to the same bytes. Documents needing
    /// other glyphs (vertical forms) do not widen it, nor a few rare ideographs among many
    /// documents it serves.
    func testAKeptSubsetWidensToEveryIdeographWhenDocumentsKeepBringingRareOnes() throws {
        let names = "喆堃镕犇玥垚燊珺"
        for u in names.unicodeScalars { XCTAssertFalse(FontSubsetter.commonCharacters.contains(u.value), "\(u) is not in GB 2312") }
        let rareHan = Self.nominalGlyphs(of: names, in: serif)
        XCTAssertEqual(rareHan.count, 8)
        let key = FaceKey(serif), guo = guo
        func seeded() -> (fonts: CairoFonts, draw: ([UInt32]) -> Bool) {
            let fonts = CairoFonts()
            func draw(_ glyphs: [UInt32]) -> Bool {
                fonts.beginDocument([page(glyphs)])
                defer { fonts.endDocument() }
                return fonts.own.contains(key)
            }
            _ = draw([1000, 1001])
            XCTAssertFalse(draw([1000, guo]), "seeded")
            return (fonts, draw)
        }
        // Vertical forms, and a rare ideograph in one document of four it serves: not widened.
        let (fonts, draw) = seeded()
        for _ in 0..<CairoFonts.growth { XCTAssertTrue(draw([guo] + rare)) }
        for k in 0..<(4 * CairoFonts.growth) { XCTAssertEqual(draw([guo] + (k % 4 == 3 ? [rareHan[k / 4]] : [])), k % 4 == 3, "\(k)") }
        XCTAssertEqual(fonts.kept[key]?.wide, false)
        // Document after document with rare ideographs of its own: widened at the `growth`th,
        // with the other glyphs they lacked (a form of the template's that no character maps to).
        let (other, drawOther) = seeded()
        for k in 0..<(CairoFonts.growth - 1) { XCTAssertTrue(drawOther([guo, rareHan[k], rare[0]]), "document \(k)") }
        XCTAssertEqual(other.kept[key]?.wide, false)
        XCTAssertFalse(drawOther([guo, rareHan[CairoFonts.growth - 1], rare[0]]))
        XCTAssertEqual(other.kept[key]?.wide, true)
        XCTAssertGreaterThan(try XCTUnwrap(other.kept[key]?.subset.glyphs.count), 20_000)
        XCTAssertFalse(drawOther(rareHan + [1000]), "rare ideographs drawn from it")
        XCTAssertTrue(drawOther(rare), "other glyphs no document lacked before: a subset of their own")

        let fresh = try write("fresh.pdf", [page(rareHan + [guo])], RenderResources())
        let shared = RenderResources()
        for (k, glyphs) in ([[1000, 1001], [1000, guo]] + rareHan.map { [guo, $0] }).enumerated() { _ = try write("\(k).pdf", [page(glyphs)], shared) }
        XCTAssertEqual(shared.pdfDrawer.fonts.kept[key]?.wide, true)
        XCTAssertEqual(try write("wide.pdf", [page(rareHan + [guo])], shared), fresh, "drawn from the widened subset")
    }

    /// The seeded subset (7,000 glyphs, a tenth of a second to make) is kept in the user's cache:
    /// the next worker, or the next run, reads it instead of making it, and draws the same
    /// bytes. A file in the cache that is not whole, or not of the same glyphs, is made again.
    func testTheSeededSubsetIsKeptInTheCacheForTheNextWorker() throws {
        let documents = [[1000, 1001], [1000, guo], [guo] + rare]
        /// A worker's PDFs, and how many subsets it had HarfBuzz make.
        func worker(_ name: String) throws -> ([Data], Int) {
            let resources = RenderResources()
            let pdfs = try documents.enumerated().map { try write("\(name)\($0.offset).pdf", [page($0.element)], resources) }
            return (pdfs, resources.pdfDrawer.fonts.subsetter.made)
        }
        let folder = try XCTUnwrap(FontSubsetter.cache).path
        let (first, made) = try worker("a")
        XCTAssertEqual(made, 3, "the first document's subset, the seeded one, the third document's own")
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder)
        XCTAssertEqual(kept.count, 1)
        let file = folder + "/" + kept[0]
        let whole = try Data(contentsOf: URL(fileURLWithPath: file))
        XCTAssertGreaterThan(whole.count, 1_000_000)

        let (second, madeAgain) = try worker("b")
        XCTAssertEqual(second, first, "the same bytes, drawn from the subset read from the cache")
        XCTAssertEqual(madeAgain, 2, "the seeded subset read, not made")
        // A worker whose first document's glyphs beyond the common characters are the seed's:
        // drawn from it from the first document on.
        let single = RenderResources()
        XCTAssertEqual(try write("single.pdf", [page([1000, guo])], single), first[1])
        XCTAssertEqual(single.pdfDrawer.fonts.subsetter.made, 1, "a single PDF: from a subset of its glyphs")
        let resources = RenderResources()
        resources.manyDocuments = true
        XCTAssertEqual(try write("first.pdf", [page([1000, guo])], resources), first[1])
        XCTAssertEqual(resources.pdfDrawer.fonts.subsetter.made, 0)
        XCTAssertEqual(resources.pdfDrawer.fonts.kept[FaceKey(serif)]?.seeded, true)

        // Not whole (a run ended while writing it, a full disk): made again, and kept whole.
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: file))
        let (third, madeThird) = try worker("c")
        XCTAssertEqual(third, first)
        XCTAssertEqual(madeThird, 3)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), whole)
        // Of other glyphs under this name (a glyph id changed): made again.
        var other = whole
        other[16] ^= 1
        try other.write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(try worker("d").1, 3)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), whole)
        // Without a cache folder: made, and nothing kept.
        unsetenv("XDG_CACHE_HOME")
        let home = getenv("HOME").map { String(cString: $0) }
        unsetenv("HOME")
        defer { if let home { setenv("HOME", home, 1) } }
        XCTAssertNil(FontSubsetter.cache)
        let (fourth, madeFourth) = try worker("e")
        XCTAssertEqual(fourth, first)
        XCTAssertEqual(madeFourth, 3)
    }

    func testBytesDoNotDependOnWhatTheWorkerWroteBefore() throws {
        let fresh = try write("fresh.pdf", [page(rare + [1000])], RenderResources())
        let shared = RenderResources()
        _ = try write("other.pdf", [page([1000, 1001])], shared)
        XCTAssertEqual(try write("own.pdf", [page(rare + [1000])], shared), fresh, "drawn from its own subset")
        for k in 0..<CairoFonts.growth { _ = try write("grow\(k).pdf", [page(rare)], shared) }
        XCTAssertEqual(try write("kept.pdf", [page(rare + [1000])], shared), fresh, "drawn from the grown kept subset")
        for k in 0..<CairoFonts.growth { _ = try write("seen\(k).pdf", [page([1000, 1001])], shared) }
        XCTAssertNotNil(shared.pdfDrawer.fonts.kept[FaceKey(serif)]?.usual)
        XCTAssertEqual(try write("usual.pdf", [page(rare + [1000])], shared), fresh, "drawn from the usual subset")
    }

    /// A document reads its glyphs' characters back from a cmap of its own glyphs (`SubsetCmap`),
    /// whichever subset it is drawn from: those Cairo takes from the font — of glyphs showing
    /// more than one character (two here, as when a space is carried by the character after
    /// it), or none in the cmap (the Latin 2) — come out the same from the kept subset as from
    /// a subset of the document's glyphs alone. (From HarfBuzz's cmaps, 示 read back as the
    /// Kangxi radical ⽰ from the one and as 示 from the other.)
    func testADocumentDrawnFromTheKeptSubsetReadsItsCharactersFromACmapOfItsOwn() throws {
        let glyphs = Self.shapedGlyphs("各族群众共建美好家园，“示范”：２０２４年。", language: "zh-Hans", font: serif)
            + Self.shapedGlyphs("2024 Aq", language: "en", font: serif)
        let fresh = try write("fresh.pdf", [page(glyphs, showing: "字字")], RenderResources())
        let shared = RenderResources()
        _ = try write("first.pdf", [page([1000, 1001])], shared)
        _ = try write("second.pdf", [page([1000, 2000])], shared)
        XCTAssertEqual(try write("kept.pdf", [page(glyphs, showing: "字字")], shared), fresh)

        let fonts = CairoFonts(), key = FaceKey(serif)
        for glyphs: [UInt32] in [[1000, 1001], [1000, guo], glyphs] {
            fonts.beginDocument([page(glyphs)])
            XCTAssertFalse(fonts.own.contains(key))
            if glyphs.count > 2 { break }
            fonts.endDocument()
        }
        let cmap = try XCTUnwrap(fonts.document[key]?.cmap, "the kept subset, holding the common characters")
        XCTAssertGreaterThan(cmap.capacity, 20_000, "its format 4 cmap")
        XCTAssertLessThan(cmap.served, 16 + 8 * (glyphs.count + 1), "the document's: a segment a glyph at most")
        fonts.endDocument()

        // The character chosen for a glyph several map to is its own compatibility form.
        XCTAssertTrue(FontSubsetter.isOwnCompatibilityForm(0x793A), "示")
        XCTAssertFalse(FontSubsetter.isOwnCompatibilityForm(0x2F70), "the Kangxi radical ⽰")
        XCTAssertFalse(FontSubsetter.isOwnCompatibilityForm(0xB5), "the micro sign")
        XCTAssertTrue(FontSubsetter.isOwnCompatibilityForm(0x3BC), "μ")
    }

    /// `SubsetCmap` on a font of one table: a document's glyphs each map back to their
    /// character (read as Cairo reads a format 4 subtable), then the closing 0xFFFF segment —
    /// repeated up to the subtable's own number of segments when FreeType reads it too (no
    /// format 12 subtable: FreeType counted its segments when it opened the face); a document
    /// whose subtable the place cannot hold gets the whole subtable back.
    func testSubsetCmapServesEachDocumentItsGlyphsAndNoMore() throws {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v >> 16) + u16(v & 0xFFFF) }
        /// An sfnt of one table, a cmap of a (3,1) subtable, `format4` (at byte 48), and with
        /// `format12` an empty (3,10) one after it.
        func font(_ format4: [UInt8], format12: Bool = false) -> [UInt8] {
            var bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
            bytes += Array("cmap".utf8)
            bytes += u32(0)
            bytes += u32(28)
            bytes += u32(20 + format4.count + 16)
            bytes += u16(0) + u16(format12 ? 2 : 1)
            bytes += u16(3) + u16(1) + u32(20)
            bytes += format12 ? u16(3) + u16(10) + u32(20 + format4.count) : u16(0) + u16(0) + u32(0)
            bytes += format4
            return bytes + u16(12) + u16(0) + u32(16) + u32(0) + u32(0)
        }
        /// The subtable now in the font, read as Cairo 1.16 reads it: each glyph's character.
        func read(_ bytes: UnsafeMutableBufferPointer<UInt8>) -> [Int: Int] {
            func at(_ i: Int) -> Int { Int(bytes[48 + i]) << 8 | Int(bytes[48 + i + 1]) }
            let n = at(6) / 2
            var found: [Int: Int] = [:], closed = false
            for i in 0..<n {
                let (end, start, delta) = (at(14 + 2 * i), at(16 + 2 * n + 2 * i), at(16 + 4 * n + 2 * i))
                XCTAssertEqual(at(16 + 6 * n + 2 * i), 0, "delta segments only")
                if start == 0xFFFF && end == 0xFFFF { closed = true; continue }
                XCTAssertFalse(closed, "no segment after a closing one")
                for c in start...end where found[(c + delta) & 0xFFFF] == nil { found[(c + delta) & 0xFFFF] = c }
            }
            return found
        }
        let closing = (start: 0xFFFF, end: 0xFFFF, delta: 1)

        // Glyph g (1…40) shows the character 0x4E00 + 3g: no two consecutive, a segment each.
        var segments: [(start: Int, end: Int, delta: Int)] = []
        var characters: [Int32] = [-1]
        for g in 1...40 {
            let c = 0x4E00 + 3 * g
            segments.append((c, c, (g - c) & 0xFFFF))
            characters.append(Int32(c))
        }
        for format12 in [true, false] {
            var sparse = font(SubsetCmap.format4(segments + [closing], language: 0), format12: format12)
            try sparse.withUnsafeMutableBufferPointer { bytes in
                let cmap = try XCTUnwrap(SubsetCmap(sfnt: bytes.baseAddress!, length: bytes.count, characters: characters))
                XCTAssertEqual(cmap.capacity, 16 + 8 * 41)
                cmap.serve([3, 7, 7, 20])
                XCTAssertEqual(read(bytes), [3: 0x4E09, 7: 0x4E15, 20: 0x4E3C])
                XCTAssertEqual(cmap.served, 16 + 8 * (format12 ? 4 : 41), "three segments and the closing one (repeated for FreeType)")
                cmap.serve(1...40)
                XCTAssertEqual(read(bytes).count, 40)
            }
        }

        // Glyph g shows 0x4E00 + g: one segment for all forty.
        var dense = font(SubsetCmap.format4([(0x4E01, 0x4E28, (1 - 0x4E01) & 0xFFFF), closing], language: 0))
        try dense.withUnsafeMutableBufferPointer { bytes in
            let cmap = try XCTUnwrap(SubsetCmap(sfnt: bytes.baseAddress!, length: bytes.count, characters: characters.map { $0 < 0 ? -1 : 0x4E00 + ($0 - 0x4E00) / 3 }))
            cmap.serve([1, 2, 3])
            XCTAssertEqual(read(bytes), [1: 0x4E01, 2: 0x4E02, 3: 0x4E03], "consecutive glyphs and characters: one segment")
            cmap.serve([1, 3, 5])   // three segments do not fit in the place of two
            XCTAssertEqual(cmap.served, cmap.capacity)
            XCTAssertEqual(read(bytes).count, 40, "the whole subtable back")
        }

        // A font whose (3,1) subtable is not format 4 is left alone.
        var other = font(SubsetCmap.format4([closing], language: 0))
        other[48] = 0; other[49] = 12
        other.withUnsafeMutableBufferPointer { bytes in
            XCTAssertNil(SubsetCmap(sfnt: bytes.baseAddress!, length: bytes.count, characters: []))
        }
    }

    func testSubsetPDFEmbedsASmallFontAndExtractsItsText() throws {
        let data = try write("small.pdf", [page([1000, 1001, 1002])], RenderResources())
        // Cairo's embedding of the whole font carries its global subroutines (over 12 KB, see
        // below); from the subset, three glyphs take a few kilobytes.
        XCTAssertLessThan(data.count, 10_000)
        let path = dir.appendingPathComponent("small.pdf").path
        XCTAssertTrue(try shell("pdffonts", path).contains("CID Type 0C"))
        XCTAssertLessThan(try fontProgramSize(path), 6_000, "three glyphs")
        XCTAssertEqual(try shell("pdftotext", path, "-").trimmingCharacters(in: .whitespacesAndNewlines), "字字字")
    }

    /// An issue-length document (longer than a batch's articles, shorter than a bound volume) is
    /// held and drawn from a subset too, and its font files are closed once the subsets are made
    /// (reopened for the next document); a batch's short articles keep them open.
    func testAnIssueIsDrawnFromSubsetsAndClosesItsFontFiles() throws {
        let resources = RenderResources()
        let subsetter = resources.pdfDrawer.fonts.subsetter
        let short = try write("short.pdf", [page([1000, 1001])], resources)
        XCTAssertEqual(subsetter.openFaces, 1, "kept open for the next article")
        let pages = Array(repeating: page([1000, 1001, 1002]), count: PDFWriter.longDocument + 36)
        _ = try write("issue.pdf", pages, resources)
        XCTAssertEqual(subsetter.openFaces, 0, "closed after an issue's subsets")
        let path = dir.appendingPathComponent("issue.pdf").path
        XCTAssertTrue(try shell("pdfinfo", path).contains("Pages:           \(pages.count)\n"))
        XCTAssertLessThan(try fontProgramSize(path), 6_000, "three glyphs, not the whole font")
        XCTAssertTrue(try shell("pdftotext", "-l", "1", path, "-").contains("字字字"))
        XCTAssertEqual(try write("short-again.pdf", [page([1000, 1001])], resources), short, "the file opened again when needed; the same bytes")
    }

    /// `folio render` leaves a long document's libqpdf objects to the process's exit; the file
    /// is the same, a short document (a batch's, a server's) is freed as before.
    func testARenderThatEndsItsProcessLeavesALongDocumentsObjectsToTheExit() throws {
        let pages = Array(repeating: page([1000, 1001, 1002]), count: PDFWriter.longDocument + 1)
        let freed = try write("freed.pdf", pages, RenderResources())
        PDFFinisher.processEndsAfterWriting = true
        defer { PDFFinisher.processEndsAfterWriting = false }
        let before = PDFFinisher.leftToExit
        _ = try write("short.pdf", [page([1000, 1001])], RenderResources())
        XCTAssertEqual(PDFFinisher.leftToExit, before, "a short document is freed")
        XCTAssertEqual(try write("left.pdf", pages, RenderResources()), freed, "the same bytes")
        XCTAssertEqual(PDFFinisher.leftToExit, before + 1, "a long one is left to the exit")
    }

    func testLongDocumentsStreamWithTheWholeFont() throws {
        let pages = Array(repeating: page([1000, 1001]), count: PDFWriter.heldPagesLimit + 2)
        let data = try write("long.pdf", pages, RenderResources())
        let path = dir.appendingPathComponent("long.pdf").path
        XCTAssertTrue(try shell("pdfinfo", path).contains("Pages:           \(pages.count)\n"))
        XCTAssertGreaterThan(data.count, 20_000)
        // The embedded font program is the whole font's, with its subroutines (the file around it
        // is small since qpdf packs the page objects into object streams).
        XCTAssertGreaterThan(try fontProgramSize(path), 12_000, "the whole font's embedding, with its subroutines")
        XCTAssertTrue(try shell("pdftotext", "-l", "1", path, "-").contains("字字"))
        // A subset numbers its glyphs anew; drawn from one, the page shows the same outlines.
        _ = try write("short.pdf", [pages[0]], RenderResources())
        XCTAssertEqual(try raster(dir.appendingPathComponent("short.pdf").path), try raster(path), "the subset's glyphs are the font's")
    }

    /// The glyphs a document draws, per font: every id once, the bit per id it is collected in
    /// as wide as a font's ids, and an id past them (a mark of Pango's) kept as it is.
    func testTheGlyphsOfADocumentAreCollectedPerFont() {
        let sansFont = FontRef(file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", index: 2, size: 10)
        var sans = page([7, 65535, 64, 63, 0x1000_4E00])
        sans.items = sans.items.map { item in
            guard case .text(var t) = item else { return item }
            t.line.runs[0].font = sansFont
            return .text(t)
        }
        let used = FontSubsetter.glyphs(on: [page([1000, 1001, 1000]), sans, page([1002, 64])])
        XCTAssertEqual(used, [FaceKey(serif): [64, 1000, 1001, 1002], FaceKey(sansFont): [7, 63, 64, 65535, 0x1000_4E00]])
    }

    func testSubsetsNumberTheirGlyphsAnew() throws {
        let made = try XCTUnwrap(FontSubsetter().subset(FaceKey(serif), glyphs: Set(rare + [1000]), common: false))
        defer { cairo_font_face_destroy(made.face) }
        XCTAssertEqual(made.glyphs, Set(rare + [0, 1000]), "and .notdef")
        XCTAssertEqual(Set((rare + [0, 1000]).map { made.ids[Int($0)] }), [0, 1, 2, 3, 4], "glyph ids 0…4, .notdef first")
    }

    /// Cairo names a subset after the ids of its glyphs in the font it embeds from; the finisher
    /// names it after its program, so that the same glyphs get the same name from any subset.
    func testSubsetNamesAreMadeFromTheProgram() throws {
        let name = try XCTUnwrap(PDFFinisher.retagged("/QWERTY+NotoSerifCJKsc-Regular", 12_345))
        XCTAssertTrue(name.wholeMatch(of: /\/[A-Z]{6}\+NotoSerifCJKsc-Regular/) != nil, name)
        XCTAssertEqual(PDFFinisher.retagged("/ABCDEF+NotoSerifCJKsc-Regular", 12_345), name, "whatever Cairo's tag")
        XCTAssertNotEqual(PDFFinisher.retagged("/QWERTY+NotoSerifCJKsc-Regular", 12_346), name)
        XCTAssertNil(PDFFinisher.retagged("/NotoSerifCJKsc-Regular", 12_345), "a whole font has no tag")
        XCTAssertNil(PDFFinisher.retagged("/Abcdef+Noto", 12_345))
        XCTAssertNil(PDFFinisher.retagged("/ABCDEF+", 12_345))
    }

    /// Page 1 of the PDF at `path` in grey at 72 dpi (Poppler), as PNG bytes.
    func raster(_ path: String) throws -> Data {
        let prefix = path + "-page"
        _ = try shell("pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", "-singlefile", "-png", path, prefix)
        return try Data(contentsOf: URL(fileURLWithPath: prefix + ".png"))
    }

    /// The size of the largest font program embedded for page 1 of the PDF at `path`.
    func fontProgramSize(_ path: String) throws -> Int {
        let out = try shell("python3", "-W", "ignore", "-c",
                            "import fitz, sys; d = fitz.open(sys.argv[1]); print(max(len(d.extract_font(f[0])[3]) for f in d.get_page_fonts(0)))", path)
        return Int(out.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
    }
}
