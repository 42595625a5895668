/// Reading input files as text: UTF-8 (a leading BOM is dropped), CRLF folded to LF.
/// Invalid UTF-8 is an error with the byte offset, never silently replaced.
import FolioCore
import Foundation

public enum InputFile {
    /// How a text file was encoded.
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", gb18030 = "GB18030" }

    /// Reads text that may be UTF-8 (with or without BOM) or GB18030 (web archives from
    /// mainland sites often are): UTF-8 is tried first; text that is not valid UTF-8 but decodes
    /// cleanly as GB18030 is taken as GB18030.
    public static func readDetectingEncoding(_ path: String) throws -> (text: String, encoding: Encoding) {
        do {
            return (try readText(path), .utf8)
        } catch let utf8Error as FolioError {
            guard let data = FileManager.default.contents(atPath: path), let text = decodeGB18030([UInt8](data)) else { throw utf8Error }
            if text.unicodeScalars.contains(where: { $0.value == 0 }) { throw utf8Error }
            return (text.contains("\r") ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text, .gb18030)
        }
    }

    /// GB18030 → String through iconv; nil if any byte sequence is invalid.
    static func decodeGB18030(_ bytes: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let ok = input.withUnsafeMutableBufferPointer { inBuf -> Bool in
            output.withUnsafeMutableBufferPointer { outBuf -> Bool in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        let utf8 = output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
        return String(validatingUTF8: utf8.map { CChar(bitPattern: $0) } + [0])
    }

    public static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw FolioError(exists ? "cannot read \(path): permission denied" : "no such file: \(path)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = firstInvalidUTF8(bytes) {
            let line = bytes[..<bad].filter { $0 == 0x0A }.count + 1
            throw FolioError("the file is not valid UTF-8 (byte offset \(bad)); save it as UTF-8",
                             at: SourceLocation(file: path, line: line, column: 1))
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].filter { $0 == 0x0A }.count + 1
            throw FolioError("the file contains a NUL byte (byte offset \(nul)); is it a text file?",
                             at: SourceLocation(file: path, line: line, column: 1))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("\r") ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    public static func firstInvalidUTF8Offset(_ b: [UInt8]) -> Int? { firstInvalidUTF8(b) }

    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var it = b.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
