/// Typed access to YAML with locations: every value knows its file, line and column; unknown
/// keys are errors that suggest the closest valid key; wrong types say what was expected.
/// Errors are collected so that one run reports all of them.
import FolioCore
import Foundation
import Yams

final class YAMLReader {
    let file: String
    /// Added to YAML line numbers (front matter starts after the opening `---`).
    let lineOffset: Int
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, lineOffset: Int = 0) { self.file = file; self.lineOffset = lineOffset }

    /// Parses `text`; a syntax error becomes a diagnostic at its position and nil.
    /// Every scalar stays text (Yams's basic resolver): the typed readers below parse it as what
    /// its key wants, so the default resolver's tags — each plain scalar tried against seven
    /// ICU regular expressions, 3–4 ms of a preview's manifest — were never read.
    func parse(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text, .basic)
        } catch let e as YamlError {
            switch e {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                // libyaml notices an unclosed `[`/`{`/quote only on a later line; the place to
                // mend is where the construct opened, so point there and say where it was noticed.
                if let context, context.mark.line < mark.line {
                    let what = context.text.replacingOccurrences(of: #"^while (parsing|scanning) (an? )?"#, with: "", options: .regularExpression)
                    error("invalid YAML: this \(what) is not closed (\(problem) at line \(mark.line + lineOffset))",
                          at: location(context.mark))
                } else {
                    error("invalid YAML: \(problem)", at: location(mark))
                }
            case .reader(let problem, let offset, _, _):
                error("invalid YAML text: \(problem)\(offset.map { " at byte \($0)" } ?? "")", at: SourceLocation(file: file, line: 1 + lineOffset))
            case .duplicatedKeysInMapping(let dups, let context):
                error("duplicate key \(dups.joined(separator: ", "))", at: location(context.mark))
            default:
                error("invalid YAML: \(e)", at: SourceLocation(file: file, line: 1 + lineOffset))
            }
            return nil
        } catch {
            self.error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1 + lineOffset))
            return nil
        }
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
    }
    func location(_ node: Node) -> SourceLocation { location(node.mark) }

    func error(_ message: String, at loc: SourceLocation) { diagnostics.append(.error(message, at: loc)) }

    /// Throws the collected errors, if any.
    func check() throws {
        if diagnostics.contains(where: { $0.severity == .error }) { throw FolioError(diagnostics) }
    }

    // MARK: Typed values

    func string(_ node: Node) -> String? {
        guard case .scalar(let s) = node else { error("expected text, found \(kind(node))", at: location(node)); return nil }
        return s.string
    }

    func double(_ node: Node, unit: String = "") -> Double? {
        guard let s = string(node) else { return nil }
        var t = s.trimmingCharacters(in: .whitespaces)
        if !unit.isEmpty, t.hasSuffix(unit) { t = String(t.dropLast(unit.count)).trimmingCharacters(in: .whitespaces) }
        guard let v = Double(t), v.isFinite else {
            error("expected a number\(unit.isEmpty ? "" : " (in \(unit))"), found '\(s)'", at: location(node)); return nil
        }
        return v
    }

    func int(_ node: Node, range: ClosedRange<Int>) -> Int? {
        guard let s = string(node) else { return nil }
        guard let v = Int(s), range.contains(v) else {
            error("expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(s)'", at: location(node)); return nil
        }
        return v
    }

    func bool(_ node: Node) -> Bool? {
        guard let s = string(node) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: error("expected true or false, found '\(s)'", at: location(node)); return nil
        }
    }

    func sequence(_ node: Node) -> [Node]? {
        guard case .sequence(let seq) = node else { error("expected a list, found \(kind(node))", at: location(node)); return nil }
        return Array(seq)
    }

    /// The entries of a mapping whose keys must be among `allowed`.
    func mapping(_ node: Node, allowed: [String], context: String) -> [(key: String, value: Node)]? {
        guard case .mapping(let map) = node else {
            error("expected \(context) as key: value pairs, found \(kind(node))", at: location(node)); return nil
        }
        var out: [(String, Node)] = []
        for (k, v) in map {
            guard case .scalar(let ks) = k else { error("expected a key", at: location(k)); continue }
            let key = ks.string
            if !allowed.contains(key) {
                let hint = closest(key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error("unknown key '\(key)' in \(context)\(hint); valid keys: \(allowed.joined(separator: ", "))", at: location(k))
                continue
            }
            out.append((key, v))
        }
        return out
    }

    /// The pairs of a mapping whose keys are the cases of `Key` (an enum of a section's keys,
    /// in the order errors list them): a `switch` over them is exhaustive, so every key allowed
    /// is a key handled — a new one cannot fall into another's arm.
    func mapping<Key: RawRepresentable & CaseIterable>(_ node: Node, keys: Key.Type, context: String) -> [(key: Key, value: Node)]?
    where Key.RawValue == String {
        mapping(node, allowed: Key.allCases.map(\.rawValue), context: context)?.compactMap { p in Key(rawValue: p.key).map { ($0, p.value) } }
    }

    private func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        default: return "an alias"
        }
    }
}

/// Suggestions for typos, for every front end (unknown keys, placements, commands).
public enum Suggestion {
    /// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
    public static func closest(_ word: String, in candidates: [String]) -> String? { FolioInput.closest(word, in: candidates) }
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
func closest(_ word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
