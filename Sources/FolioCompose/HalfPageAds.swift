/// Half-page ads (manifest `- {ad: ads/tourism.jpg, size: half}` after an article): the ad takes
/// the lower half of the text area on the article's last page, under one blank grid line, so a
/// short last page becomes a designed one. If the text reaches too far down the first column,
/// the page is balanced into both columns above the ad; if it still reaches too far, the figures
/// are scaled within their limits (as copyfitting does) until it ends above the ad; if it still
/// does not, the article is left as it was and the issue prints the ad on a page of its own,
/// with a warning saying how many lines stand in the way.
import FolioCore

extension HalfPageAd {
    /// The grid lines the text may use on the ad's page: the upper half, less one blank line.
    static func textLines(_ frame: PageFrame) -> Int { max(1, frame.lineCount - frame.lineCount / 2 - 1) }

    /// The top of the ad's room on a page of `frame`.
    static func top(on frame: PageFrame, bodySize: Pt) -> Pt { frame.baseline(textLines(frame)) + IdeographicBox.descent * bodySize }

    /// Where the ad goes on a page: the text area's lower half (from the grid line after the
    /// blank one), the image fitted inside it keeping its proportions, centred, on the foot.
    func item(on frame: PageFrame, bodySize: Pt) -> PageItem {
        let top = Self.top(on: frame, bodySize: bodySize)
        let box = Rect(x: frame.textArea.x, y: top, width: frame.textArea.width, height: frame.textArea.maxY - top)
        var fitted = box
        if let image, image.pixelWidth > 0, image.pixelHeight > 0 {
            let scale = min(box.width / Double(image.pixelWidth), box.height / Double(image.pixelHeight))
            fitted.width = Double(image.pixelWidth) * scale
            fitted.height = Double(image.pixelHeight) * scale
            fitted.x = box.x + (box.width - fitted.width) / 2
            fitted.y = box.maxY - fitted.height
        }
        return .image(ImageItem(image: image, frame: fitted, decorative: true))
    }
}

extension ArticleComposer {
    /// The lowest point any item of `page` reaches (a text line's descent, a figure's foot).
    static func lowestPoint(of page: Page) -> Pt {
        page.items.reduce(0) { max($0, $1.bounds?.maxY ?? 0) }
    }

    /// Whether the last page of `t` leaves the lower half free for a half-page ad.
    func leavesRoomForAd(_ t: FitTrial, firstPage: Int) -> Bool {
        guard let last = t.pages.last else { return false }
        let frame = PageFrame(template: template, number: firstPage + t.pages.count - 1)
        let limit = frame.baseline(HalfPageAd.textLines(frame) - 1) + IdeographicBox.descent * template.grid.bodySize + 0.5
        return Self.lowestPoint(of: last) <= limit
    }

    /// `t` if its last page leaves the ad its half, else `t` with that page's columns balanced
    /// into the upper half (both columns filled above the ad, not the first alone); nil when
    /// neither does.
    private func underAd(_ t: FitTrial, article: Article, firstPage: Int, frame: PageFrame) -> FitTrial? {
        if leavesRoomForAd(t, firstPage: firstPage) { return t }
        let b = balancing(t, under: HalfPageAd.textLines(frame) + 1, article: article, firstPage: firstPage)
        return leavesRoomForAd(b, firstPage: firstPage) ? b : nil
    }

    /// `t`, or the first arrangement with its figures scaled that ends above the ad on no more
    /// pages; nil (with a warning) when none does.
    func makingRoomForAd(_ t: FitTrial, article: Article, firstPage: Int, frame: PageFrame, log: inout DiagnosticLog) -> FitTrial? {
        guard let ad = article.endAd else { return nil }
        if t.flow.overset || !frame.strategy.spansColumns {
            log.add(Diagnostic(.warning, "a half-page ad is placed under horizontal text only; it gets a page of its own", at: ad.location, code: "half-page-ad"))
            return nil
        }
        if let under = underAd(t, article: article, firstPage: firstPage, frame: frame) { return under }
        var underScaled: FitTrial?
        if let (scale, s) = firstScaled(t, article: article, firstPage: firstPage, frame: frame, where: {
            underScaled = $0.pages.count <= t.pages.count ? underAd($0, article: article, firstPage: firstPage, frame: frame) : nil
            return underScaled != nil
        }), let under = underScaled {
            log.add(Diagnostic(.note, "figures scaled to \(Int((scale * 100).rounded())) % to make room for the half-page ad", at: ad.location, code: "copyfit"))
            var fitted = under
            fitted.actions = t.actions + s.actions
            return fitted
        }
        let over = max(1, t.flow.columnEnds.reduce(0) { $0 + max(0, $1 - HalfPageAd.textLines(frame)) })
        log.add(Diagnostic(.warning, "the half-page ad does not fit under the end of \(article.id) (\(plural(over, "line")) of its last page reach into the lower half: cut ~\(over * frame.charsPerLine) characters, or make it a full-page ad); it gets a page of its own",
                           at: ad.location, code: "half-page-ad"))
        return nil
    }
}
