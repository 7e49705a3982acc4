// Ctrl-C during `exercise check` cancels the check: it is said as cancelled ("已取消"), not as a failed check with
// "卡住了？", progress.json does not count it, the learner's program is gone, and the REPL goes on (the command line
// ends 130). lmlab runs in its own process and gets a real SIGINT: the cancel flag is process-wide, and a Ctrl-C
// raised inside the test process was taken by other tests running beside it (a training test stopped "cancelled")
// while this one waited for it in vain. On the command line a SIGINT to lmlab alone used to leave the program running.
import Foundation
import Lab
import LabCore
import LabExercises
import LabTestSupport
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
    let lmlab = try LabChild.start([binary] + (inRepl ? ["repl"] : ["exercise", "check", "softmax"]),
                                   input: "exercise check softmax\nexit\n",
                                   environment: ["LMLAB_HOME": scratch.path, "XDG_STATE_HOME": state.path, "LMLAB_LANG": "zh"],
                                   directory: scratch.path, deadline: 120)
    _ = lmlab.wait(upTo: 120) { _ in FileManager.default.fileExists(atPath: started.path) }
    let signalled = Date()
    lmlab.send(SIGINT)                                            // Ctrl-C while the learner's program runs
    let run = try lmlab.finish(), err = run.stderr
    #expect(run.ending == .exit(inRepl ? 0 : 130),
            inRepl ? "the REPL went on to `exit`: \(err)" : "the command line ends 130: \(err)")
    let program = Int32((try? String(contentsOf: started, encoding: .utf8)) ?? "") ?? 0
    #expect(program > 0 && kill(program, 0) != 0, "the learner's program \(program) is not left running")
    #expect(err.contains("已取消") && !err.contains("卡住了"), "\(err)")
    #expect(Date().timeIntervalSince(signalled) < 25, "cancelled, not stopped by the 120 s deadline")
    #expect(ProgressStore(directory: state.appendingPathComponent("lmlab")).exercise("softmax").checks == 0,
            "a cancelled check is not counted")
}

/// Ctrl-C while the exercise compiles stops the compiler at once and removes the build folder, where the compile ran
/// to its end (a third Ctrl-C ended the lab and left `/tmp/lmlab-exercise-*` behind). In-process, with the cancel of
/// a scope of its own (as the notebook's cell), so no other test sees it; the compiler stands in for a slow swiftc.
@Test func ctrlCDuringTheCompileStopsTheCompilerAndRemovesTheFolder() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-slow-swiftc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let arguments = dir.appendingPathComponent("arguments"), source = dir.appendingPathComponent("mine.swift")
    let compiler = dir.appendingPathComponent("swiftc")
    try "#!/bin/sh\necho \"$@\" > \(arguments.path).tmp\nmv \(arguments.path).tmp \(arguments.path)\nsleep 60\n"
        .write(to: compiler, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: compiler.path)
    try "func f() {}\n".write(to: source, atomically: true, encoding: .utf8)
    let scope = CancellationScope()
    DispatchQueue.global().async {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: arguments.path) && Date() < deadline { usleep(10_000) }
        Cancellation.request(in: scope)                              // Ctrl-C once the compiler runs
    }
    let start = Date()
    let outcome = Cancellation.$scope.withValue(scope) {
        Result { try ExerciseBuild.compile(source: source, harness: source, swiftc: compiler.path) }
    }
    let seconds = Date().timeIntervalSince(start)
    let words = ((try? String(contentsOf: arguments, encoding: .utf8)) ?? "").split(separator: " ")
    let folder = words.firstIndex(of: "-o").map {
        URL(fileURLWithPath: String(words[$0 + 1])).deletingLastPathComponent()
    }
    let left = folder.map { FileManager.default.fileExists(atPath: $0.path) }
    print(String(format: "Ctrl-C during the compile: stopped after %.2f s; build folder %@ left: %@", seconds,
                 folder?.path ?? "?", left.map { $0 ? "yes" : "no" } ?? "?"))
    #expect(throws: CancellationRequested.self) { try outcome.get() }
    #expect(seconds < 10, "the compiler was stopped, not waited for")
    #expect(left == false, "the build folder is removed")
}

/// A lab killed mid-check (its terminal closed: SIGHUP) takes the learner's program with it: an endless loop used to
/// spin on at 99 % CPU with no deadline once the lab that watched it was gone (w17 exercise walk 2). The harness's
/// wire code ends the program when its parent changes.
@Test func aLabKilledMidCheckTakesTheLearnersProgramWithIt() throws {
    guard let binary = builtLmlab() else {
        print("SKIPPED aLabKilledMidCheckTakesTheLearnersProgramWithIt: no built lmlab next to the tests.")
        return
    }
    let catalog = try scratchExercises()
    let scratch = catalog.directory.deletingLastPathComponent().deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let started = scratch.appendingPathComponent("started")
    try """
    import Foundation
    func softmax(_ logits: [Double]) -> [Double] {
        FileManager.default.createFile(atPath: "\(started.path)", contents: Data(String(getpid()).utf8))
        var x = 0.0
        while true { x += 1 }
    }
    """.write(to: catalog.workFile(try catalog.entry("softmax")), atomically: true, encoding: .utf8)
    let lmlab = try LabChild.start([binary, "exercise", "check", "softmax"],
                                   environment: ["LMLAB_HOME": scratch.path, "XDG_STATE_HOME": scratch.appendingPathComponent("state").path],
                                   directory: scratch.path, deadline: 120)
    _ = lmlab.wait(upTo: 120) { _ in FileManager.default.fileExists(atPath: started.path) }
    let program = Int32((try? String(contentsOf: started, encoding: .utf8)) ?? "") ?? 0
    #expect(program > 0 && kill(program, 0) == 0, "the learner's program runs")
    lmlab.send(SIGHUP)
    let run = try lmlab.finish()
    #expect(run.ending == .signal(SIGHUP), "\(run)")
    let gone = Date().addingTimeInterval(10)
    while program > 0, kill(program, 0) == 0, Date() < gone { usleep(50_000) }
    let alive = program > 0 && kill(program, 0) == 0
    if alive { kill(program, SIGKILL) }
    #expect(!alive, "the learner's program \(program) outlived the lab")
}
