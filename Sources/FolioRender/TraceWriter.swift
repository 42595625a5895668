/// A text trace of what a page draws: one line per item, rounded to 0.01 pt. Tests compare
/// traces instead of pixels (like SILE's debug outputter).
import FolioCore
import Foundation

public enum TraceWriter {
    public static func trace(_ page: Page) -> String {
        var out = "page \(page.number) \(f(page.size.width))x\(f(page.size.height)) trim \(rect(page.trim))\n"
        for item in page.items {
            switch item {
            case .rect(let r):
                out += "rect \(rect(r.frame))\(r.copies > 1 ? " ×\(r.copies) every \(f(r.step))" : "")\(r.fill != nil ? " fill" : "")\(r.stroke != nil ? " stroke" : "")\n"
            case .image(let i):
                out += "image \(rect(i.frame)) \(i.image.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? "missing")\n"
            case .link(let l):
                out += "link \(rect(l.frame)) -> \(l.destination)\n"
            case .anchor(let a):
                out += "anchor \(a.name) \(f(a.point.x)),\(f(a.point.y))\n"
            case .barcode(let b):
                out += "barcode \(rect(b.frame)) \(b.data)\n"
            case .pdfPage(let p):
                out += "pdf-page \(rect(p.frame)) \(URL(fileURLWithPath: p.path).lastPathComponent)#\(p.page)\n"
            case .text(let t):
                let text = t.line.text
                out += "text \(t.role.rawValue) \(f(t.origin.x)),\(f(t.origin.y)) w\(f(t.line.width)) \(text)\n"
            }
        }
        return out
    }

    private static func f(_ v: Double) -> String { String(format: "%.2f", v) }
    private static func rect(_ r: Rect) -> String { "\(f(r.x)),\(f(r.y)) \(f(r.width))x\(f(r.height))" }
}
