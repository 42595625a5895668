/// How full a page's text area is, measured the way pdfcheck's `page_fill` measures it: for each
/// column, the foot of the lowest thing in it (a text line's descent, an image, a rule) below the
/// text area's top, over the text area's height; the page's fill is the mean over its columns.
import FolioCore

enum PageFill {
    static func fill(_ page: Page, template: Template) -> Double {
        let frame = PageFrame(template: template, number: page.number)
        let area = frame.textArea
        guard area.height > 0, !frame.columns.isEmpty else { return 1 }
        let columns = frame.columns.map { column -> Double in
            var low = area.y
            for item in page.items {
                guard let box = item.bounds else { continue }
                // In the column: it covers half the column's width or lies with half its own in it.
                let overlap = min(box.maxX, column.maxX) - max(box.x, column.x)
                guard overlap >= min(column.width, box.width) / 2, box.y < area.maxY else { continue }
                low = max(low, min(area.maxY, box.maxY))
            }
            return (low - area.y) / area.height
        }
        return columns.reduce(0, +) / Double(columns.count)
    }
}
