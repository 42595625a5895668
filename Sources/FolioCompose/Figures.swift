/// Figures for the flow: scaled to the column (or less, to fit one), captions set, whole grid
/// lines counted; and scaled down again when an article is fitted back from a short last page.
import FolioCore

/// A figure ready to place: its image frame size and its set caption.
struct PreparedFigure {
    var figure: Figure
    /// The image's frame as the flow sees it: `width` its length along the line, `height` its
    /// extent across the lines (in vertical lines, where the image stands upright, its height
    /// on the page and its width).
    var imageSize: Size
    var caption: [SetLine]
    var captionStyle: ParagraphStyle
    /// Grid lines the figure and caption occupy together.
    var gridLines: Int
    var warnings: [Diagnostic]
    /// A spanning figure keeps the full measure and is cropped to the grid (its height, centred
    /// on the image; never below `figures.min-scale` of its natural height) instead of being
    /// scaled narrower: the image's height at the full width, and the most it may take. (Not a
    /// vector drawing: nil, it is scaled.)
    var fullMeasure: (natural: Pt, most: Pt)?

    /// The height of set caption lines, with 4 pt between the image and the caption.
    static func captionHeight(_ lines: [SetLine], _ style: ParagraphStyle, pitch: Pt) -> Pt {
        lines.isEmpty ? 0 : Double(lines.count - 1) * (style.leading ?? pitch) + style.size + 4
    }

    /// The whole grid lines image and caption take, plus one line of air below the caption.
    func lines(template: Template, lineCount: Int) -> Int {
        let pitch = template.grid.pitch
        let height = imageSize.height + Self.captionHeight(caption, captionStyle, pitch: pitch) + (pitch - template.grid.bodySize)
        return min(Int((height / pitch).rounded(.up)) + 1, lineCount)
    }

    /// For a full-measure figure: the image height at most `wanted` (and `fullMeasure.most`)
    /// that fills its grid lines — cropped a little more to end on a grid line, or a little
    /// less to fill the line it reaches — never cropped below `minScale` of its natural height.
    func croppedToGrid(_ wanted: Pt, template: Template) -> Pt {
        guard let full = fullMeasure else { return wanted }
        let pitch = template.grid.pitch
        let extra = Self.captionHeight(caption, captionStyle, pitch: pitch) + (pitch - template.grid.bodySize)
        let least = full.natural * template.figureMinScale, most = min(full.natural, full.most)
        let h = min(wanted, most)
        let lines = ((h + extra) / pitch).rounded(.up)
        let up = lines * pitch - extra, down = (lines - 1) * pitch - extra
        // Up to the line it reaches (a grid line past the usual most, rather than crop a line off).
        if up <= min(full.natural, full.most + pitch) { return up }
        if down >= least && down > 0 { return down }
        return h
    }

    /// The figure set across `width` in `lineCount` grid lines: full width, cropped to the grid
    /// (`croppedToGrid`) — a vector drawing uncropped, narrower if need be — its caption as set;
    /// nil if even cropped (scaled) as far as it may be it would not fit them.
    func acrossTheMeasure(width: Pt, lineCount: Int, template: Template) -> PreparedFigure? {
        guard let img = figure.image else { return nil }
        let pitch = template.grid.pitch
        let natural = width * Double(img.pixelHeight) / Double(max(1, img.pixelWidth))
        let most = Double(lineCount - 2) * pitch - Self.captionHeight(caption, captionStyle, pitch: pitch)
        guard natural * template.figureMinScale <= most else { return nil }
        var across = self
        if img.isVector {
            // A drawing is never cropped (a chart's labels and axes would go): it keeps its
            // proportions, narrower than the measure where it is too tall for the lines.
            let height = min(natural, most)
            across.imageSize = Size(width: width * height / natural, height: height)
            across.fullMeasure = nil
        } else {
            across.fullMeasure = (natural, most)
            across.imageSize = Size(width: width, height: natural)
            across.imageSize.height = across.croppedToGrid(natural, template: template)
        }
        across.gridLines = across.lines(template: template, lineCount: lineCount)
        return across
    }

    /// The figure as a spanning one on a page of `frame`: across its text area in at most half
    /// its grid lines (a short tail's figure moved to its head, TailFill.swift; a column's figure
    /// left after the text, `Flow.finish`); nil as `acrossTheMeasure`.
    func spanning(_ frame: PageFrame, template: Template) -> PreparedFigure? {
        guard var across = acrossTheMeasure(width: frame.textArea.width, lineCount: frame.lineCount / 2, template: template) else { return nil }
        across.figure.placement = .span
        return across
    }

    /// The image placed in `frame`, its caption as the text alternative (the tagged PDF's `/Alt`).
    func imageItem(_ frame: Rect) -> ImageItem { ImageItem(image: figure.image, frame: frame, alt: figure.caption.string) }
}

extension ArticleComposer {
    /// Scales a figure to the column width (or less, to fit a column) and sets its caption; a
    /// `spanning` one keeps the measure and is cropped to the grid. `upright`: the lines are
    /// vertical and the image stands upright across them (mlreq M7), its height along the line.
    func prepare(_ f: Figure, measure: Pt, lineCount: Int, spanning: Bool = false, upright: Bool = false, set: SetFunction) -> PreparedFigure {
        var warnings: [Diagnostic] = []
        let pitch = template.grid.pitch
        let captionStyle = template.style("caption")
        var caption = f.caption
        if f.image == nil {
            caption = StyledText("［图片缺失：\(f.path)］" + (caption.string.isEmpty ? "" : " "))
            caption.append(f.caption.string)
        }
        let captionLines = caption.isBlank ? [] : set(caption, "caption", measure, false, f.location)
        let captionHeight = PreparedFigure.captionHeight(captionLines, captionStyle, pitch: pitch)
        // Its extent across the lines for each point of its length along them.
        let ratio = f.image.map { upright ? Double($0.pixelWidth) / Double(max(1, $0.pixelHeight)) : Double($0.pixelHeight) / Double(max(1, $0.pixelWidth)) } ?? 0.6
        var width = measure
        var height = width * ratio
        // A figure never takes more than the column (less the caption and one line of air).
        let maxHeight = Double(lineCount - 2) * pitch - captionHeight
        // A spanning figure stays at the full measure, cropped, while the crop is within limits.
        if spanning, var across = PreparedFigure(figure: f, imageSize: Size(width: width, height: height), caption: captionLines,
                                                  captionStyle: captionStyle, gridLines: 0, warnings: warnings)
            .acrossTheMeasure(width: width, lineCount: lineCount, template: template) {
            across.warnings += resolutionWarnings(f, width: width)
            return across
        }
        if height > maxHeight {
            height = maxHeight
            width = height / ratio
            // (Upright in vertical lines, it is too wide for a band: its size on the page.)
            let (w, h) = upright ? (height, width) : (width, height)
            if f.placement == .column { warnings.append(.warning("figure \(f.path) is \(upright ? "wider" : "taller") than a column; scaled to \(Int(w)) × \(Int(h)) pt", at: f.location, code: "figure-scaled")) }
        }
        warnings += resolutionWarnings(f, width: upright ? height : width)
        var prepared = PreparedFigure(figure: f, imageSize: Size(width: width, height: height), caption: captionLines,
                                      captionStyle: captionStyle, gridLines: 0, warnings: warnings)
        prepared.gridLines = prepared.lines(template: template, lineCount: lineCount)
        return prepared
    }

    /// Warnings about the image itself at `width`: several pages, too few pixels for print.
    private func resolutionWarnings(_ f: Figure, width: Pt) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        if let img = f.image, img.hasMorePages {
            warnings.append(.warning("image \(f.path) is a TIFF of several pages; its first page is placed", at: f.location, code: "multi-page-image"))
        }
        if let img = f.image, !img.isVector {
            let ppi = Double(img.pixelWidth) / (width / 72)
            if ppi < 150 {
                warnings.append(.warning("image \(f.path) has \(Int(ppi)) ppi at its placed size (print needs 300)", at: f.location, code: "low-resolution"))
            }
        }
        return warnings
    }
}
