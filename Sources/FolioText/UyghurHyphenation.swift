/// Uyghur hyphenation by syllables (alreq A5: Uyghur, alone among Arabic-script languages, is
/// hyphenated). Uyghur writes every vowel, and its syllables are (C)V(C)(C): between two vowels
/// the last consonant begins the next syllable (V-CV, VC-CV, VCC-CV), and the hamza carrier ئ
/// that opens a vowel-initial syllable counts as its consonant. No dictionary is needed.
///
/// `PangoTypesetter.hyphenationPoints` finds the words. The line keeps the joined forms on both
/// sides of the break; the typesetter draws the hyphen as a tatweel on the baseline after a small
/// gap (see `FontSystem.FontInfo.hyphenMark`).
import FolioCore

enum UyghurHyphenation {
    /// The eight vowel letters: ا ە و ۇ ۆ ۈ ې ى.
    static let vowels: Set<UInt32> = [0x0627, 0x06D5, 0x0648, 0x06C7, 0x06C6, 0x06C8, 0x06D0, 0x0649]
    /// Letters kept before a break and after it.
    static let leftMin = 2, rightMin = 3
    /// Words shorter than this are never broken.
    static let shortest = 6

    static func isLetter(_ s: Unicode.Scalar) -> Bool { ScriptClasses.isArabicLetter(s) }

    /// Offsets inside one word where a syllable begins (after `leftMin`, before the last `rightMin` letters).
    static func syllableBreaks(_ word: [Unicode.Scalar]) -> [Int] {
        let nuclei = word.indices.filter { vowels.contains(word[$0].value) }
        var breaks: [Int] = []
        for (previous, next) in zip(nuclei, nuclei.dropFirst()) {
            // Consonants between two vowels: the last one starts the next syllable; with none (a
            // vowel straight after a vowel) the syllable starts at the second vowel.
            let start = next - previous > 1 ? next - 1 : next
            if start >= leftMin && word.count - start >= rightMin { breaks.append(start) }
        }
        return breaks
    }
}
