/// A small PNG encoder for previews: RGB, 8 bits, "Up" row filter, zlib's run-length deflate.
/// Cairo's own writer (libpng at the default level) spent a third of a preview's time
/// compressing; previews are read once and thrown away, so speed beats size here.
import CZlib
import FolioCore
import Foundation

enum PNGEncoder {
    /// Encodes a Cairo RGB24 image (B, G, R, X bytes per pixel on little-endian machines).
    static func encode(bgrx pixels: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) throws -> Data {
        let rowBytes = 1 + 3 * width
        // Bands of rows, one per core, each filtered and compressed by its core.
        let bands = max(1, min(Parallel.cores, height / 64))
        let rows = (0...bands).map { $0 * height / bands }
        nonisolated(unsafe) let pixels = pixels
        let compressed = Deflate.fixedCodes(pieces: (0..<bands).map { (rows[$0 + 1] - rows[$0]) * rowBytes }) { k, out in
            for y in rows[k]..<rows[k + 1] {
                let src = pixels + y * stride, above = pixels + (y - 1) * stride
                let row = out.baseAddress! + (y - rows[k]) * rowBytes
                row[0] = 2   // filter "Up": rows of a page repeat, so differences are mostly zero
                for x in 0..<width {
                    let p = src + 4 * x, d = row + 1 + 3 * x
                    if y == 0 {
                        (d[0], d[1], d[2]) = (p[2], p[1], p[0])
                    } else {
                        let q = above + 4 * x
                        (d[0], d[1], d[2]) = (p[2] &- q[2], p[1] &- q[1], p[0] &- q[0])
                    }
                }
            }
        }
        guard let compressed else { throw FolioError("cannot compress the preview image") }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png.reserveCapacity(compressed.count + 64)
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width)); header.appendBigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]
        chunk("IHDR", header, into: &png)
        chunk("IDAT", compressed, into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    /// A chunk: its length, type and body, and the CRC of type and body.
    private static func chunk(_ type: String, _ body: [UInt8], into png: inout Data) {
        var length: [UInt8] = []
        length.appendBigEndian(UInt32(body.count))
        png.append(contentsOf: length)
        let typeBytes = Array(type.utf8)
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: body)
        var crc = crc32(0, typeBytes, uInt(typeBytes.count))
        crc = body.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        var tail: [UInt8] = []
        tail.appendBigEndian(UInt32(crc))
        png.append(contentsOf: tail)
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ v: UInt32) { append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]) }
    /// `v`'s lowest `count` bytes, lowest first (the cache files' fields).
    mutating func appendLittleEndian<T: BinaryInteger>(_ v: T, bytes count: Int = 4) {
        for k in 0..<count { append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }
}
