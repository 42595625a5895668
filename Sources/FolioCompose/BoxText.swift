/// A box (`> [!box]`) is set as one framed run of paragraphs: its list items (with their
/// markers), quotes and table rows become plain paragraphs, its headings lines like its title;
/// its figures are placed after it.
import FolioCore

enum BoxText {
    /// A paragraph of a box: its text and where it was written; code keeps its indent in columns
    /// (as `CodeText.Line` has it); a heading is set as the box's title is.
    struct Paragraph {
        var text: StyledText
        var location: SourceLocation
        var codeIndent: Int? = nil
        var isHeading = false
    }

    /// The text of a box's blocks as paragraphs (headings, list items and quotes included; code
    /// line by line); figures are handed back to be placed after the box.
    static func paragraphs(_ blocks: [Block], figures: inout [Block]) -> [Paragraph] {
        var out: [Paragraph] = []
        for b in blocks {
            switch b {
            case .paragraph(let t, let l): out.append(Paragraph(text: t, location: l))
            case .heading(_, let t, let l): out.append(Paragraph(text: t, location: l, isHeading: true))
            case .quote(let inner, _), .box(_, let inner, _): out += paragraphs(inner, figures: &figures)
            case .list(let ordered, let items, _):
                for (n, item) in items.enumerated() {
                    var inner = paragraphs(item, figures: &figures)
                    if !inner.isEmpty { inner[0].text = prefixed(ordered ? "\(n + 1). " : "• ", inner[0].text) }
                    out += inner
                }
            case .figure: figures.append(b)
            case .rule: break
            case .table(let t):
                for row in [t.header] + t.rows { out.append(Paragraph(text: StyledText(row.joined(separator: "　")), location: t.location)) }
            case .pullQuote(let t, _, let l): out.append(Paragraph(text: t, location: l))
            case .code(let code, let l): out += CodeText.lines(code).map { Paragraph(text: $0.text, location: l, codeIndent: $0.indent) }
            }
        }
        return out
    }

    static func prefixed(_ marker: String, _ text: StyledText) -> StyledText {
        let shift = marker.unicodeScalars.count
        return text.replacingString(with: marker + text.string) { $0 + shift }
    }
}
