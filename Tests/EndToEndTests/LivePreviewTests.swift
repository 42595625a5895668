/// `folio serve` and `folio watch` as editors use them (issue 16): the URL contract over HTTP,
/// and the page in a real headless Chromium (Tests/Browser/live_preview.py: thumbnails,
/// spreads, an edit on disk shown within 1 s without a reload, problems on their pages,
/// syntax errors over the last good pages). Screenshots: the test's output folder.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

final class LivePreviewTests: FolioCommandTestCase {
    /// A copy of the sample issue in `work`, to edit.
    func copySample() throws -> String {
        let folder = work + "/issue"
        try FileManager.default.copyItem(atPath: root + "/examples/sample-issue", toPath: folder)
        let manifest = try String(contentsOfFile: folder + "/issue.yaml", encoding: .utf8)
            .replacingOccurrences(of: "template: ../../layouts/", with: "template: \(root)/layouts/")
        try manifest.write(toFile: folder + "/issue.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    /// Starts `folio ARGS`, waits for its "at http://…/" line and returns the process and URL.
    func startServer(_ args: [String]) throws -> (Process, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !text.contains("/ (Ctrl-C") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let r = text.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) else {
            p.terminate()
            throw XCTSkip("folio serve did not start: \(text)")
        }
        return (p, String(text[r]))
    }

    func get(_ url: String) throws -> (status: Int, data: Data) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, Data) = (0, Data())
        URLSession.shared.dataTask(with: URL(string: url)!) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    func testTheURLContract() throws {
        let folder = try copySample()
        let (server, url) = try startServer(["serve", folder + "/issue.yaml", "--port", "0", "--fonts", root + "/fonts"])
        defer { server.terminate(); server.waitUntilExit() }
        let page = try get(url)
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(String(decoding: page.data, as: UTF8.self).contains("EventSource(\"/events\")"))
        let list = try JSONSerialization.jsonObject(with: get(url + "pages.json").data) as! [String: Any]
        let pages = list["pages"] as! [[String: Any]]
        XCTAssertEqual(pages.count, 12)
        XCTAssertEqual(pages[3]["article"] as? String, "caoyuan-xuexiao")
        XCTAssertTrue((pages[3]["source"] as! String).hasSuffix("caoyuan-xuexiao.md"))
        // The source lines on each page: the opening page from the front matter on, the next
        // page after where it stopped; covers and the contents have none.
        let first = try XCTUnwrap(pages[3]["lines"] as? [Int]), second = try XCTUnwrap(pages[4]["lines"] as? [Int])
        XCTAssertEqual(first[0], 1)
        XCTAssertGreaterThanOrEqual(second[0], first[1])
        XCTAssertTrue(pages[0]["lines"] is NSNull)
        let png = try get(url + "pages/4.png?dpi=30&guides=1")
        XCTAssertEqual(png.status, 200)
        XCTAssertEqual(Array(png.data.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(try get(url + "pages/99.png").status, 404)
        // An edit: a new version, and exactly the edited article's pages (and the contents) get new hashes.
        let hashes = pages.map { $0["hash"] as! String }
        let article = folder + "/shequ-xinfeng.md"
        let text = try String(contentsOfFile: article, encoding: .utf8)
        try text.replacingOccurrences(of: "。", with: "！", options: .backwards, range: text.range(of: "。", options: .backwards))
            .write(toFile: article, atomically: true, encoding: .utf8)
        var after: [[String: Any]] = []
        for _ in 0..<40 {
            Thread.sleep(forTimeInterval: 0.1)
            let now = try JSONSerialization.jsonObject(with: get(url + "pages.json").data) as! [String: Any]
            if now["version"] as? Int == 2 { after = now["pages"] as! [[String: Any]]; break }
        }
        XCTAssertEqual(after.count, 12, "rebuilt within 4 s")
        let changed = zip(hashes, after).filter { $0.0 != $0.1["hash"] as! String }.map { $0.1["article"] as? String }
        XCTAssertFalse(changed.isEmpty)
        XCTAssertTrue(changed.allSatisfy { $0 == "shequ-xinfeng" || $0 == nil }, "\(changed)")
    }

    func testInARealBrowser() throws {
        let folder = try copySample()
        let (server, url) = try startServer(["serve", folder + "/issue.yaml", "--port", "0", "--fonts", root + "/fonts"])
        defer { server.terminate(); server.waitUntilExit() }
        let shots = root + "/.build/test-output/live-preview"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let r = try shell("python3", [root + "/Tests/Browser/live_preview.py", url, folder, shots])
        if r.status == 77 {
            // Only where no browser can be installed (make test installs one as root).
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("no browser under CI: \(r.stderr)") }
            throw XCTSkip("no headless browser here: \(r.stderr)")
        }
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shots + "/2-after-edit.png"))
    }

    /// `folio watch`: the PDF is written at once and again after an edit, the same bytes as
    /// `folio render` of the edited files.
    func testWatchRewritesThePDFLikeRender() throws {
        let folder = try copySample()
        let pdf = work + "/watched.pdf"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = ["watch", folder + "/issue.yaml", "-o", pdf, "--fonts", root + "/fonts"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }
        func modified() -> Date? { (try? FileManager.default.attributesOfItem(atPath: pdf))?[.modificationDate] as? Date }
        for _ in 0..<100 where modified() == nil { Thread.sleep(forTimeInterval: 0.1) }
        let first = try XCTUnwrap(modified(), "the PDF is written at once")
        let article = folder + "/matouqin.md"
        try (try String(contentsOfFile: article, encoding: .utf8) + "\n又及：一段新写的话。\n").write(toFile: article, atomically: true, encoding: .utf8)
        for _ in 0..<100 where modified() == first { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertNotEqual(modified(), first, "rewritten after the edit")
        Thread.sleep(forTimeInterval: 0.3)
        let cold = try shell(folio, ["render", folder + "/issue.yaml", "-o", work + "/cold.pdf", "--fonts", root + "/fonts", "-q"])
        XCTAssertEqual(cold.status, 0, cold.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pdf)), try Data(contentsOf: URL(fileURLWithPath: work + "/cold.pdf")))
    }
}
