/// Where display text may break: between words, as ICU's word break iterator finds them (its
/// dictionary segments Chinese, so 二十年 or a name stays whole). The corresponding C call:
/// `folio_word_boundaries` (CICU's shim around `ubrk_open(UBRK_WORD, …)`).
import CICU
import FolioCore

enum WordBreaks {
    /// Offsets where display text may break between two ideographs: word boundaries, except
    /// between two one-character segments — ICU cuts a name it does not know (周明远, 高宁)
    /// into single characters, and a run of them is kept whole — and after a number, which
    /// stays with its measure word (二十年, clreq C7).
    static func displayBreaks(_ scalars: [Unicode.Scalar], language: String) -> Set<Int> {
        let b = boundaries(scalars, language: language).sorted()
        var out = Set<Int>()
        for k in b.indices {
            let before = k > 0 ? b[k] - b[k - 1] : 0, after = k + 1 < b.count ? b[k + 1] - b[k] : 0
            let number = k > 0 && scalars[b[k - 1]..<b[k]].allSatisfy { numerals.contains($0) || ("0"..."9").contains($0) }
            if !(before == 1 && after == 1) && !number { out.insert(b[k]) }
        }
        return out
    }

    static let numerals = Set("〇零一二两三四五六七八九十百千万亿".unicodeScalars)

    /// Scalar offsets in `scalars` that are word boundaries (0 and the end included).
    static func boundaries(_ scalars: [Unicode.Scalar], language: String) -> Set<Int> {
        var utf16: [UInt16] = []
        var scalarAtUTF16: [Int: Int] = [:]
        for (i, s) in scalars.enumerated() {
            scalarAtUTF16[utf16.count] = i
            utf16.append(contentsOf: String(s).utf16)
        }
        scalarAtUTF16[utf16.count] = scalars.count
        var out = [Int32](repeating: 0, count: utf16.count + 2)
        let n = utf16.withUnsafeBufferPointer { text in
            LanguageInfo(language).pangoLanguage.withCString { locale in
                folio_word_boundaries(text.baseAddress, Int32(text.count), locale, &out, Int32(out.count))
            }
        }
        // ICU unavailable for this text: every position is a boundary (breaks as body text).
        guard n >= 0 else { return Set(0...scalars.count) }
        return Set(out.prefix(Int(n)).compactMap { scalarAtUTF16[Int($0)] })
    }
}
