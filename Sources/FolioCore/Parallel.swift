/// Independent pieces of work on every core: the manifest's articles read, an archive's articles
/// fingerprinted.
import Foundation

public enum Parallel {
    /// The cores this process's work may spread over: every core, but one in each process of a
    /// batch with several jobs (`folio batch --jobs N` sets it), where the other cores print
    /// other articles — a document's few pieces spread there only wake threads that compete
    /// with them.
    nonisolated(unsafe) public static var cores = ProcessInfo.processInfo.activeProcessorCount

    /// `body(i)` for every `i` in `0..<count`: spread over `cores` when there are more than one
    /// (`body` must then be safe to call from several threads at once), else here in order.
    public static func each(_ count: Int, _ body: (Int) -> Void) {
        if cores > 1 && count > 1 {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: count) { body($0) }
            }
        } else {
            for i in 0..<count { body(i) }
        }
    }

    /// `body(i)` for every `i` in `0..<count`, on as many threads as there are cores, each taking
    /// the next index when it is free (the pieces may cost very differently); the results in
    /// index order. `body` must be safe to call from several threads at once.
    public static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            nonisolated(unsafe) var next = 0
            let lock = NSLock()
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: max(1, min(count, cores))) { _ in
                    while true {
                        let i = lock.withLock { () -> Int in defer { next += 1 }; return next }
                        guard i < count else { return }
                        out[i] = body(i)
                    }
                }
            }
        }
        return results.map { $0! }
    }
}
