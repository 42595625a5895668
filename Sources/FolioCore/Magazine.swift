/// The pages of an issue that are not articles: the front cover (masthead, image, cover lines,
/// issue label, price, ISSN and CN numbers, the EAN-13 barcode with its add-on), the inside
/// and back covers (an image page or the imprint page), the imprint (版权页) entries, and the
/// page count's multiple (the binding's signature).

/// The front cover as the manifest describes it.
public struct Cover: Hashable, Sendable {
    /// The full-bleed cover photograph (nil: none, or missing — reported by the loader).
    public var image: ImageInfo?
    public var lines: [CoverLine] = []
    /// As printed, e.g. `定价：15.00元`.
    public var price: String?
    /// `1234-5679`, check digit verified by the loader.
    public var issn: String?
    /// The domestic serial number, e.g. `CN 11-1234/C`.
    public var cn: String?
    /// The running number since the first issue, e.g. `总第180期`.
    public var serial: String?
    /// The two-digit barcode add-on: the number in its year (`06` for June).
    public var addOn: String?
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }

    /// The ISSN's EAN-13 (GS1: prefix 977, the ISSN's first seven digits, price code `00`, and
    /// the EAN check digit), e.g. `9771234567003`.
    public var ean13: String? {
        guard let issn else { return nil }
        let digits = issn.filter(\.isNumber)
        guard digits.count >= 7 else { return nil }
        let twelve = Array("977" + digits.prefix(7) + "00").map { Int(String($0))! }
        let sum = twelve.enumerated().reduce(0) { $0 + ($1.offset % 2 == 0 ? 1 : 3) * $1.element }
        return twelve.map(String.init).joined() + String((10 - sum % 10) % 10)
    }

    /// The barcode's data as libzint reads it: the EAN-13 and the add-on, `9771234567003+06`.
    public var barcodeData: String? {
        guard let ean13, let addOn else { return nil }
        return ean13 + "+" + addOn
    }

    /// Whether `issn` (`NNNN-NNNC`) carries a valid check digit (ISO 3297: weights 8…2, mod 11).
    public static func isValidISSN(_ issn: String) -> Bool {
        let chars = Array(issn.replacingOccurrences(of: "-", with: "").uppercased())
        guard chars.count == 8, chars.prefix(7).allSatisfy(\.isNumber) else { return false }
        let sum = chars.prefix(7).enumerated().reduce(0) { $0 + (8 - $1.offset) * Int(String($1.element))! }
        let check = (11 - sum % 11) % 11
        return String(chars[7]) == (check == 10 ? "X" : String(check))
    }
}

/// A title on the cover, with an optional short line under it.
public struct CoverLine: Hashable, Sendable {
    public var title: String
    public var short: String?
    public init(title: String, short: String? = nil) { self.title = title; self.short = short }
}

/// What an inside cover or the back cover shows.
public enum CoverPage: Hashable, Sendable {
    /// A full-page image (an ad, a photograph), to the bleed.
    case image(ImageInfo?, path: String)
    /// The imprint page (版权页) from `Issue.imprint`.
    case imprint
    /// A page of a PDF (an ad delivered as PDF), placed as vectors, never rasterised; `path`
    /// is resolved, `page` counts from 1.
    case pdf(path: String, page: Int)
}

/// A full page placed among a section's articles (an ad, an insert), after `after` of them.
public struct Insert: Hashable, Sendable {
    public var after: Int
    public var page: CoverPage
    public var location: SourceLocation
    public init(after: Int, page: CoverPage, location: SourceLocation) { self.after = after; self.page = page; self.location = location }
}

/// A half-page ad the manifest places after an article (`- {ad: ads/tourism.jpg, size: half}`):
/// it takes the foot of the article's last page, the full width of the text area, when the
/// text leaves room (figures are scaled within their limits to make room); otherwise it is
/// printed on a page of its own and the report says so.
public struct HalfPageAd: Hashable, Sendable {
    /// The ad as an image or a PDF page (nil: missing, reported by the loader).
    public var image: ImageInfo?
    public var path: String
    public var location: SourceLocation
    public init(image: ImageInfo?, path: String, location: SourceLocation) { self.image = image; self.path = path; self.location = location }
}

/// One line of the imprint: a label and its value (主管、主办、社长、地址、邮发代号…).
public struct ImprintEntry: Hashable, Sendable {
    public var label: String
    public var value: String
    public init(label: String, value: String) { self.label = label; self.value = value }
}

/// Pages the manifest budgets: an article's (`pages: 3` beside its file) or the total.
public struct PageBudget: Hashable, Sendable {
    public var pages: Int
    /// The manifest line that gives it.
    public var location: SourceLocation
    public init(pages: Int, location: SourceLocation) { self.pages = pages; self.location = location }
}

/// How an article met its page budget (the fit report, `render --fit-report`): what was done
/// to fit it, in the fit order, and what is left over or under, in lines, columns and characters.
public struct ArticleFit: Hashable, Sendable {
    public enum Status: String, Sendable { case fits, over, under }
    public var article: String
    public var budget: PageBudget
    public var pages: Int
    public var status: Status
    /// Body lines over the budget, or free on its pages (0 when it fits).
    public var lines: Int
    public var columns: Double
    /// About how many characters to cut (over) or add (under), rounded to tens.
    public var characters: Int
    /// What was done to fit, in order: "figures at 80 %", "optional pull quote left out".
    public var actions: [String]
    /// The last page's share of body lines used (0…1).
    public var lastPageFill: Double

    public init(article: String, budget: PageBudget, pages: Int, status: Status, lines: Int, columns: Double,
                characters: Int, actions: [String], lastPageFill: Double) {
        self.article = article; self.budget = budget; self.pages = pages; self.status = status; self.lines = lines
        self.columns = columns; self.characters = characters; self.actions = actions; self.lastPageFill = lastPageFill
    }

    /// One line for people: "caoyuan-xuexiao: over by 14 lines (0.4 columns); cut ~330 characters".
    public var summary: String {
        let did = actions.isEmpty ? "" : " (" + actions.joined(separator: ", ") + ")"
        let cols = String(format: "%.1f", columns)
        let pages = plural(budget.pages, "page"), lines = plural(self.lines, "line")
        switch status {
        case .fits: return "\(article): fits its \(pages)\(did)"
        case .over: return "\(article): over by \(lines) (\(cols) columns) on a budget of \(pages)\(did); cut ~\(characters) characters"
        case .under: return "\(article): under by \(cols) columns (\(lines)) on a budget of \(pages)\(did); add a figure or ~\(characters) characters"
        }
    }
}
