/// Language rules as data (DESIGN principle 3): which characters may not start or end a line,
/// which pairs are never split, and how each character behaves in spacing and justification.
/// One breaker reads these tables; no `if chinese` branches elsewhere.
import FolioCore

/// How a character takes part in spacing and justification.
public enum CharClass: Hashable, Sendable {
    /// Han ideographs, kana, bopomofo: set solid, gaps between them stretch when justifying.
    case ideograph
    /// Hangul syllables and jamo.
    case hangul
    /// Full-width opening brackets and quotes: empty space on their left half (clreq C8, C9).
    case opening
    /// Full-width closing brackets, quotes and the pause/stop marks whose glyph sits in the
    /// left half of the em box in mainland fonts: empty right half (clreq C8, C10, C11).
    case closing
    /// Full-width marks centred or otherwise not compressible (！？ in GB, ·, connectors).
    case fullwidthOther
    /// Latin letters, digits and other proportional characters that form words.
    case word
    case space
    /// U+3000 IDEOGRAPHIC SPACE: a blank one em wide, set solid like an ideograph (never the
    /// ¼ em of a Han–Latin space); it vanishes at a line end.
    case ideographicSpace
    /// Marks that never take added space around them (dashes, ellipses, solidi; clreq C14).
    case connector
    case other
}

/// A set of characters with constant-time lookup (a bitmap over the Basic Multilingual Plane;
/// the breaker asks it for every character, so no hashing).
public struct ScalarSet: Sendable, ExpressibleByStringLiteral {
    private var bits = [UInt64](repeating: 0, count: 1024)
    private var astral = Set<UInt32>()

    public init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar { formUnion(scalars) }
    public init(stringLiteral value: String) { self.init(value.unicodeScalars) }

    @inline(__always) public func contains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x10000 ? bits[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 : astral.contains(v)
    }

    public mutating func formUnion<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        for s in scalars {
            if s.value < 0x10000 { bits[Int(s.value >> 6)] |= 1 << UInt64(s.value & 63) } else { astral.insert(s.value) }
        }
    }
}

/// The line-breaking tables of one language at one strictness level.
public struct LineRules: Sendable {
    /// Characters that may not start a line.
    public var noStart: ScalarSet
    /// Characters that may not end a line.
    public var noEnd: ScalarSet
    /// Characters never split from an identical neighbour (—— …… ⋯⋯, clreq C7).
    public var unbreakableDoubles: ScalarSet
    /// Whether a line may break between any two ideographs / full-width marks (CJK) or only
    /// where UAX #14 allows (Korean keep-all, Latin).
    public var breakBetweenIdeographs: Bool
    /// Where Hangul lines break (klreq K2; nil: not Korean). By `words`: never inside a
    /// space-delimited word. By `characters`: between any two syllables, but never between a
    /// number and the counter after it (2024년); justification then opens the gaps between
    /// syllables too (K4 spreads a line's space evenly, never around brackets, periods, commas,
    /// middle dots or hyphens).
    public var hangul: Typography.HangulBreaks?
    /// A two-em dash (—— as two U+2014) may start a line although a single U+2014, a connector,
    /// may not (clreq C4, C6: only the `strict` level keeps two-em dashes off line starts).
    public var twoEmDashMayStart = false
    /// Justification may open gaps between letters (Chinese); otherwise only between words
    /// (Korean word mode, Arabic script, Mongolian: klreq K4, alreq, mlreq M5).
    public var justifyBetweenLetters = true
    /// Only word spaces stretch: not between letters, and Hangul not broken between syllables
    /// (which spreads the space between them, K4). The breaker then weighs lines by their
    /// spaces (`TotalFitBreaker.stretchReference` 1), and ideographs in the text are set solid.
    var justifiesAtWordSpaces: Bool { !justifyBetweenLetters && hangul != .characters }

    /// Chinese (clreq §3.1.7) at the `basic` level, the one clreq recommends (TYPOGRAPHY C4–C7).
    public static let chinese: LineRules = {
        // C4: pause and stop marks, closing quotes and brackets, connectors, interpuncts, solidi.
        let start = "、，。：；！？”’」』）〕］｝】〗》〉～-–—·・‧/／" +
            // Half-width forms of the same marks, which archives often contain.
            ",.:;!?)]}%" +
            // Iteration marks, small kana and the prolonged sound mark (jlreq cl-09–cl-11).
            "々ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
        // C5: opening quotes, brackets and book-title marks.
        let end = "“‘「『（〔［｛【〖《〈([{"
        var r = LineRules(noStart: ScalarSet(start.unicodeScalars), noEnd: ScalarSet(end.unicodeScalars),
                          unbreakableDoubles: "—…⋯", breakBetweenIdeographs: true)
        r.twoEmDashMayStart = true
        return r
    }()

    /// Chinese at a prohibition level (clreq C6): `gb` also keeps the solidus off line ends;
    /// `strict` also keeps two-em dashes and ellipses off line starts.
    public static func chinese(_ level: Typography.Kinsoku) -> LineRules {
        switch level {
        case .basic: return chinese
        case .gb: return chineseGB
        case .strict: return chineseStrict
        }
    }

    // Built once: every paragraph asks for its rules.
    private static let chineseGB: LineRules = {
        var r = chinese
        r.noEnd.formUnion("/／".unicodeScalars)
        return r
    }()
    private static let chineseStrict: LineRules = {
        var r = chineseGB
        r.noStart.formUnion("—…⋯⸺".unicodeScalars)
        r.twoEmDashMayStart = false
        return r
    }()

    /// Korean (W3C klreq): closing brackets, hyphens, dividing marks, middle dots, periods,
    /// commas, iteration and prolonged sound marks never start a line; opening brackets never end
    /// one (K1); words are kept whole (K2); justification never widens inside words (K4).
    /// `koreanByCharacters`: the same with lines broken between any two syllables (K2).
    public static let korean: LineRules = {
        let start = ")]}〉》」』】〕〗’”,.!?:;·ㆍ・-‐–~～…%、。，！？：；）］｝"
        let end = "([{〈《「『【〔〖‘“（［｛"
        var r = LineRules(noStart: ScalarSet(start.unicodeScalars), noEnd: ScalarSet(end.unicodeScalars),
                          unbreakableDoubles: "—…⋯", breakBetweenIdeographs: false)
        r.hangul = .words
        r.justifyBetweenLetters = false
        return r
    }()
    public static let koreanByCharacters: LineRules = {
        var r = korean
        r.hangul = .characters
        return r
    }()

    /// Uyghur and Kazakh in Arabic script (r12a's Uyghur notes, alreq): « ( never end a line;
    /// » ) . ، ؛ ؟ ! % never start one (A6); justification by spaces (A2, A4 without kashida).
    public static let arabic: LineRules = {
        var r = LineRules(noStart: ScalarSet("»).،؛؟!%:]".unicodeScalars), noEnd: ScalarSet("«([".unicodeScalars),
                          unbreakableDoubles: "", breakBetweenIdeographs: true)
        r.justifyBetweenLetters = false
        return r
    }()

    /// Traditional Mongolian (W3C mlreq M3, M4): ᠂ ᠃ ! ? : and closing brackets never start a line,
    /// opening brackets never end one, a suffix after U+202F or U+180E stays with its word;
    /// justification stretches spaces (M5).
    public static let mongolian: LineRules = {
        var r = LineRules(noStart: ScalarSet("᠂᠃᠄᠅᠈᠉!?:)》」".unicodeScalars), noEnd: ScalarSet("(《「".unicodeScalars),
                          unbreakableDoubles: "᠁", breakBetweenIdeographs: true)
        r.justifyBetweenLetters = false
        return r
    }()

    /// Rules for a language tag at a level; Chinese rules are the default for the magazine.
    public static func forLanguage(_ tag: String, level: Typography.Kinsoku = .basic, hangul: Typography.HangulBreaks = .words) -> LineRules {
        switch LanguageInfo(tag).primary {
        case "ko": return hangul == .words ? korean : koreanByCharacters
        case "ug", "kk", "ar", "fa", "ur": return arabic
        case "mn": return mongolian
        default: return chinese(level)
        }
    }
}

extension CharClass {
    /// Classifies a character for spacing and justification (clreq §3.1, punctuation tables).
    public static func of(_ c: Unicode.Scalar) -> CharClass {
        let v = c.value
        // Fast paths for the bulk of the text: ASCII and the unified ideographs.
        if v < 0x80 {
            switch v {
            case 0x20: return .space
            case 0x2F: return .connector
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
            default: return .other
            }
        }
        if (0x4E00...0x9FFF).contains(v) { return .ideograph }   // fast path of ScriptClasses.isHan
        switch v {
        case 0x3000: return .ideographicSpace
        case 0xA0, 0x202F, 0x2009, 0x200A: return .space
        case 0x2014, 0x2026, 0x22EF, 0x2E3A, 0x2E3B, 0x2013, 0xFF5E, 0xFF0F: return .connector
        default: break
        }
        if closingMarks.contains(c) { return .closing }
        if openingMarks.contains(c) { return .opening }
        if otherFullwidth.contains(c) { return .fullwidthOther }
        if ScriptClasses.isHan(c) || (0x3040...0x30FF).contains(v) || (0x3100...0x312F).contains(v)
            || (0x31F0...0x31FF).contains(v) || (0x2E80...0x2FDF).contains(v)
            // Circled and parenthesised numbers (①⑴⒈, note marks): full width in CJK fonts, set solid.
            || (0x2460...0x24FF).contains(v) || (0x3251...0x325F).contains(v) || (0x32B1...0x32BF).contains(v) {
            return .ideograph
        }
        if ScriptClasses.isHangul(c) { return .hangul }
        if c.properties.isAlphabetic || c.properties.numericType != nil { return .word }
        if c.properties.generalCategory == .nonspacingMark || c.properties.generalCategory == .spacingMark { return .word }
        return .other
    }

    /// Full-width marks whose ink sits in the left half of the em box in mainland (GB) fonts.
    /// These lists are the fallback: shaped text decides by the ink of the glyph in the font
    /// actually used (`InkSide`), so ！？ behave like ，。 in a GB font and stay centred in a TC one.
    static let closingMarks: ScalarSet = "、，。．：；”’」』）〕］｝】〗》〉"
    static let openingMarks: ScalarSet = "“‘「『（〔［｛【〖《〈"
    static let otherFullwidth: ScalarSet = "！？·・‧"

    /// Whether this class is set on the CJK em grid (solid, with inter-character gaps).
    public var isCJK: Bool {
        switch self {
        case .ideograph, .hangul, .opening, .closing, .fullwidthOther, .ideographicSpace: return true
        default: return false
        }
    }
}

