// DownloadRequest — what `lmlab download NAME|ORG/REPO` fetches: a catalog model's files (its repository, revision
// and file selection, and its ModelScope name when fetched from there), or every file of a named repository. A name
// that is neither, one of the lab's own shipped models, or HF_HUB_OFFLINE is refused with the fix.
import Foundation
import LabCore

public struct DownloadRequest: Equatable, Sendable {
    public let repo: String
    public let revision: String
    public let selection: FileSelection
    /// The catalog's short name, for "use it with: --model NAME".
    public let shortName: String?
    /// The cache's repo id → the id on ModelScope.
    public let remoteRepos: [String: String]

    /// Why a request cannot be made; the message names the fix (the command reports it as a usage error).
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// - Parameters:
    ///   - model: a catalog name or ORG/REPO.
    ///   - revision: the branch, tag or commit asked for (default: the catalog's, else the source's default branch).
    /// - Throws: `Refusal`.
    public init(_ model: String, revision: String?, source: HubSource, catalog: ModelCatalogFile?,
                environment: [String: String] = LabEnvironment.current) throws {
        var remote: [String: String] = [:]
        if let entry = catalog?.hubModel(named: model) {
            repo = entry.repoId; selection = entry.selection; shortName = entry.name
            self.revision = revision ?? (source == .huggingface ? entry.revision : source.defaultRevision)
            if source == .modelscope, let id = entry.modelScopeRepoId { remote[repo] = id }
        } else if let local = catalog?.localModel(named: model) {
            throw Refusal(description: Learner.text(
                "\(local.name) is one of the lab's own models, shipped in \(local.path)/, not on the Hub. "
                    + "HINT: `lmlab models` shows whether it is there.",
                "\(local.name) 是实验室自己的模型，随项目放在 \(local.path)/，不在 Hub 上。HINT：`lmlab models` 显示它在不在。"))
        } else if model.split(separator: "/").count == 2, !model.hasPrefix("."), !model.hasPrefix("/") {
            repo = model; self.revision = revision ?? source.defaultRevision; selection = .everything; shortName = nil
        } else {
            let names = catalog?.models.map(\.name).joined(separator: ", ")
                ?? Learner.text("(Models/catalog.json not found)", "（找不到 Models/catalog.json）")
            throw Refusal(description: Learner.text(
                "\"\(model)\" is not a catalog name or an ORG/REPO id. HINT: known names: \(names); "
                    + "or give a Hub repository like baidu/ERNIE-4.5-0.3B-PT.",
                "\"\(model)\" 既不是目录里的名字，也不是 ORG/REPO 形式的仓库名。HINT：已知的名字：\(names)；"
                    + "或给出一个 Hub 仓库，例如 baidu/ERNIE-4.5-0.3B-PT。"))
        }
        remoteRepos = remote
        if let offline = environment["HF_HUB_OFFLINE"], ["1", "true", "yes", "on"].contains(offline.lowercased()) {
            throw Refusal(description: Learner.text(
                "HF_HUB_OFFLINE=\(offline) forbids downloads. HINT: unset HF_HUB_OFFLINE, or copy the "
                    + "model folder from a machine with access and use --model PATH (docs/MODELS.md).",
                "HF_HUB_OFFLINE=\(offline) 禁止下载。HINT：取消 HF_HUB_OFFLINE，或从能联网的机器拷来模型文件夹，"
                    + "再用 --model 路径（docs/MODELS.md）。"))
        }
    }
}
