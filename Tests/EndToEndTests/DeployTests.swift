/// The cluster recipe in deploy/ (issue 18), checked without a container engine or a cluster:
/// the Kubernetes manifests are parsed and their fields checked; the commands they and the Slurm
/// scripts run are run here exactly, shard by shard with the scheduler's environment, then the
/// merge; the Containerfile is checked by a dry run — every package it installs exists in
/// Debian, and they provide every library the folio binary links.
import Foundation
import XCTest
import Yams

final class DeployTests: FolioCommandTestCase {
    var deploy: String { root + "/deploy" }

    func yaml(_ name: String) throws -> [String: Any] {
        try XCTUnwrap(try Yams.load(yaml: String(contentsOfFile: deploy + "/kubernetes/" + name, encoding: .utf8)) as? [String: Any])
    }

    func container(_ job: [String: Any]) throws -> [String: Any] {
        let spec = try XCTUnwrap((job["spec"] as? [String: Any])?["template"] as? [String: Any])
        let pod = try XCTUnwrap(spec["spec"] as? [String: Any])
        XCTAssertEqual(pod["restartPolicy"] as? String, "Never")
        let mounts = try XCTUnwrap(((pod["containers"] as? [[String: Any]])?.first?["volumeMounts"] as? [[String: Any]]))
        XCTAssertEqual(mounts.first?["mountPath"] as? String, "/data")
        XCTAssertNotNil((pod["volumes"] as? [[String: Any]])?.first?["persistentVolumeClaim"])
        return try XCTUnwrap((pod["containers"] as? [[String: Any]])?.first)
    }

    func shardCount(_ args: [String]) throws -> Int {
        let k = try XCTUnwrap(args.firstIndex(of: "--shard-count"))
        return try XCTUnwrap(Int(args[k + 1]))
    }

    func testKubernetesManifestsAgreeWithEachOther() throws {
        let batch = try yaml("folio-batch.yaml"), merge = try yaml("folio-merge.yaml")
        XCTAssertEqual(batch["kind"] as? String, "Job")
        XCTAssertEqual(batch["apiVersion"] as? String, "batch/v1")
        let spec = try XCTUnwrap(batch["spec"] as? [String: Any])
        XCTAssertEqual(spec["completionMode"] as? String, "Indexed")
        let args = try XCTUnwrap(try container(batch)["args"] as? [String])
        XCTAssertEqual(args.first, "batch")
        let shards = try shardCount(args)
        XCTAssertEqual(spec["completions"] as? Int, shards, "one completion per shard")
        XCTAssertLessThanOrEqual(try XCTUnwrap(spec["parallelism"] as? Int), shards)
        let mergeArgs = try XCTUnwrap(try container(merge)["args"] as? [String])
        XCTAssertEqual(Array(mergeArgs.prefix(2)), ["batch", "--merge-reports"])
        XCTAssertEqual(try shardCount(mergeArgs), shards)
        XCTAssertEqual(mergeArgs[2], args[args.firstIndex(of: "-o")! + 1], "the merge reads the batch's output")
    }

    /// An archive of `count` small articles in `work/data/archive`.
    func archive(_ count: Int) throws -> String {
        let data = work + "/data"
        try FileManager.default.createDirectory(atPath: data + "/archive", withIntermediateDirectories: true)
        let text = try String(contentsOfFile: root + "/examples/archive/2024-08-15-nongjia-shuwu.md", encoding: .utf8)
        for i in 0..<count { try text.write(toFile: data + "/archive/a\(i).md", atomically: true, encoding: .utf8) }
        return data
    }

    /// Every article of the archive once in the merged report, printed.
    func checkMerged(_ out: String, articles: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/batch-report.json"))) as! [String: Any]
        let entries = try XCTUnwrap(report["articles"] as? [[String: Any]], file: file, line: line)
        XCTAssertEqual(entries.count, articles, file: file, line: line)
        XCTAssertEqual(Set(entries.map { $0["file"] as! String }).count, articles, "each once", file: file, line: line)
        XCTAssertTrue(entries.allSatisfy { $0["status"] as? String == "ok" }, file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".pdf") }.count, articles, file: file, line: line)
    }

    func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = URL(fileURLWithPath: folio).deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        for (k, v) in extra { env[k] = v }
        return env
    }

    func testTheKubernetesJobsCommandsPrintEveryArticleOnce() throws {
        let data = try archive(30)
        let batch = try yaml("folio-batch.yaml"), merge = try yaml("folio-merge.yaml")
        let args = try XCTUnwrap(try container(batch)["args"] as? [String]).map { $0.replacingOccurrences(of: "/data", with: data) }
        for index in 0..<(try shardCount(args)) {
            let r = try shell(folio, args, environment: environment(["JOB_COMPLETION_INDEX": "\(index)"]))
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let mergeArgs = try XCTUnwrap(try container(merge)["args"] as? [String]).map { $0.replacingOccurrences(of: "/data", with: data) }
        let m = try shell(folio, mergeArgs, environment: environment([:]))
        XCTAssertEqual(m.status, 0, m.stderr)
        try checkMerged(data + "/out", articles: 30)
    }

    func testTheSlurmScriptsPrintEveryArticleOnce() throws {
        let data = try archive(30)
        let script = try String(contentsOfFile: deploy + "/slurm/folio-batch.sbatch", encoding: .utf8)
        // The array the script asks for: --array=A-B.
        let range = try XCTUnwrap(script.range(of: #"--array=(\d+)-(\d+)"#, options: .regularExpression))
        let bounds = script[range].dropFirst("--array=".count).split(separator: "-").compactMap { Int($0) }
        let out = data + "/out"
        for task in bounds[0]...bounds[1] {
            let r = try shell("/bin/bash", [deploy + "/slurm/folio-batch.sbatch"],
                              environment: environment(["ARCHIVE": data + "/archive", "OUT": out, "SLURM_ARRAY_TASK_ID": "\(task)",
                                              "SLURM_ARRAY_TASK_MIN": "\(bounds[0])", "SLURM_CPUS_PER_TASK": "2"]))
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let m = try shell("/bin/bash", [deploy + "/slurm/folio-merge.sbatch"], environment: environment(["OUT": out]))
        XCTAssertEqual(m.status, 0, m.stderr)
        try checkMerged(out, articles: 30)
    }

    /// The dry run of the Containerfile: its packages exist in Debian's index, and provide every
    /// shared library the folio binary needs, at start or when first used (Swift's own are
    /// linked in by `make portable`).
    func testContainerPackagesCoverTheBinarysLibraries() throws {
        let file = try String(contentsOfFile: deploy + "/Containerfile", encoding: .utf8)
        let install = try XCTUnwrap(file.range(of: #"apt-get install[^&]*"#, options: .regularExpression))
        let packages = Set(file[install].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" })
            .map(String.init).filter { !$0.hasPrefix("-") && $0 != "apt-get" && $0 != "install" })
        XCTAssertTrue(packages.isSuperset(of: ["pandoc", "ghostscript", "fonts-noto-cjk"]))
        // Each is a Debian 12 package (installed here by `make deps`: the -dev packages Folio
        // builds against depend on them), so the image's apt-get finds it.
        for p in packages.sorted() {
            let status = try shell("dpkg-query", ["-W", "-f", "${Status}", p])
            XCTAssertTrue(status.stdout.contains("install ok installed"), "\(p): not a Debian package installed here: \(status.stderr)")
        }
        let needed = try shell("readelf", ["-d", folio]).stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("(NEEDED)"), let l = line.range(of: "["), let r = line.range(of: "]") else { return nil }
            return String(line[l.upperBound..<r.lowerBound])
        }
        XCTAssertGreaterThan(needed.count, 10)
        // And the libraries it loads when first used (CLazyGraphics), which readelf cannot see.
        let lazy = try String(contentsOfFile: root + "/Sources/CLazyGraphics/lazy_graphics.c", encoding: .utf8)
        let opened = try NSRegularExpression(pattern: #"^LIBRARY\(\w+, "([^"]+)""#, options: .anchorsMatchLines)
            .matches(in: lazy, range: NSRange(lazy.startIndex..., in: lazy)).map { String(lazy[Range($0.range(at: 1), in: lazy)!]) }
        XCTAssertEqual(opened.count, 3, "poppler-glib, librsvg, gdk-pixbuf")
        XCTAssertTrue(Set(opened).isDisjoint(with: needed), "loaded on first use, not at start: \(opened)")
        let libraries = try shell("/sbin/ldconfig", ["-p"]).stdout
        for lib in needed + opened where !lib.hasPrefix("libswift") && !lib.hasPrefix("libFoundation") && !["libdispatch.so", "libBlocksRuntime.so"].contains(lib)
            && !lib.hasPrefix("libc.so") && !lib.hasPrefix("libm.so") && !lib.hasPrefix("ld-linux") {
            let line = try XCTUnwrap(libraries.split(separator: "\n").first { $0.contains(lib + " (") }, "\(lib) not found by ldconfig")
            let path = String(line.split(separator: ">").last!).trimmingCharacters(in: .whitespaces)
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            // Debian 12 merges /lib into /usr/lib; dpkg knows each file by the path its package has.
            var owner = try shell("dpkg", ["-S", real])
            if owner.status != 0 { owner = try shell("dpkg", ["-S", real.replacingOccurrences(of: "/usr/lib/", with: "/lib/")]) }
            let package = String(owner.stdout.split(separator: ":").first ?? "")
            // libc6 is essential: every Debian image has it (libresolv, which the AddressSanitizer build links, is in it).
            XCTAssertTrue(packages.contains(package) || package == "libc6", "\(lib) comes from \(package), which the Containerfile does not install")
        }
        for copied in ["fonts", "layouts"] { XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/" + copied)) }
    }
}
