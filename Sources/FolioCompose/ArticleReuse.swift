import FolioCore

/// Composed articles kept between compositions of a changing issue (the live preview): an
/// article equal to one composed before — same text, figures, front matter and budget, so the
/// same pages, as every article is composed from page 1 and renumbered — is not composed again.
/// Valid for one template and composer setting; entries a composition did not use are dropped
/// when it ends (`endBuild`), so the cache holds one issue at most.
public final class ComposedArticleCache: @unchecked Sendable {
    private var entries: [Article: ComposedArticle] = [:]
    private var used = Set<Article>()
    public private(set) var reused = 0
    public init() {}

    func take(_ article: Article) -> ComposedArticle? {
        guard let hit = entries[article] else { return nil }
        used.insert(article)
        reused += 1
        return hit
    }

    func keep(_ article: Article, _ composed: ComposedArticle) {
        entries[article] = composed
        used.insert(article)
    }

    public func startBuild() { used.removeAll(keepingCapacity: true); reused = 0 }
    public func endBuild() { entries = entries.filter { used.contains($0.key) } }
}
