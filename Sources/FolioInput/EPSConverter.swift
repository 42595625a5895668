/// EPS graphics (logos and maps designers still send as EPS): Ghostscript turns the file into a
/// one-page PDF cropped to its bounding box (`pdfwrite -dEPSCrop`), which is then placed as a
/// PDF graphic — vectors stay vectors. The PDF is kept under `$TMPDIR/folio-eps-UID/`, named by
/// the SHA-256 of the EPS, so an unchanged EPS is converted once. Ghostscript runs with `-dSAFER`
/// (no file access beyond its input and output) and is stopped after `timeout` seconds: an EPS
/// is a program, and a hostile one may never end.
import FolioCore
import Foundation

enum EPSConverter {
    static let timeout: TimeInterval = 20

    /// Whether `bytes` start an EPS: the DSC header naming EPSF, or the DOS binary EPS header.
    static func isEPS(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xC5, 0xD0, 0xD3, 0xC6]) { return true }
        guard bytes.starts(with: Array("%!PS-Adobe-".utf8)) else { return false }
        let first = bytes.prefix(80).prefix { $0 != 0x0A && $0 != 0x0D }
        return String(decoding: first, as: UTF8.self).contains("EPSF")
    }

    /// The PDF Ghostscript makes of the EPS at `path` (with these `bytes`).
    static func pdf(for path: String, bytes: [UInt8]) throws -> String {
        var hash = SHA256()
        hash.update(bytes)
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("folio-eps-\(getuid())")
        let out = (folder as NSString).appendingPathComponent(hash.hexDigest() + ".pdf")
        if RegularFile.kind(out) == .regular { return out }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let partial = out + ".partial-\(getpid())", errPath = partial + ".err"
        defer { unlink(partial); unlink(errPath) }
        let gs = Process()
        gs.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gs.arguments = ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dEPSCrop", "-o", partial, path]
        // Its messages to a file, not a pipe: a pipe nobody reads until the end fills and stops it.
        let errFile = FileManager.default.createFile(atPath: errPath, contents: nil) ? FileHandle(forWritingAtPath: errPath) : nil
        gs.standardOutput = FileHandle.nullDevice
        gs.standardError = errFile ?? FileHandle.nullDevice
        gs.standardInput = FileHandle.nullDevice
        do { try gs.run() } catch {
            throw FolioError("the EPS image \(path) needs Ghostscript (Debian ghostscript) to be placed: \(error.localizedDescription)")
        }
        defer { try? errFile?.close() }
        let done = DispatchSemaphore(value: 0)
        gs.terminationHandler = { _ in done.signal() }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            gs.terminate()
            gs.waitUntilExit()
            throw FolioError("the EPS image \(path) did not finish drawing within \(Int(timeout)) s (Ghostscript was stopped)")
        }
        let said = ((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard gs.terminationStatus == 0, RegularFile.kind(partial) == .regular else {
            throw FolioError("the EPS image \(path) is truncated or corrupt (Ghostscript: \(said.first ?? "exit status \(gs.terminationStatus)"))")
        }
        guard rename(partial, out) == 0 else { throw FolioError("cannot keep the converted EPS \(out): \(String(cString: strerror(errno)))") }
        return out
    }
}
