import FolioCore
import XCTest

final class CoreTests: XCTestCase {
    func testMillimetresToPoints() {
        XCTAssertEqual(mm(25.4), 72, accuracy: 1e-9)
        XCTAssertEqual(toMM(mm(210)), 210, accuracy: 1e-9)
    }

    func testColorFromHex() {
        XCTAssertEqual(Color(hex: "#ff8000"), Color(red: 1, green: 128.0 / 255, blue: 0))
        XCTAssertNil(Color(hex: "#ff80"))
        XCTAssertNil(Color(hex: "orange"))
    }

    func testStyledTextAppendMergesSpansAndCountsScalars() {
        var t = StyledText("前")
        t.append("强调", style: .emphasis)
        t.append("也是", style: .emphasis)
        t.append("后")
        XCTAssertEqual(t.string, "前强调也是后")
        XCTAssertEqual(t.scalarCount, 6)
        XCTAssertEqual(t.spans, [StyledSpan(range: 1..<5, style: .emphasis)])
    }

    func testDiagnosticFormatIsFileLineColumn() {
        let d = Diagnostic.error("unknown key 'titel'", at: SourceLocation(file: "a.md", line: 3, column: 1))
        XCTAssertEqual(d.description, "a.md:3:1: error: unknown key 'titel'")
    }

    func testFontRoleFamilyListPutsPrimaryScriptFirstWithoutDuplicates() {
        let role = FontRole(families: [.han: "Han Serif", .latin: "Han Serif", .arabic: "Naskh"])
        XCTAssertEqual(role.familyList(primary: .arabic), ["Naskh", "Han Serif"])
        XCTAssertEqual(role.familyList(), ["Han Serif", "Naskh"])
    }

    /// The fit report's line counts its nouns: a brief's budget is "1 page", one line over "1 line".
    func testTheFitSummaryCountsItsNouns() {
        let budget = PageBudget(pages: 1, location: SourceLocation(file: "issue.yaml"))
        let over = ArticleFit(article: "brief", budget: budget, pages: 2, status: .over, lines: 1, columns: 0.03, characters: 20,
                              actions: [], lastPageFill: 0.03)
        XCTAssertEqual(over.summary, "brief: over by 1 line (0.0 columns) on a budget of 1 page; cut ~20 characters")
        var under = over
        under.status = .under; under.lines = 12; under.budget.pages = 2
        XCTAssertEqual(under.summary, "brief: under by 0.0 columns (12 lines) on a budget of 2 pages; add a figure or ~20 characters")
    }

    func testRectGeometry() {
        let r = Rect(x: 10, y: 10, width: 100, height: 50)
        XCTAssertTrue(r.contains(Rect(x: 10, y: 10, width: 100, height: 50)))
        XCTAssertFalse(r.contains(Rect(x: 9, y: 10, width: 10, height: 10)))
        XCTAssertTrue(r.intersects(Rect(x: 100, y: 50, width: 20, height: 20)))
        XCTAssertFalse(r.intersects(Rect(x: 110, y: 10, width: 5, height: 5)))
    }
}

final class FileStampTests: XCTestCase {
    /// A stamp taken after a read that began at `start` is unsettled when the file was modified
    /// since — but not when it was last modified before, nor for a time far ahead of the clock.
    func testAStampIsUnsettledWhenItsFileChangedDuringTheRead() throws {
        let file = NSTemporaryDirectory() + "folio-stamp-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("a".utf8).write(to: URL(fileURLWithPath: file))
        func set(_ modified: Date) throws { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: file) }
        // By its time: modified after the read began (a save in place keeping the size).
        let read = FileRead()
        try set(Date().addingTimeInterval(-5))
        XCTAssertEqual(read.stamp(file), FileStamp(path: file))
        try set(Date().addingTimeInterval(0.5))
        XCTAssertEqual(read.stamp(file).size, FileStamp.unsettled)
        XCTAssertNotEqual(read.stamp(file), FileStamp(path: file))
        try set(Date().addingTimeInterval(60))
        XCTAssertEqual(read.stamp(file), FileStamp(path: file), "a clock running ahead")
        XCTAssertEqual(read.stamp(file + ".missing"), FileStamp(path: file + ".missing"))
        // By its stamp before the read: a file growing while it is read, with a time from before
        // the read (a file system stamping coarse times), and one appearing meanwhile.
        try set(Date().addingTimeInterval(-5))
        let known = FileRead(knowing: [file, file + ".new"])
        XCTAssertEqual(known.stamp(file), FileStamp(path: file), "unchanged")
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        try set(Date().addingTimeInterval(-5))
        XCTAssertEqual(known.stamp(file).size, FileStamp.unsettled, "grew during the read")
        XCTAssertEqual(FileRead(before: [:]).stamp(file), FileStamp(path: file), "not known before: by its time alone")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file + ".new"))
        defer { try? FileManager.default.removeItem(atPath: file + ".new") }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-5)], ofItemAtPath: file + ".new")
        XCTAssertEqual(known.stamp(file + ".new").size, FileStamp.unsettled, "appeared during the read")
        try FileManager.default.removeItem(atPath: file)
        XCTAssertEqual(known.stamp(file).size, FileStamp.unsettled, "removed during the read")
        XCTAssertNotEqual(known.stamp(file), FileStamp(path: file))
    }
}

final class SHA256Tests: XCTestCase {
    func testKnownDigests() {
        var empty = SHA256()
        XCTAssertEqual(empty.hexDigest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update("abc")
        XCTAssertEqual(abc.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = SHA256()
        long.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        XCTAssertEqual(long.hexDigest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a's, fed in pieces of every size from 1 to 200 bytes and as a plain
        // sequence: block boundaries fall everywhere.
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var pieces = SHA256(), sequence = SHA256()
        var at = 0, size = 1
        while at < million.count {
            let end = min(million.count, at + size)
            pieces.update(million[at..<end])
            (at, size) = (end, size % 200 + 1)
        }
        sequence.update(million.lazy.map { $0 })
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(pieces.hexDigest(), expected)
        XCTAssertEqual(sequence.hexDigest(), expected)
        // Lengths around the padding's boundary (55, 56, 63, 64 bytes), against the one-piece digest.
        for n in [55, 56, 57, 63, 64, 65, 119, 120] {
            let bytes = (0..<n).map { UInt8($0 & 0xff) }
            var whole = SHA256(), split = SHA256()
            whole.update(bytes)
            split.update(bytes.prefix(n / 3))
            split.update(bytes.dropFirst(n / 3))
            XCTAssertEqual(whole.hexDigest(), split.hexDigest(), "\(n) bytes")
        }
    }
}

final class MagazineTests: XCTestCase {
    func testISSNCheckDigitAndEAN13() {
        XCTAssertTrue(Cover.isValidISSN("1234-5679"))
        XCTAssertFalse(Cover.isValidISSN("1234-5678"))
        XCTAssertTrue(Cover.isValidISSN("1002-123X"))
        XCTAssertFalse(Cover.isValidISSN("12345"))
        var cover = Cover(location: SourceLocation(file: "i.yaml"))
        cover.issn = "1234-5679"
        cover.addOn = "06"
        // GS1: 977 + 1234567 + 00, check digit 3.
        XCTAssertEqual(cover.ean13, "9771234567003")
        XCTAssertEqual(cover.barcodeData, "9771234567003+06")
        cover.issn = "0317-8471"
        XCTAssertEqual(cover.ean13, "9770317847001")
    }
}

/// Links between articles: a path in a Markdown link names an article (`#` and an id, a heading); it leads to that
/// article when the document holds it — by its file, its file without the extension, a page
/// bundle's folder, or (a site path) its last name when one article alone has it.
final class ArticleLinksTests: XCTestCase {
    let issue = ArticleLinks(articles: [("/m/wenhua/matouqin.md", nil), ("/m/jingji/maoniu/index.md", nil),
                                        ("/m/minsheng/jiexiang.md", "shiliuzi"), ("/m/a/jianxun.md", nil), ("/m/b/jianxun.md", nil)])

    func to(_ url: String, from file: String = "/m/jiaoyu/caoyuan.md") -> Int? {
        ArticleLinks.target(url, from: file).flatMap(issue.destination)
    }

    func testAPathNamesAnArticleAndAWebAddressDoesNot() {
        XCTAssertEqual(ArticleLinks.target("../wenhua/matouqin.md#second", from: "/m/jiaoyu/caoyuan.md").flatMap(ArticleLinks.path(of:)),
                       "/m/wenhua/matouqin.md")
        XCTAssertEqual(ArticleLinks.target("%E9%A9%AC.md", from: "/m/x.md").flatMap(ArticleLinks.path(of:)), "/m/马.md")
        XCTAssertEqual(ArticleLinks.target("#notes", from: "/m/x.md").flatMap(ArticleLinks.path(of:)), "/m/x.md")   // a heading of its own
        for url in ["https://example.cn/a.md", "mailto:a@b.cn", "tel:123", "#", "", "//cdn.example.cn/a.md", "?page=2"] {
            XCTAssertNil(ArticleLinks.target(url, from: "/m/x.md"), url)
        }
        XCTAssertNil(issue.destination("https://example.cn/wenhua/matouqin.md"))
    }

    /// A heading is named by `#` and its id: the writer's (`{#change}`) or the one Hugo makes
    /// from its text (lower case, spaces as `-`, punctuation left out; the same text again `-1`).
    func testALinkNamesAHeadingByItsIDOrItsText() throws {
        XCTAssertEqual(ArticleLinks.headingID("新的变化"), "新的变化")
        XCTAssertEqual(ArticleLinks.headingID("A Q 正传：第一章"), "a-q-正传第一章")
        var article = Article(id: "a", meta: ArticleMeta(), blocks: [
            .heading(level: 2, text: StyledText("新的变化"), location: SourceLocation(file: "/m/a.md", line: 5)),
            .paragraph(StyledText("文。"), location: SourceLocation(file: "/m/a.md", line: 7)),
            .heading(level: 2, text: StyledText("新的变化"), location: SourceLocation(file: "/m/a.md", line: 9)),
            .heading(level: 2, text: StyledText("琴的来历"), location: SourceLocation(file: "/m/a.md", line: 11)),
        ], location: SourceLocation(file: "/m/a.md", line: 1))
        article.headingIDs = [11: "origin"]
        var text = StyledText("见下文")
        text.links = [LinkSpan(range: 0..<3, target: try XCTUnwrap(ArticleLinks.target("#新的变化-1", from: "/m/a.md")))]
        article.blocks.append(.paragraph(text, location: SourceLocation(file: "/m/a.md", line: 13)))
        let issue = Issue(magazine: "", label: "", date: nil, sections: [Section(title: "", articles: [article])])
        let links = ArticleLinks(issue)
        func line(_ url: String) throws -> Int? { links.heading(try XCTUnwrap(ArticleLinks.target(url, from: "/m/b.md")), in: 0) }
        XCTAssertEqual(try line("a.md#新的变化"), 5)
        XCTAssertEqual(try line("a.md#新的变化-1"), 9)          // the second heading of that text
        XCTAssertEqual(try line("a.md#origin"), 11)              // the writer's id
        XCTAssertEqual(try line("a.md#%E7%90%B4%E7%9A%84%E6%9D%A5%E5%8E%86"), 11)   // its text, as a browser escapes it
        XCTAssertNil(try line("a.md#nothing"))
        // The issue anchored: the heading its own link names (the second 新的变化) gets a destination.
        let (anchored, titles) = links.anchoring(issue, anchor: { "article-\($0 + 1)" })
        XCTAssertEqual(anchored.articles[0].headingAnchors, [9: "article-1-line-9"])
        XCTAssertEqual(titles, ["article-1-line-9": " · 新的变化"])
    }

    /// Links that lead nowhere are noted once a path (at the first), and headings not found once
    /// an article: a Word file's contents, converted, is a list of links to bookmarks (`#_Toc…`).
    func testLinksLeadingNowhereAreNotedOnceAPathAndOnceAnArticle() throws {
        var text = StyledText("目录一二三旧文旧文别文")
        let urls = ["#_Toc1", "#_Toc2", "#_Toc3", "../gone.md", "../gone.md#x", "../other.md"]
        text.links = try urls.enumerated().map { LinkSpan(range: $0.offset..<($0.offset + 1), target: try XCTUnwrap(ArticleLinks.target($0.element, from: "/m/a/w.md"))) }
        let article = Article(id: "w", meta: ArticleMeta(), blocks: [.paragraph(text, location: SourceLocation(file: "/m/a/w.md", line: 5))],
                              location: SourceLocation(file: "/m/a/w.md", line: 1))
        let links = ArticleLinks(Issue(magazine: "", label: "", sections: [Section(title: "", articles: [article])]))
        XCTAssertEqual(links.unresolved(in: article).map(\.message), [
            "2 links to /m/gone.md lead to no article of this document: their text is printed, not linked",
            "the link to /m/other.md leads to no article of this document: its text is printed, not linked",
            "3 links name no heading of w.md (the first: #_Toc1): they open the article's first page",
        ])
    }

    func testALinkLeadsToTheArticleItNames() {
        XCTAssertEqual(to("../wenhua/matouqin.md"), 0)
        XCTAssertEqual(to("../wenhua/matouqin/"), 0)               // the site's address of the file
        XCTAssertEqual(to("/wenhua/matouqin/"), 0)                 // a site path: by its last name
        XCTAssertEqual(to("../jingji/maoniu/"), 1)                 // a page bundle's folder
        XCTAssertEqual(to("../jingji/maoniu/index.md"), 1)
        XCTAssertEqual(to("/2024/06/shiliuzi/"), 2)                // the slug
        XCTAssertEqual(to("../minsheng/jiexiang.md"), 2)
        XCTAssertEqual(to("../a/jianxun.md"), 3)                   // by path: the name alone is two articles'
        XCTAssertNil(to("/jianxun/"))                              // two articles have that name: none is guessed
        XCTAssertNil(to("../old/gone.md"))
    }
}
