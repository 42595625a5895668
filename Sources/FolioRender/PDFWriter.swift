/// Streams pages into a PDF through Cairo, then records TrimBox and BleedBox on every page and
/// moves the file into place atomically. Half-written files never appear under the final name.
import CPangoCairo
import FolioCore
import Foundation

public final class PDFWriter {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let drawer = PageDrawer(images: .passThrough)
    private let finalPath: String
    private let tempPath: String
    private var bleed: Pt = 0
    private var finished = false
    public private(set) var pageCount = 0

    /// Opens `<path>.partial-<pid>` for writing. The corresponding C call: `cairo_pdf_surface_create`.
    public init(path: String, info: DocumentInfo) throws {
        finalPath = path
        tempPath = AtomicFile.temporaryPath(for: path)
        guard let s = cairo_pdf_surface_create(tempPath, 595, 842), cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            throw FolioError("cannot write \(path): the folder is missing or not writable")
        }
        surface = s
        cr = cairo_create(s)
        cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, info.title)
        if let a = info.author { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, a) }
        if let subj = info.subject { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subj) }
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Folio")
        // Fixed dates: the same inputs give the same bytes (DESIGN principle 6).
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, info.date)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, info.date)
    }

    deinit {
        if !finished {
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
            unlink(tempPath)
        }
    }

    /// Draws one page and releases it: pages are streamed, not held.
    public func write(_ page: Page) throws {
        cairo_pdf_surface_set_size(surface, page.size.width, page.size.height)
        cairo_pdf_surface_set_page_label(surface, "\(page.number)")
        bleed = page.bleed
        try drawer.draw(page, on: cr)
        cairo_show_page(cr)
        pageCount += 1
    }

    /// Finishes the PDF, adds the print boxes and renames it into place.
    public func finish() throws {
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        finished = true
        guard status == CAIRO_STATUS_SUCCESS else {
            unlink(tempPath)
            throw FolioError("writing \(finalPath) failed: \(String(cString: cairo_status_to_string(status)))")
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: tempPath))
            let boxed = try PDFBoxes.addTrimAndBleed(to: data, bleed: bleed)
            try boxed.write(to: URL(fileURLWithPath: tempPath))
            try AtomicFile.moveIntoPlace(tempPath, finalPath)
        } catch {
            unlink(tempPath)
            throw error
        }
    }
}

/// Write-then-rename, so readers see the old file or the whole new one.
public enum AtomicFile {
    /// A hidden file beside `path` (same file system, so the rename is atomic).
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)").path
    }

    public static func moveIntoPlace(_ temp: String, _ path: String) throws {
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw FolioError("cannot move the finished file to \(path): \(reason)")
        }
    }
}
