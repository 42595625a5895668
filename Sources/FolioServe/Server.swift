/// `folio serve`: the live preview as a local web page (Hummingbird 2), over the library's
/// `LiveSession`. Bound to 127.0.0.1 unless told otherwise.
///
/// URL contract (scripts and tests use it):
/// - `GET /` the page (`PreviewPage.html`): spreads, thumbnails, zoom, guides, problems;
/// - `GET /pages/N.png?dpi=D&guides=1` page N (1-based, physical order) as PNG;
/// - `GET /pages.json` the pages (article, source file, content hash, size), the problems with
///   their pages, the errors of a failed build, the version;
/// - `GET /events` server-sent events: `update` with the changed pages after every build.
///
/// A watcher thread waits for the files to change (inotify, and a check every `poll` anyway) and
/// rebuilds; pages are rendered on demand and cached by (hash, dpi, guides), so an unchanged
/// page is never drawn twice.
import Folio
import FolioCore
import Foundation
import Hummingbird
import Logging

public struct PreviewServer: Sendable {
    public var host: String
    public var port: Int
    /// How often the files are checked for changes when no change was announced.
    public var poll = 0.5
    let state: LiveState

    public init(session: LiveSession, host: String = "127.0.0.1", port: Int = 8765) {
        self.host = host; self.port = port
        state = LiveState(session: session)
    }

    /// Serves until the process ends (the caller decides how signals end it: the server writes
    /// nothing, so there is nothing to finish); `ready` gets the port bound (useful with port 0,
    /// which lets the system choose).
    /// Serves until the process ends, from a synchronous caller (the command line): `run` on
    /// Swift's concurrency pool, this thread waiting for it.
    public func runBlocking(ready: @escaping @Sendable (Int) -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task {
            do { try await run(ready: ready) } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
    }

    public func run(ready: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let state = self.state
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: PreviewPage.html)))
        }
        router.get("/pages.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(bytes: await state.pagesJSON())))
        }
        router.get("/pages/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".png"), let n = Int(file.dropLast(4)) else { return Response(status: .notFound) }
            let q = request.uri.queryParameters
            let dpi = min(600, max(5, q["dpi"].flatMap { Double(String($0)) } ?? 110))
            let guides = q["guides"].map { $0 == "1" || $0 == "true" } ?? false
            do {
                let png = try await state.png(page: n, dpi: dpi, guides: guides)
                return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-cache"],
                                body: .init(byteBuffer: ByteBuffer(bytes: png)))
            } catch {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "\(error)\n")))
            }
        }
        router.get("/events") { _, _ in
            let (stream, id) = await state.subscribe()
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                            body: .init { writer in
                                // A first event at once: the client knows it is connected.
                                try await writer.write(ByteBuffer(string: ": connected\n\nevent: hello\ndata: {}\n\n"))
                                for await event in stream { try await writer.write(ByteBuffer(string: event)) }
                                await state.unsubscribe(id)
                                try await writer.finish(nil)
                            })
        }
        // The server's own log only for what goes wrong; `ready` says where it listens.
        var logger = Logger(label: "folio-serve")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "folio"),
                              onServerRunning: { channel in ready(channel.localAddress?.port ?? 0) }, logger: logger)
        let poll = self.poll
        let watcher = FileWatcher()
        watcher.watch(await state.files())
        Thread.detachNewThread {
            while true {
                _ = watcher.wait(timeout: poll)
                let done = DispatchSemaphore(value: 0)
                Task {
                    watcher.watch(await state.refresh())
                    done.signal()
                }
                done.wait()
            }
        }
        // No graceful shutdown: open event streams would hold it forever.
        try await app.runService(gracefulShutdownSignals: [])
    }
}

/// The session and what the server keeps around it, on one actor (the session is not
/// thread-safe; Pango is not).
actor LiveState {
    let session: LiveSession
    private var cache: [String: Data] = [:]
    private var cacheOrder: [String] = []
    private var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextID = 0
    /// Counts build attempts, good or failed (the version counts good ones).
    private var generation = 0

    init(session: LiveSession) { self.session = session }

    func files() -> [String] { session.files }

    /// Rebuilds when a file changed and tells every client which pages changed; returns the
    /// files to watch from now on.
    @discardableResult
    func refresh() -> [String] {
        let changed: [Int]?
        do { changed = try session.refreshIfChanged() } catch {
            broadcast(event: "update", ["generation": generation, "error": "\(error)"])
            return session.files
        }
        guard let changed else { return session.files }
        generation += 1
        let s = session.snapshot
        broadcast(event: "update", ["version": s.version, "generation": generation, "changed": changed,
                                    "errors": s.errors.map(\.description), "build_ms": Int(s.buildSeconds * 1000)])
        return session.files
    }

    func png(page: Int, dpi: Double, guides: Bool) throws -> Data {
        let pages = session.snapshot.pages
        guard page >= 1 && page <= pages.count else { throw FolioError("no page \(page)") }
        let key = "\(pages[page - 1].hash)-\(dpi)-\(guides)"
        if let hit = cache[key] { return hit }
        let png = try session.png(page: page, dpi: dpi, guides: guides)
        cache[key] = png
        cacheOrder.append(key)
        // At most 400 images (thumbnails and views of a long issue), the oldest dropped first.
        if cacheOrder.count > 400 { cache.removeValue(forKey: cacheOrder.removeFirst()) }
        return png
    }

    /// `/pages.json` as last made, for the snapshot version and generation it describes: clients
    /// poll it (the page after every event, scripts in a loop), and making it for 500 pages took
    /// half the server's time while an edit was being rebuilt.
    private var pagesJSONMade: (version: Int, generation: Int, data: Data)?

    func pagesJSON() -> Data {
        if let made = pagesJSONMade, made.version == session.snapshot.version, made.generation == generation { return made.data }
        let data = makePagesJSON()
        pagesJSONMade = (session.snapshot.version, generation, data)
        return data
    }

    private func makePagesJSON() -> Data {
        let s = session.snapshot
        // Places shown relative to the input's folder, as the editor sees the files.
        let folder = URL(fileURLWithPath: session.input).deletingLastPathComponent().standardizedFileURL.path + "/"
        func place(_ d: Diagnostic, page: Int??) -> String {
            let text = d.description
            var extra = ["text": JSONText.string(text.hasPrefix(folder) ? String(text.dropFirst(folder.count)) : text)]
            if let page { extra["page"] = page.map(String.init) ?? "null" }
            return d.json(extra: extra)
        }
        let problems = s.diagnostics.filter { $0.diagnostic.severity != .note }.map { place($0.diagnostic, page: .some($0.page)) }
        let pages = s.pages.map { p in
            let lines = p.lines.map { "[\($0.lowerBound),\($0.upperBound)]" } ?? "null"
            return "{\"article\":\(JSONText.string(p.article)),\"folio\":\(p.number),\"hash\":\(JSONText.string(p.hash)),\"height\":\(p.height),"
                + "\"lines\":\(lines),\"number\":\(p.number),\"source\":\(JSONText.string(p.source)),\"width\":\(p.width)}"
        }
        let fields = ["\"build_ms\":\(Int(s.buildSeconds * 1000))", "\"errors\":[" + s.errors.map { place($0, page: nil) }.joined(separator: ",") + "]",
                      "\"generation\":\(generation)", "\"pages\":[" + pages.joined(separator: ",") + "]",
                      "\"problems\":[" + problems.joined(separator: ",") + "]", "\"right_to_left\":\(s.rightToLeft)",
                      "\"title\":" + JSONText.string(s.title), "\"version\":\(s.version)"]
        return Data(("{" + fields.joined(separator: ",") + "}").utf8)
    }

    func subscribe() -> (AsyncStream<String>, Int) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        nextID += 1
        subscribers[nextID] = continuation
        return (stream, nextID)
    }

    func unsubscribe(_ id: Int) { subscribers.removeValue(forKey: id)?.finish() }

    private func broadcast(event: String, _ payload: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        for c in subscribers.values { c.yield("event: \(event)\ndata: \(data)\n\n") }
    }
}
