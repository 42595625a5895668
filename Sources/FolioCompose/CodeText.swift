/// Code blocks made into text the typesetter sets as written (the `code` style): used for code
/// in an article's body and in a box alike.
import FolioCore

enum CodeText {
    /// Code as the typesetter keeps it: tabs stop every four columns, and the spaces that indent a
    /// line or line up its parts keep their width (no-break spaces; of a run inside a line the
    /// last stays a space, where a long line may wrap); its lines end in line separators.
    static func styled(_ code: String) -> StyledText {
        var out = String.UnicodeScalarView()
        for (n, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if n > 0 { out.append("\u{2028}") }   // a line break, as Markdown's hard break is
            var column = 0, leading = true
            let scalars = Array(line.unicodeScalars)
            for (k, c) in scalars.enumerated() {
                if c == "\t" || c == " " {
                    let width = c == "\t" ? 4 - column % 4 : 1
                    let last = k + 1 < scalars.count && scalars[k + 1] != " " && scalars[k + 1] != "\t"
                    for w in 0..<width { out.append(leading || !(last && w == width - 1) ? "\u{A0}" : " ") }
                    column += width
                } else {
                    out.append(c)
                    leading = false
                    column += 1
                }
            }
        }
        let string = String(out)
        return StyledText(string, spans: [StyledSpan(range: 0..<string.unicodeScalars.count, style: .code)])
    }
}
