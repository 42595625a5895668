/// The live engine (`folio serve`, `folio watch`): a rebuild after an edit gives exactly the
/// pages a cold build of the edited files gives, names the pages that changed, keeps the last
/// good pages when an edit does not build, and writes the same PDF bytes as `render`.
@testable import Folio
import FolioCore
import Foundation
import XCTest

final class LiveSessionTests: FolderTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // A copy of the sample issue to edit.
        for name in try FileManager.default.contentsOfDirectory(atPath: root + "/examples/sample-issue") {
            try FileManager.default.copyItem(atPath: root + "/examples/sample-issue/" + name, toPath: dir + "/" + name)
        }
        let manifest = try String(contentsOfFile: dir + "/issue.yaml", encoding: .utf8)
            .replacingOccurrences(of: "template: ../../layouts/", with: "template: \(root)/layouts/")
        try manifest.write(toFile: dir + "/issue.yaml", atomically: true, encoding: .utf8)
    }


    var setup: Setup {
        var s = Setup()
        s.fonts = root + "/fonts"
        return s
    }

    /// Rewrites `file` with `body(text)`, with a later modification time than before.
    func edit(_ file: String, _ body: (String) -> String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try body(text).write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Adds `sentence` after the first sentence of `file`'s body (after the front matter).
    func addSentence(_ sentence: String, to file: String) throws {
        try edit(file) { text in
            let body = text.range(of: "\n---\n")!.upperBound
            return text.replacingOccurrences(of: "。", with: "。" + sentence, options: [], range: text.range(of: "。", range: body..<text.endIndex))
        }
    }

    /// A cold build of `manifest`; the live session's pages and warnings (with their pages) must be its.
    @discardableResult
    func assertMatchesACold(_ live: LiveSession, _ manifest: String = "issue.yaml", _ what: String = "",
                            file: StaticString = #filePath, line: UInt = #line) throws -> LiveSession {
        let cold = try LiveSession(input: dir + "/" + manifest, setup: setup)
        XCTAssertEqual(cold.snapshot.pages, live.snapshot.pages, what, file: file, line: line)
        XCTAssertEqual(cold.snapshot.diagnostics.map(\.diagnostic), live.snapshot.diagnostics.map(\.diagnostic), what, file: file, line: line)
        XCTAssertEqual(cold.snapshot.diagnostics.map(\.page), live.snapshot.diagnostics.map(\.page), what, file: file, line: line)
        return cold
    }

    /// The PDF written from the live pages must be byte for byte the one `render` writes.
    func assertWritesRendersPDF(_ live: LiveSession, _ manifest: String = "issue.yaml", file: StaticString = #filePath, line: UInt = #line) throws {
        try live.writePDF(to: dir + "/live.pdf")
        let (loaded, pipeline) = try Pipeline.open(dir + "/" + manifest, setup: setup)
        _ = try pipeline.render(loaded, to: dir + "/cold.pdf", RenderRequest())
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/live.pdf")), try Data(contentsOf: URL(fileURLWithPath: dir + "/cold.pdf")),
                       file: file, line: line)
    }

    func testAnEditRebuildsOnlyWhatChangedAndMatchesAColdBuild() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        let before = live.snapshot.pages
        XCTAssertGreaterThan(before.count, 8)
        XCTAssertNil(try live.refreshIfChanged(), "nothing changed on disk")
        // One paragraph of the last article, in its last lines.
        try edit(dir + "/shequ-xinfeng.md") { $0.replacingOccurrences(of: "。\n", with: "，今天又添了一句。\n", options: .backwards) }
        let changed = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertFalse(changed.isEmpty)
        XCTAssertFalse(live.snapshot.articlesOnly, "an article of a run-on section is composed with the issue")
        let article = live.snapshot.pages.filter { $0.article == "shequ-xinfeng" }.map(\.number)
        XCTAssertTrue(Set(changed).isSubset(of: Set(article + [3])), "only the edited article's pages (and the contents) change: \(changed) of \(article)")
        // The pages before the article are untouched: same hashes.
        for p in before where p.article == "caoyuan-xuexiao" { XCTAssertEqual(live.snapshot.pages[p.number - 1].hash, p.hash) }
        // Exactly what a cold build of the edited files gives, and the PDF `render` writes.
        try assertMatchesACold(live)
        try assertWritesRendersPDF(live)
    }

    /// An edit inside a plain article (not run on, no half-page ad) that keeps its page count
    /// recomposes that article alone — and gives exactly the pages, warnings and PDF of a cold
    /// build; an edit that adds a page, or changes the front matter, composes the issue again.
    func testAnArticleEditedInPlaceIsComposedAloneAndMatchesAColdBuild() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        let file = dir + "/caoyuan-xuexiao.md"
        let pages = live.snapshot.pages.filter { $0.article == "caoyuan-xuexiao" }.map(\.number)
        try addSentence("又添了一句话。", to: file)
        let changed = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertTrue(live.snapshot.articlesOnly, "a one-sentence edit is composed alone")
        XCTAssertFalse(changed.isEmpty)
        XCTAssertTrue(Set(changed).isSubset(of: Set(pages)), "\(changed) of \(pages)")
        try assertMatchesACold(live, "issue.yaml", "after a sentence")
        try assertWritesRendersPDF(live)
        // Two pages more of text: the article takes another page, so everything after it moves.
        let long = String(repeating: "草原上的学校一年比一年好，孩子们在这里读书、唱歌、长大。", count: 120)
        try edit(file) { $0 + "\n\n" + long + "\n" }
        _ = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertFalse(live.snapshot.articlesOnly, "a longer article is composed with the issue")
        XCTAssertGreaterThan(live.snapshot.pages.filter { $0.article == "caoyuan-xuexiao" }.count, pages.count)
        try assertMatchesACold(live, "issue.yaml", "after two pages more")
        // Back to its length, then a new deck: the contents show decks, so the issue again.
        try edit(file) { $0.replacingOccurrences(of: "\n\n" + long + "\n", with: "") }
        _ = try live.refreshIfChanged()
        try edit(file) { $0.replacingOccurrences(of: "deck: ", with: "deck: 新：", options: [], range: $0.range(of: "deck: ")) }
        _ = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertFalse(live.snapshot.articlesOnly)
        try assertMatchesACold(live, "issue.yaml", "after a new deck")
    }

    /// Two articles saved at once, in an issue whose sections neither run on nor carry ads: both
    /// are composed alone into the issue, and their warnings (the short last pages) follow them;
    /// then a new title and deck, with the contents made again.
    func testTwoArticlesEditedAtOnceAreComposedAloneAndMatchAColdBuild() throws {
        let manifest = """
            magazine: 民族画报（示例）
            issue: 2024年第6期
            date: 2024-06-15
            template: \(root)/layouts/magazine-16k.yaml
            sections:
              - title: 一
                articles: [caoyuan-xuexiao.md, matouqin.md]
              - title: 二
                articles: [maoniu-hezuoshe.md, shequ-xinfeng.md]
            """
        try manifest.write(toFile: dir + "/plain.yaml", atomically: true, encoding: .utf8)
        let live = try LiveSession(input: dir + "/plain.yaml", setup: setup)
        let before = live.snapshot.pages
        for name in ["matouqin", "shequ-xinfeng"] { try addSentence("补一句。", to: dir + "/\(name).md") }
        let changed = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertTrue(live.snapshot.articlesOnly)
        let edited = Set(live.snapshot.pages.filter { ["matouqin", "shequ-xinfeng"].contains($0.article) }.map(\.number))
        XCTAssertTrue(Set(changed).isSubset(of: edited) && !changed.isEmpty, "\(changed) of \(edited)")
        for p in before where p.article == "caoyuan-xuexiao" || p.article == "maoniu-hezuoshe" {
            XCTAssertEqual(live.snapshot.pages[p.number - 1].hash, p.hash, "an article not edited keeps its pages")
        }
        let cold = try assertMatchesACold(live, "plain.yaml")
        XCTAssertTrue(cold.snapshot.diagnostics.contains { $0.diagnostic.code == "short-page" }, "the issue has short last pages to follow")
        // A new title and deck (not on the cover: this issue has none): the article and the
        // contents are made again, nothing else; the PDF — its outline too — is render's.
        let contents = live.snapshot.pages.filter { $0.article == nil }.map(\.number)
        try edit(dir + "/matouqin.md") {
            $0.replacingOccurrences(of: "title: ", with: "title: 新版：", options: [], range: $0.range(of: "title: "))
              .replacingOccurrences(of: "deck: ", with: "deck: 改写：", options: [], range: $0.range(of: "deck: "))
        }
        let retitled = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertTrue(live.snapshot.articlesOnly, "heads not on the cover: composed alone, with the contents")
        XCTAssertFalse(Set(retitled).isDisjoint(with: contents), "the contents show the new title: \(retitled)")
        try assertMatchesACold(live, "plain.yaml")
        try assertWritesRendersPDF(live, "plain.yaml")
    }

    /// The contents pages are reused while what they show is unchanged, and made again when a
    /// title changes: after each edit, the same pages as a cold build.
    func testTheContentsFollowATitleEditAndStayWhenOnlyTextChanges() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        let contents = live.snapshot.pages.filter { $0.article == nil && $0.number > 2 && $0.number < 5 }.map(\.number)
        XCTAssertFalse(contents.isEmpty)
        try edit(dir + "/maoniu-hezuoshe.md") { $0.replacingOccurrences(of: "一斤只能卖二三十元。", with: "一斤只能卖二三十元，补一句。") }
        let textOnly = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertTrue(Set(textOnly).isDisjoint(with: contents), "a body edit leaves the contents as they were: \(textOnly)")
        try edit(dir + "/maoniu-hezuoshe.md") { $0.replacingOccurrences(of: "title: ", with: "title: 新版：", options: [], range: $0.range(of: "title: ")) }
        let retitled = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertFalse(Set(retitled).isDisjoint(with: contents), "a new title changes the contents page: \(retitled)")
        let cold = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        XCTAssertEqual(cold.snapshot.pages.map(\.hash), live.snapshot.pages.map(\.hash))
    }

    /// Pages of an article composed as before keep their hashes without being hashed again —
    /// but not when what they show changed outside the article: an image replaced on disk under
    /// the same name, a section title in the manifest (the running heads). Each time the live
    /// pages equal a cold build's.
    func testPagesOfAnUnchangedArticleChangeWithTheirImageAndTheManifest() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        let first = live.snapshot.pages.filter { $0.article == "caoyuan-xuexiao" }.map(\.number)
        // The photograph saved again under its name, the same size (a comment added after the
        // JPEG's start): the article reads the same, the file is another.
        var jpeg = try Data(contentsOf: URL(fileURLWithPath: dir + "/images/grassland.jpg"))
        jpeg.insert(contentsOf: [0xFF, 0xFE, 0x00, 0x07] + Array("saved".utf8), at: 2)
        try jpeg.write(to: URL(fileURLWithPath: dir + "/images/grassland.jpg"))
        let replaced = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertFalse(Set(replaced).isDisjoint(with: first), "the page with the replaced image changed: \(replaced)")
        XCTAssertEqual(try LiveSession(input: dir + "/issue.yaml", setup: setup).snapshot.pages.map(\.hash), live.snapshot.pages.map(\.hash))
        try edit(dir + "/issue.yaml") { $0.replacingOccurrences(of: "title: 特别策划", with: "title: 本期策划") }
        let retitled = try XCTUnwrap(try live.refreshIfChanged())
        XCTAssertFalse(Set(retitled).isDisjoint(with: first.dropFirst()), "its running heads changed: \(retitled)")
        XCTAssertEqual(try LiveSession(input: dir + "/issue.yaml", setup: setup).snapshot.pages.map(\.hash), live.snapshot.pages.map(\.hash))
    }

    /// An article the manifest lists before it is written: the error goes once the file is
    /// there, although nothing the last good build read has changed (the read is tried again
    /// while it fails); a failed read that fails the same way again is no news.
    func testAnArticleListedBeforeItIsWrittenIsReadOnceItExists() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        live.retryAfterFailure = 0
        let good = live.snapshot
        try edit(dir + "/issue.yaml") { $0.replacingOccurrences(of: "      - matouqin.md\n", with: "      - matouqin.md\n      - later.md\n") }
        XCTAssertEqual(try live.refreshIfChanged(), [])
        XCTAssertTrue(live.snapshot.errors.first?.message.contains("'later.md', which does not exist") ?? false, "\(live.snapshot.errors)")
        XCTAssertNil(try live.refreshIfChanged(), "failing again as before is no news")
        try "---\ntitle: 后来的文章\n---\n\n后来写好的正文。\n".write(toFile: dir + "/later.md", atomically: true, encoding: .utf8)
        XCTAssertNotNil(try live.refreshIfChanged())
        XCTAssertEqual(live.snapshot.errors, [])
        XCTAssertEqual(live.snapshot.version, good.version + 1)
        try assertMatchesACold(live)
    }

    /// An article moved away and back (its stamp as it was before): the error it caused goes.
    func testAnArticleMovedAwayAndBackIsReadAgain() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        live.retryAfterFailure = .infinity   // only a change of a watched file counts here
        let good = live.snapshot
        try FileManager.default.moveItem(atPath: dir + "/matouqin.md", toPath: dir + "/matouqin.bak")
        XCTAssertEqual(try live.refreshIfChanged(), [])
        XCTAssertFalse(live.snapshot.errors.isEmpty)
        try FileManager.default.moveItem(atPath: dir + "/matouqin.bak", toPath: dir + "/matouqin.md")
        XCTAssertNotNil(try live.refreshIfChanged())
        XCTAssertEqual(live.snapshot.errors, [])
        XCTAssertEqual(live.snapshot.pages.map(\.hash), good.pages.map(\.hash), "the same pages as before")
    }

    func testASyntaxErrorKeepsTheLastGoodPagesAndIsLocated() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        let good = live.snapshot
        try edit(dir + "/matouqin.md") { $0.replacingOccurrences(of: "title:", with: "title: [unclosed\nx:", options: [], range: $0.range(of: "title:")) }
        XCTAssertEqual(try live.refreshIfChanged(), [])
        XCTAssertEqual(live.snapshot.version, good.version, "no new version")
        XCTAssertEqual(live.snapshot.pages.map(\.hash), good.pages.map(\.hash), "the last good pages stay")
        let error = try XCTUnwrap(live.snapshot.errors.first)
        XCTAssertTrue(error.description.contains("matouqin.md:2:"), error.description)
        // Mended: a new version, no errors.
        try edit(dir + "/matouqin.md") { $0.replacingOccurrences(of: "title: [unclosed\nx:", with: "title:") }
        XCTAssertNotNil(try live.refreshIfChanged())
        XCTAssertEqual(live.snapshot.errors, [])
        XCTAssertEqual(live.snapshot.version, good.version + 1)
    }

    func testAMissingImageIsAProblemOnItsArticlesPageAndClearsWhenFixed() throws {
        var s = setup
        s.input.allowMissingImages = true
        let live = try LiveSession(input: dir + "/issue.yaml", setup: s)
        XCTAssertFalse(live.snapshot.diagnostics.contains { $0.diagnostic.code == "missing-image" })
        try edit(dir + "/matouqin.md") { $0 + "\n![新图](images/not-yet.jpg)\n" }
        XCTAssertNotNil(try live.refreshIfChanged())
        let missing = try XCTUnwrap(live.snapshot.diagnostics.first { $0.diagnostic.code == "missing-image" })
        let first = try XCTUnwrap(live.snapshot.pages.first { $0.article == "matouqin" })
        XCTAssertEqual(missing.page, first.number)
        // The image arrives: the problem goes (where a missing image would be is watched too).
        try FileManager.default.copyItem(atPath: dir + "/images/grassland.jpg", toPath: dir + "/images/not-yet.jpg")
        XCTAssertNotNil(try live.refreshIfChanged())
        XCTAssertFalse(live.snapshot.diagnostics.contains { $0.diagnostic.code == "missing-image" })
        // A page as PNG.
        let png = try live.png(page: first.number, dpi: 20, guides: true)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    /// An image still being copied in when a build reads it, on a file system that stamps coarse
    /// times: the build reads half the file, the copy ends before the build stamps its files, and
    /// the finished file's time is from before the build began. Its stamp differs from the one
    /// the check that started the build took, so the next check reads it again.
    func testAnImageFinishedWhileABuildReadItIsReadAgain() throws {
        var s = setup
        s.input.allowMissingImages = true
        let live = try LiveSession(input: dir + "/issue.yaml", setup: s)
        try edit(dir + "/matouqin.md") { $0 + "\n![新图](images/not-yet.jpg)\n" }
        XCTAssertNotNil(try live.refreshIfChanged())
        let image = dir + "/images/not-yet.jpg", bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/images/grassland.jpg"))
        let past = Date().addingTimeInterval(-10)
        func write(_ data: Data) throws {
            try data.write(to: URL(fileURLWithPath: image))
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: image)
        }
        try write(bytes.prefix(bytes.count / 2))
        live.afterReading = { try? write(bytes); live.afterReading = nil }
        XCTAssertNotNil(try live.refreshIfChanged())
        XCTAssertTrue(live.snapshot.diagnostics.contains { $0.diagnostic.message.contains("truncated") }, "the build read half the image")
        XCTAssertNotNil(try live.refreshIfChanged(), "the image is read again")
        XCTAssertFalse(live.snapshot.diagnostics.contains { $0.diagnostic.code == "missing-image" })
        XCTAssertNil(try live.refreshIfChanged(), "and settles")
    }

    /// An article saved while a build reads it: the build may have read it half-saved, and the
    /// finished file's stamp (same size, same time, same inode — a save in place within the
    /// file system's clock tick) would match the one taken after the read. Such a file is read
    /// again at the next check, and the checks settle once the clock has passed its time.
    func testAFileChangedWhileABuildReadItIsReadAgain() throws {
        let live = try LiveSession(input: dir + "/issue.yaml", setup: setup)
        let file = dir + "/caoyuan-xuexiao.md"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Written in place (same inode), the same number of bytes, with a time the clock has not
        // reached yet: what the build saw is no different by its stamp from what comes next.
        let time = Date().addingTimeInterval(0.6)
        func save(_ body: String) throws {
            XCTAssertEqual(body.utf8.count, text.utf8.count)
            try Data(body.utf8).write(to: URL(fileURLWithPath: file))
            try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: file)
        }
        let inode = FileStamp(path: file).inode
        try save(text.replacingOccurrences(of: "清晨六点", with: "清晨七点"))
        XCTAssertNotNil(try live.refreshIfChanged())
        let halfSaved = FileStamp(path: file)
        try save(text.replacingOccurrences(of: "清晨六点", with: "清晨八点"))
        XCTAssertEqual(FileStamp(path: file), halfSaved, "the two saves look the same by their stamps")
        XCTAssertEqual(FileStamp(path: file).inode, inode)
        XCTAssertNotNil(try live.refreshIfChanged(), "the file is read again")
        try assertMatchesACold(live, "issue.yaml", "the second save is on the pages")
        // Once the clock has passed the file's time, one more read and the checks settle.
        Thread.sleep(until: time.addingTimeInterval(0.05))
        _ = try live.refreshIfChanged()
        XCTAssertNil(try live.refreshIfChanged(), "nothing read again once settled")
    }
}
