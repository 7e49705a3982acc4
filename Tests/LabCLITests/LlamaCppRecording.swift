// The recordings of real servers under Fixtures/llamacpp/ (scripts/llamacpp_check.sh --record,
// scripts/llamacpp_upstream_probe.sh --record) and the loopback server that replays them, for LlamaCppReplayTests.
import Foundation
import LabTestSupport
import Testing

let llamaCppFixtureFolder = projectRoot.appendingPathComponent("Tests/LabCLITests/Fixtures/llamacpp")

struct Recording {
    let name: String
    let document: [String: Any]
    var runs: [[String: Any]] { document["runs"] as? [[String: Any]] ?? [] }
    func runs(_ label: String) -> [[String: Any]] { runs.filter { $0["label"] as? String == label } }
    /// The model folder, absolute.
    var model: String { projectRoot.appendingPathComponent(document["model"] as? String ?? "").path }

    static func load(_ name: String) throws -> Recording {
        let url = llamaCppFixtureFolder.appendingPathComponent(name + ".json")
        let data = try Data(contentsOf: url)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(url.path) is a JSON object")
        return Recording(name: name, document: document)
    }
}

/// JSON values equal as JSON: numbers by value (1 == 1.0), objects by keys, null only to null.
func sameJSON(_ a: Any?, _ b: Any?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (is NSNull, is NSNull): return true
    case let (x as String, y as String): return x == y
    case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
    case let (x as [String: Any], y as [String: Any]):
        return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { sameJSON(x[$0], y[$0]) }
    case let (x as NSNumber, y as NSNumber): return x.doubleValue == y.doubleValue
    default: return false
    }
}

/// A loopback server answering exactly the recorded exchanges. `return_tokens_as_token_ids` (which the lab asks for
/// since the older recordings were made, and which llama-cpp-python's server ignores: its answers keep texts) is left
/// out of the comparison on both sides.
func replay(_ exchanges: [[String: Any]]) throws -> APILoopbackServer {
    func withoutTokenIds(_ json: Any?) -> Any? {
        guard var object = json as? [String: Any] else { return json is NSNull ? nil : json }
        object.removeValue(forKey: "return_tokens_as_token_ids")
        return object
    }
    let server = APILoopbackServer { request in
        let body = withoutTokenIds(request.json)
        for e in exchanges where e["method"] as? String == request.method && e["path"] as? String == request.path
            && sameJSON(withoutTokenIds(e["request"]), body) {
            let body = (try? JSONSerialization.data(withJSONObject: e["response"] ?? NSNull(), options: [.fragmentsAllowed])) ?? Data()
            return APILoopbackServer.Reply(status: e["status"] as? Int ?? 200, body: Array(body))
        }
        return APILoopbackServer.Reply(status: 404, body: Array(#"{"detail": "not in the recording"}"#.utf8))
    }
    try server.start()
    return server
}

/// The recorded argv with the model folder made absolute and "$API" replaced by `url`.
func arguments(_ run: [String: Any], api url: URL, model: String) -> [String] {
    let argv = run["argv"] as? [String] ?? []
    var out: [String] = []
    var previous = ""
    for a in argv {
        out.append(a == "$API" ? url.absoluteString : previous == "--model" ? model : a)
        previous = a
    }
    return out
}
