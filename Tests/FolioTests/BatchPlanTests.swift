/// What makes `folio batch` print an article again rather than skip it as unchanged: its text,
/// the images it names, the template and the setup — so a photo added where one was missing, or
/// replaced, reaches the PDF (the article had been skipped, its placeholder kept).
@testable import Folio
import FolioCore
import XCTest

final class BatchPlanTests: FolderTestCase {
    func fingerprint(setup: String = "folio 1") throws -> String {
        let items = try BatchPlan.items(in: dir + "/archive", shard: .all, templatePath: root + "/layouts/magazine-16k.yaml", setup: setup)
        return try XCTUnwrap(items.first { $0.name == "a.md" }).fingerprint
    }

    func testAnArticleIsPrintedAgainWhenAnImageItNamesChanges() throws {
        try FileManager.default.createDirectory(atPath: dir + "/archive/images", withIntermediateDirectories: true)
        try "---\ntitle: 丰收\n---\n\n正文。\n\n![麦田](images/harvest.jpg)\n".write(toFile: dir + "/archive/a.md", atomically: true, encoding: .utf8)
        try "正文。\n".write(toFile: dir + "/archive/b.md", atomically: true, encoding: .utf8)
        let missing = try fingerprint()
        XCTAssertEqual(try fingerprint(), missing, "nothing changed")
        try Data([0xFF, 0xD8, 0xFF]).write(to: URL(fileURLWithPath: dir + "/archive/images/other.jpg"))
        try "正文，改了。\n".write(toFile: dir + "/archive/b.md", atomically: true, encoding: .utf8)
        XCTAssertEqual(try fingerprint(), missing, "another article and an image it does not name changed")
        try Data([0xFF, 0xD8, 0xFF]).write(to: URL(fileURLWithPath: dir + "/archive/images/harvest.jpg"))
        let added = try fingerprint()
        XCTAssertNotEqual(added, missing, "the missing image is there now")
        try Data([0xFF, 0xD8, 0xFF, 0xE0]).write(to: URL(fileURLWithPath: dir + "/archive/images/harvest.jpg"))
        XCTAssertNotEqual(try fingerprint(), added, "the image was replaced")
        XCTAssertNotEqual(try fingerprint(setup: "folio 2"), try fingerprint(), "another setup")
    }

    func testTheImagesAnArticleNames() {
        let text = """
            ![麦田](图片/麦田.JPG "标题") <img src="logo.webp"> image: cover.tiff
            a link to https://example.org/a.png, not a picture: the file.pdfs, version 1.2, [文](b.md)
            """
        XCTAssertEqual(BatchPlan.referencedFiles(in: Array(text.utf8)),
                       ["图片/麦田.JPG", "logo.webp", "cover.tiff", "https://example.org/a.png"])
    }
}
