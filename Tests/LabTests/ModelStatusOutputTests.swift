// `lmlab models` at 80 columns: the status column holds a few words, and what to do for a model that is not ready
// (the download command) is written out whole under the table — it used to be the status cell, cut to
// "not downloaded: `lmlab downl…".
import Foundation
import Hub
import LabCore
import Testing
@testable import Lab

@Test func theModelsTableKeepsTheDownloadCommandWholeAt80Columns() throws {
    /// A row as `models --json` writes it.
    let row = { (name: String, ready: Bool, state: String, note: String?) throws -> ModelStatus in
        var json: [String: Any] = ["name": name, "kind": ready ? "local" : "hub", "summary": "", "ready": ready,
                                   "missing": [String](), "state": state]
        if ready { json.merge(["found_in": "Models/", "path": "/p/Models/\(name)", "size_on_disk": 9_000_000, "dtype": "float32"]) { $1 } }
        if let note { json["note"] = note }
        return try JSONDecoder().decode(ModelStatus.self, from: JSONSerialization.data(withJSONObject: json))
    }
    for language in [LessonLanguage.en, .zh] {
        let text = try Learner.$language.withValue(language) { () throws -> String in
            let rows = [try row("ernie-4.5-21b-a3b-base", false, Learner.text("not downloaded", "未下载"),
                            Learner.text("not downloaded: `lmlab download ernie-4.5-21b-a3b-base`",
                                         "未下载：`lmlab download ernie-4.5-21b-a3b-base`")),
                        try row("tiny-ernie", true, Learner.text("ready", "可用"), nil)]
            return OutputLayout.lines(ModelStatus.output(rows), width: 80).map(\.text).joined(separator: "\n")
        }
        print(text)
        #expect(!text.contains("…"), "nothing is cut")
        #expect(text.contains("ernie-4.5-21b-a3b-base: ") && text.contains("`lmlab download ernie-4.5-21b-a3b-base`"))
        #expect(text.contains("tiny-ernie: /p/Models/tiny-ernie"))
    }
}
