// Ctrl-C during `exercise check` cancels the check: it is said as cancelled (the REPL's "已取消。", a cell's
// "■ 已取消（Ctrl-C）"), not as a failed check with "卡住了？", and progress.json does not count it.
import Foundation
import Lab
import LabCore
import LabExercises
import Testing

@Test func ctrlCDuringACheckCancelsItAndIsNotCounted() throws {
    let catalog = try scratchExercises()
    defer { try? FileManager.default.removeItem(at: catalog.directory.deletingLastPathComponent().deletingLastPathComponent()) }
    let entry = try catalog.entry("softmax")
    let scratch = catalog.directory.deletingLastPathComponent()
    let started = scratch.appendingPathComponent("started"), state = scratch.appendingPathComponent("state")
    let never = scratch.appendingPathComponent("never")
    // The learner's softmax says it was called, then waits forever.
    try """
    import Foundation
    func softmax(_ logits: [Double]) -> [Double] {
        FileManager.default.createFile(atPath: "\(started.path)", contents: nil)
        while !FileManager.default.fileExists(atPath: "\(never.path)") { usleep(10_000) }
        return logits
    }
    """.write(to: catalog.workFile(entry), atomically: true, encoding: .utf8)
    Thread.detachNewThread {
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: started.path) && Date() < deadline { usleep(20_000) }
        Cancellation.request()                                   // Ctrl-C while the learner's program runs
    }
    let store = { ProgressStore(directory: state) }
    let start = Date()
    #expect(throws: CancellationRequested.self) {
        _ = try ExerciseChecker.checkAndRecord(entry, source: catalog.workFile(entry), catalog: catalog,
                                               model: exerciseCheckpoint, api: nil, progress: store, lang: .zh)
    }
    #expect(Date().timeIntervalSince(start) < 60, "cancelled, not stopped by the 30 s deadline")
    #expect(store().exercise("softmax").checks == 0, "a cancelled check is not counted")
    #expect(!Cancellation.isRequested, "the cancel was consumed by the check")
}
