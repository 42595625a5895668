/// The print variant of a PDF as PDF/X-3: CMYK with an output intent, through Ghostscript. The
/// PDF it is given has its flat colours as inks already, black as black ink alone and
/// overprinting (`PrintX4.swift`: Ghostscript keeps both); its images, ICC-based sRGB, are
/// converted to the output profile once and recompressed at Ghostscript's prepress quality (its
/// default halves JPEG colour resolution); whatever RGB is left is converted with black
/// generation and undercolour removal at 100 % (RGB black never a rich black). Text stays text.
/// Links are left out by the caller (PDF/X allows no annotations).
import FolioCore
import Foundation

public enum PrintConverter {
    /// The CMYK profile used when none is given: Ghostscript's default (a SWOP-like coated profile).
    public static let defaultProfile = "/usr/share/color/icc/ghostscript/default_cmyk.icc"

    /// Converts `input` (RGB, from Cairo) into a PDF/X-3 file at `output`, atomically.
    public static func convert(_ input: String, to output: String, title: String, profile: String = defaultProfile) throws {
        try checkProfile(profile)
        let gs = ["/usr/bin/gs", "/usr/local/bin/gs"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gs else { throw FolioError("--print needs Ghostscript (apt-get install ghostscript)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let def = dir.appendingPathComponent("pdfx.ps").path
        try pdfxDefinition(title: title, profile: profile).write(toFile: def, atomically: true, encoding: .utf8)
        let temp = AtomicFile.temporaryPath(for: output)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gs)
        p.arguments = ["-q", "-dPDFX", "-dBATCH", "-dNOPAUSE", "-dNOSAFER", "-sDEVICE=pdfwrite",
                       "-sColorConversionStrategy=CMYK", "-sProcessColorModel=DeviceCMYK", "-dUseFastColor", "-dPDFSETTINGS=/prepress",
                       // The images (ICC-based sRGB) converted to the output intent's profile, not Ghostscript's default.
                       "-sOutputICCProfile=\(profile)",
                       "-sOutputFile=\(temp)", def, input]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: temp) else {
            unlink(temp)
            throw FolioError("Ghostscript could not make the print PDF: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if message.contains("reverting to normal PDF") {
            unlink(temp)
            throw FolioError("Ghostscript could not make a PDF/X file: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        try AtomicFile.moveIntoPlace(temp, output)
    }

    /// The profile at `path` is a file Folio can read.
    static func checkProfile(_ path: String) throws {
        switch RegularFile.kind(path) {
        case .regular: break
        case .missing: throw FolioError("the ICC profile \(path) does not exist (install ghostscript, or pass --icc PATH)")
        default: throw FolioError(RegularFile.problem(path, noun: "ICC profile") ?? "cannot read \(path)")
        }
    }

    /// The PostScript prologue: 100 % black generation and undercolour removal (pure K for
    /// black), the PDF/X version and the output intent with the embedded profile.
    static func pdfxDefinition(title: String, profile: String) -> String {
        func ps(_ s: String) -> String {
            // PostScript string: UTF-16BE with BOM as hex, safe for any title.
            "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
        }
        return """
        << /BeginPage { {} bind setblackgeneration {} bind setundercolorremoval } bind >> setpagedevice
        [ /GTS_PDFXVersion (PDF/X-3:2002) /Title \(ps(title)) /Trapped /False /DOCINFO pdfmark
        /ICCProfile (\(profile)) def
        [/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
        [{icc_PDFX} << /N 4 >> /PUT pdfmark
        [{icc_PDFX} ICCProfile (r) file /PUT pdfmark
        [/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
        [{OutputIntent_PDFX} <<
          /Type /OutputIntent /S /GTS_PDFX
          /OutputCondition (Commercial and specialty printing)
          /OutputConditionIdentifier (CGATS TR 001)
          /RegistryName (http://www.color.org)
          /Info (\(URL(fileURLWithPath: profile).lastPathComponent))
          /DestOutputProfile {icc_PDFX}
        >> /PUT pdfmark
        [{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark

        """
    }
}
