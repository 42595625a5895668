/// `folio batch` as the library does it: the shard resolved, the outputs checked against every
/// input, the articles printed (`BatchRun`), the report written, the volume bound; and the
/// summary a person reads. The caller parses arguments and prints.
import FolioCore
import FolioInput
import Foundation

public struct BatchJob {
    public var folder: String
    public var output: String
    public var jobs: Int
    /// `--shard K/N`, or `--shard-count N` with the index from the scheduler's environment.
    public var shard: String?
    public var shardCount: Int?
    /// Print unchanged articles again.
    public var force = false
    /// Bind every printed article into this PDF.
    public var volume: String?
    public var allowOutputInInput = false
    /// The `batch-worker` command line of worker processes (nil: threads in this process).
    public var workerCommand: [String]?
    public init(folder: String, output: String, jobs: Int) { self.folder = folder; self.output = output; self.jobs = jobs }

    /// Prints the archive; `started` hears how many articles the shard has, `stop` is asked
    /// between articles (a first SIGINT), `progress` hears each result.
    public func run(setup: Setup, started: (Int) -> Void = { _ in }, stop: @escaping @Sendable () -> Bool,
                    progress: @escaping @Sendable (ArticleResult) -> Void) throws -> BatchOutcome {
        let start = Date()
        let shard = try resolvedShard(ProcessInfo.processInfo.environment)
        let templatePath = try Resources.templatePath(setup.template)
        let fontConfig = try Resources.fontConfig(setup.fonts)
        let items = try BatchPlan.items(in: folder, shard: shard, templatePath: templatePath,
                                        setup: BatchPlan.setupStamp(version: FolioVersion.string, fontConfig: fontConfig))
        let inputs = try checkedInputs(shard: shard, templatePath: templatePath, fontConfig: fontConfig)
        started(items.count)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        AtomicFile.removeStalePartials(in: output)
        var run = BatchRun(items: items, output: output, jobs: jobs, fontConfig: fontConfig, templatePath: templatePath, setup: setup, inputs: inputs)
        run.previous = force ? [:] : BatchReport.previous(in: output, shard: shard)
        run.allowOutputInInput = allowOutputInInput
        run.workerCommand = workerCommand
        var outcome = BatchOutcome(results: run.run(shouldStop: stop, progress: progress), total: items.count, shard: shard,
                                   report: (output as NSString).appendingPathComponent(BatchReport.fileName(for: shard)))
        outcome.interrupted = stop()
        try BatchReport.write(outcome.results, to: output, shard: shard, archive: folder, seconds: -start.timeIntervalSinceNow)
        if let volume, !outcome.interrupted {
            let good = outcome.results.filter { $0.status == .ok || $0.status == .unchanged }.map(\.file)
            outcome.bound = try Pipeline(fontConfig: fontConfig, templatePath: templatePath, setup: run.setup)
                .bindVolume(good, to: volume, folder: folder, options: run.setup.input, workers: jobs)
        }
        outcome.results.removeAll { $0.status == .interrupted }
        outcome.seconds = -start.timeIntervalSinceNow
        return outcome
    }

    /// What is wrong with a batch command line before anything runs (a usage error), or nil:
    /// the folders, the job count, the shard's spelling, and --shard with --shard-count.
    public static func usageProblem(folder: String?, output: String?, jobs: Int, shard: String?, shardCount: Int?,
                                    merging: Bool) -> String? {
        if !merging && (folder == nil || output == nil) { return "give an archive folder and -o OUTPUT_FOLDER (or --merge-reports FOLDER)" }
        if !(1...64).contains(jobs) { return "--jobs must be from 1 to 64" }
        if let s = shard, Shard(s) == nil { return Self.shardSpelling }
        if let n = shardCount, n < 1 { return "--shard-count must be at least 1" }
        if shard != nil && shardCount != nil && !merging {
            return "give either --shard K/N or --shard-count N (with the index from the job scheduler), not both"
        }
        return nil
    }
    static let shardSpelling = "--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/4"

    /// The folders a batch writes in (for the signal handler's clean-up).
    public var outputFolders: [String] { [output] + (volume.map { [parentFolder($0)] } ?? []) }

    func resolvedShard(_ environment: [String: String]) throws -> Shard {
        if let s = shard {
            guard let parsed = Shard(s) else { throw FolioError(Self.shardSpelling) }
            return parsed
        }
        if let n = shardCount { return try Shard.fromEnvironment(environment, count: n) }
        return .all
    }

    /// The files and the folder a batch reads; the output folder, report and volume are
    /// checked against them before anything is printed.
    private func checkedInputs(shard: Shard, templatePath: String, fontConfig: String) throws -> InputSet {
        var inputs = InputSet()
        inputs.add(folder: folder)
        for f in [templatePath, fontConfig] + BatchPlan.articleFiles(in: folder) { inputs.add(file: f) }
        let allowed = allowOutputInInput
        try inputs.checkOutput(output, what: "the output folder", folderExpected: true, insideFoldersAllowed: allowed)
        try inputs.checkOutput((output as NSString).appendingPathComponent(BatchReport.fileName(for: shard)), what: "the batch report",
                               insideFoldersAllowed: allowed)
        if let volume { try inputs.checkOutput(volume, what: "the volume", insideFoldersAllowed: allowed) }
        return inputs
    }
}

/// What a batch did: each article's result (the interrupted ones left out), and the volume.
public struct BatchOutcome {
    public var results: [ArticleResult]
    /// Articles in the shard.
    public var total: Int
    public var shard: Shard
    public var report: String
    public var interrupted = false
    public var bound: (articles: Int, pages: Int)?
    public var seconds = 0.0

    public var failed: Int { results.filter { $0.status == .failed }.count }

    /// The summary for people: articles by status, pages and speed, warnings by kind with the
    /// first places each was seen (all of them are in the report), the report's path.
    public func summary(verbose: Bool) -> String {
        var counts: [ArticleResult.Status: Int] = [:]
        for r in results { counts[r.status, default: 0] += 1 }
        let pages = results.reduce(0) { $0 + $1.pages }
        let printed = (counts[.ok] ?? 0) + (counts[.failed] ?? 0)
        var byKind: [String: [Diagnostic]] = [:]
        for r in results { for d in r.diagnostics where d.severity == .warning { byKind[d.code ?? "other", default: []].append(d) } }
        var lines = ["status       articles", "printed      \(counts[.ok] ?? 0)", "unchanged    \(counts[.unchanged] ?? 0)",
                     "drafts       \(counts[.skipped] ?? 0) (skipped: draft: true)",
                     "failed       \(counts[.failed] ?? 0)", "not started  \(total - results.count)"]
        let rate = printed > 0 ? String(format: ", %.1f articles/s", Double(printed) / max(seconds, 0.001)) : ""
        lines.append("\(plural(pages, "page")), \(String(format: "%.1f", seconds)) s\(rate)\(shard.count > 1 ? ", shard \(shard)" : "")")
        if !byKind.isEmpty && !verbose {
            lines.append("warnings (--verbose prints them all):")
            for (kind, ds) in byKind.sorted(by: { $0.value.count > $1.value.count }) {
                let places = ds.prefix(3).compactMap { $0.location.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" } }
                lines.append("  \(kind): \(ds.count)" + (places.isEmpty ? "" : " (\(places.joined(separator: ", "))\(ds.count > 3 ? ", …" : ""))"))
            }
        }
        lines.append("report: \(report)")
        return lines.joined(separator: "\n")
    }
}
