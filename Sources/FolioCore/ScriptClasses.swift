/// The one table of "what script is this character" questions every module asks: is it a Han
/// ideograph, CJK punctuation, Hangul, an Arabic letter. The typesetter's classes (`CharClass`), the
/// kashida and Uyghur hyphenation code, the punctuation restorer and the encoding detector all
/// read these, so their ranges cannot drift apart.
public enum ScriptClasses {
    /// Han ideographs: the unified ideographs and their extensions (A, B and later), the
    /// compatibility ideographs, 〇 and the iteration mark 々.
    @inline(__always) public static func isHan(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x3FFFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || v == 0x3007 || v == 0x3005
    }

    /// Full-width CJK punctuation and symbols: the CJK Symbols and Punctuation block, the
    /// full-width forms, and the curly quotes and ellipsis Chinese text uses.
    public static func isCJKPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x3000...0x303F).contains(v) || (0xFF01...0xFF60).contains(v) || v == 0x201C || v == 0x201D || v == 0x2018 || v == 0x2019
            || v == 0x2026 || v == 0x2014
    }

    /// Hangul syllables and jamo (the compatibility jamo too).
    @inline(__always) public static func isHangul(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0xAC00...0xD7AF).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v)
    }

    /// A letter of a script code is not written in — Chinese (and its punctuation), kana, Hangul,
    /// Mongolian, Arabic (the presentation forms old web text has too), Cyrillic: what tells
    /// prose from code in a Markdown block indented as code.
    public static func isProseLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return isChinese(s) || isHangul(s) || (0x3040...0x30FF).contains(v) || (0x1800...0x18AF).contains(v)
            || (0x0600...0x06FF).contains(v) || (0xFB50...0xFEFF).contains(v) || (0x0400...0x04FF).contains(v)
    }

    /// Han or CJK punctuation: "Chinese context" for the punctuation restorer.
    public static func isChinese(_ s: Unicode.Scalar) -> Bool { isHan(s) || isCJKPunctuation(s) }

    /// Letters of the Arabic script as Uyghur, Kazakh and Arabic write them (Arabic block letters
    /// including ە U+06D5 and the tatweel, which joins; Arabic Supplement).
    public static func isArabicLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x0620...0x064A).contains(v) || (0x066E...0x066F).contains(v) || (0x0671...0x06D3).contains(v) || v == 0x06D5
            || (0x06EE...0x06EF).contains(v) || (0x06FA...0x06FC).contains(v) || v == 0x06FF || (0x0750...0x077F).contains(v)
    }
}
