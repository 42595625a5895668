/// The catalogue of bad inputs (issue "Robustness"): each ends with a clear message (what and
/// where), the right exit status, and no output file or a complete one — never a crash, a hang
/// or a partial file. Every run is bounded by a timeout.
import Foundation
import XCTest

final class HostileInputTests: FolioCommandTestCase {
    var dir: String { work }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let path = dir + "/" + name
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    let front = "---\ntitle: 标题\n---\n\n"

    /// Renders `input` with a 60 s limit; checks the exit status, that stderr contains each of
    /// `messages`, and that the output is either absent (failure) or a complete PDF (success).
    @discardableResult
    func render(_ input: String, status: Int32, messages: [String] = [], extra: [String] = [],
                file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let pdf = input + ".pdf"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = ["render", input, "-o", pdf, "--verify"] + extra
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let timer = DispatchWorkItem { p.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: timer)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        timer.cancel()
        XCTAssertEqual(p.terminationReason, .exit, "killed or crashed: \(stderr)", file: file, line: line)
        XCTAssertEqual(p.terminationStatus, status, stderr, file: file, line: line)
        for m in messages { XCTAssertTrue(stderr.contains(m), "expected '\(m)' in: \(stderr)", file: file, line: line) }
        if status == 0 {
            XCTAssertEqual(try shell("pdfinfo", [pdf]).status, 0, "incomplete PDF", file: file, line: line)
        } else {
            XCTAssertFalse(FileManager.default.fileExists(atPath: pdf), "output left behind", file: file, line: line)
        }
        let partial = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("partial") }
        XCTAssertEqual(partial, [], file: file, line: line)
        return Result(status: p.terminationStatus, stdout: "", stderr: stderr)
    }

    func testMalformedFrontMatter() throws {
        let f = write("yaml.md", "---\ntitle: [unclosed\n---\n正文\n")
        try render(f, status: 1, messages: ["yaml.md:2:8: error: invalid YAML: this flow sequence is not closed"])
    }

    func testWrongTypeInTemplate() throws {
        let t = write("t.yaml", "grid:\n  columns: two\n")
        let f = write("a.md", front + "正文。\n")
        try render(f, status: 1, messages: ["t.yaml:2:12: error: expected a whole number from 1 to 6, found 'two'"], extra: ["--template", t])
    }

    func testUnknownManifestKeySuggestsTheClosest() throws {
        write("a.md", front + "正文。\n")
        let m = write("issue.yaml", "magazine: 刊\nisue: 第1期\nsections:\n  - title: 栏\n    articles: [a.md]\n")
        try render(m, status: 1, messages: ["issue.yaml:2:1: error: unknown key 'isue' in the issue manifest (did you mean 'issue'?)"])
    }

    func testInvalidUTF8AndNulBytes() throws {
        let bad = write("bad.md", bytes: Array(front.utf8) + [0xC3, 0x28, 0x0A])
        try render(bad, status: 1, messages: ["bad.md:5:1: error: the file is not valid UTF-8 (byte offset \(front.utf8.count))"])
        let nul = write("nul.md", bytes: Array(front.utf8) + Array("正文".utf8) + [0, 0x0A])
        try render(nul, status: 1, messages: ["nul.md:5:1: error: the file contains a NUL byte"])
    }

    func testInvisibleControlsAreRemovedAndNamed() throws {
        let f = write("ctl.md", front + "中间有\u{FEFF}BOM，还有\u{202E}反向\u{202C}控制。\n")
        try render(f, status: 0, messages: ["ctl.md:5:4: warning: removed 3 invisible control characters (U+FEFF, U+202E, U+202C)"])
    }

    func testEmptyAndTitleOnlyArticles() throws {
        try render(write("empty.md", ""), status: 1, messages: ["empty.md:1:1: error: the article has no title"])
        try render(write("title.md", front), status: 0)
    }

    func testOnlyMissingImagesWithPlaceholders() throws {
        let f = write("img.md", front + "![一](a.jpg)\n\n![二](b.png)\n")
        try render(f, status: 1, messages: ["img.md:5:1: error: image not found", "img.md:7:1: error: image not found"])
        try render(f, status: 0, messages: ["img.md:5:1: warning: image not found"], extra: ["--allow-missing-images"])
    }

    func testHugeParagraphAndManyParagraphs() throws {
        try render(write("long.md", front + String(repeating: "汉字排版，测试。", count: 12_500) + "\n"), status: 0)
        try render(write("many.md", front + (0..<5000).map { "第\($0)段，一个短段落。" }.joined(separator: "\n\n") + "\n"), status: 0)
    }

    func testOverlongWordsAndDeepNesting() throws {
        try render(write("url.md", front + "访问 https://example.com/" + String(repeating: "a", count: 400) + " 看看。\n"), status: 0)
        let nested = (0..<50).map { String(repeating: "  ", count: $0) + "- 第\($0)层\n" }.joined()
        try render(write("nested.md", front + nested), status: 0)
    }

    func testTableWiderThanTheColumnWrapsAndIsReported() throws {
        let header = "| " + (0..<16).map { "列\($0)" }.joined(separator: " | ") + " |\n"
        let delimiter = "|" + String(repeating: "---|", count: 16) + "\n"
        let row = "| " + (0..<16).map { "值\($0)" }.joined(separator: " | ") + " |\n"
        try render(write("wide.md", front + header + delimiter + row), status: 0, messages: ["warning: the table has 16 columns"])
    }

    func testBrokenImages() throws {
        write("trunc.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46])
        var huge: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        huge += [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0]
        write("huge.png", bytes: huge)
        write("fake.png", bytes: Array("not an image".utf8))
        let f = write("imgs.md", front + "![截断](trunc.jpg)\n\n![巨大](huge.png)\n\n![假](fake.png)\n")
        try render(f, status: 1, messages: ["imgs.md:5:1: error: the JPEG image", "truncated or corrupt",
                                           "imgs.md:7:1: error: the image", "100000 × 100000 pixels",
                                           "imgs.md:9:1: error:", "is not an image Folio reads"])
    }

    /// CMYK JPEGs (Adobe's inverted inks) print and preview as themselves, not as a negative.
    func testCMYKJPEGIsNotANegative() throws {
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/cmyk.jpg", toPath: dir + "/cmyk.jpg")
        let f = write("cmyk.md", front + "![红与青](cmyk.jpg)\n")
        try render(f, status: 0)
        let png = dir + "/preview.png"
        XCTAssertEqual(try shell(folio, ["preview", f, "-o", png, "--dpi", "40"]).status, 0)
        XCTAssertEqual(try shell("pdftoppm", ["-r", "40", "-png", "-singlefile", f + ".pdf", dir + "/page"]).status, 0)
        // The left half is red, the right half cyan; a negative would be dark and cyan-red swapped.
        let script = """
        import fitz, sys
        for f in sys.argv[1:]:
            p = fitz.Pixmap(f)
            px = [p.pixel(x, y)[:3] for y in range(0, p.height, 2) for x in range(0, p.width, 2)]
            red = sum(1 for r, g, b in px if r > 180 and g < 90 and b < 90)
            cyan = sum(1 for r, g, b in px if r < 90 and g > 120 and b > 180)
            print(red, cyan)
        """
        let r = try shell("python3", ["-c", script, dir + "/page.png", png])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in r.stdout.split(separator: "\n") {
            let n = line.split(separator: " ").compactMap { Int($0) }
            XCTAssertEqual(n.count, 2)
            XCTAssertGreaterThan(n.first ?? 0, 20, "no red: \(r.stdout)")
            XCTAssertGreaterThan(n.last ?? 0, 20, "no cyan: \(r.stdout)")
        }
    }

    func testEscapingImagePathsAreRefused() throws {
        let f = write("esc.md", front + "![x](../../../etc/passwd)\n\n![y](/etc/hostname)\n")
        try render(f, status: 1, messages: ["leaves the article's folder"])
    }

    func testUncoveredCharactersAreNamed() throws {
        try render(write("pua.md", front + "私用\u{E000}字符。\n"), status: 0, messages: ["no configured font covers", "U+E000"])
        // The edition templates make it an error: no PDF with a fallback glyph in it.
        let f = write("pua-ug.md", front + "سىناق \u{E000} تېكىست\n")
        try render(f, status: 1, messages: ["error: no configured font covers", "U+E000"], extra: ["--template", root + "/layouts/edition-ug.yaml"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: f + ".pdf"))
    }

    func testUnwritableOutput() throws {
        let f = write("ok.md", front + "正文。\n")
        let p = try shell(folio, ["render", f, "-o", "/proc/folio-cannot-write/out.pdf"])
        XCTAssertEqual(p.status, 1)
        XCTAssertTrue(p.stderr.contains("error: cannot"), p.stderr)
    }

    func testOversetArticleIsReported() throws {
        let f = write("over.md", front + (0..<400).map { _ in "一个段落，用来填满页面。" + String(repeating: "字", count: 60) }.joined(separator: "\n\n") + "\n")
        try render(f, status: 1, messages: ["over.md:1:1: error: the article needs more than 3 pages", "overset"], extra: ["--max-pages", "3"])
    }
}
