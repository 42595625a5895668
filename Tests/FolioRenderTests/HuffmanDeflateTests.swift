/// The font programs' deflate without matches (`HuffmanDeflate`): what zlib inflates from it is
/// what went in, for skewed, flat and tiny inputs, and its codes are sound prefix codes within
/// deflate's limits — including counts that make Huffman's code deeper than 15 bits.
import CZlib
@testable import FolioRender
import XCTest

final class HuffmanDeflateTests: XCTestCase {
    func roundTrip(_ input: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
        let stream = HuffmanDeflate.zlib(input)
        var back = [UInt8](repeating: 0xAA, count: input.count + 16)
        var length = uLong(back.count)
        XCTAssertEqual(uncompress(&back, &length, stream, uLong(stream.count)), Z_OK, "zlib inflates it, checksum and all", file: file, line: line)
        XCTAssertEqual(Int(length), input.count, file: file, line: line)
        XCTAssertTrue(Array(back.prefix(Int(length))) == input, "the same bytes", file: file, line: line)
        return stream
    }

    func testZlibInflatesWhatWentIn() {
        var rng = SystemRandomNumberGenerator()
        _ = roundTrip([])
        _ = roundTrip([7])
        _ = roundTrip([UInt8](repeating: 200, count: 5000))
        _ = roundTrip((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &rng) })
        // Skewed like outlines: a few byte values most of the time, the others now and then.
        let skewed = (0..<200_000).map { _ in Bool.random(using: &rng) ? UInt8.random(in: 0...15, using: &rng) : UInt8.random(in: 0...255, using: &rng) }
        let made = roundTrip(skewed)
        // Within 2 % of the bytes' entropy (a Huffman code is within one bit a byte of it; here far closer).
        var counts = [Int](repeating: 0, count: 256)
        for b in skewed { counts[Int(b)] += 1 }
        let entropyBits = counts.filter { $0 > 0 }.reduce(0.0) { $0 - Double($1) * log2(Double($1) / Double(skewed.count)) }
        XCTAssertLessThan(Double(made.count * 8), entropyBits * 1.02 + 1000, "the codes fit the counts")
        XCTAssertGreaterThan(Double(made.count * 8), entropyBits)
        // Counts growing like Fibonacci's numbers make Huffman's code 25 bits deep: brought under 15.
        var fib = [1, 1]
        while fib.count < 26 { fib.append(fib[fib.count - 1] + fib[fib.count - 2]) }
        var deep: [UInt8] = []
        for (k, n) in fib.enumerated() { deep += [UInt8](repeating: UInt8(k * 9), count: n) }
        deep.shuffle(using: &rng)
        _ = roundTrip(deep)
    }

    /// Every code within its limit and complete (Kraft's sum exactly one), for counts of every shape.
    func testCodeLengthsAreCompletePrefixCodesWithinTheLimit() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<300 {
            let symbols = trial % 3 == 0 ? 19 : 286
            let limit = symbols == 19 ? 7 : 15
            var counts = (0..<symbols).map { _ in Int.random(in: 0...3, using: &rng) == 0 ? 0 : Int.random(in: 1...(1 << Int.random(in: 0...24, using: &rng)), using: &rng) }
            if trial % 10 == 0 { counts = counts.map { _ in 0 }; counts[Int.random(in: 0..<symbols, using: &rng)] = 5 }
            let lengths = HuffmanDeflate.codeLengths(counts, limit: limit)
            XCTAssertLessThanOrEqual(lengths.max() ?? 0, limit)
            XCTAssertGreaterThanOrEqual(lengths.filter { $0 > 0 }.count, 2)
            for (s, c) in counts.enumerated() where c > 0 { XCTAssertGreaterThan(lengths[s], 0, "every counted symbol has a code") }
            let kraft = lengths.filter { $0 > 0 }.reduce(0) { $0 + (1 << (limit - $1)) }
            XCTAssertEqual(kraft, 1 << limit, "complete")
        }
    }
}
