/// libFuzzer driver for Folio's readers (make fuzz): the first byte picks a reader, the rest is
/// its input. Readers may reject input with an error; they must never crash or hang.
/// Built with `-sanitize=fuzzer-no-link,address` and libFuzzer's no-main runtime; the entry
/// point hands control to `LLVMFuzzerRunDriver`, so libFuzzer's usual flags apply.
import FolioCore
import FolioInput
import Foundation

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let text = String(decoding: bytes, as: UTF8.self)
    switch data[0] % 4 {
    case 0: _ = try? ArticleLoader.parse(text, path: "/fuzz/a.md", options: InputOptions(allowMissingImages: true))
    case 1: _ = try? WebArchiveReader.parse(text, path: "/fuzz/a.txt")
    case 2: _ = try? TemplateLoader.parse(text, file: "/fuzz/t.yaml")
    default:
        var r = PunctuationRestorer()
        _ = r.restore(text)
        _ = InputFile.firstInvalidUTF8Offset(bytes)
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, { fuzzOne($0, $1) }))
