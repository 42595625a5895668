/// CommonMark's emphasis rules were written for spaced scripts: a closing `**` right after a
/// full-width mark and right before a letter (`**开进牧区。**六月初`) is not "right-flanking",
/// and an opening one between a letter and a mark (`他说**“你好”**`) is not "left-flanking",
/// so libcmark prints the asterisks. Chinese editors write exactly that every day. Before
/// parsing, such a delimiter run trades places with the full-width marks beside it — the
/// closer moves before the marks, the opener after them — which makes it flank as CommonMark
/// wants and leaves the marks, now outside the emphasis, in place for the reader. Each line
/// keeps its length, so locations stay put. Code (fenced, indented, inline) is left alone.
import FolioCore

enum CJKEmphasis {
    static func prepare(_ markdown: String) -> String {
        guard markdown.utf8.contains(UInt8(ascii: "*")) else { return markdown }
        var out: [String] = []
        var fenced = false
        var open: [Int] = []   // run lengths of the delimiters opened in the current paragraph
        for line in markdown.lineSlices {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fenced.toggle() }
            if fenced || trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") || line.hasPrefix("    ") || line.hasPrefix("\t") {
                out.append(String(line)); continue
            }
            if trimmed.isEmpty { open = []; out.append(String(line)); continue }
            // A line without a star has nothing to fix (and opens or closes nothing).
            if !line.utf8.contains(UInt8(ascii: "*")) { out.append(String(line)); continue }
            out.append(fix(Array(line.unicodeScalars), open: &open))
        }
        return out.joined(separator: "\n")
    }

    private static func isMark(_ s: Unicode.Scalar) -> Bool {
        ScriptClasses.isCJKPunctuation(s) && s != "\u{3000}"
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let c = Character(s)
        return !c.isWhitespace && !c.isPunctuation && !c.isSymbol && s != "*"
    }

    private static func fix(_ line: [Unicode.Scalar], open: inout [Int]) -> String {
        var s = line
        var i = 0
        var inCode = false
        while i < s.count {
            if s[i] == "`" { inCode.toggle(); i += 1; continue }
            guard !inCode, s[i] == "*", i == 0 || s[i - 1] != "\\" else { i += 1; continue }
            var end = i
            while end < s.count && s[end] == "*" { end += 1 }
            let n = end - i
            let before = i > 0 ? s[i - 1] : nil, after = end < s.count ? s[end] : nil
            // Not a delimiter at all: a list bullet or a lone star between spaces.
            if before.map({ $0.properties.isWhitespace }) ?? true, after.map({ $0.properties.isWhitespace }) ?? true { i = end; continue }
            if let k = open.lastIndex(of: n) {
                // A closer: marks before it and a letter after it stop it closing.
                open.removeSubrange(k...)
                if let b = before, isMark(b), let a = after, isLetter(a) {
                    var m = i
                    while m > 0 && isMark(s[m - 1]) { m -= 1 }
                    if m > 0 && isLetter(s[m - 1]) {
                        let marks = Array(s[m..<i])
                        s.replaceSubrange(m..<end, with: Array(repeating: "*", count: n) + marks)
                    }
                }
            } else {
                // An opener: a letter before it and marks after it stop it opening.
                if let b = before, isLetter(b), let a = after, isMark(a) {
                    var m = end
                    while m < s.count && isMark(s[m]) { m += 1 }
                    if m < s.count && isLetter(s[m]) {
                        let marks = Array(s[end..<m])
                        s.replaceSubrange(i..<m, with: marks + Array(repeating: "*", count: n))
                        i += marks.count
                        end = i + n
                    }
                }
                open.append(n)
            }
            i = end
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: s)
        return text
    }
}
