/// A batch's progress as people read it: a bar with count, rate and ETA redrawn in place on a
/// terminal, or a plain line every two seconds (and for each failure, and at the end) in a log.
/// The caller writes the text where it wants (the CLI: standard error).
import Foundation

public final class BatchProgress: @unchecked Sendable {
    /// Articles to print (set when the batch has planned them).
    public var total = 0
    private let lock = NSLock()
    private var done = 0
    private let start = Date()
    private let terminal: Bool
    private var lastPlain = Date.distantPast

    /// `terminal`: redraw one bar in place (carriage returns) instead of writing lines.
    public init(terminal: Bool) { self.terminal = terminal }

    /// Counts one finished article; the text to write now, if any.
    public func advance(_ result: ArticleResult) -> String? {
        lock.lock(); defer { lock.unlock() }
        done += 1
        let elapsed = max(0.001, -start.timeIntervalSinceNow)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if terminal {
            let width = 30, filled = total > 0 ? min(width, width * done / total) : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            return String(format: "\r%@ %d/%d  %.1f/s  ETA %.0fs ", bar, done, total, rate, eta) + (done == total ? "\n" : "")
        }
        guard result.status == .failed || done == total || -lastPlain.timeIntervalSinceNow >= 2 else { return nil }
        lastPlain = Date()
        return String(format: "[%d/%d] %@ %@ (%.1f articles/s)\n", done, total, result.status.rawValue,
                      (result.file as NSString).lastPathComponent, rate)
    }
}
