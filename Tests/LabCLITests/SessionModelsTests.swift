// Named models in a session: `load NAME MODEL` in one cell, `--model NAME` in the next; the model is loaded once
// and reused, a retrained model (newer weights file) is read again, and bad names and models give clear errors.
import Foundation
import Testing
@testable import Lab
@testable import LabCLI

private let tinyErnie = shippedTinyErnie

private func run(_ executor: LessonCellExecutor, _ line: String) -> (CommandStatus, String) {
    var text = ""
    let status = executor.execute(line) { text += $0 }
    return (status, text)
}

@Test func aNamedModelServesLaterCommandsAndIsLoadedOnce() throws {
    let executor = LessonCellExecutor(capture: true)
    let name = "base\(UInt32.random(in: 0..<1_000_000))"
    defer { SessionModels.shared.forget(name) }
    var (status, text) = run(executor, "load \(name) \(tinyErnie)")
    #expect(status == .ok && text.contains("\(name) → \(tinyErnie): 4 layers"), "\(text)")
    (status, text) = run(executor, "prob \"The cat says meow.\" --model \(name) --bos")
    #expect(status == .ok && text.contains("▁meow"), "\(text)")
    (status, text) = run(executor, "load")
    #expect(text.contains("\(name) → \(tinyErnie)"))

    // Loaded once: the same engine object comes back for the name and for the path.
    let a = try ModelLoader.load(name), b = try ModelLoader.load(tinyErnie)
    #expect(a.model === b.model)

    (status, text) = run(executor, "load --forget \(name)")
    #expect(text.contains("forgotten"))
    (status, _) = run(executor, "prob hi --model \(name)")
    guard case .failed(let message) = status else { Issue.record("a forgotten name still resolves"); return }
    #expect(message.contains("not found"))
}

@Test func aRetrainedModelIsReadAgain() throws {
    // A copy of the tiny model whose weights file is touched: the kept model is dropped for the new one.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-session-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: tinyErnie, toPath: dir.path)
    defer { try? FileManager.default.removeItem(at: dir) }
    let first = try ModelLoader.load(dir.path)
    #expect(try ModelLoader.load(dir.path).model === first.model, "unchanged: reused")
    let weights = dir.appendingPathComponent("model.safetensors")
    try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: weights.path)
    #expect(try ModelLoader.load(dir.path).model !== first.model, "newer weights: loaded again")

    // A mended tokenizer file counts as a change too.
    let second = try ModelLoader.load(dir.path)
    let tokenizerConfig = dir.appendingPathComponent("tokenizer_config.json")
    try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: tokenizerConfig.path)
    #expect(try ModelLoader.load(dir.path).model !== second.model, "newer tokenizer_config.json: loaded again")
}

@Test func loadRefusesBadNamesAndReportsMissingModels() {
    let executor = LessonCellExecutor(capture: true)
    for (line, needle) in [("load a/b tiny-ernie", "not a usable name"), ("load base", "give the model too"),
                           ("load base no-such-model-xyz", "not found"), ("load --forget", "--forget takes just the NAME")] {
        let (status, _) = run(executor, line)
        guard case .failed(let message) = status else { Issue.record("\(line) should fail"); continue }
        #expect(message.contains(needle), "\(line): \(message)")
    }
}
