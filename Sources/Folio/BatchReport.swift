/// `batch-report.json`: one entry per article (status, pages, seconds, warnings, errors, input
/// fingerprint, output) and a summary. Shards write `batch-report-K-of-N.json`; `folio batch
/// --merge-reports DIR` joins them.
import FolioCore
import FolioRender
import Foundation

public struct ArticleResult: Sendable, Codable {
    public enum Status: String, Sendable, Codable { case ok, failed, unchanged, interrupted, skipped }
    public var file: String
    public var status: Status = .ok
    public var output: String?
    public var pages = 0
    public var seconds = 0.0
    public var fingerprint = ""
    public var diagnostics: [Diagnostic] = []
    public init(file: String) { self.file = file }

    public var json: [String: Any] {
        var e: [String: Any] = ["file": (file as NSString).lastPathComponent, "path": file, "status": status.rawValue, "pages": pages, "input_hash": fingerprint,
                                "seconds": (seconds * 1000).rounded() / 1000,
                                "warnings": diagnostics.filter { $0.severity != .error }.map(\.description),
                                "errors": diagnostics.filter { $0.severity == .error }.map(\.description)]
        if let output { e["output"] = output }
        return e
    }
}

public enum BatchReport {
    public static func fileName(for shard: Shard) -> String {
        shard.count > 1 ? "batch-report-\(shard.index)-of-\(shard.count).json" : "batch-report.json"
    }

    /// Fingerprints of articles a previous run printed successfully, by input file.
    public static func previous(in folder: String, shard: Shard) -> [String: (fingerprint: String, output: String, pages: Int)] {
        let path = (folder as NSString).appendingPathComponent(fileName(for: shard))
        guard let bytes = try? RegularFile.read(path),
              let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let entries = root["articles"] as? [[String: Any]] else { return [:] }
        var out: [String: (String, String, Int)] = [:]
        for e in entries {
            guard let status = e["status"] as? String, status == "ok" || status == "unchanged",
                  let file = e["file"] as? String, let hash = e["input_hash"] as? String, let output = e["output"] as? String else { continue }
            out[file] = (hash, output, e["pages"] as? Int ?? 0)
        }
        return out
    }

    public static func write(_ results: [ArticleResult], to folder: String, shard: Shard, archive: String, seconds: Double) throws {
        var counts: [String: Int] = [:]
        for r in results { counts[r.status.rawValue, default: 0] += 1 }
        let root: [String: Any] = [
            "folio": FolioVersion.string, "shard": shard.description, "archive": RegularFile.resolved(archive), "seconds": (seconds * 1000).rounded() / 1000,
            "summary": counts, "pages": results.reduce(0) { $0 + $1.pages }, "articles": results.map(\.json),
        ]
        try writeJSON(root, to: (folder as NSString).appendingPathComponent(fileName(for: shard)))
    }

    public static func writeJSON(_ root: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data, to: path)
    }

    /// Joins the shard reports of `folder` into `batch-report.json`. The set must be complete
    /// and of one run: every shard 1…N of one shard count (`shardCount`, or the one count all
    /// reports share) and one archive; a missing shard, reports of another shard count or
    /// archive, or an article in two reports is an error that names them. Articles are
    /// identified by their name in the archive folder.
    public static func merge(in folder: String, shardCount: Int? = nil) throws -> (articles: Int, failed: Int) {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("batch-report-") && $0.hasSuffix(".json") }
        var reports: [Int: [(index: Int, name: String)]] = [:]
        for name in names {
            let parts = name.dropFirst("batch-report-".count).dropLast(".json".count).components(separatedBy: "-of-").compactMap { Int($0) }
            guard parts.count == 2, (1...parts[1]).contains(parts[0]) else { continue }
            reports[parts[1], default: []].append((parts[0], name))
        }
        guard !reports.isEmpty else { throw FolioError("no shard reports (batch-report-K-of-N.json) in \(folder)") }
        let count: Int
        if let shardCount {
            count = shardCount
        } else {
            guard reports.count == 1, let only = reports.keys.first else {
                let kinds = reports.keys.sorted().map { "\(reports[$0]!.count) of \($0) shards" }.joined(separator: ", ")
                throw FolioError("\(folder) holds shard reports of different runs (\(kinds)); remove the stale ones or pass --shard-count N")
            }
            count = only
        }
        let chosen = (reports[count] ?? []).sorted { $0.index < $1.index }
        let missing = Set(1...count).subtracting(chosen.map(\.index)).sorted()
        guard missing.isEmpty else {
            throw FolioError("the shard reports in \(folder) are incomplete: shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) of \(count) \(missing.count == 1 ? "is" : "are") missing (batch-report-\(missing[0])-of-\(count).json); run \(missing.count == 1 ? "it" : "them") first")
        }
        var articles: [[String: Any]] = []
        var seen: [String: String] = [:]
        var archive: String?
        var seconds = 0.0
        for (_, name) in chosen {
            guard let bytes = try? RegularFile.read((folder as NSString).appendingPathComponent(name)),
                  let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw FolioError("cannot read the shard report \(name) (not a Folio report?)")
            }
            let theirs = root["archive"] as? String ?? ""
            if let archive, archive != theirs {
                throw FolioError("\(name) reports on the archive \(theirs), the other shards on \(archive); merge reports of one archive")
            }
            archive = theirs
            for a in root["articles"] as? [[String: Any]] ?? [] {
                let file = a["file"] as? String ?? "?"
                if let other = seen[file] { throw FolioError("the article \(file) is in both \(other) and \(name); the reports are not of one sharded run") }
                seen[file] = name
                articles.append(a)
            }
            seconds = max(seconds, root["seconds"] as? Double ?? 0)
        }
        articles.sort { ($0["file"] as? String ?? "") < ($1["file"] as? String ?? "") }
        var counts: [String: Int] = [:]
        for a in articles { counts[a["status"] as? String ?? "?", default: 0] += 1 }
        try writeJSON(["folio": FolioVersion.string, "shards": chosen.map(\.name), "archive": archive ?? "", "seconds": seconds, "summary": counts,
                       "pages": articles.reduce(0) { $0 + ($1["pages"] as? Int ?? 0) }, "articles": articles],
                      to: (folder as NSString).appendingPathComponent("batch-report.json"))
        return (articles.count, counts["failed"] ?? 0)
    }
}

