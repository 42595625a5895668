/// The Folio library without the binary: open, render (with --strict), preview, bind a volume —
/// what the command line and any other front end call.
import Folio
import FolioCore
import FolioInput
import Foundation
import XCTest

final class LibraryTests: FolderTestCase {
    var setup: Setup {
        var s = Setup()
        s.fonts = root + "/fonts"
        return s
    }

    func testOpenRenderAndPreviewTheSampleIssue() throws {
        let (loaded, pipeline) = try Pipeline.open(root + "/examples/sample-issue/issue.yaml", setup: setup)
        XCTAssertEqual(loaded.issue.articles.count, 6)
        XCTAssertEqual(loaded.issue.documentTitle, "民族画报（示例） 2024年第6期")
        let composed = try pipeline.render(loaded, to: dir + "/issue.pdf", RenderRequest())
        XCTAssertEqual(composed.pageCount % 4, 0)
        XCTAssertEqual(composed.frontMatter.count, 3, "cover, inside front cover, contents")
        // The preview numbers the page as the issue does.
        let p = try pipeline.preview(loaded, article: "matouqin", page: 1)
        XCTAssertFalse(p.diagnostics.contains { $0.message.contains("imprint") }, "a preview composes no contents page, and says nothing about the imprint: \(p.diagnostics)")
        let start = try XCTUnwrap(composed.articlePages.first { $0.id == "matouqin" }?.pages.lowerBound)
        XCTAssertEqual(p.folio, start)
        let spread = try pipeline.preview(loaded, article: "matouqin", page: 1, spread: true)
        XCTAssertEqual(spread.shown.count, 2)
        XCTAssertEqual(spread.shown[0].number % 2, 0, "the verso on the left")
        XCTAssertEqual(spread.shown[1].number, spread.shown[0].number + 1)
        try pipeline.writePNG(p, dpi: 20, guides: true, to: dir + "/p.png")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/p.png"))
        // A run-on article's first page is the page it shares with the article before it.
        let brief = try pipeline.preview(loaded, article: "wenhua-jianxun", page: 1)
        XCTAssertEqual(brief.folio, composed.articlePages.first { $0.id == "matouqin" }?.pages.upperBound)
        XCTAssertEqual(brief.folio, composed.articlePages.first { $0.id == "wenhua-jianxun" }?.pages.lowerBound)
        XCTAssertThrowsError(try pipeline.preview(loaded, article: "nope", page: 1))
        XCTAssertThrowsError(try pipeline.preview(loaded, article: "matouqin", page: 99))
    }

    /// A right-bound edition (Uyghur: read right to left) shows its spreads with the recto on
    /// the left and the verso on the right, as the bound copy opens.
    func testRightBoundSpreadsReadRightToLeft() throws {
        let (loaded, pipeline) = try Pipeline.open(root + "/examples/editions/ug/issue.yaml", setup: setup)
        XCTAssertTrue(pipeline.template.page.bindingOnRight)
        for article in loaded.issue.articles.map(\.id) {
            let spread = try pipeline.preview(loaded, article: article, page: 1, spread: true)
            guard spread.shown.count == 2 else { continue }
            XCTAssertEqual(spread.shown[0].number % 2, 1, "\(article): the recto on the left")
            XCTAssertEqual(spread.shown[1].number, spread.shown[0].number - 1, "\(article): its verso on the right")
            return
        }
        XCTFail("no spread of two pages in the Uyghur edition")
    }

    func testStrictTurnsWarningsIntoErrorsAndWritesNothing() throws {
        try "---\ntitle: 标题\n---\n\n正文。\n\n![图](missing.png)\n".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
        var s = setup
        s.input.allowMissingImages = true
        let (loaded, pipeline) = try Pipeline.open(dir + "/a.md", setup: s)
        XCTAssertFalse(loaded.warnings.isEmpty)
        XCTAssertNoThrow(try pipeline.render(loaded, to: dir + "/lenient.pdf", RenderRequest()))
        XCTAssertThrowsError(try pipeline.render(loaded, to: dir + "/strict.pdf", RenderRequest(strict: true))) { error in
            XCTAssertTrue("\(error)".contains("(--strict)"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/strict.pdf"))
    }

    /// `folio render` through the library (RenderJob): --strict stops on warnings alone with its
    /// own error (exit status 2 in the CLI), writes the report and no PDF; a PDF never
    /// replaces an input; without --strict the outcome counts pages and keeps the warnings.
    func testRenderJobStrictReportAndOutputs() throws {
        try "---\ntitle: 标题\n---\n\n正文。\n\n![图](missing.png)\n".write(toFile: dir + "/a.md", atomically: true, encoding: .utf8)
        var s = setup
        s.input.allowMissingImages = true
        var job = RenderJob(input: dir + "/a.md")
        (job.output, job.report) = (dir + "/a.pdf", dir + "/report.json")
        job.request.strict = true
        XCTAssertThrowsError(try job.run(setup: s)) { error in
            let stopped = error as? RenderStoppedByStrict
            XCTAssertNotNil(stopped, "\(error)")
            XCTAssertTrue(stopped?.problems.contains { $0.message.contains("missing.png") } ?? false)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/a.pdf"))
        XCTAssertTrue(try String(contentsOfFile: dir + "/report.json", encoding: .utf8).contains("missing.png"))
        job.request.strict = false
        let outcome = try job.run(setup: s)
        XCTAssertEqual(outcome.pages, 1)
        XCTAssertEqual(outcome.pdf, dir + "/a.pdf")
        XCTAssertTrue(outcome.problems.contains { $0.severity == .warning })
        job.output = dir + "/a.md"
        XCTAssertThrowsError(try job.run(setup: s), "the PDF would replace the article")
        XCTAssertTrue(try String(contentsOfFile: dir + "/a.md", encoding: .utf8).hasPrefix("---"))
    }

    /// `folio init`: a skeleton dated the day it is made, which opens and renders as it is.
    func testNewIssueIsDatedTodayAndRenders() throws {
        let day = try XCTUnwrap(ISO8601DateFormatter().date(from: "2031-03-09T12:00:00Z"))
        try Starters.createIssue(at: dir + "/new", templatePath: root + "/layouts/magazine-16k.yaml", today: day)
        let manifest = try String(contentsOfFile: dir + "/new/issue.yaml", encoding: .utf8)
        XCTAssertTrue(manifest.contains("issue: 2031年第1期"), manifest)
        XCTAssertTrue(manifest.contains("date: 2031-03-09"), manifest)
        let (loaded, pipeline) = try Pipeline.open(dir + "/new/issue.yaml", setup: setup)
        XCTAssertEqual(loaded.warnings.count, 0, "\(loaded.warnings)")
        XCTAssertGreaterThan(try pipeline.render(loaded, to: dir + "/new.pdf", RenderRequest()).pageCount, 0)
        XCTAssertThrowsError(try Starters.createIssue(at: dir + "/new", templatePath: root + "/layouts/magazine-16k.yaml"),
                             "a folder with files is never written into")
    }

    func testBindVolumeSortsByDateInMonthlySections() throws {
        let archive = root + "/examples/archive"
        let files = BatchPlan.articleFiles(in: archive).filter { !$0.contains("missing-image") }
        let pipeline = try Pipeline(fontConfig: root + "/fonts/fonts.conf", templatePath: root + "/layouts/magazine-16k.yaml", setup: setup)
        let bound = try pipeline.bindVolume(files, to: dir + "/volume.pdf", folder: archive, options: InputOptions(allowMissingImages: true), workers: 1)
        XCTAssertEqual(bound.articles, files.count)
        XCTAssertGreaterThan(bound.pages, files.count)
    }
}
