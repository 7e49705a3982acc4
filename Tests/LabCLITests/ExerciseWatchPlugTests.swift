// `exercise watch` sees a save within 2 s and checks the file again; `exercise plug` runs the lab on a passing
// exercise (here the reference solutions) beside the lab's own, and refuses a failing one.
import Foundation
import Lab
@testable import LabExercises
import LabTestSupport
import Testing
@testable import LabCLI

@Test func theWatcherSeesASaveWithinTwoSeconds() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("watched-\(getpid()).swift")
    try "func f() {}\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let watcher = ExerciseWatcher(files: [file])
    #expect(watcher.changed().isEmpty)
    // Timed from the moment the save is done, not from when it was scheduled: under load the dispatch itself can
    // start late (a run measured 2.08 s that way).
    final class SaveTime: @unchecked Sendable { let lock = NSLock(); var at: Date? }
    let saved = SaveTime()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
        try? "func f() { print(1) }\n".write(to: file, atomically: true, encoding: .utf8)
        saved.lock.lock(); saved.at = Date(); saved.lock.unlock()
    }
    let changed = watcher.next(timeout: 10)
    let seen = Date()
    saved.lock.lock(); let savedAt = saved.at ?? seen; saved.lock.unlock()
    let seconds = seen.timeIntervalSince(savedAt)
    print(String(format: "the watcher saw the save after %.2f s", seconds))
    #expect(changed == [file])
    #expect(seconds < 2)
    #expect(watcher.changed().isEmpty, "one save is one change")
}

/// `lmlab exercise watch top_p --checks 1` in a scratch project: it notices the save and checks the new file.
@Test func watchChecksAgainAfterASave() throws {
    guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary next to the tests"); return }
    let catalog = try scratchExercises()
    let home = catalog.directory.deletingLastPathComponent().deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: home) }
    let watch = try LabChild.start([lmlab, "exercise", "watch", "top_p", "--checks", "1", "--lang", "en"], environment: [
        "LMLAB_HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
    ], deadline: 240)
    func readUntil(_ marker: String, seconds: Double) -> Bool {
        watch.wait(upTo: seconds) { ($0.stdout + $0.stderr).contains(marker) }
    }
    #expect(readUntil("Watching", seconds: 60))
    let entry = try catalog.entry("top_p")
    let saved = Date()
    try Data(contentsOf: catalog.solutionFile(entry)).write(to: catalog.workFile(entry))
    #expect(readUntil("saved top_p.swift", seconds: 10))
    let noticed = Date().timeIntervalSince(saved)
    #expect(readUntil("✓ passed", seconds: 120), "watch did not check the saved file: \(watch.stdout + watch.stderr)")
    let run = try watch.finish()
    print(String(format: "watch noticed the save after %.2f s and checked it in %.1f s", noticed, Date().timeIntervalSince(saved)))
    #expect(noticed < 2)
    #expect(run.exitCode == 0)
}

@Test(arguments: ["softmax", "temperature", "top_k", "top_p", "min_p", "greedy_decoder", "add_k", "chat_template", "rms_norm"])
func plugRunsTheLabOnAPassingExercise(_ name: String) throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry(name)
    let plug = try ExerciseCommand.Plug.parse([name, "--model", exerciseCheckpoint, "--prompt", "The dog says", "--lang", "en"])
    let solution = try ExerciseBuild.compile(source: catalog.solutionFile(entry), harness: catalog.harnessFile(entry))
    defer { solution.remove() }
    let lines = try plug.lab.report(entry, build: solution, catalog: catalog)
    print(lines.joined(separator: "\n"))
    #expect(lines.first?.contains("passes its check") == true)
    let text = lines.joined(separator: "\n")
    switch name {
    case "greedy_decoder": #expect(text.contains("identical, token for token"))
    case "add_k": #expect(lines.filter { $0.contains("P(") }.count >= 3)
    case "chat_template": #expect(text.contains("the same") && text.contains("token ids"))
    case "rms_norm":
        #expect(lines.filter { $0.contains("input_layernorm") }.count >= 1 && text.contains("model.norm"))
        let next = lines.last ?? ""
        let labToken = next.components(separatedBy: "final norm ").last?.components(separatedBy: ", from yours ").first
        #expect(labToken != nil && labToken == next.components(separatedBy: ", from yours ").last, "the learner's final norm predicts another token: \(next)")
    default:
        #expect(text.contains("largest difference"))
        // One seeded draw from each: equal distributions give the same token.
        let draw = lines.first { $0.contains("one draw with seed") } ?? ""
        let parts = draw.components(separatedBy: "→ ")
        #expect(parts.count == 3 && parts[1].components(separatedBy: ",").first == parts[2])
    }
}

@Test func plugRefusesAFailingExercise() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry("top_k")
    let plug = try ExerciseCommand.Plug.parse(["top_k", "--model", exerciseCheckpoint])
    let starter = try ExerciseBuild.compile(source: catalog.starterFile(entry), harness: catalog.harnessFile(entry))
    defer { starter.remove() }
    #expect { _ = try plug.lab.report(entry, build: starter, catalog: catalog) } throws: { "\($0)".contains("does not pass its check yet") && "\($0)".contains("HINT") }
}

extension LessonRunTests {
    /// A cell cannot wait for Ctrl-C: `exercise watch` in a lesson says to run it in a terminal instead.
    @Test func exerciseWatchInACellSaysToRunItInATerminal() throws {
        let executor = LessonCellExecutor(capture: true, environment: ProcessInfo.processInfo.environment)
        let status = executor.execute("exercise watch top_p", ask: nil) { _ in }
        guard case .failed(let message) = status else { Issue.record("exercise watch ran in a cell"); return }
        print(message)
        #expect(message.contains("lmlab exercise watch") && message.contains("HINT"))
    }
}

/// `exercise plug greedy_decoder`: a story's second line is indented under its label's text (walk 15, finding 14),
/// in both languages' label widths.
@Test func aPluggedGenerationsNextLineStaysUnderItsText() {
    let story = "One day, Luna went to the park with her father.\nIt was raining, and Luna was sleepy."
    #expect(ExercisePlug.labelled("the lab", story)
            == "  the lab One day, Luna went to the park with her father.\n"
               + "          It was raining, and Luna was sleepy.")
    #expect(ExercisePlug.labelled("实验室", "一天。\n下雨了。") == "  实验室  一天。\n          下雨了。")
}
