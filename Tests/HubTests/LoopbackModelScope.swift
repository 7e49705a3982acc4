// LoopbackHub as ModelScope answers (set `modelScopeRepo`): the same files, behind ModelScope's own API
// (ModelScope.swift in Hub names where it was read from):
//
//   GET /api/v1/models/{org}/{name}/repo/files?Revision={rev}&Recursive=true   {"Code": 200, "Data": {"Files": […]}}
//   GET /api/v1/models/{org}/{name}/repo?Revision={rev}&FilePath={path}        the bytes (Range honoured)
//
// An unknown repository answers as ModelScope does: 200 with a Code other than 200 and a Message.
import Foundation
import LabTestSupport

extension LoopbackHub {
    /// nil when this request is not ModelScope's; otherwise its answer.
    func respondAsModelScope(_ request: LoggedRequest) -> Reply? {
        guard let msRepo = modelScopeRepo else { return nil }
        let parts = request.path.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts[0]
        var query: [String: String] = [:]
        for pair in (parts.count > 1 ? parts[1] : "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { query[kv[0]] = kv[1] }
        }
        let prefix = "/api/v1/models/"
        guard path.hasPrefix(prefix) else { return nil }
        let rest = String(path.dropFirst(prefix.count))
        let failure = { (message: String) in
            Reply(status: 200, body: Array(#"{"Code":10010205001,"Success":false,"Message":"\#(message)","Data":null}"#.utf8))
        }
        let listing = rest.hasSuffix("/repo/files"), file = rest.hasSuffix("/repo")
        let asked = listing ? String(rest.dropLast("/repo/files".count)) : file ? String(rest.dropLast("/repo".count)) : rest
        guard asked == msRepo else { return failure("model \(asked) not found") }
        guard query["Revision"] == "master" || query["Revision"] == commit else {
            return failure("revision \(query["Revision"] ?? "") not found")
        }
        if listing {
            var entries: [[String: Any]] = [["Name": "extra", "Path": "extra", "Type": "tree", "Size": 0]]
            for name in files.keys.sorted() {
                let f = files[name]!
                entries.append(["Name": (name as NSString).lastPathComponent, "Path": name, "Type": "blob",
                                "Size": f.bytes.count, "Sha256": f.sha256, "Revision": commit, "IsLFS": f.lfs])
            }
            var answer: [String: Any] = ["Code": 200, "Success": true, "Message": "success", "Data": ["Files": entries]]
            tamperListing?(&answer)
            return Reply(status: 200, body: Array(try! JSONSerialization.data(withJSONObject: answer)))
        }
        guard file, let name = query["FilePath"], let bytes = files[name] else {
            return Reply(status: 404, body: Array(#"{"Code":404,"Message":"file not found"}"#.utf8))
        }
        return serveBytes(name, bytes, request, extraHeaders: [:])
    }

    /// Lies about one file in the ModelScope listing: `edit` changes its entry (Path, Size, Sha256, …).
    func tamperModelScopeFile(_ name: String, _ edit: @escaping @Sendable (inout [String: Any]) -> Void) {
        tamperListing = { listing in
            var data = listing["Data"] as? [String: Any] ?? [:]
            var entries = data["Files"] as? [[String: Any]] ?? []
            for i in entries.indices where entries[i]["Path"] as? String == name { edit(&entries[i]) }
            data["Files"] = entries
            listing["Data"] = data
        }
    }
}
