/// Folio's version, with the versions of the text libraries it runs on.
import FolioText

public enum FolioVersion {
    public static let number = "0.1.0"
    /// `folio 0.1.0 (Pango 1.50.12, Cairo 1.16.0, HarfBuzz 6.0.0)`: in reports and fingerprints.
    public static var string: String {
        "folio \(number) (" + TextLibraries.versions.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
    }
}
