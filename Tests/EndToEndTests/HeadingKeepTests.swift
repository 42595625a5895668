/// Headings kept with what follows them in their column (clreq C20), on constructed runs moved
/// a line at a time towards a column's foot: a heading is never the last line of its column,
/// nor parted from the box it stands over. (The gates and the rest of Chinese body text:
/// ChineseTypographyTests.swift.)
import Foundation
import XCTest

extension ChineseTypographyTests {
    /// A heading that ColumnFill lets keep `orphans` lines instead of `heading-keep` (short
    /// dialogue paragraphs before it have nothing to give) still keeps the grid line of air
    /// before a block quote under it as well: it is never the last line of its column. (Before,
    /// at 31 such paragraphs its two lines were the air and one line, and it ended the column.)
    func testARelaxedHeadingKeepsTheAirBeforeTheQuoteUnderIt() throws {
        let blockQuote = "> " + String(repeating: "老人说：“这是我们祖祖辈辈的草场，也是孩子们的草场。”", count: 3)
        let alone = try headingsLeftAlone("relaxed", 26..<36) { Array(repeating: "“真的吗？”孩子们问。", count: $0) + ["## 小标题", blockQuote] }
        XCTAssertEqual(alone, [], "headings left the last line of their column")
    }

    /// For each `k` of `counts`: renders `blocks(k)` and twelve long paragraphs after them (gated
    /// on no overlapping lines and no runts), and checks the heading `小标题` is printed once;
    /// the `k` where it is the last line of its column.
    func headingsLeftAlone(_ name: String, _ counts: Range<Int>, file: StaticString = #filePath, line: UInt = #line,
                           _ blocks: (Int) -> [String]) throws -> [Int] {
        let rest = Self.goingOn
        var alone: [Int] = []
        for k in counts {
            _ = try renderChecked(blocks(k) + rest, name: "\(name)-\(k)", gates: ["overlapping", "runts"], file: file, line: line)
            let followed = try textBelow(work + "/\(name)-\(k).pdf", "小标题")
            XCTAssertEqual(followed.count, 1, "\(name)-\(k): the heading is printed once", file: file, line: line)
            if followed.contains(false) { alone.append(k) }
        }
        return alone
    }

    /// A heading followed by a figure that goes elsewhere (across the next page's head, here)
    /// keeps what comes after the figure: the air and the lines of the block quote. Before, it
    /// counted neither (the figure needs no lines where it stands), kept two lines, and at 31
    /// short paragraphs ended its column with the quote at the next one's head (random_articles
    /// ug seed 55 had it under a table).
    func testAHeadingKeepsWhatFollowsAFigurePlacedElsewhere() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: root + "/examples/sample-issue/images/grassland.jpg", toPath: work + "/grassland.jpg")
        let blockQuote = "> 老师说：“读书是走出去的路，也是回家的路。”合作社的账本上记着每一户的收入。"
        let alone = try headingsLeftAlone("elsewhere", 28..<34) {
            Array(repeating: "牧区的孩子们每天骑马上学，路上要走两个小时。", count: $0) + ["## 小标题", "![草原](grassland.jpg \"span\")", blockQuote]
        }
        XCTAssertEqual(alone, [], "headings left the last line of their column")
    }

    /// A heading over a pull quote over a box is never parted from the box: where the quote does
    /// not fit under the heading it waits for the next column's head behind the box and the text
    /// (an excerpt set apart), or all three move on. (Before, at 27 to 31 short paragraphs the
    /// heading and the quote ended a column and the box began the next.)
    func testAHeadingOverAPullQuoteIsNotPartedFromTheBoxAfterIt() throws {
        let quote = "牧民的希望，在草原的学校。"
        let box = "> [!box] 合作社的账本\n>\n> " + String(repeating: "合作社的账本上记着每一户的收入，也记着牧民们互相帮助的故事。", count: 3)
        let rest = Self.goingOn
        var parted: [Int] = []
        for k in 20..<42 {
            let body = Array(repeating: "这是一句短话。", count: k) + ["## 小标题", "> [!pull]\n> " + quote, box] + rest
            // (Not overflow: pdfcheck takes the short paragraphs' indented first lines for the margin.)
            _ = try renderChecked(body, name: "pull-box-\(k)", gates: ["overlapping", "runts"])
            if try !sameColumn(work + "/pull-box-\(k).pdf", "小标题", "合作社的账本") { parted.append(k) }
        }
        XCTAssertEqual(parted, [], "a heading parted from the box after its pull quote")
    }

    /// A heading over a figure set at a column's foot (`bottom`) keeps the box after the figure
    /// under it, as it does a box right under it: the figure is drawn at the foot, what follows
    /// it in the column is the box. Before, it kept only its own lines: at 25 to 31 short
    /// paragraphs it stood over the first paragraph after the box, the box at the next
    /// column's head; where that box had another box after it instead of text, it stood alone
    /// at the column's foot (random_articles ug seed 2197).
    func testAHeadingKeepsTheBoxAfterAFigureAtTheColumnsFoot() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: root + "/examples/formats/enrolment-chart.svg", toPath: work + "/enrolment-chart.svg")
        let rows = (0..<6).map { "> | \(2018 + $0) | \(30 + $0) | \(12 + $0)万 |" }.joined(separator: "\n")
        let box = "> [!box] 合作社的账本\n>\n> | 年份 | 户数 | 收入 |\n> |---|---|---|\n" + rows
        let rest = Self.goingOn
        var parted: [Int] = []
        for k in 24..<32 {
            let body = Array(repeating: "牧区的孩子们每天骑马上学，路上要走两个小时。", count: k)
                + ["## 小标题", "![入学人数](enrolment-chart.svg \"bottom\")", box] + rest
            _ = try renderChecked(body, name: "foot-box-\(k)", gates: ["overlapping", "runts"])
            if try !sameColumn(work + "/foot-box-\(k).pdf", "小标题", "合作社的账本") { parted.append(k) }
        }
        XCTAssertEqual(parted, [], "a heading parted from the box after the figure under it")
    }

    /// A heading over figures and a table keeps what the table needs to begin: a figure set in
    /// the column goes to the next column's head where it does not fit, and the table with it.
    /// Before, the heading kept only its own lines and stood alone at page 1's first column's
    /// foot (random_articles kk seed 2247, the fixture: `###` over a figure for the column's
    /// head, one for the column, and a table).
    func testAHeadingKeepsTheTableAfterAFigureThatMovesOn() throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/Tests/EndToEndTests/Fixtures/random-article-kk-2247.md", toPath: work + "/kk.md")
        for image in ["archive.webp", "camera-exif6.jpg"] {
            try? FileManager.default.copyItem(atPath: root + "/examples/formats/" + image, toPath: work + "/" + image)
        }
        let r = try shell(folio, ["render", work + "/kk.md", "-o", work + "/kk.pdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Each column's last line set in the bold face of headings (random_articles.py's check,
        // pages but the last, running heads and folios aside).
        let ends = try shell("python3", ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import random_articles as r; print(r.alone_at_foot(sys.argv[2]))",
                                         root + "/scripts", work + "/kk.pdf"])
        XCTAssertEqual(ends.status, 0, ends.stderr)
        XCTAssertFalse(ends.stdout.contains("ادامدار مەن ازات"), "the heading ends a column: " + ends.stdout)
    }

    /// Whether the first lines that read `heading` and `title` are printed on the same page, in
    /// the same column (left or right half); fails the test where either is not printed.
    func sameColumn(_ pdf: String, _ heading: String, _ title: String, file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let script = """
            import sys, pymupdf
            seen = {}
            for n, page in enumerate(pymupdf.open(sys.argv[1])):
                for b in page.get_text('dict')['blocks']:
                    for l in b.get('lines', []):
                        t = ''.join(s['text'] for s in l['spans'])
                        for key in sys.argv[2:]:
                            if t.startswith(key) and key not in seen:
                                seen[key] = (n, l['bbox'][0] < page.rect.width / 2)
            print(len(seen), len(set(seen.values())))
            """
        let r = try shell("python3", ["-c", script, pdf, heading, title])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let counts = r.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(counts.first, 2, "\(pdf): the heading and the box title are printed", file: file, line: line)
        return counts.last == 1
    }

    /// For each line of `pdf` that holds `key`: whether any text lies below it in its column (of
    /// two; the page's foot line aside).
    func textBelow(_ pdf: String, _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> [Bool] {
        let script = """
            import sys, pymupdf
            for page in pymupdf.open(sys.argv[1]):
                lines = [(l['bbox'][0], l['bbox'][1], ''.join(s['text'] for s in l['spans']))
                         for b in page.get_text('dict')['blocks'] for l in b.get('lines', [])]
                for x, y, t in lines:
                    if sys.argv[2] in t:
                        left = x < page.rect.width / 2
                        below = [u for u in lines if (u[0] < page.rect.width / 2) == left and y + 5 < u[1] < page.rect.height - 40]
                        print('followed' if below else 'alone')
            """
        let r = try shell("python3", ["-c", script, pdf, key])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r.stdout.split(separator: "\n").map { $0 == "followed" }
    }
}
