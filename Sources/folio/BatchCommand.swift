import ArgumentParser
import Dispatch
import FolioCore
import FolioInput
import FolioText
import Foundation

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every article of a folder (an archive section) as its own PDF, in parallel.",
        discussion: "A bad article is reported and skipped; the others are printed. batch-report.json in the output folder lists each article's result.")

    @Argument(help: "A folder of Markdown articles (.md).")
    var folder: String

    @Option(name: .shortAndLong, help: "The output folder.")
    var output: String

    @Option(help: "Articles printed at the same time (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var common: CommonOptions

    func run() throws {
        var failed = 0
        try reportingErrors {
            guard jobs >= 1 && jobs <= 64 else { throw FolioError("--jobs must be from 1 to 64") }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                throw FolioError("\(folder) is not a folder")
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.lowercased().hasSuffix(".md") }.sorted()
                .map { (folder as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw FolioError("\(folder) holds no Markdown articles (.md)") }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let fontConfig = try Resources.fontConfig(common)
            let templatePath = try Resources.templatePath(common)
            // Archives often lack images: print placeholders and say so in the report.
            var lenient = common.inputOptions
            lenient.allowMissingImages = true
            let options = lenient

            let results = BatchResults(count: files.count)
            let workers = min(jobs, files.count)
            let next = BatchResults.Counter()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                // One font system per worker: Pango objects are not thread-safe.
                let pipeline: Pipeline
                do { pipeline = try Pipeline(fontConfig: fontConfig, templatePath: templatePath) } catch {
                    while let i = next.take(below: files.count) { results.set(i, .init(file: files[i], error: error)) }
                    return
                }
                while let i = next.take(below: files.count) {
                    results.set(i, printOne(files[i], pipeline: pipeline, options: options))
                }
            }
            let all = results.all
            for r in all { report(r.diagnostics) }
            failed = all.filter { !$0.ok }.count
            try writeReport(all)
            print("printed \(all.count - failed) of \(all.count) articles to \(output)\(failed > 0 ? "; \(failed) failed (see above and batch-report.json)" : "")")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func printOne(_ file: String, pipeline: Pipeline, options: InputOptions) -> ArticleResult {
        let start = ContinuousClock.now
        var result = ArticleResult(file: file)
        do {
            let loaded = try Pipeline.loadIssue(file, options: options)
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".pdf"
            let out = (output as NSString).appendingPathComponent(name)
            let composed = try pipeline.renderPDF(loaded.issue, to: out, date: documentDate(issueDate: loaded.issue.date), workers: 1)
            result.output = out
            result.pages = composed.articlePages.first.map { $0.pages.count } ?? 0
            result.diagnostics = loaded.warnings + composed.diagnostics
        } catch let e as FolioError {
            result.ok = false
            result.diagnostics = e.diagnostics
        } catch {
            result.ok = false
            result.diagnostics = [.error("\(error)", at: SourceLocation(file: file))]
        }
        let d = (ContinuousClock.now - start).components
        result.seconds = Double(d.seconds) + Double(d.attoseconds) / 1e18
        return result
    }

    private func writeReport(_ results: [ArticleResult]) throws {
        let entries: [[String: Any]] = results.map { r in
            var e: [String: Any] = ["file": r.file, "status": r.ok ? "ok" : "failed", "pages": r.pages,
                                    "seconds": (r.seconds * 1000).rounded() / 1000,
                                    "warnings": r.diagnostics.filter { $0.severity == .warning }.map(\.description),
                                    "errors": r.diagnostics.filter { $0.severity == .error }.map(\.description)]
            if let o = r.output { e["output"] = o }
            return e
        }
        let data = try JSONSerialization.data(withJSONObject: ["articles": entries], options: [.prettyPrinted, .sortedKeys])
        let path = URL(fileURLWithPath: output).appendingPathComponent("batch-report.json").path
        let temp = path + ".partial"
        try data.write(to: URL(fileURLWithPath: temp))
        guard rename(temp, path) == 0 else { throw FolioError("cannot write \(path)") }
    }
}

struct ArticleResult: Sendable {
    var file: String
    var ok = true
    var output: String?
    var pages = 0
    var seconds = 0.0
    var diagnostics: [Diagnostic] = []
    init(file: String) { self.file = file }
    init(file: String, error: Error) {
        self.file = file
        ok = false
        diagnostics = (error as? FolioError)?.diagnostics ?? [.error("\(error)", at: SourceLocation(file: file))]
    }
}

/// Results of parallel workers, kept in input order.
final class BatchResults: @unchecked Sendable {
    private var results: [ArticleResult?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: ArticleResult) { lock.lock(); results[i] = r; lock.unlock() }
    var all: [ArticleResult] { lock.lock(); defer { lock.unlock() }; return results.compactMap { $0 } }

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
