/// Restores Chinese punctuation in text whose marks were normalised to half-width (common in
/// web archives): `,` `:` `;` `(` `)` `!` `?` next to CJK become `，：；（）！？`, straight quotes
/// in CJK context become paired “ ” ‘ ’, runs of `.` or `。` and a single `…` become ……, a dash
/// typed `--`, `――` or `－－` becomes ——, a range's `~` between numbers ～, a name's interpunct
/// typed `•` or `・` ·, a title between `<<` `>>` or `<` `>` 《》, full-width letters and digits
/// Latin ones. Latin text, numbers
/// such as 2024-07-31 or 3.5, URLs and e-mail addresses are left alone. Counts what it changed.
import FolioCore

public struct PunctuationRestorer: Sendable {
    /// Replacements made, by the mark written (e.g. "，": 12).
    public private(set) var counts: [String: Int] = [:]
    /// Whether full-width Latin letters and digits (`２０２４`, `ＵＮＥＳＣＯ`) become Latin ones —
    /// clreq: stored text should not use them, proportional letters are the typesetter's to set
    /// (with the Han–Latin space). Not in vertical text, where they stand upright by intent.
    public var fullWidthAlphanumerics = true
    /// The key `counts` counts full-width letters and digits set as Latin ones under.
    public static let alphanumericsKey = "１→1"
    /// …and spaces left out beside full-width marks.
    public static let spacesKey = "␣"

    /// A full-width mark, which carries its own space (not the ideographic space, nor a full-width
    /// letter or digit).
    static func spacedMark(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x3001...0x303F).contains(v) || ((0xFF01...0xFF60).contains(v) && !s.properties.isAlphabetic && s.properties.numericType == nil)
    }

    /// A mark English shares, full-width beside Chinese: quotes, the dash, the ellipsis.
    static func sharedMark(_ s: Unicode.Scalar) -> Bool {
        switch s.value { case 0x2018, 0x2019, 0x201C, 0x201D, 0x2014, 0x2026: true; default: false }
    }
    public init() {}

    /// Whether `s` makes a mark beside it Chinese: a Han character or a note's mark (① … ⑳) —
    /// not a full-width mark or quote, beside which English quoted in Chinese,
    /// `“Good morning, everyone!”，`, keeps its `!`.
    static func chineseSide(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        return ScriptClasses.isHan(s) || (0x2460...0x2473).contains(s.value)
    }

    public var total: Int { counts.values.reduce(0, +) }

    /// What was restored, for a note: `12 Chinese punctuation marks typed half-width or
    /// miswritten set as Chinese sets them (， 10, —— 2) and 4 full-width letters or digits set
    /// as Latin ones`.
    public var summary: String {
        let letters = counts[Self.alphanumericsKey] ?? 0, spaces = counts[Self.spacesKey] ?? 0, marks = total - letters - spaces
        let listed = counts.filter { $0.key != Self.alphanumericsKey && $0.key != Self.spacesKey }
            .sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var said: [String] = []
        if marks > 0 { said.append("\(plural(marks, "Chinese punctuation mark")) typed half-width or miswritten set as Chinese sets them (\(listed))") }
        if letters > 0 { said.append("\(letters) full-width \(letters == 1 ? "letter or digit" : "letters or digits") set as Latin ones") }
        if spaces > 0 { said.append("\(plural(spaces, "space")) beside full-width marks left out (the marks carry their own)") }
        return said.count < 3 ? said.joined(separator: " and ") : said.dropLast().joined(separator: ", ") + " and " + said.last!
    }

    /// The full-width form of a half-width mark restored next to CJK (asked of every character:
    /// a switch, where a dictionary hashed each one).
    static func fullWidth(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        switch c {
        case ",": "，"
        case ":": "："
        case ";": "；"
        case "(": "（"
        case ")": "）"
        case "!": "！"
        case "?": "？"
        default: nil
        }
    }

    static func isCJK(_ s: Unicode.Scalar?) -> Bool { s.map(ScriptClasses.isChinese) ?? false }

    /// Restores one paragraph or line.
    public mutating func restore(_ text: String) -> String {
        let out = restore(Array(text.unicodeScalars)).scalars
        // As UTF-8 bytes (a view of scalars appended one by one went through a generic slow path).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + out.count)
        for u in out { UTF8.encode(u) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Restores the scalars `s`, leaving those `kept` says as they are (code), and where each
    /// scalar of `s` went: `offsets[i]` is the output's index where scalar `i` begins (or would
    /// have: a space dropped beside a mark, the second `.` of `...`), `offsets[s.count]` its length.
    mutating func restore(_ source: [Unicode.Scalar], keeping kept: (Int) -> Bool = { _ in false }) -> (scalars: [Unicode.Scalar], offsets: [Int]) {
        let protected = protectedRanges(source)
        func isProtected(_ i: Int) -> Bool { kept(i) || protected.contains { $0.contains(i) } }
        let s = repairingQuotes(source, isProtected)
        var out: [Unicode.Scalar] = []
        var offsets = [Int](repeating: 0, count: s.count + 1), mapped = 0
        func map(to i: Int) { while mapped <= i && mapped <= s.count { offsets[mapped] = out.count; mapped += 1 } }
        // Neighbours, skipping spaces: before comes from what is already restored, after from the source.
        func prev(_ i: Int) -> Unicode.Scalar? { out.last(where: { $0 != " " }) }
        func next(_ i: Int) -> Unicode.Scalar? { var j = i + 1; while j < s.count, s[j] == " " { j += 1 }; return j < s.count ? s[j] : nil }
        var i = 0
        /// `mark` set for the source up to `end`: full-width marks carry their own space, so the
        /// spaces around it go.
        func set(_ mark: String, through end: Int) {
            while out.last == " " { out.removeLast() }
            out += mark.unicodeScalars
            counts[mark, default: 0] += 1
            i = end
            while i < s.count, s[i] == " " { i += 1 }
        }
        var openParens: [Bool] = []   // whether each open "(" was converted
        let hasFullStop = s.contains("。")
        func number(_ u: Unicode.Scalar) -> Bool { u.isASCII && (u.properties.numericType != nil || u == ".") }
        var doubleOpen = true, singleOpen = true
        while i < s.count {
            map(to: i)
            let c = s[i]
            if isProtected(i) { out.append(c); i += 1; continue }
            // Spaces beside a full-width mark (`。 他说`, `路。” 合作社`, `他说 “你好”`): the mark
            // has its own; beside a quote, dash or ellipsis where Chinese is on the other side.
            if c == " ", let before = out.last {
                var j = i
                while j < s.count, s[j] == " ", !isProtected(j) { j += 1 }
                if j < s.count, !isProtected(j) {
                    let after = s[j]
                    if Self.spacedMark(before) || Self.spacedMark(after) || (Self.sharedMark(before) && Self.isCJK(after)) || (Self.sharedMark(after) && Self.isCJK(before)) {
                        counts[Self.spacesKey, default: 0] += j - i
                        i = j
                        continue
                    }
                }
            }
            // A full-width letter or digit: the Latin one (U+FF10–FF19, FF21–FF3A, FF41–FF5A).
            if fullWidthAlphanumerics, (0xFF10...0xFF5A).contains(c.value), let latin = Unicode.Scalar(c.value - 0xFEE0), latin.properties.isAlphabetic || latin.properties.numericType != nil {
                out.append(latin)
                counts[Self.alphanumericsKey, default: 0] += 1
                i += 1
                continue
            }
            // …and a number's full-width percent sign or decimal point with it: 18％, ３．５.
            if fullWidthAlphanumerics, c == "％" || c == "．", let last = out.last, last.isASCII, last.properties.numericType != nil,
               c == "％" || (i + 1 < s.count && (s[i + 1].properties.numericType != nil)) {
                out.append(c == "％" ? "%" : ".")
                counts[Self.alphanumericsKey, default: 0] += 1
                i += 1
                continue
            }
            // The interpunct of a name written in Chinese, 阿依古丽•买买提 (clreq's 间隔号), typed as a
            // bullet or Japanese's ・ between two Chinese characters: ·; so is a full stop there,
            // `．` or `.`, in a paragraph whose sentences end with 。 (a Chinese input method turns
            // `.` into 。: not this writer's full stop). With spaces round it, `特别策划 · 教育振兴`,
            // a separator is meant, and set as typed.
            if c == "•" || c == "・" || ((c == "．" || c == ".") && hasFullStop),
               i > 0, ScriptClasses.isHan(s[i - 1]), i + 1 < s.count, ScriptClasses.isHan(s[i + 1]) {
                out.append("·")
                counts["·", default: 0] += 1
                i += 1
                continue
            }
            // Runs of three or more "." or "。" next to CJK: an ellipsis (clreq: ……, 2 em).
            if c == "." || c == "。" {
                var j = i
                while j < s.count, s[j] == c { j += 1 }
                if j - i >= 3 && (Self.isCJK(prev(i)) || Self.isCJK(j < s.count ? next(j - 1) : nil) || c == "。") {
                    out += Array("……".unicodeScalars)
                    counts["……", default: 0] += 1
                    i = j
                    continue
                }
                // A single full stop after CJK, ending a sentence (followed by CJK, a quote, a space or the end).
                // The same at the end of a Chinese paragraph, after a URL, address or Latin word.
                let endsChinese = j == s.count && out.suffix(40).contains { Self.isCJK($0) }
                // …and one after a percentage or an English word, before Chinese (`多了18%. 从`,
                // `UNESCO. 从此`; not after a digit, which may number: `图1. 草原`).
                let beforeHan = j < s.count && ScriptClasses.isHan(next(j - 1) ?? " ")
                    && (prev(i) == "%" || (s[j] == " " && (prev(i).map { $0.isASCII && $0.properties.isAlphabetic } ?? false)))
                if c == ".", j - i == 1, Self.chineseSide(prev(i)) || endsChinese || beforeHan {
                    let after = j < s.count ? s[j] : nil
                    if after == nil || after == " " || after == "\"" || Self.isCJK(after) {
                        set("。", through: j)
                        continue
                    }
                }
                out += s[i..<j]
                i = j
                continue
            }
            // A dash typed as hyphens (`--`, `---`), full-width hyphens (`－－`) or horizontal bars
            // (`――`, GBK's dash): the two-em dash ——, clreq's 破折号. Hyphens only beside Chinese and
            // not beside a Latin letter or a digit (`1949--2019` and `--help` stay as written).
            if c == "-" || c == "－" || c == "―" {
                var j = i
                while j < s.count, s[j] == c { j += 1 }
                let before = prev(i), after = next(j - 1)
                func latin(_ x: Unicode.Scalar?) -> Bool { x.map { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) } ?? false }
                if c == "-" ? (2...3).contains(j - i) && (Self.chineseSide(before) || Self.chineseSide(after)) && !latin(before) && !latin(after) : j - i >= 2 {
                    set("——", through: j)
                    continue
                }
                out += s[i..<j]
                i = j
                continue
            }
            // A title typed between angle brackets, `读了<<草原>>`, `<草原>`: the book-title marks
            // 《》 (a Chinese input method types them for < >). Only around Chinese words, not
            // beside a Latin letter or digit (`x<5且y>3`), nor in code or an address.
            if c == "<", let close = bookTitle(s, at: i, isProtected) {
                let double = s[i + 1] == "<"
                out.append("《")
                out += s[(i + (double ? 2 : 1))..<close]
                out.append("》")
                counts["《》", default: 0] += 1
                i = close + (double ? 2 : 1)
                continue
            }
            // A range typed with a half-width tilde between numbers in Chinese, `5~10元`, `第3~5章`:
            // GB/T 15834's wave connector ～ (a Chinese character right before or after the numbers).
            if c == "~", let before = out.last, number(before), i + 1 < s.count, number(s[i + 1]),
               out.last(where: { !number($0) }).map(ScriptClasses.isHan) == true || s[(i + 1)...].first(where: { !number($0) }).map(ScriptClasses.isHan) == true {
                out.append("～")
                counts["～", default: 0] += 1
                i += 1
                continue
            }
            // A single ellipsis beside Chinese: the two of clreq's …… (as `...` becomes).
            if c == "…", i + 1 == s.count || s[i + 1] != "…", i == 0 || s[i - 1] != "…", Self.chineseSide(prev(i)) || Self.chineseSide(next(i)) {
                out += ["…", "…"]
                counts["……", default: 0] += 1
                i += 1
                continue
            }
            if let full = Self.fullWidth(c) {
                // (After a closing bracket too, `（真的）!`: not after a closing quote, where
                // English quoted in Chinese ends, `“Good morning, everyone!”`.)
                let cjkSide = Self.chineseSide(prev(i)) || Self.chineseSide(next(i)) || prev(i).map { "）】》」』〕".unicodeScalars.contains($0) } == true
                var convert = cjkSide
                if c == "(" { openParens.append(convert) }
                if c == ")" { convert = openParens.popLast() ?? cjkSide }
                // A colon inside digits (12:30) or before "//" stays.
                if c == ":" && (prev(i).map { $0.properties.numericType != nil } ?? false) && (next(i).map { $0.properties.numericType != nil } ?? false) { convert = false }
                if convert {
                    // Full-width marks carry their own space: drop spaces around them.
                    set(String(full), through: i + 1)
                    continue
                }
            }
            if c == "\"" || c == "'" {
                if Self.isCJK(prev(i)) || Self.isCJK(next(i)) || (i + 1 < s.count && Self.isCJK(s[i + 1])) {
                    let double = c == "\""
                    let open = double ? doubleOpen : singleOpen
                    let mark: Unicode.Scalar = double ? (open ? "“" : "”") : (open ? "‘" : "’")
                    if double { doubleOpen.toggle() } else { singleOpen.toggle() }
                    out.append(mark)
                    counts[String(mark), default: 0] += 1
                    i += 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        map(to: s.count)
        // Spaces dropped before a mark were mapped before they were dropped: none lies past what follows it.
        for k in stride(from: s.count - 1, through: 0, by: -1) { offsets[k] = min(offsets[k], offsets[k + 1]) }
        return (out, offsets)
    }

    /// Where the title opened by `<` or `<<` at `i` closes (the index of its `>`), if it is one:
    /// up to 30 letters holding a Han character and no bracket, not begun with a digit or a
    /// space, closed the same way, with no Latin letter or digit just outside.
    func bookTitle(_ s: [Unicode.Scalar], at i: Int, _ isProtected: (Int) -> Bool) -> Int? {
        func latin(_ u: Unicode.Scalar?) -> Bool { u.map { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) } ?? false }
        let double = i + 1 < s.count && s[i + 1] == "<"
        let start = i + (double ? 2 : 1)
        guard start < s.count, !latin(i > 0 ? s[i - 1] : nil), s[start] != " ", s[start].properties.numericType == nil,
              let close = s[start..<min(s.count, start + 31)].firstIndex(where: { $0 == ">" || $0 == "<" || $0 == "\n" }), s[close] == ">",
              close > start, !double || (close + 1 < s.count && s[close + 1] == ">"),
              !latin(close + (double ? 2 : 1) < s.count ? s[close + (double ? 2 : 1)] : nil),
              s[start..<close].contains(where: ScriptClasses.isHan), !(i...(close + (double ? 1 : 0))).contains(where: isProtected) else { return nil }
        return close
    }

    /// `s` with its double quotes turned the way they open and close where some were typed the
    /// wrong way (`他说：”我们走吧。”`, Word's smart quotes after a Chinese character): where the
    /// paragraph has them in pairs (an even number, not in code) and not each pair “ ”, every
    /// first of a pair is “ and every second ”. In Chinese double quotes do not nest (‘ ’ go
    /// inside), so a paragraph's pairs follow one another; an odd number — a quotation going on
    /// into the next paragraph — is left as written, and so are a quotation's close and another's
    /// opening around pairs of their own.
    /// The single quotes the same way (‘ ’ go inside “ ”, and do not nest either: `读了’草原’`,
    /// Word's after a Chinese character), where each stands beside a Chinese character or mark —
    /// a paragraph with an apostrophe or English quoted (`I’m`, `students’`) is left.
    mutating func repairingQuotes(_ source: [Unicode.Scalar], _ isProtected: (Int) -> Bool) -> [Unicode.Scalar] {
        var s = source
        for (open, close) in [("“", "”"), ("‘", "’")] as [(Unicode.Scalar, Unicode.Scalar)] {
            let quotes = s.indices.filter { (s[$0] == open || s[$0] == close) && !isProtected($0) }
            func paired(_ q: ArraySlice<Int>) -> Bool { q.enumerated().allSatisfy { s[$0.element] == ($0.offset % 2 == 0 ? open : close) } }
            func chinese(_ k: Int) -> Bool { s.indices.contains(k) && (Self.chineseSide(s[k]) || Self.spacedMark(s[k]) || Self.sharedMark(s[k])) }
            guard quotes.count >= 2, quotes.count % 2 == 0, !paired(quotes[...]),
                  open == "“" || quotes.allSatisfy({ chinese($0 - 1) || chinese($0 + 1) }),
                  // (Closing a quotation begun before the paragraph and opening one going on after it,
                  // with its own pairs between, `”……“故事接龙”……“`, is written right.)
                  !(s[quotes.first!] == close && s[quotes.last!] == open && paired(quotes.dropFirst().dropLast())) else { continue }
            for (n, i) in quotes.enumerated() {
                let turned = n % 2 == 0 ? open : close
                if s[i] != turned { s[i] = turned; counts[String(turned), default: 0] += 1 }
            }
        }
        return s
    }

    /// URLs, web addresses and e-mail addresses (compiled once; regexes are immutable), each with
    /// the text every match holds: a pattern is tried only on a paragraph with that text (Swift's
    /// `Regex` tried at every position of every paragraph with a full stop was a fifth of reading
    /// an archived article).
    nonisolated(unsafe) static let protectedPatterns: [(needle: [UInt8], regex: Regex<AnyRegexOutput>)] = [
        ("://", "https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+"), ("www.", "www\\.[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+"),
        ("@", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
    ].compactMap { needle, pattern in (try? Regex(pattern)).map { (Array(needle.utf8), $0) } }

    /// URLs and e-mail addresses: never touched.
    private func protectedRanges(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        guard s.contains(where: { $0 == "/" || $0 == "@" || $0 == "." }) else { return [] }
        var text = String(String.UnicodeScalarView(s))
        for (needle, re) in Self.protectedPatterns where text.withUTF8({ WebArchiveReader.Pattern.find(needle, in: $0) }) {
            for m in text.matches(of: re) {
                let lo = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: m.range.lowerBound)
                let hi = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: m.range.upperBound)
                ranges.append(lo..<hi)
            }
        }
        return ranges
    }
}
