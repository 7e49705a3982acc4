// Ctrl-C during beam, sample and generate stops the decoding within a step, and what was cut off is said as
// cancelled, never shown as a result (walk14a finding 1: the loops never checked, so the REPL printed the whole
// ranked list 5 s after ^C, saying nothing, and a notebook cell drew the full tree under "正在取消…"). The text
// streamed so far stays; a beam search shows the beams it had, ranked under the step it stopped at, and no tree
// (session 15); the REPL goes on. lmlab runs in its own process and gets a real SIGINT: the cancel flag is
// process-wide, and a Ctrl-C raised inside the test process would reach the tests running beside this one.
import Foundation
import LabTestSupport
import Testing

/// What an interrupted `lmlab` run left: its output, its exit, and the seconds from the SIGINT to its end.
private struct Interrupted {
    var out = "", err = "", status: Int32 = -1, afterSignal = 0.0
}

/// Runs `lmlab arguments` (Chinese, the project's models) with `input` on stdin, sends one SIGINT once its stdout
/// satisfies `ready` (and `delay` seconds more), and waits for it to end; nil without a built lmlab.
private func interrupted(_ arguments: [String], input: String = "", delay: Double = 0,
                         ready: @escaping (String) -> Bool) throws -> Interrupted? {
    guard let binary = builtLmlab() else {
        print("SKIPPED \(arguments.first ?? ""): no built lmlab next to the tests (run swift build first).")
        return nil
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-cancel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let lmlab = try LabChild.start([binary] + arguments, input: ChildInput(input), environment: [
        "LMLAB_HOME": projectRoot.path, "XDG_STATE_HOME": scratch.appendingPathComponent("state").path, "LMLAB_LANG": "zh",
    ], deadline: 120)
    _ = lmlab.wait(upTo: 120) { ready($0.stdout) }
    usleep(useconds_t(delay * 1_000_000))
    let signalled = Date()
    lmlab.send(SIGINT)                                              // Ctrl-C while the decoding runs
    let run = try lmlab.finish()
    return Interrupted(out: run.stdout, err: run.stderr, status: run.exitCode ?? -1, afterSignal: Date().timeIntervalSince(signalled))
}

/// A search far longer than the test waits: 64 beams for 1000 steps, never stopping early (about 20 s in a debug
/// build), so only a cancel ends it in time.
private let longBeam = "beam \"有一天\" --model tiny-ernie --beams 64 --steps 1000 --never-stop-early"

@Test func ctrlCStopsABeamSearchInTheReplAndSaysSo() throws {
    // `models` first: once its table is out, the REPL has read the beam line and is searching.
    guard let run = try interrupted(["repl"], input: "models\n\(longBeam)\nexit\n", delay: 0.5,
                                    ready: { $0.contains("tiny-ernie-moe") }) else { return }
    #expect(run.status == 0, "the REPL went on to `exit`: \(run.err)")
    #expect(run.err.contains("已取消"), "the REPL says it was cancelled: \(run.err)")
    // The beams so far under the step it stopped at (none when ^C came before the first step).
    let stepped = run.out.contains("步之后被取消（Ctrl-C；最多 1000 步）；目前的束，从好到差：")
    #expect(stepped || run.out.contains("束搜索在第一步之前被取消（Ctrl-C）：还没有束。"), "\(run.out.suffix(300))")
    #expect(!stepped || run.out.contains("1. 得分") && run.out.contains("（未完成）"), "ranked, the running ones marked")
    #expect(run.afterSignal < 10, "stopped within a step, not after the search: \(run.afterSignal) s")
}

@Test func ctrlCStopsSamplingInTheReplAndKeepsTheTextSoFar() throws {
    // Seed 3 at T = 5 writes all 4000 tokens without an end token (about 5 s in a debug build): finished, the run
    // would close with the "--max-new-tokens limit" note.
    let sample = "sample \"有一天\" --model tiny-ernie --max-new-tokens 4000 --temperature 5 --seed 3"
    guard let run = try interrupted(["repl"], input: "\(sample)\nexit\n",
                                    ready: { $0.contains("（种子 3）\n有一天") && $0.count > 80 }) else { return }
    #expect(run.status == 0, "the REPL went on to `exit`: \(run.err)")
    #expect(run.err.contains("已取消"), "\(run.err)")
    #expect(!run.out.contains("写满"), "not said as stopped by the limit: \(run.out.suffix(300))")
    #expect(run.out.hasPrefix("采样，logits 处理器") && run.out.hasSuffix("\n"), "the text so far stays, its line ended")
}

@Test func ctrlCCancelsABeamCellWithoutDrawingItsTree() throws {
    // A lesson cell, as the notebook runs it (LabSession through the cell executor), headless in its own process.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-cancel-\(UUID().uuidString)")
    let file = folder.appendingPathComponent("Lessons/zh/99-cancel.md")
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "# 取消\n\n```lab id=beam-long\n\(longBeam) --tree\n```\n".write(to: file, atomically: true, encoding: .utf8)
    guard let run = try interrupted(["lesson", "run", file.path], delay: 1, ready: { $0.contains("$ beam") })
    else { return }
    #expect(run.status == 130, "the command line ends 130: \(run.err)")
    #expect(run.err.contains("单元 beam-long 已取消（Ctrl-C）"), "\(run.err)")
    #expect(run.out.contains("步之后被取消") && !run.out.contains("├─"), "the beams so far, no tree: \(run.out)")
    #expect(run.afterSignal < 10, "stopped within a step: \(run.afterSignal) s")
}
