// A tiny-ERNIE checkpoint is saved as one set (CheckpointSet): every state a save can be interrupted in leaves the
// old set or the new one, and a set that is incomplete or mixed is refused with a message naming the file — never
// loaded. Interruptions are simulated by building the folders a crash would leave.
import Foundation
import LabCore
import Testing
@testable import ErnieTraining

/// A trainer after `steps` steps on the toy stream, with its checkpoint saved in a fresh folder.
private func savedRun(steps: Int, tag: String) throws -> (trainer: TinyErnieTrainer, folder: URL) {
    let options = TrainingOptions(steps: 10, batchSize: 2, learningRate: 3e-3, minLearningRate: 3e-4, warmupSteps: 2, seed: 5)
    let trainer = TinyErnieTrainer(model: try TinyErnie(config: smallConfig(), seed: 9), options: options)
    let stream = try toyStream()
    for _ in 0..<steps { trainer.trainStep(stream) }
    let root = temporaryFolder(tag)
    let folder = root.appendingPathComponent("checkpoint")
    try trainer.saveCheckpoint(to: folder)
    return (trainer, folder)
}

private func expectRefused(_ folder: URL, saying parts: [String]) {
    #expect {
        _ = try TinyErnieTrainer.resume(from: folder)
    } throws: { error in
        let text = "\(error)"
        print(text)
        return parts.allSatisfy(text.contains) && text.contains("HINT:")
    }
}

@Test func aSavedSetHasItsManifestAndNoLeftovers() throws {
    let (trainer, folder) = try savedRun(steps: 2, tag: "set-layout")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            == ["config.json", "manifest.json", "model.safetensors", "optimizer.safetensors", "trainer.json"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path) == ["checkpoint"],
            "no .next or .prev left beside it")
    // Saving again replaces the set as a whole.
    trainer.trainStep(try toyStream())
    try trainer.saveCheckpoint(to: folder)
    #expect(try TinyErnieTrainer.resume(from: folder).step == 3)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path) == ["checkpoint"])
}

@Test func aSetMissingItsManifestOrAFileIsRefused() throws {
    let (_, folder) = try savedRun(steps: 2, tag: "set-incomplete")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let optimizer = folder.appendingPathComponent("optimizer.safetensors")
    let kept = try Data(contentsOf: optimizer)
    try FileManager.default.removeItem(at: optimizer)
    expectRefused(folder, saying: ["\(optimizer.path): is missing, though manifest.json lists it", "incomplete"])
    try kept.prefix(kept.count / 2).write(to: optimizer)                    // cut short
    expectRefused(folder, saying: ["\(optimizer.path): has \(kept.count / 2) bytes, manifest.json says \(kept.count)"])
    try kept.write(to: optimizer)
    #expect(try TinyErnieTrainer.resume(from: folder).step == 2)
    let manifest = folder.appendingPathComponent("manifest.json")
    try FileManager.default.removeItem(at: manifest)
    expectRefused(folder, saying: ["\(manifest.path): is missing, so the checkpoint is incomplete", "optimizer.safetensors"])
}

@Test func filesOfTwoSavesAreNotLoadedAsOne() throws {
    let (trainer, folder) = try savedRun(steps: 2, tag: "set-mixed")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let older = folder.deletingLastPathComponent().appendingPathComponent("older")
    try FileManager.default.copyItem(at: folder, to: older)
    trainer.trainStep(try toyStream())
    try trainer.saveCheckpoint(to: folder)
    // The step-2 moments beside the step-3 weights: same sizes, so only the steps can tell.
    let optimizer = folder.appendingPathComponent("optimizer.safetensors")
    try FileManager.default.removeItem(at: optimizer)
    try FileManager.default.copyItem(at: older.appendingPathComponent("optimizer.safetensors"), to: optimizer)
    expectRefused(folder, saying: ["\(optimizer.path): holds the moments of step 2, trainer.json is at step 3", "mixed"])
    // The older trainer.json: its loss curve differs in size, which the manifest catches ...
    let record = folder.appendingPathComponent("trainer.json")
    let newer = try String(contentsOf: record, encoding: .utf8)
    try FileManager.default.removeItem(at: record)
    try FileManager.default.copyItem(at: older.appendingPathComponent("trainer.json"), to: record)
    expectRefused(folder, saying: ["\(record.path): has ", "manifest.json says", "cut short or replaced"])
    // ... and a step rewritten in place (same size) is caught by the step.
    try newer.replacingOccurrences(of: "\"step\" : 3", with: "\"step\" : 2").write(to: record, atomically: true, encoding: .utf8)
    expectRefused(folder, saying: ["\(record.path): is at step 2, manifest.json at step 3", "mixed"])
}

@Test func aSaveInterruptedAtAnyPointLeavesTheOldOrTheNewSet() throws {
    let (trainer, folder) = try savedRun(steps: 2, tag: "set-crash")
    let root = folder.deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: root) }
    let next = root.appendingPathComponent("checkpoint.next"), previous = root.appendingPathComponent("checkpoint.prev")
    let stream = try toyStream()

    // Killed while writing the new files: a half-written .next (no manifest) beside the intact old set.
    try FileManager.default.createDirectory(at: next, withIntermediateDirectories: true)
    try Data("{\"step\": 3".utf8).write(to: next.appendingPathComponent("trainer.json"))
    #expect(try TinyErnieTrainer.resume(from: folder).step == 2, "the old set")

    // Killed between the two renames: the old set as .prev, the complete new one as .next, no checkpoint.
    try FileManager.default.removeItem(at: next)
    trainer.trainStep(stream)
    try trainer.saveCheckpoint(to: next)
    try FileManager.default.moveItem(at: folder, to: previous)
    #expect(try TinyErnieTrainer.resume(from: folder).step == 3, "the new set, read from .next")
    // The next save puts it in place first and clears the leftovers.
    trainer.trainStep(stream)
    try trainer.saveCheckpoint(to: folder)
    #expect(try TinyErnieTrainer.resume(from: folder).step == 4)
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["checkpoint"])

    // Killed after the second rename: the new set in place, the old one still as .prev.
    try FileManager.default.copyItem(at: folder, to: previous)
    #expect(try TinyErnieTrainer.resume(from: folder).step == 4)
}

@Test func resumingWhereNothingWasSavedSaysSo() throws {
    let folder = temporaryFolder("set-none").appendingPathComponent("checkpoint")
    #expect(throws: TinyErnieError.noCheckpoint(folder: folder.path)) { _ = try TinyErnieTrainer.resume(from: folder) }
    print(TinyErnieError.noCheckpoint(folder: folder.path))
    #expect("\(TinyErnieError.noCheckpoint(folder: folder.path))".contains("HINT: leave out --resume"))
}
