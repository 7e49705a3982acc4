// The course's exercises: every shipped starter fails its check with a first divergence that says what is wrong,
// every reference solution passes, and a crashing program becomes a message (swiftc builds each file).
import Foundation
import Lab
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

@Test(arguments: ["bigram_counter", "top_p", "greedy_decoder"])
func startersFailAndSolutionsPass(_ name: String) throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry(name)
    let starter = try ExerciseCommand.check(entry, source: catalog.starterFile(entry), catalog: catalog, model: checkpoint, api: nil)
    print("\(name) starter: \(starter.summary) — \(starter.firstDivergence ?? "-")")
    #expect(!starter.passed)
    #expect((starter.firstDivergence ?? "").count > 20)
    let solution = try ExerciseCommand.check(entry, source: catalog.solutionFile(entry), catalog: catalog, model: checkpoint, api: nil)
    print("\(name) solution: \(solution.summary)")
    #expect(solution.passed)
    #expect(!entry.hints(.en).isEmpty && entry.hints(.en).count == entry.hints(.zh).count)
    // The learner's file ships as the starter.
    #expect(catalog.isUntouched(entry), "Lessons/exercises/\(name).swift must equal starters/\(name).swift in the repository")
}

@Test func aCrashingExerciseIsReportedNotFatal() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry("top_p")
    let crash = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(getpid()).swift")
    try "func topP(_ probs: [Double], p: Double) -> [Double] { [probs[probs.count]] }\n".write(to: crash, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: crash) }
    let verdict = try ExerciseCommand.check(entry, source: crash, catalog: catalog, model: checkpoint, api: nil)
    print("crash: \(verdict.firstDivergence ?? "-")")
    #expect(!verdict.passed)
    #expect(verdict.firstDivergence?.contains("crashed") == true)
}

@Test func aFileThatDoesNotCompileShowsTheCompilerMessage() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry("top_p")
    let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(getpid()).swift")
    try "func topP(_ probs: [Double], p: Double) -> [Double] { return nope }\n".write(to: broken, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: broken) }
    #expect {
        _ = try ExerciseCommand.check(entry, source: broken, catalog: catalog, model: checkpoint, api: nil)
    } throws: { error in
        "\(error)".contains("does not compile") && "\(error)".contains("nope")
    }
}
