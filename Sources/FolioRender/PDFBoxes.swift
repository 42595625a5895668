/// Adds `/TrimBox` and `/BleedBox` to every page object of a PDF written by Cairo 1.16, which
/// has no API for them, and rewrites the cross-reference table so every offset stays exact.
///
/// Cairo writes a classic xref table and page dictionaries of the form
/// `<< /Type /Page … /MediaBox [ 0 0 W H ] … >>`; the boxes go right after the MediaBox.
import FolioCore
import Foundation

public enum PDFBoxes {
    public static func addTrimAndBleed(to data: Data, bleed: Pt) throws -> Data {
        let bytes = [UInt8](data)
        guard let sx = lastIndex(of: Array("startxref".utf8), in: bytes) else { throw malformed("no startxref") }
        let xrefOffset = try readInt(bytes, after: sx + 9)
        guard bytes[xrefOffset..<min(bytes.count, xrefOffset + 4)].elementsEqual("xref".utf8) else { throw malformed("no xref table") }
        // "xref\n0 N\n" then N entries of 20 bytes.
        var p = xrefOffset + 4
        while bytes[p] == 0x0A || bytes[p] == 0x0D || bytes[p] == 0x20 { p += 1 }
        let first = try readInt(bytes, after: p)
        while bytes[p] != 0x20 { p += 1 }
        let count = try readInt(bytes, after: p)
        while bytes[p] != 0x0A { p += 1 }
        p += 1
        let entriesStart = p
        var offsets: [Int?] = []
        for i in 0..<count {
            let e = entriesStart + 20 * i
            let entry = String(decoding: bytes[e..<(e + 18)], as: UTF8.self)
            let parts = entry.split(separator: " ")
            offsets.append(parts.count == 3 && parts[2] == "n" ? Int(parts[0]) : nil)
        }
        // Insertions: (position, text), found from each page object's MediaBox.
        var insertions: [(Int, [UInt8])] = []
        let mediaKey = Array("/MediaBox [".utf8), endobj = Array("endobj".utf8), typePage = Array("/Type /Page".utf8)
        for case let o? in offsets {
            guard let end = firstIndex(of: endobj, in: bytes, from: o) else { continue }
            guard let t = firstIndex(of: typePage, in: bytes, from: o, before: end),
                  t + typePage.count < bytes.count, bytes[t + typePage.count] != UInt8(ascii: "s") else { continue }
            guard let m = firstIndex(of: mediaKey, in: bytes, from: o, before: end),
                  let close = bytes[m..<end].firstIndex(of: UInt8(ascii: "]")) else { continue }
            let numbers = String(decoding: bytes[(m + mediaKey.count)..<close], as: UTF8.self)
                .split(separator: " ").compactMap { Double($0) }
            guard numbers.count == 4 else { continue }
            let (x0, y0, x1, y1) = (numbers[0], numbers[1], numbers[2], numbers[3])
            let f = { (v: Double) in String(format: "%.3f", v) }
            let text = " /TrimBox [ \(f(x0 + bleed)) \(f(y0 + bleed)) \(f(x1 - bleed)) \(f(y1 - bleed)) ]"
                + " /BleedBox [ \(f(x0)) \(f(y0)) \(f(x1)) \(f(y1)) ]"
            insertions.append((close + 1, Array(text.utf8)))
        }
        insertions.sort { $0.0 < $1.0 }
        func shifted(_ offset: Int) -> Int {
            offset + insertions.reduce(0) { $0 + ($1.0 <= offset ? $1.1.count : 0) }
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + insertions.reduce(0) { $0 + $1.1.count })
        var cursor = 0
        for (pos, text) in insertions where pos <= xrefOffset {
            out.append(contentsOf: bytes[cursor..<pos])
            out.append(contentsOf: text)
            cursor = pos
        }
        out.append(contentsOf: bytes[cursor..<entriesStart])
        for (i, o) in offsets.enumerated() {
            let e = entriesStart + 20 * i
            if let o {
                out.append(contentsOf: Array(String(format: "%010d", shifted(o)).utf8))
                out.append(contentsOf: bytes[(e + 10)..<(e + 20)])
            } else {
                out.append(contentsOf: bytes[e..<(e + 20)])
            }
        }
        let afterEntries = entriesStart + 20 * count
        out.append(contentsOf: bytes[afterEntries..<(sx + 9)])
        out.append(contentsOf: Array("\n\(shifted(xrefOffset))\n%%EOF\n".utf8))
        _ = first
        return Data(out)
    }

    private static func malformed(_ why: String) -> FolioError { FolioError("internal error: unexpected PDF from Cairo (\(why))") }

    private static func readInt(_ b: [UInt8], after start: Int) throws -> Int {
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        var v = 0, digits = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { v = v * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
        guard digits > 0 else { throw malformed("number expected at \(start)") }
        return v
    }

    static func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int, before: Int? = nil) -> Int? {
        let limit = min(before ?? hay.count, hay.count) - needle.count
        guard from <= limit else { return nil }
        var i = from
        while i <= limit {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func lastIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        var i = hay.count - needle.count
        while i >= 0 {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }
}
