/// The preflight report (`render --report`): every problem found, grouped by kind, with counts,
/// and the fit report of the articles with page budgets (also `render --fit-report`, a table).
import FolioCore
import Foundation

public enum Preflight {
    public static func write(_ diagnostics: [Diagnostic], pages: Int, fit: [ArticleFit] = [], to path: String, input: String) throws {
        var byCode: [String: [String]] = [:]
        for d in diagnostics where d.severity != .note {
            byCode[d.code ?? (d.severity == .error ? "error" : "other"), default: []].append(d.description)
        }
        let root: [String: Any] = [
            "input": input, "pages": pages,
            "errors": diagnostics.filter { $0.severity == .error }.count,
            "warnings": diagnostics.filter { $0.severity == .warning }.count,
            "counts": byCode.mapValues(\.count), "problems": byCode,
            "fit": fit.map(json),
        ]
        try createParent(of: path)
        try BatchReport.writeJSON(root, to: path)
    }

    /// One article's fit as JSON: budget and pages, status, lines/columns/characters over or
    /// under, the actions taken, where the budget is written.
    static func json(_ f: ArticleFit) -> [String: Any] {
        ["article": f.article, "budget": f.budget.pages, "pages": f.pages, "status": f.status.rawValue,
         "lines": f.lines, "columns": (f.columns * 10).rounded() / 10, "characters": f.characters,
         "actions": f.actions, "last_page_fill": (f.lastPageFill * 100).rounded() / 100,
         "location": f.budget.location.description, "summary": f.summary]
    }

    /// The fit report as a table for a terminal: one row per budgeted article, then the total.
    public static func fitTable(_ fit: [ArticleFit]) -> String {
        guard !fit.isEmpty else { return "fit report: no article has a page budget (give one as - {file: a.md, pages: 3})\n" }
        func cell(_ s: String, _ w: Int, right: Bool = false) -> String {
            let pad = String(repeating: " ", count: max(0, w - s.count))
            return right ? pad + s : s + pad
        }
        let name = max(7, fit.map(\.article.count).max() ?? 0)
        var out = cell("article", name) + "  budget  pages  status  lines  columns  characters  done\n"
        for f in fit {
            let sign = f.status == .over ? "+" : f.status == .under ? "-" : ""
            let chars = f.status == .fits ? "" : (f.status == .over ? "cut ~" : "add ~") + String(f.characters)
            out += cell(f.article, name) + "  " + cell(String(f.budget.pages), 6, right: true) + "  " + cell(String(f.pages), 5, right: true)
                + "  " + cell(f.status.rawValue, 6) + "  " + cell(f.lines == 0 ? "" : sign + String(f.lines), 5, right: true)
                + "  " + cell(f.lines == 0 ? "" : sign + String(format: "%.1f", f.columns), 7, right: true)
                + "  " + cell(chars, 10, right: true) + "  " + (f.actions.isEmpty ? "as set" : f.actions.joined(separator: ", ")) + "\n"
        }
        let met = fit.filter { $0.status == .fits }.count
        out += "\(met) of \(plural(fit.count, "budget")) met"
        let over = fit.filter { $0.status == .over }.map(\.article), under = fit.filter { $0.status == .under }.map(\.article)
        if !over.isEmpty { out += "; over: " + over.joined(separator: ", ") }
        if !under.isEmpty { out += "; under: " + under.joined(separator: ", ") }
        return out + "\n"
    }
}
