/// The catalogue of hostile inputs and faults, round 2 (beside `HostileInputTests`): Folio never
/// replaces an input, never crashes on a folder where a file belongs, never hangs on a named
/// pipe, never escapes an article's folder through a symlink, names the cause of a full or
/// read-only disk, and never loses work when a batch is sharded. Every run has a time limit.
import FolioTesting
import Foundation
import XCTest

final class FileSafetyTests: FolioCommandTestCase {
    let front = "---\ntitle: 标题\n---\n\n"

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = work + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    /// Runs folio with `args` for at most `timeout` seconds (then kills it and fails).
    @discardableResult
    func run(_ args: [String], timeout: Double = 60, env: [String: String] = [:],
             file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: work)
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let stdout = Collected(), stderr = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { stdout.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            XCTFail("folio \(args.joined(separator: " ")) hung for \(timeout) s", file: file, line: line)
        }
        p.waitUntilExit()
        group.wait()
        let (o, e) = (String(decoding: stdout.data, as: UTF8.self), String(decoding: stderr.data, as: UTF8.self))
        XCTAssertEqual(p.terminationReason, .exit, "crashed: \(e)", file: file, line: line)
        return Result(status: p.terminationStatus, stdout: o, stderr: e)
    }

    func expect(_ r: Result, status: Int32, _ messages: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        for m in messages { XCTAssertTrue(r.stderr.contains(m), "expected '\(m)' in: \(r.stderr)", file: file, line: line) }
    }

    func partials(_ folder: String) -> [String] {
        let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        return names.filter { $0.contains(".partial-") }
    }

    // MARK: It destroys inputs

    func testNoOutputReplacesAnInput() throws {
        let a = try write("a.md", front + "正文。\n\n![图](images/o.png)\n")
        try FileManager.default.createDirectory(atPath: work + "/images", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/archive/images/ornament.png", toPath: work + "/images/o.png")
        let template = work + "/t.yaml"
        try FileManager.default.copyItem(atPath: root + "/layouts/magazine-16k.yaml", toPath: template)
        let issue = try write("issue.yaml", "magazine: 刊\nissue: 第1期\ntemplate: t.yaml\nsections:\n  - title: 栏\n    articles: [a.md]\n")
        try FileManager.default.createSymbolicLink(atPath: work + "/link.pdf", withDestinationPath: a)
        XCTAssertEqual(link(a, work + "/hard.pdf"), 0)
        let inputs = [a, issue, template, work + "/images/o.png"]
        let before = inputs.map(bytes)
        let cases: [[String]] = [
            ["render", a, "-o", a], ["render", issue, "-o", issue], ["render", issue, "-o", template],
            ["render", a, "-o", work + "/images/o.png"], ["render", a, "-o", "link.pdf"], ["render", a, "-o", "hard.pdf"],
            ["render", a, "-o", "./../" + (work as NSString).lastPathComponent + "/a.md"],
            ["render", a, "-o", "ok.pdf", "--report", a], ["render", a, "--template", template, "-o", template],
            ["preview", a, "-o", a], ["preview", issue, "-o", work + "/images/o.png"],
        ]
        for args in cases {
            expect(try run(args), status: 1, ["refusing to write", "input of this run"])
        }
        XCTAssertEqual(inputs.map(bytes), before, "an input changed")
        XCTAssertEqual(partials(work), [])
    }

    func testBatchOutputsNeverReplaceArchiveFiles() throws {
        let arch = work + "/arch"
        let a = try write("arch/x.md", front + "正文。\n")
        let before = bytes(a)
        expect(try run(["batch", arch, "-o", work + "/out", "--volume", a]), status: 1, ["refusing to write the volume", "input of this run"])
        expect(try run(["batch", arch, "-o", arch]), status: 1, ["refusing"])
        expect(try run(["batch", arch, "-o", arch + "/pdf"]), status: 1, ["inside the input folder"])
        expect(try run(["batch", arch, "-o", work + "/out2", "--volume", arch + "/volume.pdf"]), status: 1, ["inside the input folder"])
        // Asked for explicitly, an output folder inside the archive is fine.
        expect(try run(["batch", arch, "-o", arch + "/pdf", "--allow-output-in-input"]), status: 0, [])
        // A symlink in the output folder that points at an article is never written through.
        try FileManager.default.createDirectory(atPath: work + "/out3", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/out3/x.pdf", withDestinationPath: a)
        expect(try run(["batch", arch, "-o", work + "/out3"]), status: 1, ["refusing to write the PDF", "input of this run"])
        XCTAssertEqual(bytes(a), before)
    }

    // MARK: It crashes, it hangs

    func testFoldersWhereFilesBelongAreReportedNotCrashedOn() throws {
        try FileManager.default.createDirectory(atPath: work + "/img.png", withIntermediateDirectories: true)
        let a = try write("a.md", front + "正文。\n\n![图](img.png)\n")
        expect(try run(["render", a, "-o", "a.pdf"]), status: 1, ["a.md:7:1: error: the image", "is a folder, not a file"])
        let p = try run(["preview", a, "-o", "a.png"])
        expect(p, status: 0, ["is a folder, not a file"])
        try FileManager.default.createDirectory(atPath: work + "/dir.md", withIntermediateDirectories: true)
        try write("issue.yaml", "magazine: 刊\nissue: 第1期\nsections:\n  - title: 栏\n    articles: [dir.md]\n")
        expect(try run(["render", "issue.yaml", "-o", "i.pdf"]), status: 1, ["issue.yaml:5:16: error: the article", "is a folder"])
        expect(try run(["render", "dir.md", "-o", "d.pdf"]), status: 1, ["is a folder, not a file"])
    }

    func testBatchSurvivesFoldersAndPipesAmongArticles() throws {
        let arch = work + "/arch"
        for i in 0..<4 { try write("arch/a\(i).md", front + "第\(i)篇。\n") }
        try FileManager.default.createDirectory(atPath: arch + "/b-dir.md", withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(arch + "/c-fifo.md", 0o644), 0)
        XCTAssertEqual(mkfifo(arch + "/d-fifo.txt", 0o644), 0)
        let r = try run(["batch", arch, "-o", work + "/out", "--jobs", "2"], timeout: 60)
        expect(r, status: 1, ["b-dir.md is a folder", "c-fifo.md is not a regular file"])
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: work + "/out").filter { $0.hasSuffix(".pdf") }
        XCTAssertEqual(pdfs.count, 4, "every good article printed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/out/batch-report.json"))
        XCTAssertEqual(partials(work + "/out"), [])
    }

    func testNamedPipesNeverHang() throws {
        XCTAssertEqual(mkfifo(work + "/pipe.png", 0o644), 0)
        XCTAssertEqual(mkfifo(work + "/pipe.md", 0o644), 0)
        let a = try write("a.md", front + "正文。\n\n![图](pipe.png)\n")
        expect(try run(["render", a, "-o", "a.pdf"], timeout: 20), status: 1, ["is not a regular file"])
        expect(try run(["render", "pipe.md", "-o", "p.pdf"], timeout: 20), status: 1, ["is not a regular file"])
        expect(try run(["render", a, "-o", "a.pdf", "--template", "pipe.md"], timeout: 20), status: 1, ["is not a regular file"])
    }

    /// A second signal ends a batch at once, removing its partial files; a signalled render
    /// leaves no partial file either.
    func testSignalsEndPromptlyWithoutPartials() throws {
        let text = try String(contentsOfFile: root + "/examples/archive/2024-08-15-nongjia-shuwu.md", encoding: .utf8)
        for i in 0..<80 { try write("arch/a\(i).md", text) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: folio)
        p.arguments = ["batch", work + "/arch", "-o", work + "/out", "--jobs", "2"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, ((try? FileManager.default.contentsOfDirectory(atPath: work + "/out")) ?? []).filter({ $0.hasSuffix(".pdf") }).count < 2 {
            usleep(10_000)
        }
        kill(p.processIdentifier, SIGTERM)
        usleep(5_000)
        kill(p.processIdentifier, SIGTERM)
        let stopped = Date()
        p.waitUntilExit()
        XCTAssertLessThan(-stopped.timeIntervalSinceNow, 5, "a second signal must end the batch promptly")
        XCTAssertEqual(p.terminationStatus, 130)
        XCTAssertEqual(partials(work + "/out"), [])

        // A render killed outright (SIGKILL) leaves a partial that the next render cleans.
        let stale = work + "/.r.pdf.partial-\(hostName())-999999"
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data("half".utf8)))
        let other = work + "/.r.pdf.partial-some-other-host-1"
        XCTAssertTrue(FileManager.default.createFile(atPath: other, contents: Data("theirs".utf8)))
        expect(try run(["render", work + "/arch/a0.md", "-o", work + "/r.pdf"]), status: 0, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "this host's dead partial is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: other), "another host's young partial is left alone")
    }

    func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, 255)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: It escapes its folder

    func testSymlinkedImageOutsideTheFolderIsRefused() throws {
        try FileManager.default.createDirectory(atPath: work + "/article", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/archive/images/ornament.png", toPath: work + "/secret.png")
        try FileManager.default.createSymbolicLink(atPath: work + "/article/pic.png", withDestinationPath: work + "/secret.png")
        let a = try write("article/a.md", front + "![图](pic.png)\n")
        expect(try run(["render", a, "-o", "a.pdf"]), status: 1, ["leaves the article's folder through a symbolic link"])
        expect(try run(["render", a, "-o", "a.pdf", "--allow-outside-images"]), status: 0, [])
    }

    // MARK: It lies or stays silent

    /// A full disk and a read-only volume, on small tmpfs mounts (root only, as in CI).
    func testFullAndReadOnlyDisksAreNamed() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let full = work + "/full", ro = work + "/ro"
        for d in [full, ro] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        guard try shell("mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", full]).status == 0 else { throw XCTSkip("cannot mount tmpfs here") }
        defer { _ = try? shell("umount", [full]) }
        XCTAssertEqual(try shell("mount", ["-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", ro]).status, 0)
        defer { _ = try? shell("umount", [ro]) }

        let issue = root + "/examples/sample-issue/issue.yaml"
        expect(try run(["render", issue, "-o", full + "/issue.pdf"]), status: 1, ["no space left on device writing \(full)/issue.pdf"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: full), [], "nothing left behind")
        // Filled to the brim: even the report of a batch cannot be written.
        _ = try shell("sh", ["-c", "cat /dev/zero > \(full)/filler 2>/dev/null; true"])
        try FileManager.default.createDirectory(atPath: full + "/out", withIntermediateDirectories: true)
        try write("arch/x.md", front + "正文。\n")
        expect(try run(["batch", work + "/arch", "-o", full + "/out"]), status: 1, ["no space left on device writing"])
        XCTAssertEqual(partials(full), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: full + "/out"), [], "no PDF, no report, no partial")
        expect(try run(["render", issue, "-o", ro + "/issue.pdf"]), status: 1, ["read-only file system writing \(ro)/issue.pdf"])
        expect(try run(["preview", issue, "-o", ro + "/p.png"]), status: 1, ["read-only file system writing"])
        let a = try write("a.md", front + "正文。\n")
        expect(try run(["render", a, "-o", "a.pdf", "--report", ro + "/r.json"]), status: 1, ["read-only file system writing"])
    }

    func testCorruptImagesAreReportedLikeMissingOnes() throws {
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: root + "/examples/sample-issue/images/grassland.jpg"))
        try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: work + "/cut.jpg"))
        let png = try Data(contentsOf: URL(fileURLWithPath: root + "/examples/archive/images/ornament.png"))
        try png.prefix(png.count - 20).write(to: URL(fileURLWithPath: work + "/cut.png"))
        let a = try write("a.md", front + "![截断](cut.jpg)\n\n![截断](cut.png)\n")
        expect(try run(["render", a, "-o", "a.pdf"]), status: 1, ["a.md:5:1: error: the image", "cut.jpg is truncated or corrupt",
                                                                  "a.md:7:1: error: the image", "cut.png is truncated or corrupt"])
        expect(try run(["render", a, "-o", "a.pdf", "--allow-missing-images"]), status: 0, ["warning: the image"])
    }

    /// A JPEG found whole is remembered in the user's cache folder by its file's stamp and not
    /// decoded again to check it (a camera photo: ~30 ms each run): spoiled in place without a
    /// new stamp it still passes — the memo was read — and once its time changes it is checked
    /// and reported again. A cache folder that cannot be written costs nothing but the time.
    func testAJPEGFoundWholeIsCheckedAgainOnlyWhenItChanges() throws {
        let cache = work + "/cache"
        let photo = work + "/p.jpg"
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: root + "/examples/sample-issue/images/grassland.jpg"))
        try jpeg.write(to: URL(fileURLWithPath: photo))
        let a = try write("a.md", front + "![照片](p.jpg)\n")
        expect(try run(["render", a, "-o", "a.pdf"], env: ["XDG_CACHE_HOME": cache]), status: 0, [])
        let memo = try String(contentsOfFile: cache + "/folio/checked-images", encoding: .utf8)
        XCTAssertEqual(memo.split(separator: "\n").count, 1)
        // Its second half zeroed in place: same size, same inode, its time put back.
        var st = stat()
        XCTAssertEqual(stat(photo, &st), 0)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: photo))
        try handle.seek(toOffset: UInt64(jpeg.count / 2))
        try handle.write(contentsOf: Data(count: jpeg.count - jpeg.count / 2 - 2))
        try handle.close()
        var times = [st.st_atim, st.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, photo, &times, 0), 0)
        expect(try run(["render", a, "-o", "a.pdf"], env: ["XDG_CACHE_HOME": cache]), status: 0, [])
        XCTAssertEqual(try String(contentsOfFile: cache + "/folio/checked-images", encoding: .utf8), memo, "nothing decoded, nothing added")
        // Saved again (a new time): checked, and reported.
        times[1].tv_sec += 1
        XCTAssertEqual(utimensat(AT_FDCWD, photo, &times, 0), 0)
        expect(try run(["render", a, "-o", "a.pdf"], env: ["XDG_CACHE_HOME": cache]), status: 1, ["p.jpg is truncated or corrupt"])
        // No cache folder to be had: checked every time, and nothing fails for it.
        try "not a folder".write(toFile: work + "/blocked", atomically: false, encoding: .utf8)
        try jpeg.write(to: URL(fileURLWithPath: photo))
        expect(try run(["render", a, "-o", "a.pdf"], env: ["XDG_CACHE_HOME": work + "/blocked"]), status: 0, [])
    }

    func testNoncharactersAreRemovedWithTheirLocation() throws {
        func nc(_ v: UInt32) -> String { String(Unicode.Scalar(v)!) }
        let a = try write("a.md", "---\ntitle: 标\(nc(0xFFFF))题\n---\n\n正文\(nc(0xFDD0))有\(nc(0x10FFFF))非字符，\(nc(0x1FFFF))还有\(nc(0xFFFE))。\n")
        let r = try run(["render", a, "-o", "a.pdf", "--verify"])
        expect(r, status: 0, ["a.md:2:9: warning: removed 1 invisible control character (U+FFFF noncharacter)",
                              "a.md:5:3: warning: removed 4 invisible control characters (U+FDD0 noncharacter, U+10FFFF noncharacter"])
    }

    func testDisplayTextThatCannotFitIsOverset() throws {
        let a = try write("a.md", "---\ntitle: \(String(repeating: "长", count: 5000))\n---\n\n正文。\n")
        expect(try run(["render", a, "-o", "a.pdf", "--verify"]), status: 1, ["error: the title is too long for the article's opening"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/a.pdf"))
    }

    func testInvalidDatesAreLocatedErrors() throws {
        for (date, column) in [("2024-13-45", 7), ("yesterday", 7), ("2023-02-29", 7)] {
            let a = try write("d.md", "---\ntitle: 标题\ndate: \(date)\n---\n\n正文。\n")
            expect(try run(["render", a, "-o", "d.pdf"]), status: 1, ["d.md:3:\(column): error: '\(date)' is not a date"])
        }
        try write("a.md", front + "正文。\n")
        let m = try write("issue.yaml", "magazine: 刊\nissue: 第1期\ndate: 2024-6-31\nsections:\n  - title: 栏\n    articles: [a.md]\n")
        expect(try run(["render", m, "-o", "i.pdf"]), status: 1, ["issue.yaml:3:7: error: '2024-6-31' is not a date"])
        let ok = try write("ok.md", "---\ntitle: 标题\ndate: 2024-02-29\n---\n\n正文。\n")
        expect(try run(["render", ok, "-o", "ok.pdf"]), status: 0, [])
    }

    func testLegacyEncodingsAreDetectedOrRefused() throws {
        let traditional = "標題\n\n這是一個關於民族團結的故事，我們在學校裡學習中國的歷史和文化。他說：「這個國家的發展，來自每一個人的努力。」\n"
        let simplified = "标题\n\n这是一个关于民族团结的故事，我们在学校里学习中国的历史和文化。他说：“这个国家的发展，来自每一个人的努力。”\n"
        for (name, text, encoding) in [("big5.txt", traditional, "BIG5"), ("gbk.txt", simplified, "GBK"), ("utf16.txt", simplified, "UTF-16")] {
            let utf8 = try write("src-" + name, text)
            XCTAssertEqual(try shell("iconv", ["-f", "UTF-8", "-t", encoding, utf8, "-o", work + "/" + name]).status, 0)
            let r = try run(["render", name, "-o", name + ".pdf"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let pdfText = try shell("pdftotext", [work + "/" + name + ".pdf", "-"]).stdout.replacingOccurrences(of: "\n", with: "")
                .replacingOccurrences(of: "■", with: "")   // the end mark, set beside the last line
            XCTAssertTrue(pdfText.contains(encoding == "BIG5" ? "我們在學校裡學習中國的歷史和文化" : "我们在学校里学习中国的历史和文化"), "\(name): \(pdfText)")
        }
        // Bytes that are neither UTF-8 nor readable Chinese in GB18030 or Big5: stop, do not print garbage.
        var noise: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<400 { x = x &* 1_103_515_245 &+ 12345; noise.append(UInt8(0x81 + (x >> 16) % 0x7E)) }
        XCTAssertTrue(FileManager.default.createFile(atPath: work + "/noise.txt", contents: Data(noise)))
        expect(try run(["render", "noise.txt", "-o", "noise.pdf"]), status: 1, ["noise.txt:1:1: error: cannot tell how the file is encoded"])
    }

    func testTableTooWideToSetLegiblyIsRefused() throws {
        let n = 200
        let header = "| " + (0..<n).map { "列\($0)" }.joined(separator: " | ") + " |\n"
        let a = try write("t.md", front + header + "|" + String(repeating: "---|", count: n) + "\n")
        expect(try run(["render", a, "-o", "t.pdf"]), status: 1, ["t.md:5:1: error: the table has 200 columns; at most"])
    }

    // MARK: Scale-out loses work silently

    func testShardIndicesOutOfRangeAreErrors() throws {
        try write("arch/x.md", front + "正文。\n")
        for (k, v) in [("JOB_COMPLETION_INDEX", "-1"), ("JOB_COMPLETION_INDEX", "7"), ("SLURM_ARRAY_TASK_ID", "4"), ("JOB_COMPLETION_INDEX", "x")] {
            expect(try run(["batch", "arch", "-o", "out", "--shard-count", "4"], env: [k: v]), status: 1, [k])
            XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/out/batch-report-\(v)-of-4.json"))
        }
        expect(try run(["batch", "arch", "-o", "out", "--shard", "1/4", "--shard-count", "4"]), status: 64, ["not both"])
    }

    func testMergeNeedsOneCompleteSetAndCountsEachArticleOnce() throws {
        for i in 0..<12 { try write("arch/a\(i).md", front + "第\(i)篇。\n") }
        let out = work + "/out"
        // Shards 1–3 of 4, two with the archive spelled differently.
        for (k, spelling) in [(1, "arch"), (2, work + "/arch"), (3, "./arch/")] {
            expect(try run(["batch", spelling, "-o", out, "--shard", "\(k)/4", "--jobs", "1"]), status: 0, [])
        }
        expect(try run(["batch", "--merge-reports", out]), status: 1, ["incomplete", "4/4", "batch-report-4-of-4.json"])
        expect(try run(["batch", "arch", "-o", out, "--shard", "4/4", "--jobs", "1"]), status: 0, [])
        let merged = try run(["batch", "--merge-reports", out])
        expect(merged, status: 0, [])
        XCTAssertTrue(merged.stdout.contains("12 articles"), merged.stdout)
        // A leftover report of another shard count makes the set mixed.
        expect(try run(["batch", "arch", "-o", out, "--shard", "1/3", "--jobs", "1"]), status: 0, [])
        expect(try run(["batch", "--merge-reports", out]), status: 1, ["different runs", "--shard-count"])
        let chosen = try run(["batch", "--merge-reports", out, "--shard-count", "4"])
        expect(chosen, status: 0, [])
        XCTAssertTrue(chosen.stdout.contains("12 articles"), chosen.stdout)
    }

    // MARK: The property

    /// For random choices of inputs and output paths among the inputs, their folders and
    /// symlinks to them, no input's bytes ever change.
    func testNoRunEverChangesAnInputsBytes() throws {
        var rng = SeededRandom(state: 20261130)
        try FileManager.default.createDirectory(atPath: work + "/images", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/examples/archive/images/ornament.png", toPath: work + "/images/o.png")
        try FileManager.default.copyItem(atPath: root + "/layouts/magazine-16k.yaml", toPath: work + "/t.yaml")
        let a = try write("a.md", front + "正文。\n\n![图](images/o.png)\n")
        try write("arch/b.md", front + "归档。\n")
        try write("issue.yaml", "magazine: 刊\nissue: 第1期\ntemplate: t.yaml\nsections:\n  - title: 栏\n    articles: [a.md]\n")
        let inputs = ["a.md", "issue.yaml", "t.yaml", "images/o.png", "arch/b.md"]
        for (n, f) in inputs.enumerated() {
            try FileManager.default.createSymbolicLink(atPath: work + "/link\(n)", withDestinationPath: work + "/" + f)
        }
        let before = inputs.map { bytes(work + "/" + $0) }
        // Each command with the inputs it reads (indices into `inputs`).
        let commands: [(args: [String], reads: [Int])] = [
            (["render", a, "-o"], [0, 3]),
            (["render", "issue.yaml", "-o", "x.pdf", "--report"], [0, 1, 2, 3]),
            (["preview", "issue.yaml", "-o"], [0, 1, 2, 3]),
            (["batch", "arch", "-o", "out", "--template", "t.yaml", "--force", "--volume"], [2, 4]),
            (["render", "a.md", "--template", "t.yaml", "-o"], [0, 2, 3]),
        ]
        for _ in 0..<30 {
            let command = commands[Int(rng.next() % UInt64(commands.count))]
            let i = command.reads[Int(rng.next() % UInt64(command.reads.count))]
            let dir = (inputs[i] as NSString).deletingLastPathComponent
            let spellings = [inputs[i], "./" + inputs[i], "link\(i)", work + "/" + inputs[i], "images/../" + inputs[i], dir.isEmpty ? "." : dir]
            let target = spellings[Int(rng.next() % UInt64(spellings.count))]
            let args = command.args + [target]
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, "\(args) should have been refused")
            XCTAssertEqual(inputs.map { bytes(work + "/" + $0) }, before, "\(args) changed an input")
        }
    }
}
