/// Batch workers as processes: `folio batch --jobs N` (N > 1) prints with one thread of its own
/// and starts N − 1 copies of itself
/// (`folio batch-worker`) and hands them articles over pipes, one JSON line each way. Each
/// process has its own Pango, Cairo and font caches, so nothing is shared and nothing waits on
/// a lock: Cairo 1.16's glyph cache, which threads must serialise on (`GlyphCacheLock`), is per
/// process. The parent plans, skips unchanged articles, collects results in order and handles
/// signals; a worker that dies (a crash in a C library on a hostile file) fails only the article
/// it was printing, and a new worker takes the rest.
///
/// Protocol (the worker's standard input and output): first line a `WorkerSetup`, then one
/// `WorkerJob` per line; the worker answers each with one `WorkerAnswer` line, and ends at the
/// end of its input. Workers ignore SIGINT/SIGTERM: the parent decides (see `BatchWorkers.killAll`).
import FolioCore
import Foundation

/// What a worker needs to print articles as the parent would.
public struct WorkerSetup: Codable, Sendable {
    public var output: String
    public var fontConfig: String
    public var templatePath: String
    public var allowOutsideImages: Bool
    public var verify: Bool
    public var maxPages: Int
    public var allowOutputInInput: Bool
    public var inputFiles: [String]
    public var inputFolders: [String]
}

struct WorkerJob: Codable { var index: Int; var item: BatchItem }
struct WorkerAnswer: Codable { var index: Int; var result: ArticleResult }

/// The worker processes of this process, so a forced stop can end them with it.
public enum BatchWorkers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pids = Set<Int32>()

    static func started(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    static func ended(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }

    /// Kills every worker and waits for them (so their partial files belong to ended processes,
    /// which `AtomicFile.removeStalePartials` then removes). For the second signal.
    public static func killAll() {
        for pid in lock.withLock({ pids }) {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// The worker's side: reads the setup and jobs from standard input, prints each article and
    /// writes its result to standard output, until the input ends.
    public static func serve() throws {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        Parallel.cores = 1   // the batch's other jobs have the other cores
        guard let first = readLine(), let setup = try? JSONDecoder().decode(WorkerSetup.self, from: Data(first.utf8)) else {
            throw FolioError("batch-worker: expected the setup line on standard input")
        }
        var s = Setup()
        s.input.allowOutsideImages = setup.allowOutsideImages
        s.verify = setup.verify
        s.maxPages = setup.maxPages
        var run = BatchRun(items: [], output: setup.output, jobs: 1, fontConfig: setup.fontConfig, templatePath: setup.templatePath,
                           setup: s, inputs: InputSet(files: setup.inputFiles, folders: setup.inputFolders))
        run.allowOutputInInput = setup.allowOutputInInput
        var pipeline: Pipeline?
        var setupError: Error?
        let encoder = JSONEncoder()
        while let line = readLine() {
            guard let job = try? JSONDecoder().decode(WorkerJob.self, from: Data(line.utf8)) else { continue }
            if pipeline == nil && setupError == nil {
                do { pipeline = try Pipeline(fontConfig: setup.fontConfig, templatePath: setup.templatePath, setup: run.setup) } catch { setupError = error }
                pipeline?.resources.manyDocuments = true
            }
            let out = (setup.output as NSString).appendingPathComponent(job.item.outputName)
            let result = run.printOne(job.item, to: out, pipeline: pipeline, setupError: setupError)
            var answer = try encoder.encode(WorkerAnswer(index: job.index, result: result))
            answer.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(answer)
        }
    }
}

/// One worker process seen from the parent.
final class WorkerProcess {
    let process = Process()
    private let input = Pipe(), output = Pipe()
    private var buffer = Data()

    init(command: [String], setup: WorkerSetup) throws {
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        BatchWorkers.started(process.processIdentifier)
        try send(setup)
    }

    private func send<T: Encodable>(_ value: T) throws {
        var line = try JSONEncoder().encode(value)
        line.append(UInt8(ascii: "\n"))
        try input.fileHandleForWriting.write(contentsOf: line)
    }

    /// Prints `item` in the worker; nil if the worker died before answering.
    func print(_ index: Int, _ item: BatchItem) -> ArticleResult? {
        do { try send(WorkerJob(index: index, item: item)) } catch { return nil }
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<nl]
                buffer.removeSubrange(...nl)
                if let answer = try? JSONDecoder().decode(WorkerAnswer.self, from: Data(line)), answer.index == index { return answer.result }
                continue
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }   // the worker ended
            buffer.append(chunk)
        }
    }

    /// Ends the worker: its input closes, it finishes and exits.
    func finish() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        BatchWorkers.ended(process.processIdentifier)
    }

    /// How the worker ended, for the article it was printing.
    var ending: String {
        process.waitUntilExit()
        BatchWorkers.ended(process.processIdentifier)
        return process.terminationReason == .uncaughtSignal ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
    }
}

extension BatchRun {
    /// The setup line for workers: what this run was given.
    var workerSetup: WorkerSetup {
        let paths = inputs.paths
        return WorkerSetup(output: output, fontConfig: fontConfig, templatePath: templatePath,
                           allowOutsideImages: setup.input.allowOutsideImages, verify: setup.verify, maxPages: setup.maxPages,
                           allowOutputInInput: allowOutputInInput, inputFiles: paths.files, inputFolders: paths.folders)
    }

    /// Prints articles in a worker process started with `command` (and another if one dies).
    func printInWorker(_ command: [String], next: BatchResults.Counter, results: BatchResults, shouldStop: @escaping @Sendable () -> Bool,
                       progress: @escaping @Sendable (ArticleResult) -> Void) {
        let setup = workerSetup
        var worker: WorkerProcess?
        takeArticles(next: next, results: results, shouldStop: shouldStop, progress: progress) { i, item, _ in
            if worker == nil { worker = try? WorkerProcess(command: command, setup: setup) }
            if let w = worker, let r = w.print(i, item) { return r }
            // The worker died on this article: it alone fails; a new worker goes on.
            var result = ArticleResult(file: item.file)
            result.status = .failed
            result.fingerprint = item.fingerprint
            let how = worker.map(\.ending) ?? "could not be started"
            AtomicFile.removeStalePartials(in: output)   // what the dead worker was writing
            result.diagnostics = [Diagnostic(.error, "the worker process printing this article \(how); the rest of the batch goes on",
                                             at: SourceLocation(file: item.file), code: "worker-crash")]
            worker = nil
            return result
        }
        worker?.finish()
    }
}
