import FolioCore

/// Composed articles kept between compositions of a changing issue (the live preview): an
/// article equal to one composed before — same text, figures, front matter and budget, so the
/// same pages, as every article is composed from page 1 and renumbered — is not composed again.
/// Valid for one template and composer setting; entries a composition did not use are dropped
/// when it ends (`endBuild`), so the cache holds one issue at most.
public final class ComposedArticleCache: @unchecked Sendable {
    private var entries: [Article: (composed: ComposedArticle, identity: Int)] = [:]
    private var used = Set<Article>()
    private var nextIdentity = 0
    public private(set) var reused = 0
    /// For each article of the last composition, by id: which composition of it the pages came
    /// from — the same number as the build before when it was reused, a new one when composed
    /// (the live preview reuses the hashes of pages whose composition and folio are unchanged).
    public private(set) var identities: [String: Int] = [:]
    public init() {}

    func take(_ article: Article) -> ComposedArticle? {
        guard let hit = entries[article] else { return nil }
        used.insert(article)
        reused += 1
        identities[article.id] = hit.identity
        return hit.composed
    }

    func keep(_ article: Article, _ composed: ComposedArticle) {
        nextIdentity += 1
        entries[article] = (composed, nextIdentity)
        used.insert(article)
        identities[article.id] = nextIdentity
    }

    public func startBuild() { used.removeAll(keepingCapacity: true); reused = 0; identities = [:] }
    public func endBuild() { entries = entries.filter { used.contains($0.key) } }
}
