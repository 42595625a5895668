/// Independent pieces of work on every core: the manifest's articles read, an archive's articles
/// fingerprinted.
import Foundation

public enum Parallel {
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
                DispatchQueue.concurrentPerform(iterations: max(1, min(count, ProcessInfo.processInfo.activeProcessorCount))) { _ in
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
