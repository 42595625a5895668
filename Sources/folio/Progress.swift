import Folio
import Foundation

/// Progress on standard error: a bar with count, rate and ETA on a terminal, plain lines otherwise.
final class Progress: @unchecked Sendable {
    /// Articles to print (set when the batch has planned them).
    var total = 0
    private let lock = NSLock()
    private var done = 0
    private let start = Date()
    private let terminal = isatty(STDERR_FILENO) != 0
    private var lastPlain = Date.distantPast


    func advance(_ result: ArticleResult) {
        if Console.quiet { return }
        lock.lock(); defer { lock.unlock() }
        done += 1
        let elapsed = max(0.001, -start.timeIntervalSinceNow)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if terminal {
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = String(format: "\r%@ %d/%d  %.1f/s  ETA %.0fs ", bar, done, total, rate, eta)
            FileHandle.standardError.write(line.data(using: .utf8)!)
            if done == total { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        } else if result.status == .failed || done == total || -lastPlain.timeIntervalSinceNow >= 2 {
            lastPlain = Date()
            let line = String(format: "[%d/%d] %@ %@ (%.1f articles/s)\n", done, total, result.status.rawValue,
                              (result.file as NSString).lastPathComponent, rate)
            FileHandle.standardError.write(line.data(using: .utf8)!)
        }
    }
}
