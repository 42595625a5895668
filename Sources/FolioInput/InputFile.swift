/// Reading input files as text. Files are read only if they are regular files
/// (`RegularFile.read`: never a folder or a named pipe). Markdown, manifests and templates must
/// be UTF-8 (a leading BOM is dropped); invalid UTF-8 is an error with its location, never
/// silently replaced. Web archives may also be GB18030/GBK, Big5 or UTF-16 (`TextEncodingDetector`).
/// CRLF and CR are folded to LF.
import FolioCore
import Foundation

public enum InputFile {
    /// How a text file was encoded.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8", gb18030 = "GB18030", big5 = "Big5", utf16LE = "UTF-16LE", utf16BE = "UTF-16BE"
    }

    /// Reads text in any encoding web archives hold (see `TextEncodingDetector`); stops with a
    /// clear error when the encoding cannot be told, rather than printing garbage.
    public static func readDetectingEncoding(_ path: String) throws -> (text: String, encoding: Encoding) {
        let bytes = try RegularFile.read(path)
        let detected = try TextEncodingDetector.decode(bytes, path: path)
        return (foldLineEnds(try checkedText(detected.text, path: path)), detected.encoding)
    }

    /// Reads a UTF-8 text file.
    public static func readText(_ path: String) throws -> String {
        try text(RegularFile.read(path), path: path)
    }

    /// UTF-8 text read from a file or from standard input (`path` names it in messages), as
    /// `readText` takes a file's: the BOM dropped, invalid UTF-8 and NUL refused, line ends folded.
    public static func text(_ raw: [UInt8], path: String) throws -> String {
        var bytes = raw
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = firstInvalidUTF8(bytes) {
            let line = bytes[..<bad].filter { $0 == 0x0A }.count + 1
            throw FolioError("the file is not valid UTF-8 (byte offset \(bad)); save it as UTF-8",
                             at: SourceLocation(file: path, line: line, column: 1))
        }
        return foldLineEnds(try checkedText(String(decoding: bytes, as: UTF8.self), path: path))
    }

    /// Refuses text with a NUL (a binary file given as text).
    static func checkedText(_ text: String, path: String) throws -> String {
        if let nul = text.unicodeScalars.firstIndex(where: { $0.value == 0 }) {
            let line = text.unicodeScalars[..<nul].filter { $0 == "\n" }.count + 1
            throw FolioError("the file contains a NUL byte; is it a text file?", at: SourceLocation(file: path, line: line, column: 1))
        }
        return text
    }

    static func foldLineEnds(_ text: String) -> String {
        text.utf8.contains(13) ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
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
