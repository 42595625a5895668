/// Code blocks made into text the typesetter sets as written (the `code` style): used for code
/// in an article's body and in a box alike.
import FolioCore

enum CodeText {
    /// A line of code as the typesetter keeps it, and how far a wrapped part of it hangs.
    struct Line {
        var text: StyledText
        /// The columns (half ems of the code's monospaced font) before the line's first character.
        var indent: Int
    }

    /// Columns a wrapped part of a line hangs beyond the line's own indent: never under it, so
    /// that it cannot be read as a line of its own.
    static let hangColumns = 4

    /// Each line of `code` as its own paragraph: tabs stop every four columns, and the spaces
    /// that indent a line or line up its parts keep their width (no-break spaces; of a run inside
    /// a line the last stays a space, where a long line may wrap). An empty line is a line
    /// separator alone, which sets as an empty line.
    static func lines(_ code: String) -> [Line] {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = String.UnicodeScalarView()
            var column = 0, leading = true, indent = 0
            let scalars = Array(line.unicodeScalars)
            for (k, c) in scalars.enumerated() {
                if c == "\t" || c == " " {
                    let width = c == "\t" ? 4 - column % 4 : 1
                    let last = k + 1 < scalars.count && scalars[k + 1] != " " && scalars[k + 1] != "\t"
                    for w in 0..<width { out.append(leading || !(last && w == width - 1) ? "\u{A0}" : " ") }
                    column += width
                } else {
                    if leading { indent = column }
                    out.append(c)
                    leading = false
                    column += 1
                }
            }
            if out.isEmpty || leading { out = "\u{2028}".unicodeScalars; indent = 0 }
            let string = String(out)
            return Line(text: StyledText(string, spans: [StyledSpan(range: 0..<string.unicodeScalars.count, style: .code)]), indent: indent)
        }
    }

    /// Set lines of code as a reader copies them from the PDF: the no-break spaces that keep its
    /// indents and alignment are plain spaces in its text (code pasted with U+00A0 in it does not
    /// run), drawn with the same glyphs.
    static func copyable(_ lines: [SetLine]) -> [SetLine] {
        lines.map { line in
            var line = line
            line.runs = line.runs.map { run in
                guard run.text.unicodeScalars.contains("\u{A0}") else { return run }
                var run = run, text = "", clusters: [ClusterMap] = []
                let utf8 = Array(run.text.utf8)
                var at = 0
                for c in run.clusters where at + c.bytes <= utf8.count {
                    let piece = String(decoding: utf8[at..<(at + c.bytes)], as: UTF8.self).replacingOccurrences(of: "\u{A0}", with: " ")
                    text += piece
                    clusters.append(ClusterMap(bytes: piece.utf8.count, glyphs: c.glyphs))
                    at += c.bytes
                }
                guard at == utf8.count else { return run }   // clusters that do not cover the text: as it was
                (run.text, run.clusters) = (text, clusters)
                return run
            }
            return line
        }
    }

    /// How far the wrapped parts of `line` hang, set `size` on `measure`: its indent and
    /// `hangColumns` more, in half ems — at most half the measure.
    static func hanging(_ line: Line, size: Pt, measure: Pt) -> Pt {
        min(Double(line.indent + hangColumns) * size / 2, measure / 2)
    }
}
