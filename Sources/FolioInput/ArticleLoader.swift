/// Reads an article file: YAML front matter between `---` lines (or TOML between `+++` lines,
/// as Hugo writes it), then CommonMark.
/// Unknown front-matter keys are errors with a suggestion; images are resolved against the
/// article's folder and probed (a missing image is an error unless the options allow it).
import FolioCore
import Foundation
import Yams

/// How input reading treats recoverable problems.
public struct InputOptions: Sendable {
    /// Missing or unreadable images become placeholders with a warning instead of an error.
    public var allowMissingImages = false
    /// Image paths may leave the article's folder (`../`, absolute paths).
    public var allowOutsideImages = false
    /// Articles read before, reused while neither they nor their images changed (the live preview).
    public var readCache: ArticleReadCache?
    public init(allowMissingImages: Bool = false, allowOutsideImages: Bool = false) {
        self.allowMissingImages = allowMissingImages; self.allowOutsideImages = allowOutsideImages
    }
}

/// An article as read, with the warnings reading produced.
public struct LoadedArticle: Sendable {
    public var article: Article
    public var warnings: [Diagnostic]
}

public enum ArticleLoader {
    public static let frontMatterKeys = FrontMatterKey.allCases.map(\.rawValue)

    /// The front matter's keys, in the order an unknown key's error lists them.
    enum FrontMatterKey: String, CaseIterable {
        case title, kicker, section, deck, author, date, source, editor, language, variant, writingMode = "writing-mode"
        // Hugo's keys, accepted (`description` is the deck when there is none).
        case draft, tags, slug, description, weight, categories
    }

    /// The text of `line` if it is a level-1 heading written `# 标题` (read as Markdown: its
    /// emphasis and `{#id}` are not the title's words), else nil.
    static func titleLine(_ line: Substring, path: String) -> String? {
        let start = line.drop { $0 == " " }
        guard line.count - start.count <= 3, start.hasPrefix("# ") || start.hasPrefix("#\t") else { return nil }
        var reader = MarkdownReader(file: path, lineOffset: 0) { src, caption, at in Figure(path: src, caption: caption, image: nil, location: at) }
        guard case .heading(1, let text, _)? = reader.read(String(start)).first else { return nil }
        let title = HeadingAttributes.split(text).text.string.trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? nil : title
    }

    /// A manuscript's first line as its title: up to 40 letters of text (no Markdown block, no
    /// emphasis or link marks), no full stop in it, not a byline, a blank line (or nothing, or
    /// a subtitle) after it.
    static func plainTitle(_ line: Substring, next: Substring) -> String? {
        let title = line.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty, next.allSatisfy(\.isWhitespace) || subtitle(next) != nil, title.filter({ !$0.isWhitespace }).count <= 40,
              !title.contains(where: { "。.#>*_`[]!|<".contains($0) }), !title.hasPrefix("-"), !title.hasPrefix("+"),
              ManuscriptHabits.byline(title) == nil else { return nil }
        return title
    }

    /// The first line of `text` that is not blank, and how many blank lines come before it.
    static func firstLine(_ text: String) -> (line: Substring, blank: Int) {
        var rest = Substring(text), blank = 0
        while let end = rest.firstIndex(of: "\n"), rest[..<end].allSatisfy(\.isWhitespace) { rest = rest[rest.index(after: end)...]; blank += 1 }
        return (rest.prefix { $0 != "\n" }, blank)
    }

    /// The line after `line` (a line of `text`), empty at the end.
    static func nextLine(after line: Substring, in text: String) -> Substring {
        text[line.endIndex...].dropFirst().prefix { $0 != "\n" }
    }

    /// A subtitle line as Chinese manuscripts write it, `——一个嘎查的十年` (a 破折号 before it, or
    /// `--`): its words, up to 40 letters and no full stop.
    static func subtitle(_ line: Substring) -> String? {
        let s = line.trimmingCharacters(in: .whitespaces)
        guard s.hasPrefix("——") || s.hasPrefix("--") || s.hasPrefix("—") else { return nil }
        let words = s.drop { $0 == "—" || $0 == "-" || $0.isWhitespace }
        // (Not a line of dialogue: `——你好吗？`)
        guard let last = words.last, words.filter({ !$0.isWhitespace }).count <= 40, !words.contains("。"), !"？！?!”".contains(last) else { return nil }
        return String(words)
    }

    public static func load(path: String, options: InputOptions = InputOptions()) throws -> LoadedArticle {
        let text = try InputFile.readText(path)
        return try parse(text, path: path, options: options)
    }

    /// `imagesFolder`: where image paths are resolved, when not beside `path` (a Word article
    /// converted in a scratch folder; messages still name `path`).
    public static func parse(_ raw: String, path: String, options: InputOptions = InputOptions(), imagesFolder: String? = nil) throws -> LoadedArticle {
        let (text, removed) = TextSanitizer.clean(raw, file: path)
        let id = PathName.stem(path)
        var meta = ArticleMeta()
        var body = text
        var bodyLineOffset = 0
        let reader = YAMLReader(file: path, lineOffset: 1)
        let toml = text.hasPrefix("+++\n")
        if text.hasPrefix("---\n") || toml {
            let lines = text.lineSlices
            let fence = toml ? "+++" : "---"
            guard let close = lines.dropFirst().firstIndex(where: { $0 == fence || (!toml && $0 == "...") }) else {
                throw FolioError("the front matter opened on line 1 is never closed with a '\(fence)' line", at: SourceLocation(file: path, line: 1))
            }
            let yaml = toml ? try TOMLFrontMatter.yaml(lines[1..<close], file: path) : lines[1..<close].joined(separator: "\n")
            body = lines[(close + 1)...].joined(separator: "\n")
            bodyLineOffset = close + 1
            if let root = reader.parse(yaml) {
                readMeta(root, reader, &meta)
            }
        }
        try reader.check()
        // A first line `# 标题` is the title where the front matter gives none (as pandoc, Typora
        // and GitHub read it), and the title again where it does: printed once. The line is
        // left empty, so that the lines after it keep their numbers.
        var titleNote: Diagnostic?
        let (first, blank) = firstLine(body)
        /// `line` (of `body`) left empty, so that the lines after it keep their numbers.
        func emptying(_ line: Substring) { body = String(body[..<line.startIndex]) + String(body[line.endIndex...]) }
        if let heading = titleLine(first, path: path) {
            let at = SourceLocation(file: path, line: bodyLineOffset + blank + 1)
            if meta.title.isEmpty {
                meta.title = heading
                titleNote = Diagnostic(.note, "the title '\(heading)' is taken from this first line (no 'title:' in front matter)", at: at, code: "title")
            } else if heading == meta.title.trimmingCharacters(in: .whitespaces) {
                titleNote = Diagnostic(.note, "this heading repeats the front matter's title; printed once, as the title", at: at, code: "title")
            }
            if titleNote != nil { emptying(first) }
        } else if meta.title.isEmpty, let title = plainTitle(first, next: nextLine(after: first, in: body)) {
            // A manuscript pasted as text begins with its title on a line of its own, as a web
            // archive does: a short line, no sentence in it, a blank line after it.
            meta.title = title
            titleNote = Diagnostic(.note, "the title '\(title)' is taken from this first line (no 'title:' in front matter, nor '# ' before it)",
                                   at: SourceLocation(file: path, line: bodyLineOffset + blank + 1), code: "title")
            emptying(first)
        }
        if meta.title.isEmpty {
            throw FolioError("the article has no title; add 'title:' to its front matter, or begin the text with a line '# 标题'", at: SourceLocation(file: path, line: 1))
        }
        // A subtitle under a title written in the text, as Chinese manuscripts write one,
        // `——一个嘎查的十年`: the deck where the front matter gives none (it was the first body
        // paragraph, dashes and all).
        var deckNote: Diagnostic?
        if meta.deck == nil, titleNote != nil {
            let (line, skipped) = firstLine(body)
            if let deck = subtitle(line), nextLine(after: line, in: body).allSatisfy(\.isWhitespace) {
                meta.deck = deck
                deckNote = Diagnostic(.note, "the subtitle '\(deck)' is printed as the deck, under the title (no 'deck:' in front matter)",
                                      at: SourceLocation(file: path, line: bodyLineOffset + skipped + 1), code: "title")
                emptying(line)
            }
        }

        let folder = imagesFolder.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: path).deletingLastPathComponent()
        var imageProblems: [Diagnostic] = []
        var md = MarkdownReader(file: path, lineOffset: bodyLineOffset) { src, caption, loc in
            let (info, problem) = resolveImage(src, folder: folder, options: options)
            if let problem { imageProblems.append(Diagnostic(options.allowMissingImages ? .warning : .error, problem, at: loc, code: "missing-image")) }
            return Figure(path: src, caption: caption, image: info, location: loc)
        }
        // Footnotes become numbered notes under 注释 at the end (libcmark would drop them).
        let notes = Footnotes.endnotes(in: body, keepLines: true)
        var noteProblems: [Diagnostic] = []
        func at(_ line: Int) -> SourceLocation { SourceLocation(file: path, line: bodyLineOffset + line + 1) }
        // The heading is Folio's word in the article's language (the template's `labels`, which
        // this reader does not know): named here only for a Chinese article.
        let chinese = LanguageInfo(meta.language).primary == "zh"
        let under = chinese ? "under \(Footnotes.heading)" : "under the notes heading"
        if notes.count > 0 {
            noteProblems.append(Diagnostic(.note, "\(plural(notes.count, "footnote")) set as numbered notes \(under) at the end of the article",
                                           at: at(notes.firstNoteLine), code: "footnotes"))
        }
        for u in notes.unresolved {
            noteProblems.append(.warning("the footnote mark [^\(u.label)] has no note (a line '[^\(u.label)]: …' of its own); it is printed as written",
                                         at: at(u.line), code: "footnotes"))
        }
        for u in notes.uncalled {
            noteProblems.append(.warning("the note [^\(u.label)] is called by no mark in the text (or its label is used twice); it is listed \(under) all the same",
                                         at: at(u.line), code: "footnotes"))
        }
        // A Chinese article's marks typed half-width are restored, as a web archive's are.
        if chinese {
            var restorer = PunctuationRestorer()
            restorer.fullWidthAlphanumerics = meta.writingMode == .horizontalLTR
            // The heads too: a title printed at 30 pt shows a half-width colon most of all.
            meta.kicker = meta.kicker.map { restorer.restore($0) }
            meta.title = restorer.restore(meta.title)
            meta.deck = meta.deck.map { restorer.restore($0) }
            meta.source = meta.source.map { restorer.restore($0) }
            if restorer.total > 0 { md.habits.restoredAt = SourceLocation(file: path, line: 1) }
            md.habits.punctuation = restorer
        }
        var blocks = md.read(notes.markdown)
        // The author without a label the template prints itself (`文/林晓岚`).
        var creditNotes: [Diagnostic] = []
        if let given = meta.author, case let (name, label?) = ManuscriptHabits.authorName(given) {
            meta.author = name
            creditNotes.append(Diagnostic(.note, "the author '\(given)' is printed as '\(name)' after the template's byline label: '\(label)' is that label", at: SourceLocation(file: path, line: 1), code: "author"))
        }
        if imageProblems.contains(where: { $0.severity == .error }) {
            throw FolioError(imageProblems.map { d in
                var d = d
                // A refused path has its own flag in the message; a missing or bad image this one.
                if !d.message.contains("--allow-outside-images") { d.message += " (use --allow-missing-images to print a placeholder instead)" }
                return d
            })
        }
        // A manuscript's byline, notes section, closing lines and editor's note.
        var ownNotes = false
        if chinese {
            let frame = ManuscriptHabits.frame(&blocks, meta: &meta, gathered: notesHeading(blocks, notes: notes.count))
            (ownNotes, creditNotes) = (frame.ownNotes, creditNotes + frame.notes)
        }
        var article = Article(id: id, meta: meta, blocks: blocks, location: SourceLocation(file: path, line: 1))
        article.headingIDs = md.headingIDs
        article.notesHeading = notesHeading(blocks, notes: notes.count + (ownNotes ? 1 : 0))
        let emptySections = ManuscriptHabits.emptySections(blocks[..<(article.notesHeading ?? blocks.count)])
        return LoadedArticle(article: article, warnings: removed + [titleNote, deckNote].compactMap { $0 } + creditNotes + noteProblems + md.warnings + emptySections + imageProblems)
    }

    /// The heading over the notes gathered from footnotes: the last one (the notes follow it), Folio's word.
    static func notesHeading(_ blocks: [Block], notes: Int) -> Int? {
        guard notes > 0, let k = blocks.lastIndex(where: { if case .heading = $0 { true } else { false } }),
              case .heading(_, let text, _) = blocks[k], text.string == Footnotes.heading else { return nil }
        return k
    }

    /// Whether `s` is an RFC 3339 timestamp, `YYYY-MM-DD` then `T` or a space, `hh:mm`, optional
    /// `:ss` and fraction, optional `Z` or `±hh:mm`. (Matched by its bytes: Foundation compiled an
    /// ICU regular expression for every article's date, 1–2 ms of a preview.)
    static func isTimestamp(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Bool {
            guard i + n <= b.count, b[i..<(i + n)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            i += n
            return true
        }
        func byte(_ options: String) -> Bool {
            guard i < b.count, options.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard digits(4), byte("-"), digits(2), byte("-"), digits(2), byte("T "), digits(2), byte(":"), digits(2) else { return false }
        if byte(":") {
            guard digits(2) else { return false }
            if byte(".") {
                guard digits(1) else { return false }
                while digits(1) {}
            }
        }
        if byte("+-") { guard digits(2), byte(":"), digits(2) else { return false } } else { _ = byte("Z") }
        return i == b.count
    }

    private static func readMeta(_ root: Node, _ r: YAMLReader, _ meta: inout ArticleMeta) {
        var description: String?
        for (key, value) in r.mapping(root, keys: FrontMatterKey.self, context: "the front matter") ?? [] {
            switch key {
            case .draft: if let b = r.bool(value) { meta.draft = b }; continue
            case .weight: if let w = r.int(value, range: Int(Int32.min)...Int(Int32.max)) { meta.weight = w }; continue
            case .tags, .categories:
                // A list, or one word on its own.
                let words = if case .scalar = value { [r.string(value) ?? ""] } else { r.sequence(value)?.compactMap { r.string($0) } ?? [] }
                if key == .tags { meta.tags = words } else { meta.categories = words }
                continue
            case .title, .kicker, .section, .deck, .author, .date, .source, .editor, .language, .variant, .writingMode, .slug, .description: break
            }
            guard let s = r.string(value) else { continue }
            switch key {
            case .description: description = s
            case .slug: meta.slug = s
            case .title: meta.title = s
            case .kicker, .section: meta.kicker = s
            case .deck: meta.deck = s
            case .author: meta.author = s
            case .date:
                // Also Hugo's RFC 3339 timestamps (2024-05-01T10:00:00+08:00): the date is the day printed.
                let stamp = isTimestamp(s) ? String(s.prefix(10)) : s
                if let d = CalendarDate(stamp) { meta.date = d.description } else { r.error(CalendarDate.problem(s), at: r.location(value)) }
            case .source: meta.source = s
            case .editor: meta.editor = s
            case .language: meta.language = s
            case .writingMode:
                if let mode = DeclaredWritingMode(rawValue: s) { meta.declaredWritingMode = mode } else {
                    r.error("writing-mode must be horizontal-tb, vertical-rl or vertical-lr; found '\(s)'", at: r.location(value))
                }
            case .variant: meta.variant = s
            case .draft, .weight, .tags, .categories: break   // read above
            }
        }
        if meta.deck == nil, let description, !description.isEmpty { meta.deck = description }
    }

    /// `src` (percent-decoded) against `folder`, standardized.
    static func resolvePath(_ src: String, folder: URL) -> String {
        let decoded = src.removingPercentEncoding ?? src
        return (decoded.hasPrefix("/") ? URL(fileURLWithPath: decoded) : folder.appendingPathComponent(decoded)).standardizedFileURL.path
    }

    /// The image at `src` relative to `folder`, or why it cannot be used.
    static func resolveImage(_ src: String, folder: URL, options: InputOptions) -> (ImageInfo?, String?) {
        guard !src.isEmpty else { return (nil, "an image without a path") }
        // `map.pdf#page=2`: a page of a PDF graphic.
        var path = src, page = 1
        if let hash = src.range(of: "#page=", options: .backwards), src[..<hash.lowerBound].lowercased().hasSuffix(".pdf") {
            guard let n = Int(src[hash.upperBound...]), n >= 1 else { return (nil, "'\(src)': the page after #page= must be a number from 1") }
            page = n
            path = String(src[..<hash.lowerBound])
        }
        let resolved = resolvePath(path, folder: folder)
        // Symlinks are resolved before the check: a link to a file outside is outside.
        if !options.allowOutsideImages && !RegularFile.isInside(resolved, folder: folder.path) {
            let base = folder.standardizedFileURL.path
            let how = resolved.hasPrefix(base + "/") ? " through a symbolic link" : ""
            return (nil, "the image path '\(src)' leaves the article's folder\(how); refused (use --allow-outside-images)")
        }
        do {
            return (try ImageProbe.probe(resolved, page: page), nil)
        } catch let e as FolioError {
            return (nil, e.diagnostics.first?.message ?? "image \(src) unusable")
        } catch {
            return (nil, "image \(src): \(error)")
        }
    }
}

/// Articles kept between reads of a changing issue (the live preview): an article is read again
/// only when its file or one of its images (or where a missing one would be) changed, so an edit
/// to one article of a 500-page issue reads one file, not 250, and probes none of the others' images.
public final class ArticleReadCache: @unchecked Sendable {
    private struct Entry {
        var stamps: [String: FileStamp]
        var loaded: LoadedArticle
        var options: (Bool, Bool)
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    public init() {}

    /// The article at `path`, from the cache when nothing it read has changed.
    func load(path: String, options: InputOptions) throws -> LoadedArticle {
        let how = (options.allowMissingImages, options.allowOutsideImages)
        let known = lock.withLock { entries[path] }
        // The stamps now of what the article read last time: unchanged, it is not read again;
        // changed, they are what the new read began with.
        let read = FileRead(knowing: known.map { Array($0.stamps.keys) } ?? [path])
        if let known, known.options == how, known.stamps == read.before { return known.loaded }
        var plain = options
        plain.readCache = nil
        let loaded = try ArticleLoader.load(path: path, options: plain)
        let entry = Entry(stamps: read.stamps([path] + loaded.article.imageFiles), loaded: loaded, options: how)
        lock.withLock { entries[path] = entry }
        return loaded
    }
}
