/// Tells how an archived text file is encoded. Web archives hold UTF-8 (with or without BOM),
/// GB18030/GBK (mainland sites), Big5 (Taiwan and Hong Kong sites) and UTF-16 (Windows exports).
/// GB18030 accepts almost any byte pairs, so Big5 text "decodes" as GB18030 into rare
/// characters: validity alone cannot decide. Each legacy decoding that is valid is scored by the
/// share of its Han characters that are among the most frequent Chinese characters (in either
/// form): real text scores 0.3–0.6, a wrong decoding almost 0. When neither decoding reads as
/// Chinese, the reader stops with a clear error instead of printing mojibake.
import FolioCore
import Foundation

public enum TextEncodingDetector {
    /// The least share of frequent characters among a decoding's Han characters for it to be
    /// taken as Chinese text (real text: ≥ 0.3; a wrong decoding: ≤ 0.05).
    static let minimumScore = 0.15
    /// The fewest Han characters a decision rests on; with fewer, a legacy encoding is a guess.
    static let minimumHan = 8

    /// The 100 most frequent Chinese characters in running text, in simplified and traditional form.
    static let frequent: Set<Unicode.Scalar> = Set(("的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开"
        + "這個們來為國說時會對於著過發後裡種經麼學現當沒動還進樣開與們區經濟發展").unicodeScalars)

    public struct Decoded: Sendable {
        public var text: String
        public var encoding: InputFile.Encoding
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> Decoded {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return try utf8(Array(bytes.dropFirst(3)), path: path) }
        if bytes.starts(with: [0xFF, 0xFE]) { return try utf16(Array(bytes.dropFirst(2)), littleEndian: true, path: path) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try utf16(Array(bytes.dropFirst(2)), littleEndian: false, path: path) }
        if let le = looksLikeUTF16(bytes) { return try utf16(bytes, littleEndian: le, path: path) }
        if InputFile.firstInvalidUTF8(bytes) == nil { return Decoded(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8) }

        let candidates: [(InputFile.Encoding, String)] = [(.gb18030, "GB18030"), (.big5, "BIG5-HKSCS")].compactMap { enc, name in
            iconvDecode(bytes, from: name).map { (enc, $0) }
        }
        let scored = candidates.map { (encoding: $0.0, text: $0.1, score: score($0.1)) }.sorted { $0.score.share > $1.score.share }
        if let best = scored.first, best.score.han >= minimumHan, best.score.share >= minimumScore {
            return Decoded(text: best.text, encoding: best.encoding)
        }
        let bad = InputFile.firstInvalidUTF8(bytes) ?? 0
        let line = bytes[..<bad].filter { $0 == 0x0A }.count + 1
        let tried = scored.isEmpty ? "nor valid GB18030 or Big5" : "and does not read as Chinese in " + scored.map(\.encoding.rawValue).joined(separator: " or ")
        throw FolioError("cannot tell how the file is encoded: it is not UTF-8 (byte offset \(bad)) \(tried); save it as UTF-8",
                         at: SourceLocation(file: path, line: line, column: 1))
    }

    /// Han characters in `text`, and the share of them that are frequent ones.
    static func score(_ text: String) -> (han: Int, share: Double) {
        var han = 0, hits = 0
        for s in text.unicodeScalars where ScriptClasses.isHan(s) {
            han += 1
            if frequent.contains(s) { hits += 1 }
        }
        return (han, han == 0 ? 0 : Double(hits) / Double(han))
    }

    /// UTF-16 without a BOM: most of the bytes at one parity are zero (Latin text) or the text
    /// has zeros at one parity and never at the other. nil: not UTF-16; else whether little-endian.
    static func looksLikeUTF16(_ b: [UInt8]) -> Bool? {
        guard b.count >= 4, b.count % 2 == 0 else { return nil }
        var zeros = [0, 0]
        for (i, byte) in b.enumerated() where byte == 0 { zeros[i % 2] += 1 }
        let half = b.count / 2
        if zeros[1] * 3 > half && zeros[0] == 0 { return true }
        if zeros[0] * 3 > half && zeros[1] == 0 { return false }
        return nil
    }

    static func utf8(_ bytes: [UInt8], path: String) throws -> Decoded {
        if let bad = InputFile.firstInvalidUTF8(bytes) {
            let line = bytes[..<bad].filter { $0 == 0x0A }.count + 1
            throw FolioError("the file starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte offset \(bad + 3))",
                             at: SourceLocation(file: path, line: line, column: 1))
        }
        return Decoded(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8)
    }

    static func utf16(_ bytes: [UInt8], littleEndian: Bool, path: String) throws -> Decoded {
        guard bytes.count % 2 == 0 else {
            throw FolioError("the file is UTF-16 but has an odd number of bytes (truncated?)", at: SourceLocation(file: path))
        }
        let units = stride(from: 0, to: bytes.count, by: 2).map { i -> UInt16 in
            littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
        }
        var it = units.makeIterator()
        var decoder = UTF16()
        var text = String.UnicodeScalarView()
        var line = 1
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): text.append(s); if s == "\n" { line += 1 }
            case .emptyInput: break loop
            case .error: throw FolioError("the file is UTF-16 but holds an unpaired surrogate", at: SourceLocation(file: path, line: line, column: 1))
            }
        }
        var s = String(text)
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
        return Decoded(text: s, encoding: littleEndian ? .utf16LE : .utf16BE)
    }

    /// `bytes` in the encoding `name` → String through iconv; nil if any byte sequence is invalid.
    public static func iconvDecode(_ bytes: [UInt8], from name: String) -> String? {
        guard let utf8 = iconvConvert(bytes, from: name, to: "UTF-8"), InputFile.firstInvalidUTF8(utf8) == nil else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// `text` in the encoding `name` (tests and tools make legacy files with it); nil if it cannot be encoded.
    public static func iconvEncode(_ text: String, to name: String) -> [UInt8]? {
        iconvConvert(Array(text.utf8), from: "UTF-8", to: name)
    }

    /// The corresponding C calls: `iconv_open`, `iconv`, `iconv_close`.
    static func iconvConvert(_ bytes: [UInt8], from: String, to: String) -> [UInt8]? {
        let cd = iconv_open(to, from)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        var inLeft = input.count, outLeft = output.count
        let ok = input.withUnsafeMutableBufferPointer { inBuf -> Bool in
            output.withUnsafeMutableBufferPointer { outBuf -> Bool in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 && inLeft == 0
            }
        }
        return ok ? output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) } : nil
    }
}
