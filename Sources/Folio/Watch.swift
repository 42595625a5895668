/// `folio watch`: the live session writing the PDF on every change. The PDF never replaces a
/// file the issue reads; a change that does not build keeps the last good PDF.
import FolioCore
import Foundation

extension LiveSession {
    /// What one build of `watch` did.
    public enum WatchEvent {
        /// The PDF was written: the pages that changed (nil: the first build), the page count, the build's seconds.
        case wrote(changed: [Int]?, pages: Int, seconds: Double)
        /// The last change does not build: its errors; the PDF was left as it was.
        case failed([Diagnostic])

        /// The line people read after this build of `output`.
        public func status(of output: String) -> String {
            switch self {
            case .wrote(let changed, let pages, let seconds):
                let what = changed.map { "rebuilt (pages \($0.map(String.init).joined(separator: ", ")) changed)" } ?? "wrote"
                return "\(what) \(output): \(plural(pages, "page")) in \(String(format: "%.2f", seconds)) s"
            case .failed: return "\(output) kept as it was: the last change does not build"
            }
        }
    }

    /// Writes `output` now and after every change of a file the issue reads, until the process
    /// ends; `report` hears each build.
    public func watch(writing output: String, report: (WatchEvent) -> Void) throws -> Never {
        var inputs = InputSet()
        for f in files { inputs.add(file: f) }
        try inputs.checkOutput(output, what: "the PDF")
        let signals = SignalHandling(outputFolders: [parentFolder(output)], graceful: false)
        defer { withExtendedLifetime(signals) {} }
        func write(_ changed: [Int]?) throws {
            let s = snapshot
            guard s.errors.isEmpty else { return report(.failed(s.errors)) }
            try writePDF(to: output)
            report(.wrote(changed: changed, pages: s.pages.count, seconds: s.buildSeconds))
        }
        try write(nil)
        let watcher = FileWatcher()
        while true {
            watcher.watch(files)
            _ = watcher.wait(timeout: 0.5)
            if let changed = try refreshIfChanged() { try write(changed) }
        }
    }
}
