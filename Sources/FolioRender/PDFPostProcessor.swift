/// Finishing touches Cairo 1.16 has no API for, applied to the PDF it wrote:
/// - `/TrimBox` and `/BleedBox` on every page (inset from the MediaBox by the marks' slug and the bleed);
/// - moving the last pages to the front (the contents page is drawn last, once page numbers are known);
/// - a cross-reference table rebuilt from the objects actually in the file (Cairo's own is
///   wrong once link annotations are written).
///
/// Cairo writes one object per `N 0 obj … endobj`, page dictionaries as
/// `<< /Type /Page … /MediaBox [ 0 0 W H ] … >>` and one `/Type /Pages` with `/Kids [ … ]`.
import FolioCore
import Foundation

public struct PDFPostProcessor {
    /// Distance from the media edge to the bleed edge (crop-mark slug), and from there to the trim.
    public var slug: Pt = 0
    public var bleed: Pt = 0
    /// How many pages, drawn last, go to the front.
    public var moveLastToFront = 0

    public init(slug: Pt = 0, bleed: Pt = 0, moveLastToFront: Int = 0) {
        self.slug = slug; self.bleed = bleed; self.moveLastToFront = moveLastToFront
    }

    public func process(_ data: Data) throws -> Data {
        let bytes = [UInt8](data)
        guard let xrefStart = lastIndex(of: Array("\nxref\n".utf8), in: bytes).map({ $0 + 1 }),
              let trailerStart = firstIndex(of: Array("trailer".utf8), in: bytes, from: xrefStart) else {
            throw FolioError("internal error: unexpected PDF from Cairo (no xref table)")
        }
        let objects = objectOffsets(bytes, before: xrefStart)
        var edits: [(at: Int, remove: Int, insert: [UInt8])] = []
        let mediaKey = Array("/MediaBox [".utf8), endobj = Array("endobj".utf8)
        for (_, o) in objects.sorted(by: { $0.key < $1.key }) {
            guard let end = firstIndex(of: endobj, in: bytes, from: o) else { continue }
            let head = String(decoding: bytes[o..<min(end, o + 400)], as: UTF8.self)
            if head.contains("/Type /Page ") || head.contains("/Type /Page\n") {
                guard let m = firstIndex(of: mediaKey, in: bytes, from: o, before: end),
                      let close = bytes[m..<end].firstIndex(of: UInt8(ascii: "]")) else { continue }
                let n = String(decoding: bytes[(m + mediaKey.count)..<close], as: UTF8.self).split(separator: " ").compactMap { Double($0) }
                guard n.count == 4 else { continue }
                let f = { (v: Double) in String(format: "%.3f", v) }
                let t = slug + bleed, b = slug
                let text = " /TrimBox [ \(f(n[0] + t)) \(f(n[1] + t)) \(f(n[2] - t)) \(f(n[3] - t)) ]"
                    + " /BleedBox [ \(f(n[0] + b)) \(f(n[1] + b)) \(f(n[2] - b)) \(f(n[3] - b)) ]"
                edits.append((close + 1, 0, Array(text.utf8)))
            } else if head.contains("/Subtype /Image"), head.contains("/DeviceCMYK"), head.contains("/DCTDecode"),
                      !head.contains("/Decode"), let dictEnd = firstIndex(of: Array(">>".utf8), in: bytes, from: o, before: end),
                      let streamStart = firstIndex(of: Array("stream".utf8), in: bytes, from: dictEnd, before: end),
                      JPEGInfo.isAdobe(Data(bytes[(streamStart + 7)..<min(end, streamStart + 7 + 4096)])) {
                // Adobe CMYK JPEGs store inverted inks; without a Decode array they print as a negative.
                edits.append((dictEnd, 0, Array("  /Decode [ 1 0 1 0 1 0 1 0 ]\n".utf8)))
            } else if moveLastToFront > 0, head.contains("/Type /Pages"),
                      let k = firstIndex(of: Array("/Kids [".utf8), in: bytes, from: o, before: end),
                      let close = bytes[k..<end].firstIndex(of: UInt8(ascii: "]")) {
                let start = k + 7
                let refs = String(decoding: bytes[start..<close], as: UTF8.self).split(separator: "R")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let moved = Array(refs.suffix(moveLastToFront)) + Array(refs.dropLast(moveLastToFront))
                edits.append((start, close - start, Array((" " + moved.map { $0 + " R" }.joined(separator: " ") + " ").utf8)))
            }
        }
        edits.sort { $0.at < $1.at }
        // Apply the edits before the xref, then write a new xref from the shifted offsets.
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.insert.count })
        var cursor = 0
        for e in edits {
            out.append(contentsOf: bytes[cursor..<e.at])
            out.append(contentsOf: e.insert)
            cursor = e.at + e.remove
        }
        out.append(contentsOf: bytes[cursor..<xrefStart])
        func shifted(_ offset: Int) -> Int {
            edits.reduce(offset) { $1.at < offset ? $0 + $1.insert.count - $1.remove : $0 }
        }
        let size = (objects.keys.max() ?? 0) + 1
        let newXref = out.count
        var xref = "xref\n0 \(size)\n0000000000 65535 f \n"
        for n in 1..<max(size, 1) {
            if let o = objects[n] { xref += String(format: "%010d 00000 n \n", shifted(o)) } else { xref += "0000000000 65535 f \n" }
        }
        out.append(contentsOf: Array(xref.utf8))
        // The trailer dictionary as Cairo wrote it, with /Size corrected, then the new startxref.
        guard let dictEnd = firstIndex(of: Array("startxref".utf8), in: bytes, from: trailerStart) else {
            throw FolioError("internal error: unexpected PDF from Cairo (no startxref)")
        }
        var trailer = String(decoding: bytes[trailerStart..<dictEnd], as: UTF8.self)
        if let r = trailer.range(of: "/Size [0-9]+", options: .regularExpression) { trailer.replaceSubrange(r, with: "/Size \(size)") }
        out.append(contentsOf: Array(trailer.utf8))
        out.append(contentsOf: Array("startxref\n\(newXref)\n%%EOF\n".utf8))
        return Data(out)
    }

    /// Offsets of `N 0 obj` headers at line starts before `limit`, by object number.
    func objectOffsets(_ b: [UInt8], before limit: Int) -> [Int: Int] {
        var result: [Int: Int] = [:]
        var i = 0
        while i < limit {
            // An object header starts a line: digits, " 0 obj".
            if (i == 0 || b[i - 1] == 0x0A), b[i] >= 0x30, b[i] <= 0x39 {
                var j = i, n = 0
                while j < limit, b[j] >= 0x30, b[j] <= 0x39 { n = n * 10 + Int(b[j] - 0x30); j += 1 }
                if j + 6 <= limit, b[j..<(j + 6)].elementsEqual(" 0 obj".utf8), result[n] == nil { result[n] = i }
                i = j
                continue
            }
            // Skip stream bodies: they may contain anything.
            if b[i] == 0x73, i + 7 <= limit, b[i..<(i + 7)].elementsEqual("stream\n".utf8), i > 0, b[i - 1] != 0x64 {
                if let e = firstIndex(of: Array("endstream".utf8), in: b, from: i + 7, before: limit) { i = e + 9; continue }
            }
            i += 1
        }
        return result
    }

    func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int, before: Int? = nil) -> Int? {
        let limit = min(before ?? hay.count, hay.count) - needle.count
        guard from <= limit, let first = needle.first else { return nil }
        var i = from
        while i <= limit {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    func lastIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        var i = hay.count - needle.count
        while i >= 0 {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }
}
