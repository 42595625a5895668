/// Footnotes as Markdown writes them (pandoc, GitHub): a mark `[^label]` in the text and the
/// note on a line of its own, `[^label]: text`, its further lines indented. A Chinese magazine
/// sets them as endnotes: the mark becomes a circled number (① ② …, then [21] …) and the notes,
/// so numbered, are gathered under 注释 at the end of the article — as Word footnotes are
/// (`WordImporter`). libcmark knows no footnotes: it read a note whose text holds no space as a
/// link reference definition and dropped it, the note lost without a word.
///
/// Notes are numbered in the order their marks come in the text; a note no mark calls comes
/// after them, in its place in the file. A mark with no note stays as it is written (and is
/// reported). Fenced code and inline code spans are left alone.
enum Footnotes {
    /// The heading over the gathered notes as read; printed in the article's language (`Labels.notes`).
    static let heading = "注释"

    struct Result {
        var markdown: String
        /// How many notes were gathered, and the line (0-based, in `markdown`'s input) of the first.
        var count = 0
        var firstNoteLine = 0
        /// Marks with no note: the label and the line (0-based) of each.
        var unresolved: [(label: String, line: Int)] = []
        /// Notes no mark calls (or a second note of one label): listed after the others.
        var uncalled: [(label: String, line: Int)] = []
    }

    /// `markdown` with its notes gathered at the end. `keepLines`: each note's own lines are
    /// left empty rather than removed, so that the lines before the gathered notes keep their
    /// numbers (an article's diagnostics); `heading`: the heading over the notes.
    static func endnotes(in markdown: String, keepLines: Bool, heading: String = heading) -> Result {
        guard markdown.utf8.contains(UInt8(ascii: "^")) else { return Result(markdown: markdown) }
        var lines = markdown.lineSlices.map(String.init)
        // The notes: where each starts, its label and its text's lines.
        var notes: [(label: String, line: Int, text: [String])] = []
        var noteLine = [Bool](repeating: false, count: lines.count)
        let code = fencedCode(lines)
        var i = 0
        while i < lines.count {
            let line = lines[i]
            guard !code[i], i == 0 || lines[i - 1].allSatisfy(\.isWhitespace) || noteLine[i - 1],
                  let (label, first) = definition(line) else { i += 1; continue }
            var text = first.isEmpty ? [] : [first]
            noteLine[i] = true
            var j = i + 1
            // Its further lines: those that follow it directly, and indented paragraphs after a blank line.
            while j < lines.count {
                let next = lines[j]
                if next.allSatisfy(\.isWhitespace) {
                    guard let k = lines[j...].firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }), isIndented(lines[k]) else { break }
                    for blank in j..<k { noteLine[blank] = true }
                    j = k
                    continue
                }
                if definition(next) != nil || code[j] { break }
                text.append(next.trimmingCharacters(in: .whitespaces))
                noteLine[j] = true
                j += 1
            }
            notes.append((label, i, text))
            i = j
        }
        guard !notes.isEmpty || markdown.contains("[^") else { return Result(markdown: markdown) }

        // The marks, in the text's order: the (first) note of each label numbered at its first mark.
        var noteOf: [String: Int] = [:]
        for (k, n) in notes.enumerated() where noteOf[n.label] == nil { noteOf[n.label] = k }
        var number = [Int?](repeating: nil, count: notes.count)
        var next = 1
        var result = Result(markdown: markdown)
        for k in lines.indices {
            guard !code[k], !noteLine[k], lines[k].contains("[^") else { continue }
            lines[k] = replacingMarks(in: lines[k]) { label in
                guard let note = noteOf[label] else {
                    result.unresolved.append((label, k))
                    return nil
                }
                if number[note] == nil { number[note] = next; next += 1 }
                return mark(number[note]!)
            }
        }
        guard !notes.isEmpty else { return result }
        // Notes no mark calls come after the others, in the file's order.
        for k in notes.indices where number[k] == nil {
            number[k] = next; next += 1
            result.uncalled.append((notes[k].label, notes[k].line))
        }
        let gathered = notes.indices.map { k in
            (number[k]!, ([mark(number[k]!) + " " + (notes[k].text.first ?? "")] + notes[k].text.dropFirst()).joined(separator: "\n"))
        }.sorted { $0.0 < $1.0 }
        var kept: [String] = []
        for (k, line) in lines.enumerated() {
            if !noteLine[k] { kept.append(line) } else if keepLines { kept.append("") }
        }
        while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
        kept += ["", "## " + heading, ""] + gathered.map(\.1).joined(separator: "\n\n").lineSlices.map(String.init)
        result.markdown = kept.joined(separator: "\n")
        result.count = gathered.count
        result.firstNoteLine = notes[0].line
        return result
    }

    /// The mark of note `n` (from 1): ① to ⑳, then [21] ….
    static func mark(_ n: Int) -> String {
        n <= 20 ? String(UnicodeScalar(0x2460 + n - 1)!) : "[\(n)]"
    }

    /// `[^label]: text` at the start of a line (at most three spaces in): its label and text.
    private static func definition(_ line: String) -> (String, String)? {
        let trimmed = line.drop { $0 == " " }
        guard line.count - trimmed.count <= 3, trimmed.hasPrefix("[^"), let close = trimmed.firstIndex(of: "]") else { return nil }
        let label = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close]
        let after = trimmed[trimmed.index(after: close)...]
        guard !label.isEmpty, !label.contains(where: \.isWhitespace), after.hasPrefix(":") else { return nil }
        return (String(label), after.dropFirst().trimmingCharacters(in: .whitespaces))
    }

    /// Which lines are fenced code, the fences included.
    private static func fencedCode(_ lines: [String]) -> [Bool] {
        var fence: String?
        return lines.map { line in
            guard let f = fenceMarker(line) else { return fence != nil }
            if fence == nil { fence = f } else if line.trimmingCharacters(in: .whitespaces).hasPrefix(fence!) { fence = nil }
            return true
        }
    }

    /// The fence a line opens or closes (``` or ~~~, three or more), if it is one.
    static func fenceMarker(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard line.count - trimmed.count <= 3 else { return nil }
        for c in ["`", "~"] where trimmed.hasPrefix(c + c + c) { return String(trimmed.prefix { String($0) == c }) }
        return nil
    }

    /// A line indented as a note's further paragraph (four spaces or a tab).
    private static func isIndented(_ line: String) -> Bool { line.hasPrefix("    ") || line.hasPrefix("\t") }

    /// `line` with each `[^label]` outside code spans replaced by `replacement(label)` (nil: kept).
    private static func replacingMarks(in line: String, _ replacement: (String) -> String?) -> String {
        let s = Array(line)
        var out = ""
        var i = 0
        var code = 0   // the length of the backtick run that opened the code span we are in (0: none)
        while i < s.count {
            if s[i] == "`" {
                var n = 0
                while i + n < s.count && s[i + n] == "`" { n += 1 }
                if code == 0 { code = n } else if n == code { code = 0 }
                out += String(s[i..<(i + n)])
                i += n
                continue
            }
            if code == 0, s[i] == "[", i + 1 < s.count, s[i + 1] == "^", let close = s[(i + 2)...].firstIndex(of: "]"), close > i + 2 {
                let label = String(s[(i + 2)..<close])
                if !label.contains(where: \.isWhitespace), let r = replacement(label) {
                    out += r
                    i = close + 1
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return out
    }
}
