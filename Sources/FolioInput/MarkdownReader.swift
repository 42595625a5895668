/// Markdown → `Block`s through libcmark (CommonMark). The only file that calls cmark.
/// Every block carries its source location (line offset by the front matter).
import CCmark
import FolioCore
import Foundation

struct MarkdownReader {
    let file: String
    /// Lines before the Markdown body (the front matter block).
    let lineOffset: Int

    /// Images in the body, as written (path, caption, location), resolved by the caller.
    typealias ImageResolver = (_ path: String, _ caption: StyledText, _ at: SourceLocation) -> Figure
    let resolveImage: ImageResolver
    var warnings: [Diagnostic] = []

    init(file: String, lineOffset: Int, resolveImage: @escaping ImageResolver) {
        self.file = file; self.lineOffset = lineOffset; self.resolveImage = resolveImage
    }

    /// The corresponding C calls: `cmark_parse_document`, `cmark_node_*`, `cmark_node_free`.
    /// The source lines, for blocks libcmark does not parse (GFM pipe tables).
    private var sourceLines: [Substring] = []
    /// The addresses of links whose text is not their address, where each is: the page prints the
    /// text only, so the article says once that they are not printed.
    private var unprintedLinks: [(url: String, at: SourceLocation)] = []
    /// Whether paragraphs indented as code, read as text, are still to be noted (once an article).
    private var notesIndentedProse = true
    /// What was read otherwise than written, as the manuscript meant it (and its restorer of
    /// half-width marks, set for a Chinese article), for the notes.
    var habits = ManuscriptHabits.Found()
    /// The ids headings were given (`## 新的变化 {#change}`), by the heading's source line.
    private(set) var headingIDs: [Int: String] = [:]

    mutating func read(_ markdown: String) -> [Block] {
        sourceLines = markdown.lineSlices
        let markdown = CJKEmphasis.prepare(markdown)   // `**开进牧区。**六月初` emphasises, as its writer meant
        let root = markdown.withCString { cmark_parse_document($0, strlen($0), CMARK_OPT_DEFAULT) }!
        defer { cmark_node_free(root) }
        let (captioned, captionNote) = ManuscriptHabits.captionParagraphs(blocks(of: root))
        let (bold, boldNote) = ManuscriptHabits.boldHeadings(captioned)
        let (numbered, numberedNote) = ManuscriptHabits.numberedHeadings(bold)
        let (read, markedNote) = ManuscriptHabits.markedHeadings(numbered)
        warnings += [captionNote, boldNote, numberedNote, markedNote].compactMap { $0 }
        warnings += habits.notes
        if let first = unprintedLinks.first {
            let n = unprintedLinks.count
            warnings.append(Diagnostic(.note, "\(n == 1 ? "a link's address is" : "\(n) links' addresses are") not printed, only the link's text (\(n == 1 ? "" : "the first: ")\(first.url)); the screen PDF's text leads to it, but write an address into the text where print readers need it",
                                       at: first.at, code: "link-address"))
        }
        return read
    }

    private func location(_ node: OpaquePointer) -> SourceLocation {
        SourceLocation(file: file, line: Int(cmark_node_get_start_line(node)) + lineOffset,
                       column: max(1, Int(cmark_node_get_start_column(node))))
    }

    /// A block quote, or a callout written GitHub's way: `> [!box] 标题` (a framed box) or
    /// `> [!pull]` (a pull quote; `> [!pull optional]` may be left out to fit a page budget);
    /// the marker and title are the quote's first line.
    private mutating func quoteOrCallout(_ node: OpaquePointer, _ loc: SourceLocation) -> Block {
        let inner = blocks(of: node)
        let lineIndex = Int(cmark_node_get_start_line(node)) - 1
        guard lineIndex >= 0, lineIndex < sourceLines.count else { return .quote(inner, location: loc) }
        var first = sourceLines[lineIndex].drop { $0 == " " }
        if first.hasPrefix(">") { first = first.dropFirst().drop { $0 == " " } }
        for marker in ["[!box]", "[!pull]", "[!pull optional]"] where first.lowercased().hasPrefix(marker) {
            let title = first.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
            // The first paragraph starts with the marker and the title: take them off.
            var rest = inner
            if case .paragraph(let text, let ploc)? = rest.first {
                let drop = (marker + (title.isEmpty ? "" : " " + title)).unicodeScalars.count
                let trimmed = text.droppingPrefix(scalars: min(drop, text.scalarCount))
                rest[0] = .paragraph(trimmed, location: ploc)
                if trimmed.isBlank { rest.removeFirst() }
            }
            if marker == "[!box]" { return .box(title: title.isEmpty ? nil : title, rest, location: loc) }
            var text = StyledText(title)
            for case .paragraph(let p, _) in rest { text.append((text.string.isEmpty ? "" : " ") + p.string) }
            return .pullQuote(text, optional: marker == "[!pull optional]", location: loc)
        }
        return .quote(inner, location: loc)
    }

    /// Invisible control characters (bidi overrides, C0 controls, a BOM inside the text) would
    /// silently reorder or disappear: remove them and say which.
    private mutating func checked(_ text: StyledText, at loc: SourceLocation) -> StyledText {
        let (clean, removed) = TextSanitizer.removeControls(text)
        if !removed.isEmpty {
            let names = removed.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: ", ")
            warnings.append(.warning("removed \(plural(removed.count, "invisible control character")) (\(names))", at: loc, code: "control-character"))
        }
        return clean
    }

    private func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var c = cmark_node_first_child(node)
        while let n = c { out.append(n); c = cmark_node_next(n) }
        return out
    }

    /// A paragraph of `paragraph`'s inlines on its first `count` lines, taken out of it (the
    /// caller frees it); nil where a line break is inside emphasis or a link, not between them.
    private static func lines(before count: Int, of paragraph: OpaquePointer) -> OpaquePointer? {
        // The line breaks in a node (emphasis may span lines).
        func breaks(in node: OpaquePointer) -> Int {
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { return 1 }
            var n = 0, c = cmark_node_first_child(node)
            while let child = c { n += breaks(in: child); c = cmark_node_next(child) }
            return n
        }
        var lead: [OpaquePointer] = [], seen = 0
        var c = cmark_node_first_child(paragraph)
        while let n = c, seen < count {
            let inside = breaks(in: n)
            let type = cmark_node_get_type(n)
            let isBreak = type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK
            if !isBreak { guard seen + inside < count else { return nil } }
            seen += inside
            // The breaks between its lines go with them; the one ending the last stays, first in the rest.
            if !isBreak || seen < count { lead.append(n) }
            c = cmark_node_next(n)
        }
        guard seen == count, let out = cmark_node_new(CMARK_NODE_PARAGRAPH) else { return nil }
        for n in lead {
            cmark_node_unlink(n)
            cmark_node_append_child(out, n)
        }
        return out
    }

    /// `paragraph` in the paragraphs its writer meant: Chinese manuscripts (Word's, a web page's
    /// text pasted) begin each paragraph with ideographic spaces and often leave no blank line
    /// between, which Markdown reads as one paragraph with 2-em holes in it. Each line
    /// `ManuscriptHabits.paragraphStarts` names starts a paragraph (taken out of `paragraph` as a
    /// node of its own, which the caller frees), unless emphasis or a link runs over the line
    /// end. The rest of `paragraph` is the last piece.
    private mutating func manuscriptParagraphs(_ paragraph: OpaquePointer, _ loc: SourceLocation) -> [(OpaquePointer, SourceLocation)] {
        let first = Int(cmark_node_get_start_line(paragraph)), last = Int(cmark_node_get_end_line(paragraph))
        guard first >= 1, last > first, last <= sourceLines.count else { return [(paragraph, loc)] }
        let (starts, lineEach, items) = ManuscriptHabits.paragraphStarts(sourceLines[(first - 1)..<last])
        var pieces: [(OpaquePointer, SourceLocation)] = [], taken = 0
        for k in starts {
            guard let lead = Self.lines(before: k - taken, of: paragraph) else { continue }
            // (The line break between them stays behind, first in the rest: gone — a hard one
            // too, where a manuscript ended its paragraph with one.)
            if let b = cmark_node_first_child(paragraph), cmark_node_get_type(b) == CMARK_NODE_SOFTBREAK || cmark_node_get_type(b) == CMARK_NODE_LINEBREAK {
                cmark_node_unlink(b)
                cmark_node_free(b)
            }
            pieces.append((lead, SourceLocation(file: file, line: first + taken + lineOffset, column: taken == 0 ? loc.column : 1)))
            taken = k
        }
        guard taken > 0 else { return [(paragraph, loc)] }
        if lineEach { habits.lineEach.append(SourceLocation(file: file, line: first + lineOffset, column: loc.column)) }
        if items && !lineEach { habits.items.append(SourceLocation(file: file, line: first + lineOffset, column: loc.column)) }
        return pieces + [(paragraph, SourceLocation(file: file, line: first + taken + lineOffset, column: 1))]
    }

    private func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private mutating func blocks(of parent: OpaquePointer) -> [Block] {
        var out: [Block] = []
        for node in children(parent) {
            let loc = location(node)
            switch cmark_node_get_type(node) {
            case CMARK_NODE_PARAGRAPH:
                let first = Int(cmark_node_get_start_line(node)), last = Int(cmark_node_get_end_line(node))
                if first >= 1, last <= sourceLines.count {
                    let lines = Array(sourceLines[(first - 1)..<last]), column = Int(cmark_node_get_start_column(node))
                    if let table = PipeTable.parse(lines, column: column, at: loc) {
                        out.append(.table(table))
                        continue
                    }
                    // A table right under a line of text, no blank line between: the text, then
                    // the table, as GitHub reads it (its pipes were printed).
                    if let h = PipeTable.start(lines, column: column) {
                        let at = SourceLocation(file: loc.file, line: loc.line + h, column: 1)
                        if let lead = Self.lines(before: h, of: node), let table = PipeTable.parse(Array(lines[h...]), at: at) {
                            defer { cmark_node_free(lead) }
                            var figures: [Figure] = []
                            let text = checked(inlines(of: lead, figures: &figures), at: loc)
                            if !text.isBlank { out.append(.paragraph(text, location: loc)) }
                            out += figures.map { Block.figure($0) }
                            out.append(.table(table))
                            continue
                        }
                        warnings.append(.warning("this table follows text whose emphasis or link goes on into it, so it is printed as text; put a blank line before the table",
                                                 at: at, code: "table-after-text"))
                    }
                }
                // A manuscript's paragraphs, each begun with ideographic spaces and no blank line
                // between: one paragraph each, the spaces the template's indent.
                for (piece, at) in manuscriptParagraphs(node, loc) {
                    defer { if piece != node { cmark_node_free(piece) } }
                    var figures: [Figure] = []
                    let (text, indented) = ManuscriptHabits.withoutIndent(checked(inlines(of: piece, figures: &figures), at: at))
                    if indented { habits.indented.append(at) }
                    let pieces = ManuscriptHabits.runTogether(text)      // (several, their indents inside: apart)
                    if pieces.count > 1 { habits.runTogether.append(at) }
                    for text in pieces where !text.isBlank { out.append(.paragraph(text, location: at)) }
                    out += figures.map { Block.figure($0) }
                }
            case CMARK_NODE_HEADING:
                var figures: [Figure] = []
                // A trailing `{#id}` is Hugo's and pandoc's markup, not the heading's text.
                let (text, id) = HeadingAttributes.split(checked(inlines(of: node, figures: &figures), at: loc))
                if let id { headingIDs[loc.line] = id }
                out.append(.heading(level: Int(cmark_node_get_heading_level(node)), text: text, location: loc))
                out += figures.map { Block.figure($0) }
            case CMARK_NODE_BLOCK_QUOTE:
                out.append(quoteOrCallout(node, loc))
            case CMARK_NODE_LIST:
                let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                let items = children(node).map { blocks(of: $0) }
                out.append(.list(ordered: ordered, items: items, location: loc))
            case CMARK_NODE_CODE_BLOCK:
                let code = literal(node)
                if isFenced(node) { out.append(.code(code.trimmingTrailingNewlines(), location: loc)) } else {
                    out += indentedBlocks(code, firstLine: Int(cmark_node_get_start_line(node)), at: loc)
                }
            case CMARK_NODE_HTML_BLOCK:
                warnings.append(.warning("raw HTML is not interpreted; it is set as text", at: loc))
                out.append(.paragraph(StyledText(literal(node).trimmingTrailingNewlines()), location: loc))
            case CMARK_NODE_THEMATIC_BREAK:
                out.append(.rule(location: loc))
            default:
                out += blocks(of: node)
            }
        }
        return out
    }

    /// Flattens inline nodes into styled text; images become figures after the paragraph.
    private mutating func inlines(of node: OpaquePointer, figures: inout [Figure]) -> StyledText {
        var text = StyledText("")
        var softBreaks: [Int] = []
        func walk(_ n: OpaquePointer, _ style: InlineStyle) {
            for c in children(n) {
                switch cmark_node_get_type(c) {
                case CMARK_NODE_TEXT: text.append(literal(c), style: style)
                case CMARK_NODE_CODE: text.append(literal(c), style: .code)
                case CMARK_NODE_SOFTBREAK: softBreaks.append(text.scalarCount)
                case CMARK_NODE_LINEBREAK: text.append("\u{2028}", style: style)
                case CMARK_NODE_EMPH: walk(c, style == .strong ? .strong : .emphasis)
                case CMARK_NODE_STRONG: walk(c, .strong)
                case CMARK_NODE_HTML_INLINE: text.append(literal(c), style: style)
                case CMARK_NODE_IMAGE:
                    var alt: [Figure] = []
                    let caption = inlines(of: c, figures: &alt)
                    let url = cmark_node_get_url(c).map { String(cString: $0) } ?? ""
                    var figure = resolveImage(url, caption, location(c))
                    // The image title chooses the placement: ![说明](a.jpg "span") or "full-bleed";
                    // "optional" (alone or after the placement) lets a page budget leave it out.
                    var words = (cmark_node_get_title(c).map { String(cString: $0) } ?? "").split(separator: " ").map(String.init)
                    if let k = words.firstIndex(of: "optional") { figure.optional = true; words.remove(at: k) }
                    if !words.isEmpty {
                        let title = words.joined(separator: " ")
                        if let p = FigurePlacement(rawValue: title) { figure.placement = p } else {
                            // An unknown placement is a typo more often than a caption: say so.
                            let known = FigurePlacement.allCases.map(\.rawValue)
                            let hint = closest(title, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                            warnings.append(.warning("unknown image placement '\(title)'\(hint); the image is placed in its column. Placements: \(known.joined(separator: ", "))",
                                                     at: location(c), code: "unknown-placement"))
                        }
                    }
                    figures.append(figure)
                case CMARK_NODE_LINK:
                    // A link keeps its text, which the PDF links to its address when that is
                    // absolute (a web page, a mailbox), or to the article a path names when that
                    // article is in the document (`ArticleLinks`); a web address that is not its
                    // text is not printed (a path means nothing to a reader).
                    let start = text.scalarCount
                    walk(c, style)
                    let url = cmark_node_get_url(c).map { String(cString: $0) } ?? ""
                    let shown = String(String.UnicodeScalarView(text.string.unicodeScalars.dropFirst(start)))
                    let target = Self.isAbsolute(url) ? url : ArticleLinks.target(url, from: file)
                    if !url.isEmpty, shown != url, "mailto:" + shown != url, target == url { unprintedLinks.append((url, location(c))) }
                    if text.scalarCount > start, let target { text.links.append(LinkSpan(range: start..<text.scalarCount, target: target)) }
                default: walk(c, style)
                }
            }
        }
        walk(node, .regular)
        let resolved = resolveSoftBreaks(text, at: softBreaks)
        guard habits.punctuation != nil else { return resolved }
        let restored = ManuscriptHabits.restoringPunctuation(resolved, with: &habits.punctuation!)
        if restored != nil, habits.restoredAt == nil { habits.restoredAt = location(node) }
        let read = restored ?? resolved
        for words in ManuscriptHabits.hanSpaces(read) { habits.hanSpaces.append((location(node), words)) }
        return read
    }

    /// An indented code block, which runs on across blank lines, stretch by stretch: paragraphs
    /// indented with four spaces or more, as Chinese writers indent them, are text (read again,
    /// noted once an article); the rest is code.
    private mutating func indentedBlocks(_ code: String, firstLine: Int, at loc: SourceLocation) -> [Block] {
        var out: [Block] = []
        var pending: [Substring] = [], pendingLine = firstLine
        func flush() {
            while pending.last?.allSatisfy(\.isWhitespace) == true { pending.removeLast() }
            if !pending.isEmpty {
                out.append(.code(pending.joined(separator: "\n"), location: SourceLocation(file: file, line: pendingLine + lineOffset, column: loc.column)))
            }
            pending = []
        }
        let lines = code.trimmingTrailingNewlines().split(separator: "\n", omittingEmptySubsequences: false)
        var k = 0
        while k < lines.count {
            if lines[k].allSatisfy(\.isWhitespace) { if !pending.isEmpty { pending.append(lines[k]) }; k += 1; continue }
            var end = k
            while end < lines.count && !lines[end].allSatisfy(\.isWhitespace) { end += 1 }
            let stretch = lines[k..<end]
            if Self.isIndentedProse(stretch) {
                flush()
                var inner = MarkdownReader(file: file, lineOffset: lineOffset + firstLine - 1 + k, resolveImage: resolveImage)
                inner.notesIndentedProse = false
                out += inner.read(stretch.joined(separator: "\n"))
                warnings += inner.warnings
                headingIDs.merge(inner.headingIDs) { $1 }
                if notesIndentedProse {
                    notesIndentedProse = false
                    warnings.append(Diagnostic(.note, "paragraphs indented with four spaces or more are set as text (Markdown would make them code); the first line is indented by the style, not by the spaces",
                                               at: SourceLocation(file: file, line: firstLine + k + lineOffset, column: loc.column), code: "indented-text"))
                }
            } else {
                if pending.isEmpty { pendingLine = firstLine + k }
                pending += stretch
            }
            k = end
        }
        flush()
        return out
    }

    /// Whether a code block is fenced (``` or ~~~ on its first line), not indented: this cmark
    /// (0.30) does not say.
    private func isFenced(_ node: OpaquePointer) -> Bool {
        let index = Int(cmark_node_get_start_line(node)) - 1
        guard index >= 0, index < sourceLines.count else { return false }
        // (cmark's column counts bytes; a node starts on a character's first byte.)
        let line = String(decoding: sourceLines[index].utf8.dropFirst(max(0, Int(cmark_node_get_start_column(node)) - 1)), as: UTF8.self)
        return Footnotes.fenceMarker(line) != nil
    }

    /// Whether a stretch of an indented code block is prose: every line holds a letter of a
    /// script code is not written in — a comment in Chinese is on some lines of code, not on all.
    static func isIndentedProse(_ lines: ArraySlice<Substring>) -> Bool {
        !lines.isEmpty && lines.allSatisfy { $0.unicodeScalars.contains(where: ScriptClasses.isProseLetter) }
    }

    /// Whether a link's address leads somewhere from a PDF: a web page or a mailbox, not a path
    /// relative to the article's own web page.
    static func isAbsolute(_ url: String) -> Bool {
        let u = url.lowercased()
        return ["http://", "https://", "ftp://", "mailto:"].contains { u.hasPrefix($0) && u.count > $0.count }
    }

    /// A soft line break is nothing between CJK characters and a space elsewhere.
    private func resolveSoftBreaks(_ text: StyledText, at offsets: [Int]) -> StyledText {
        guard !offsets.isEmpty else { return text }
        let scalars = Array(text.string.unicodeScalars)
        // The breaks that become a space: between two characters that are not CJK.
        let spaced = offsets.filter { b in
            !((b > 0 ? joinsWithoutSpace(scalars[b - 1]) : true) || (b < scalars.count ? joinsWithoutSpace(scalars[b]) : true))
        }
        guard !spaced.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        var k = spaced[...]
        for (i, s) in scalars.enumerated() {
            while let b = k.first, b == i { k.removeFirst(); out.append(" ") }
            out.append(s)
        }
        // A span that starts at a break starts after its space; one that ends there ends before it.
        return text.replacingString(with: String(out), offset: { o in o + spaced.count { $0 <= o } },
                                    endOffset: { o in o + spaced.count { $0 < o } })
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}

/// Whether a soft line break next to this character joins without a space (CJK ideographs,
/// kana, hangul, full-width forms and CJK punctuation).
private func joinsWithoutSpace(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    return (0x2E80...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
        || (0xFF00...0xFFEF).contains(v) || (0x20000...0x3FFFF).contains(v) || (0xAC00...0xD7AF).contains(v)
        || (0x2018...0x201D).contains(v) || (0x2014...0x2026).contains(v)
}
