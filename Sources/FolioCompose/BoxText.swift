/// A box (`> [!box]`) is set as one framed run of paragraphs: its headings, list items (with
/// their markers), quotes and table rows become plain paragraphs; its figures are placed after it.
import FolioCore

enum BoxText {
    /// The text of a box's blocks as paragraphs (headings, list items and quotes included; code
    /// line by line, each with its indent in columns, as `CodeText.Line` has it); figures are
    /// handed back to be placed after the box.
    static func paragraphs(_ blocks: [Block], figures: inout [Block]) -> [(StyledText, SourceLocation, Int?)] {
        var out: [(StyledText, SourceLocation, Int?)] = []
        for b in blocks {
            switch b {
            case .paragraph(let t, let l), .heading(_, let t, let l): out.append((t, l, nil))
            case .quote(let inner, _), .box(_, let inner, _): out += paragraphs(inner, figures: &figures)
            case .list(let ordered, let items, _):
                for (n, item) in items.enumerated() {
                    var inner = paragraphs(item, figures: &figures)
                    if !inner.isEmpty { inner[0].0 = prefixed(ordered ? "\(n + 1). " : "• ", inner[0].0) }
                    out += inner
                }
            case .figure: figures.append(b)
            case .rule: break
            case .table(let t):
                for row in [t.header] + t.rows { out.append((StyledText(row.joined(separator: "　")), t.location, nil)) }
            case .pullQuote(let t, _, let l): out.append((t, l, nil))
            case .code(let code, let l): out += CodeText.lines(code).map { ($0.text, l, $0.indent) }
            }
        }
        return out
    }

    static func prefixed(_ marker: String, _ text: StyledText) -> StyledText {
        let shift = marker.unicodeScalars.count
        return text.replacingString(with: marker + text.string) { $0 + shift }
    }
}
