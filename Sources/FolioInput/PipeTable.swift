/// GitHub-style pipe tables, which libcmark (CommonMark core) reads as a paragraph:
///
///     | 项目 | 代码 | 价格 |
///     |:---|:---:|---:|
///     | 全年 | 00-000 | 120元 |
///
/// A header row, a delimiter row (`:` marks the alignment) and body rows. Cell text is plain.
import FolioCore
import Foundation

enum PipeTable {
    /// The table a paragraph's source `lines` write, or nil. `column`: where the paragraph begins
    /// on its first line (1-based, in bytes): after a list item's marker or a quote's `>` — a
    /// table in a list item, a block quote or a box (whose `>`s and indent begin every line).
    static func parse(_ lines: [Substring], column: Int = 1, at location: SourceLocation) -> Table? {
        // Most paragraphs are not tables: they are let go before any line is trimmed.
        guard lines.count >= 2, lines.allSatisfy({ $0.utf8.contains(UInt8(ascii: "|")) }) else { return nil }
        let rows = lines.enumerated().map { k, line in
            let own = k == 0 ? Substring(line.utf8.dropFirst(max(0, column - 1))) : line
            return row(own)
        }
        let delimiter = cells(rows[1])
        guard !delimiter.isEmpty, delimiter.allSatisfy({ isDelimiter($0) }) else { return nil }
        let alignments: [Table.ColumnAlignment] = delimiter.map { d in
            let left = d.hasPrefix(":"), right = d.hasSuffix(":")
            return left && right ? .center : right ? .end : .start
        }
        let header = cells(rows[0])
        let body = rows.dropFirst(2).map(cells)
        return Table(header: header, rows: Array(body), alignments: alignments, location: location)
    }

    /// Where a table begins in a paragraph's source `lines` after lines of text (GitHub reads a
    /// table right under a line of text, with no blank line between, as the text and then the
    /// table): the index of its header row — a row whose cells the delimiter row under it
    /// matches one for one, every line from there on a row — or nil.
    static func start(_ lines: [Substring], column: Int = 1) -> Int? {
        guard lines.count >= 3 else { return nil }
        for h in 1..<(lines.count - 1) where lines[h...].allSatisfy({ $0.utf8.contains(UInt8(ascii: "|")) }) {
            let rows = lines[h...h + 1].map(row)
            let header = cells(rows[0]), delimiter = cells(rows[1])
            if !delimiter.isEmpty, delimiter.count == header.count, delimiter.allSatisfy(isDelimiter) { return h }
        }
        return nil
    }

    /// A source line as a row: without the `>`s and indent that hold it, trimmed.
    static func row(_ line: Substring) -> String {
        String(line.drop { $0 == " " || $0 == "\t" || $0 == ">" }).trimmingCharacters(in: .whitespaces)
    }

    static func isDelimiter(_ cell: String) -> Bool {
        let core = cell.trimmingCharacters(in: CharacterSet(charactersIn: ":"))
        return !core.isEmpty && core.allSatisfy { $0 == "-" }
    }

    /// The cells of a row: split at unescaped `|`, outer pipes optional, text trimmed.
    static func cells(_ row: String) -> [String] {
        var out: [String] = [], cell = "", escaped = false
        for c in row {
            if escaped { cell.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "|" { out.append(cell); cell = ""; continue }
            cell.append(c)
        }
        out.append(cell)
        if row.hasPrefix("|") { out.removeFirst() }
        if row.hasSuffix("|") && !row.hasSuffix("\\|") { out.removeLast() }
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
