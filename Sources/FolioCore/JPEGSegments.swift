/// A JPEG's marker segments up to its scan, read once for every question asked of a file's
/// header: its size and components (the frame header), its EXIF orientation (APP1), its ICC
/// profile (APP2), Adobe's inverted inks (APP14). Fill bytes and standalone markers are skipped;
/// a segment that runs past the end is cut at the end.
public enum JPEGSegments {
    public struct Segment {
        public var marker: UInt8
        /// The bytes after the marker and its length.
        public var payload: Range<Int>
    }

    public static func read(_ b: [UInt8]) -> [Segment] {
        var segments: [Segment] = []
        var i = 2
        while i + 3 < b.count, b[i] == 0xFF {
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            if marker == 0xDA || marker == 0xD9 { break }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2 else { break }
            segments.append(Segment(marker: marker, payload: (i + 4)..<min(b.count, i + 2 + length)))
            i += 2 + length
        }
        return segments
    }

    /// The frame header (SOF0–SOF15, not DHT, JPG or DAC): precision, height, width, components.
    public static func frame(_ b: [UInt8]) -> Segment? {
        read(b).first { (0xC0...0xCF).contains($0.marker) && ![0xC4, 0xC8, 0xCC].contains($0.marker) && $0.payload.count >= 6 }
    }
}
