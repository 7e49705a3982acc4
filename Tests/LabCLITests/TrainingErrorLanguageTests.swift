// A Chinese learner's training run that cannot start, resume or save says why in Chinese: a folder that cannot be
// made where --out points, a --resume with no checkpoint, a checkpoint whose files do not belong together, training
// data that is missing or too short for --seq. Built under `.en` and `.zh` as in OptionErrorLanguageTests; the
// system's own words (strerror) stay as they come.
import ErnieTraining
import Foundation
import LabCore
import LabTestSupport
import Testing

@Test func trainingRunErrorsSpeakTheLearnersLanguage() {
    let errors: [TinyErnieError] = [
        .missingTensor(file: "model.safetensors", name: "w"),
        .unexpectedTensor(file: "model.safetensors", name: "w"),
        .wrongShape(file: "model.safetensors", name: "w", shape: [1], expected: [2]),
        .noCheckpoint(folder: "/runs/x"),
    ]
    for error in errors { expectBothLanguages("\(error)") { throw error } }
    // The reasons are worded where the error is made: build them under each language.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-ckpt-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    expectBothLanguages("a checkpoint that is a file") {
        try Data("x".utf8).write(to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try TinyErnieTrainer.resume(from: folder)
    }
    expectBothLanguages("a checkpoint folder without its manifest") {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try TinyErnieTrainer.resume(from: folder)
    }
    expectBothLanguages("--seq longer than the corpus") { _ = try TokenStream(tokens: [1, 2, 3], sequenceLength: 8) }
}

@Test func aFolderThatCannotBeMadeIsSaidInTheLearnersLanguage() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-fs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("model")
    try Data("x".utf8).write(to: file)
    for target in [file, file.appendingPathComponent("checkpoint")] {
        expectBothLanguages("a file in the way of \(target.lastPathComponent)") {
            try createFolder(target, for: Learner.text("the checkpoint", "检查点"))
        }
    }
}
