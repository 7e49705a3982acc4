// Ctrl-C during `exercise check` in the REPL cancels the check: it is said as cancelled ("已取消"), not as a failed
// check with "卡住了？", progress.json does not count it, and the REPL goes on. The REPL runs in its own `lmlab`
// process and gets a real SIGINT: the cancel flag is process-wide, and a Ctrl-C raised inside the test process was
// taken by other tests running beside it (a training test stopped "cancelled") while this one waited for it in vain.
import Foundation
import Lab
import LabCore
import LabExercises
import Testing

@Test func ctrlCDuringACheckCancelsItAndIsNotCounted() throws {
    guard let binary = builtLmlab() else {
        print("SKIPPED ctrlCDuringACheckCancelsItAndIsNotCounted: no built lmlab next to the tests (run swift build first).")
        return
    }
    let catalog = try scratchExercises()
    let scratch = catalog.directory.deletingLastPathComponent().deletingLastPathComponent()    // holds Lessons/
    defer { try? FileManager.default.removeItem(at: scratch) }
    let entry = try catalog.entry("softmax")
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
    let errURL = scratch.appendingPathComponent("err.txt")
    try Data().write(to: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["repl"]
    process.environment = ProcessInfo.processInfo.environment.merging(
        ["LMLAB_HOME": scratch.path, "XDG_STATE_HOME": state.path, "LMLAB_LANG": "zh"]) { $1 }
    process.currentDirectoryURL = scratch
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: Data("exercise check softmax\nexit\n".utf8))
    let deadline = Date().addingTimeInterval(120)
    while !FileManager.default.fileExists(atPath: started.path) && process.isRunning && Date() < deadline { usleep(20_000) }
    let signalled = Date()
    kill(process.processIdentifier, SIGINT)                       // Ctrl-C while the learner's program runs
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning { process.terminate() }
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    #expect(process.terminationReason == .exit && process.terminationStatus == 0, "the REPL went on to `exit`: \(err)")
    #expect(err.contains("已取消") && !err.contains("卡住了"), "\(err)")
    #expect(Date().timeIntervalSince(signalled) < 25, "cancelled, not stopped by the 30 s deadline")
    #expect(ProgressStore(directory: state.appendingPathComponent("lmlab")).exercise("softmax").checks == 0,
            "a cancelled check is not counted")
}
