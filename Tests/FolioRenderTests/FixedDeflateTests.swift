/// The preview PNG's own deflate (`FixedDeflate`): what zlib inflates from it is what went in,
/// for pieces joined as the PNG encoder joins them, at every run length around the codes' edges.
import CZlib
@testable import FolioRender
import XCTest

final class FixedDeflateTests: XCTestCase {
    /// Bytes with runs of zeros of every length from 1 to 600 (3, 4, 258, 259, 261 among them:
    /// the edges of the length codes) between literals of every value, cut into `parts` pieces.
    func roundTrip(_ input: [UInt8], parts: Int, file: StaticString = #filePath, line: UInt = #line) {
        let sizes = (0..<parts).map { k in (k + 1) * input.count / parts - k * input.count / parts }
        let offsets = sizes.indices.map { sizes[..<$0].reduce(0, +) }
        guard let stream = Deflate.fixedCodes(pieces: sizes, fill: { k, out in
            for i in 0..<sizes[k] { out[i] = input[offsets[k] + i] }
        }) else { return XCTFail("nothing made", file: file, line: line) }
        var back = [UInt8](repeating: 0xAA, count: input.count + 16)
        var length = uLong(back.count)
        XCTAssertEqual(uncompress(&back, &length, stream, uLong(stream.count)), Z_OK, "zlib inflates it, checksum and all", file: file, line: line)
        XCTAssertEqual(Int(length), input.count, file: file, line: line)
        XCTAssertTrue(Array(back.prefix(Int(length))) == input, "the same bytes", file: file, line: line)
    }

    func testZlibInflatesWhatWentIn() {
        var rng = SystemRandomNumberGenerator()
        var input: [UInt8] = []
        for run in 1...600 {
            input.append(UInt8(run % 255 + 1))
            input += [UInt8](repeating: 0, count: run)
            input += (0..<Int.random(in: 0...5, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        for parts in [1, 2, 3, 7] { roundTrip(input, parts: parts) }
        roundTrip([0], parts: 1)
        roundTrip([UInt8](repeating: 0, count: 100_000), parts: 2)
        roundTrip((0..<70_000).map { UInt8($0 % 251) }, parts: 2)
        // A page's filtered rows are mostly zeros: a quarter of the bytes or less.
        var page = [UInt8](repeating: 0, count: 1_000_000)
        for i in stride(from: 0, to: page.count, by: 97) { page[i] = UInt8(i % 200 + 1) }
        let made = page.withUnsafeBufferPointer { FixedDeflate.encode($0, final: true) }
        XCTAssertLessThan(made.count, page.count / 4)
        roundTrip(page, parts: 2)
    }

    /// zlib's level 0 stream (what Cairo writes when PDFWriter asks it to store) read back by
    /// `Deflate.stored`, whatever its blocks; anything else refused, so libqpdf decodes it.
    func testStoredStreamsAreReadBackAndOthersRefused() {
        func zlib(_ input: [UInt8], level: Int32, flushEvery: Int? = nil) -> [UInt8] {
            var stream = z_stream()
            XCTAssertEqual(deflateInit_(&stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)), Z_OK)
            defer { deflateEnd(&stream) }
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var input = input
            let step = flushEvery ?? max(input.count, 1)
            var at = 0
            repeat {
                let n = min(step, input.count - at)
                let last = at + n == input.count
                input.withUnsafeMutableBufferPointer { i in
                    stream.next_in = i.baseAddress.map { $0 + at }
                    stream.avail_in = uInt(n)
                    repeat {
                        buffer.withUnsafeMutableBufferPointer { b in
                            stream.next_out = b.baseAddress
                            stream.avail_out = uInt(b.count)
                            _ = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH)
                            out += b.prefix(b.count - Int(stream.avail_out))
                        }
                    } while stream.avail_out == 0
                }
                at += n
            } while at < input.count
            return out
        }
        var rng = SystemRandomNumberGenerator()
        for count in [0, 1, 65_535, 65_536, 200_003] {
            let input = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for flush in [nil, 10_000] as [Int?] {
                let z = zlib(input, level: 0, flushEvery: flush)
                XCTAssertTrue(z.withUnsafeBufferPointer { Deflate.stored($0) } == input, "\(count) bytes, flushed every \(String(describing: flush))")
            }
        }
        let text = [UInt8](String(repeating: "BT /f-0-0 1 Tf (abc) Tj ET\n", count: 500).utf8)
        XCTAssertNil(zlib(text, level: 6).withUnsafeBufferPointer { Deflate.stored($0) }, "compressed blocks")
        var bad = zlib(text, level: 0)
        bad[bad.count - 1] ^= 1
        XCTAssertNil(bad.withUnsafeBufferPointer { Deflate.stored($0) }, "a wrong checksum")
        let cut = Array(zlib(text, level: 0).dropLast(5))
        XCTAssertNil(cut.withUnsafeBufferPointer { Deflate.stored($0) }, "cut short")
    }
}
