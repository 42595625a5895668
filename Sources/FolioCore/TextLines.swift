/// A text's lines, cut at its line feeds by bytes. Splitting a `String` at the `Character` "\n"
/// walks its grapheme clusters — a third of the time reading a Markdown article took (the
/// front matter's lines, the source lines kept for pipe tables, the CJK emphasis fix-up).
/// Input text reaches here with its line ends folded to LF (`InputFile`), where both cuts agree.
extension String {
    /// The lines between line feeds, empty ones kept (a text ending with a line feed ends with
    /// an empty line), as `split(separator: "\n", omittingEmptySubsequences: false)` gives them.
    public var lineSlices: [Substring] {
        utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
    }
}
