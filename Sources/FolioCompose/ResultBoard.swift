import Foundation
import FolioCore

/// Hands article indices to workers and their results to the assembling thread, in order.
final class ResultBoard: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Result<ComposedArticle, Error>?]
    private var handedOut = 0
    private var taken = 0
    private var cancelled = false
    private let window: Int

    init(count: Int, window: Int) { results = Array(repeating: nil, count: count); self.window = max(1, window) }

    /// The next article to compose, waiting while workers are `window` articles ahead; nil when done.
    func nextIndex() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !cancelled && handedOut < results.count && handedOut - taken >= window { condition.wait() }
        guard !cancelled, handedOut < results.count else { return nil }
        handedOut += 1
        return handedOut - 1
    }

    /// The next article to compose if one may be handed out now (none while workers are
    /// `window` articles ahead), for the thread that takes the results: it must never wait here.
    func nextIndexIfFree() -> Int? {
        condition.lock(); defer { condition.unlock() }
        guard !cancelled, handedOut < results.count, handedOut - taken < window else { return nil }
        handedOut += 1
        return handedOut - 1
    }

    /// Whether article `i`'s result is in.
    func isDelivered(_ i: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return results[i] != nil
    }

    func deliver(_ i: Int, _ r: Result<ComposedArticle, Error>) {
        condition.lock(); results[i] = r; condition.broadcast(); condition.unlock()
    }

    func take(_ i: Int) -> Result<ComposedArticle, Error> {
        condition.lock(); defer { condition.unlock() }
        while results[i] == nil { condition.wait() }
        let r = results[i]!
        results[i] = nil
        taken = i + 1
        condition.broadcast()
        return r
    }

    func cancel() { condition.lock(); cancelled = true; condition.broadcast(); condition.unlock() }
}
