/// libFuzzer driver for Folio's readers (make fuzz): `FuzzTargets.run` (the first byte picks a
/// reader, the rest is its input).
/// Built with `-sanitize=fuzzer-no-link,address` and libFuzzer's no-main runtime; the entry
/// point hands control to `LLVMFuzzerRunDriver`, so libFuzzer's usual flags apply.
import FolioCore
import FolioInput
import Foundation

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, { fuzzOne($0, $1) }))
