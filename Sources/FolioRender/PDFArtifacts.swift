/// Furniture marked as what it is (issue 15): Cairo 1.16 writes no `/Artifact`, so what it
/// draws outside every structure element — running heads, folios, rules, tints, crop marks, a
/// half-page ad — is content no element owns, which a screen reader may read and a checker
/// rejects. `PDFFinisher` wraps each such painting (a text object, a painted path, an image)
/// in `/Artifact BMC … EMC` in the page's content stream. A page whose content holds anything
/// the scanner does not follow (an inline image, marked content open across a text object's
/// end) is left as Cairo wrote it.
///
/// The same pass makes marked content and the graphics state nest: Cairo begins an element and
/// then resets its clip (`/P <</MCID 3>> BDC Q q`), so the `Q` restores a state saved outside the
/// element. The reset is moved before the element begins (`Q q /P <</MCID 3>> BDC`), which
/// paints the same (beginning marked content changes no graphics state). (Graphics other
/// libraries draw are recorded and painted as one, `drawAsOne`, for the same reason.)
import CQPDF
import FolioCore
import Foundation

extension PDFFinisher {
    /// Every page's unowned painting marked as an artifact; the content becomes one stream,
    /// deflated here (Cairo stores it uncompressed, `PDFWriter.draw`). libqpdf reads and sets
    /// the streams on this thread; the marking and deflating, a third of this step, run on
    /// every core.
    func markArtifacts(_ pdf: qpdf_data, pages count: Int) {
        let contents: [[UInt8]?] = (0..<count).map { i in
            let page = qpdf_get_page_n(pdf, i)
            // One stream Cairo stored (`storedStreamData`), else libqpdf's page contents.
            let one = qpdf_oh_get_key(pdf, page, "/Contents")
            if qpdf_oh_is_stream(pdf, one) == QPDF_TRUE, let data = storedStreamData(pdf, one) { return data }
            var buffer: UnsafeMutablePointer<UInt8>?
            var length = 0
            guard succeeded(qpdf_oh_get_page_content_data(pdf, page, &buffer, &length)), let buffer else { return nil }
            defer { free(buffer) }
            return Array(UnsafeBufferPointer(start: buffer, count: length))
        }
        nonisolated(unsafe) var finished = [[UInt8]?](repeating: nil, count: count)
        Parallel.each(count) { i in
            guard let content = contents[i] else { return }
            finished[i] = Deflate.bytes(ArtifactMarker.mark(content) ?? content, fastest: true)
        }
        for (i, deflated) in finished.enumerated() {
            guard let deflated else { continue }
            let stream = qpdf_oh_new_stream(pdf)
            replaceData(pdf, stream, deflated, filter: "/FlateDecode")
            qpdf_oh_replace_key(pdf, qpdf_get_page_n(pdf, i), "/Contents", stream)
        }
    }
}

/// The content-stream scan behind `markArtifacts`: operators, with their operands' start.
enum ArtifactMarker {
    /// `content` with each painting outside marked content wrapped as an artifact, and each clip
    /// reset that follows the beginning of marked content moved before it; nil when there is
    /// nothing to change or the content holds what the scan does not follow.
    static func mark(_ content: [UInt8]) -> [UInt8]? {
        var ranges: [Range<Int>] = []
        // Marked content begun (its operands and operator) and reset right after (`Q q`).
        var resets: [(begin: Range<Int>, reset: Range<Int>)] = []
        var begun: (range: Range<Int>, restored: Int?)?
        var depth = 0
        var text: (start: Int, depth: Int)?
        var path: Int?
        var scanner = Scanner(content)
        while let op = scanner.nextOperator() {
            // `BDC`, then `Q`, then `q`, nothing between.
            switch (op.name, begun) {
            case ("Q", let b?) where b.restored == nil: begun = (b.range, op.start)
            case ("q", let b?) where b.restored != nil: resets.append((b.range, b.restored!..<op.end)); begun = nil
            default: begun = nil
            }
            switch op.name {
            case "BI", "ID", "EI": return nil
            case "BMC", "BDC":
                begun = (op.start..<op.end, nil)
                depth += 1
            case "EMC":
                depth -= 1
                if depth < 0 { return nil }
            case "BT":
                text = (op.start, depth)
            case "ET":
                // (Cairo marks a space's text inside a text object: `/Span << /ActualText … >> BDC EMC`.)
                guard let t = text, t.depth == depth else { return nil }
                if depth == 0 { ranges.append(t.start..<op.end) }
                text = nil
            case "m", "l", "c", "v", "y", "h", "re":
                if path == nil { path = op.start }
            case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*":
                if depth == 0, text == nil, let p = path { ranges.append(p..<op.end) }
                path = nil
            case "n":
                path = nil
            case "Do", "sh":
                if depth == 0, text == nil { ranges.append(op.start..<op.end) }
            default: break
            }
        }
        guard scanner.complete, depth == 0, text == nil, !ranges.isEmpty || !resets.isEmpty else { return nil }
        // The edits in order (an artifact is outside marked content, a reset inside it: they never overlap).
        let edits = (ranges.map { r in (r, Array("/Artifact BMC\n".utf8) + content[r] + Array("\nEMC\n".utf8)) }
                     + resets.map { m in (m.begin.lowerBound..<m.reset.upperBound, Array("Q q\n".utf8) + content[m.begin]) })
            .sorted { $0.0.lowerBound < $1.0.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(content.count + ranges.count * 20)
        var at = 0
        for (r, replacement) in edits {
            out += content[at..<r.lowerBound]
            out += replacement
            at = r.upperBound
        }
        out += content[at...]
        return out
    }

    /// PDF content tokens, operator by operator.
    struct Scanner {
        let bytes: [UInt8]
        var i = 0
        /// False if the content ended inside a token (an unclosed string or array).
        private(set) var complete = true
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0x00 }
        static func isDelimiter(_ b: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(b) }

        /// The next operator, with where its operands began and where it ends.
        mutating func nextOperator() -> (name: String, start: Int, end: Int)? {
            var start: Int?
            while i < bytes.count {
                let b = bytes[i]
                if Self.isSpace(b) { i += 1; continue }
                if b == UInt8(ascii: "%") { while i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }; continue }
                if start == nil { start = i }
                switch b {
                case UInt8(ascii: "("): if !skipString() { complete = false; return nil }
                case UInt8(ascii: "<"):
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "<") { i += 2 } else {
                        guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { complete = false; return nil }
                        i = close + 1
                    }
                case UInt8(ascii: ">"): i += bytes[i...].starts(with: ">>".utf8) ? 2 : 1
                case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"): i += 1
                case UInt8(ascii: "/"):
                    i += 1
                    while i < bytes.count, !Self.isSpace(bytes[i]), !Self.isDelimiter(bytes[i]) { i += 1 }
                default:
                    let s = i
                    while i < bytes.count, !Self.isSpace(bytes[i]), !Self.isDelimiter(bytes[i]) { i += 1 }
                    // A number is an operand (most tokens are): no string made for it.
                    if (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") { continue }
                    let word = String(decoding: bytes[s..<i], as: UTF8.self)
                    if word != "true" && word != "false" && word != "null" { return (word, start ?? s, i) }
                }
            }
            return nil
        }

        /// Past a literal string, its nested parentheses and escapes; false if it does not close.
        private mutating func skipString() -> Bool {
            var level = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "(") { level += 1 } else if b == UInt8(ascii: ")") {
                    level -= 1
                    if level == 0 { i += 1; return true }
                }
                i += 1
            }
            return false
        }
    }
}
