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
}
