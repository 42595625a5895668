/// Reads an issue manifest (`issue.yaml`): magazine, issue label, date, template, and the
/// sections in order with their article files (paths relative to the manifest).
import FolioCore
import Foundation
import Yams

/// A manifest as read: the issue and the template path it names (if any).
public struct LoadedIssue: Sendable {
    public var issue: Issue
    public var templatePath: String?
    public var warnings: [Diagnostic]
    /// The articles the manifest names (all of them, also when `load(only:)` read some).
    public var articlesNamed = 0
    public init(issue: Issue, templatePath: String?, warnings: [Diagnostic]) {
        self.issue = issue; self.templatePath = templatePath; self.warnings = warnings
    }
}

public enum ManifestLoader {
    /// An article as the manifest lists it.
    private struct Entry {
        var file: String
        var location: SourceLocation
        var budget: PageBudget?
        var endAd: HalfPageAd?
        var endsWithSpace = false
    }

    /// One article of a manifest as `load` reads it (through the read cache when the options
    /// have one), before the manifest entry's budget and ads are set on it.
    public static func readArticle(_ path: String, options: InputOptions) throws -> LoadedArticle {
        try options.readCache?.load(path: path, options: options) ?? ArticleLoader.load(path: path, options: options)
    }

    /// The articles at `paths` (regular files; the others are reported by the caller): Markdown
    /// on as many threads as there are cores, the rest (web archives, Word files: regular
    /// expressions shared by every call, pandoc) one after another.
    private static func readArticles(_ paths: [String], options: InputOptions) -> [String: Result<LoadedArticle, Error>] {
        let regular = Set(paths.filter { RegularFile.kind($0) == .regular })
        let isMarkdown = { (p: String) in ["md", "markdown"].contains(PathName.pathExtension(p).lowercased()) }
        let unique = Array(regular.filter(isMarkdown))
        var results: [String: Result<LoadedArticle, Error>] = [:]
        for path in regular where !isMarkdown(path) {
            results[path] = Result { try readArticle(path, options: options) }
        }
        let read = Parallel.map(unique.count) { i in Result { try readArticle(unique[i], options: options) } }
        for (path, r) in zip(unique, read) { results[path] = r }
        return results
    }

    /// - Parameter only: read just the articles whose path passes (a preview that knows where its
    ///   article starts): the others are left out of their sections, and so are the sections'
    ///   inserts and the cover (whose lines may name articles left out).
    ///   `wholeSections`: every article (and insert) of a section where one passes is read.
    public static func load(path: String, options: InputOptions = InputOptions(), only: ((String) -> Bool)? = nil,
                            wholeSections: Bool = false) throws -> LoadedIssue {
        let text = try InputFile.readText(path)
        let r = YAMLReader(file: path)
        let folderPath = PathName.folder(of: path), folder = URL(fileURLWithPath: folderPath, isDirectory: true)
        var magazine = "", label = "", date: String? = nil, publisher: String? = nil, template: String? = nil
        var sections: [(title: String, facing: Bool, parallel: Bool, runOn: Bool, files: [Entry])] = []
        var issueBudget: PageBudget?
        var inserts: [[Insert]] = []   // per section
        var cover: PendingCover?, coverPages: [ManifestKey: CoverPage] = [:], imprint: [ImprintEntry] = [], fillers: [CoverPage] = []
        var coverProblems: [Diagnostic] = []
        if let root = r.parse(text) {
            for (key, value) in r.mapping(root, keys: ManifestKey.self, context: "the issue manifest") ?? [] {
                switch key {
                case .cover: cover = CoverLoader.readCover(value, r, folder: folder, options: options, problems: &coverProblems)
                case .imprint: imprint = CoverLoader.readImprint(value, r)
                case .fillers:
                    for f in r.sequence(value) ?? [] {
                        if let page = CoverLoader.readCoverPage(f, r, folder: folder, options: options, problems: &coverProblems) { fillers.append(page) }
                    }
                case .insideFrontCover, .insideBackCover, .backCover:
                    coverPages[key] = CoverLoader.readCoverPage(value, r, folder: folder, options: options, problems: &coverProblems)
                case .magazine: magazine = r.string(value) ?? ""
                case .issue: label = r.string(value) ?? ""
                case .date:
                    if let s = r.string(value) {
                        if let d = CalendarDate(s) { date = d.description } else { r.error(CalendarDate.problem(s), at: r.location(value)) }
                    }
                case .publisher: publisher = r.string(value)
                case .pages: issueBudget = r.int(value, range: 1...10_000).map { PageBudget(pages: $0, location: r.location(value)) }
                case .template: template = r.string(value).map { PathName.resolve($0, in: folderPath) }
                case .sections:
                    for s in r.sequence(value) ?? [] {
                        var title = "", facing = false, parallel = false, runOn = false, files: [Entry] = []
                        var sectionInserts: [Insert] = []
                        for (k, v) in r.mapping(s, keys: SectionKey.self, context: "a section") ?? [] {
                            switch k {
                            case .flow:
                                // `flow: continuous`: articles run on below each other (news pages).
                                switch r.string(v) {
                                case "continuous": runOn = true
                                case "pages": runOn = false
                                case let other: r.error("a section's flow is pages (each article on a new page) or continuous, not '\(other ?? "")'", at: r.location(v))
                                }
                            case .facing:
                                // `facing: true` opens the section on a spread; `facing: parallel` also
                                // pairs its articles paragraph by paragraph on facing pages.
                                switch r.string(v)?.lowercased() {
                                case "parallel": parallel = true
                                case "true", "yes", "on": facing = true
                                case "false", "no", "off", nil: break
                                case let other?: r.error("expected true, false or parallel, found '\(other)'", at: r.location(v))
                                }
                            case .title: title = r.string(v) ?? ""
                            case .articles:
                                for a in r.sequence(v) ?? [] {
                                    // `- ad: ads/bank.pdf` (a full page among the articles), an article's
                                    // file, or `- {file: a.md, pages: 3}` (an article with a page budget).
                                    if case .mapping(let m) = a, m.keys.contains(where: { $0.string == "file" }) {
                                        var file: String?, budget: PageBudget?, space = false
                                        for (k, v) in r.mapping(a, keys: BudgetedArticleKey.self, context: "an article with a budget") ?? [] {
                                            switch k {
                                            case .file: file = r.string(v)
                                            case .pages: budget = r.int(v, range: 1...1000).map { PageBudget(pages: $0, location: r.location(v)) }
                                            case .endsWithSpace: space = r.bool(v) ?? false
                                            }
                                        }
                                        if let file { files.append(Entry(file: file, location: r.location(a), budget: budget, endsWithSpace: space)) }
                                    } else if case .mapping = a {
                                        switch CoverLoader.readInsert(a, r, folder: folder, options: options, problems: &coverProblems) {
                                        case .full(let page)?: sectionInserts.append(Insert(after: files.count, page: page, location: r.location(a)))
                                        case .half? where files.isEmpty || files[files.count - 1].endAd != nil:
                                            r.error("a half-page ad goes at the foot of the article before it; put it after an article (one per article)", at: r.location(a))
                                        case .half(let ad)?: files[files.count - 1].endAd = ad
                                        case nil: break
                                        }
                                    } else if let f = r.string(a) { files.append(Entry(file: f, location: r.location(a))) }
                                }
                            }
                        }
                        if title.isEmpty { r.error("a section needs a 'title'", at: r.location(s)) }
                        if files.isEmpty {
                            r.error(sectionInserts.isEmpty ? "section '\(title)' lists no articles"
                                        : "section '\(title)' lists only ads: a full-page ad goes among a section's articles, after the one it follows",
                                    at: r.location(s))
                        }
                        if parallel && files.count % 2 == 1 {
                            r.error("section '\(title)' is 'facing: parallel' and pairs its articles (each with its translation), but lists \(files.count)", at: r.location(s))
                        }
                        if runOn && parallel {
                            r.error("section '\(title)' cannot be both 'facing: parallel' and 'flow: continuous'", at: r.location(s))
                        }
                        sections.append((title, facing, parallel, runOn, files))
                        inserts.append(sectionInserts)
                    }
                }
            }
            if magazine.isEmpty { r.error("the manifest needs 'magazine:' (the magazine's name)", at: r.location(root)) }
            if label.isEmpty { r.error("the manifest needs 'issue:' (the issue label, e.g. 2024年第6期)", at: r.location(root)) }
            if sections.isEmpty { r.error("the manifest needs 'sections:' with at least one section", at: r.location(root)) }
        }
        try r.check()
        // Read every article (on every core: they are independent); collect all errors before failing.
        // The articles' paths: as written, else relative to the manifest's folder.
        let paths = sections.map { $0.files.map { PathName.resolve($0.file, in: folderPath) } }
        var only = only
        if let wanted = only, wholeSections {
            let kept = Set(paths.filter { $0.contains(where: wanted) }.joined())
            only = { kept.contains($0) }
        }
        let read = readArticles(paths.joined().filter { only?($0) ?? true }, options: options)
        var errors: [Diagnostic] = [], warnings: [Diagnostic] = []
        var out: [Section] = []
        var listed: [String: SourceLocation] = [:]   // where each article file is first listed
        for (s, sectionPaths) in zip(sections, paths) {
            var articles: [Article] = []
            for (entry, articlePath) in zip(s.files, sectionPaths) {
                let (file, loc) = (entry.file, entry.location)
                // A file listed again is printed again, but what reading it found is said once.
                let first = listed[articlePath], again = first != nil
                if let first {
                    warnings.append(.warning("'\(file)' is listed again (first on line \(first.line)): it is printed twice", at: loc, code: "listed-twice"))
                } else {
                    listed[articlePath] = loc
                }
                if let only, !only(articlePath) { continue }
                switch RegularFile.kind(articlePath) {
                case .regular: break
                case .missing:
                    errors.append(.error("the manifest names the article '\(file)', which does not exist", at: loc))
                    continue
                default:
                    errors.append(.error(RegularFile.problem(articlePath, noun: "article") ?? "cannot read \(file)", at: loc))
                    continue
                }
                guard let result = read[articlePath] else {   // vanished between the two looks
                    errors.append(.error("cannot read \(file)", at: loc))
                    continue
                }
                do {
                    var loaded = try result.get()
                    loaded.article.budget = entry.budget
                    loaded.article.endAd = entry.endAd
                    loaded.article.endsWithSpace = entry.endsWithSpace
                    articles.append(loaded.article)
                    if !again { warnings += loaded.warnings }
                } catch let e as FolioError {
                    if !again { errors += e.diagnostics }
                }
            }
            var section = Section(title: s.title, articles: articles, facing: s.facing, parallel: s.parallel)
            section.inserts = only == nil || (wholeSections && !articles.isEmpty) ? inserts[out.count] : []
            section.runOn = s.runOn
            out.append(section)
        }
        var issue = Issue(magazine: magazine, label: label, date: date, publisher: publisher, sections: out)
        if let cover, only == nil { issue.cover = CoverLoader.resolve(cover, articles: issue.articles, problems: &coverProblems) }
        issue.insideFrontCover = coverPages[.insideFrontCover]
        issue.insideBackCover = coverPages[.insideBackCover]
        issue.backCover = coverPages[.backCover]
        issue.imprint = imprint
        issue.fillers = fillers
        issue.budget = issueBudget
        if [issue.insideFrontCover, issue.insideBackCover, issue.backCover].contains(.imprint) && imprint.isEmpty {
            coverProblems.append(.error("a cover page is the imprint, but the manifest has no 'imprint:' entries", at: SourceLocation(file: path)))
        }
        errors += coverProblems.filter { $0.severity == .error }
        warnings += coverProblems.filter { $0.severity != .error }
        if !errors.isEmpty { throw FolioError(errors) }
        var ids: [String: String] = [:]   // id → the file of the first article with it
        for a in out.flatMap(\.articles) {
            if let first = ids[a.id] {
                // (The same file listed twice is reported where it is listed.)
                if first != a.location.file { warnings.append(.warning("two articles share the id '\(a.id)'; preview --article picks the first", at: a.location)) }
            } else {
                ids[a.id] = a.location.file
            }
        }
        var loaded = LoadedIssue(issue: issue, templatePath: template, warnings: warnings)
        loaded.articlesNamed = sections.reduce(0) { $0 + $1.files.count }
        return loaded
    }
}

/// The manifest's keys, in the order an unknown key's error lists them.
enum ManifestKey: String, CaseIterable {
    case magazine, issue, date, publisher, template, pages, sections, cover, imprint, fillers
    case insideFrontCover = "inside-front-cover", insideBackCover = "inside-back-cover", backCover = "back-cover"
}
private enum SectionKey: String, CaseIterable { case title, articles, facing, flow }
private enum BudgetedArticleKey: String, CaseIterable { case file, pages, endsWithSpace = "ends-with-space" }
