/// How an article's lines run and advance: horizontal left to right (Chinese, Korean, Latin),
/// horizontal right to left (Uyghur and Kazakh in the Arabic script, alreq A1), vertical with
/// lines advancing right to left (vertical Chinese, clreq C22) or left to right (traditional
/// Mongolian, mlreq M1). FolioCompose maps its flow coordinates to the page through one
/// strategy per mode (`WritingModeStrategy`).
public enum WritingMode: Hashable, Sendable, CaseIterable {
    case horizontalLTR, horizontalRTL, verticalRL, verticalLR

    /// The mode an article written in `language` takes when its front matter names none, or
    /// names only the axis (`horizontal-tb`: the language says which way the lines run).
    public init(language: String, declared: DeclaredWritingMode? = nil) {
        let info = LanguageInfo(language)
        switch declared {
        case .verticalRL: self = .verticalRL
        case .verticalLR: self = .verticalLR
        case .horizontalTB: self = info.rightToLeft ? .horizontalRTL : .horizontalLTR
        case nil: self = info.vertical ? .verticalLR : info.rightToLeft ? .horizontalRTL : .horizontalLTR
        }
    }
}

/// A `writing-mode:` an article's front matter may give (CSS's names).
public enum DeclaredWritingMode: String, Hashable, Sendable, CaseIterable {
    case horizontalTB = "horizontal-tb", verticalRL = "vertical-rl", verticalLR = "vertical-lr"
}
