/// The preview index (issue 18): a preview of an article whose start the index knows reads and
/// composes that article alone — and draws exactly the page the full way draws; any change
/// before it takes the full way again; the index lives in the cache folder.
@testable import Folio
import FolioCore
import Foundation
import XCTest

final class PreviewIndexTests: FolderTestCase {
    var setup: Setup {
        var s = Setup()
        s.fonts = root + "/fonts"
        s.template = root + "/layouts/magazine-16k.yaml"
        return s
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        setenv("XDG_CACHE_HOME", dir + "/cache", 1)
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue", toPath: dir + "/issue")
    }

    override func tearDownWithError() throws {
        unsetenv("XDG_CACHE_HOME")
        try super.tearDownWithError()
    }

    func preview(_ article: String, to name: String) throws -> (PreviewResult, Data) {
        let p = try Pipeline.writePreview(of: dir + "/issue/issue.yaml", article: article, page: 1, spread: false, dpi: 30, guides: false,
                                          to: dir + "/" + name, setup: setup)
        return (p, try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
    }

    func testAnIndexedPreviewComposesTheArticleAloneAndDrawsTheSamePage() throws {
        let (slow, slowPNG) = try preview("maoniu-hezuoshe", to: "slow.png")
        XCTAssertFalse(slow.fromIndex, "no index yet: the full way")
        let (fast, fastPNG) = try preview("maoniu-hezuoshe", to: "fast.png")
        XCTAssertTrue(fast.fromIndex, "the full way recorded where it starts")
        XCTAssertEqual(fast.folio, slow.folio)
        XCTAssertEqual(fast.articlePages, slow.articlePages)
        XCTAssertEqual(fastPNG, slowPNG, "the same page, pixel for pixel")
        // The index is in the cache folder; nothing was written beside the inputs.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/cache/folio/previews").count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/issue").sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: root + "/examples/sample-issue").sorted())
        // An article in a run-on section is composed with its section, from where it starts.
        XCTAssertTrue(try preview("wenhua-jianxun", to: "brief.png").0.fromIndex)
    }

    /// A file that changed while the issue was read (an article saved during a render) may have
    /// been read half-saved: the index does not vouch for what it recorded of it, and the next
    /// preview takes the full way — which records it again, settled once the clock is past it.
    func testAnIndexRecordedWhileAFileChangedIsNotUsed() throws {
        let time = Date().addingTimeInterval(0.6)
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: dir + "/issue/caoyuan-xuexiao.md")
        XCTAssertFalse(try preview("maoniu-hezuoshe", to: "1.png").0.fromIndex)
        XCTAssertFalse(try preview("maoniu-hezuoshe", to: "2.png").0.fromIndex, "an article before it changed during the read")
        Thread.sleep(until: time.addingTimeInterval(0.05))
        XCTAssertFalse(try preview("maoniu-hezuoshe", to: "3.png").0.fromIndex)
        XCTAssertTrue(try preview("maoniu-hezuoshe", to: "4.png").0.fromIndex, "recorded settled")
    }

    /// An article of a run-on section (news in brief under a feature's last lines) or of a
    /// parallel one (an article facing its translation) is composed with its whole section, from
    /// the folio where the section starts: every page the same, pixel for pixel, as the full
    /// way's — which composes the section to its end too, so that an article's last page shows
    /// the next article run on under it, as `render` prints it.
    func testRunOnAndParallelArticlesAreComposedWithTheirSection() throws {
        func pages(_ manifest: String, _ article: String, setup: Setup, fresh: Bool) throws -> (fromIndex: [Bool], pngs: [Data]) {
            var out: ([Bool], [Data]) = ([], [])
            var page = 1, count = 1
            while page <= count {
                if fresh { setenv("XDG_CACHE_HOME", dir + "/empty-\(article)-\(page)", 1) }
                let p = try Pipeline.writePreview(of: manifest, article: article, page: page, spread: false, dpi: 30, guides: false,
                                                  to: dir + "/p.png", setup: setup)
                count = p.articlePages
                out.0.append(p.fromIndex)
                out.1.append(try Data(contentsOf: URL(fileURLWithPath: dir + "/p.png")))
                page += 1
            }
            setenv("XDG_CACHE_HOME", dir + "/cache", 1)
            return out
        }
        func check(_ manifest: String, _ articles: [String], setup: Setup) throws {
            // The last article previewed the full way: the index knows where every section starts.
            _ = try Pipeline.writePreview(of: manifest, article: articles.last, page: 1, spread: false, dpi: 30, guides: false,
                                          to: dir + "/p.png", setup: setup)
            for article in articles {
                let fast = try pages(manifest, article, setup: setup, fresh: false)
                let slow = try pages(manifest, article, setup: setup, fresh: true)
                XCTAssertEqual(fast.fromIndex, Array(repeating: true, count: fast.pngs.count), article)
                XCTAssertEqual(slow.fromIndex, Array(repeating: false, count: slow.pngs.count), article)
                XCTAssertEqual(fast.pngs, slow.pngs, "\(article): the same pages, pixel for pixel")
            }
        }
        try check(dir + "/issue/issue.yaml", ["matouqin", "wenhua-jianxun", "shequ-xinfeng", "tuanjie-jianxun"], setup: setup)
        // A longer run-on section — features and one-page briefs, a full-page ad among them: an
        // article is taken up from the one before it (or further back, past briefs whose only
        // page is shared), and a later page of one that ran on from its own start line.
        let news = ["matouqin", "brief-a", "brief-b", "shequ-xinfeng", "brief-c", "brief-d"]
        for (copy, from) in [("brief-a", "wenhua-jianxun"), ("brief-b", "tuanjie-jianxun"), ("brief-c", "wenhua-jianxun"), ("brief-d", "tuanjie-jianxun")] {
            try FileManager.default.copyItem(atPath: dir + "/issue/\(from).md", toPath: dir + "/issue/\(copy).md")
        }
        let runOn = "magazine: 测试\nissue: 2024年第6期\ndate: 2024-06-15\ntemplate: ../../layouts/magazine-16k.yaml\nsections:\n"
            + "  - title: 特别策划\n    articles:\n      - caoyuan-xuexiao.md\n  - title: 新闻\n    flow: continuous\n    articles:\n"
            + "      - matouqin.md\n      - brief-a.md\n      - brief-b.md\n      - ad: ads/subscribe.pdf\n      - shequ-xinfeng.md\n      - brief-c.md\n      - brief-d.md\n"
        try runOn.replacingOccurrences(of: "../../layouts", with: root + "/layouts").write(toFile: dir + "/issue/news.yaml", atomically: true, encoding: .utf8)
        try check(dir + "/issue/news.yaml", news, setup: setup)
        let index = try XCTUnwrap(PreviewIndex.read(for: dir + "/issue/news.yaml"))
        let loaded = try Pipeline.loadIssue(dir + "/issue/news.yaml", options: setup.input)
        let section = loaded.issue.sections[1]
        let ranOn = news.filter { id in index.articles.first { $0.id == id }?.runOn != nil }
        XCTAssertGreaterThanOrEqual(ranOn.count, 3, "\(index.articles.map { ($0.id, $0.start, $0.pages, $0.runOn as Any) })")
        // Where each preview took the section up: from its start for an article whose first
        // page depends on one-page briefs back to the section's first article; else from the
        // article before it, or (a later page of one that ran on) from the article itself.
        func from(_ k: Int, page: Int) -> Int { Pipeline.runOnStart(of: k, page: page, in: section, index: index)?.0 ?? 0 }
        func entry(_ k: Int) -> PreviewIndex.Entry { index.articles.first { $0.id == news[k] }! }
        for k in 1..<news.count {
            var expected = k - 1
            while expected > 0, entry(expected).pages == 1, entry(expected).runOn != nil { expected -= 1 }
            XCTAssertEqual(from(k, page: 1), expected, news[k])
            if entry(k).pages > 1 { XCTAssertEqual(from(k, page: 2), entry(k).runOn != nil ? k : expected, news[k]) }
        }
        XCTAssertTrue((1..<news.count).contains { from($0, page: 1) > 0 }, "some article is taken up mid-section")
        XCTAssertTrue((1..<news.count).contains { entry($0).pages > 1 && entry($0).runOn != nil }, "one that ran on has a later page")
        // The previewed article shortened: the brief after it no longer starts on the line the
        // index knew (composed again from where it now runs on), as the full way shows it.
        let edited = dir + "/issue/shequ-xinfeng.md"
        var lines = try String(contentsOfFile: edited, encoding: .utf8).components(separatedBy: "\n")
        let paragraph = try XCTUnwrap(lines.lastIndex { $0.count > 60 && !$0.hasPrefix("!") && !$0.hasPrefix("#") && !$0.hasPrefix(">") })
        lines.remove(at: paragraph)
        try lines.joined(separator: "\n").write(toFile: edited, atomically: true, encoding: .utf8)
        let shortened = try pages(dir + "/issue/news.yaml", "shequ-xinfeng", setup: setup, fresh: false)
        XCTAssertEqual(shortened.fromIndex.first, true)
        XCTAssertEqual(shortened.pngs, try pages(dir + "/issue/news.yaml", "shequ-xinfeng", setup: setup, fresh: true).pngs)
        let moved = try XCTUnwrap(PreviewIndex.read(for: dir + "/issue/news.yaml")?.articles.first { $0.id == "brief-c" })
        XCTAssertNotEqual(moved.runOn, entry(4).runOn, "the brief now starts elsewhere")
        try FileManager.default.copyItem(atPath: root + "/examples/editions/ko", toPath: dir + "/ko")
        var ko = setup
        ko.template = root + "/layouts/edition-ko.yaml"
        try check(dir + "/ko/issue.yaml", ["ko", "zh"], setup: ko)
        // The last page of the feature shows the news in brief run on under it, as printed.
        let feature = try pages(dir + "/issue/issue.yaml", "matouqin", setup: setup, fresh: false)
        let brief = try pages(dir + "/issue/issue.yaml", "wenhua-jianxun", setup: setup, fresh: false)
        XCTAssertEqual(feature.pngs.last, brief.pngs.first)
    }

    /// The article composed alone says what `render` says of it: an article of an issue that
    /// ends on a page left short is reported (maoniu-hezuoshe, without the half-page ad the
    /// sample issue puts under it).
    func testAnIndexedPreviewReportsAShortLastPageAsTheFullWayDoes() throws {
        let manifest = dir + "/issue/issue.yaml"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let withoutAd = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("{ad: ads/grassland-tours.pdf") }
        try withoutAd.joined(separator: "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        func short(_ p: PreviewResult) -> [Diagnostic] { p.diagnostics.filter { $0.code == "short-page" && $0.message.hasPrefix("maoniu-hezuoshe ") } }
        let slow = try preview("maoniu-hezuoshe", to: "slow.png").0
        let fast = try preview("maoniu-hezuoshe", to: "fast.png").0
        XCTAssertTrue(fast.fromIndex)
        XCTAssertEqual(short(slow).count, 1, "\(slow.diagnostics)")
        XCTAssertEqual(short(fast), short(slow))
    }

    func testAChangeBeforeTheArticleTakesTheFullWayAndRenumbers() throws {
        let before = try preview("maoniu-hezuoshe", to: "a.png").0
        // The article itself may change: its start does not.
        let own = dir + "/issue/maoniu-hezuoshe.md"
        try (try String(contentsOfFile: own, encoding: .utf8) + "\n补记一段。\n").write(toFile: own, atomically: true, encoding: .utf8)
        let edited = try preview("maoniu-hezuoshe", to: "b.png").0
        XCTAssertTrue(edited.fromIndex)
        XCTAssertEqual(edited.folio, before.folio)
        // An earlier article grows by pages: the full way, numbered anew.
        let earlier = dir + "/issue/caoyuan-xuexiao.md"
        let text = try String(contentsOfFile: earlier, encoding: .utf8)
        let body = String(repeating: "草原上的学校在春天迎来了新的学生，老师们忙着准备课本和桌椅。", count: 40)
        try (text + "\n" + Array(repeating: body, count: 6).joined(separator: "\n\n") + "\n").write(toFile: earlier, atomically: true, encoding: .utf8)
        let moved = try preview("maoniu-hezuoshe", to: "c.png").0
        XCTAssertFalse(moved.fromIndex)
        XCTAssertGreaterThan(moved.folio, before.folio)
        let (loaded, pipeline) = try Pipeline.open(dir + "/issue/issue.yaml", setup: setup)
        let composed = try pipeline.render(loaded, to: dir + "/issue.pdf", RenderRequest())
        XCTAssertEqual(moved.folio, composed.articlePages.first { $0.id == "maoniu-hezuoshe" }?.pages.lowerBound)
        XCTAssertTrue(try preview("maoniu-hezuoshe", to: "d.png").0.fromIndex)
    }

    func testAnIndexedPreviewNeverReplacesAnInput() throws {
        _ = try preview("maoniu-hezuoshe", to: "a.png")
        // Another article's file, which the indexed way does not read, is still an input.
        let other = dir + "/issue/shequ-xinfeng.md"
        let was = try Data(contentsOf: URL(fileURLWithPath: other))
        XCTAssertThrowsError(try Pipeline.writePreview(of: dir + "/issue/issue.yaml", article: "maoniu-hezuoshe", page: 1, spread: false, dpi: 30,
                                                       guides: false, to: other, setup: setup))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: other)), was)
    }

    /// The index file as written reads back as the same index (paths with spaces, Han and
    /// `|` included); another format's file, a damaged one, or one whose path breaks a line, is
    /// no index (previews take the full way).
    func testTheIndexTextReadsBackAsWritten() throws {
        let stamp = FileStamp(size: 4846, modified: 1_796_169_731_101_657_972, inode: 16_220_963)
        var index = PreviewIndex(key: "0.1.0|/a b/issue.yaml:1:2:3|verify=false", articles: [], inputs: [:])
        index.inputs = ["/a b/草原 学校.md": stamp, "/a b/images/x|y.png": FileStamp(size: -1, modified: -1, inode: 0)]
        index.articles = [.init(id: "草原 学校", path: "/a b/草原 学校.md", start: 3, pages: 4, files: ["/a b/草原 学校.md": stamp], way: .alone),
                          .init(id: "brief", path: "/a b/brief.md", start: 7, pages: 1, files: [:], way: .section(startingAt: 5), runOn: 31)]
        let text = try XCTUnwrap(index.text)
        XCTAssertEqual(PreviewIndex(text: text), index)
        XCTAssertNil(PreviewIndex(text: text.replacingOccurrences(of: PreviewIndex.format, with: "folio preview index 1")))
        XCTAssertNil(PreviewIndex(text: text.replacingOccurrences(of: "article 3 4 1", with: "article 3 x 1")))
        XCTAssertNil(PreviewIndex(text: "{\"key\": \"\"}"), "an older Folio's JSON index")
        index.inputs["/a\nb.md"] = stamp
        XCTAssertNil(index.text)
    }
}
