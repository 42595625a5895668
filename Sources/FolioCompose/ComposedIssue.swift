/// A composed issue: its pages and what the writer, previews and reports need to know of them.
import FolioCore

public struct ComposedIssue: Sendable {
    public var pages: [Page]
    public var diagnostics: [Diagnostic]
    /// For each article, its id and the page range it occupies (for previews and outlines).
    public var articlePages: [(id: String, pages: ClosedRange<Int>)]
    /// The folio each section starts at (before a blank page that makes it open on a spread, and
    /// its inserts): composed alone from there, a section gets the pages it gets in the issue.
    public var sectionStarts: [Int] = []
    /// The grid line each article that ran on (`flow: continuous`) starts at, on the page it
    /// shares with the article before it.
    public var runOnLines: [String: Int] = [:]
    /// The front matter — covers and contents pages — numbered first but built last (the contents
    /// need the articles' page numbers): the writer moves them to the front.
    public var frontMatter: [Page] = []
    /// Sections → articles, for the PDF outline.
    public var outline: [OutlineEntry] = []
    /// What the named destinations at headings are (`ArticleLinks.anchoring`), for the links'
    /// descriptions; the articles' own are the outline's.
    public var destinationTitles: [String: String] = [:]
    /// Every page of the issue: front matter, articles, blanks and back covers.
    public var pageCount = 0
    /// The fit report: each article with a page budget, in order.
    public var fit: [ArticleFit] = []
    /// Where each article of a plain section (not run on, not parallel) put its diagnostics in
    /// `diagnostics` (for `recompose`).
    var diagnosticSpans: [String: Range<Int>] = [:]
}
