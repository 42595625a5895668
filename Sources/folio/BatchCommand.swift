import ArgumentParser
import Dispatch
import FolioCore
import FolioInput
import FolioText
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

    @Option(help: "Articles printed at the same time (default: the number of cores).")
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
            let templatePath = try Resources.templatePath(common)
            let fontConfig = try Resources.fontConfig(common)
            let items = try BatchPlan.items(in: folder, shard: shard, templatePath: templatePath, version: Folio.versionString)
            let inputs = try checkOutputs(folder: folder, output: output, shard: shard, templatePath: templatePath, fontConfig: fontConfig)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            AtomicFile.removeStalePartials(in: output)
            let previous = force ? [:] : BatchReport.previous(in: output, shard: shard)
            var lenient = common.inputOptions
            lenient.allowMissingImages = true   // archives often lack images: placeholders, reported
            let options = lenient

            let results = BatchResults(count: items.count)
            let progress = Progress(total: items.count)
            let stop = SignalHandling(outputFolders: [output] + (volume.map { [URL(fileURLWithPath: $0).deletingLastPathComponent().path] } ?? []),
                                      graceful: true)
            let next = BatchResults.Counter()
            DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
                // One font system per worker: Pango objects are not thread-safe.
                var pipeline: Pipeline?
                var setupError: Error?
                while !stop.stopRequested, let i = next.take(below: items.count) {
                    let item = items[i]
                    var result: ArticleResult
                    let out = (output as NSString).appendingPathComponent(item.outputName)
                    if let p = previous[item.name], p.fingerprint == item.fingerprint, p.output == out,
                       FileManager.default.fileExists(atPath: out) {
                        result = ArticleResult(file: item.file)
                        result.status = .unchanged
                        result.output = out
                        result.pages = p.pages
                        result.fingerprint = item.fingerprint
                    } else {
                        if pipeline == nil && setupError == nil {
                            do { pipeline = try Pipeline(fontConfig: fontConfig, templatePath: templatePath, common: common) } catch { setupError = error }
                        }
                        result = printOne(item, to: out, pipeline: pipeline, setupError: setupError, options: options, inputs: inputs)
                    }
                    results.set(i, result)
                    progress.advance(result)
                }
            }
            var all = results.all(files: items.map(\.file))
            interrupted = stop.stopRequested
            for r in all where r.status == .failed || verbose { printDiagnostics(r.diagnostics) }
            failed = all.filter { $0.status == .failed }.count
            try BatchReport.write(all, to: output, shard: shard, archive: folder, seconds: -start.timeIntervalSinceNow)
            if let volume, !interrupted {
                let good = all.filter { $0.status == .ok || $0.status == .unchanged }.map(\.file)
                try bindVolume(good, to: volume, folder: folder, fontConfig: fontConfig, templatePath: templatePath, options: options)
            }
            all.removeAll { $0.status == .interrupted }
            summarize(all, total: items.count, output: output, shard: shard, seconds: -start.timeIntervalSinceNow)
        }
        if interrupted { throw ExitCode(130) }
        if failed > 0 { throw ExitCode(1) }
    }

    /// One PDF of all the good articles, sorted by date, in sections by month, with a contents
    /// page and an outline.
    private func bindVolume(_ files: [String], to path: String, folder: String, fontConfig: String, templatePath: String,
                            options: InputOptions) throws {
        let pipeline = try Pipeline(fontConfig: fontConfig, templatePath: templatePath, common: common)
        var articles: [Article] = []
        for f in files {
            guard let loaded = try? Pipeline.loadIssue(f, options: options, archive: pipeline.template.archive) else { continue }
            articles += loaded.issue.articles
        }
        guard !articles.isEmpty else { throw FolioError("--volume: no article was printed, so there is nothing to bind") }
        articles.sort { ($0.meta.date ?? "9999", $0.id) < ($1.meta.date ?? "9999", $1.id) }
        var sections: [Section] = []
        for a in articles {
            let month = a.meta.date.map { d -> String in
                let parts = d.split(separator: "-")
                return parts.count >= 2 ? "\(parts[0])年\(Int(parts[1]) ?? 0)月" : d
            } ?? "未注明日期"
            if sections.last?.title == month { sections[sections.count - 1].articles.append(a) } else {
                sections.append(Section(title: month, articles: [a]))
            }
        }
        let name = URL(fileURLWithPath: folder).lastPathComponent
        let dates = articles.compactMap(\.meta.date)
        let label = dates.isEmpty ? "" : "\(dates.first!)—\(dates.last!)"
        let issue = Issue(magazine: articles.first?.meta.kicker ?? name, label: label, date: dates.last, sections: sections)
        let composed = try pipeline.renderPDF(issue, to: path, date: documentDate(issueDate: issue.date), workers: jobs)
        Swift.print("bound \(articles.count) articles into \(path): \(composed.pageCount) pages")
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

    private func printOne(_ item: BatchItem, to out: String, pipeline: Pipeline?, setupError: Error?, options: InputOptions,
                          inputs: InputSet) -> ArticleResult {
        let start = ContinuousClock.now
        var result = ArticleResult(file: item.file)
        result.fingerprint = item.fingerprint
        do {
            if let setupError { throw setupError }
            guard let pipeline else { throw FolioError("no font system") }
            let loaded = try Pipeline.loadIssue(item.file, options: options, archive: pipeline.template.archive)
            var articleInputs = inputs
            for f in loaded.issue.sourceFiles { articleInputs.add(file: f) }
            try articleInputs.checkOutput(out, what: "the PDF", insideFoldersAllowed: allowOutputInInput)
            let composed = try pipeline.renderPDF(loaded.issue, to: out, date: documentDate(issueDate: loaded.issue.date), workers: 1)
            result.output = out
            result.pages = composed.articlePages.first.map { $0.pages.count } ?? 0
            result.diagnostics = loaded.warnings + composed.diagnostics
        } catch let e as FolioError {
            result.status = .failed
            result.diagnostics = e.diagnostics
        } catch {
            result.status = .failed
            result.diagnostics = [.error("\(error)", at: SourceLocation(file: item.file))]
        }
        let d = (ContinuousClock.now - start).components
        result.seconds = Double(d.seconds) + Double(d.attoseconds) / 1e18
        return result
    }

    private func summarize(_ all: [ArticleResult], total: Int, output: String, shard: Shard, seconds: Double) {
        var counts: [ArticleResult.Status: Int] = [:]
        for r in all { counts[r.status, default: 0] += 1 }
        let pages = all.reduce(0) { $0 + $1.pages }
        let warned = all.filter { r in r.diagnostics.contains { $0.severity == .warning } }.count
        print("""
        status       articles
        printed      \(counts[.ok] ?? 0)
        unchanged    \(counts[.unchanged] ?? 0)
        failed       \(counts[.failed] ?? 0)
        not started  \(total - all.count)
        \(pages) pages, \(warned) articles with warnings, \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", Double(all.count) / max(seconds, 0.001))) articles/s)\(shard.count > 1 ? ", shard \(shard)" : "")
        report: \((output as NSString).appendingPathComponent(BatchReport.fileName(for: shard)))
        """)
    }
}

/// Results of parallel workers, kept in input order.
final class BatchResults: @unchecked Sendable {
    private var results: [ArticleResult?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: ArticleResult) { lock.lock(); results[i] = r; lock.unlock() }

    /// Every article in order; those never started are marked interrupted.
    func all(files: [String]) -> [ArticleResult] {
        lock.lock(); defer { lock.unlock() }
        return results.enumerated().map { i, r in
            r ?? { var x = ArticleResult(file: files[i]); x.status = .interrupted; return x }()
        }
    }

    /// Hands out article indices to workers.
    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below limit: Int) -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
