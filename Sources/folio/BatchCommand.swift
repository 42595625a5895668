import ArgumentParser
#if canImport(CAllocator)
import CAllocator
#endif
import Folio
import FolioCore
import FolioInput
import Foundation

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Print every article of an archive folder (Markdown or archived web text) as its own PDF, in parallel.",
        discussion: """
        A bad article is reported and the rest are printed; the exit status is 1 if any failed. \
        batch-report.json in the output folder lists each article's status, pages, seconds, \
        warnings and input fingerprint. Re-running skips articles whose input, template and \
        Folio version are unchanged. Ctrl-C finishes the PDFs being written, leaves no partial \
        file and writes the report; the next run does the rest.

        Sharding: --shard K/N prints the articles of shard K of N (each article belongs to exactly \
        one shard). Under a Kubernetes Indexed Job or a Slurm array, give --shard-count N and the \
        shard comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID. Shards write \
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
        if let problem = BatchJob.usageProblem(folder: folder, output: output, jobs: jobs, shard: shard, shardCount: shardCount,
                                               merging: mergeReports != nil) { throw ValidationError(problem) }
    }

    func run() throws {
        keepFreedPages()
        if let folder = mergeReports {
            try reportingErrors {
                guard RegularFile.kind(folder) == .folder else { throw FolioError("--merge-reports: \(folder) is not a folder") }
                let merged = try BatchReport.merge(in: folder, shardCount: shardCount)
                print("merged the shard reports of \(folder): \(merged.articles) articles, \(merged.failed) failed")
            }
            return
        }
        var outcome: BatchOutcome?
        try reportingErrors {
            guard let folder, let output else { return }
            var job = BatchJob(folder: folder, output: output, jobs: jobs)
            (job.shard, job.shardCount, job.force, job.volume, job.allowOutputInInput) = (shard, shardCount, force, volume, allowOutputInInput)
            // More than one job: worker processes (copies of this binary), each with its own caches.
            job.workerCommand = Resources.executable.map { [$0, "batch-worker"] }
            let progress = BatchProgress(terminal: isatty(STDERR_FILENO) != 0)
            let stop = SignalHandling(outputFolders: job.outputFolders, graceful: true)
            let done = try job.run(setup: common.setup, started: { progress.total = $0 }, stop: { stop.stopRequested }, progress: { r in
                if !Console.quiet, let text = progress.advance(r) { FileHandle.standardError.write(Data(text.utf8)) }
            })
            for r in done.results where r.status == .failed || verbose { printDiagnostics(r.diagnostics) }
            if let volume, let bound = done.bound { Console.status("bound \(plural(bound.articles, "article")) into \(volume): \(plural(bound.pages, "page"))") }
            Console.status(done.summary(verbose: verbose))
            outcome = done
        }
        if outcome?.interrupted == true { throw ExitCode(130) }
        if (outcome?.failed ?? 0) > 0 { throw ExitCode(1) }
    }
}

/// `folio batch-worker`: prints the articles `folio batch` sends it (see BatchWorkers.swift);
/// not for people, so not in the help.
struct BatchWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch-worker", abstract: "A batch worker process (started by folio batch).",
                                                    shouldDisplay: false)
    func run() throws {
        keepFreedPages()
        try BatchWorkers.serve()
    }
}

/// A batch process keeps the pages it freed for the next article (`folio_keep_freed_pages`); the
/// AddressSanitizer build, without jemalloc, has nothing to ask.
private func keepFreedPages() {
    #if canImport(CAllocator)
    folio_keep_freed_pages()
    #endif
}
