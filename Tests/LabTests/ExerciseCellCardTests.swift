// ExerciseCellCard: where the learner stands is read from the file and progress.json (not started, edited and not
// passing, passed, passed once but changed or failing since, missing), and the card shows a multi-line signature as
// one line.
import Foundation
import LabCore
import Testing
@testable import Lab

/// A one-exercise catalog in a temporary folder: `f`, whose starter declares its function over two lines.
private func oneExercise() throws -> (ExerciseCatalog, ExerciseEntry) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-card-\(UUID().uuidString)/exercises")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("starters"), withIntermediateDirectories: true)
    try """
    {"exercises": [{"name": "f", "lesson": 4, "title": {"en": "Eff", "zh": "函数 f"},
      "checks": {"en": "yours against the lab's", "zh": "与实验室的比较"}, "hints": {"en": ["a"], "zh": ["甲"]}}]}
    """.write(to: dir.appendingPathComponent("exercises.json"), atomically: true, encoding: .utf8)
    let starter = "// Exercise f.\nimport Foundation\n\nfunc f(x: [Double],\n       y: Int) -> Double {\n    0\n}\n"
    try starter.write(to: dir.appendingPathComponent("starters/f.swift"), atomically: true, encoding: .utf8)
    try starter.write(to: dir.appendingPathComponent("f.swift"), atomically: true, encoding: .utf8)
    let catalog = try ExerciseCatalog(directory: dir)
    return (catalog, try catalog.entry("f"))
}

@Test func theStandingComesFromTheFileAndTheLastCheck() throws {
    let (catalog, entry) = try oneExercise()
    defer { try? FileManager.default.removeItem(at: catalog.directory.deletingLastPathComponent()) }
    typealias S = ExerciseCellCard.Standing
    var state = ExerciseState()
    #expect(S.of(entry, catalog: catalog, state: state) == .notStarted)
    try "func f(x: [Double], y: Int) -> Double { 1 }\n".write(to: catalog.workFile(entry), atomically: true, encoding: .utf8)
    #expect(S.of(entry, catalog: catalog, state: state) == .notPassingYet(checks: 0))
    state.checks = 2
    #expect(S.of(entry, catalog: catalog, state: state) == .notPassingYet(checks: 2))
    let later = Date().addingTimeInterval(60)
    state.passed = later
    #expect(S.of(entry, catalog: catalog, state: state) == .passed(later))
    let earlier = Date().addingTimeInterval(-3600)
    state.passed = earlier
    #expect(S.of(entry, catalog: catalog, state: state) == .editedSincePassing(earlier), "the file changed after the pass")
    state.lastChecked = later
    #expect(S.of(entry, catalog: catalog, state: state) == .passed(earlier), "checked again after the change, and passed")
    state.lastFailure = "topK([1], k: 1): 0 ≠ 1"
    #expect(S.of(entry, catalog: catalog, state: state) == .editedSincePassing(earlier), "the last check failed")
    try FileManager.default.removeItem(at: catalog.workFile(entry))
    #expect(S.of(entry, catalog: catalog, state: state) == .missing)
    #expect(S.missing.line("f").contains("lmlab exercise reset f --yes"))
}

@Test func theCardShowsTheContractOnOneLineInTheLearnersLanguage() throws {
    let (catalog, _) = try oneExercise()
    defer { try? FileManager.default.removeItem(at: catalog.directory.deletingLastPathComponent()) }
    let en = try Learner.$language.withValue(.en) { try ExerciseCellCard.text("f", catalog: catalog, progress: ExerciseState()) }
    print(en)
    #expect(en.hasPrefix("✎ Exercise f (lesson 4): Eff\n"))
    #expect(en.contains("  contract  func f(x: [Double], y: Int) -> Double\n"))
    #expect(en.contains("  checks    yours against the lab's\n") && en.contains("not started"))
    #expect(en.hasSuffix("here, run: lmlab exercise check f\n"))
    let zh = try Learner.$language.withValue(.zh) { try ExerciseCellCard.text("f", catalog: catalog, progress: ExerciseState()) }
    print(zh)
    #expect(zh.hasPrefix("✎ 练习 f（第 4 课）：函数 f\n") && zh.contains("  约定：func f(x: [Double], y: Int) -> Double\n"))
    #expect(zh.split(separator: "\n").allSatisfy { line in line.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } },
            "every line of the zh card carries Chinese")
    let unknown = #expect(throws: ExerciseError.self) {
        try Learner.$language.withValue(.zh) { try ExerciseCellCard.text("g", catalog: catalog, progress: ExerciseState()) }
    }
    #expect(unknown?.description.contains("改正单元里的名字") == true)
}

/// At a cell's width (a headless run at the terminal's) the card is laid out by the lab: no line wider than the
/// width, a field's continuation under its value, and the command to run whole on a line of its own — the terminal
/// used to wrap the 150-cell contract and checks lines at its edge.
@Test(arguments: LessonLanguage.allCases)
func theCardFitsTheCellsWidth(_ language: LessonLanguage) throws {
    let (catalog, _) = try oneExercise()
    defer { try? FileManager.default.removeItem(at: catalog.directory.deletingLastPathComponent()) }
    let card = try Learner.$language.withValue(language) {
        try Learner.$columns.withValue(40) { try ExerciseCellCard.text("f", catalog: catalog, progress: ExerciseState()) }
    }
    print(card)
    let lines = card.split(separator: "\n").map(String.init)
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 40 }, "\(lines)")
    let contract = try #require(lines.firstIndex { $0.contains(language == .zh ? "约定：" : "contract") })
    let under = language == .zh ? "        " : "            "                                 // "  约定：" / "  contract  "
    #expect(lines[contract + 1].hasPrefix(under) && !lines[contract + 1].hasPrefix(under + " "), "\(lines)")
    #expect(lines.last == "  lmlab exercise check f", "\(lines)")
}
