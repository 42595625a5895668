/// A Chinese manuscript's frame — what comes before and after its text — read as its writer
/// meant it (`ManuscriptHabits.frame`, on blocks already read): a first paragraph that is a
/// byline is the author, an opening 编者按 a box, its own 注释 over numbered notes their heading,
/// closing credits the article's credits and a （完） the template's end mark.
import FolioCore
import Foundation

extension ManuscriptHabits {
    /// The labels a byline begins with, which the template prints itself (`文／`).
    static let bylineLabels = ["文/", "文／", "文:", "文：", "文|", "文｜", "作者:", "作者：", "撰文/", "撰文／", "撰文:", "撰文："]
    /// What a reporter's byline begins with (`本刊记者 林晓岚`): kept, it is part of the credit.
    static let reporterTitles = ["本刊记者", "本刊特约记者", "本刊通讯员", "本报记者", "特约记者", "特约撰稿人", "记者 ", "记者\u{3000}", "通讯员 ", "通讯员\u{3000}"]

    /// `author` without a label the template prints before it (`文/林晓岚` → `林晓岚`), and the
    /// label if it had one.
    static func authorName(_ author: String) -> (name: String, label: String?) {
        let s = author.trimmingCharacters(in: .whitespaces)
        // `文 / 林晓岚` too: the label's spaces squeezed out for the comparison.
        let squeezed = String(s.prefix(5).filter { !$0.isWhitespace })
        guard let label = bylineLabels.first(where: squeezed.hasPrefix) else { return (s, nil) }
        var rest = Substring(s), left = label.count
        while left > 0, let c = rest.first { rest = rest.dropFirst(); if !c.isWhitespace { left -= 1 } }
        let name = rest.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? (s, nil) : (name, label)
    }

    /// The author a manuscript's first paragraph names, if it is a byline: `文/林晓岚`,
    /// `作者：林晓岚`, `□ 本刊记者 林晓岚` — short (up to 30 letters), no sentence in it, begun with a
    /// label (left out: the template prints its own) or a reporter's title (kept), after a mark
    /// such as □ if any.
    static func byline(_ text: String) -> String? {
        let s = text.trimmingCharacters(in: .whitespaces).drop { "□■◎●○◆◇▲".contains($0) || $0.isWhitespace }
        let letters = s.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard letters.count <= 30, !s.contains(where: { "。！？，；!?;,".contains($0) }) else { return nil }
        let (name, label) = authorName(String(s))
        if label != nil { return name.contains(where: { "：:".contains($0) }) ? nil : name }
        guard reporterTitles.contains(where: s.hasPrefix), !s.contains(where: { "：:".contains($0) }) else { return nil }
        return String(s)
    }

    /// Whether two credits name someone in common (`林晓岚、周明远` and `文/周明远`, `本刊记者 林晓岚`
    /// and `林晓岚`): a name of one — split at spaces, 、，/ and 和 — written in the other.
    static func shareAName(_ a: String, _ b: String) -> Bool {
        func names(_ s: String) -> [Substring] { s.split { $0.isWhitespace || "、，,/／&和及".contains($0) } }
        let (sa, sb) = (a.filter { !$0.isWhitespace }, b.filter { !$0.isWhitespace })
        return names(a).contains { sb.contains($0) } || names(b).contains { sa.contains($0) }
    }

    /// A Chinese manuscript's frame read as its writer meant it: a first paragraph that is a
    /// byline as the author (`byline`), its own notes section's label as a heading
    /// (`notesSection`), its closing credits and end mark (`closingLines`, before the notes), an
    /// opening editor's note as a box (`editorsNote`). `gathered`: where the footnotes Folio
    /// gathered begin (their heading), if it did. A note for each, at its paragraph; and whether
    /// the notes heading is then the manuscript's own.
    static func frame(_ blocks: inout [Block], meta: inout ArticleMeta, gathered: Int?) -> (notes: [Diagnostic], ownNotes: Bool) {
        var notes: [Diagnostic] = [], removed = 0
        // (A web archive's reader may have taken the short line for a subhead.)
        let first: (StyledText, SourceLocation)? = switch blocks.first {
        case .paragraph(let text, let at)?, .heading(_, let text, let at)?: (text, at)
        default: nil
        }
        if let (text, at) = first, let name = byline(text.string) {
            func squeezed(_ s: String) -> String { s.filter { !$0.isWhitespace } }
            if meta.author == nil {
                meta.author = name
                blocks.removeFirst()
                removed = 1
                notes.append(Diagnostic(.note, "the first paragraph '\(text.string)' is the article's byline: printed as its author, \(name)", at: at, code: "author"))
            } else if squeezed(meta.author!) == squeezed(name) {
                blocks.removeFirst()
                removed = 1
                notes.append(Diagnostic(.note, "the first paragraph '\(text.string)' repeats the front matter's author: printed once, as the byline", at: at, code: "author"))
            } else if !shareAName(meta.author!, name) {
                // Two bylines on the page, neither naming the other's author: the editor decides.
                notes.append(Diagnostic(.warning, "the first paragraph '\(text.string)' is a byline naming \(name), but the front matter's author is \(meta.author!): both are printed; make them agree (or delete the line)", at: at, code: "author"))
            }
        }
        let gathered = gathered.map { $0 - removed }
        let own = gathered == nil ? notesSection(&blocks) : nil
        if let own { notes.append(own.2) }
        notes += closingLines(&blocks, end: own?.index ?? gathered ?? blocks.count, meta: &meta)
        let (boxed, note) = editorsNote(blocks)
        blocks = boxed
        return (notes + [note].compactMap { $0 }, own?.notes ?? false)
    }

    /// A manuscript's closing lines, which the template prints in its own way: credits —
    /// `（责任编辑：周明远）`, `来源：新华社`, `摄影：…`, `（作者系中央民族大学教授）` — go to the
    /// article's credits line where it has none of that kind, and an end mark `（完）` is left out (the template ends the
    /// article with its own). Up to three such paragraphs before `end` (the notes Folio gathers),
    /// never the article's only one. With a note for each.
    static func closingLines(_ blocks: inout [Block], end: Int, meta: inout ArticleMeta) -> [Diagnostic] {
        var notes: [Diagnostic] = [], k = end - 1
        while k >= 1, end - k <= 3, case .paragraph(let text, let at) = blocks[k], text.links.isEmpty {
            let inner = closingWords(text.string)
            if endMarks.contains(inner) {
                notes.append(Diagnostic(.note, "the end mark '\(text.string)' is left out: the article ends with the template's", at: at, code: "closing"))
            } else if ["作者系", "作者为", "作者单位"].contains(where: inner.hasPrefix), inner.count <= 60, !inner.contains("。") {
                // Who the author is (`（作者系中央民族大学教授）`): a credit, in its words.
                meta.editor = ([meta.editor].compactMap { $0 } + [inner]).joined(separator: "　")
                notes.append(Diagnostic(.note, "the closing line '\(text.string)' is printed in the article's credits", at: at, code: "closing"))
            } else {
                let fields = WebArchiveReader.parseFields(inner)
                guard !fields.isEmpty, inner.count <= 60 else { break }
                var taken = meta, credits: [String] = [], clash = false
                for (field, value) in fields {
                    switch field {
                    case "source" where taken.source == nil: taken.source = value
                    case "editor" where taken.editor == nil: taken.editor = value
                    case "author" where taken.author == nil: taken.author = authorName(value).name
                    case "date" where taken.date == nil && CalendarDate(value) != nil: taken.date = value
                    case "credit": credits.append(value)
                    default: clash = true   // a second source or editor: the line stays text
                    }
                }
                guard !clash else { break }
                if !credits.isEmpty { taken.editor = ([taken.editor].compactMap { $0 } + credits).joined(separator: "　") }
                meta = taken
                // Where it goes: a date or an author alone is the byline's, the rest credits.
                let place = fields.allSatisfy { $0.0 == "date" } ? "as the article's date"
                    : fields.allSatisfy { $0.0 == "author" } ? "as the article's author" : "in the article's credits"
                notes.append(Diagnostic(.note, "the closing line '\(text.string)' is printed \(place)", at: at, code: "closing"))
            }
            blocks.remove(at: k)
            k -= 1
        }
        return notes.reversed()
    }

    /// A closing line's words without the brackets around them: `（完）` → `完`.
    static func closingWords(_ line: String) -> String {
        let inner = line.trimmingCharacters(in: .whitespaces)
        guard let open = inner.first, let close = inner.last, inner.count > 2, "（(".contains(open), "）)".contains(close) else { return inner }
        return String(inner.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
    }

    /// The end marks a manuscript closes with, its template printing its own.
    static let endMarks: Set<String> = ["完", "全文完", "终", "全文终", "END", "End"]

    /// An editor's note opening a manuscript — `编者按：……`, `【编者按】……`, `编者的话：……` — set
    /// apart from the text as magazines set it: a box titled with its label (it had been the
    /// first body paragraph, label and all). The first paragraph so begun among the article's
    /// first two blocks (a byline may come first), with text after its label.
    static func editorsNote(_ blocks: [Block]) -> ([Block], Diagnostic?) {
        for (i, block) in blocks.prefix(2).enumerated() {
            guard case .paragraph(let text, let at) = block else { continue }
            let string = text.string
            for label in ["编者按", "编者的话", "编前语"] {
                let forms = [label + "：", label + ":"] + ["【】", "［］", "[]", "〔〕"].map { "\($0.first!)\(label)\($0.last!)" }
                guard let form = forms.first(where: string.hasPrefix) else { continue }
                var lead = form.unicodeScalars.count
                lead += string.unicodeScalars.dropFirst(lead).prefix { $0 == "：" || $0 == ":" || $0.properties.isWhitespace }.count
                let body = text.droppingPrefix(scalars: lead)
                guard !body.isBlank else { return (blocks, nil) }
                var out = blocks
                out[i] = .box(title: label, [.paragraph(body, location: at)], location: at)
                return (out, Diagnostic(.note, "the editor's note ('\(form)…') set as a box titled \(label), apart from the text", at: at, code: "editors-note"))
            }
        }
        return (blocks, nil)
    }

    /// A manuscript's own notes section: a paragraph `注释：` (or `注：`, `参考文献：`) with only
    /// numbered notes after it to the end (`①……`, `[1]……`) — its label a heading, as Folio's
    /// gathered footnotes have (it had been a body line, colon and all). The heading's index
    /// (and whether it is the notes' own, not a reference list), or nil.
    static func notesSection(_ blocks: inout [Block]) -> (index: Int, notes: Bool, Diagnostic)? {
        func numbered(_ block: Block) -> Bool {
            guard case .paragraph(let text, _) = block, let first = text.string.unicodeScalars.first else { return false }
            if (0x2460...0x2473).contains(first.value) { return true }   // ① … ⑳
            let s = text.string
            return ["[", "［", "〔"].contains(where: s.hasPrefix) && s.dropFirst().prefix { $0.isASCII && $0.isNumber }.count > 0
        }
        guard let i = blocks.lastIndex(where: { !numbered($0) }), i + 1 < blocks.count, case .paragraph(let text, let at) = blocks[i] else { return nil }
        let name = text.string.trimmingCharacters(in: CharacterSet(charactersIn: "：:【】").union(.whitespaces)).filter { !$0.isWhitespace }
        guard ["注释", "注", "参考文献", "注释与参考文献"].contains(name) else { return nil }
        blocks[i] = .heading(level: 2, text: StyledText(name == "注" ? "注释" : name), location: at)
        return (i, name == "注" || name == "注释", Diagnostic(.note, "'\(text.string)' over the numbered notes after it set as their heading", at: at, code: "notes"))
    }
}
