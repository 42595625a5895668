/// The live preview's shortcut for the commonest edits — a paragraph, a caption, a figure, the
/// title or deck of one article — in a long issue: compose that article again and, when it still
/// takes the pages it took, put its new pages in their place (and the contents pages, made again,
/// when what they show of it changed). Nothing else of the issue can have moved: later articles
/// start where they started.
import FolioCore

extension IssueComposer {
    /// What `recompose` changed: the issue with the new article, its composition, the indices
    /// in `composed.pages` of the article's pages, and in `composed.frontMatter` of the contents
    /// pages made again (empty when the article's heads did not change).
    public struct Recomposed: Sendable {
        public var issue: Issue
        public var composed: ComposedIssue
        public var pages: Range<Int>
        public var frontMatter: Range<Int> = 0..<0
    }

    /// `article`'s front matter differs from `old`'s only in what the contents, the opening
    /// and the outline show (title, kicker, deck, author, date, source, editor).
    static func onlyHeadsDiffer(_ old: ArticleMeta, _ new: ArticleMeta) -> Bool {
        var heads = old
        (heads.title, heads.kicker, heads.deck, heads.author) = (new.title, new.kicker, new.deck, new.author)
        (heads.date, heads.source, heads.editor) = (new.date, new.source, new.editor)
        return heads == new
    }

    /// `previous` — this composer's composition of `issue`, its pages kept — with the article at
    /// `index` of `issue.articles` replaced by `article`, which differs from it in its blocks (text
    /// and figures) and its heads (`onlyHeadsDiffer`; the manifest entry as before). The result is
    /// what composing the new issue whole gives; nil when the shortcut does not apply — the
    /// article takes a different number of pages, loses characters, is run on, paired or has a
    /// half-page ad; its heads changed while the cover shows them, or the issue has no contents
    /// (an article alone: its title is the document's), or the contents take other pages — and the
    /// issue must be composed again.
    public func recompose(_ previous: ComposedIssue, of issue: Issue, replacing index: Int, with article: Article) -> Recomposed? {
        var s = 0, slot = index
        while s < issue.sections.count && slot >= issue.sections[s].articles.count {
            slot -= issue.sections[s].articles.count
            s += 1
        }
        guard s < issue.sections.count else { return nil }
        let section = issue.sections[s]
        let old = section.articles[slot]
        var unchanged = old
        (unchanged.blocks, unchanged.meta) = (article.blocks, article.meta)
        let headsChanged = old.meta != article.meta
        guard unchanged == article, Self.onlyHeadsDiffer(old.meta, article.meta), !section.runOn, !section.parallel, article.endAd == nil,
              !headsChanged || contents && !(issue.cover?.lines.contains { $0.title == old.meta.title || $0.short == old.meta.deck } ?? false),
              let span = previous.diagnosticSpans[article.id],
              let range = previous.articlePages.first(where: { $0.id == article.id })?.pages,
              previous.articlePages.filter({ $0.id == article.id }).count == 1,
              let start = previous.pages.firstIndex(where: { $0.number == range.lowerBound }),
              start + range.count <= previous.pages.count else { return nil }
        var issue = issue
        issue.sections[s].articles[slot] = article
        // The headings links lead to (IssueLinks): an edit that changes which, or where, changes
        // the pages of the articles that link to them or hold them.
        let linked = IssueLinks(issue)
        guard linked.titles == previous.destinationTitles else { return nil }
        let composed = articleComposer.compose(linked.issue.articles[index], firstPage: 1)
        guard composed.pages.count == range.count, composed.charactersPlaced == composed.charactersSet else { return nil }
        reuse?.keep(linked.issue.articles[index], composed)

        var result = previous
        var diagnostics = composed.diagnostics + linked.links.unresolved(in: article)
        for k in 0..<range.count {
            let placed = placedPage(composed.pages[k], at: range.lowerBound + k, opening: k == 0, index: index, links: linked.links)
            if k == range.count - 1, warnsOfShortEnds(in: issue), let d = shortPageWarning(placed, article, composed) { diagnostics.append(d) }
            result.pages[start + k] = decorate(placed, issue: issue, section: section.title, opening: k == 0, language: article.meta.language)
        }
        // The article's diagnostics replace its old ones; those after them move.
        result.diagnostics.replaceSubrange(span, with: diagnostics)
        let shift = diagnostics.count - span.count
        for later in issue.articles[(index + 1)...] {
            if let other = previous.diagnosticSpans[later.id] { result.diagnosticSpans[later.id] = (other.lowerBound + shift)..<(other.upperBound + shift) }
        }
        result.diagnosticSpans[article.id] = span.lowerBound..<(span.lowerBound + diagnostics.count)
        if let fit = composed.fit, let k = result.fit.firstIndex(where: { $0.article == article.id }) { result.fit[k] = fit }
        var made = Recomposed(issue: issue, composed: result, pages: start..<(start + range.count))
        if headsChanged {
            // The contents show the article's heads: made again (on the pages they took), and
            // the outline's entry for it says its new title.
            let covers = Self.coverPageCount(issue)
            let count = result.frontMatter.count - covers
            guard count > 0 else { return nil }
            let contents = decoratedContents(issue, starts: result.articlePages.map(\.pages.lowerBound), firstPage: result.frontMatter[covers].number,
                                             with: ContentsComposer(template: template, typesetter: typesetter))
            guard contents.count == count else { return nil }
            made.composed.frontMatter.replaceSubrange(covers..., with: contents)
            made.frontMatter = covers..<(covers + count)
            func retitled(_ entries: [OutlineEntry]) -> [OutlineEntry] {
                entries.map { e in
                    var e = e
                    if e.children.isEmpty, e.destination == Self.anchorName(index), e.title == old.meta.title { e.title = article.meta.title }
                    e.children = retitled(e.children)
                    return e
                }
            }
            made.composed.outline = retitled(result.outline)
        }
        return made
    }
}
