/// Dictionary hyphenation of Latin words inside Chinese text (clreq C19), through libhyphen
/// with the Debian `hyphen-en-us` patterns. Owns the C dictionary; frees it in `deinit`.
import CHyphen
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FolioCore

public final class Hyphenator: @unchecked Sendable {   // (its calls into libhyphen are locked)
    /// The corresponding C type: `HyphenDict`.
    private let dict: UnsafeMutablePointer<HyphenDict>
    /// One word at a time: libhyphen does not say it may be called from two threads at once,
    /// and a shared dictionary is (`shared`). Latin words are few in Chinese text.
    private let lock = NSLock()
    /// Letters kept before and after a hyphen (TeX's lefthyphenmin/righthyphenmin for English).
    let leftMin = 2, rightMin = 3

    /// Loads a libhyphen pattern file. The corresponding C call: `hnj_hyphen_load`.
    public init?(dictionary path: String) {
        guard let d = hnj_hyphen_load(path) else { return nil }
        dict = d
    }

    deinit { hnj_hyphen_free(dict) }

    /// The US English patterns, loaded once per process the first time a paragraph has a Latin
    /// word to hyphenate (their 106 KB took each of an issue's layout threads 10–15 ms).
    public static let shared: Hyphenator? = englishUS()

    /// The default US English patterns, if installed.
    public static func englishUS() -> Hyphenator? {
        for path in ["/usr/share/hyphen/hyph_en_US.dic", "/usr/share/hyphen/hyph_en.dic"] {
            if let h = Hyphenator(dictionary: path) { return h }
        }
        return nil
    }

    /// Positions (1…count-1) after which `word` (ASCII letters) may be hyphenated.
    /// The corresponding C call: `hnj_hyphen_hyphenate3`.
    public func points(_ word: String) -> [Int] {
        let lowered = word.lowercased()
        let lower = Array(lowered.utf8)
        guard lower.count >= leftMin + rightMin, lower.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return [] }
        var hyphens = [CChar](repeating: 0, count: lower.count + 5)
        var rep: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        var pos: UnsafeMutablePointer<Int32>? = nil
        var cut: UnsafeMutablePointer<Int32>? = nil
        // libhyphen reads the word as a C string: pass it NUL-terminated (AddressSanitizer found
        // the read past a bare buffer).
        let status = lock.withLock {
            lowered.withCString { w in
                hnj_hyphen_hyphenate3(dict, w, Int32(lower.count), &hyphens, nil, &rep, &pos, &cut,
                                      Int32(leftMin), Int32(rightMin), Int32(leftMin), Int32(rightMin))
            }
        }
        if let rep {
            for i in 0..<lower.count { free(rep[i]) }
            free(rep)
        }
        free(pos); free(cut)
        guard status == 0 else { return [] }
        return (0..<(lower.count - 1)).filter { hyphens[$0] & 1 == 1 }.map { $0 + 1 }
    }
}
