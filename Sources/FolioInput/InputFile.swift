/// Reading input files as text: UTF-8 (a leading BOM is dropped), CRLF folded to LF.
/// Invalid UTF-8 is an error with the byte offset, never silently replaced.
import FolioCore
import Foundation

public enum InputFile {
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
