/// A typesetter double with no fonts (like SwiftNIO's EmbeddedChannel): every CJK character is
/// 1 em, everything else ½ em, lines break before any character once the measure is full and
/// after a line separator.
/// Composition tests use it to assert positions without Pango.
import FolioCore

public final class FixedPitchTypesetter: Typesetter {
    public private(set) var calls: [ParagraphInput] = []
    public init() {}

    public static let font = FontRef(file: "fixed-pitch", index: 0, size: 10)

    public func set(_ paragraph: ParagraphInput, measure: Pt) -> SetParagraph {
        calls.append(paragraph)
        let em = paragraph.style.size
        let scalars = Array(paragraph.text.string.unicodeScalars)
        let indent = paragraph.indentFirstLine ? paragraph.style.firstLineIndent * em : 0
        var lines: [SetLine] = []
        var start = 0, x: Pt = 0
        var glyphs: [PlacedGlyph] = []
        func width(_ s: Unicode.Scalar) -> Pt { s.value >= 0x2E80 ? em : em / 2 }
        func flush(_ end: Int) {
            let text = String(String.UnicodeScalarView(scalars[start..<end]))
            let run = GlyphRun(font: FixedPitchTypesetter.font, color: paragraph.style.color, glyphs: glyphs, text: text,
                               clusters: scalars[start..<end].map { ClusterMap(bytes: UTF8.width($0), glyphs: 1) })
            lines.append(SetLine(runs: [run], width: x, ascent: 0.88 * em, descent: 0.12 * em, range: start..<end))
            start = end; glyphs = []; x = 0
        }
        for (i, s) in scalars.enumerated() {
            let lineStart = lines.isEmpty ? indent : paragraph.hanging
            if x == 0 { x = lineStart }
            if x + width(s) > measure + 1e-9 && i > start { flush(i); x = paragraph.hanging }
            glyphs.append(PlacedGlyph(id: s.value, x: x, y: 0))
            // A line separator ends its line (hard breaks, code), as in Pango.
            if s == "\u{2028}" { flush(i + 1); x = 0; continue }
            x += width(s)
        }
        if start < scalars.count { flush(scalars.count) }
        return SetParagraph(lines: lines)
    }
}

/// Builders for test documents.
public enum Samples {
    public static let location = SourceLocation(file: "test.md", line: 1, column: 1)

    public static func paragraph(_ chars: Int, char: Character = "字") -> Block {
        .paragraph(StyledText(String(repeating: char, count: chars)), location: location)
    }

    public static func article(_ blocks: [Block], title: String = "标题", id: String = "a") -> Article {
        var meta = ArticleMeta()
        meta.title = title
        return Article(id: id, meta: meta, blocks: blocks, location: location)
    }
}

/// A deterministic generator (SplitMix64) for property tests, so that a failing case can be replayed.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
