import Foundation
import XCTest

/// A test with the repository's root and a fresh temporary folder, removed afterwards.
class FolderTestCase: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "folio-\(type(of: self))-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }
}
