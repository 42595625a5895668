/// Web and e-mail addresses in running text (an archived article's 原文地址, an editor's
/// mailbox): where they are, and where a line may end inside one. An address is never
/// hyphenated — a reader would type the hyphen — and breaks only where the Chicago Manual
/// (14.18) lets it: after a double slash, a colon or `=`/`&`; before a single slash, a period,
/// a comma, a hyphen, an underscore, `~ ? # % @`, or `=`/`&` — and, as a last resort, between
/// any two of its characters, so that a line of nothing but an address still fills its measure.
import FolioCore

enum Addresses {
    /// The addresses in `scalars`: `scheme://…`, `www.…` and `name@domain.tld`, each up to the
    /// first character an address does not hold (a space, any non-ASCII character such as a
    /// full-width comma), less the punctuation that ends the sentence around it.
    static func ranges(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        // (Most paragraphs hold none: a glance first.)
        guard scalars.contains(where: { $0 == "@" || $0 == "/" || $0 == "." }) else { return found }
        var i = 0
        while i < scalars.count {
            if isAlnum(scalars[i]), let start = addressStart(scalars, at: i) {
                let end = trimmedEnd(scalars, start, extent(scalars, from: i))
                if end - start > 4 { found.append(start..<end); i = end; continue }
            }
            i += 1
        }
        return found
    }

    /// Each boundary strictly inside `address` where a line may end: true at Chicago's points,
    /// false between two characters they do not separate (a last resort, weighed like a
    /// hyphenation: without it a line of nothing but an address could not be justified). Inside
    /// `://` and `//` a line never ends.
    static func breaks(in scalars: [Unicode.Scalar], _ address: Range<Int>) -> [Int: Bool] {
        var out: [Int: Bool] = [:]
        guard address.count > 1 else { return out }
        for b in (address.lowerBound + 1)..<address.upperBound {
            let left = scalars[b - 1], right = scalars[b]
            if right == "/" && (left == "/" || left == ":") { continue }
            let afterDoubleSlash = left == "/" && b - 2 >= address.lowerBound && scalars[b - 2] == "/"
            out[b] = afterDoubleSlash || left == ":" || left == "=" || left == "&" || (before.contains(right) && !before.contains(left))
        }
        return out
    }

    /// Where `address` goes: `www.…` on the web (https), `name@domain` by `mailto:`, the rest as written.
    static func uri(_ address: String) -> String {
        if address.lowercased().hasPrefix("www.") { return "https://" + address }
        if !address.contains("://") && !address.lowercased().hasPrefix("mailto:") && address.contains("@") { return "mailto:" + address }
        return address
    }

    /// What a line may break before (a run of them, `..` or `--`, stays whole).
    static let before: Set<Unicode.Scalar> = ["/", "~", ".", ",", "-", "_", "?", "#", "%", "@", "=", "&"]

    /// Characters an address holds: printable ASCII but space, `< > " { } | \ ^` and the backtick.
    static func holds(_ s: Unicode.Scalar) -> Bool {
        s.value > 0x20 && s.value < 0x7F && !"<>\"{}|\\^`".unicodeScalars.contains(s)
    }

    private static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }

    /// Where the address that begins at `i` starts, if one does: `i` itself for a scheme or
    /// `www.` (not inside a longer word), the start of the mailbox name for an `@` at `i`.
    private static func addressStart(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        if i > 0 && (isAlnum(s[i - 1]) || s[i - 1] == "." || s[i - 1] == "-") { return nil }
        func lower(_ c: Unicode.Scalar) -> UInt32 { ("A"..."Z").contains(c) ? c.value | 0x20 : c.value }
        func matches(_ text: String, at k: Int) -> Bool {
            var k = k
            for t in text.unicodeScalars {
                guard k < s.count, lower(s[k]) == t.value else { return false }
                k += 1
            }
            return true
        }
        if matches("www.", at: i) || matches("mailto:", at: i) { return i }
        // A scheme: letters (then letters, digits, + . -), then `://`.
        var k = i
        while k < s.count, k - i < 16, isAlnum(s[k]) || (k > i && "+.-".unicodeScalars.contains(s[k])) { k += 1 }
        if k > i, lower(s[i]) >= 0x61, lower(s[i]) <= 0x7A, matches("://", at: k) { return i }
        // A mailbox: name@domain with a dot in the domain.
        var at = i
        while at < s.count, isAlnum(s[at]) || "._%+-".unicodeScalars.contains(s[at]) { at += 1 }
        guard at > i, at < s.count, s[at] == "@" else { return nil }
        var d = at + 1, dot = false
        while d < s.count, isAlnum(s[d]) || s[d] == "." || s[d] == "-" { if s[d] == "." && d > at + 1 { dot = true }; d += 1 }
        return dot ? i : nil
    }

    /// The end of the characters an address holds from `i`.
    private static func extent(_ s: [Unicode.Scalar], from i: Int) -> Int {
        var k = i
        while k < s.count, holds(s[k]) { k += 1 }
        return k
    }

    /// `end` less the sentence's punctuation after the address: `. , ; : ! ? ' "` and a closing
    /// bracket that closes nothing opened inside it.
    private static func trimmedEnd(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start {
            let last = s[end - 1]
            if ".,;:!?'\"".unicodeScalars.contains(last) { end -= 1; continue }
            if let open = ([")": "(", "]": "["] as [Unicode.Scalar: Unicode.Scalar])[last] {
                let opened = s[start..<end].filter { $0 == open }.count, closed = s[start..<end].filter { $0 == last }.count
                if closed > opened { end -= 1; continue }
            }
            break
        }
        return end
    }
}
