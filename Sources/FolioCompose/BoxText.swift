/// A box (`> [!box]`) is set as one framed run of paragraphs and tables: its list items (with
/// their markers) and quotes become plain paragraphs, its headings lines like its title, its
/// tables tables (rows of text where lines run vertically); its figures are placed after it.
import FolioCore

enum BoxText {
    /// A paragraph of a box: its text and where it was written; code keeps its indent in columns
    /// (as `CodeText.Line` has it); a heading is set as the box's title is.
    struct Paragraph {
        var text: StyledText
        var location: SourceLocation
        var codeIndent: Int? = nil
        var isHeading = false
        /// A table of the box, set as a table (the paragraph's text is then empty).
        var table: Table? = nil
    }

    /// The text of a box's blocks as paragraphs (headings, list items and quotes included; code
    /// line by line, tables whole or, `tablesAsLines`, a paragraph per row); figures are handed
    /// back to be placed after the box.
    static func paragraphs(_ blocks: [Block], tablesAsLines: Bool, figures: inout [Block]) -> [Paragraph] {
        var out: [Paragraph] = []
        for b in blocks {
            switch b {
            case .paragraph(let t, let l): out.append(Paragraph(text: t, location: l))
            case .heading(_, let t, let l): out.append(Paragraph(text: t, location: l, isHeading: true))
            case .quote(let inner, _), .box(_, let inner, _): out += paragraphs(inner, tablesAsLines: tablesAsLines, figures: &figures)
            case .list(let ordered, let items, _):
                for (n, item) in items.enumerated() {
                    var inner = paragraphs(item, tablesAsLines: tablesAsLines, figures: &figures)
                    let marker = ordered ? "\(n + 1). " : "• "
                    if let first = inner.first {
                        // An item that begins with a table: its marker on a line of its own above it.
                        if first.table == nil { inner[0].text = prefixed(marker, first.text) } else {
                            inner.insert(Paragraph(text: StyledText(String(marker.dropLast())), location: first.location), at: 0)
                        }
                    }
                    out += inner
                }
            case .figure: figures.append(b)
            case .rule: break
            case .table(let t) where !tablesAsLines:
                out.append(Paragraph(text: StyledText(""), location: t.location, table: t))
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
