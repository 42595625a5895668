import ArgumentParser
import Folio
import FolioCore
import FolioInput
import Foundation

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every article of an archive folder (Markdown or archived web text) as its own PDF, in parallel.",
        discussion: """
        A bad article is reported and the rest are printed; the exit status is 1 if any failed.
        batch-report.json in the output folder lists each article's status, pages, seconds,
        warnings and input fingerprint. Re-running skips articles whose input, template and
        Folio version are unchanged. Ctrl-C finishes the PDFs being written, leaves no partial
        file and writes the report; the next run does the rest.

        Sharding: --shard K/N prints the articles of shard K of N (each article belongs to exactly
        one shard). Under a Kubernetes Indexed Job or a Slurm array, give --shard-count N and the
        shard comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID. Shards write
        batch-report-K-of-N.json; `folio batch --merge-reports OUT_DIR` joins them.
        """)

    @Argument(help: "A folder of articles: Markdown (.md) or archived web text (.txt).")
    var folder: String?

    @Option(name: .shortAndLong, help: "The output folder.")
    var output: String?

    @Option(help: "Articles printed at the same time (the default is the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Print only shard K of N (K/N, 1 ≤ K ≤ N).")
    var shard: String?

    @Option(help: "The number of shards when the shard index comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID.")
    var shardCount: Int?

    @Flag(help: "Print every article again, even unchanged ones.")
    var force = false

    @Flag(help: "Also print each article's warnings (they are always in the report).")
    var verbose = false

    @Option(help: "Also bind every printed article, sorted by date, into this one PDF with a contents page and an outline.")
    var volume: String?

    @Option(help: "Join the shard reports of this folder into batch-report.json, and do nothing else.")
    var mergeReports: String?

    @Flag(help: "Allow the output folder or the volume inside the archive folder.")
    var allowOutputInInput = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if mergeReports == nil && (folder == nil || output == nil) {
            throw ValidationError("give an archive folder and -o OUTPUT_FOLDER (or --merge-reports FOLDER)")
        }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 64") }
        if let s = shard, Shard(s) == nil { throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/4") }
        if let n = shardCount, n < 1 { throw ValidationError("--shard-count must be at least 1") }
        if shard != nil && shardCount != nil && mergeReports == nil {
            throw ValidationError("give either --shard K/N or --shard-count N (with the index from the job scheduler), not both")
        }
    }

    func run() throws {
        if let folder = mergeReports {
            try reportingErrors {
                guard RegularFile.kind(folder) == .folder else { throw FolioError("--merge-reports: \(folder) is not a folder") }
                let merged = try BatchReport.merge(in: folder, shardCount: shardCount)
                print("merged the shard reports of \(folder): \(merged.articles) articles, \(merged.failed) failed")
            }
            return
        }
        var failed = 0, interrupted = false
        try reportingErrors {
            guard let folder, let output else { return }
            let start = Date()
            let shard = try resolveShard()
            let templatePath = try Resources.templatePath(common.template)
            let fontConfig = try Resources.fontConfig(common.fonts)
            let items = try BatchPlan.items(in: folder, shard: shard, templatePath: templatePath, version: FolioVersion.string)
            let inputs = try checkOutputs(folder: folder, output: output, shard: shard, templatePath: templatePath, fontConfig: fontConfig)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            AtomicFile.removeStalePartials(in: output)
            var run = BatchRun(items: items, output: output, jobs: jobs, fontConfig: fontConfig, templatePath: templatePath,
                               setup: common.setup, inputs: inputs)
            run.previous = force ? [:] : BatchReport.previous(in: output, shard: shard)
            run.allowOutputInInput = allowOutputInInput
            // More than one job: worker processes (copies of this binary), each with its own caches.
            if let me = Resources.executable { run.workerCommand = [me, "batch-worker"] }
            let progress = Progress(total: items.count)
            let stop = SignalHandling(outputFolders: [output] + (volume.map { [URL(fileURLWithPath: $0).deletingLastPathComponent().path] } ?? []),
                                      graceful: true)
            var all = run.run(shouldStop: { stop.stopRequested }, progress: { progress.advance($0) })
            interrupted = stop.stopRequested
            for r in all where r.status == .failed || verbose { printDiagnostics(r.diagnostics) }
            failed = all.filter { $0.status == .failed }.count
            try BatchReport.write(all, to: output, shard: shard, archive: folder, seconds: -start.timeIntervalSinceNow)
            if let volume, !interrupted {
                let good = all.filter { $0.status == .ok || $0.status == .unchanged }.map(\.file)
                let bound = try Pipeline(fontConfig: fontConfig, templatePath: templatePath, setup: run.setup)
                    .bindVolume(good, to: volume, folder: folder, options: run.setup.input, workers: jobs)
                Console.status("bound \(plural(bound.articles, "article")) into \(volume): \(plural(bound.pages, "page"))")
            }
            all.removeAll { $0.status == .interrupted }
            summarize(all, total: items.count, output: output, shard: shard, seconds: -start.timeIntervalSinceNow)
        }
        if interrupted { throw ExitCode(130) }
        if failed > 0 { throw ExitCode(1) }
    }

    private func resolveShard() throws -> Shard {
        if let s = shard { return Shard(s)! }
        if let n = shardCount { return try Shard.fromEnvironment(ProcessInfo.processInfo.environment, count: n) }
        return .all
    }

    /// The files and the folder a batch reads; the output folder, report and volume are
    /// checked against them before anything is printed.
    private func checkOutputs(folder: String, output: String, shard: Shard, templatePath: String, fontConfig: String) throws -> InputSet {
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

    private func summarize(_ all: [ArticleResult], total: Int, output: String, shard: Shard, seconds: Double) {
        var counts: [ArticleResult.Status: Int] = [:]
        for r in all { counts[r.status, default: 0] += 1 }
        let pages = all.reduce(0) { $0 + $1.pages }
        let printed = (counts[.ok] ?? 0) + (counts[.failed] ?? 0)
        // Warnings by kind, with the first places each was seen (all of them are in the report).
        var byKind: [String: [Diagnostic]] = [:]
        for r in all { for d in r.diagnostics where d.severity == .warning { byKind[d.code ?? "other", default: []].append(d) } }
        var lines = ["status       articles", "printed      \(counts[.ok] ?? 0)", "unchanged    \(counts[.unchanged] ?? 0)",
                     "drafts       \(counts[.skipped] ?? 0) (skipped: draft: true)",
                     "failed       \(counts[.failed] ?? 0)", "not started  \(total - all.count)"]
        let rate = printed > 0 ? String(format: ", %.1f articles/s", Double(printed) / max(seconds, 0.001)) : ""
        lines.append("\(plural(pages, "page")), \(String(format: "%.1f", seconds)) s\(rate)\(shard.count > 1 ? ", shard \(shard)" : "")")
        if !byKind.isEmpty && !verbose {
            lines.append("warnings (--verbose prints them all):")
            for (kind, ds) in byKind.sorted(by: { $0.value.count > $1.value.count }) {
                let places = ds.prefix(3).compactMap { $0.location.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" } }
                lines.append("  \(kind): \(ds.count)" + (places.isEmpty ? "" : " (\(places.joined(separator: ", "))\(ds.count > 3 ? ", …" : ""))"))
            }
        }
        lines.append("report: \((output as NSString).appendingPathComponent(BatchReport.fileName(for: shard)))")
        Console.status(lines.joined(separator: "\n"))
    }
}


/// `folio batch-worker`: prints the articles `folio batch` sends it (see BatchWorkers.swift);
/// not for people, so not in the help.
struct BatchWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch-worker", abstract: "A batch worker process (started by folio batch).",
                                                    shouldDisplay: false)
    func run() throws { try BatchWorkers.serve() }
}
