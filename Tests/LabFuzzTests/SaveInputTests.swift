// Saving the input that broke a parser: the file is what replay reads back, and a crash folder that cannot take
// it stops the run with the path, rather than losing the find.
import Foundation
import LabCore
import Testing
@testable import LabFuzz

@Test func aSavedInputIsReplayableByItsHashName() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let input: [UInt8] = Array("{\"a\": 1}".utf8)
    let url = try saveInput(input, target: "config", how: "contract", in: folder)
    #expect(url.lastPathComponent == "config-contract-\(fnv1a(input)).bin")
    #expect(try Data(contentsOf: url) == Data(input))
}

@Test func aCrashFolderThatCannotTakeTheInputIsAnErrorNamingThePath() throws {
    // A "folder" inside a regular file: no write can succeed there, whoever runs the test.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-save-\(UUID().uuidString)")
    try Data("not a folder".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let crashDir = file.appendingPathComponent("crashes")
    do {
        let url = try saveInput([1, 2, 3], target: "safetensors", how: "signal11", in: crashDir)
        Issue.record("saved to \(url.path)")
    } catch let error as FileSystemProblem {
        let message = error.description
        print(message)
        #expect(message.contains(crashDir.appendingPathComponent("safetensors-signal11-").path), "\(message)")
        #expect(message.contains(String(cString: strerror(ENOTDIR))), "the reason in words: \(message)")
        #expect(message.contains("HINT: pass a writable --crash-dir"), "\(message)")
    }
}
