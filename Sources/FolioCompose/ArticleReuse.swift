import FolioCore

/// Composed articles kept between compositions of a changing issue (the live preview): an
/// article equal to one composed before — same text, figures, front matter and budget, so the
/// same pages, as every article is composed from page 1 and renumbered — is not composed again.
/// Valid for one template and composer setting; entries a composition did not use are dropped
/// when it ends (`endBuild`), so the cache holds one issue at most.
public final class ComposedArticleCache: @unchecked Sendable {
    /// By article id: the article as composed, its composition, and which composition it was.
    private var entries: [String: (article: Article, composed: ComposedArticle, identity: Int)] = [:]
    private var used = Set<String>()
    private var nextIdentity = 0
    public private(set) var reused = 0
    /// For each article of the last composition, by id: which composition of it the pages came
    /// from — the same number as the build before when it was reused, a new one when composed
    /// (the live preview reuses the hashes of pages whose composition and folio are unchanged).
    public private(set) var identities: [String: Int] = [:]
    public init() {}

    func take(_ article: Article) -> ComposedArticle? {
        guard let hit = entries[article.id], Self.same(hit.article, article) else { return nil }
        used.insert(article.id)
        reused += 1
        identities[article.id] = hit.identity
        return hit.composed
    }

    func keep(_ article: Article, _ composed: ComposedArticle) {
        nextIdentity += 1
        entries[article.id] = (article, composed, nextIdentity)
        used.insert(article.id)
        identities[article.id] = nextIdentity
    }

    public func startBuild() { used.removeAll(keepingCapacity: true); reused = 0; identities = [:] }
    public func endBuild() { entries = entries.filter { used.contains($0.key) } }

    /// Whether two readings of an article are equal. An unchanged file read again comes from
    /// the live session's read cache with the very same blocks (one array storage): then only
    /// the rest is compared, not every character of the text — hashing and comparing whole
    /// articles was most of a rebuild of a 500-page issue.
    static func same(_ a: Article, _ b: Article) -> Bool {
        let shared = a.blocks.count == b.blocks.count
            && a.blocks.withUnsafeBufferPointer { x in b.blocks.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        guard shared else { return a == b }
        var (x, y) = (a, b)
        (x.blocks, y.blocks) = ([], [])
        return x == y
    }
}
