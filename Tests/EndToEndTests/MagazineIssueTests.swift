/// The issue as a magazine (issue 13, first part): the front cover with a barcode that scans,
/// the imprint page, the back cover, and a page count padded to the binding's multiple.
import Foundation
import XCTest

final class MagazineIssueTests: FolioCommandTestCase {
    func renderSample() throws -> (pdf: String, result: Result) {
        let pdf = work + "/issue.pdf"
        let r = try shell(folio, ["render", "examples/sample-issue/issue.yaml", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (pdf, r)
    }

    /// Writes `manifest` as `dir/issue.yaml` and renders it to `dir/out.pdf`, which must work.
    func render(_ manifest: String, in dir: String, file: StaticString = #filePath, line: UInt = #line) throws -> (pdf: String, result: Result) {
        try manifest.write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/out.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (dir + "/out.pdf", r)
    }

    /// Writes `manifest` as `dir/bad.yaml`, renders it, and expects exit status 1, `message` on
    /// standard error, and no PDF.
    func expectRenderError(_ manifest: String, in dir: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try manifest.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", dir + "/bad.yaml", "-o", dir + "/bad.pdf"])
        XCTAssertEqual(r.status, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), r.stderr, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad.pdf"), file: file, line: line)
    }

    func pageText(_ pdf: String, _ page: Int) throws -> String {
        try shell("pdftotext", ["-f", "\(page)", "-l", "\(page)", pdf, "-"]).stdout
    }

    func testTheCoverBarcodeScans() throws {
        let (pdf, _) = try renderSample()
        XCTAssertEqual(try shell("pdftoppm", ["-r", "300", "-f", "1", "-l", "1", "-png", "-singlefile", pdf, work + "/cover"]).status, 0)
        let scan = try shell("zbarimg", ["-q", "-Sean2.enable", work + "/cover.png"])
        XCTAssertEqual(scan.status, 0, scan.stderr)
        XCTAssertTrue(scan.stdout.contains("EAN-13:9771234567003"), scan.stdout)
        XCTAssertTrue(scan.stdout.contains("EAN-2:06"), scan.stdout)
        // The bars are vectors: the cover's only image is the photograph.
        let images = try shell("pdfimages", ["-f", "1", "-l", "1", "-list", pdf]).stdout.split(separator: "\n").dropFirst(2)
        XCTAssertEqual(images.count, 1, images.joined(separator: "\n"))
    }

    func testCoverImprintBackCoverAndPageCount() throws {
        let (pdf, r) = try renderSample()
        let info = try shell("pdfinfo", [pdf]).stdout
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
        XCTAssertEqual(pages % 4, 0, "a multiple of page.signature (4)")
        XCTAssertFalse(r.stderr.contains("blank page"), "the sample fits its 12 pages: \(r.stderr)")
        // caoyuan-xuexiao would end on a page 5 % full: its figures are scaled (its spanning
        // figure cropped, at the full measure) to fit it back.
        XCTAssertTrue(r.stderr.contains("caoyuan-xuexiao.md:1:1: note: figures scaled to 80 %"), r.stderr)
        let cover = try pageText(pdf, 1)
        for s in ["民族画报（示例）", "2024年第6期", "草原深处的读书声", "一把马头琴的四季", "牦牛合作社的十年", "ISSN 1234-5679", "CN 11-0000/C", "定价：15.00元"] {
            XCTAssertTrue(cover.replacingOccurrences(of: " ", with: "").contains(s.replacingOccurrences(of: " ", with: "")), "cover lacks \(s): \(cover)")
        }
        // The inside front cover is a PDF ad; no cover page is the imprint, so it closes the contents page.
        XCTAssertTrue(try pageText(pdf, 2).contains("READ US ONLINE"))
        let contents = try pageText(pdf, 3)
        XCTAssertTrue(contents.contains("目录"), "the contents follow the covers")
        XCTAssertTrue(contents.contains("主办：Folio 示例编辑部"), contents)
        // Every page is at least half full (pdfcheck page_fill): the run-on briefs and the
        // half-page ad fill what the articles leave.
        let fill = try shell("python3", [try pdfcheckTool(), pdf, "--fail-on", "page_fill=0"])
        XCTAssertEqual(fill.status, 0, fill.stdout)
        // Each entry carries its deck and author under the title.
        XCTAssertTrue(contents.contains("文／林晓岚"), contents)
        XCTAssertTrue(contents.replacingOccurrences(of: "\n", with: "").contains("在距离旗府"), contents)
        // The back cover is the last page: the PDF ad, drawn as vectors (no image), no folio.
        let last = try shell("pdfimages", ["-f", "\(pages)", "-l", "\(pages)", "-list", pdf]).stdout.split(separator: "\n").dropFirst(2)
        XCTAssertEqual(last.count, 0, "the ad is not rasterised")
        // Its own words only (its text kept as text), no folio.
        let back = try pageText(pdf, pages).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(back.hasPrefix("SUBSCRIBE"), back)
        XCTAssertFalse(back.contains("\(pages)"), back)
        let ink = try shell("python3", ["-c", """
        import fitz, sys
        p = fitz.open(sys.argv[1])[int(sys.argv[2]) - 1]
        print(len(p.get_drawings()))
        """, pdf, "\(pages)"])
        XCTAssertGreaterThanOrEqual(Int(ink.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 2, "the ad's vector paths (its ground and its disc): \(ink.stderr)")
    }

    func testCoverErrorsAreLocated() throws {
        try FileManager.default.createDirectory(atPath: work + "/i", withIntermediateDirectories: true)
        try "---\ntitle: 标题\n---\n\n正文。\n".write(toFile: work + "/i/a.md", atomically: true, encoding: .utf8)
        let head = "magazine: 刊\nissue: 第1期\nsections:\n  - title: 栏\n    articles: [a.md]\n"
        let cases = [
            ("cover:\n  issn: 1234-5678\n  number: 6\n", "issue.yaml:7:9: error: '1234-5678' is not a valid ISSN"),
            ("cover:\n  issn: 1234-5679\n", "issue.yaml:7:3: error: the cover has an ISSN but no 'number:'"),
            ("cover:\n  lines: [b.md]\n", "issue.yaml:7:11: error: the cover line names the article 'b.md'"),
            ("back-cover: imprint\n", "error: a cover page is the imprint, but the manifest has no 'imprint:' entries"),
            ("cover:\n  image: none.jpg\n", "issue.yaml:7:10: error: image not found"),
        ]
        for (extra, message) in cases {
            try (head + extra).write(toFile: work + "/i/issue.yaml", atomically: true, encoding: .utf8)
            let r = try shell(folio, ["render", work + "/i/issue.yaml", "-o", work + "/i/out.pdf"])
            XCTAssertEqual(r.status, 1, extra)
            XCTAssertTrue(r.stderr.contains(message), "expected '\(message)' in: \(r.stderr)")
        }
    }

    /// Small goldens per page type (poppler at 30 dpi, tolerance as the script goldens): the
    /// cover, the inside front cover ad (a PDF), the contents with the imprint, an article end
    /// with briefs run on under it, and an article end with a half-page ad.
    func testPageGoldens() throws {
        let (pdf, _) = try renderSample()
        for (page, name) in [(1, "cover"), (2, "ad"), (3, "contents"), (7, "end-run-on"), (9, "end-half-ad")] {
            let png = work + "/\(name)"
            XCTAssertEqual(try shell("pdftoppm", ["-r", "30", "-f", "\(page)", "-l", "\(page)", "-png", "-singlefile", pdf, png]).status, 0)
            let golden = root + "/Tests/EndToEndTests/Goldens/\(name)-30dpi.png"
            if ProcessInfo.processInfo.environment["FOLIO_UPDATE_GOLDENS"] != nil {
                try? FileManager.default.removeItem(atPath: golden)
                try FileManager.default.copyItem(atPath: png + ".png", toPath: golden)
            }
            let diff = try shell("python3", [root + "/scripts/pngdiff.py", png + ".png", golden, "2"])
            XCTAssertEqual(diff.status, 0, name + ": " + diff.stdout + diff.stderr)
        }
    }

    /// Short of the binding's multiple, blank pages go before the back cover, and the warning says so.
    func testPageCountIsPaddedToTheSignature() throws {
        let dir = work + "/pad"
        try FileManager.default.createDirectory(atPath: dir + "/images", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/ornament.png", toPath: dir + "/images/back.png")
        try "---\ntitle: 标题\n---\n\n正文。\n".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
        try """
        magazine: 刊
        issue: 2024年第1期
        cover:
          lines: [a.md]
        back-cover: images/back.png
        sections:
          - title: 栏
            articles: [a.md]
        """.write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/out.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: 1 blank page added before the back covers to make 4 pages"), r.stderr)
        let info = try shell("pdfinfo", [dir + "/out.pdf"]).stdout
        XCTAssertTrue(info.contains("Pages:           4"), info)
        // A filler (a house ad) takes the place of the blank page.
        let manifest = try String(contentsOfFile: dir + "/issue.yaml", encoding: .utf8)
        try (manifest + "\nfillers: [images/back.png]\n").write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let filled = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/filled.pdf"])
        XCTAssertEqual(filled.status, 0, filled.stderr)
        XCTAssertTrue(filled.stderr.contains("note: 1 filler page added"), filled.stderr)
        XCTAssertEqual(try shell("pdfimages", ["-f", "3", "-l", "3", "-list", dir + "/filled.pdf"]).stdout.split(separator: "\n").count, 3, "the filler's image on page 3")
        // Imprint entries with no page of their own and no contents page (one article) are
        // printed nowhere: a warning says so; as the inside back cover they get the imprint page.
        try (manifest + "\nimprint: {主办: 示例编辑部}\n").write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let nowhere = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/nowhere.pdf"])
        XCTAssertTrue(nowhere.stderr.contains("warning: the imprint is printed nowhere"), nowhere.stderr)
        try (manifest + "\nimprint: {主办: 示例编辑部}\ninside-back-cover: imprint\n").write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let page = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/imprint.pdf"])
        XCTAssertFalse(page.stderr.contains("imprint is printed nowhere"), page.stderr)
        XCTAssertTrue(try pageText(dir + "/imprint.pdf", 3).contains("主办：示例编辑部"))
    }

    /// Ads among the articles: an image and a PDF page, each a full page where the manifest puts it.
    func testAdsAmongArticles() throws {
        let dir = work + "/ads"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/ornament.png", toPath: dir + "/ad.png")
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/ads/subscribe.pdf", toPath: dir + "/ad.pdf")
        for n in ["a", "b"] { try "---\ntitle: 标题\(n)\n---\n\n正文\(n)。\n".write(toFile: dir + "/\(n).md", atomically: true, encoding: .utf8) }
        let manifest = """
        magazine: 刊
        issue: 2024年第1期
        sections:
          - title: 栏
            articles:
              - a.md
              - ad: ad.png
              - b.md
              - ad: ad.pdf
                page: 1
        """
        let (pdf, _) = try render(manifest, in: dir)
        // contents, a, the image ad, b, the PDF ad.
        XCTAssertTrue(try shell("pdfinfo", [pdf]).stdout.contains("Pages:           5"))
        XCTAssertTrue(try pageText(pdf, 2).replacingOccurrences(of: " ", with: "").contains("正文a"))
        XCTAssertEqual(try shell("pdfimages", ["-f", "3", "-l", "3", "-list", pdf]).stdout.split(separator: "\n").count, 3, "one image")
        XCTAssertTrue(try pageText(pdf, 4).replacingOccurrences(of: " ", with: "").contains("正文b"))
        // A PDF page that does not exist is an error that names it.
        try expectRenderError(manifest.replacingOccurrences(of: "page: 1", with: "page: 3"), in: dir, "has 1 page; page 3 was asked for")
    }

    /// A run-on section (`flow: continuous`): short articles follow each other on one page under
    /// a rule, each its own `Art`, listed with the page it starts on; an article with no room
    /// left under the one before starts a new page; the manifest's flow value is checked.
    func testRunOnSection() throws {
        let dir = work + "/runon"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func write(_ name: String, paragraphs: Int) throws {
            let body = (1...paragraphs).map { "第\($0)段：牧民们在夏季转场时互相帮助，合作社为大家提供了新的服务，学校里的孩子们也参加了活动。" }
            try ("---\ntitle: 简讯\(name)\nvariant: news\n---\n\n" + body.joined(separator: "\n\n") + "\n").write(toFile: dir + "/\(name).md", atomically: true, encoding: .utf8)
        }
        try write("a", paragraphs: 4); try write("b", paragraphs: 4); try write("c", paragraphs: 4); try write("d", paragraphs: 60)
        try write("e", paragraphs: 3)
        let manifest = """
        magazine: 刊
        issue: 2024年第1期
        sections:
          - title: 简讯
            flow: continuous
            articles: [a.md, b.md, c.md, d.md, e.md]
        """
        let (pdf, _) = try render(manifest, in: dir)
        // Where each title is, and how many rules (thin filled rectangles across the text area) each page has.
        let found = try shell("python3", ["-c", """
        import fitz, sys, json
        d = fitz.open(sys.argv[1])
        out = {"titles": {}, "rules": []}
        for i, p in enumerate(d):
            for b in p.get_text("blocks"):
                t = b[4].strip()
                if t.startswith("简讯") and len(t) == 3: out["titles"][t] = i + 1
            out["rules"].append(len([x for x in p.get_drawings() if x["rect"].height < 1 and x["rect"].width > 400]))
        print(json.dumps(out))
        """, pdf]).stdout
        let json = try JSONSerialization.jsonObject(with: Data(found.utf8)) as! [String: Any]
        let titles = json["titles"] as! [String: Int]
        // a, b and c share page 2 (after the contents); so does d's opening.
        XCTAssertEqual(titles["简讯a"], 2, found)
        XCTAssertEqual(titles["简讯b"], 2, found)
        XCTAssertEqual(titles["简讯c"], 2, found)
        XCTAssertEqual(titles["简讯d"], 2, found)
        let rules = json["rules"] as! [Int]
        XCTAssertGreaterThanOrEqual(rules[1], 3, "a rule over b, c and d: \(found)")
        // d is long: e runs on under its end, on d's last page.
        let pages = Int(try shell("pdfinfo", [pdf]).stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
        XCTAssertEqual(titles["简讯e"], pages, found)
        XCTAssertGreaterThan(pages, 3)
        // The contents give each article the page it starts on.
        let contents = try pageText(pdf, 1).replacingOccurrences(of: " ", with: "").split(separator: "\n").map(String.init)
        for (name, page) in titles {
            let i = try XCTUnwrap(contents.firstIndex { $0.hasPrefix(name) }, "\(name) in \(contents)")
            XCTAssertTrue(contents[i...].prefix(3).contains { $0.hasSuffix(String(page)) }, "\(name) → \(page): \(contents)")
        }
        // One Art per article in the structure tree, in reading order.
        let tree = try shell("pdfinfo", ["-struct", pdf]).stdout.split(separator: "\n").filter { $0.hasPrefix("  Art") }
        XCTAssertEqual(tree.count, 5, "\(tree)")
        // Nothing lost, nothing colliding.
        let check = try shell("python3", [try pdfcheckTool(), pdf, "--fail-on", "overlapping=0", "--fail-on", "baseline_misaligned_share=0",
                                          "--fail-on", "runts=0", "--fail-on", "heading_at_foot=0"])
        XCTAssertEqual(check.status, 0, check.stdout)
        try expectRenderError(manifest.replacingOccurrences(of: "flow: continuous", with: "flow: onward"), in: dir,
                              "bad.yaml:5:11: error: a section's flow is pages (each article on a new page) or continuous, not 'onward'")
    }

    /// A literary opening (`variant: literary`) sets chapter headings as display headings:
    /// centred on the column, larger, a short rule under them, still `H2` in the structure.
    func testDisplayHeadings() throws {
        let dir = work + "/lit"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = String(repeating: "草原上的学校里，孩子们读书写字唱歌。", count: 12)
        try "---\ntitle: 小说\nvariant: literary\n---\n\n## 第一章　序\n\n\(text)\n\n## 第二章\n\n\(text)\n".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
        let pdf = dir + "/a.pdf"
        let r = try shell(folio, ["render", dir + "/a.md", "-o", pdf])
        XCTAssertEqual(r.status, 0, r.stderr)
        let found = try shell("python3", ["-c", """
        import fitz, sys, json
        p = fitz.open(sys.argv[1])[0]
        out = []
        for b in p.get_text("dict")["blocks"]:
            for l in b.get("lines", []):
                t = "".join(s["text"] for s in l["spans"])
                if t.startswith("第") and "章" in t:
                    out.append({"x0": l["bbox"][0], "x1": l["bbox"][2], "y": l["bbox"][3], "size": l["spans"][0]["size"]})
        rules = [[d["rect"].x0, d["rect"].x1, d["rect"].y0] for d in p.get_drawings() if d["rect"].height < 1.5 and d["rect"].width < 80]
        print(json.dumps({"headings": out, "rules": rules}))
        """, pdf]).stdout
        let json = try JSONSerialization.jsonObject(with: Data(found.utf8)) as! [String: Any]
        let headings = json["headings"] as! [[String: Double]], rules = json["rules"] as! [[Double]]
        XCTAssertEqual(headings.count, 2, found)
        // The columns of the 16k template on a recto: 3 mm bleed + 19 mm inner margin, two columns
        // of 24 characters of 10 pt, the gutter taking the rest of 176 mm.
        let left = (3 + 19) * 72 / 25.4, gutter = 176 * 72 / 25.4 - 480
        let mids = [left + 120, left + 240 + gutter + 120]
        for h in headings {
            let centre = (h["x0"]! + h["x1"]!) / 2
            let columnMid = mids.min { abs($0 - centre) < abs($1 - centre) }!
            XCTAssertEqual(centre, columnMid, accuracy: 2, "centred: \(h)")
            XCTAssertEqual(h["size"]!, 14, accuracy: 0.1)
            // Its rule sits just under it, centred too.
            XCTAssertTrue(rules.contains { abs(($0[0] + $0[1]) / 2 - columnMid) < 2 && $0[2] > h["y"]! && $0[2] - h["y"]! < 20 }, "\(h) \(rules)")
        }
        let tree = try shell("pdfinfo", ["-struct-text", pdf]).stdout
        XCTAssertTrue(tree.contains("/H2") || tree.contains("H2"), tree)
    }

    /// A long contents list goes into the grid's columns (fewer pages than one wide column);
    /// with `contents-thumbnails` each entry shows its article's lead image; the page count
    /// reserved for the contents is the one composed.
    func testContentsInColumnsWithThumbnails() throws {
        let dir = work + "/toc"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: dir + "/lead.jpg")
        var articles: [String] = []
        for n in 1...36 {
            let figure = n % 3 == 0 ? "\n\n![草原](lead.jpg)\n" : ""
            try "---\ntitle: 第\(n)篇文章的标题\ndeck: 一句导语。\nauthor: 作者\(n)\n---\n\n正文。\(figure)\n".write(toFile: dir + "/a\(n).md", atomically: true, encoding: .utf8)
            articles.append("a\(n).md")
        }
        try "magazine: 刊\nissue: 2024年第1期\nsections:\n  - title: 栏目\n    articles: [\(articles.joined(separator: ", "))]\n".write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        func contents(_ template: String?) throws -> (pages: Int, columns: Int, images: Int, firstArticlePage: String) {
            var args = ["render", dir + "/issue.yaml", "-o", dir + "/out.pdf", "-q"]
            if let template {
                let text = try String(contentsOfFile: root + "/layouts/magazine-16k.yaml", encoding: .utf8).replacingOccurrences(of: "  folio: true\n", with: "  folio: true\n" + template)
                try text.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
                args += ["--template", dir + "/t.yaml", "--fonts", root + "/fonts"]
            }
            let r = try shell(folio, args)
            XCTAssertEqual(r.status, 0, r.stderr)
            let out = try shell("python3", ["-c", """
            import fitz, sys, json
            d = fitz.open(sys.argv[1])
            pages = [p for p in d if "目录" in p.get_text()]
            columns = 0
            for p in pages:
                lefts = set()
                for b in p.get_text("dict")["blocks"]:
                    for l in b.get("lines", []):
                        t = "".join(s["text"] for s in l["spans"])
                        if t.startswith("第") and "篇" in t: lefts.add(round(l["bbox"][0]))
                columns = max(columns, len(lefts))
            first = d[len(pages)].get_text().replace(" ", "")
            print(json.dumps({"pages": len(pages), "columns": columns, "images": sum(len(p.get_image_info()) for p in pages), "first": first}))
            """, dir + "/out.pdf"]).stdout
            let j = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
            return (j["pages"] as! Int, j["columns"] as! Int, j["images"] as! Int, j["first"] as! String)
        }
        let wide = try contents("  contents-columns: 1\n")
        let auto = try contents(nil)
        XCTAssertEqual(wide.columns, 1, "one column: \(wide)")
        XCTAssertGreaterThan(wide.pages, 1)
        XCTAssertEqual(auto.columns, 2, "two columns when one would need more than a page: \(auto)")
        XCTAssertLessThan(auto.pages, wide.pages)
        // The first article follows the contents directly: the pages reserved are the pages composed.
        XCTAssertTrue(auto.firstArticlePage.contains("第1篇文章的标题"), auto.firstArticlePage)
        let thumbs = try contents("  contents-thumbnails: true\n")
        XCTAssertEqual(thumbs.images, 12, "a thumbnail for each of the 12 articles with a figure")
        XCTAssertTrue(thumbs.firstArticlePage.contains("第1篇文章的标题"), thumbs.firstArticlePage)
    }

    /// An article of an issue that ends on a page less than half full gets a warning saying how
    /// to fill it, unless the manifest accepts it (`ends-with-space: true`).
    func testShortLastPageIsReported() throws {
        let dir = work + "/short"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let long = (0..<50).map { _ in "草原上的学校里，孩子们读书、写字、唱歌，老师们走很远的路来上课。" + "牧民们也常来看看。" }.joined(separator: "\n\n")
        try "---\ntitle: 长文\n---\n\n\(long)\n".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
        try "---\ntitle: 短文\n---\n\n正文。\n".write(toFile: dir + "/b.md", atomically: true, encoding: .utf8)
        let manifest = "magazine: 刊\nissue: 2024年第1期\nsections:\n  - title: 栏\n    articles:\n      - a.md\n      - b.md\n"
        try manifest.write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/out.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let warning = try XCTUnwrap(r.stderr.split(separator: "\n").first { $0.contains("warning: a ends on page 3,") }, r.stderr)
        XCTAssertTrue(warning.hasPrefix(dir + "/a.md:1:1: warning:"), String(warning))
        XCTAssertTrue(warning.contains("or write ends-with-space: true beside it in the manifest"), String(warning))
        // The percentage is the page's fill as pdfcheck measures it (within a few points).
        let percent = Double(warning.split(separator: ",")[1].split(separator: "%")[0].trimmingCharacters(in: .whitespaces))!
        let fill = try shell("python3", [try pdfcheckTool(), dir + "/out.pdf", "--json"]).stdout
        let perPage = ((try JSONSerialization.jsonObject(with: Data(fill.utf8)) as! [String: Any])["metrics"] as! [String: Any])["page_fill"] as! [String: Any]
        let p3 = (perPage["per_page"] as! [[String: Any]]).first { $0["page"] as? Int == 3 }!
        XCTAssertEqual(percent / 100, p3["fill"] as! Double, accuracy: 0.05)
        XCTAssertTrue(r.stderr.contains("warning: b ends on page 4,"), "a sparse page is a sparse page, the last article's too: \(r.stderr)")
        try manifest.replacingOccurrences(of: "      - a.md", with: "      - {file: a.md, ends-with-space: true}").write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
        let accepted = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/out2.pdf"])
        XCTAssertFalse(accepted.stderr.contains("a ends on page"), accepted.stderr)
        // One article alone (an archive's) ends where it ends.
        XCTAssertFalse(try shell(folio, ["render", dir + "/a.md", "-o", dir + "/alone.pdf"]).stderr.contains("ends on page"))
    }

    /// Half-page ads: at the foot of the page where the article before them ends when its text
    /// leaves the lower half free, else on a page of their own with a warning; never tagged as
    /// part of the article; misplaced ones are located errors.
    func testHalfPageAds() throws {
        let dir = work + "/half"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/ads/grassland-tours.pdf", toPath: dir + "/tours.pdf")
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/ornament.png", toPath: dir + "/ad.png")
        try "---\ntitle: 短文\n---\n\n正文短短一段。\n".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
        // About 64 lines of 24 characters: more than the upper halves of one page's two columns.
        let long = (0..<16).map { i in String(repeating: "草原上的学校里孩子们读书写字唱歌\(i)。", count: 5) }.joined(separator: "\n\n")
        try "---\ntitle: 长文\n---\n\n\(long)\n".write(toFile: dir + "/b.md", atomically: true, encoding: .utf8)
        let manifest = """
        magazine: 刊
        issue: 2024年第1期
        sections:
          - title: 栏
            articles:
              - a.md
              - {ad: tours.pdf, size: half}
              - b.md
              - {ad: ad.png, size: half}
        """
        let (pdf, r) = try render(manifest, in: dir)
        // contents, a with the PDF ad under it, b, b's ad on a page of its own.
        let pages = try shell("python3", ["-c", """
        import fitz, sys
        d = fitz.open(sys.argv[1])
        for p in d:
            words = [b for b in p.get_text("blocks") if b[4].strip()]
            low = max([b[3] for b in words if any('\\u4e00' <= c <= '\\u9fff' for c in b[4])] or [0])
            ad = [b for b in words if 'GRASSLAND' in b[4]]
            print(len(p.get_images()), round(low), round(ad[0][1]) if ad else -1, round(p.rect.height))
        """, pdf]).stdout.split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
        XCTAssertEqual(pages.count, 4, "\(pages) \(r.stderr)")
        // Page 2: the ad's text lies below the article's last line and in the lower half.
        XCTAssertGreaterThan(pages[1][2], pages[1][1], "the ad is under the text: \(pages[1])")
        XCTAssertGreaterThan(pages[1][2], pages[1][3] / 2, "the ad is in the lower half: \(pages[1])")
        XCTAssertTrue(try pageText(pdf, 2).contains("GRASSLAND TOURS"), "drawn as vectors, its text kept")
        // b fills more than the upper half: its ad (the PNG) has a page of its own, and a warning says why.
        XCTAssertEqual(pages[3][0], 1, "the image ad on page 4: \(pages[3])")
        XCTAssertEqual(pages[2][0], 0)
        XCTAssertTrue(r.stderr.contains("issue.yaml:9:14: warning: the half-page ad does not fit under the end of b"), r.stderr)
        // The ad is not part of the article's structure: no Figure element anywhere.
        let tree = try shell("pdfinfo", ["-struct", pdf]).stdout
        XCTAssertTrue(tree.contains("Art"), tree)
        XCTAssertFalse(tree.contains("Figure"), tree)
        // A half-page ad needs an article before it; sizes are full or half.
        try expectRenderError(manifest.replacingOccurrences(of: "      - a.md\n", with: "").replacingOccurrences(of: "size: half}\n      - b.md", with: "size: third}\n      - b.md"),
                              in: dir, "bad.yaml:6:31: error: an ad's size is full or half, not 'third'")
        try expectRenderError(manifest.replacingOccurrences(of: "      - a.md\n", with: ""), in: dir, "bad.yaml:6:9: error: a half-page ad goes at the foot of the article before it")
    }
}

/// Page budgets and the fit report (issue 13): the 32-page example issue, one article over its
/// budget and one under by design, the others fitted by scaling figures and leaving out the
/// optional elements — deterministically.
final class PageBudgetTests: FolioCommandTestCase {
    func testTheBudgetIssueFitsAndReportsWhatDoesNot() throws {
        let pdf = work + "/budget.pdf", report = work + "/budget.json"
        let r = try shell(folio, ["render", "examples/budget-issue/issue.yaml", "-o", pdf, "--fit-report", "--report", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        let info = try shell("pdfinfo", [pdf]).stdout
        XCTAssertTrue(info.contains("Pages:           32"), "the issue's total (pages: 32): \(info)")
        // The table on standard output: a row per budgeted article and the tally.
        XCTAssertTrue(r.stdout.contains("6 of 8 budgets met; over: liangshi-zhan; under: xiaoxue-jiaoshi"), r.stdout)
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("liangshi-zhan") || $0.hasPrefix("xiaoxue-jiaoshi") }
        XCTAssertEqual(rows.count, 2, r.stdout)
        // The JSON report carries the same, per article.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        let fit = try XCTUnwrap(json["fit"] as? [[String: Any]])
        XCTAssertEqual(fit.count, 8)
        let byName = Dictionary(uniqueKeysWithValues: fit.map { ($0["article"] as! String, $0) })
        let over = try XCTUnwrap(byName["liangshi-zhan"])
        XCTAssertEqual(over["status"] as? String, "over")
        XCTAssertEqual(over["budget"] as? Int, 2)
        let overLines = try XCTUnwrap(over["lines"] as? Int)
        XCTAssertGreaterThan(overLines, 0)
        // Characters to cut: the lines times the characters of a line (24 on this template), in tens.
        XCTAssertEqual(Double(over["characters"] as! Int), Double(overLines * 24), accuracy: 5)
        // Every step was tried, the last (air in whole grid lines) too.
        XCTAssertEqual(over["actions"] as? [String], ["1 optional figure and 1 optional pull quote left out", "a grid line less before headings and around quotes, above boxes and tables"], "\(over)")
        XCTAssertTrue((over["location"] as! String).hasSuffix("issue.yaml:14:41"), "\(over)")
        XCTAssertTrue(r.stderr.contains("issue.yaml:14:41: warning: liangshi-zhan: over by \(overLines) lines"), r.stderr)
        let under = try XCTUnwrap(byName["xiaoxue-jiaoshi"])
        XCTAssertEqual(under["status"] as? String, "under")
        XCTAssertLessThan(under["pages"] as! Int, 4)
        XCTAssertTrue(r.stderr.contains("under by"), r.stderr)
        // Fitted, in the order the template allows: a figure scaled, optional elements left out.
        XCTAssertEqual(byName["caoyuan-dianying"]?["status"] as? String, "fits")
        // Figures first, to their limit; then the template's more compact opening (the article
        // names no variant), figures from full size again — its optional elements are kept.
        XCTAssertEqual(byName["caoyuan-dianying"]?["actions"] as? [String], ["opening 'news'", "figures at 70 %"])
        XCTAssertFalse(r.stderr.split(separator: "\n").contains { $0.contains("caoyuan-dianying.md") && $0.contains("left out to fit") }, r.stderr)
        XCTAssertEqual(byName["hesha-zhili"]?["actions"] as? [String], ["opening 'news'", "figures at 80 %"])
        // Each article takes exactly its budget's pages when it fits.
        for (name, entry) in byName where entry["status"] as? String == "fits" {
            XCTAssertEqual(entry["pages"] as? Int, entry["budget"] as? Int, name)
        }
        // The fit decisions are deterministic: a second render is byte-identical.
        XCTAssertEqual(try shell(folio, ["render", "examples/budget-issue/issue.yaml", "-o", work + "/again.pdf", "-q"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pdf)), try Data(contentsOf: URL(fileURLWithPath: work + "/again.pdf")))
        // Nothing lost: every character of what was printed is accounted for (no error), and
        // pdfcheck finds no typographic defect the budgets could have caused.
        let check = try shell("python3", [try pdfcheckTool(), pdf, "--fail-on", "runts=0", "--fail-on", "overflow=0",
                                          "--fail-on", "overlapping=0", "--fail-on", "kinsoku_start=0", "--fail-on", "ragged_justified=0",
                                          // one page under half full: the one the manifest accepts (muchang-xuexiao, ends-with-space)
                                          "--fail-on", "page_fill=1"])
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertFalse(r.stderr.contains("ends on page"), "the over-budget article's spill is under a half-page ad: \(r.stderr)")
    }

    /// An article a little over its budget that nothing else brings in (no figures, no air, the
    /// opening its own) is fitted by paragraphs set a line shorter, the last first, as few as
    /// do it, at most a third of them; the note names them and the fit report lists the step.
    func testParagraphsSetALineShorterBringAnArticleWithinItsBudget() throws {
        let squeezable = String(repeating: "草原上，学校里，孩子们，", count: 4) + "读书了。"
        var fitted = 0, over = 0
        for k in 23..<30 {
            let dir = work + "/tight-\(k)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try ("---\ntitle: 标题\nvariant: feature\n---\n\n" + Array(repeating: squeezable, count: k).joined(separator: "\n\n") + "\n")
                .write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
            try ("magazine: 测试\nissue: 1\ntemplate: \(root)/layouts/magazine-16k.yaml\nsections:\n  - title: 栏目\n    articles:\n      - {file: a.md, pages: 1}\n")
                .write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
            let r = try shell(folio, ["render", dir + "/issue.yaml", "-o", dir + "/out.pdf", "--fit-report"])
            XCTAssertEqual(r.status, 0, r.stderr)
            if r.stdout.contains("1 of 1 budget met") {
                guard let note = r.stderr.split(separator: "\n").first(where: { $0.contains("set a line shorter") && $0.contains("to fit the article's budget of 1 page") }) else { continue }
                fitted += 1
                let named = note.split(separator: "(").last!.filter { $0 == "," }.count + 1
                XCTAssertLessThanOrEqual(named, (k + 2) / 3, "\(k) paragraphs: \(note)")
                XCTAssertTrue(note.hasSuffix(" \(6 + 2 * (k - 1)))"), "\(k) paragraphs: the last one first: \(note)")
            } else {
                over += 1
                XCTAssertFalse(r.stderr.contains("to fit the article's budget"), "\(k) paragraphs: over, yet paragraphs set shorter: \(r.stderr)")
            }
        }
        XCTAssertGreaterThan(fitted, 0, "an article brought within its budget by tighter paragraphs")
        XCTAssertGreaterThan(over, 0, "an article too far over for a third of its paragraphs")
    }

    func testBudgetErrorsAreLocated() throws {
        try FileManager.default.createDirectory(atPath: work + "/i", withIntermediateDirectories: true)
        try "---\ntitle: 标题\n---\n\n正文。\n".write(toFile: work + "/i/a.md", atomically: true, encoding: .utf8)
        try "magazine: 刊\nissue: 第1期\npages: many\nsections:\n  - title: 一\n    articles:\n      - {file: a.md, pages: 0}\n      - {file: a.md, page: 2}\n"
            .write(toFile: work + "/i/issue.yaml", atomically: true, encoding: .utf8)
        let r = try shell(folio, ["render", work + "/i/issue.yaml", "-o", work + "/i.pdf"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("issue.yaml:3:8: error: expected a whole number from 1 to 10000, found 'many'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("issue.yaml:7:29: error: expected a whole number from 1 to 1000, found '0'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("issue.yaml:8:22: error:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'pages'?"), r.stderr)
    }
}
