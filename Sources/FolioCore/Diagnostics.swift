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

    /// The diagnostic as a JSON object's fields (`--diagnostics-format json`, the preview's
    /// pages.json): severity, message, and file, line, column and code when known.
    public var jsonFields: [String: Any] {
        var o: [String: Any] = ["severity": severity.rawValue, "message": message]
        if let l = location { o["file"] = l.file; o["line"] = l.line; o["column"] = l.column }
        if let code { o["code"] = code }
        return o
    }

    /// The diagnostic as one line of JSON (`--diagnostics-format json`), keys sorted.
    public var jsonLine: String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: jsonFields, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
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
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
