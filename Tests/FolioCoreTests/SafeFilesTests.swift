/// Files as Folio touches them: regular-file reads, the output check against inputs, atomic
/// writes and partial names, and the one date parser.
@testable import FolioCore
import Foundation
import XCTest

final class SafeFilesTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "folio-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testOnlyRegularFilesAreRead() throws {
        let file = dir + "/a.txt"
        try "文字".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try RegularFile.read(file), Array("文字".utf8))
        XCTAssertEqual(try RegularFile.read(file, limit: 3), Array("文".utf8))
        // A file larger than one read (a photo), whole and cut at the limit.
        let large = dir + "/large.bin", bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        XCTAssertTrue(FileManager.default.createFile(atPath: large, contents: Data(bytes)))
        XCTAssertEqual(try RegularFile.read(large), bytes)
        XCTAssertEqual(try RegularFile.read(large, limit: 100_001), Array(bytes.prefix(100_001)))
        XCTAssertEqual(try RegularFile.read(dir + "/../" + URL(fileURLWithPath: dir).lastPathComponent + "/large.bin"), bytes)
        XCTAssertEqual(mkfifo(dir + "/pipe", 0o644), 0)
        XCTAssertThrowsError(try RegularFile.read(dir + "/pipe")) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
        XCTAssertThrowsError(try RegularFile.read(dir)) { XCTAssertTrue("\($0)".contains("is a folder"), "\($0)") }
        XCTAssertThrowsError(try RegularFile.read(dir + "/none.png", noun: "image")) { XCTAssertTrue("\($0)".contains("image not found"), "\($0)") }
    }

    func testOutputsAreCheckedByIdentityNotSpelling() throws {
        let input = dir + "/in.md"
        try "x".write(toFile: input, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/sym", withDestinationPath: input)
        XCTAssertEqual(link(input, dir + "/hard"), 0)
        var set = InputSet()
        set.add(file: input)
        set.add(folder: dir + "/archive")
        for spelling in [input, dir + "/./in.md", dir + "/sym", dir + "/hard"] {
            XCTAssertThrowsError(try set.checkOutput(spelling, what: "the PDF"), spelling)
        }
        XCTAssertNoThrow(try set.checkOutput(dir + "/out.pdf", what: "the PDF"))
        XCTAssertThrowsError(try set.checkOutput(dir, what: "the PDF"))                       // a folder
        XCTAssertThrowsError(try set.checkOutput("/dev/null", what: "the PDF"))               // a device
        try FileManager.default.createDirectory(atPath: dir + "/archive", withIntermediateDirectories: true)
        XCTAssertThrowsError(try set.checkOutput(dir + "/archive/new/x.pdf", what: "the PDF"))
        XCTAssertNoThrow(try set.checkOutput(dir + "/archive/new/x.pdf", what: "the PDF", insideFoldersAllowed: true))
        XCTAssertTrue(RegularFile.isInside(dir + "/archive/../archive/a", folder: dir + "/archive"))
        XCTAssertFalse(RegularFile.isInside(dir + "/archive-2/a", folder: dir + "/archive"))
    }

    func testAtomicWritesLeaveNoPartialAndNameTheirHost() throws {
        let path = dir + "/r.json"
        try AtomicFile.write(Array("{}".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{}")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["r.json"])
        let temp = AtomicFile.temporaryPath(for: path)
        XCTAssertTrue(temp.hasSuffix(".r.json.partial-\(AtomicFile.host)-\(getpid())"), temp)
        XCTAssertEqual(AtomicFile.parse(".r.json.partial-build-07.example-42")?.host, "build-07.example")
        XCTAssertEqual(AtomicFile.parse(".r.json.partial-build-07.example-42")?.pid, 42)
        XCTAssertEqual(AtomicFile.parse(".out.pdf.partial-h-9.rgb.pdf")?.final, "out.pdf")
        XCTAssertNil(AtomicFile.parse("r.json"))
        XCTAssertThrowsError(try AtomicFile.write([1], to: dir + "/missing-folder/x")) {
            XCTAssertTrue("\($0)".contains("no such file or directory writing"), "\($0)")
        }
    }

    func testStalePartialsOfThisHostAreRemovedOthersAreLeft() throws {
        let mine = dir + "/.a.pdf.partial-\(AtomicFile.host)-999999"      // a dead process of this host
        let live = dir + "/.a.pdf.partial-\(AtomicFile.host)-\(getpid())"  // this process
        let theirs = dir + "/.a.pdf.partial-another-host-1"
        for p in [mine, live, theirs] { FileManager.default.createFile(atPath: p, contents: Data()) }
        AtomicFile.removeStalePartials(in: dir)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), [".a.pdf.partial-\(AtomicFile.host)-\(getpid())", ".a.pdf.partial-another-host-1"])
        // Another host's partial a day and more old is stale too.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -AtomicFile.staleAge - 60)], ofItemAtPath: theirs)
        AtomicFile.removeStalePartials(in: dir)
        XCTAssertFalse(FileManager.default.fileExists(atPath: theirs))
        AtomicFile.removeOwnPartials(in: dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }

    /// Once a signal is ending the process, no thread makes a partial the handler would not see:
    /// a write after that fails and leaves nothing; one made before is removed with the rest.
    func testNoPartialIsMadeOnceTheProcessIsStopping() throws {
        let before = dir + "/before.pdf"
        _ = try AtomicFile.create(AtomicFile.temporaryPath(for: before), finalPath: before)
        AtomicFile.stopMakingPartials()
        defer { AtomicFile.resumeMakingPartials() }
        XCTAssertThrowsError(try AtomicFile.write(Array("x".utf8), to: dir + "/after.pdf")) {
            XCTAssertTrue("\($0)".contains("stopped before writing"), "\($0)")
        }
        AtomicFile.removeOwnPartials(in: dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }

    func testOneDateParser() {
        XCTAssertEqual(CalendarDate("2024-06-12")?.description, "2024-06-12")
        XCTAssertEqual(CalendarDate("2024年6月2日")?.description, "2024-06-02")
        XCTAssertEqual(CalendarDate("2024/7/31")?.description, "2024-07-31")
        XCTAssertEqual(CalendarDate("2024-06")?.description, "2024-06")
        XCTAssertEqual(CalendarDate("2024-02-29")?.description, "2024-02-29")
        for bad in ["2024-13-45", "2023-02-29", "1900-02-29", "yesterday", "2024-06-12T10", "24-06-12", "２０２４-06-12", ""] {
            XCTAssertNil(CalendarDate(bad), bad)
        }
        XCTAssertEqual(CalendarDate("2000-02-29")?.day, 29)
        XCTAssertEqual(CalendarDate(leadingIn: "2024年7月3日 星期三")?.description, "2024-07-03")
    }

    /// Path names taken apart as strings say what Foundation's URL says of them: an article's
    /// id (its file's stem) must be the same whichever way it was read.
    func testPathNamesAgreeWithURL() {
        let cwd = FileManager.default.currentDirectoryPath
        for p in ["a.md", "a.b.md", ".hidden", "x/../y/./z.yaml", "/a//b///c.txt", "a b.md", "中文 稿.md", "a.tar.gz", "/", "../q.md",
                  "x/", "/x/y/", "x/.md", "issue.yaml", cwd + "/examples/../issue.yml"] {
            let u = URL(fileURLWithPath: p)
            XCTAssertEqual(PathName.standardized(p), u.standardizedFileURL.path, p)
            XCTAssertEqual(PathName.folder(of: p), u.deletingLastPathComponent().standardizedFileURL.path, p)
            XCTAssertEqual(PathName.stem(p), u.deletingPathExtension().lastPathComponent, p)
            XCTAssertEqual(PathName.pathExtension(p), u.pathExtension, p)
        }
        XCTAssertEqual(PathName.resolve("../images/a.png", in: "/m/issue/articles"), "/m/issue/images/a.png")
        XCTAssertEqual(PathName.resolve("/abs/./a.png", in: "/m"), "/abs/a.png")
    }
}
