// `lmlab download NAME|ORG/REPO`: fetch a model from the Hugging Face Hub (or a mirror, or ModelScope) into the shared
// HF cache, with a progress bar, resume and SHA-256 checks (Hub/Downloader.swift does the work; this file draws it).
import ArgumentParser
import Foundation
import Hub
import Lab
import ModelFiles
import TerminalUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model from the Hugging Face Hub or ModelScope into the shared Hugging Face cache.",
        discussion: """
        NAME is a short name from Models/catalog.json (`lmlab models` lists them) or any ORG/REPO on the Hub. \
        Files go where huggingface_hub puts them ($HF_HUB_CACHE, else $HF_HOME/hub, else \
        ~/.cache/huggingface/hub), so transformers and huggingface-cli see them too. An interrupted download \
        resumes where it stopped; large files are checked against the Hub's SHA-256.

        Where huggingface.co is out of reach, `--source modelscope` fetches the same files from ModelScope \
        (modelscope.cn, where Baidu publishes ERNIE 4.5 as PaddlePaddle/…; the catalog knows the names) into \
        the same cache folder; or HF_ENDPOINT names a mirror of the Hugging Face Hub.

        Environment: HF_ENDPOINT (a mirror of the Hub), HF_TOKEN (for gated or private repositories), \
        MODELSCOPE_DOMAIN (another ModelScope host).

        Examples:
          lmlab download ernie-4.5-0.3b
          lmlab download ernie-4.5-0.3b --source modelscope
          lmlab download baidu/ERNIE-4.5-0.3B-Base-PT --revision main
          HF_ENDPOINT=https://<mirror> lmlab download ernie-4.5-0.3b
        """)

    @Argument(help: "A catalog name (ernie-4.5-0.3b) or a Hub repository (baidu/ERNIE-4.5-0.3B-PT).")
    var model: String

    @Option(name: .long, help: "Branch, tag or commit to download (default: the catalog's, else main).")
    var revision: String?

    @Option(name: .long, help: "Hub address, e.g. a mirror (default: $HF_ENDPOINT, else https://huggingface.co).")
    var endpoint: String?

    @Option(name: .long, help: "Where from: huggingface (default) or modelscope.")
    var source: HubSource = .huggingface

    /// The endpoint the options and the environment name, for the source chosen.
    var hubEndpoint: HubEndpoint {
        source == .modelscope ? HubEndpoint.modelScope(override: endpoint) : HubEndpoint.fromEnvironment(override: endpoint)
    }

    func validate() throws {
        if let revision, let problem = HubCache.revisionProblem(revision) {
            throw ValidationError(HubError.invalidRevision(revision: revision, problem: problem).description)
        }
        if let endpoint {
            guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", url.host != nil else {
                throw ValidationError("--endpoint \(endpoint): not an http(s) address. HINT: e.g. --endpoint https://huggingface.co")
            }
        }
    }

    func run() throws {
        let root = ProjectPaths.root() ?? ModelLocator.findProjectRoot(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let catalog = try ModelCatalogFile.defaultURL(projectRoot: root).map(ModelCatalogFile.load(from:))

        // What to fetch: a catalog model's files, or every file of a named repository.
        let repo: String
        let rev: String
        let selection: FileSelection
        var shortName: String?
        var remote: [String: String] = [:]       // the cache's repo id → the id on ModelScope
        if let entry = catalog?.hubModel(named: model) {
            repo = entry.repoId; selection = entry.selection; shortName = entry.name
            rev = revision ?? (source == .huggingface ? entry.revision : source.defaultRevision)
            if source == .modelscope, let id = entry.modelScopeRepoId { remote[repo] = id }
        } else if let local = catalog?.localModel(named: model) {
            throw ValidationError("\(local.name) is one of the lab's own models, shipped in \(local.path)/, not on the Hub. "
                + "HINT: `lmlab models` shows whether it is there.")
        } else if model.split(separator: "/").count == 2, !model.hasPrefix("."), !model.hasPrefix("/") {
            repo = model; rev = revision ?? source.defaultRevision; selection = .everything
        } else {
            let names = catalog?.models.map(\.name).joined(separator: ", ") ?? "(Models/catalog.json not found)"
            throw ValidationError("\"\(model)\" is not a catalog name or an ORG/REPO id. HINT: known names: \(names); "
                + "or give a Hub repository like baidu/ERNIE-4.5-0.3B-PT.")
        }

        if let offline = ProcessInfo.processInfo.environment["HF_HUB_OFFLINE"], ["1", "true", "yes", "on"].contains(offline.lowercased()) {
            throw ValidationError("HF_HUB_OFFLINE=\(offline) forbids downloads. HINT: unset HF_HUB_OFFLINE, or copy the "
                + "model folder from a machine with access and use --model PATH (docs/MODELS.md).")
        }
        let hub = hubEndpoint
        let cache = HubCache()
        let view = DownloadProgressView(interactive: isatty(STDERR_FILENO) == 1)
        FileHandleOutput.standardError("lmlab: \(remote[repo] ?? repo) @ \(rev) from \(hub.url.absoluteString)"
            + (hub.token != nil ? " (with HF_TOKEN)" : "") + " into \(cache.root.path)")
        let downloader = Downloader(client: HubClient(endpoint: hub, remoteRepos: remote), cache: cache)
        let result: DownloadResult
        do {
            result = try downloader.download(repo: repo, revision: rev, selection: selection, onEvent: view.handle)
        } catch let error as HubError {
            view.finishLine()
            FileHandleOutput.standardError("lmlab download: \(error.description)")
            throw FailureShownAbove(summary: error.description)
        }
        view.finishLine()
        let moved = ByteCount.format(result.bytesTransferred)
        print("\(repo) @ \(result.commit.prefix(12)) is in \(result.snapshot.path) (\(result.files.count) files, \(moved) downloaded)")
        print("use it with: --model \(shortName ?? result.snapshot.path)")
    }
}

/// Draws download events on stderr: a redrawn bar on a terminal (10 times a second at most), one quiet line per
/// file start and end otherwise (logs, CI, pipes).
final class DownloadProgressView: @unchecked Sendable {
    let interactive: Bool
    private let lock = NSLock()
    private var meter: TransferMeter?
    private var lastDraw: TimeInterval = 0
    private var barShown = false

    init(interactive: Bool) { self.interactive = interactive }

    private static func now() -> TimeInterval { ProcessInfo.processInfo.systemUptime }

    func handle(_ event: DownloadEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .resolved(_, _, let commit, let files, let bytes):
            emit("commit \(commit.prefix(12)): \(files.count) files, \(ByteCount.format(bytes)) to download")
        case .fileStarted(let file, let size, let offset):
            meter = TransferMeter(file: file, total: size, initial: offset, startTime: Self.now())
            let sizeText = " (\(ByteCount.format(size)))"
            if !interactive {
                emit(offset > 0 ? "resuming \(file) at \(ByteCount.format(offset))\(sizeText)" : "fetching \(file)\(sizeText)")
            }
        case .progress(_, let received, _):
            guard interactive, var m = meter else { return }
            let t = Self.now()
            m.update(received: received, at: t)
            meter = m
            if t - lastDraw >= 0.1 || received == m.total { draw(m.line()); lastDraw = t }
        case .fileRetrying(let file, let reason):
            emit("\(file): \(reason)")
        case .fileDone(let file, let size, let verified, let fromCache):
            if interactive, let m = meter, m.file == file { draw(m.line()) }
            let how = fromCache ? "already in the cache" : verified ? "SHA-256 verified" : "size checked"
            emit("✓ \(file) \(ByteCount.format(size)) (\(how))")
            meter = nil
        }
    }

    /// Ends a bar line so the next message starts on its own line.
    func finishLine() {
        lock.lock(); defer { lock.unlock() }
        if barShown { FileHandle.standardError.write(Data("\n".utf8)); barShown = false }
    }

    private func draw(_ line: String) {
        let width = max(20, TerminalSize.columns(fallback: 100) - 1)
        let text = "\r" + EastAsianWidth.truncate(line, toCells: width) + "\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
        barShown = true
    }

    private func emit(_ line: String) {
        if barShown { FileHandle.standardError.write(Data("\n".utf8)); barShown = false }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension HubSource: ExpressibleByArgument {}
