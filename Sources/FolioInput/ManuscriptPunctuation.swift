/// A Chinese manuscript's marks as `PunctuationRestorer` sets them, on what the Markdown reader
/// reads (a paragraph's styled text, its emphasis and links kept on their words) and on the
/// Markdown `folio import` writes (a line, its syntax kept); and the spaces a manuscript typed
/// between Chinese characters, named for the editor.
import FolioCore
import Foundation

extension ManuscriptHabits {
    /// `text` with its Chinese marks typed half-width (`,` `.` `;` `:` `!` `?` `(` `)` beside
    /// Han, `...`, straight quotes, `--`) or miswritten (one `…`, `――`) as Chinese sets them (`PunctuationRestorer`, as for web archives), code
    /// left as written, emphasis and links kept on their words; nil if none was.
    static func restoringPunctuation(_ text: StyledText, with restorer: inout PunctuationRestorer) -> StyledText? {
        guard PunctuationRestorer.mayRestore(text.string) else { return nil }
        let before = restorer.total
        let code = text.spans.filter { $0.style == .code }.map(\.range)
        let (scalars, offsets) = restorer.restore(Array(text.string.unicodeScalars)) { i in code.contains { $0.contains(i) } }
        guard restorer.total > before else { return nil }
        return text.replacingString(with: String(String.UnicodeScalarView(scalars))) { offsets[$0] }
    }

    /// A line of Markdown with its Chinese marks set as `restoringPunctuation` sets a paragraph's,
    /// its syntax left as written: code spans, link and image destinations (`](…)`), autolinks
    /// (`<…>`) and an image's `!`. An escaped mark is restored as the render reads it, without its
    /// backslash (`\(` made `\（` would print the backslash); one left as it was keeps it. Nil if
    /// nothing changed.
    static func restoringPunctuation(inMarkdownLine line: String, with restorer: inout PunctuationRestorer) -> String? {
        guard PunctuationRestorer.mayRestore(line) else { return nil }
        let s = Array(line.unicodeScalars)
        var kept = [Bool](repeating: false, count: s.count), escapes = IndexSet()
        func keep(_ r: Range<Int>) { for k in r { kept[k] = true } }
        var i = 0
        while i < s.count {
            switch s[i] {
            case "\\" where i + 1 < s.count && s[i + 1].isASCII && s[i + 1].properties.isPatternSyntax:
                escapes.insert(i); i += 2
            case "`":
                var n = i; while n < s.count, s[n] == "`" { n += 1 }
                // To the closing run of as many backticks (none: the backticks are text).
                var j = n, close: Int? = nil
                while j < s.count {
                    guard s[j] == "`" else { j += 1; continue }
                    var m = j; while m < s.count, s[m] == "`" { m += 1 }
                    if m - j == n - i { close = m; break }
                    j = m
                }
                keep(i..<(close ?? n)); i = close ?? n
            case "]" where i + 1 < s.count && s[i + 1] == "(":
                var depth = 0, j = i + 1
                while j < s.count { if s[j] == "(" { depth += 1 } else if s[j] == ")" { depth -= 1; if depth == 0 { break } }; j += 1 }
                keep(i..<min(j + 1, s.count)); i = j + 1
            case "<":
                if let end = s[i...].firstIndex(of: ">"), !s[i..<end].contains(" ") { keep(i..<(end + 1)); i = end + 1 } else { i += 1 }
            case "!" where i + 1 < s.count && s[i + 1] == "[":
                kept[i] = true; i += 1
            default:
                i += 1
            }
        }
        // The line as the reader reads it (its escapes' backslashes gone), restored, then the
        // backslashes put back before the marks left as they were.
        let text = s.indices.filter { !escapes.contains($0) }
        let before = restorer.total
        let (out, offsets) = restorer.restore(text.map { s[$0] }) { kept[text[$0]] }
        guard restorer.total > before else { return nil }
        var written: [Unicode.Scalar] = []
        for (j, k) in text.enumerated() {
            let piece = out[offsets[j]..<offsets[j + 1]]
            if k > 0, escapes.contains(k - 1), piece.elementsEqual([s[k]]) { written.append("\\") }
            written += piece
        }
        return String(String.UnicodeScalarView(written))
    }

    /// The spaces typed between two Han characters in `text` (not in code), each as the words
    /// around it: `学校 迎来`. Looked for only where spaces follow a character of three UTF-8
    /// bytes and come before one.
    static func hanSpaces(_ text: StyledText) -> [String] {
        var string = text.string
        let maybe = string.withUTF8 { b in
            var k = 0
            while k < b.count {
                guard b[k] == 0x20 else { k += 1; continue }
                var z = k
                while z < b.count, b[z] == 0x20 { z += 1 }
                if k >= 3, (0xE3...0xE9).contains(b[k - 3]), z < b.count, (0xE3...0xE9).contains(b[z]) { return true }
                k = z
            }
            return false
        }
        guard maybe else { return [] }
        let s = Array(text.string.unicodeScalars)
        let code = text.spans.filter { $0.style == .code }.map(\.range)
        var found: [String] = [], i = 1
        while i < s.count {
            guard s[i] == " ", ScriptClasses.isHan(s[i - 1]) else { i += 1; continue }
            var j = i
            while j < s.count, s[j] == " " { j += 1 }
            if j < s.count, ScriptClasses.isHan(s[j]), !code.contains(where: { $0.contains(i - 1) || $0.contains(i) || $0.contains(j) }) {
                found.append(String(String.UnicodeScalarView(s[max(0, i - 2)..<min(s.count, j + 2)])))
            }
            i = j
        }
        return found
    }
}
