/// Characters that must not reach the page unannounced: bidi embedding/override/isolate
/// controls (they reorder Chinese text invisibly), C0/C1 controls other than line ends and
/// tabs, a byte-order mark inside the text, and Unicode noncharacters (U+FDD0–U+FDEF and the
/// last two code points of every plane: valid UTF-8, but not text; Cairo refuses them). The
/// readers remove them from the whole file before parsing and report each line's with its
/// line and column.
import FolioCore

public enum TextSanitizer {
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x202A...0x202E, 0x2066...0x2069: return true           // bidi embeddings, overrides, isolates
        case 0xFEFF: return true                                     // BOM / zero-width no-break space
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F...0x9F: return true
        default: return isNoncharacter(s)
        }
    }

    /// U+FDD0–U+FDEF and U+nFFFE/U+nFFFF (Unicode §23.7).
    public static func isNoncharacter(_ s: Unicode.Scalar) -> Bool {
        (0xFDD0...0xFDEF).contains(s.value) || s.value & 0xFFFE == 0xFFFE
    }

    static func name(_ s: Unicode.Scalar) -> String {
        let code = "U+" + String(s.value, radix: 16, uppercase: true)
        return isNoncharacter(s) ? code + " noncharacter" : code
    }

    /// `text` without the characters above, and one warning per line that had some, located at
    /// the first of them (`firstLine`: the file line of the text's first line).
    public static func clean(_ text: String, file: String, firstLine: Int = 1) -> (String, [Diagnostic]) {
        guard text.unicodeScalars.contains(where: isControl) else { return (text, []) }
        var kept = String.UnicodeScalarView()
        var warnings: [Diagnostic] = []
        var line = firstLine, column = 1
        var removed: [Unicode.Scalar] = [], at = SourceLocation(file: file)
        func flush() {
            guard !removed.isEmpty else { return }
            let n = removed.count
            warnings.append(.warning("removed \(plural(n, "invisible control character")) (\(removed.map(name).joined(separator: ", ")))",
                                     at: at, code: "control-character"))
            removed = []
        }
        for s in text.unicodeScalars {
            if isControl(s) {
                if removed.isEmpty { at = SourceLocation(file: file, line: line, column: column) }
                removed.append(s)
                continue
            }
            kept.append(s)
            if s == "\n" { flush(); line += 1; column = 1 } else { column += 1 }
        }
        flush()
        return (String(kept), warnings)
    }

    /// The text without control characters (spans shifted), and the characters removed.
    public static func removeControls(_ text: StyledText) -> (StyledText, [Unicode.Scalar]) {
        guard text.string.unicodeScalars.contains(where: isControl) else { return (text, []) }
        var kept = String.UnicodeScalarView()
        var removed: [Unicode.Scalar] = []
        var newIndex: [Int] = []   // old scalar offset → new offset
        for s in text.string.unicodeScalars {
            newIndex.append(kept.count)
            if isControl(s) { removed.append(s) } else { kept.append(s) }
        }
        newIndex.append(kept.count)
        return (text.replacingString(with: String(kept)) { newIndex[min($0, newIndex.count - 1)] }, removed)
    }
}
