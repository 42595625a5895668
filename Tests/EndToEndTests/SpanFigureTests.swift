/// Spanning figures (issue 13): at the full measure, cropped to the grid rather than scaled
/// narrower and centred, the caption at the image's edge; the PDF holds the part shown (a
/// camera JPEG cut losslessly, still a JPEG), so nothing of the picture lies under the text.
/// And a short last page filled by design: the last column figure across its head.
import Foundation
import XCTest

final class SpanFigureTests: FolioCommandTestCase {
    /// The sample photograph (1500 × 1000) across the page of a two-column article: natural
    /// height at the full measure is two thirds of it, more than a spanning figure may take
    /// (half the text area), so it is cropped, not narrowed; scaled to fit the article back,
    /// it is cropped further, never narrower.
    func testSpanningFigureKeepsTheMeasureAndIsCropped() throws {
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: work + "/g.jpg")
        let text = String(repeating: "草原上的学校迎来了新学期，孩子们骑着马从四面八方赶来。", count: 40)
        try "---\ntitle: 跨栏图\n---\n\n\(text)\n\n![春季的牧区](g.jpg \"span\")\n\n\(text)\n"
            .write(toFile: work + "/a.md", atomically: true, encoding: .utf8)
        let pdf = work + "/a.pdf"
        let r = try shell(folio, ["render", work + "/a.md", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The image's left and right edges, its height, pixels and filter, the caption's left
        // edge, and where the body lines of its page start and end (the most common edges: a
        // line ending in a mark may reach past the measure by its blank half).
        let probe = try shell("python3", ["-W", "ignore", "-c", """
        import collections, fitz, sys
        doc = fitz.open(sys.argv[1])
        for page in doc:
            for info in page.get_image_info(xrefs=True):
                x0, y0, x1, y1 = info["bbox"]
                lines = [l for b in page.get_text("dict")["blocks"] for l in b.get("lines", []) if l["spans"]]
                caption = [l["bbox"][0] for l in lines if "春季的牧区" in l["spans"][0]["text"]]
                body = [l["bbox"] for l in lines if abs(l["spans"][0]["size"] - 10) < 0.5]
                common = lambda values: [v for v, n in collections.Counter(round(v, 1) for v in values).items() if n >= 3]
                print(round(x0, 1), round(x1, 1), round(y1 - y0, 1), info["width"], info["height"],
                      doc.xref_get_key(info["xref"], "Filter")[1], round(caption[0], 1) if caption else -1,
                      min(common(b[0] for b in body)), max(common(b[2] for b in body)))
        """, pdf])
        let fields = probe.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(fields.count, 9, probe.stdout + probe.stderr)
        guard fields.count == 9, let x0 = Double(fields[0]), let x1 = Double(fields[1]), let height = Double(fields[2]),
              let pixelsWide = Int(fields[3]), let pixelsHigh = Int(fields[4]), let captionX = Double(fields[6]),
              let left = Double(fields[7]), let right = Double(fields[8]) else { return }
        XCTAssertEqual(x0, left, accuracy: 0.5, "the image starts at the measure's left edge")
        XCTAssertEqual(x1, right, accuracy: 0.5, "and ends at its right edge")
        XCTAssertEqual(captionX, x0, accuracy: 0.5, "the caption starts at the image's edge")
        // Cropped, not scaled: every column of pixels, fewer rows, the part shown only.
        XCTAssertEqual(pixelsWide, 1500)
        XCTAssertLessThan(pixelsHigh, 1000)
        XCTAssertEqual(Double(pixelsHigh) / 1500, height / (x1 - x0), accuracy: 0.01, "the PDF holds exactly what is shown")
        XCTAssertEqual(fields[5], "/DCTDecode", "the camera JPEG is cut without recompression")
        let check = try shell("python3", [try pdfcheckTool(), pdf, "--fail-on", "text_over_image=0", "--fail-on", "overlapping=0"])
        XCTAssertEqual(check.status, 0, check.stdout)
    }

    /// Copyfit's trials fill their own columns. random_articles seed 1026 (the fixture): as set,
    /// a figure for a column's foot is moved on to the next column's foot (three lines would
    /// stand empty above it), and the article ends on a page for that figure alone. Scaling its
    /// figures to 80 % takes that page away — but only if the scaled trial judges its own
    /// columns: it was flowed with the move made for the full-size figures, and kept 3 pages.
    func testScaledFiguresAreJudgedWithTheirOwnColumns() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/random-article-1026.md", toPath: work + "/a.md")
        for image in ["enrolment-chart.svg", "camera-exif6.jpg"] {
            try FileManager.default.copyItem(atPath: root + "/examples/formats/" + image, toPath: work + "/" + image)
        }
        let r = try shell(folio, ["render", work + "/a.md", "-o", work + "/a.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: figures scaled to 80 % so that the article does not end on a page of figures alone"), r.stderr)
        XCTAssertFalse(r.stderr.contains("figure set at the foot of the next column"), r.stderr)
        let info = try shell("pdfinfo", [work + "/a.pdf"]).stdout
        XCTAssertTrue(info.split(separator: "\n").contains { $0.hasPrefix("Pages:") && $0.hasSuffix(" 2") }, info)
    }

    /// A chart for a column's head (`"top"`) written after a box that holds the second column's
    /// head: none was left before the text ended, and it stood alone on a page after the end
    /// mark. Set where it is written, the article's text reaches its last page (random article 6534).
    func testAFigureForAColumnsHeadIsSetWhereWrittenRatherThanAloneAfterTheEnd() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/random-article-6534.md", toPath: work + "/a.md")
        try FileManager.default.copyItem(atPath: root + "/examples/formats/enrolment-chart.svg", toPath: work + "/enrolment-chart.svg")
        let r = try shell(folio, ["render", work + "/a.md", "-o", work + "/a.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("a.md:47:1: note: figure enrolment-chart.svg set where it is written, not at a column's head, so that the article does not end on a page of figures alone"), r.stderr)
        // The end mark on the last page; the chart's five red bars (drawn from the SVG) on the first.
        let probe = try shell("python3", ["-W", "ignore", "-c", """
        import fitz, sys
        doc = fitz.open(sys.argv[1])
        bars = [sum(1 for d in p.get_drawings() if d.get("fill") and d["fill"][0] > 0.5 > d["fill"][1] and d["rect"].height > 5) for p in doc]
        print(len(doc), [i for i, p in enumerate(doc) if "■" in p.get_text()], bars)
        """, work + "/a.pdf"])
        XCTAssertEqual(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2 [1] [5, 0]", probe.stderr)
    }

    /// An article whose last page would hold a few lines (under a third), with one column figure
    /// near its start: scaling that figure cannot take a page away, so it is moved to the head of
    /// the last page and set across the measure, the tail in the columns under it; a note says so.
    func testShortLastPageIsFilledByAFigureAcrossItsHead() throws {
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: work + "/g.jpg")
        let para = String(repeating: "草原上的学校迎来了新学期，孩子们骑着马从四面八方赶来。老师们早早地打开了教室的门，炉子里生起了火。", count: 3)
        var body = Array(repeating: para, count: 34)
        body.insert("![春季的牧区](g.jpg)", at: 3)
        try ("---\ntitle: 尾页\n---\n\n" + body.joined(separator: "\n\n") + "\n").write(toFile: work + "/t.md", atomically: true, encoding: .utf8)
        let pdf = work + "/t.pdf"
        let r = try shell(folio, ["render", work + "/t.md", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("t.md:11:1: note: figure moved to the head of the last page, across the measure"), r.stderr)
        // The last page: the picture across the text area at its head, body lines under it in
        // both columns; no other page holds a picture.
        let probe = try shell("python3", ["-W", "ignore", "-c", """
        import fitz, sys
        doc = fitz.open(sys.argv[1])
        print(len(doc), [len(p.get_image_info()) for p in doc])
        last = doc[-1]
        x0, y0, x1, y1 = last.get_image_info()[0]["bbox"]
        body = [l["bbox"] for b in last.get_text("dict")["blocks"] for l in b.get("lines", []) if l["spans"] and abs(l["spans"][0]["size"] - 10) < 0.5]
        print(round(x1 - x0), round(y0), min(round(b[1]) for b in body) > y1, len({round(b[0]) for b in body}) >= 2)
        """, pdf])
        let lines = probe.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "4 [0, 0, 0, 1]", probe.stderr)
        let fields = lines.dropFirst().first?.split(separator: " ").map(String.init) ?? []
        XCTAssertEqual(fields.count, 4, probe.stdout)
        guard fields.count == 4 else { return }
        XCTAssertEqual(Double(fields[0]) ?? 0, 499, accuracy: 1, "across the measure")
        XCTAssertLessThan(Double(fields[1]) ?? 999, 80, "at the page's head")
        XCTAssertEqual(fields[2], "True", "the tail under it")
        XCTAssertEqual(fields[3], "True", "in both columns")
        let check = try shell("python3", [try pdfcheckTool(), pdf, "--fail-on", "text_over_image=0", "--fail-on", "overlapping=0",
                                          "--fail-on", "overflow=0", "--fail-on", "runts=0"])
        XCTAssertEqual(check.status, 0, check.stdout)
    }
}
