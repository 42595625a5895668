/// Printing an archive folder, one PDF per article, N at a time, surviving bad articles; and
/// binding the printed articles into one volume. Each worker has its own `Pipeline` (Pango is
/// not thread-safe); a bad article is its own failure, never the batch's.
import Dispatch
import FolioCompose
import FolioCore
import FolioInput
import FolioRender
import Foundation

/// One batch run over planned items (`BatchPlan.items`).
public struct BatchRun: Sendable {
    public var items: [BatchItem]
    public var output: String
    public var jobs: Int
    /// What an earlier run printed, by article name: unchanged articles are skipped.
    public var previous: [String: (fingerprint: String, output: String, pages: Int)] = [:]
    public var fontConfig: String
    public var templatePath: String
    public var setup: Setup
    /// Every file the batch reads; each article's PDF is checked against them and its images.
    public var inputs: InputSet
    public var allowOutputInInput = false
    /// How to start a worker process (`[folio, "batch-worker"]`): with more than one job, articles
    /// are printed in that many processes (BatchWorkers.swift); nil: threads of this process.
    public var workerCommand: [String]?

    public init(items: [BatchItem], output: String, jobs: Int, fontConfig: String, templatePath: String, setup: Setup, inputs: InputSet) {
        self.items = items; self.output = output; self.jobs = jobs; self.fontConfig = fontConfig
        self.templatePath = templatePath; self.setup = setup; self.inputs = inputs
        // Archives often lack their images: placeholders, reported.
        self.setup.input.allowMissingImages = true
    }

    /// Prints every item (workers take the next one until `shouldStop`); `progress` hears of
    /// each result as it comes. Results are in item order; those never started are `interrupted`.
    public func run(shouldStop: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (ArticleResult) -> Void) -> [ArticleResult] {
        let results = BatchResults(count: items.count)
        let next = BatchResults.Counter()
        let command = workerCommand
        // With several jobs the cores are theirs: one article's pieces are not spread.
        let cores = Parallel.cores
        if jobs > 1 { Parallel.cores = 1 }
        defer { Parallel.cores = cores }
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, items.count))) { k in
            // This process prints with one thread; with a worker command, the other jobs are worker
            // processes (each its own caches: no lock between them), else threads here.
            if k > 0, let command {
                printInWorker(command, next: next, results: results, shouldStop: shouldStop, progress: progress)
            } else {
                printHere(next: next, results: results, shouldStop: shouldStop, progress: progress)
            }
        }
        return results.all(files: items.map(\.file))
    }

    /// Takes articles until none is left (or a stop): an unchanged one is reported as such, the
    /// others printed by `print` (given the article's index, the item and its PDF's path).
    func takeArticles(next: BatchResults.Counter, results: BatchResults, shouldStop: @escaping @Sendable () -> Bool,
                      progress: @escaping @Sendable (ArticleResult) -> Void, print: (Int, BatchItem, String) -> ArticleResult) {
        while !shouldStop(), let i = next.take(below: items.count) {
            let item = items[i]
            let out = (output as NSString).appendingPathComponent(item.outputName)
            let result = unchangedResult(item, out) ?? print(i, item, out)
            results.set(i, result)
            progress(result)
        }
    }

    /// Prints articles in this process. One font system per thread: Pango objects are not thread-safe.
    private func printHere(next: BatchResults.Counter, results: BatchResults, shouldStop: @escaping @Sendable () -> Bool,
                           progress: @escaping @Sendable (ArticleResult) -> Void) {
        var pipeline: Pipeline?
        var setupError: Error?
        takeArticles(next: next, results: results, shouldStop: shouldStop, progress: progress) { _, item, out in
            if pipeline == nil && setupError == nil {
                do { pipeline = try Pipeline(fontConfig: fontConfig, templatePath: templatePath, setup: setup) } catch { setupError = error }
                pipeline?.resources.manyDocuments = true
            }
            return printOne(item, to: out, pipeline: pipeline, setupError: setupError)
        }
    }

    /// The result of an article an earlier run printed from the same input, if its PDF is there.
    func unchangedResult(_ item: BatchItem, _ out: String) -> ArticleResult? {
        guard let p = previous[item.name], p.fingerprint == item.fingerprint, p.output == out,
              FileManager.default.fileExists(atPath: out) else { return nil }
        var result = ArticleResult(file: item.file)
        result.status = .unchanged
        result.output = out
        result.pages = p.pages
        result.fingerprint = item.fingerprint
        return result
    }

    func printOne(_ item: BatchItem, to out: String, pipeline: Pipeline?, setupError: Error?) -> ArticleResult {
        let start = ContinuousClock.now
        var result = ArticleResult(file: item.file)
        result.fingerprint = item.fingerprint
        do {
            if let setupError { throw setupError }
            guard let pipeline else { throw FolioError("no font system") }
            let loaded = try Pipeline.loadIssue(item.file, options: setup.input, archive: pipeline.template.archive)
            if !loaded.issue.articles.isEmpty, loaded.issue.articles.allSatisfy(\.meta.draft) {
                // Hugo's `draft: true`: not published, so not printed; said once, in the report too.
                result.status = .skipped
                result.diagnostics = [Diagnostic(.note, "skipped: the front matter says 'draft: true'", at: SourceLocation(file: item.file, line: 1), code: "draft")]
                return result
            }
            var articleInputs = inputs
            for f in loaded.issue.sourceFiles { articleInputs.add(file: f) }
            try articleInputs.checkOutput(out, what: "the PDF", insideFoldersAllowed: allowOutputInInput)
            // Archive PDFs are read online: linearized, the first page before the rest arrives.
            let composed = try pipeline.renderPDF(loaded.issue, to: out, date: documentDate(issueDate: loaded.issue.date), workers: 1,
                                                  options: PDFOptions(linearize: true))
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
        result.seconds = (ContinuousClock.now - start).seconds
        return result
    }

}

extension Pipeline {
    /// One PDF of all the good articles, sorted by date, in sections by month, with a contents
    /// page and an outline.
    /// Returns the number of articles bound and of pages.
    @discardableResult
    public func bindVolume(_ files: [String], to path: String, folder: String, options: InputOptions, workers: Int) throws -> (articles: Int, pages: Int) {
        let pipeline = self
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
        let composed = try pipeline.renderPDF(issue, to: path, date: documentDate(issueDate: issue.date), workers: workers)
        return (articles.count, composed.pageCount)
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
