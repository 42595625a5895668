/// Finding Folio's own files (fonts/fonts.conf, layouts/).
import FolioCore
import FolioInput
import FolioText
import Foundation

public enum Resources {
    /// This program's own file (Linux: `/proc/self/exe`): where Folio's home is looked for, and
    /// what `batch` starts as its worker processes.
    public static var executable: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") }

    /// Folio's home: `$FOLIO_HOME`, else the nearest folder above the executable (or the current
    /// folder) holding `fonts/fonts.conf`, else `<prefix>/share/folio`.
    public static func home() -> String? {
        let fm = FileManager.default
        func ok(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/fonts/fonts.conf") }
        if let h = ProcessInfo.processInfo.environment["FOLIO_HOME"], ok(h) { return h }
        var starts: [URL] = []
        if let exe = executable {
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

    /// The font configuration: `fonts` (a folder with `fonts.conf`, or the file), else Folio's.
    public static func fontConfig(_ fonts: String?) throws -> String {
        if let f = fonts {
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

    /// The template: `template` (given on the command line), else the manifest's, else Folio's.
    public static func templatePath(_ template: String?, manifestTemplate: String? = nil) throws -> String {
        if let t = template ?? manifestTemplate { return t }
        guard let h = home() else { throw FolioError("cannot find Folio's layouts/; pass --template") }
        return h + "/layouts/magazine-16k.yaml"
    }

    /// Loads the template and checks that the font configuration has every family it names.
    public static func loadTemplate(_ path: String, fonts: FontSystem) throws -> Template {
        let t = try TemplateLoader.load(path: path)
        let known = Set(fonts.familyNames())
        var problems: [Diagnostic] = []
        // The line that names a family (the template model keeps no locations for font names).
        let lines = ((try? InputFile.readText(path)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
        func location(of family: String) -> SourceLocation {
            // (Not in a comment: the first line naming it before any `#`.)
            guard let n = lines.firstIndex(where: { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.contains(family) ?? false }),
                  let col = lines[n].range(of: family) else { return SourceLocation(file: path) }
            return SourceLocation(file: path, line: n + 1, column: lines[n].distance(from: lines[n].startIndex, to: col.lowerBound) + 1)
        }
        for (role, f) in t.fonts.sorted(by: { $0.key < $1.key }) {
            for (script, family) in f.families.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !known.contains(family) {
                let close = Suggestion.closest(family, in: Array(known)).map { " (did you mean '\($0)'?)" } ?? ""
                problems.append(.error("font role '\(role)' names '\(family)' for \(script.rawValue), which the font configuration does not have\(close); install it or list it in fonts/fonts.conf",
                                       at: location(of: family)))
            }
        }
        if !problems.isEmpty { throw FolioError(problems) }
        return t
    }
}

