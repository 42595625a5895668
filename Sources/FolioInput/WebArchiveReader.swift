/// Reads the plain-text export of an archived web article into the same `Article` model as
/// Markdown. The export is a sequence of lines: a breadcrumb (`您现在所在位置:首页 > 示范创建`),
/// the title, a `发布日期:` line, body paragraphs (one per line, often indented with spaces or
/// U+3000), image file names each followed by its caption, short subheads, credit lines
/// (`来源:` `文:` `责编:` …) and publisher boilerplate. Classification goes by the shape and
/// position of lines, never by a list of expected words for subheads; anything unclassified
/// stays in the body, and what is dropped is reported.
import FolioCore
import Foundation

public enum WebArchiveReader {
    /// A boilerplate pattern, compiled. Swift's `Regex` costs microseconds a call whatever the
    /// line, and the patterns are tried on every line of every article; so a pattern that is
    /// plain text (`邮发代号`, `^欢迎订阅`) is looked for as bytes, and one anchored at the line
    /// start (`^…` with no alternative outside parentheses) is tried there only — `contains`
    /// tried every position of lines hundreds of characters long.
    struct Pattern {
        enum Test {
            case prefix([UInt8]), anywhere([UInt8]), regex(Regex<AnyRegexOutput>, anchored: Bool)
        }
        let test: Test

        init?(_ pattern: String) {
            guard let regex = try? Regex(pattern) else { return nil }
            let anchored = Self.isAnchored(pattern)
            let text = anchored ? pattern.dropFirst() : pattern[...]
            if !text.isEmpty, !text.contains(where: { "\\^$.|?*+()[]{}".contains($0) }) {
                test = anchored ? .prefix(Array(text.utf8)) : .anywhere(Array(text.utf8))
            } else {
                test = .regex(regex, anchored: anchored)
            }
        }

        func matches(_ line: String) -> Bool {
            switch test {
            case .prefix(let bytes): return line.utf8.starts(with: bytes)
            case .anywhere(let bytes):
                var line = line   // (native Swift strings are contiguous UTF-8)
                return line.withUTF8 { Self.find(bytes, in: $0) }
            case .regex(let regex, anchored: true): return line.prefixMatch(of: regex) != nil
            case .regex(let regex, anchored: false): return line.contains(regex)
            }
        }

        /// Whether `needle` occurs in `text`: C's `memchr` for its first byte, `memcmp` for the rest
        /// (the standard library's generic `firstRange(of:)` took four times the regular expression's time).
        static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let first = needle.first else { return true }
            guard let base = text.baseAddress, text.count >= needle.count else { return false }
            var from = base
            let end = base + (text.count - needle.count + 1)   // the last place the needle can start, + 1
            while from < end, let hit = memchr(from, Int32(first), end - from) {
                let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(at, needle, needle.count) == 0 { return true }
                from = at + 1
            }
            return false
        }

        /// Whether every match of `pattern` starts where the text does.
        static func isAnchored(_ pattern: String) -> Bool {
            guard pattern.hasPrefix("^") else { return false }
            let chars = Array(pattern.unicodeScalars.dropFirst())
            var i = 0, depth = 0, inClass = false
            while i < chars.count {
                let c = chars[i]
                i += 1
                if c == "\\" { i += 1; continue }   // an escaped character, in a class or not
                if inClass {
                    if c == "]" { inClass = false }
                    continue
                }
                switch c {
                case "[":
                    inClass = true
                    if i < chars.count, chars[i] == "^" { i += 1 }
                    if i < chars.count, chars[i] == "]" { i += 1 }   // first in a class, ] is a member
                case "(": depth += 1
                case ")": depth -= 1
                case "|" where depth == 0: return false
                default: break
                }
            }
            return true
        }
    }

    /// The template's boilerplate patterns compiled once per process, not once per article (a
    /// batch of thousands of articles spent 1 % of its time parsing the same regular expressions).
    static func compiled(_ patterns: [String]) -> [Pattern] {
        compiledPatterns.withLock { made in
            if let found = made[patterns] { return found }
            let regexes = patterns.compactMap(Pattern.init)
            made[patterns] = regexes
            return regexes
        }
    }
    private static let compiledPatterns = LockedDictionary<[String], [Pattern]>()

    /// What the import did, for the batch report.
    public struct Report: Sendable {
        public var encoding = InputFile.Encoding.utf8
        public var punctuation: [String: Int] = [:]
        public var boilerplateLines = 0
        public var figures = 0
        public var subheads = 0
    }

    public struct Loaded: Sendable {
        public var article: Article
        public var warnings: [Diagnostic]
        public var report: Report
    }

    public static func load(path: String, settings: ArchiveSettings = ArchiveSettings(),
                            options: InputOptions = InputOptions(allowMissingImages: true)) throws -> Loaded {
        let (text, encoding) = try InputFile.readDetectingEncoding(path)
        var loaded = try parse(text, path: path, settings: settings, options: options)
        loaded.report.encoding = encoding
        if encoding != .utf8 { loaded.warnings.append(.warning("read as \(encoding.rawValue) (not UTF-8)", at: SourceLocation(file: path), code: "legacy-encoding")) }
        return loaded
    }

    /// A line without the blanks around it: spaces (Unicode's Zs: U+0020, U+3000, no-break
    /// spaces…), tabs and byte-order marks — Foundation's `.whitespaces` and U+FEFF, by scalars
    /// (Foundation's `trimmingCharacters` went through NSString: 1 % of a batch).
    static func trimmed(_ line: Substring) -> String {
        func blank(_ u: Unicode.Scalar) -> Bool { u == "\t" || u == "\u{FEFF}" || u.properties.generalCategory == .spaceSeparator }
        let scalars = line.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// The labels of a date field.
    static let dateLabels = ["发布日期", "发布时间", "日期", "时间", "发表时间", "更新时间"]

    /// Credit labels and the front-matter field each fills (the rest are kept as credit text).
    static let creditLabels: [(label: String, field: String?)] = [
        ("来源", "source"), ("文", "author"), ("文字", "author"), ("作者", "author"), ("记者", "author"), ("本刊记者", "author"),
        ("责编", "editor"), ("责任编辑", "editor"), ("编辑", "editor"),
        ("流程制作", nil), ("摄影", nil), ("图", nil), ("图片", nil), ("审核", nil), ("校对", nil), ("通讯员", nil), ("统筹", nil),
    ]

    public static func parse(_ text: String, path: String, settings: ArchiveSettings = ArchiveSettings(),
                             options: InputOptions = InputOptions(allowMissingImages: true)) throws -> Loaded {
        let (text, removed) = TextSanitizer.clean(text, file: path)
        let id = PathName.stem(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var meta = ArticleMeta()
        var report = Report()
        var warnings: [Diagnostic] = removed
        var restorer = PunctuationRestorer()
        func restore(_ s: String) -> String { settings.restorePunctuation ? restorer.restore(s) : s }
        let boilerplate = Self.compiled(settings.boilerplatePatterns)

        // Cut at line feeds by bytes: a line feed is a character of its own (line ends are folded
        // to it on reading), and cutting by characters walked every grapheme of the text.
        let lines: [ArchiveLine] = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().map { n, bytes in
            let raw = Substring(bytes)
            let indented = raw.first.map { $0 == " " || $0 == "\u{3000}" || $0 == "\t" || $0 == "\u{A0}" } ?? false
            return ArchiveLine(text: Self.trimmed(raw),
                        number: n + 1, indented: indented)
        }
        func loc(_ l: ArchiveLine) -> SourceLocation { SourceLocation(file: path, line: l.number, column: 1) }

        var i = 0
        func skipBlank() { while i < lines.count, lines[i].text.isEmpty { i += 1 } }
        skipBlank()
        // Breadcrumb: "位置" or a "首页 >" trail; the section is its last step.
        if i < lines.count, isBreadcrumb(lines[i].text) {
            let steps = lines[i].text.split(whereSeparator: { $0 == ">" || $0 == "＞" || $0 == "›" || $0 == "»" })
            if let last = steps.last?.trimmingCharacters(in: .whitespaces), !last.isEmpty, !last.contains("位置") { meta.kicker = last }
            i += 1
            skipBlank()
        }
        // Title: the first line that is not a date/credit line.
        var titleLine: ArchiveLine?
        if i < lines.count, parseFields(lines[i].text).isEmpty {
            titleLine = lines[i]
            meta.title = restore(lines[i].text)
            i += 1
            // A subtitle line under it, `——一个嘎查的十年`, as a manuscript writes one: the deck.
            skipBlank()
            if i < lines.count, let deck = ArticleLoader.subtitle(Substring(lines[i].text)) {
                meta.deck = restore(deck)
                warnings.append(Diagnostic(.note, "the subtitle '\(deck)' is printed as the deck, under the title", at: loc(lines[i])))
                i += 1
            }
        }

        var blocks: [Block] = [], runTogether: [SourceLocation] = []
        var boilerplateBlocks: [Block] = []
        var inBoilerplate = false
        var extraCredits: [String] = []
        while i < lines.count {
            let line = lines[i]
            let t = line.text
            i += 1
            if t.isEmpty { continue }
            let fields = parseFields(t)
            if !fields.isEmpty && !inBoilerplate {
                for (key, value) in fields {
                    switch key {
                    case "date":
                        if let d = normalisedDate(value) { meta.date = d } else {
                            warnings.append(.warning("\(CalendarDate.problem(value)); the article is printed without a date", at: loc(line)))
                        }
                    case "source": meta.source = restore(value)
                    case "author": meta.author = ManuscriptHabits.authorName(value).name   // 作者：文/林晓岚
                    case "editor": meta.editor = value
                    default: extraCredits.append(value)
                    }
                }
                continue
            }
            if !inBoilerplate && boilerplate.contains(where: { $0.matches(t) }) { inBoilerplate = true }
            if inBoilerplate {
                report.boilerplateLines += 1
                boilerplateBlocks.append(.paragraph(StyledText(t), location: loc(line)))
                continue
            }
            if isImageName(t) {
                // The next non-blank line is its caption, unless it is itself an image, a credit or a long paragraph.
                var caption = ""
                var j = i
                while j < lines.count, lines[j].text.isEmpty { j += 1 }
                if j < lines.count, !isImageName(lines[j].text), parseFields(lines[j].text).isEmpty,
                   lines[j].text.count <= 80, !lines[j].indented || lines[j].text.count <= 40 {
                    caption = restore(lines[j].text)
                    i = j + 1
                }
                let (info, problem) = ArticleLoader.resolveImage(t, folder: folder, options: options)
                if let problem {
                    let d = Diagnostic(options.allowMissingImages ? .warning : .error, problem, at: loc(line), code: "missing-image")
                    if d.severity == .error { throw FolioError([d]) }
                    warnings.append(d)
                }
                blocks.append(.figure(Figure(path: t, caption: StyledText(caption), image: info, location: loc(line))))
                report.figures += 1
                continue
            }
            var j = i
            while j < lines.count, lines[j].text.isEmpty { j += 1 }
            if isSubhead(line, next: j < lines.count ? lines[j] : nil) {
                blocks.append(.heading(level: 2, text: StyledText(restore(t)), location: loc(line)))
                report.subheads += 1
                continue
            }
            let pieces = ManuscriptHabits.runTogether(StyledText(restore(t)))
            if pieces.count > 1 { runTogether.append(loc(line)) }
            blocks += pieces.map { .paragraph($0, location: loc(line)) }
        }
        if let first = runTogether.first {
            warnings.append(Diagnostic(.note, ManuscriptHabits.Found.runTogetherNote(runTogether.count), at: first, code: "indent"))
        }

        if meta.title.isEmpty {
            throw FolioError("no title line found (the first line after the breadcrumb)", at: SourceLocation(file: path, line: 1))
        }
        if !extraCredits.isEmpty {
            meta.editor = ([meta.editor].compactMap { $0 } + extraCredits).joined(separator: "　")
        }
        // Its byline, editor's note, closing credits and end mark, as a manuscript's.
        if LanguageInfo(meta.language).primary == "zh" {
            warnings += ManuscriptHabits.frame(&blocks, meta: &meta, gathered: nil).notes
        }
        if !boilerplateBlocks.isEmpty {
            let first = boilerplateBlocks[0].location
            switch settings.boilerplate {
            case .box: blocks.append(.box(title: nil, boilerplateBlocks, location: first))
            case .drop:
                warnings.append(.warning("dropped \(plural(boilerplateBlocks.count, "line")) of publisher boilerplate (template archive.boilerplate: drop)", at: first, code: "boilerplate-dropped"))
            }
        }
        report.punctuation = restorer.counts
        if restorer.total > 0 {
            warnings.append(Diagnostic(.note, restorer.summary, at: titleLine.map(loc) ?? SourceLocation(file: path), code: "punctuation"))
        }
        let article = Article(id: id, meta: meta, blocks: blocks, location: SourceLocation(file: path, line: titleLine?.number ?? 1))
        return Loaded(article: article, warnings: warnings, report: report)
    }

    static func isBreadcrumb(_ s: String) -> Bool {
        s.contains("所在位置") || s.contains("当前位置") || (s.contains("首页") && (s.contains(">") || s.contains("＞") || s.contains("›")))
    }

    static func isImageName(_ s: String) -> Bool {
        // Asked of every line, paragraphs too: the ending first, on bytes (a paragraph's
        // characters counted and lowercased were a tenth of reading an archived article).
        let bytes = s.utf8
        guard bytes.count > 4, bytes.count <= 800, !bytes.contains(0x20) else { return false }
        let ending = String(decoding: bytes.suffix(5), as: UTF8.self).lowercased()
        guard [".jpg", ".jpeg", ".png", ".gif"].contains(where: { ending.hasSuffix($0) }) else { return false }
        let characters = s.count
        return characters > 4 && characters <= 200
    }

    /// `key: value` credit and date fields on one line (half- or full-width colon); empty if the
    /// line is not made of such fields.
    static func parseFields(_ s: String) -> [(String, String)] {
        // A field line starts with a label and its colon: a line with a space before any colon (or
        // none) is refused by its scalars, before it is cut into chunks of characters.
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\u{3000}" || u == "\t" }
        let scalars = s.unicodeScalars.drop(while: isSpace)
        guard let stop = scalars.firstIndex(where: { $0 == ":" || $0 == "：" || isSpace($0) }), !isSpace(scalars[stop]) else { return [] }
        // The first chunk must be a field: its label, up to that colon, a date or credit label.
        // (Most paragraphs with a colon are refused here, before they are cut into chunks.)
        let first = String(String.UnicodeScalarView(scalars[..<stop]))
        guard dateLabels.contains(first) || creditLabels.contains(where: { $0.label == first }) else { return [] }
        var out: [(String, String)] = []
        // Split into "label:value" chunks at whitespace that precedes another label.
        let chunks = s.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }).map(String.init)
        var pending: (String, String)? = nil
        for chunk in chunks {
            if let colon = chunk.firstIndex(where: { $0 == ":" || $0 == "：" }) {
                let label = String(chunk[..<colon]), value = String(chunk[chunk.index(after: colon)...])
                if dateLabels.contains(label) {
                    if let p = pending { out.append(p) }
                    pending = ("date", normalisedDate(value) ?? value)
                    continue
                }
                if let credit = creditLabels.first(where: { $0.label == label }) {
                    if let p = pending { out.append(p) }
                    pending = (credit.field ?? "credit", credit.field == nil ? "\(label)：\(value)" : value)
                    continue
                }
            }
            guard var p = pending else { return [] }   // text that is not a field: not a field line
            if p.0 == "date", normalisedDate(p.1) != nil, chunk.allSatisfy({ $0.isNumber || $0 == ":" }) { continue }  // a time of day
            p.1 += (p.1.isEmpty ? "" : " ") + chunk
            pending = p
        }
        if let p = pending { out.append(p) }
        return out.filter { !$0.1.isEmpty || $0.0 == "date" }
    }

    /// 2024-07-31, 2024/7/31, 2024.7.31 or 2024年7月31日 → 2024-07-31.
    static func normalisedDate(_ s: String) -> String? {
        let digits = s.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).prefix(3)
        guard digits.count == 3, let date = CalendarDate(digits.joined(separator: "-")), date.day != nil else { return nil }
        return date.description
    }

    /// A subhead: a short line without sentence-final punctuation, followed by a longer line of
    /// body text (so a line at the very end, or a run of short lines, is not taken for one).
    static func isSubhead(_ line: ArchiveLine, next: ArchiveLine?) -> Bool {
        let t = line.text
        // (Counted up to 25 characters: a paragraph's are never all counted.)
        guard let next, t.prefix(25).count <= 24, t.count >= 2 else { return false }
        if let last = t.unicodeScalars.last, "。！？；：，、….!?;:,”’」』）)".unicodeScalars.contains(last) { return false }
        if t.allSatisfy({ $0.isNumber || $0.isPunctuation || $0.isWhitespace }) { return false }
        if isImageName(next.text) || !parseFields(next.text).isEmpty { return false }
        return next.text.count > t.count + 8
    }
}

/// One line of an archive export: its text without edge spaces, its number, and whether it was indented.
struct ArchiveLine {
    var text: String
    var number: Int
    var indented: Bool
}
