/// Replays the inputs in Fuzz/regressions (crashes `make fuzz` found, and hand-made seeds)
/// through the same readers the fuzzer drives: each must return or throw, never crash.
@testable import FolioInput
import FolioCore
import Foundation
import XCTest

final class FuzzRegressionTests: XCTestCase {
    func testRegressionInputsDoNotCrash() throws {
        let root = repositoryRoot
        let folder = root.appendingPathComponent("Fuzz/regressions")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for name in files {
            let data = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            FuzzTargets.run(data)
        }
    }
}
