/// SIGINT and SIGTERM. For `batch` the first signal asks the workers to finish the articles in
/// hand and take no more (the report is then written); for `render` and `preview`, and for any
/// second signal, the process removes its own partial files from the output folders and exits
/// with status 130 at once — a signal always ends Folio promptly and never leaves a partial file.
import Dispatch
import FolioCore
import Foundation

public final class SignalHandling: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let folders: [String]
    private let graceful: Bool
    private var sources: [DispatchSourceSignal] = []

    /// `outputFolders`: where this process writes partials. `graceful`: the first signal only
    /// sets `stopRequested`.
    public init(outputFolders: [String], graceful: Bool) {
        folders = outputFolders
        self.graceful = graceful
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [unowned self] in received() }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    public var stopRequested: Bool { lock.lock(); defer { lock.unlock() }; return count > 0 }

    private func received() {
        lock.lock(); count += 1; let n = count; lock.unlock()
        if graceful && n == 1 {
            FileHandle.standardError.write(Data("\nfolio: stopping after the articles in progress (signal again to stop now)…\n".utf8))
            return
        }
        // Batch worker processes end with this one; then their partials belong to ended processes.
        BatchWorkers.killAll()
        AtomicFile.stopMakingPartials()
        for f in folders { AtomicFile.removeOwnPartials(in: f); AtomicFile.removeStalePartials(in: f) }
        FileHandle.standardError.write(Data("\nfolio: stopped\(folders.isEmpty ? "" : "; partial files removed")\n".utf8))
        _exit(130)
    }
}
