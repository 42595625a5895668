/// The readers as the fuzzer (`make fuzz`) and its regression test drive them: the first byte
/// picks a reader, the rest is its input. Readers may reject input with an error; they must
/// never crash or hang.
import FolioCore
import Foundation

public enum FuzzTargets {
    public static let count = 6

    public static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let bytes = Array(data.dropFirst())
        let text = String(decoding: bytes, as: UTF8.self)
        switch Int(selector) % count {
        case 0: _ = try? ArticleLoader.parse(text, path: "/fuzz/a.md", options: InputOptions(allowMissingImages: true))
        case 1: _ = try? WebArchiveReader.parse(text, path: "/fuzz/a.txt")
        case 2: _ = try? TemplateLoader.parse(text, file: "/fuzz/t.yaml")
        case 3:
            var r = PunctuationRestorer()
            _ = r.restore(text)
            _ = InputFile.firstInvalidUTF8Offset(bytes)
        case 4:
            // The image probe reads files: one scratch file per process.
            let path = NSTemporaryDirectory() + "folio-fuzz-image-\(getpid())"
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
            _ = try? ImageProbe.probe(path)
        default: _ = try? TextEncodingDetector.decode(bytes, path: "/fuzz/a.txt")
        }
    }
}
