/// Replays the inputs in Fuzz/regressions (crashes `make fuzz` found, and hand-made seeds)
/// through the same readers the fuzzer drives: each must return or throw, never crash.
@testable import FolioInput
import FolioCore
import Foundation
import XCTest

final class FuzzRegressionTests: XCTestCase {
    func testRegressionInputsDoNotCrash() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Fuzz/regressions")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for name in files {
            let data = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            guard let selector = data.first else { continue }
            let text = String(decoding: data.dropFirst(), as: UTF8.self)
            switch selector % 4 {
            case 0: _ = try? ArticleLoader.parse(text, path: "/fuzz/a.md", options: InputOptions(allowMissingImages: true))
            case 1: _ = try? WebArchiveReader.parse(text, path: "/fuzz/a.txt")
            case 2: _ = try? TemplateLoader.parse(text, file: "/fuzz/t.yaml")
            default:
                var r = PunctuationRestorer()
                XCTAssertFalse(r.restore(text).isEmpty && !text.isEmpty, name)
            }
        }
    }
}
