/// The quick look that decides whether a paragraph needs `PunctuationRestorer` at all: asked of
/// every paragraph of a Chinese article, in its UTF-8 bytes, before any scalar is decoded.
import FolioCore

extension PunctuationRestorer {
    /// The marks a Chinese manuscript may have typed half-width (restored).
    static let halfWidthMarks: Set<Unicode.Scalar> = [",", ".", ";", ":", "!", "?", "(", ")", "\"", "'", "-", "~", "<"]

    /// Whether `text` holds a mark the restorer may set otherwise: one of
    /// `halfWidthMarks`, `…`, `―`, `－`, a full-width letter or digit, `％` or `．`, `。。`, `•`, `・`, a
    /// double or single quote turned the wrong way, a space beside a full-width mark — found in the UTF-8 bytes (a half-width mark's byte is
    /// its own; the others' three bytes are looked for whole, since “ ” share their first two).
    static func mayRestore(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            var k = 0, open = false, openSingle = false
            while k < b.count {
                let x = b[k]
                // A double quote turned the wrong way: “ after “, or ” with none open.
                if x == 0xE2, k + 2 < b.count, b[k + 1] == 0x80, b[k + 2] == 0x9C || b[k + 2] == 0x9D {
                    if (b[k + 2] == 0x9C) == open { return true }
                    open.toggle()
                    k += 3
                    continue
                }
                // …a single one (or an apostrophe: `repairingQuotes` tells).
                if x == 0xE2, k + 2 < b.count, b[k + 1] == 0x80, b[k + 2] == 0x98 || b[k + 2] == 0x99 {
                    if (b[k + 2] == 0x98) == openSingle { return true }
                    openSingle.toggle()
                    k += 3
                    continue
                }
                // • or ・ (an interpunct typed so).
                if k + 2 < b.count, (x == 0xE2 && b[k + 1] == 0x80 && b[k + 2] == 0xA2) || (x == 0xE3 && b[k + 1] == 0x83 && b[k + 2] == 0xBB) { return true }
                // 。。 (three or more are an ellipsis typed so).
                if x == 0xE3, k + 5 < b.count, b[k + 1] == 0x80, b[k + 2] == 0x82, b[k + 3] == 0xE3, b[k + 4] == 0x80, b[k + 5] == 0x82 { return true }
                if x < 0x80 {
                    if halfWidthMarks.contains(Unicode.Scalar(x)) { return true }
                    if x == 0x20, spaceBesideMark(b, at: k) { return true }
                } else if k + 2 < b.count, (x == 0xE2 && b[k + 1] == 0x80 && (b[k + 2] == 0xA6 || b[k + 2] == 0x95))
                            || (x == 0xEF && b[k + 1] == 0xBC && (b[k + 2] == 0x8D || b[k + 2] == 0x85 || b[k + 2] == 0x8E || (0x90...0x99).contains(b[k + 2]) || (0xA1...0xBA).contains(b[k + 2])))
                            || (x == 0xEF && b[k + 1] == 0xBD && (0x81...0x9A).contains(b[k + 2])) {
                    return true
                }
                k += 1
            }
            return false
        }
    }

    /// Whether the space at `k` in UTF-8 bytes `b` stands beside a full-width mark, or a quote,
    /// dash or ellipsis (the restorer leaves out such spaces; it says beside which).
    static func spaceBesideMark(_ b: UnsafeBufferPointer<UInt8>, at k: Int) -> Bool {
        func scalar(from i: Int) -> Unicode.Scalar? {
            guard i >= 0, i < b.count, b[i] >= 0xC0 else { return nil }
            var it = b[i...].makeIterator(), decoder = UTF8()
            if case .scalarValue(let u) = decoder.decode(&it) { return u } else { return nil }
        }
        func marked(_ u: Unicode.Scalar?) -> Bool { u.map { spacedMark($0) || sharedMark($0) } ?? false }
        var start = k - 1
        while start >= 0, b[start] & 0xC0 == 0x80 { start -= 1 }
        return marked(scalar(from: k + 1)) || marked(scalar(from: start))
    }
}
