/// Languages of the editions: what a BCP 47 tag means for script, direction and Pango.
import Foundation

/// What a language tag implies for setting: its primary script, direction and Pango language.
public struct LanguageInfo: Sendable {
    public var primary: String
    public var script: Script
    public var rightToLeft: Bool
    /// Set in vertical lines (traditional Mongolian, mlreq M1).
    public var vertical: Bool
    public var pangoLanguage: String
    /// Han text in a line of this language is Chinese, not this language: a Chinese label or
    /// name in a Uyghur, Kazakh, Mongolian or English article. (Chinese writes Han; Japanese and
    /// Korean write it as their own.)
    public var hanIsChinese: Bool { script != .han && primary != "ja" && primary != "ko" && !primary.isEmpty }

    /// The language `tag` names (read once per tag in a process: every paragraph, page frame
    /// and contents entry asks).
    public init(_ tag: String) {
        if let known = Self.known.withLock({ $0[tag] }) { self = known; return }
        self.init(parsing: tag)
        let made = self
        Self.known.withLock { $0[tag] = made }
    }

    private static let known = LockedDictionary<String, LanguageInfo>()

    private init(parsing tag: String) {
        let lower = tag.lowercased()
        primary = String(lower.split(separator: "-").first ?? "zh")
        switch primary {
        case "ko": script = .hangul; rightToLeft = false; vertical = false; pangoLanguage = "ko"
        case "ug", "kk", "ar", "fa", "ur":
            script = .arabic; rightToLeft = true; vertical = false; pangoLanguage = primary == "kk" ? "kk-arab" : primary
        case "mn":
            // Mongolian in Cyrillic (mn-Cyrl) is horizontal; the magazine's is the traditional script.
            let cyrillic = lower.contains("cyrl")
            script = cyrillic ? .latin : .mongolian; rightToLeft = false; vertical = !cyrillic; pangoLanguage = cyrillic ? "mn" : "mn-cn"
        case "zh":
            script = .han; rightToLeft = false; vertical = false
            pangoLanguage = lower.contains("hant") || lower.contains("tw") ? "zh-tw" : lower.contains("hk") ? "zh-hk" : "zh-cn"
        default: script = .latin; rightToLeft = false; vertical = false; pangoLanguage = primary
        }
    }
}

/// A dictionary shared by threads, under a lock.
public final class LockedDictionary<Key: Hashable, Value>: @unchecked Sendable {
    private var storage: [Key: Value] = [:]
    private let lock = NSLock()
    public init() {}
    public func withLock<T>(_ body: (inout [Key: Value]) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&storage)
    }
}
