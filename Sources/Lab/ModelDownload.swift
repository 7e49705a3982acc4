// ModelDownload — `lmlab download NAME|ORG/REPO`: the request resolved against Models/catalog.json (Hub's
// DownloadRequest), fetched by Hub's Downloader into the shared Hugging Face cache with resume and SHA-256 checks,
// drawn by DownloadProgress, and the lines that say where it landed and how to use it.
import Foundation
import Hub
import LabCore
import ModelFiles

public struct ModelDownload: Sendable {
    /// A catalog name or ORG/REPO.
    public var model: String
    /// Branch, tag or commit (default: the catalog's, else the source's default branch).
    public var revision: String?
    public var source: HubSource
    /// --endpoint: a mirror (default: $HF_ENDPOINT, else the source's own).
    public var endpoint: String?

    public init(model: String, revision: String?, source: HubSource, endpoint: String?) {
        (self.model, self.revision, self.source, self.endpoint) = (model, revision, source, endpoint)
    }

    /// - Throws: `OptionError` for a revision the cache cannot hold or an endpoint that is not http(s).
    public func check() throws {
        if let revision, let problem = HubCache.revisionProblem(revision) {
            throw OptionError(HubError.invalidRevision(revision: revision, problem: problem).description)
        }
        if let endpoint {
            guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", url.host != nil else {
                throw OptionError("--endpoint \(endpoint): not an http(s) address. "
                    + "HINT: e.g. --endpoint https://huggingface.co")
            }
        }
    }

    /// The endpoint the options and the environment name, for the source chosen.
    public var hubEndpoint: HubEndpoint {
        source == .modelscope ? HubEndpoint.modelScope(override: endpoint)
                              : HubEndpoint.fromEnvironment(override: endpoint)
    }

    /// Downloads, telling `note` (stderr) where from and to and drawing the progress (ProgressLine fits it).
    /// - Returns: the lines that say where the snapshot is and the --model to use it with.
    /// - Throws: `OptionError` for a request the catalog refuses; `HubError` after `note` has heard it.
    public func run(note: (String) -> Void) throws -> [String] {
        let root = ProjectPaths.root()
        let catalog = try ModelCatalogFile.defaultURL(projectRoot: root).map(ModelCatalogFile.load(from:))
        let request: DownloadRequest
        do {
            request = try DownloadRequest(model, revision: revision, source: source, catalog: catalog)
        } catch let refusal as DownloadRequest.Refusal {
            throw OptionError(refusal.description)
        }
        let (repo, rev, remote) = (request.repo, request.revision, request.remoteRepos)
        let hub = hubEndpoint
        let cache = HubCache()
        let view = DownloadProgress()
        let source = "\(remote[repo] ?? repo) @ \(rev)", from = hub.url.absoluteString
        note("lmlab: " + Learner.text("\(source) from \(from)" + (hub.token != nil ? " (with HF_TOKEN)" : "") + " into \(cache.root.path)",
                                      "从 \(from)" + (hub.token != nil ? "（带 HF_TOKEN）" : "") + " 下载 \(source) 到 \(cache.root.path)"))
        let downloader = Downloader(client: HubClient(endpoint: hub, remoteRepos: remote), cache: cache)
        let result: DownloadResult
        do {
            result = try downloader.download(repo: repo, revision: rev, selection: request.selection,
                                             onEvent: view.handle)
        } catch let error as HubError {
            view.line.finish()
            note("lmlab download: \(error.description)")
            throw error
        }
        view.line.finish()
        let (files, moved) = (result.files.count, ByteCount.format(result.bytesTransferred))
        let snapshot = "\(repo) @ \(result.commit.prefix(12))", model = request.shortName ?? result.snapshot.path
        return [Learner.text("\(snapshot) is in \(result.snapshot.path) (\(files) files, \(moved) downloaded)",
                             "\(snapshot) 在 \(result.snapshot.path)（\(files) 个文件，下载了 \(moved)）"),
                Learner.text("use it with: --model \(model)", "使用时加上：--model \(model)")]
    }
}
