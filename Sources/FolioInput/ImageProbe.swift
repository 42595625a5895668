/// Reads an image's format and pixel size from its header, without decoding it.
import FolioCore
import Foundation

public enum ImageProbe {
    /// Largest image Folio accepts (pixels), so a hostile header cannot make a decoder allocate gigabytes.
    public static let maxPixels = 200_000_000

    public static func probe(_ path: String) throws -> ImageInfo {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FolioError(FileManager.default.fileExists(atPath: path) ? "cannot read the image \(path)" : "image not found: \(path)")
        }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 256 * 1024))
        let info: ImageInfo
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && head.count >= 24 {
            func be32(_ i: Int) -> Int { Int(head[i]) << 24 | Int(head[i + 1]) << 16 | Int(head[i + 2]) << 8 | Int(head[i + 3]) }
            info = ImageInfo(path: path, format: .png, pixelWidth: be32(16), pixelHeight: be32(20))
        } else if head.starts(with: [0xFF, 0xD8]) {
            guard let size = jpegSize(head) else { throw FolioError("the JPEG image \(path) is truncated or corrupt (no frame header)") }
            info = ImageInfo(path: path, format: .jpeg, pixelWidth: size.width, pixelHeight: size.height)
        } else {
            throw FolioError("\(path) is not a JPEG or PNG image")
        }
        guard info.pixelWidth > 0, info.pixelHeight > 0 else { throw FolioError("the image \(path) declares no pixels") }
        guard info.pixelWidth * info.pixelHeight <= maxPixels else {
            throw FolioError("the image \(path) declares \(info.pixelWidth) × \(info.pixelHeight) pixels, more than Folio accepts (\(maxPixels / 1_000_000) megapixels)")
        }
        return info
    }

    /// Walks JPEG markers to the first start-of-frame (SOF0–SOF15 except DHT, JPG, DAC).
    static func jpegSize(_ b: [UInt8]) -> (width: Int, height: Int)? {
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                let h = Int(b[i + 5]) << 8 | Int(b[i + 6]), w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                return (w, h)
            }
            i += 2 + length
        }
        return nil
    }
}
