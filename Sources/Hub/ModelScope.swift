// ModelScope — the same downloader over ModelScope (modelscope.cn), where Baidu publishes the ERNIE 4.5 repositories
// too (PaddlePaddle/ERNIE-4.5-0.3B-PT …) and which many learners reach when huggingface.co is out of reach.
// Its API is its own (read from the `modelscope` client library, modelscope/hub/api.py and file_download.py):
//
//   GET {endpoint}/api/v1/models/{org}/{name}/repo/files?Revision={rev}&Recursive=true
//       → {"Code": 200, "Success": true, "Data": {"Files": [{"Name": "model.safetensors", "Path": "model.safetensors",
//          "Type": "blob", "Size": 721…, "Sha256": "<hex>", "Revision": "<commit>", …}, {"Type": "tree", …}]}}
//   GET {endpoint}/api/v1/models/{org}/{name}/repo?Revision={rev}&FilePath={path}     [Range: bytes=N-]
//       → the file's bytes (get_file_download_url)
//
// Errors come as HTTP 200 with "Code" ≠ 200 and a "Message" (raise_on_error), or as 404. The listing gives every file
// its SHA-256, so every file is checked, and names the commit in each file's "Revision"; when the files do not agree
// on one 40-hex commit, the snapshot folder is named by the listing's own digest (the first 40 hex digits of the
// SHA-256 of its sorted "path size sha256" lines), so the same content lands in the same folder. Files are fetched by
// the revision asked for, as the modelscope client does. Everything in the answer passes the same checks as a
// Hugging Face listing (sizes, blob names, and HubPaths' containment of every path) before it is used.
import Foundation
import LabCore

/// Which hub an endpoint speaks: the Hugging Face Hub API (also its mirrors, HF_ENDPOINT) or ModelScope's.
public enum HubSource: String, Sendable, CaseIterable {
    case huggingface, modelscope

    /// The branch a repository's files are on when no revision is given.
    public var defaultRevision: String { self == .huggingface ? "main" : "master" }
}

extension HubEndpoint {
    public static let modelScopeURL = URL(string: "https://www.modelscope.cn")!

    /// `override` › https://$MODELSCOPE_DOMAIN (the modelscope client's variable) › https://www.modelscope.cn;
    /// anonymous (ModelScope's public repositories need no token).
    public static func modelScope(_ environment: [String: String] = LabEnvironment.current,
                                  override: String? = nil) -> HubEndpoint {
        let domain = environment["MODELSCOPE_DOMAIN"].flatMap { $0.isEmpty ? nil : "https://" + $0 }
        let url = (override ?? domain).flatMap { URL(string: $0) } ?? modelScopeURL
        return HubEndpoint(url: url, token: nil, source: .modelscope)
    }
}

extension HubClient {
    /// `{endpoint}/api/v1/models/{repo}/repo/files?Revision={rev}&Recursive=true`.
    func modelScopeListingURL(repo: String, revision: String) -> URL {
        URL(string: endpoint.url.absoluteString + "/api/v1/models/\(repo)/repo/files?Revision=\(HubClient.segment(revision))"
            + "&Recursive=true")!
    }

    /// `{endpoint}/api/v1/models/{repo}/repo?Revision={rev}&FilePath={file}`, both query values percent-encoded.
    func modelScopeFileURL(repo: String, revision: String, file: String) -> URL {
        URL(string: endpoint.url.absoluteString + "/api/v1/models/\(repo)/repo?Revision=\(HubClient.segment(revision))"
            + "&FilePath=\(HubClient.segment(file))")!
    }

    /// Parses ModelScope's file listing into the same `HubRepoInfo` a Hugging Face listing gives, checking it as
    /// strictly: a JSON object with Code 200, each blob with a string Path listed once, a whole Size from 0 to
    /// `maxFileSize`, a Sha256 of 64 hex digits (it names the blob and checks the bytes).
    static func decodeModelScopeListing(_ data: Data, repo: String, revision: String, url: URL) throws -> HubRepoInfo {
        func bad(_ problem: String) -> HubError { .badResponse(url: url.absoluteString, problem: problem) }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw bad("the body is not a JSON object")
        }
        let code = (top["Code"] as? NSNumber)?.intValue
        if code != 200 || (top["Success"] as? Bool) == false {
            let message = (top["Message"] as? String).map { HubError.shown($0, limit: 300) }
            let words = message?.lowercased() ?? ""
            if words.contains("revision") { throw HubError.revisionNotFound(repo: repo, revision: revision) }
            if words.contains("not found") || words.contains("not exist") {
                throw HubError.repositoryNotFound(repo: repo, endpoint: HubClient.origin(url), tokenSent: false)
            }
            throw bad("ModelScope refused the listing: Code \(code.map(String.init) ?? "none")"
                      + (message.map { ", \($0)" } ?? ""))
        }
        guard let payload = top["Data"] as? [String: Any], let files = payload["Files"] as? [[String: Any]] else {
            throw bad("no \"Data.Files\" (file list) in the answer")
        }
        var siblings: [HubSibling] = []
        var seen = Set<String>()
        var commits = Set<String>()
        for item in files where (item["Type"] as? String) != "tree" {
            guard let path = item["Path"] as? String else { throw bad("a file has no \"Path\"") }
            guard seen.insert(path).inserted else { throw bad("\(HubError.shown(path)) is listed twice") }
            guard let number = item["Size"] as? NSNumber, number.doubleValue >= 0,
                  number.doubleValue <= Double(maxFileSize), number.doubleValue == number.doubleValue.rounded() else {
                throw bad("\"Size\" of \(HubError.shown(path)) is not a size from 0 to \(maxFileSize) bytes (1 TiB)")
            }
            guard let sha = item["Sha256"] as? String, HubCache.isLowerHex(sha, length: 64) else {
                throw bad("\(HubError.shown(path)) has no \"Sha256\" of 64 lowercase hex digits")
            }
            commits.insert((item["Revision"] as? String) ?? "")
            siblings.append(HubSibling(path: path, size: number.int64Value, blobId: nil, lfsSHA256: sha))
        }
        let commit = commits.count == 1 && HubCache.isCommitHash(commits.first!) ? commits.first! : listingDigest(siblings)
        return HubRepoInfo(repo: repo, commit: commit, siblings: siblings, fileRevision: revision)
    }

    /// 40 hex digits naming a listing by its content: SHA-256 over its sorted "path size sha256" lines.
    static func listingDigest(_ siblings: [HubSibling]) -> String {
        let lines = siblings.map { "\($0.path) \($0.size ?? 0) \($0.lfsSHA256 ?? "")\n" }.sorted().joined()
        return String(SHA256.hexDigest(Array(lines.utf8)).prefix(40))
    }
}
