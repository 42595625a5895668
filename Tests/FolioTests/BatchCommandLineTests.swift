/// What `folio batch` says before and while it runs, without the binary: its usage errors and
/// its progress text on a terminal and in a log.
import Folio
import XCTest

final class BatchCommandLineTests: XCTestCase {
    func problem(folder: String? = "arch", output: String? = "out", jobs: Int = 2, shard: String? = nil,
                 shardCount: Int? = nil, merging: Bool = false) -> String? {
        BatchJob.usageProblem(folder: folder, output: output, jobs: jobs, shard: shard, shardCount: shardCount, merging: merging)
    }

    func testUsageProblems() {
        XCTAssertNil(problem())
        XCTAssertNil(problem(shard: "2/4"))
        XCTAssertNil(problem(folder: nil, output: nil, merging: true))
        XCTAssertEqual(problem(output: nil)?.contains("-o OUTPUT_FOLDER"), true)
        XCTAssertEqual(problem(jobs: 0)?.contains("--jobs"), true)
        XCTAssertEqual(problem(jobs: 65)?.contains("--jobs"), true)
        for bad in ["5/4", "0/4", "1/0", "2", "a/b"] { XCTAssertEqual(problem(shard: bad)?.contains("K/N"), true, bad) }
        XCTAssertEqual(problem(shardCount: 0)?.contains("at least 1"), true)
        XCTAssertEqual(problem(shard: "1/4", shardCount: 4)?.contains("not both"), true)
    }

    func testProgressOnATerminalRedrawsOneBar() {
        let progress = BatchProgress(terminal: true)
        progress.total = 3
        let texts = (1...3).map { progress.advance(ArticleResult(file: "/a/\($0).md")) }
        XCTAssertTrue(texts.allSatisfy { $0?.hasPrefix("\r") == true })
        XCTAssertEqual(texts[0]?.contains(" 1/3 "), true)
        XCTAssertEqual(texts[0]?.hasSuffix("\n"), false)
        XCTAssertEqual(texts[2]?.contains(String(repeating: "█", count: 30) + " 3/3 "), true)
        XCTAssertEqual(texts[2]?.hasSuffix("\n"), true, "the finished bar ends its line")
    }

    func testProgressInALogWritesFailuresAndTheEndButNotEveryArticle() {
        let progress = BatchProgress(terminal: false)
        progress.total = 4
        var failed = ArticleResult(file: "/a/3.md")
        failed.status = .failed
        let texts = [ArticleResult(file: "/a/1.md"), ArticleResult(file: "/a/2.md"), failed, ArticleResult(file: "/a/4.md")]
            .map { progress.advance($0) }
        XCTAssertEqual(texts[0]?.hasPrefix("[1/4] ok 1.md ("), true, "the first line at once")
        XCTAssertNil(texts[1], "then not more than a line every two seconds")
        XCTAssertEqual(texts[2]?.hasPrefix("[3/4] failed 3.md ("), true, "but every failure")
        XCTAssertEqual(texts[3]?.hasPrefix("[4/4] ok 4.md ("), true, "and the end")
        XCTAssertFalse(texts.compactMap { $0 }.contains { $0.contains("\r") })
    }
}
