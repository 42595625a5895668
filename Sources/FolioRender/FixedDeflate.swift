/// Raw deflate with the fixed Huffman codes (RFC 1951 §3.2.6), made for filtered page images:
/// runs of zero bytes become matches at distance 1, every other byte a literal. A preview's
/// filtered pixels are mostly zeros (a row repeats the row above), so this needs no search, no
/// statistics and no trees: 3.4 MB of a page at 110 dpi in a few milliseconds, where zlib's
/// run-length strategy (which still builds dynamic trees) took 13–17 ms, for a file about a
/// quarter larger. Checked against zlib's inflate (`FixedDeflateTests`).
enum FixedDeflate {
    /// `input` as deflate blocks: one fixed-code block, then either the final bit set on it
    /// (`final`) or an empty stored block that ends the piece on a byte boundary, so that pieces
    /// made apart can be joined (as pigz does).
    static func encode(_ input: UnsafeBufferPointer<UInt8>, final: Bool) -> [UInt8] {
        var out = DeflateBits(capacity: input.count + input.count / 8 + 64)
        out.put(final ? 0b011 : 0b010, 3)       // BFINAL, then BTYPE 01 (fixed codes), low bit first
        guard let base = input.baseAddress else { return out.finishFixed(final: final) }
        let n = input.count
        var i = 0
        while i < n {
            let byte = base[i]
            out.put(fixedCodes[Int(byte)], fixedLengths[Int(byte)])
            i += 1
            guard byte == 0 else { continue }
            // The zeros after this one: copies of the byte before, at distance 1.
            var j = i
            while j + 8 <= n && UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self) == 0 { j += 8 }
            while j < n && base[j] == 0 { j += 1 }
            var run = j - i
            while run >= 3 {
                let m = min(run, 258)
                out.put(lengths.bits[m], lengths.count[m])   // the length code, its extra bits, distance code 0 (5 zero bits)
                run -= m
            }
            for _ in 0..<run { out.put(fixedCodes[0], fixedLengths[0]) }
            i = j
        }
        return out.finishFixed(final: final)
    }

    /// The fixed literal/length code (RFC 1951 §3.2.6): each symbol's length and canonical code
    /// (bit-reversed for writing low bit first); a literal byte is its own symbol.
    private static let fixedLengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
        + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
    private static let fixedCodes = DeflateBits.canonicalCodes(fixedLengths)

    /// For each match length 3…258: its length code (bit-reversed), the extra bits, and the
    /// distance code for distance 1 (five zero bits), as one value and its bit count.
    private static let lengths: (bits: [UInt64], count: [Int]) = {
        var bits = [UInt64](repeating: 0, count: 259), count = [Int](repeating: 0, count: 259)
        // Length codes 257–285: the first length of each and its extra bits (RFC 1951 §3.2.5).
        let starts = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        for length in 3...258 {
            let k = starts.lastIndex { $0 <= length }!
            let symbol = 257 + k, len = fixedLengths[symbol]
            let value = fixedCodes[symbol] | UInt64(length - starts[k]) << UInt64(len)
            (bits[length], count[length]) = (value, len + extra[k] + 5)
        }
        return (bits, count)
    }()

}

extension DeflateBits {
    /// The fixed codes' end-of-block code, then (not final) an empty stored block up to a byte boundary.
    mutating func finishFixed(final: Bool) -> [UInt8] {
        put(0, 7)                                   // end of block: symbol 256, seven zero bits
        if !final { put(0, 3) }                     // BFINAL 0, BTYPE 00 (stored)
        alignToByte()
        if !final { bytes += [0x00, 0x00, 0xFF, 0xFF] }   // LEN 0, NLEN
        return bytes
    }
}
