/// Layout guides for previews (`folio preview --guides`): trim and bleed edges, margins,
/// columns and the baseline grid, as thin coloured lines drawn over the page.
import FolioCore

public enum Guides {
    public static func items(for page: Page, template: Template) -> [PageItem] {
        let frame = PageFrame(template: template, number: page.number)
        let cyan = Color(red: 0, green: 0.6, blue: 0.85), magenta = Color(red: 0.85, green: 0, blue: 0.55)
        let grid = Color(red: 0.55, green: 0.8, blue: 0.95)
        var items: [PageItem] = []
        // Baselines of every column.
        for col in frame.columns {
            for k in 0..<frame.lineCount {
                items.append(.rect(RectItem(frame: Rect(x: col.x, y: frame.baseline(k), width: col.width, height: 0.2), fill: grid)))
            }
            items.append(.rect(RectItem(frame: col, stroke: cyan, lineWidth: 0.4)))
        }
        items.append(.rect(RectItem(frame: frame.textArea, stroke: magenta, lineWidth: 0.5)))
        items.append(.rect(RectItem(frame: page.trim, stroke: Color(red: 0.2, green: 0.2, blue: 0.2), lineWidth: 0.5)))
        items.append(.rect(RectItem(frame: Rect(x: 0, y: 0, width: page.size.width, height: page.size.height), stroke: .init(red: 0.9, green: 0.2, blue: 0.2), lineWidth: 0.5)))
        return items
    }
}
