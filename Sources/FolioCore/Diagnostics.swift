import Foundation
/// Where something came from: a file and a 1-based line and column (column counts characters).
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int = 1, column: Int = 1) {
        self.file = file; self.line = line; self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// A message for the user, with a location when one is known.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }
    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    /// A stable category for preflight reports ("missing-image", "overfull-line", …).
    public var code: String?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil, code: String? = nil) {
        self.severity = severity; self.message = message; self.location = location; self.code = code
    }
    public static func error(_ m: String, at l: SourceLocation? = nil) -> Diagnostic { Diagnostic(.error, m, at: l) }
    public static func warning(_ m: String, at l: SourceLocation? = nil, code: String? = nil) -> Diagnostic { Diagnostic(.warning, m, at: l, code: code) }

    /// The diagnostic as a JSON object, keys sorted (`--diagnostics-format json`, the live
    /// preview's pages.json): severity, message, and file, line, column and code when known,
    /// with `extra` fields (their values already JSON).
    public func json(extra: [String: String] = [:]) -> String {
        var fields = extra
        fields["severity"] = JSONText.string(severity.rawValue)
        fields["message"] = JSONText.string(message)
        if let l = location { (fields["file"], fields["line"], fields["column"]) = (JSONText.string(l.file), "\(l.line)", "\(l.column)") }
        if let code { fields["code"] = JSONText.string(code) }
        return "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    /// `file:line:column: severity: message`, the format editors' tools understand.
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "folio: \(severity.rawValue): \(message)"
    }
}

/// An error that stops a stage. It carries one or more diagnostics.
public struct FolioError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ message: String, at location: SourceLocation? = nil) {
        diagnostics = [.error(message, at: location)]
    }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects warnings while a stage runs; the CLI prints them.
public struct DiagnosticLog: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}
    public mutating func add(_ d: Diagnostic) { items.append(d) }
    public mutating func warn(_ m: String, at l: SourceLocation? = nil) { items.append(.warning(m, at: l)) }
    public mutating func append(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }
    /// Takes back what no longer holds (a figure's resolution, said at a width it no longer has).
    public mutating func removeAll(where unsaid: (Diagnostic) -> Bool) { items.removeAll(where: unsaid) }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}

/// JSON written by hand (the diagnostics', the live preview's page list): JSONSerialization,
/// sorting every object's keys, took as long as an article's rebuild for a 500-page issue.
public enum JSONText {
    /// A JSON string (or null).
    public static func string(_ text: String?) -> String {
        guard let text else { return "null" }
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// A count and its noun, as messages say it: "1 page", "3 pages", "2 filler pages".
public func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
