// `lmlab download NAME|ORG/REPO`: fetch a model from the Hugging Face Hub (or a mirror, or ModelScope) into the shared
// HF cache, with a progress bar, resume and SHA-256 checks (Hub/Downloader.swift does the work, Lab/DownloadProgress.swift draws it).
import ArgumentParser
import Foundation
import Hub
import Lab
import ModelFiles
import TerminalUI

struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model from the Hugging Face Hub or ModelScope into the shared Hugging Face cache.",
        discussion: CommandHelp.download)

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

        let request: DownloadRequest
        do { request = try DownloadRequest(model, revision: revision, source: source, catalog: catalog) } catch let refusal as DownloadRequest.Refusal {
            throw ValidationError(refusal.description)
        }
        let (repo, rev, remote) = (request.repo, request.revision, request.remoteRepos)
        let hub = hubEndpoint
        let cache = HubCache()
        let view = DownloadProgress(width: { TerminalSize.columns(fallback: 100) })
        FileHandleOutput.standardError("lmlab: \(remote[repo] ?? repo) @ \(rev) from \(hub.url.absoluteString)"
            + (hub.token != nil ? " (with HF_TOKEN)" : "") + " into \(cache.root.path)")
        let downloader = Downloader(client: HubClient(endpoint: hub, remoteRepos: remote), cache: cache)
        let result: DownloadResult
        do {
            result = try downloader.download(repo: repo, revision: rev, selection: request.selection, onEvent: view.handle)
        } catch let error as HubError {
            view.line.finish()
            FileHandleOutput.standardError("lmlab download: \(error.description)")
            throw FailureShownAbove(summary: error.description)
        }
        view.line.finish()
        let moved = ByteCount.format(result.bytesTransferred)
        print("\(repo) @ \(result.commit.prefix(12)) is in \(result.snapshot.path) (\(result.files.count) files, \(moved) downloaded)")
        print("use it with: --model \(request.shortName ?? result.snapshot.path)")
    }
}

extension HubSource: ExpressibleByArgument {}
