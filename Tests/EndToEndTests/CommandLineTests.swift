/// The built `folio` binary on the examples, as an editor would run it; PDFs checked with
/// poppler (pdfinfo, pdffonts, pdftotext) and ../shared/tools/pdfcheck.
import FolioCore
import FolioInput
import Foundation
import XCTest

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The `folio` built with these tests (beside the test bundle: .build, .build-asan…), else the
/// newest release or debug build.
func builtFolio() -> String? {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("folio").path
    if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
    func mtime(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }
    return ["release", "debug"].map { root + "/.build/\($0)/folio" }
        .filter { FileManager.default.isExecutableFile(atPath: $0) }
        .max { mtime($0) < mtime($1) }
}

struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a command to its end, reading its standard output and error at the same time (reading
/// one to the end first deadlocks once the other fills its pipe).
@discardableResult
func shell(_ exe: String, _ args: [String], cwd: String = root, environment: [String: String]? = nil) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe.hasPrefix("/") ? exe : "/usr/bin/env")
    p.arguments = exe.hasPrefix("/") ? args : [exe] + args
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let errData = Collected()
    let reader = Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile(); errData.done.signal() }
    reader.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    errData.done.wait()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errData.data, as: UTF8.self))
}

/// `../shared/tools/pdfcheck` beside the clone (as CI has it), or `FOLIO_PDFCHECK`. Missing, the
/// test is skipped on a developer's machine but fails under CI (`CI=true`, set by `.ci/run`).
func pdfcheckTool(file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let tool = ProcessInfo.processInfo.environment["FOLIO_PDFCHECK"] ?? root + "/../shared/tools/pdfcheck"
    if !FileManager.default.fileExists(atPath: tool) {
        if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("no pdfcheck at \(tool): CI must measure the PDFs", file: file, line: line) }
        throw XCTSkip("no pdfcheck at \(tool)")
    }
    return tool
}

final class Collected: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

/// Tests that run the built `folio` in a fresh temporary folder (`work`), removed afterwards.
class FolioCommandTestCase: XCTestCase {
    var work: String!
    var folio: String!

    override func setUpWithError() throws {
        folio = builtFolio()
        guard folio != nil else { return XCTFail("build folio first (make test does)") }
        work = FileManager.default.temporaryDirectory.appendingPathComponent("folio-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let work { try? FileManager.default.removeItem(atPath: work) } }

    /// One article written to `dir/name.md` and rendered to `dir/name.pdf`: the two paths and
    /// what the render said.
    func renderArticle(_ dir: String, _ name: String, _ markdown: String, file: StaticString = #filePath,
                       line: UInt = #line) throws -> (md: String, pdf: String, stderr: String) {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let md = dir + "/" + name + ".md", pdf = dir + "/" + name + ".pdf"
        try markdown.write(toFile: md, atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", md, "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (md, pdf, r.stderr)
    }

    /// The structure tree as poppler reads it back (`pdfinfo -struct-text`): (element, text)
    /// pairs in order — an element line, then its quoted text on the next lines.
    func structElements(_ pdf: String) throws -> (elements: [(tag: String, text: String)], output: String) {
        let tree = try shell("pdfinfo", ["-struct-text", pdf])
        XCTAssertEqual(tree.status, 0, tree.stderr)
        var elements: [(tag: String, text: String)] = []
        for line in tree.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("\""), t.hasSuffix("\""), !elements.isEmpty { elements[elements.count - 1].text += String(t.dropFirst().dropLast()) }
            else if t.hasPrefix("/") { continue }   // an attribute of the element above (TH's /Scope)
            else if let name = t.split(separator: " ").first, !t.isEmpty { elements.append((String(name.hasSuffix(":") ? name.dropLast() : name), "")) }
        }
        return (elements, tree.stdout)
    }
}

final class CommandLineTests: FolioCommandTestCase {
    var out: String { work }

    func renderSample() throws -> String {
        let pdf = out + "/sample.pdf"
        let r = try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        return pdf
    }

    /// An article piped in (`folio render -`) is read as a file is: Windows line ends folded (its
    /// front matter was not found: "the article has no title"), invalid UTF-8 a located error
    /// (it was replaced by U+FFFD without a word).
    func testMarkdownFromStandardInputIsReadAsAFileIs() throws {
        try Data("---\r\ntitle: 管道标题\r\n---\r\n\r\n第一段正文。\r\n\r\n第二段正文。\r\n".utf8).write(to: URL(fileURLWithPath: work + "/crlf.md"))
        let r = try shell("/bin/sh", ["-c", "\"$0\" render - -o crlf.pdf < crlf.md", folio], cwd: work)
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try shell("pdftotext", [work + "/crlf.pdf", "-"]).stdout
        for s in ["管道标题", "第一段正文。", "第二段正文。"] { XCTAssertTrue(text.contains(s), "\(s) missing from: \(text)") }

        try Data(Array("---\ntitle: 标题\n---\n\n正文".utf8) + [0xFF] + Array("。\n".utf8)).write(to: URL(fileURLWithPath: work + "/bad.md"))
        let bad = try shell("/bin/sh", ["-c", "\"$0\" render - -o bad.pdf < bad.md", folio], cwd: work)
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("<stdin>:5:1: error: the file is not valid UTF-8"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/bad.pdf"))
    }

    func testRenderSampleIssue() throws {
        let pdf = try renderSample()
        let info = try shell("pdfinfo", [pdf]).stdout
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
        XCTAssertGreaterThanOrEqual(pages, 8)
        XCTAssertTrue(info.contains("Page size:       612.283 x 824.882 pts"), info)   // 216 × 291 mm: trim + 3 mm bleed
        let fonts = try shell("pdffonts", [pdf]).stdout.split(separator: "\n").dropFirst(2)
        XCTAssertGreaterThanOrEqual(fonts.count, 2)
        for f in fonts { XCTAssertTrue(f.contains(" yes yes "), "font not embedded as a subset: \(f)") }
    }

    /// The text of every article reaches the PDF, in order.
    func testEveryParagraphAppearsInOrder() throws {
        let pdf = try renderSample()
        let text = try shell("pdftotext", ["-raw", pdf, "-"]).stdout.filter { !$0.isWhitespace }
        let issue = try ManifestLoader.load(path: root + "/examples/sample-issue/issue.yaml").issue
        var cursor = text.startIndex
        var checked = 0
        func visit(_ blocks: [Block]) {
            for b in blocks {
                switch b {
                case .paragraph(let t, let loc), .heading(_, let t, let loc):
                    let s = t.string.filter { !$0.isWhitespace }
                    let head = String(s.prefix(10)), tail = String(s.suffix(10))
                    guard let h = text.range(of: head, range: cursor..<text.endIndex) else {
                        return XCTFail("\(loc): '\(head)' not found after the previous paragraph")
                    }
                    guard let t2 = text.range(of: tail, range: h.lowerBound..<text.endIndex) else {
                        return XCTFail("\(loc): the end '\(tail)' is missing")
                    }
                    cursor = t2.upperBound
                    checked += 1
                case .quote(let inner, _): visit(inner)
                case .list(_, let items, _): items.forEach(visit)
                default: break
                }
            }
        }
        for a in issue.articles { visit(a.blocks) }
        XCTAssertGreaterThan(checked, 60)
    }

    func testPdfcheckFindsNoDefects() throws {
        let pdfcheck = try pdfcheckTool()
        let pdf = try renderSample()
        let r = try shell("python3", [pdfcheck, pdf, "--page-size", "210x285", "--bleed", "3",
                                    "--fail-on", "kinsoku_start=0", "--fail-on", "kinsoku_end=0", "--fail-on", "overflow=0",
                                    "--fail-on", "overlapping=0", "--fail-on", "fonts_not_embedded=0",
                                    "--fail-on", "page_size_mismatches=0", "--fail-on", "runts=0",
                                    "--fail-on", "baseline_misaligned_share=0", "--fail-on", "text_over_image=0"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }

    /// The contents page comes first after the covers (the front cover and an ad on the inside
    /// front cover), lists every article with its real start page, and links to it; the
    /// outline holds sections → articles; qpdf finds the file sound.
    func testContentsOutlineAndStructure() throws {
        let pdf = try renderSample()
        let script = """
        import fitz, json, sys
        d = fitz.open(sys.argv[1])
        c = next(i for i in range(len(d)) if "目录" in d[i].get_text())
        print(json.dumps({"toc": d.get_toc(), "contents": c, "first": d[c].get_text(), "links": [l.get("page") for l in d[c].get_links()],
                          "lang": d.xref_get_key(d.pdf_catalog(), "Lang")[1],
                          "display": d.xref_get_key(d.pdf_catalog(), "ViewerPreferences/DisplayDocTitle")[1], "xmp": d.get_xml_metadata()}))
        """
        let r = try shell("python3", ["-c", script, pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let toc = json["toc"] as! [[Any]]
        let issue = try ManifestLoader.load(path: root + "/examples/sample-issue/issue.yaml").issue
        let articles = toc.filter { $0[0] as? Int == 2 }
        XCTAssertEqual(articles.map { $0[1] as! String }, issue.articles.map(\.meta.title))
        XCTAssertEqual(toc.filter { $0[0] as? Int == 1 }.map { $0[1] as! String }, issue.sections.map(\.title))
        let first = json["first"] as! String
        XCTAssertEqual(json["contents"] as? Int, 2, "the contents follow the two cover pages")
        // Each entry's page number is the page its link (and the outline) goes to.
        let links = json["links"] as! [Int]
        XCTAssertEqual(links.count, issue.articles.count)
        for (entry, link) in zip(articles, links) {
            XCTAssertEqual(entry[2] as! Int, link + 1)
            XCTAssertTrue(first.contains("\(link + 1)"))
        }
        let check = try shell("qpdf", ["--check", pdf])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        // The catalog names the language (libqpdf, PDFFinisher), for screen readers and search.
        XCTAssertEqual(json["lang"] as? String, "zh-Hans")
        // A reader shows the title, not the file name; XMP says what /Info says.
        XCTAssertEqual(json["display"] as? String, "true")
        let xmp = try XCTUnwrap(json["xmp"] as? String)
        for s in ["<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">民族画报（示例） 2024年第6期</rdf:li>", "<rdf:li>zh-Hans</rdf:li>",
                  "<xmp:CreateDate>2024-06-15T00:00:00Z</xmp:CreateDate>", "<rdf:li>Folio 示例编辑部</rdf:li>"] {
            XCTAssertTrue(xmp.contains(s), "\(s) in \(xmp)")
        }
    }

    /// A tagged PDF (StructureTagger + PDFFinisher): one `Art` per article in reading order with
    /// its title as `H1`; every body paragraph of the source is exactly one `P` — a paragraph
    /// continued on the next column or page stays one — and running heads and folios are no
    /// element's content. Read back with poppler's `pdfinfo -struct-text`.
    func testTheStructureTreeFollowsTheText() throws {
        let pdf = try renderSample()
        XCTAssertTrue(try shell("pdfinfo", [pdf]).stdout.contains("Tagged:          yes"))
        let (elements, treeText) = try structElements(pdf)
        let issue = try ManifestLoader.load(path: root + "/examples/sample-issue/issue.yaml").issue
        XCTAssertEqual(elements.filter { $0.tag == "Art" }.count, issue.articles.count, "one Art per article")
        XCTAssertFalse(elements.contains { $0.tag == "Span" }, "every continuation merged")
        let titles = elements.filter { $0.tag == "H1" }.map(\.text)
        for a in issue.articles { XCTAssertTrue(titles.contains(a.meta.title), "\(a.meta.title) is an H1: \(titles)") }
        // Every body paragraph begins exactly one P, and no P begins in the middle of a paragraph
        // (a paragraph split at a column or page would). (poppler's text of an element can stop
        // short inside it, so the starts are compared, not whole texts.)
        let sources = issue.articles.flatMap { a in a.blocks.compactMap { b -> String? in if case .paragraph(let t, _) = b { return t.string } else { return nil } } }
        let starts = elements.filter { $0.tag == "P" && $0.text.count >= 12 }.map { String($0.text.prefix(12)) }
        for p in sources where p.count >= 12 {
            XCTAssertEqual(starts.filter { $0 == String(p.prefix(12)) }.count, 1, "one P begins \(p.prefix(12))…")
        }
        for start in starts where !sources.contains(where: { $0.hasPrefix(start) }) {
            XCTAssertFalse(sources.contains { $0.contains(start) }, "a P begins inside a paragraph: \(start)…")
        }
        // Lists: L > LI > Lbl (the marker) + LBody, an LI per item.
        let items = issue.articles.flatMap(\.blocks).reduce(0) { n, b in if case .list(_, let items, _) = b { return n + items.count } else { return n } }
        XCTAssertGreaterThan(items, 0)
        XCTAssertEqual(elements.filter { $0.tag == "LI" }.count, items)
        XCTAssertEqual(elements.filter { $0.tag == "Lbl" }.count, items)
        XCTAssertTrue(elements.contains { $0.tag == "Lbl" && $0.text == "1." })
        // Tables as `Table` > `TR` > `TH`/`TD`, one cell per element, header cells first.
        let tables = issue.articles.flatMap(\.blocks).compactMap { b -> Table? in if case .table(let t) = b { return t } else { return nil } }
        XCTAssertEqual(tables.count, 1)
        let table = tables[0]
        XCTAssertEqual(elements.filter { $0.tag == "Table" }.count, 1)
        XCTAssertEqual(elements.filter { $0.tag == "TR" }.count, table.rows.count + 1)
        XCTAssertEqual(elements.filter { $0.tag == "TH" }.map(\.text), table.header)
        XCTAssertEqual(elements.filter { $0.tag == "TD" }.map(\.text), table.rows.flatMap { $0 })
        XCTAssertEqual(treeText.components(separatedBy: "/Scope /Column").count - 1, table.header.count, "each header cell heads its column")
        // Figures carry their caption as /Alt (what a screen reader says for the image).
        let alts = try shell("python3", ["-c", """
        import fitz, sys
        d = fitz.open(sys.argv[1])
        for x in range(1, d.xref_length()):
            if d.xref_get_key(x, "S")[1] == "/Figure" and d.xref_get_key(x, "Alt")[0] == "string": print(d.xref_get_key(x, "Alt")[1])
        """, pdf]).stdout
        for a in issue.articles {
            for f in Issue.figures(in: a.blocks) { XCTAssertTrue(alts.contains(f.caption.string), "/Alt of \(f.caption.string): \(alts)") }
        }
        // The cover photograph and the cover pages say what they are (封二: the inside front cover, 封底: the back cover).
        XCTAssertEqual(alts.split(separator: "\n").filter { ["封面图片", "封二", "封底"].contains(String($0)) }.count, 3, alts)
        let runningHead = "民族画报（示例）　2024年第6期"
        XCTAssertEqual(elements.filter { $0.text == "特别策划" && $0.tag != "P" }.map(\.tag), ["H2"], "the section's name: a heading on the contents page only")
        XCTAssertLessThanOrEqual(elements.filter { $0.text == runningHead }.count, 2, "the running head is furniture (the contents set it once, with the imprint)")
    }

    /// --print: a CMYK PDF/X-3 with an output intent, CMYK images, no links, text still text,
    /// black overprinting.
    func testPrintVariantIsCMYKPDFX() throws {
        let pdf = out + "/print.pdf"
        let r = try shell(folio, ["render", "examples/sample-issue/issue.yaml", "--print", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = """
        import fitz, sys
        d = fitz.open(sys.argv[1])
        cat = d.pdf_catalog()
        info = d.xref_get_key(-1, "Info")[1].split()[0]
        print(d.xref_get_key(cat, "OutputIntents")[0], d.xref_get_key(int(info), "GTS_PDFXVersion")[1])
        print(sum(len(p.get_links()) for p in d))
        """
        let check = try shell("python3", ["-c", script, pdf])
        XCTAssertEqual(check.status, 0, check.stderr)
        let lines = check.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "array PDF/X-3:2002")
        XCTAssertEqual(lines.dropFirst().first, "0")
        let images = try shell("pdfimages", ["-list", pdf]).stdout.split(separator: "\n").dropFirst(2)
        XCTAssertFalse(images.isEmpty)
        for i in images { XCTAssertTrue(i.contains(" cmyk "), String(i)) }
        XCTAssertTrue(try shell("pdftotext", [pdf, "-"]).stdout.contains("草原深处的读书声"))
        // Black text and rules are black ink alone and overprint (Ghostscript keeps what
        // PrintX4.swift set): x4check, which fails the file for being X-3, still counts them.
        let inks = try shell("python3", ["-W", "ignore", root + "/scripts/x4check.py", pdf])
        let black = inks.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(black.hasSuffix(" overprint, 0 knock out"), inks.stdout)
        XCTAssertFalse(black.contains("paintings: 0 overprint"), inks.stdout)
        XCTAssertFalse(inks.stdout.contains("four-colour black"), inks.stdout)
    }

    func testMarksGrowTheMediaBoxAroundTrimAndBleed() throws {
        let pdf = out + "/marks.pdf"
        XCTAssertEqual(try shell(folio, ["render", "examples/sample-issue/matouqin.md", "--marks", "-o", pdf]).status, 0)
        let boxes = try shell("pdfinfo", ["-box", pdf]).stdout
        func box(_ name: String) -> [Double] {
            boxes.split(separator: "\n").first { $0.contains(name + ":") }!.split(separator: " ").compactMap { Double($0) }.suffix(4).map { $0 }
        }
        let media = box("MediaBox"), trim = box("TrimBox"), bleed = box("BleedBox")
        XCTAssertEqual(trim[2] - trim[0], 595.28, accuracy: 0.05)          // 210 mm
        XCTAssertEqual(bleed[0] - media[0], 28.35, accuracy: 0.05)         // 10 mm slug
        XCTAssertEqual(trim[0] - bleed[0], 8.50, accuracy: 0.05)           // 3 mm bleed
    }

    func testStrictPreflightFailsOnWarningsAndWritesTheReport() throws {
        let pdf = out + "/strict.pdf", report = out + "/preflight.json"
        let r = try shell(folio, ["render", "examples/archive/2024-09-02-missing-image.md", "--allow-missing-images", "--strict",
                                  "--report", report, "-o", pdf])
        XCTAssertEqual(r.status, 2, "warnings alone under --strict")
        XCTAssertFalse(FileManager.default.fileExists(atPath: pdf))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        XCTAssertEqual((json["counts"] as! [String: Int])["missing-image"], 1)
    }

    /// The four bilingual editions, measured by pdfcheck: right-to-left columns and justified,
    /// flush-right Arabic-script lines; vertical Mongolian lines top to bottom, advancing left to
    /// right; Korean without line-edge violations; nothing lost anywhere (--verify).
    func testBilingualEditions() throws {
        let pdfcheck = try pdfcheckTool()
        var summaries: [String: [String: Any]] = [:]
        for edition in ["ug", "kk", "ko", "mn"] {
            let pdf = out + "/\(edition).pdf"
            let r = try shell(folio, ["render", "examples/editions/\(edition)/issue.yaml", "--verify", "-o", pdf])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stderr.contains("no configured font covers"), r.stderr)
            let check = try shell("python3", [pdfcheck, pdf, "--json", "--page-size", "210x285", "--bleed", "3"])
            let json = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as! [String: Any]
            summaries[edition] = json["summary"] as? [String: Any]
        }
        func value(_ e: String, _ k: String) -> Double { (summaries[e]?[k] as? NSNumber)?.doubleValue ?? -1 }
        for e in ["ug", "kk"] {
            XCTAssertGreaterThan(value(e, "rtl_lines"), 0, e)
            XCTAssertEqual(value(e, "rtl_ragged"), 0, e)
            XCTAssertEqual(value(e, "rtl_columns_ltr"), 0, e)
        }
        XCTAssertGreaterThan(value("mn", "vertical_lines"), 5)
        XCTAssertEqual(value("mn", "vertical_not_top_down"), 0)
        XCTAssertEqual(value("mn", "vertical_rtl_pages"), 0)
        XCTAssertEqual(value("mn", "vertical_mixed_pages"), 0)
        for e in ["ug", "kk", "ko", "mn"] {
            XCTAssertEqual(value(e, "kinsoku_start"), 0, e)
            XCTAssertEqual(value(e, "overlapping"), 0, e)
            XCTAssertEqual(value(e, "fonts_not_embedded"), 0, e)
        }
        // The languages in the tagged PDF: the edition's on the catalog, the other's on its article.
        let langs = try shell("python3", ["-c", """
        import fitz, sys
        d = fitz.open(sys.argv[1])
        arts = [d.xref_get_key(x, "Lang")[1] for x in range(1, d.xref_length()) if d.xref_get_key(x, "S")[1] == "/Art"]
        print(d.xref_get_key(d.pdf_catalog(), "Lang")[1], *arts)
        """, out + "/ug.pdf"]).stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(langs.first, "ug")
        XCTAssertTrue(langs.dropFirst().contains("zh-Hans"), "the Chinese article's Art says zh-Hans: \(langs)")
    }

    func testRenderingIsDeterministic() throws {
        let a = try Data(contentsOf: URL(fileURLWithPath: try renderSample()))
        let b = try Data(contentsOf: URL(fileURLWithPath: try renderSample()))
        XCTAssertEqual(a, b)
    }

    /// The tool allocates through jemalloc with one arena (Sources/CAllocator): jemalloc's own
    /// statistics, printed at exit when asked for, name the option compiled into the binary and
    /// count the allocations it served.
    func testTheToolAllocatesThroughJemallocWithOneArena() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["FOLIO_SYSTEM_MALLOC"] != nil, "the AddressSanitizer build keeps ASan's malloc")
        var environment = ProcessInfo.processInfo.environment
        environment["MALLOC_CONF"] = "stats_print:true"
        let r = try shell(folio, ["--version"], environment: environment)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("opt.narenas: 1\n"), "not one arena: \(r.stderr.prefix(300))")
        // jemalloc is loaded whatever comes first; its count of small allocations shows that the
        // program's mallocs reach it (the C library's malloc first, by LD_PRELOAD, leaves it at 0).
        let small = try XCTUnwrap(r.stderr.split(separator: "\n").first { $0.hasPrefix("small:") }).split(separator: " ")
        XCTAssertGreaterThan(Int(small[2]) ?? 0, 1000, "few mallocs reach jemalloc: \(small)")
    }

    func testSingleArticleRender() throws {
        let pdf = out + "/one.pdf"
        let r = try shell(folio, ["render", "examples/sample-issue/matouqin.md", "--template", "layouts/magazine-16k.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try shell("pdftotext", [pdf, "-"]).stdout.contains("一把马头琴的四季"))
    }

    func testPreviewWritesAPNGOfTheTrimAtTheDpi() throws {
        let png = out + "/page.png"
        let r = try shell(folio, ["preview", "examples/sample-issue/issue.yaml", "--article", "caoyuan-xuexiao", "--page", "2",
                                "-o", png, "--dpi", "110"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        XCTAssertEqual(Array(data.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let w = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(w, Int((210 / 25.4 * 110).rounded()))
        let bad = try shell(folio, ["preview", "examples/sample-issue/issue.yaml", "--article", "nope", "-o", png])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("caoyuan-xuexiao"), bad.stderr)
    }

    func testBatchPrintsEachArticleAndReports() throws {
        let dir = out + "/archive"
        let r = try shell(folio, ["batch", "examples/archive", "-o", dir, "--jobs", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".pdf") }.sorted()
        XCTAssertEqual(pdfs, ["2024-07-31-shifan-chuangjian.pdf", "2024-08-15-nongjia-shuwu.pdf", "2024-09-02-missing-image.pdf",
                              "2024-10-08-minzu-xuexiao.pdf", "2024-11-20-gbk-archive.pdf"])
        let entries = try reportEntries(dir + "/batch-report.json")
        XCTAssertEqual(entries.map { $0["status"] as! String }, Array(repeating: "ok", count: 5))
        for e in entries { XCTAssertEqual((e["input_hash"] as? String)?.count, 64) }
        // The archive article without its image is printed with a placeholder and a warning.
        let missing = entries.first { ($0["file"] as! String).hasSuffix("missing-image.md") }!
        XCTAssertTrue((missing["warnings"] as! [String]).contains { $0.contains("harvest.jpg") })
        // The web-archive text reached the PDF with its punctuation restored.
        let text = try shell("pdftotext", [dir + "/2024-10-08-minzu-xuexiao.pdf", "-"]).stdout
        XCTAssertTrue(text.contains("一所民族学校的“石榴籽”课堂"), text)
        XCTAssertTrue(text.contains("info@example.edu.cn。"), text)
        // A second run skips every unchanged article.
        let again = try shell(folio, ["batch", "examples/archive", "-o", dir])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try reportEntries(dir + "/batch-report.json").map { $0["status"] as! String }, Array(repeating: "unchanged", count: 5))
    }

    func reportEntries(_ path: String) throws -> [[String: Any]] {
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return report["articles"] as! [[String: Any]]
    }

    /// An archive of many small articles, copied from the examples.
    func makeArchive(_ count: Int, folder: String = "/big") throws -> String {
        let src = out + folder
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: root + "/examples/archive/2024-08-15-nongjia-shuwu.md", encoding: .utf8)
        for i in 0..<count { try text.write(toFile: src + "/a\(i).md", atomically: true, encoding: .utf8) }
        return src
    }

    func testShardsPrintEachArticleExactlyOnce() throws {
        let src = try makeArchive(24)
        var printed: [String] = []
        for k in 1...4 {
            let r = try shell(folio, ["batch", src, "-o", out + "/shards", "--shard", "\(k)/4", "--jobs", "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
            printed += try reportEntries(out + "/shards/batch-report-\(k)-of-4.json").map { $0["file"] as! String }
        }
        XCTAssertEqual(printed.sorted(), (0..<24).map { "a\($0).md" }.sorted())
        let merged = try shell(folio, ["batch", "--merge-reports", out + "/shards"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try reportEntries(out + "/shards/batch-report.json").count, 24)
    }

    func testInterruptedBatchLeavesNoPartialFileAndResumes() throws {
        let src = try makeArchive(60)
        let dest = out + "/int"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = ["batch", src, "-o", dest, "--jobs", "2"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Interrupt once some PDFs exist.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let n = (try? FileManager.default.contentsOfDirectory(atPath: dest).filter { $0.hasSuffix(".pdf") }.count) ?? 0
            if n >= 3 { break }
            usleep(20_000)
        }
        p.interrupt()
        p.waitUntilExit()
        let names = try FileManager.default.contentsOfDirectory(atPath: dest)
        XCTAssertEqual(names.filter { $0.contains("partial") }, [])
        for pdf in names where pdf.hasSuffix(".pdf") {
            XCTAssertEqual(try shell("pdfinfo", [dest + "/" + pdf]).status, 0, "\(pdf) is not a complete PDF")
        }
        if p.terminationStatus == 130 {
            XCTAssertTrue(try reportEntries(dest + "/batch-report.json").contains { $0["status"] as? String == "interrupted" })
        }
        let resumed = try shell(folio, ["batch", src, "-o", dest])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dest).filter { $0.hasSuffix(".pdf") }.count, 60)
    }

    func testBatchSurvivesABadArticle() throws {
        let src = out + "/src"
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try "---\ntitle: 好\n---\n\n正文。\n".write(toFile: src + "/a.md", atomically: true, encoding: .utf8)
        try "---\ntitel: 坏\n---\n\n正文。\n".write(toFile: src + "/b.md", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["batch", src, "-o", out + "/o"])
        XCTAssertEqual(r.status, 1)
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: out + "/o").filter { $0.hasSuffix(".pdf") }
        XCTAssertEqual(pdfs, ["a.pdf"])
        XCTAssertTrue(r.stderr.contains("b.md:2:1: error: unknown key 'titel'"), r.stderr)
        XCTAssertTrue(r.stdout.contains("failed       1"), r.stdout)
    }

    /// `--jobs 2` prints in worker processes (BatchWorkers.swift): the PDFs are byte-identical to
    /// `--jobs 1`'s; a worker killed in the middle of an article fails that article alone, and a
    /// new worker prints the rest.
    func testBatchWorkerProcessesMatchOneJobAndSurviveACrash() throws {
        let src = try makeArchive(24)
        XCTAssertEqual(try shell(folio, ["batch", src, "-o", out + "/one", "--jobs", "1", "-q"]).status, 0)
        XCTAssertEqual(try shell(folio, ["batch", src, "-o", out + "/two", "--jobs", "2", "-q"]).status, 0)
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: out + "/one").filter { $0.hasSuffix(".pdf") }.sorted()
        XCTAssertEqual(pdfs.count, 24)
        for name in pdfs {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/one/" + name)),
                           try Data(contentsOf: URL(fileURLWithPath: out + "/two/" + name)), name)
        }
        // Kill the worker process while the batch runs.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = ["batch", try makeArchive(60, folder: "/crash-src"), "-o", out + "/crash", "--jobs", "2"]
        let errors = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errors
        try p.run()
        var killed = false
        // Until a worker shows (on a loaded machine the first may take seconds to start).
        let deadline = Date().addingTimeInterval(60)
        while !killed && p.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            let children = try shell("pgrep", ["-P", "\(p.processIdentifier)", "-f", "batch-worker"]).stdout
            if let pid = children.split(separator: "\n").first.flatMap({ Int32($0) }) { kill(pid, SIGKILL); killed = true }
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertTrue(killed, "a worker process was running")
        XCTAssertEqual(p.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("error: the worker process printing this article was killed by signal 9; the rest of the batch goes on"), stderr)
        let printed = try FileManager.default.contentsOfDirectory(atPath: out + "/crash").filter { $0.hasSuffix(".pdf") }
        XCTAssertEqual(printed.count, 59, "every other article printed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out + "/crash").filter { $0.contains("partial") }, [])
    }

    /// `draft: true` (Hugo) articles are skipped by batch, counted and reported, never failed;
    /// `slug` names the PDF; tags become the PDF's keywords.
    func testBatchSkipsDrafts() throws {
        let src = out + "/drafts"
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        try "+++\ntitle = \"草稿\"\ndraft = true\n+++\n\n正文。\n".write(toFile: src + "/a.md", atomically: true, encoding: .utf8)
        try "---\ntitle: 定稿\nslug: Grass Land\ntags: [教育, 草原]\n---\n\n正文。\n".write(toFile: src + "/b.md", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["batch", src, "-o", out + "/d"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: out + "/d").filter { $0.hasSuffix(".pdf") }
        XCTAssertEqual(pdfs, ["grass-land.pdf"])
        XCTAssertTrue(r.stdout.contains("drafts       1"), r.stdout)
        let report = try String(contentsOfFile: out + "/d/batch-report.json", encoding: .utf8)
        XCTAssertTrue(report.contains("\"skipped\""), report)
        XCTAssertTrue(try shell("pdfinfo", [out + "/d/grass-land.pdf"]).stdout.contains("教育, 草原"))
    }

    func testBadInputsGiveLocatedErrorsAndNoOutput() throws {
        let dir = out + "/bad"
        try FileManager.default.createDirectory(atPath: dir + "/images", withIntermediateDirectories: true)
        try "magazine: 刊\nissue: 第1期\nsections:\n  - title: 栏\n    articles: [gone.md]\n".write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        try "---\ntitle: 题\nauther: 某\n---\n\n文。\n".write(toFile: dir + "/key.md", atomically: true, encoding: .utf8)
        try "---\ntitle: 题\n---\n\n文。\n\n![图](images/none.jpg)\n".write(toFile: dir + "/img.md", atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("issue.yaml", "issue.yaml:5:16: error: the manifest names the article 'gone.md'"),
            ("key.md", "key.md:3:1: error: unknown key 'auther' in the front matter (did you mean 'author'?)"),
            ("img.md", "img.md:7:1: error: image not found"),
        ]
        for (file, expected) in cases {
            let pdf = dir + "/\(file).pdf"
            let r = try shell(folio, ["render", dir + "/" + file, "-o", pdf])
            XCTAssertEqual(r.status, 1, file)
            XCTAssertTrue(r.stderr.contains(expected), "\(file): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: pdf))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("partial") }, [])
    }

    func testVersionNamesTheLibraries() throws {
        let r = try shell(folio, ["--version"])
        for lib in ["Pango 1.", "Cairo 1.", "HarfBuzz "] { XCTAssertTrue(r.stdout.contains(lib), r.stdout) }
    }
}

/// The command line as a newcomer meets it: the help's examples run, typos get suggestions,
/// and every documented exit status is produced.
final class CommandLineHabitsTests: FolioCommandTestCase {
    func testHelpExamplesRun() throws {
        let help = try shell(folio, ["--help"]).stdout
        let examples = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("folio ") }
        XCTAssertGreaterThanOrEqual(examples.count, 4)
        XCTAssertTrue(help.contains("examples/sample-issue"))
        for example in examples {
            // Run where the help says; outputs (after -o) go to the test's folder instead.
            var args = example.split(separator: " ").dropFirst().map { String($0) }
            for i in args.indices.dropFirst() where args[i - 1] == "-o" { args[i] = work + "/" + args[i] }
            let r = try shell(folio, args, cwd: root + "/examples/sample-issue")
            XCTAssertEqual(r.status, 0, "\(example): \(r.stderr)")
        }
    }

    /// Every command's help reads as paragraphs at a terminal's 80 columns (swift-argument-parser
    /// fills 79 of them): a line ends only where the next word would not have fitted (a sentence broken by hand in the source
    /// prints as a stub line under a full one), and the usage line fits on one line.
    func testEveryCommandsHelpIsWrappedAsParagraphs() throws {
        for command in ["", "render", "preview", "serve", "watch", "batch", "import", "init", "fonts", "templates"] {
            let help = try shell(folio, command.isEmpty ? ["--help"] : ["help", command]).stdout
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertGreaterThan(lines.count, 3, command)
            for (line, next) in zip(lines, lines.dropFirst()) {
                XCTAssertLessThanOrEqual(line.count, 80, "\(command): \(line)")
                // Indented lines are the parser's option columns and the examples.
                guard !line.isEmpty, !next.isEmpty, line.first != " ", next.first != " ", !line.hasSuffix(":") else { continue }
                let word = next.split(separator: " ").first ?? ""
                XCTAssertGreaterThan(line.count + 1 + word.count, 79, "folio \(command) --help breaks a paragraph by hand: '\(line)' / '\(next)'")
            }
        }
    }

    /// The manual page `make install` installs, made from the command's own help by
    /// swift-argument-parser's generate-manual (built beside folio by `make test`).
    func testManualPageCoversEveryCommandAndTheExitStatuses() throws {
        let tool = URL(fileURLWithPath: folio).deletingLastPathComponent().appendingPathComponent("generate-manual").path
        guard FileManager.default.isExecutableFile(atPath: tool) else { return XCTFail("build generate-manual first (make test does)") }
        let r = try shell(tool, [folio, "--date", "2026-01-01", "-o", work])
        XCTAssertEqual(r.status, 0, r.stderr)
        let page = try String(contentsOfFile: work + "/folio.1", encoding: .utf8)
        XCTAssertTrue(page.contains(".Sh NAME"), page)
        for command in ["render", "preview", "batch", "import", "init", "fonts", "templates"] {
            XCTAssertTrue(page.contains(".It Em \(command)"), "no section for \(command)")
        }
        for status in ["64 a usage error", "130 interrupted", "2 render --strict"] {
            XCTAssertTrue(page.contains(status), "exit status '\(status)' missing")
        }
        XCTAssertTrue(page.contains("Fl -allow-missing-images"), "render's options are in the page")
    }

    func testExitStatusesAsDocumented() throws {
        let a = work + "/a.md"
        try "---\ntitle: 标题\n---\n\n正文。\n\n![图](missing.png)\n".write(toFile: a, atomically: true, encoding: .utf8)
        XCTAssertEqual(try shell(folio, ["render", a, "-o", work + "/ok.pdf", "--allow-missing-images"]).status, 0)
        XCTAssertEqual(try shell(folio, ["render", a, "-o", work + "/err.pdf"]).status, 1, "a missing image is an error")
        let strict = try shell(folio, ["render", a, "-o", work + "/strict.pdf", "--allow-missing-images", "--strict"])
        XCTAssertEqual(strict.status, 2, strict.stderr)
        let typo = try shell(folio, ["rendr", a])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("did you mean 'render'?"), typo.stderr)
        XCTAssertEqual(try shell(folio, ["render", a, "--no-such-option"]).status, 64)
        // 130 (interrupted) is produced by FileSafetyTests.testSignalsEndPromptlyWithoutPartials.
    }

    /// `render - --base DIR -o -`: the article on standard input, the PDF on standard output,
    /// and nothing but the PDF there (messages go to standard error).
    func testStandardInputAndOutput() throws {
        let script = "cat examples/sample-issue/matouqin.md | \"$0\" render - --base examples/sample-issue -o - > \"$1\""
        let r = try shell("bash", ["-c", script, folio, work + "/piped.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("wrote the PDF to standard output"), r.stderr)
        let info = try shell("pdfinfo", [work + "/piped.pdf"])
        XCTAssertEqual(info.status, 0, "standard output is exactly the PDF")
        XCTAssertTrue(info.stdout.contains("一把马头琴的四季"), info.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/-"), "no file named -")
    }

    func testQuietAndJSONDiagnostics() throws {
        let a = work + "/a.md"
        try "---\ntitle: 标题\n---\n\n正文。\n\n![图](missing.png)\n".write(toFile: a, atomically: true, encoding: .utf8)
        let quiet = try shell(folio, ["render", a, "-o", work + "/q.pdf", "--allow-missing-images", "-q"])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.stdout + quiet.stderr, "", "quiet means quiet")
        let json = try shell(folio, ["render", a, "-o", work + "/j.pdf", "--diagnostics-format", "json"])
        XCTAssertEqual(json.status, 1)
        let objects = try json.stderr.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(objects.count, 1, json.stderr)
        XCTAssertEqual(objects[0]["severity"] as? String, "error")
        XCTAssertEqual(objects[0]["line"] as? Int, 7)
        XCTAssertEqual(objects[0]["code"] as? String, "missing-image")
        XCTAssertTrue((objects[0]["file"] as? String ?? "").hasSuffix("a.md"))
    }

    func testInitTemplatesAndFonts() throws {
        let issue = work + "/new"
        let made = try shell(folio, ["init", issue])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(try shell(folio, ["render", issue + "/issue.yaml", "-o", work + "/new.pdf"]).status, 0, "a new issue renders as it is")
        XCTAssertEqual(try shell(folio, ["init", issue]).status, 1, "never over an existing issue")
        let templates = try shell(folio, ["templates"])
        XCTAssertTrue(templates.stdout.contains("magazine-16k.yaml"), templates.stdout)
        XCTAssertTrue(templates.stdout.contains("edition-ug.yaml"), templates.stdout)
        let fonts = try shell(folio, ["fonts"])
        XCTAssertEqual(fonts.status, 0, fonts.stderr)
        XCTAssertTrue(fonts.stdout.contains("Noto Serif CJK SC  ← body (han)"), fonts.stdout)
    }

    func testUnknownFontFamilyIsLocatedAtItsLine() throws {
        let template = try String(contentsOfFile: root + "/layouts/magazine-16k.yaml", encoding: .utf8)
            .replacingOccurrences(of: "han: Noto Serif CJK SC", with: "han: Noto Serif CJK XX")
        try template.write(toFile: work + "/t.yaml", atomically: true, encoding: .utf8)
        let line = template.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("han: Noto Serif CJK XX") }! + 1
        let r = try shell(folio, ["render", "examples/sample-issue/matouqin.md", "--template", work + "/t.yaml", "-o", work + "/x.pdf"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("t.yaml:\(line):"), r.stderr)
        XCTAssertTrue(r.stderr.contains("'Noto Serif CJK XX'"), r.stderr)
    }

    func testMessagesSpeakPlainly() throws {
        let r = try shell(folio, ["render", "examples/sample-issue/caoyuan-xuexiao.md", "-o", work + "/one.pdf"])
        XCTAssertTrue(r.stdout.contains("1 article in"), r.stdout)
        let merge = try shell(folio, ["batch", "--merge-reports", work + "/none"])
        XCTAssertEqual(merge.status, 1)
        XCTAssertTrue(merge.stderr.contains("is not a folder"), merge.stderr)
        XCTAssertFalse(merge.stderr.contains("NSCocoaErrorDomain"), merge.stderr)
        // A count says "1 page", not "1 pages".
        let md = work + "/short.md"
        try "---\ntitle: 短文\n---\n\n一段正文。\n".write(toFile: md, atomically: true, encoding: .utf8)
        let beyond = try shell(folio, ["preview", md, "--page", "2", "-o", work + "/p.png"])
        XCTAssertEqual(beyond.status, 1)
        XCTAssertTrue(beyond.stderr.contains("article 'short' has 1 page; page 2 is out of range"), beyond.stderr)
    }
}
