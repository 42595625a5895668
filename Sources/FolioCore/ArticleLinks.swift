/// Links from one article to another, or to a heading. A Markdown link whose address is a path
/// rather than a web address — `matouqin.md`, `../wenhua/matouqin/` (a Hugo page bundle's
/// folder), `/wenhua/matouqin/` (a path on the magazine's site) — names an article; `#新的变化`
/// or `matouqin.md#change` names a heading, by the id the writer gave it (`{#change}`) or the one
/// Hugo makes from its text. The reader keeps such a link as an article link (`target`: the
/// path resolved from the linking article's folder, and the heading's id); the issue composer
/// sets a named destination at each heading a link leads to (`anchoring`) and makes the link lead
/// to it, or to the article's first page (`linking`) — when the article is in the document; it
/// says so when it is not, or when the heading is not found (`unresolved`).
import Foundation

public struct ArticleLinks: Sendable {
    private static let scheme = "folio-article:"

    /// The target of a link to address `url` in the article at `file`: nil when the address is
    /// not a path or a heading (a web or mail address, `#` alone, another scheme).
    public static func target(_ url: String, from file: String) -> String? {
        var path = Substring(url), fragment = ""
        if let hash = path.firstIndex(of: "#") { (path, fragment) = (path[..<hash], String(path[path.index(after: hash)...])) }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        fragment = fragment.removingPercentEncoding ?? fragment
        if path.isEmpty {
            // `#heading`: one of this article's own.
            return fragment.isEmpty ? nil : scheme + PathName.standardized(file) + "#" + fragment
        }
        guard !path.hasPrefix("//") else { return nil }
        // A scheme (`https:`, `tel:`): letters before the first colon, no slash among them.
        if let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/") { return nil }
        let decoded = String(path).removingPercentEncoding ?? String(path)
        // A site path (`/wenhua/matouqin/`) is kept as written: its last names are what match.
        let resolved = decoded.hasPrefix("/") ? decoded : PathName.resolve(decoded, in: PathName.folder(of: file))
        return scheme + resolved + (fragment.isEmpty ? "" : "#" + fragment)
    }

    /// The path an article link leads to (without the heading), nil for any other link.
    public static func path(of target: String) -> String? {
        guard target.hasPrefix(scheme) else { return nil }
        let rest = target.dropFirst(scheme.count)
        return String(rest[..<(rest.firstIndex(of: "#") ?? rest.endIndex)])
    }

    /// The heading id an article link names, nil for none.
    static func fragment(of target: String) -> String? {
        guard target.hasPrefix(scheme), let hash = target.firstIndex(of: "#") else { return nil }
        return String(target[target.index(after: hash)...])
    }

    /// The id Hugo gives a heading of text `text` (its default, GitHub's): lower case, letters,
    /// digits, `-` and `_` kept, spaces made `-`, everything else left out — `新的变化`,
    /// `a-q-正传`. A second heading of the same id gets `-1`, a third `-2` (see `init`).
    public static func headingID(_ text: String) -> String {
        var id = ""
        for c in text.lowercased() {
            if c == " " { id.append("-") } else if c.isLetter || c.isNumber || c == "-" || c == "_" { id.append(c) }
        }
        return id
    }

    /// For each article of the document (its file and its slug), in order: the paths and names
    /// that lead to it, and its headings' ids (the writer's and Hugo's) with their source lines.
    private var paths: [String: Int] = [:]
    private var names: [String: Set<Int>] = [:]
    private var headings: [[String: Int]] = []
    private var headingTitles: [[Int: String]] = []

    /// The articles of `issue`. (Nothing is worked out for an issue no link of which is an
    /// article link — most are, and the live preview makes this at every edit — and the
    /// headings only of the articles a link names a heading of.)
    public init(_ issue: Issue) {
        let articles = issue.articles
        var targets: [String] = []
        for article in articles {
            Self.forEachLink(in: article.blocks) { target, _ in if Self.path(of: target) != nil { targets.append(target) } }
        }
        self.init(articles: targets.isEmpty ? [] : articles.map { ($0.location.file, $0.meta.slug) })
        guard !targets.isEmpty else { return }
        headings = Array(repeating: [:], count: articles.count)
        headingTitles = Array(repeating: [:], count: articles.count)
        for index in Set(targets.filter { Self.fragment(of: $0) != nil }.compactMap(destination)) {
            var ids: [String: Int] = [:], titles: [Int: String] = [:], made: [String: Int] = [:]
            for (text, line) in Self.headings(in: articles[index].blocks) {
                titles[line] = text
                if let own = articles[index].headingIDs[line], ids[own] == nil { ids[own] = line }
                // Hugo's: the same text again gets -1, -2…
                let base = Self.headingID(text), n = made[base, default: 0]
                made[base] = n + 1
                let id = n == 0 ? base : base + "-\(n)"
                if !id.isEmpty, ids[id] == nil { ids[id] = line }
            }
            (headings[index], headingTitles[index]) = (ids, titles)
        }
    }

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

    /// The article's headings, in quotes, boxes and lists too (the composer sets a destination at
    /// each a link leads to, wherever it is set): their text and source line.
    private static func headings(in blocks: [Block]) -> [(String, Int)] {
        Block.leaves(of: blocks).compactMap { if case .heading(_, let text, let location) = $0 { (text.string, location.line) } else { nil } }
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

    /// The source line of the heading a link's target names in article `index`, nil when it
    /// names none or one the article lacks.
    public func heading(_ target: String, in index: Int) -> Int? {
        guard let id = Self.fragment(of: target), index < headings.count else { return nil }
        return headings[index][id] ?? headings[index][Self.headingID(id)]
    }

    /// The named destination of the heading at source line `line` of article `index`.
    static func headingAnchor(_ articleAnchor: String, line: Int) -> String { articleAnchor + "-line-\(line)" }

    /// `issue` with each heading a link of it leads to given its named destination
    /// (`Article.headingAnchors`, which the article composer sets there), `anchor` naming
    /// article `index`'s first page; and the destinations' titles — the article's, then the
    /// heading's — for the links' descriptions (`/Contents`).
    public func anchoring(_ issue: Issue, anchor: (Int) -> String) -> (issue: Issue, titles: [String: String]) {
        guard !paths.isEmpty else { return (issue, [:]) }   // no article links
        var wanted: [Int: Set<Int>] = [:]
        for article in issue.articles {
            Self.forEachLink(in: article.blocks) { target, _ in
                if let index = destination(target), let line = heading(target, in: index) { wanted[index, default: []].insert(line) }
            }
        }
        guard !wanted.isEmpty else { return (issue, [:]) }
        var issue = issue, index = 0, titles: [String: String] = [:]
        for s in issue.sections.indices {
            for a in issue.sections[s].articles.indices {
                for line in wanted[index] ?? [] {
                    let name = Self.headingAnchor(anchor(index), line: line)
                    issue.sections[s].articles[a].headingAnchors[line] = name
                    titles[name] = issue.sections[s].articles[a].meta.title + " · " + (headingTitles[index][line] ?? "")
                }
                index += 1
            }
        }
        return (issue, titles)
    }

    /// `page` with its article links leading to the named destinations of the headings they
    /// name or the articles' first pages (`#` and the name, as `anchor` names article `index`'s)
    /// — or, leading to no article of the document, left out: the text stays, unlinked.
    public func linking(_ page: Page, anchor: (Int) -> String) -> Page {
        var page = page
        for (k, item) in page.items.enumerated() {
            guard case .text(var t) = item, t.line.links.contains(where: { Self.path(of: $0.uri) != nil }) else { continue }
            t.line.links = t.line.links.compactMap { link in
                guard Self.path(of: link.uri) != nil else { return link }
                guard let index = destination(link.uri) else { return nil }
                var linked = link
                linked.uri = "#" + (heading(link.uri, in: index).map { Self.headingAnchor(anchor(index), line: $0) } ?? anchor(index))
                return linked
            }
            page.items[k] = .text(t)
        }
        return page
    }

    /// Notes on the links of `article` that lead to an article the document lacks (their text is
    /// printed, not linked) — one a path, at its first link — or to a heading their article lacks
    /// (they open the article) — one an article: a Word file's contents links, say, are many.
    public func unresolved(in article: Article) -> [Diagnostic] {
        var missing: [(path: String, at: SourceLocation, count: Int)] = []
        var headingless: [Int: (ids: [String], at: SourceLocation, path: String)] = [:]
        var order: [Int] = []
        Self.forEachLink(in: article.blocks) { target, location in
            guard let path = Self.path(of: target) else { return }
            guard let index = destination(target) else {
                if let k = missing.firstIndex(where: { $0.path == path }) { missing[k].count += 1 } else { missing.append((path, location, 1)) }
                return
            }
            if let id = Self.fragment(of: target), heading(target, in: index) == nil {
                if headingless[index] == nil { order.append(index); headingless[index] = ([], location, path) }
                headingless[index]!.ids.append(id)
            }
        }
        var notes = missing.map { m in
            Diagnostic(.note, "\(m.count == 1 ? "the link" : "\(m.count) links") to \(m.path) \(m.count == 1 ? "leads" : "lead") to no article of this document: \(m.count == 1 ? "its text is" : "their text is") printed, not linked",
                       at: m.at, code: "article-link")
        }
        for index in order {
            let h = headingless[index]!, name = PathName.lastComponent(h.path)
            notes.append(Diagnostic(.note, h.ids.count == 1 ? "the link to #\(h.ids[0]) names no heading of \(name): it opens the article's first page"
                                                             : "\(h.ids.count) links name no heading of \(name) (the first: #\(h.ids[0])): they open the article's first page",
                                    at: h.at, code: "article-link"))
        }
        return notes
    }

    /// Calls `body` with the target and block location of every link in `blocks`.
    private static func forEachLink(in blocks: [Block], _ body: (String, SourceLocation) -> Void) {
        for block in Block.leaves(of: blocks) {
            let (text, location): (StyledText, SourceLocation)
            switch block {
            case .heading(_, let t, let l), .paragraph(let t, let l), .pullQuote(let t, _, let l): (text, location) = (t, l)
            case .figure(let f): (text, location) = (f.caption, f.location)
            case .quote, .box, .list, .rule, .table, .code: continue
            }
            for link in text.links { body(link.target, location) }
        }
    }
}
