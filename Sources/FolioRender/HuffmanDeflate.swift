/// Deflate without matches: one block of dynamic Huffman codes fitted to the bytes
/// (RFC 1951 §3.2.7), no search for repeats. Made for the font programs Folio embeds:
/// desubroutinized CFF outlines repeat little, so an LZ77 search (libdeflate's fastest level)
/// spends most of its time looking for matches it seldom finds — 2 ms for an archive article's
/// 138 KB subset, a tenth of the article's time — to save 16 % where the codes alone save 8 %,
/// in a tenth of the time. Checked against zlib's inflate (`HuffmanDeflateTests`).
import CLibdeflate

enum HuffmanDeflate {
    /// A zlib stream of `input`: one final dynamic-Huffman block of literals.
    static func zlib(_ input: [UInt8]) -> [UInt8] {
        var counts = [Int](repeating: 0, count: 286)
        input.withUnsafeBufferPointer { p in
            // Four tables, summed after, so that runs of one byte do not wait on one counter.
            var c = [Int](repeating: 0, count: 4 * 256)
            c.withUnsafeMutableBufferPointer { c in
                var i = 0
                let n = p.count
                while i + 4 <= n {
                    c[Int(p[i])] += 1; c[256 + Int(p[i + 1])] += 1; c[512 + Int(p[i + 2])] += 1; c[768 + Int(p[i + 3])] += 1
                    i += 4
                }
                while i < n { c[Int(p[i])] += 1; i += 1 }
            }
            for b in 0..<256 { counts[b] = c[b] + c[256 + b] + c[512 + b] + c[768 + b] }
        }
        counts[256] = 1   // end of block
        let literalLengths = codeLengths(counts, limit: 15)
        // No distances are used; two codes of one bit, as zlib writes (some inflaters refuse fewer).
        let distanceLengths = [1, 1]
        let literalCodes = DeflateBits.canonicalCodes(literalLengths)

        var out = DeflateBits(capacity: input.count + 300)
        out.bytes += [0x78, 0x01]
        out.put(0b101, 3)   // BFINAL 1, BTYPE 10 (dynamic codes), low bit first
        writeTrees(literalLengths, distanceLengths, into: &out)
        input.withUnsafeBufferPointer { out.put($0, codes: literalCodes, lengths: literalLengths) }
        out.put(literalCodes[256], literalLengths[256])   // end of block
        out.alignToByte()
        return out.bytes + Deflate.adlerTrailer(input.withUnsafeBytes { UInt32(libdeflate_adler32(1, $0.baseAddress, $0.count)) })
    }

    /// Code lengths (at most `limit` bits) of a Huffman code for symbols counted `counts` (0:
    /// unused); at least two symbols get a code, as a tree needs two leaves.
    static func codeLengths(_ counts: [Int], limit: Int) -> [Int] {
        var used = counts.indices.filter { counts[$0] > 0 }
        for s in counts.indices where used.count < 2 && !used.contains(s) { used.append(s) }
        // Huffman's merging over the used symbols, least frequent first (ties by symbol, so the
        // code depends only on the counts).
        var weights = used.map { max(counts[$0], 1) }
        var parent = [Int](repeating: -1, count: 2 * used.count)
        var queue = used.indices.sorted { (weights[$0], used[$0]) < (weights[$1], used[$1]) }
        var merged: [Int] = []   // internal nodes, in the order made (their weights never decrease)
        var q = 0, m = 0
        func takeLightest() -> Int {
            if q < queue.count && (m >= merged.count || weights[queue[q]] <= weights[merged[m]]) { q += 1; return queue[q - 1] }
            m += 1
            return merged[m - 1]
        }
        for _ in 1..<used.count {
            let a = takeLightest(), b = takeLightest()
            let node = weights.count
            weights.append(weights[a] + weights[b])
            (parent[a], parent[b]) = (node, node)
            merged.append(node)
        }
        var depth = [Int](repeating: 0, count: weights.count)
        for node in stride(from: weights.count - 2, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        // Lengths over the limit: the code's length counts brought back under it, keeping the
        // Kraft sum at one (as miniz does), then given to the symbols most frequent first.
        var perLength = [Int](repeating: 0, count: max(limit, depth.max() ?? 0) + 1)
        for k in used.indices { perLength[depth[k]] += 1 }
        if perLength.count > limit + 1 {
            for l in (limit + 1)..<perLength.count { perLength[limit] += perLength[l]; perLength[l] = 0 }
            var total = 0
            for l in 1...limit { total += perLength[l] << (limit - l) }
            while total > 1 << limit {
                perLength[limit] -= 1
                for l in stride(from: limit - 1, through: 1, by: -1) where perLength[l] > 0 {
                    perLength[l] -= 1
                    perLength[l + 1] += 2
                    break
                }
                total -= 1
            }
        }
        queue = used.indices.sorted { (weights[$0], used[$1]) > (weights[$1], used[$0]) }
        var lengths = [Int](repeating: 0, count: counts.count)
        var at = 0
        for l in 1..<perLength.count {
            for _ in 0..<perLength[l] {
                lengths[used[queue[at]]] = l
                at += 1
            }
        }
        return lengths
    }

    /// HLIT, HDIST, HCLEN and the two code-length sequences, run-length coded (symbols 16–18)
    /// in a code of their own.
    private static func writeTrees(_ literal: [Int], _ distance: [Int], into out: inout DeflateBits) {
        var hlit = literal.count
        while hlit > 257 && literal[hlit - 1] == 0 { hlit -= 1 }
        let all = Array(literal[0..<hlit]) + distance
        // (symbol, extra bits value, extra bit count)
        var symbols: [(Int, UInt64, Int)] = []
        var i = 0
        while i < all.count {
            let l = all[i]
            var run = 1
            while i + run < all.count && all[i + run] == l { run += 1 }
            if l == 0 && run >= 3 {
                let r = min(run, 138)
                symbols.append(r >= 11 ? (18, UInt64(r - 11), 7) : (17, UInt64(r - 3), 3))
                i += r
            } else if l != 0 && run >= 4 {
                symbols.append((l, 0, 0))
                let r = min(run - 1, 6)
                symbols.append((16, UInt64(r - 3), 2))
                i += 1 + r
            } else {
                symbols.append((l, 0, 0))
                i += 1
            }
        }
        var counts = [Int](repeating: 0, count: 19)
        for (s, _, _) in symbols { counts[s] += 1 }
        let lengths = codeLengths(counts, limit: 7)
        let codes = DeflateBits.canonicalCodes(lengths)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var hclen = 19
        while hclen > 4 && lengths[order[hclen - 1]] == 0 { hclen -= 1 }
        out.put(UInt64(hlit - 257), 5)
        out.put(UInt64(distance.count - 1), 5)
        out.put(UInt64(hclen - 4), 4)
        for k in 0..<hclen { out.put(UInt64(lengths[order[k]]), 3) }
        for (s, extra, bits) in symbols {
            out.put(codes[s], lengths[s])
            if bits > 0 { out.put(extra, bits) }
        }
    }
}
