/// Links from one article to another. A Markdown link whose address is a path rather than a web
/// address — `matouqin.md`, `../wenhua/matouqin/` (a Hugo page bundle's folder), `/wenhua/matouqin/`
/// (a path on the magazine's site) — names an article. The reader keeps it as an article link
/// (`ArticleLinks.target`: the path resolved from the linking article's folder); the issue
/// composer makes it a link to the first page of that article when the article is in the
/// document (`ArticleLinks.destination`), and says so when it is not (`unresolved`).
import Foundation

public struct ArticleLinks: Sendable {
    private static let scheme = "folio-article:"

    /// The target of a link to address `url` in the article at `file`: nil when the address is
    /// not a path (a web or mail address, `#` alone, another scheme) and so no article's.
    public static func target(_ url: String, from file: String) -> String? {
        var path = Substring(url)
        if let end = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = path[..<end] }
        guard !path.isEmpty, !path.hasPrefix("//") else { return nil }
        // A scheme (`https:`, `tel:`): letters before the first colon, no slash among them.
        if let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/") { return nil }
        let decoded = String(path).removingPercentEncoding ?? String(path)
        // A site path (`/wenhua/matouqin/`) is kept as written: its last names are what match.
        let resolved = decoded.hasPrefix("/") ? decoded : PathName.resolve(decoded, in: PathName.folder(of: file))
        return scheme + resolved
    }

    /// The path an article link leads to, nil for any other link.
    public static func path(of target: String) -> String? {
        target.hasPrefix(scheme) ? String(target.dropFirst(scheme.count)) : nil
    }

    /// For each article of the document (its file and its slug), in order: the paths and names
    /// that lead to it.
    private var paths: [String: Int] = [:]
    private var names: [String: Set<Int>] = [:]

    /// The articles of `issue`.
    public init(_ issue: Issue) { self.init(articles: issue.articles.map { ($0.location.file, $0.meta.slug) }) }

    public init(articles: [(file: String, slug: String?)]) {
        for (index, article) in articles.enumerated() {
            let file = PathName.standardized(article.file)
            let stem = PathName.stem(file), folder = PathName.folder(of: file)
            // The file, the file without its extension (a site's `matouqin/`), and a page
            // bundle's folder (`matouqin/index.md`).
            var ways = [file, folder + "/" + stem]
            var names = [stem]
            if ["index", "_index"].contains(stem) {
                ways.append(folder)
                names = [PathName.lastComponent(folder)]
            }
            if let slug = article.slug, !slug.isEmpty { names.append(slug) }
            for way in ways where paths[way] == nil { paths[way] = index }
            for name in names { self.names[name, default: []].insert(index) }
        }
    }

    /// The index of the article a link's target leads to: by its path, else by its last name
    /// (a site path, or a folder laid out otherwise than the site's) when one article alone
    /// has it. nil for a link that is no article link or leads to no article of the document.
    public func destination(_ target: String) -> Int? {
        guard let path = Self.path(of: target) else { return nil }
        if let index = paths[PathName.standardized(path)] { return index }
        let last = PathName.lastComponent(path)
        let name = ["md", "markdown", "docx", "txt", "html", "htm"].contains(PathName.pathExtension(last).lowercased()) ? PathName.stem(last) : last
        guard let found = names[name], found.count == 1 else { return nil }
        return found.first
    }

    /// `page` with its article links leading to the named destinations of the articles' first
    /// pages (`#` and the name, as `anchor` names article `index`'s) — or, leading to no article
    /// of the document, left out: the text stays, unlinked.
    public func linking(_ page: Page, anchor: (Int) -> String) -> Page {
        var page = page
        for (k, item) in page.items.enumerated() {
            guard case .text(var t) = item, t.line.links.contains(where: { Self.path(of: $0.uri) != nil }) else { continue }
            t.line.links = t.line.links.compactMap { link in
                guard Self.path(of: link.uri) != nil else { return link }
                guard let index = destination(link.uri) else { return nil }
                var linked = link
                linked.uri = "#" + anchor(index)
                return linked
            }
            page.items[k] = .text(t)
        }
        return page
    }

    /// A note for each link of `article` to an article that is not in the document: its text is
    /// printed, not linked.
    public func unresolved(in article: Article) -> [Diagnostic] {
        var notes: [Diagnostic] = []
        func check(_ text: StyledText, _ location: SourceLocation) {
            for link in text.links {
                guard let path = Self.path(of: link.target), destination(link.target) == nil else { continue }
                notes.append(Diagnostic(.note, "the link to \(path) leads to no article of this document: its text is printed, not linked",
                                        at: location, code: "article-link"))
            }
        }
        func walk(_ blocks: [Block]) {
            for block in blocks {
                switch block {
                case .heading(_, let text, let l), .paragraph(let text, let l), .pullQuote(let text, _, let l): check(text, l)
                case .quote(let inner, _), .box(_, let inner, _): walk(inner)
                case .list(_, let items, _): items.forEach(walk)
                case .figure(let f): check(f.caption, f.location)
                case .rule, .table, .code: break
                }
            }
        }
        walk(article.blocks)
        return notes
    }
}
