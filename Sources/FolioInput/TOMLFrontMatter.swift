/// TOML front matter between `+++` lines, as Hugo writes it: `key = value` lines whose values
/// are strings ("…" or '…'), numbers, booleans, dates or one-line arrays. Each line becomes the
/// YAML line with the same meaning, so the YAML reader checks the keys and every diagnostic
/// keeps the TOML line and column. Tables (`[params]`) and multi-line strings are located
/// errors rather than guesses.
import FolioCore

enum TOMLFrontMatter {
    static func yaml<S: Sequence>(_ lines: S, file: String) throws -> String where S.Element == Substring {
        var out: [String] = []
        var problems: [Diagnostic] = []
        for (k, line) in lines.enumerated() {
            let at = { (column: Int) in SourceLocation(file: file, line: k + 2, column: column) }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let indent = line.count - trimmed.count
            if trimmed.isEmpty || trimmed.hasPrefix("#") { out.append(String(line)); continue }
            if trimmed.hasPrefix("[") {
                problems.append(.error("TOML tables ('\(trimmed)') are not read in front matter; write the keys at the top level", at: at(indent + 1)))
                out.append("")
                continue
            }
            guard let eq = equalsOutsideQuotes(line) else {
                problems.append(.error("expected 'key = value' in the TOML front matter", at: at(indent + 1)))
                out.append("")
                continue
            }
            let value = line[line.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
            if value.hasPrefix("\"\"\"") || value.hasPrefix("'''") {
                problems.append(.error("multi-line TOML strings are not read in front matter; put the text on one line", at: at(line.distance(from: line.startIndex, to: value.startIndex) + 1)))
                out.append("")
                continue
            }
            // `key = value` → `key : value`: the same columns, and YAML's meaning for TOML's
            // strings, numbers, booleans, dates and inline arrays.
            var y = String(line[..<eq]) + ":"
            let after = line[line.index(after: eq)...]
            y += after.first == " " || after.first == "\t" ? String(after) : " " + after
            out.append(y)
        }
        if !problems.isEmpty { throw FolioError(problems) }
        return out.joined(separator: "\n")
    }

    /// The first `=` not inside a quoted key.
    private static func equalsOutsideQuotes(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        for i in line.indices {
            let c = line[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "=" { return i }
        }
        return nil
    }
}
