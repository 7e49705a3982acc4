// `--precision` on `prob`: the JSON names each model's precision, a model is kept per (folder, precision) in a
// session, the int8 column differs from the as-stored one (but only a little), and a bad value names the choices.
// In LessonRunTests' serialized suite: a cell's output is captured from fd 1/2, which two cells cannot share.
import Foundation
import Testing
@testable import Lab
@testable import LabCLI
import ERNIE

extension LessonRunTests {
@Test func probReportsPrecisionAndKeepsOneModelPerPrecision() throws {
    let executor = LessonCellExecutor(capture: true)
    var text = ""
    let status = executor.execute("prob \"The dog says woof.\" --model \(shippedTinyErnie) --compare \(shippedTinyErnie) "
                                  + "--compare-precision int8 --json") { text += $0 }
    #expect(status == .ok, "\(text)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonBlock(in: text).utf8)) as? [String: Any])
    let compare = try #require(json["compare"] as? [String: Any])
    #expect(json["precision"] as? String == "as-stored")
    #expect(compare["precision"] as? String == "int8")
    let a = try #require(json["total_logprob"] as? Double), b = try #require(compare["total_logprob"] as? Double)
    print("tiny-ernie \"The dog says woof.\": total log P as stored \(a), int8 \(b), |Δ| \(abs(a - b))")
    #expect(a != b && abs(a - b) < 0.5)

    let stored = try ProbCommand.load(shippedTinyErnie), int8 = try ProbCommand.load(shippedTinyErnie, precision: .int8)
    #expect(stored.model !== int8.model)
    #expect(int8.model === (try ProbCommand.load(shippedTinyErnie, precision: .int8)).model)   // kept, not reloaded
    #expect(int8.model.weights.precision == .int8 && int8.model.weights.embedding.storage == .int8)
}

/// The JSON object in a cell's captured output: from the first line that starts with "{" to the last line that
/// ends with "}". The cell captures the process's fds 1 and 2, so a line printed by a test running alongside (or
/// by the test runner itself) can land before or after the command's one JSON write.
func jsonBlock(in text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.firstIndex(where: { $0.hasPrefix("{") }),
          let last = lines.lastIndex(where: { $0.hasSuffix("}") }), first <= last else { return text }
    return lines[first...last].joined(separator: "\n")
}

@Test func aBadPrecisionNamesTheOptionAndTheChoices() {
    let executor = LessonCellExecutor(capture: true)
    var text = ""
    let status = executor.execute("prob hi --model \(shippedTinyErnie) --precision int3") { text += $0 }
    guard case .failed(let message) = status else { Issue.record("int3 was accepted: \(text)"); return }
    #expect(message.contains("--precision") && message.contains("int8") && message.contains("as-stored"), "\(message)")
}
}
