/// The preflight report (`render --report`): every problem found, grouped by kind, with counts.
import FolioCore
import Foundation

public enum Preflight {
    public static func write(_ diagnostics: [Diagnostic], pages: Int, to path: String, input: String) throws {
        var byCode: [String: [String]] = [:]
        for d in diagnostics where d.severity != .note {
            byCode[d.code ?? (d.severity == .error ? "error" : "other"), default: []].append(d.description)
        }
        let root: [String: Any] = [
            "input": input, "pages": pages,
            "errors": diagnostics.filter { $0.severity == .error }.count,
            "warnings": diagnostics.filter { $0.severity == .warning }.count,
            "counts": byCode.mapValues(\.count), "problems": byCode,
        ]
        try createParent(of: path)
        try BatchReport.writeJSON(root, to: path)
    }
}
