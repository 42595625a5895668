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
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        let compressed = raw.withUnsafeMutableBufferPointer { out -> [UInt8]? in
            for y in 0..<height {
                let src = pixels + y * stride, above = pixels + (y - 1) * stride
                let row = out.baseAddress! + y * rowBytes
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
            return Deflate.runLengths(UnsafeBufferPointer(out))
        }
        guard let compressed else { throw FolioError("cannot compress the preview image") }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width)); header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 2, 0, 0, 0])
        chunk("IHDR", header, into: &png)
        chunk("IDAT", Data(compressed), into: &png)
        chunk("IEND", Data(), into: &png)
        return png
    }

    private static func chunk(_ type: String, _ body: Data, into png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        var typed = Data(type.utf8)
        typed.append(body)
        png.append(typed)
        let crc = typed.withUnsafeBytes { crc32(0, $0.bindMemory(to: UInt8.self).baseAddress, uInt(typed.count)) }
        png.appendBigEndian(UInt32(crc))
    }
}

extension Data {
    mutating func appendBigEndian(_ v: UInt32) { append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]) }
}
