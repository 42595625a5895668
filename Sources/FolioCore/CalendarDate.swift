/// The one date parser: front matter, manifests and web archives all write dates through it.
/// Accepted: `2024-06-12` (also with `/` or `.`), `2024年6月12日`, and a year-month
/// `2024-06` / `2024年6月` for an issue; the day must exist in its month (no 2024-02-30).
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    /// nil for a year-month (an issue's date).
    public var day: Int?

    /// Years a magazine date may have.
    static let years = 1900...2200

    /// Parses the accepted forms; nil for anything else (`yesterday`, `2024-13-45`).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(whereSeparator: { "-/.年月日".contains($0) }).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), parts[1].count <= 2 else { return nil }
        // Only separators and digits: "2024-06-12 10:30" (a time) keeps its date part.
        guard Self.years.contains(y), (1...12).contains(m) else { return nil }
        year = y; month = m; day = nil
        if parts.count == 3 {
            guard parts[2].count <= 2, let d = Int(parts[2]), (1...Self.daysIn(month: m, year: y)).contains(d) else { return nil }
            day = d
        }
    }

    /// The date at the start of `text` ("2024-07-31 10:20", "2024年7月3日 星期三"), if any.
    public init?(leadingIn text: String) {
        guard let r = text.range(of: "^[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?", options: .regularExpression) else { return nil }
        self.init(String(text[r]))
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601: `2024-06-12`, or `2024-06` for a year-month.
    public var description: String {
        let ym = String(year) + "-" + (month < 10 ? "0" : "") + String(month)
        guard let day else { return ym }
        return ym + "-" + (day < 10 ? "0" : "") + String(day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day ?? 0) < (b.year, b.month, b.day ?? 0)
    }

    /// The message for a date that does not parse.
    public static func problem(_ text: String) -> String {
        "'\(text)' is not a date; write it as YYYY-MM-DD (e.g. 2024-06-12), with a month from 1 to 12 and a day that exists in it"
    }
}
