// LabRun (Tests/Support), the runner the tests start lmlab with: a child past its deadline is killed and said to have
// timed out rather than hanging the run, and one that writes more than a pipe holds to both outputs does not stall.
import Foundation
import LabTestSupport
import Testing

@Test func aChildPastItsDeadlineIsKilledAndSaidToHaveTimedOut() throws {
    let started = Date()
    let child = try LabChild.start(["/bin/sh", "-c", "echo begun >&2; exec sleep 60"], deadline: 1)
    #expect(child.wait(upTo: 10) { $0.stderr.contains("begun") }, "what it says is read while it runs")
    var caught: LabRunTimeout?
    do { _ = try child.finish() } catch let timeout as LabRunTimeout { caught = timeout }
    let seconds = Date().timeIntervalSince(started)
    let timeout = try #require(caught, "finish throws once the deadline has passed")
    #expect(seconds < 15, "killed at its 1 s deadline, not after its 60 s sleep: \(seconds) s")
    #expect(timeout.description.hasPrefix("`sh -c 'echo begun >&2; exec sleep 60'` did not end within 1 s"), "\(timeout)")
    #expect(timeout.stderr == "begun\n" && child.hasEnded)
    #expect(kill(child.pid, 0) != 0, "killed and reaped")
}

@Test func aChildWritingMegabytesToBothOutputsDoesNotStall() throws {
    // stderr first: a runner that read stdout to its end before stderr would wait forever on a full stderr pipe.
    let script = "head -c 1500000 /dev/zero | tr '\\0' e >&2; head -c 1200000 /dev/zero | tr '\\0' o; "
        + "head -c 1100000 /dev/zero | tr '\\0' e >&2; exit 3"
    let run = try LabRun.run(["/bin/sh", "-c", script], deadline: 60)
    #expect(run.ending == .exit(3) && run.exitCode == 3 && run.signal == nil)
    #expect(run.stdout.utf8.count == 1_200_000 && run.stdout.allSatisfy { $0 == "o" })
    #expect(run.stderr.utf8.count == 2_600_000 && run.stderr.allSatisfy { $0 == "e" })
}

@Test func aChildGetsItsInputEnvironmentAndFolder() throws {
    let folder = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
    let home = try #require(ProcessInfo.processInfo.environment["HOME"], "the tests run with a HOME")
    let script = "cat; echo \"[$LAB_RUN_TEST_SET][${HOME-unset}]\"; pwd"
    let run = try LabRun.run(["/bin/sh", "-c", script], input: "one\ntwo\n", environment: ["LAB_RUN_TEST_SET": "set"],
                             removing: ["HOME"], directory: folder)
    #expect(run.stdout == "one\ntwo\n[set][unset]\n\(folder)\n" && run.exitCode == 0, "\(run.stdout)")
    let inherited = try LabRun.run(["/bin/sh", "-c", "echo \"$HOME\""])
    #expect(inherited.stdout == home + "\n", "\(inherited.stdout)")
    let bare = try LabRun.run(["/usr/bin/env"], environment: ["ONLY": "this"], inheritEnvironment: false)
    #expect(bare.stdout == "ONLY=this\n", "\(bare.stdout)")
    let unread = try LabRun.run(["/bin/true"], input: ChildInput(bytes: [UInt8](repeating: 0x78, count: 1_000_000)))
    #expect(unread.exitCode == 0, "input nobody reads costs the test no SIGPIPE")
}

@Test func aSignalledChildEndsBySignal() throws {
    let child = try LabChild.start(["/bin/sh", "-c", "echo ready; exec sleep 60"])
    #expect(child.wait(upTo: 10) { $0.stdout == "ready\n" })
    child.send(SIGTERM)
    let run = try child.finish(within: 10)
    #expect(run.ending == .signal(SIGTERM) && run.exitCode == nil, "\(run)")
}
