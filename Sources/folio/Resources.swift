/// Finding Folio's own files (fonts/fonts.conf, layouts/) and the options every command shares.
import ArgumentParser
import FolioCore
import FolioInput
import FolioText
import Foundation

struct CommonOptions: ParsableArguments {
    @Option(help: "Template file (default: layouts/magazine-16k.yaml, or the one the manifest names).")
    var template: String?

    @Option(help: "Folder with fonts.conf, the private font configuration (default: Folio's fonts/).")
    var fonts: String?

    @Flag(help: "Print missing or unreadable images as marked placeholders instead of failing.")
    var allowMissingImages = false

    @Flag(help: "Allow image paths outside the article's folder.")
    var allowOutsideImages = false

    @Flag(help: "Check that every character of every paragraph reached a line, character by character.")
    var verify = false

    @Option(help: "The most pages one article may take; more is reported as overset.")
    var maxPages: Int = 2000

    var inputOptions: InputOptions {
        InputOptions(allowMissingImages: allowMissingImages, allowOutsideImages: allowOutsideImages)
    }
}

enum Resources {
    /// Folio's home: `$FOLIO_HOME`, else the nearest folder above the executable (or the current
    /// folder) holding `fonts/fonts.conf`, else `<prefix>/share/folio`.
    static func home() -> String? {
        let fm = FileManager.default
        func ok(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/fonts/fonts.conf") }
        if let h = ProcessInfo.processInfo.environment["FOLIO_HOME"], ok(h) { return h }
        var starts: [URL] = []
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: fm.currentDirectoryPath))
        for start in starts {
            var dir = start
            for _ in 0..<6 {
                if ok(dir.path) { return dir.path }
                let share = dir.appendingPathComponent("share/folio").path
                if ok(share) { return share }
                dir.deleteLastPathComponent()
            }
        }
        return nil
    }

    static func fontConfig(_ options: CommonOptions) throws -> String {
        if let f = options.fonts {
            let file = f.hasSuffix(".conf") ? f : f + "/fonts.conf"
            switch RegularFile.kind(file) {
            case .regular: break
            case .missing: throw FolioError("no font configuration at \(file)")
            default: throw FolioError(RegularFile.problem(file, noun: "font configuration") ?? "cannot read \(file)")
            }
            return file
        }
        guard let h = home() else {
            throw FolioError("cannot find Folio's fonts/fonts.conf; run folio from its folder, set FOLIO_HOME, or pass --fonts")
        }
        return h + "/fonts/fonts.conf"
    }

    static func templatePath(_ options: CommonOptions, manifestTemplate: String? = nil) throws -> String {
        if let t = options.template ?? manifestTemplate { return t }
        guard let h = home() else { throw FolioError("cannot find Folio's layouts/; pass --template") }
        return h + "/layouts/magazine-16k.yaml"
    }

    /// Loads the template and checks that the font configuration has every family it names.
    static func loadTemplate(_ path: String, fonts: FontSystem) throws -> Template {
        let t = try TemplateLoader.load(path: path)
        let known = Set(fonts.familyNames())
        var problems: [Diagnostic] = []
        for (role, f) in t.fonts.sorted(by: { $0.key < $1.key }) {
            for (script, family) in f.families.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !known.contains(family) {
                problems.append(.error("font role '\(role)' names '\(family)' for \(script.rawValue), which the font configuration does not have (install it or list it in fonts/fonts.conf)",
                                       at: SourceLocation(file: path)))
            }
        }
        if !problems.isEmpty { throw FolioError(problems) }
        return t
    }
}

/// Prints diagnostics to standard error, errors and warnings alike.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for d in diagnostics { FileHandle.standardError.write((d.description + "\n").data(using: .utf8)!) }
}

/// Runs a command body, turning Folio errors into messages and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as FolioError {
        printDiagnostics(e.diagnostics)
        throw ExitCode(1)
    }
}
