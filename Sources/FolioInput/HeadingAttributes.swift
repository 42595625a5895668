/// A heading's attribute block, as Hugo (goldmark) and pandoc write it at the heading's end:
/// `## 新的变化 {#change}`, `{#id .class key=value}`, pandoc's `{-}` (unnumbered). It is markup,
/// not text: taken off the heading, its `#id` kept (a link's `#change` names that heading).
/// A brace group that is not attributes (`{注}`), or is code, stays text.
import FolioCore

enum HeadingAttributes {
    /// The heading without a trailing attribute block, and the block's `#id` if it has one.
    static func split(_ text: StyledText) -> (text: StyledText, id: String?) {
        let scalars = Array(text.string.unicodeScalars)
        var end = scalars.count
        while end > 0, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        guard end > 0, scalars[end - 1] == "}", let open = scalars[..<end].lastIndex(of: "{") else { return (text, nil) }
        // Braces written as code (`## 语法 `{#id}``) are the heading's text.
        guard !text.spans.contains(where: { $0.style == .code && $0.range.overlaps(open..<end) }) else { return (text, nil) }
        let inner = String(String.UnicodeScalarView(scalars[(open + 1)..<(end - 1)]))
        let tokens = inner.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !tokens.isEmpty, tokens.allSatisfy(isAttribute) else { return (text, nil) }
        var cut = open
        while cut > 0, scalars[cut - 1] == " " || scalars[cut - 1] == "\t" { cut -= 1 }
        guard cut > 0 else { return (text, nil) }   // a heading of nothing but braces is text
        let id = tokens.last(where: { $0.hasPrefix("#") }).map { String($0.dropFirst()) }
        let kept = String(String.UnicodeScalarView(scalars[..<cut]))
        return (text.replacingString(with: kept) { min($0, cut) }, id)
    }

    /// `#id`, `.class`, `key=value` (the value quoted or not), or pandoc's `-`.
    private static func isAttribute(_ token: Substring) -> Bool {
        if token == "-" { return true }
        if let first = token.first, first == "#" || first == "." {
            return token.count > 1 && !token.dropFirst().contains(where: { "#.=\"{}".contains($0) })
        }
        guard let eq = token.firstIndex(of: "="), eq != token.startIndex else { return false }
        return token[..<eq].allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
