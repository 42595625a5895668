/// Reads an image's format and pixel size from its header, and checks that the whole image
/// decodes (a JPEG decoded at ⅛ scale by libturbojpeg, a PNG's chunks and their CRCs walked to
/// IEND), so a truncated or corrupt file is reported like a missing one, with its location,
/// instead of printing half an image.
import CTurboJPEG
import CZlib
import FolioCore
import Foundation

public enum ImageProbe {
    /// Largest image Folio accepts (pixels), so a hostile header cannot make a decoder allocate gigabytes.
    public static let maxPixels = 200_000_000
    /// Largest image file Folio reads (bytes).
    public static let maxBytes = 512 << 20

    /// `page` picks the page of a PDF graphic (from 1); other formats have one.
    public static func probe(_ path: String, page: Int = 1) throws -> ImageInfo {
        // (Taken before the bytes are read: a file changed meanwhile is checked again next time.)
        let stamp = FileStamp(path: path)
        // A JPEG an earlier run found whole, as it is now: its size and orientation are in its
        // first segments, so only its head is read (a camera photo is several megabytes, which
        // every render and preview read whole for each of the photos).
        let checked = CheckedImages.key(path, stamp)
        let foundWhole = checked.map(CheckedImages.whole) ?? false
        if foundWhole, stamp.size <= maxBytes,
           let head = try? RegularFile.read(path, noun: "image", limit: jpegHead), let info = try jpegInfo(path, head) {
            return info
        }
        readsLock.withLock { wholeReads += 1 }
        let bytes = try RegularFile.read(path, noun: "image", limit: maxBytes + 1)
        guard bytes.count <= maxBytes else { throw FolioError("the image \(path) is larger than \(maxBytes >> 20) MB") }
        if EPSConverter.isEPS(bytes) {
            // Placed as the PDF Ghostscript makes of it: vectors, cropped to the bounding box.
            let pdf = try EPSConverter.pdf(for: path, bytes: bytes)
            var info = try probe(pdf)
            info.convertedFrom = path
            return info
        }
        if bytes.starts(with: Array("%PDF-".utf8)) {
            let size = try PDFGraphic.pageSize(path, page: page)
            var info = ImageInfo(path: path, format: .pdf, pixelWidth: max(1, Int(size.width.rounded())), pixelHeight: max(1, Int(size.height.rounded())))
            info.page = page
            return info
        }
        var info: ImageInfo
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && bytes.count >= 24 {
            func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
            info = ImageInfo(path: path, format: .png, pixelWidth: be32(16), pixelHeight: be32(20))
        } else if let jpeg = try jpegInfo(path, bytes) {
            info = jpeg
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            throw FolioError("the JPEG image \(path) is truncated or corrupt (no frame header)")
        } else if let (format, size) = ImageMetadata.otherRasterSize(bytes) {
            info = ImageInfo(path: path, format: format, pixelWidth: size.width, pixelHeight: size.height)
        } else if ImageMetadata.isTIFF(bytes) {
            guard let directory = TIFFDirectory(bytes), let size = directory.size else {
                throw FolioError("the TIFF image \(path) is truncated or corrupt (its first directory gives no width and height)")
            }
            info = ImageInfo(path: path, format: .tiff, pixelWidth: size.width, pixelHeight: size.height)
            info.hasMorePages = directory.hasMorePages
            // libtiff and gdk-pixbuf deliver the pixels already upright, so only the size turns.
            if (5...8).contains(directory.orientation ?? 1) { (info.pixelWidth, info.pixelHeight) = (info.pixelHeight, info.pixelWidth) }
        } else if ImageMetadata.isSVG(bytes) {
            let size = try ImageMetadata.svgSize(bytes, path: path)
            return ImageInfo(path: path, format: .svg, pixelWidth: size.width, pixelHeight: size.height)
        } else if bytes.starts(with: Array("GIF8".utf8)) || bytes.starts(with: Array("RIFF".utf8)) {
            throw FolioError("the image \(path) is truncated or corrupt (its header gives no width and height)")
        } else {
            throw FolioError("\(path) is not an image Folio reads (JPEG, PNG, GIF, WebP, TIFF, SVG, EPS or PDF)")
        }
        try checkPixels(info)
        let problem: String?
        switch info.format {
        case .jpeg:
            // Found whole by an earlier run as it is now (read whole here only when its head
            // did not hold its frame header): not decoded again.
            problem = foundWhole ? nil : jpegDecodeProblem(bytes)
            if problem == nil, !foundWhole, let checked { CheckedImages.record(checked) }
        case .png: problem = pngChunkProblem(bytes)
        // gdk-pixbuf paints a cut-short GIF or WebP black where the data ends, so check their ends
        // here; a TIFF's strips are checked by libtiff when gdk-pixbuf decodes it.
        case .gif: problem = bytes.last == 0x3B ? nil : "it stops before the GIF trailer"
        case .webp:
            let declared = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            problem = declared + 8 <= bytes.count ? nil : "the file has \(bytes.count) of the \(declared + 8) bytes its header declares"
        case .tiff, .svg, .pdf: problem = nil
        }
        if let problem {
            throw FolioError("the image \(path) is truncated or corrupt (\(problem))")
        }
        return info
    }

    /// How much of a JPEG found whole before is read to probe it again: its markers up to the
    /// frame header (EXIF and ICC segments included) are nearly always within it; when not,
    /// the file is read whole.
    static let jpegHead = 256 << 10
    /// How many image files were read whole (tests: one found whole before is not).
    nonisolated(unsafe) private(set) static var wholeReads = 0
    private static let readsLock = NSLock()

    /// A JPEG's size and orientation from its first segments (`bytes` may stop anywhere after
    /// the frame header); nil when `bytes` are not a JPEG's or hold no frame header. Checked
    /// for pixels as any image is.
    static func jpegInfo(_ path: String, _ bytes: [UInt8]) throws -> ImageInfo? {
        guard bytes.starts(with: [0xFF, 0xD8]), let size = jpegSize(bytes) else { return nil }
        var info = ImageInfo(path: path, format: .jpeg, pixelWidth: size.width, pixelHeight: size.height)
        info.orientation = ImageMetadata.jpegOrientation(bytes)
        if info.quarterTurned { (info.pixelWidth, info.pixelHeight) = (info.pixelHeight, info.pixelWidth) }
        try checkPixels(info)
        return info
    }

    /// Refuses an image that declares no pixels or more than Folio accepts.
    static func checkPixels(_ info: ImageInfo) throws {
        guard info.pixelWidth > 0, info.pixelHeight > 0 else { throw FolioError("the image \(info.path) declares no pixels") }
        // (Each side first: a hostile PNG header's 2³² × 2³² would overflow the product.)
        guard info.pixelWidth <= maxPixels, info.pixelHeight <= maxPixels, info.pixelWidth * info.pixelHeight <= maxPixels else {
            throw FolioError("the image \(info.path) declares \(info.pixelWidth) × \(info.pixelHeight) pixels, more than Folio accepts (\(maxPixels / 1_000_000) megapixels)")
        }
    }

    /// Decodes the JPEG at the smallest scale libjpeg-turbo offers (⅛: only DC coefficients,
    /// cheap) and reports any error or warning ("premature end of data") as the problem.
    /// The corresponding C calls: `tjInitDecompress`, `tjDecompressHeader3`, `tjDecompress2`.
    static func jpegDecodeProblem(_ bytes: [UInt8]) -> String? {
        guard let tj = tjInitDecompress() else { return "libturbojpeg is unavailable" }
        defer { tjDestroy(tj) }
        var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, space: Int32 = 0
        guard tjDecompressHeader3(tj, bytes, UInt(bytes.count), &w, &h, &sub, &space) == 0, w > 0, h > 0 else {
            return String(cString: tjGetErrorStr2(tj))
        }
        let sw = max(1, (Int(w) + 7) / 8), sh = max(1, (Int(h) + 7) / 8)
        let cmyk = space == Int32(TJCS_CMYK.rawValue) || space == Int32(TJCS_YCCK.rawValue)
        var pixels = [UInt8](repeating: 0, count: sw * sh * 4)
        let status = tjDecompress2(tj, bytes, UInt(bytes.count), &pixels, Int32(sw), 0, Int32(sh),
                                   Int32(cmyk ? TJPF_CMYK.rawValue : TJPF_RGBX.rawValue), TJFLAG_FASTDCT)
        // libjpeg-turbo returns -1 for warnings too (TJERR_WARNING): a cut-off scan is one.
        return status == 0 ? nil : String(cString: tjGetErrorStr2(tj))
    }

    /// Walks the PNG's chunks: each must be complete with a matching CRC, and IEND must come.
    static func pngChunkProblem(_ b: [UInt8]) -> String? {
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 0, length <= b.count - i - 12 else { return "chunk at byte \(i) runs past the end of the file" }
            let crc = UInt32(b[i + 8 + length]) << 24 | UInt32(b[i + 9 + length]) << 16 | UInt32(b[i + 10 + length]) << 8 | UInt32(b[i + 11 + length])
            let computed = b.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress! + i + 4, UInt32(length + 4))) }
            guard crc == computed else { return "chunk at byte \(i) fails its CRC" }
            if b[(i + 4)..<(i + 8)].elementsEqual("IEND".utf8) { return nil }
            i += 12 + length
        }
        return "the file ends before its IEND chunk"
    }

    /// The size its frame header (the first start-of-frame) declares.
    static func jpegSize(_ b: [UInt8]) -> (width: Int, height: Int)? {
        guard let p = JPEGSegments.frame(b)?.payload.lowerBound else { return nil }
        return (Int(b[p + 3]) << 8 | Int(b[p + 4]), Int(b[p + 1]) << 8 | Int(b[p + 2]))
    }
}
