/// Folio's folder in the user's cache: what one run keeps to save the next one time (the preview
/// index, the images found whole), never beside the inputs.
import Foundation

public enum UserCache {
    /// `$XDG_CACHE_HOME/folio` (an absolute path), else `~/.cache/folio`; nil when there is neither.
    public static var folder: String? {
        let env = ProcessInfo.processInfo.environment
        guard let base = env["XDG_CACHE_HOME"].flatMap({ $0.hasPrefix("/") ? $0 : nil }) ?? env["HOME"].map({ $0 + "/.cache" }) else { return nil }
        return base + "/folio"
    }
}
