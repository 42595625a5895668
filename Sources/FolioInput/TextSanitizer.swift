/// Characters that must not reach the page unannounced: bidi embedding/override/isolate
/// controls (they reorder Chinese text invisibly), C0/C1 controls other than line ends, and a
/// byte-order mark inside the text. They are removed and reported by the readers.
import FolioCore

public enum TextSanitizer {
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x202A...0x202E, 0x2066...0x2069: return true           // bidi embeddings, overrides, isolates
        case 0xFEFF: return true                                     // BOM / zero-width no-break space
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F...0x9F: return true
        default: return false
        }
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
        let spans = text.spans.compactMap { span -> StyledSpan? in
            let lo = newIndex[min(span.range.lowerBound, newIndex.count - 1)], hi = newIndex[min(span.range.upperBound, newIndex.count - 1)]
            return hi > lo ? StyledSpan(range: lo..<hi, style: span.style) : nil
        }
        return (StyledText(String(kept), spans: spans), removed)
    }
}
