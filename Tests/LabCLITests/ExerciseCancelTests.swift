// Ctrl-C during `exercise check` cancels the check: it is said as cancelled ("已取消"), not as a failed check with
// "卡住了？", progress.json does not count it, the learner's program is gone, and the REPL goes on (the command line
// ends 130). lmlab runs in its own process and gets a real SIGINT: the cancel flag is process-wide, and a Ctrl-C
// raised inside the test process was taken by other tests running beside it (a training test stopped "cancelled")
// while this one waited for it in vain. On the command line a SIGINT to lmlab alone used to leave the program running.
import Foundation
import Lab
import LabCore
import LabExercises
import Testing

@Test(arguments: [true, false])
func ctrlCDuringACheckCancelsItAndIsNotCounted(inRepl: Bool) throws {
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
    // The learner's softmax says it was called (with its process id), then waits forever.
    try """
    import Foundation
    func softmax(_ logits: [Double]) -> [Double] {
        FileManager.default.createFile(atPath: "\(started.path)", contents: Data(String(getpid()).utf8))
        while !FileManager.default.fileExists(atPath: "\(never.path)") { usleep(10_000) }
        return logits
    }
    """.write(to: catalog.workFile(entry), atomically: true, encoding: .utf8)
    let errURL = scratch.appendingPathComponent("err.txt")
    try Data().write(to: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = inRepl ? ["repl"] : ["exercise", "check", "softmax"]
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
    #expect(process.terminationReason == .exit && process.terminationStatus == (inRepl ? 0 : 130),
            inRepl ? "the REPL went on to `exit`: \(err)" : "the command line ends 130: \(err)")
    let program = Int32((try? String(contentsOf: started, encoding: .utf8)) ?? "") ?? 0
    #expect(program > 0 && kill(program, 0) != 0, "the learner's program \(program) is not left running")
    #expect(err.contains("已取消") && !err.contains("卡住了"), "\(err)")
    #expect(Date().timeIntervalSince(signalled) < 25, "cancelled, not stopped by the 30 s deadline")
    #expect(ProgressStore(directory: state.appendingPathComponent("lmlab")).exercise("softmax").checks == 0,
            "a cancelled check is not counted")
}
