/// The live preview's shortcut for the commonest edit — a paragraph, a caption, a figure of one
/// article — in a long issue: compose that article again and, when it still takes the pages it
/// took, put its new pages in their place. Nothing else of the issue can have moved: the
/// contents list the same titles at the same folios, later articles start where they started.
import FolioCore

extension IssueComposer {
    /// What `recompose` changed: the issue with the new article, its composition, and the
    /// indices in `composed.pages` of the article's pages.
    public struct Recomposed: Sendable {
        public var issue: Issue
        public var composed: ComposedIssue
        public var pages: Range<Int>
    }

    /// `previous` — this composer's composition of `issue`, its pages kept — with the article at
    /// `index` of `issue.articles` replaced by `article`, which differs from it in its blocks
    /// only (text and figures; front matter and manifest entry as before). The result is what
    /// composing the new issue whole gives; nil when the shortcut does not apply — the article
    /// takes a different number of pages, loses characters, is run on, paired or has a
    /// half-page ad — and the issue must be composed again.
    public func recompose(_ previous: ComposedIssue, of issue: Issue, replacing index: Int, with article: Article) -> Recomposed? {
        var s = 0, slot = index
        while s < issue.sections.count && slot >= issue.sections[s].articles.count {
            slot -= issue.sections[s].articles.count
            s += 1
        }
        guard s < issue.sections.count else { return nil }
        let section = issue.sections[s]
        var unchanged = section.articles[slot]
        unchanged.blocks = article.blocks
        guard unchanged == article, !section.runOn, !section.parallel, article.endAd == nil,
              let span = previous.diagnosticSpans[article.id],
              let range = previous.articlePages.first(where: { $0.id == article.id })?.pages,
              previous.articlePages.filter({ $0.id == article.id }).count == 1,
              let start = previous.pages.firstIndex(where: { $0.number == range.lowerBound }),
              start + range.count <= previous.pages.count else { return nil }
        let composed = configured(ArticleComposer(template: template, typesetter: typesetter)).compose(article, firstPage: 1)
        guard composed.pages.count == range.count, composed.charactersPlaced == composed.charactersSet else { return nil }
        reuse?.keep(article, composed)

        var result = previous
        var issue = issue
        issue.sections[s].articles[slot] = article
        let articles = issue.articles   // made from the sections each time it is asked for
        var diagnostics = composed.diagnostics
        for k in 0..<range.count {
            let placed = placedPage(composed.pages[k], at: range.lowerBound + k, opening: k == 0, index: index)
            if k == range.count - 1, (articlesInIssue ?? articles.count) > 1, let d = shortPageWarning(placed, article, composed) { diagnostics.append(d) }
            result.pages[start + k] = decorate(placed, issue: issue, section: section.title, opening: k == 0, language: article.meta.language)
        }
        // The article's diagnostics replace its old ones; those after them move.
        result.diagnostics.replaceSubrange(span, with: diagnostics)
        let shift = diagnostics.count - span.count
        for later in articles[(index + 1)...] {
            if let other = previous.diagnosticSpans[later.id] { result.diagnosticSpans[later.id] = (other.lowerBound + shift)..<(other.upperBound + shift) }
        }
        result.diagnosticSpans[article.id] = span.lowerBound..<(span.lowerBound + diagnostics.count)
        if let fit = composed.fit, let k = result.fit.firstIndex(where: { $0.article == article.id }) { result.fit[k] = fit }
        return Recomposed(issue: issue, composed: result, pages: start..<(start + range.count))
    }
}
