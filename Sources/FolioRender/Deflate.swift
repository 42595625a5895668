/// libdeflate (Debian libdeflate-dev) for the Flate streams the finisher replaces or adds (page
/// contents, font subsets, images); `FixedDeflate` for the preview PNG's image data, with
/// zlib's (Debian zlib1g-dev) Adler-32 and CRC-32.
import CLibdeflate
import CZlib
import Dispatch
import FolioCore

/// Deflate at the default level or, for what is written on every page or preview, the fastest.
enum Deflate {
    /// A zlib stream of `input` made by libdeflate at its fastest level (1) or at zlib's default
    /// one (6, zlib's size in half its time), or nil if it could not be made. The fastest serves
    /// what is written on every page (content streams). (The font programs, whose desubroutinized
    /// CFF outlines deflate by only a sixth at any level — an archive article's 138 KB subset took
    /// 2 ms at level 1 — are coded by `HuffmanDeflate`.)
    static func bytes(_ input: [UInt8], fastest: Bool = false) -> [UInt8]? {
        guard let compressor = libdeflate_alloc_compressor(fastest ? 1 : 6) else { return nil }
        defer { libdeflate_free_compressor(compressor) }
        var out = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, input.count))
        let written = input.withUnsafeBytes { i in out.withUnsafeMutableBytes { o in libdeflate_zlib_compress(compressor, i.baseAddress, i.count, o.baseAddress, o.count) } }
        guard written > 0 else { return nil }
        out.removeLast(out.count - written)
        return out
    }

    /// The data of a zlib stream made of stored blocks only (what Cairo writes at level 0, which
    /// `PDFWriter` asks of it for the page contents and font subsets the finisher deflates), its
    /// Adler-32 checked; nil for any other stream (compressed blocks, a preset dictionary, a bad
    /// length or checksum), which the caller then has libqpdf decode. Read here, the bytes are
    /// copied once, where libqpdf's Flate pipeline inflated and buffered them.
    static func stored(_ z: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        // CM 8 (deflate), FCHECK, no FDICT.
        guard z.count >= 2 + 5 + 4, z[0] & 0x0F == 8, (Int(z[0]) << 8 | Int(z[1])) % 31 == 0, z[1] & 0x20 == 0 else { return nil }
        var data: [UInt8] = []
        data.reserveCapacity(z.count)
        var at = 2
        while true {
            // A stored block: BFINAL, BTYPE 00 and padding to the byte's end, LEN, NLEN, LEN bytes.
            guard at + 5 <= z.count, (z[at] >> 1) & 3 == 0 else { return nil }
            let length = Int(z[at + 1]) | Int(z[at + 2]) << 8, complement = Int(z[at + 3]) | Int(z[at + 4]) << 8
            guard length ^ complement == 0xFFFF, at + 5 + length <= z.count else { return nil }
            data.append(contentsOf: UnsafeBufferPointer(rebasing: z[(at + 5)..<(at + 5 + length)]))
            let final = z[at] & 1 == 1
            at += 5 + length
            if final { break }
        }
        guard at + 4 <= z.count else { return nil }
        let adler = UInt32(z[at]) << 24 | UInt32(z[at + 1]) << 16 | UInt32(z[at + 2]) << 8 | UInt32(z[at + 3])
        guard data.withUnsafeBytes({ UInt32(libdeflate_adler32(1, $0.baseAddress, $0.count)) }) == adler else { return nil }
        return data
    }

    /// A zlib stream in fixed Huffman codes, of runs of zeros and literals (`FixedDeflate`: for filtered page images,
    /// mostly runs of zeros) of `sizes.count` pieces, each `sizes[k]` bytes that
    /// `fill(k, buffer)` writes, made and compressed at once on as many cores (as pigz does: each
    /// piece raw deflate ending on a byte boundary, the last one final, one Adler-32 over all).
    static func fixedCodes(pieces sizes: [Int], fill: (Int, UnsafeMutableBufferPointer<UInt8>) -> Void) -> [UInt8]? {
        let n = sizes.count
        guard n > 0 else { return nil }
        nonisolated(unsafe) var out = [[UInt8]?](repeating: nil, count: n)
        nonisolated(unsafe) var checks = [uLong](repeating: 0, count: n)
        withoutActuallyEscaping(fill) { fill in
            nonisolated(unsafe) let fill = fill
            Parallel.each(n) { k in
                var piece = [UInt8](repeating: 0, count: sizes[k])
                piece.withUnsafeMutableBufferPointer { fill(k, $0) }
                piece.withUnsafeBufferPointer { p in
                    out[k] = FixedDeflate.encode(p, final: k == n - 1)
                    // (libdeflate's Adler-32, vectorised: zlib's took 2–3 ms of a preview page.)
                    checks[k] = uLong(libdeflate_adler32(1, p.baseAddress, p.count))
                }
            }
        }
        var adler = checks[0]
        for k in 1..<n { adler = adler32_combine(adler, checks[k], off_t(sizes[k])) }
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(2 + out.reduce(0) { $0 + ($1?.count ?? 0) } + 4)
        for piece in out {
            guard let piece else { return nil }
            stream += piece
        }
        stream += adlerTrailer(UInt32(adler))
        return stream
    }

    /// A zlib stream's last four bytes: the Adler-32 of what it holds, high byte first.
    static func adlerTrailer(_ adler: UInt32) -> [UInt8] {
        [UInt8(adler >> 24), UInt8(truncatingIfNeeded: adler >> 16), UInt8(truncatingIfNeeded: adler >> 8), UInt8(truncatingIfNeeded: adler)]
    }
}

/// Bits written low bit first into bytes, as deflate streams are (`FixedDeflate`, `HuffmanDeflate`).
struct DeflateBits {
    var bytes: [UInt8]
    var buffer: UInt64 = 0
    var filled = 0
    init(capacity: Int) { bytes = []; bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func put(_ value: UInt64, _ count: Int) {
        buffer |= value << UInt64(filled)
        filled += count
        if filled >= 32 {
            for _ in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: buffer)); buffer >>= 8 }
            filled -= 32
        }
    }

    /// Each byte of `input` as its code (`codes`, `lengths`), written 32 bits at a time into room
    /// made up front for the longest (appending byte by byte was half of `HuffmanDeflate`'s time).
    mutating func put(_ input: UnsafeBufferPointer<UInt8>, codes: [UInt64], lengths: [Int]) {
        let longest = lengths.max() ?? 0
        var at = bytes.count
        bytes += [UInt8](repeating: 0, count: (input.count * longest + filled) / 8 + 8)
        bytes.withUnsafeMutableBytes { o in
            codes.withUnsafeBufferPointer { codes in
                lengths.withUnsafeBufferPointer { lengths in
                    for byte in input {
                        buffer |= codes[Int(byte)] << UInt64(filled)
                        filled += lengths[Int(byte)]
                        if filled >= 32 {
                            o.storeBytes(of: UInt32(truncatingIfNeeded: buffer).littleEndian, toByteOffset: at, as: UInt32.self)
                            at += 4
                            buffer >>= 32
                            filled -= 32
                        }
                    }
                }
            }
        }
        bytes.removeLast(bytes.count - at)
    }

    /// The bits still held written out, the last byte padded with zeros.
    mutating func alignToByte() {
        while filled > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)); buffer >>= 8; filled = max(0, filled - 8) }
    }

    /// The canonical code of each symbol of code lengths `lengths` (RFC 1951 §3.2.2; 0: unused),
    /// bit-reversed for writing low bit first — the fixed codes' (§3.2.6) and those fitted to a text.
    static func canonicalCodes(_ lengths: [Int]) -> [UInt64] {
        let longest = lengths.max() ?? 0
        var perLength = [Int](repeating: 0, count: longest + 1)
        for l in lengths where l > 0 { perLength[l] += 1 }
        var next = [Int](repeating: 0, count: longest + 2)
        var code = 0
        for l in 1...max(1, longest) {
            code = (code + (l > 1 ? perLength[l - 1] : 0)) << 1
            next[l] = code
        }
        var codes = [UInt64](repeating: 0, count: lengths.count)
        for (s, l) in lengths.enumerated() where l > 0 {
            codes[s] = reversed(next[l], l)
            next[l] += 1
        }
        return codes
    }

    /// A code of `length` bits, reversed for writing low bit first.
    static func reversed(_ code: Int, _ length: Int) -> UInt64 {
        var r: UInt64 = 0
        for k in 0..<length where code & (1 << (length - 1 - k)) != 0 { r |= 1 << UInt64(k) }
        return r
    }
}
