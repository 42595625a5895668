/// A text trace of every page of each example (one line per item: role, position, width, text;
/// TraceWriter) compared with its golden in Tests/FolioTests/Traces — as SILE's
/// tests/*.expected. A change to the pages shows as a diff to review; FOLIO_UPDATE_GOLDENS=1
/// rewrites the goldens (read the diff before committing).
import Folio
import FolioCore
import Foundation
import XCTest

final class TraceGoldenTests: FolderTestCase {
    static let examples = [
        ("sample-issue", "examples/sample-issue/issue.yaml"),
        ("budget-issue", "examples/budget-issue/issue.yaml"),
        ("edition-ug", "examples/editions/ug/issue.yaml"),
        ("edition-kk", "examples/editions/kk/issue.yaml"),
        ("edition-ko", "examples/editions/ko/issue.yaml"),
        ("edition-mn", "examples/editions/mn/issue.yaml"),
        ("vertical-chinese", "examples/editions/zh-vertical/zh-vertical.md"),
    ]

    func testEveryExampleTracesAsItsGolden() throws {
        var setup = Setup()
        setup.fonts = root + "/fonts"
        let update = ProcessInfo.processInfo.environment["FOLIO_UPDATE_GOLDENS"] != nil
        for (name, input) in Self.examples {
            let (loaded, pipeline) = try Pipeline.open(root + "/" + input, setup: setup)
            let trace = try pipeline.trace(loaded)
            XCTAssertTrue(trace.contains("text body "), "\(name): a trace with body text")
            let golden = root + "/Tests/FolioTests/Traces/\(name).trace"
            if update {
                try FileManager.default.createDirectory(atPath: root + "/Tests/FolioTests/Traces", withIntermediateDirectories: true)
                try trace.write(toFile: golden, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOfFile: golden, encoding: .utf8)
            guard trace != expected else { continue }
            try trace.write(toFile: dir + "/\(name).trace", atomically: true, encoding: .utf8)
            let (a, b) = (expected.split(separator: "\n", omittingEmptySubsequences: false), trace.split(separator: "\n", omittingEmptySubsequences: false))
            let first = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
            XCTFail("""
                \(name): the pages changed (\(a.count) → \(b.count) trace lines); first difference at line \(first + 1):
                  golden: \(first < a.count ? a[first] : "(end)")
                  now:    \(first < b.count ? b[first] : "(end)")
                review with: diff \(golden) \(dir!)/\(name).trace — then FOLIO_UPDATE_GOLDENS=1 if it is right
                """)
            // Keep the new trace for the review (the folder is removed otherwise).
            try? FileManager.default.copyItem(atPath: dir + "/\(name).trace", toPath: NSTemporaryDirectory() + "folio-trace-\(name).trace")
        }
    }
}
