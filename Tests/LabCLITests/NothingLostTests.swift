// Nothing lost, with the real `lmlab` binary: hint runs started at once in separate processes each record their hint
// (repeated trials); SIGTERM to a training run leaves a checkpoint that loads and resumes, then the process ends by
// SIGTERM; and the file-system failures that used to print "NSCocoaErrorDomain Code=…" (`train --out FILE`, `--resume`
// with nothing saved, a read-only state folder) name the path, what was found and the fix, with exit status 1.
import ErnieTraining
import Foundation
import Lab
import LabCore
import LabTestSupport
import NeuralLMs
import Testing

/// A fresh folder under the temporary directory.
private func scratch(_ tag: String) throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

/// Starts lmlab on the project, with `state` as its state folder; it is killed (and the test fails) after 180 s.
private func start(_ binary: String, _ arguments: [String], state: URL) throws -> LabChild {
    try LabChild.start([binary] + arguments, environment: ["LMLAB_HOME": projectRoot.path, "XDG_STATE_HOME": state.path],
                       deadline: 180)
}

/// Runs lmlab to its end.
private func lmlab(_ binary: String, _ arguments: [String], state: URL) throws -> (status: Int32, out: String, err: String) {
    let run = try start(binary, arguments, state: state).finish()
    #expect(run.signal == nil, "no signal: \(run.ending)")
    return (run.exitCode ?? -1, run.stdout, run.stderr)
}

@Test func hintRunsStartedAtOnceEachRecordTheirHint() throws {
    guard let binary = builtLmlab() else { print("SKIPPED hintRunsStartedAtOnceEachRecordTheirHint: no built lmlab next to the tests (run swift build first)."); return }
    let folder = try scratch("parallel-hints")
    defer { try? FileManager.default.removeItem(at: folder) }
    let exercises = ["bigram_counter", "top_p", "greedy_decoder"]     // three hints each
    let trials = 6
    var lost = 0
    for trial in 0..<trials {
        let state = folder.appendingPathComponent("state-\(trial)")
        // 3 exercises × 3 runs, all started before any is waited for.
        let runs = try exercises.flatMap { name in
            try (0..<3).map { _ in (name, try start(binary, ["exercise", "hint", name, "--lang", "en"], state: state)) }
        }
        var shown: [String: [Int]] = [:]
        for (name, child) in runs {
            let run = try child.finish(within: 120)
            #expect(run.ending == .exit(0), "\(run.stderr)")
            if let line = run.stdout.split(separator: "\n").first(where: { $0.hasPrefix("hint ") }),
               let k = Int(line.dropFirst(5).prefix { $0.isNumber }) {
                shown[name, default: []].append(k)
            }
        }
        let store = ProgressStore(directory: state.appendingPathComponent("lmlab"))
        for name in exercises {
            let recorded = store.exercise(name).hintsShown
            if recorded != 3 { lost += 1 }
            #expect(recorded == 3, "trial \(trial): \(name) recorded \(recorded) of 3 hints")
            #expect(shown[name]?.sorted() == [1, 2, 3], "trial \(trial): \(name) showed hints \(shown[name] ?? [])")
        }
    }
    print("\(trials) trials of 9 parallel `exercise hint` runs: \(lost) exercises with a lost update")
}

/// Starts `lmlab <arguments>` (a training run), waits for its first progress line, sends SIGTERM, and checks that the
/// run ends by SIGTERM after all (status 143 in a shell), in bounded time; returns its standard output.
private func terminateTraining(_ binary: String, _ arguments: [String], folder: URL) throws -> String {
    let child = try start(binary, arguments, state: folder)
    #expect(child.wait(upTo: 170) { $0.stderr.contains("step ") }, "training started: \(child.stderr)")
    child.send(SIGTERM)
    let run = try child.finish(within: 60)
    print(run.stdout.split(separator: "\n").suffix(1).joined())
    #expect(run.ending == .signal(SIGTERM), "the process still ends by SIGTERM: \(run.ending)")
    return run.stdout
}

/// `lmlab <arguments> --resume --steps <step + 2>` ends well and says it resumed at `step`.
private func expectResumes(_ binary: String, _ arguments: [String], at step: Int, folder: URL) throws {
    let resumed = try lmlab(binary, arguments + ["--resume", "--steps", "\(step + 2)"], state: folder)
    #expect(resumed.status == 0, "\(resumed.err)")
    #expect(resumed.out.contains("Resuming at step \(step)/\(step + 2)"), "\(resumed.out)")
}

@Test func sigtermDuringNeuralTrainingSavesALoadableCheckpoint() throws {
    guard let binary = builtLmlab() else { print("SKIPPED sigtermDuringNeuralTrainingSavesALoadableCheckpoint: no built lmlab next to the tests (run swift build first)."); return }
    let folder = try scratch("sigterm-nnlm")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("nnlm")
    let command = ["train", "nnlm", "--out", out.path, "--embedding", "8", "--hidden", "16", "--batch", "8"]
    let printed = try terminateTraining(binary, command + ["--steps", "1000000"], folder: folder)     // a line every 100 steps
    #expect(printed.contains("(SIGTERM); the model trained so far is in \(out.path)"))
    let checkpoint = try NeuralCheckpoint(contentsOf: out.appendingPathComponent("checkpoint.safetensors"), kind: "nnlm")
    #expect(checkpoint.step >= 100)
    try expectResumes(binary, command, at: checkpoint.step, folder: folder)
}

@Test func sigtermDuringTinyErnieTrainingSavesALoadableCheckpoint() throws {
    guard let binary = builtLmlab() else { print("SKIPPED sigtermDuringTinyErnieTrainingSavesALoadableCheckpoint: no built lmlab next to the tests (run swift build first)."); return }
    let folder = try scratch("sigterm-ernie")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("tiny")
    let command = ["train", "tiny-ernie", "--out", out.path, "--hidden", "32", "--layers", "1", "--heads", "2", "--kv-heads", "1",
                   "--head-dim", "16", "--ffn", "64", "--vocab", "800", "--seq", "16", "--batch", "2", "--checkpoint-every", "1000000"]
    let printed = try terminateTraining(binary, command + ["--steps", "1000000"], folder: folder)     // a line every 50 steps
    let checkpoint = out.appendingPathComponent("checkpoint")
    #expect(printed.contains("(SIGTERM); checkpoint saved in \(checkpoint.path)"))
    let trainer = try TinyErnieTrainer.resume(from: checkpoint)
    #expect(trainer.step >= 50)
    try expectResumes(binary, command, at: trainer.step, folder: folder)
}

@Test func fileSystemFailuresNameThePathAndTheFix() throws {
    guard let binary = builtLmlab() else { print("SKIPPED fileSystemFailuresNameThePathAndTheFix: no built lmlab next to the tests (run swift build first)."); return }
    let folder = try scratch("fs-messages")
    defer { try? FileManager.default.removeItem(at: folder) }
    func check(_ arguments: [String], state: URL? = nil, says parts: [String]) throws {
        let r = try lmlab(binary, arguments, state: state ?? folder)
        print("lmlab \(arguments.joined(separator: " ")) → \(r.status): \(r.err.trimmingCharacters(in: .whitespacesAndNewlines))")
        #expect(r.status == 1)
        for part in parts { #expect(r.err.contains(part), "\(part) in: \(r.err)") }
        #expect(r.err.contains("HINT:") && !r.err.contains("NSCocoaErrorDomain") && !r.err.contains("Code="))
    }
    // --out names an existing file: refused before any training.
    let file = folder.appendingPathComponent("model.bin")
    try Data("not a folder".utf8).write(to: file)
    try check(["train", "nnlm", "--out", file.path, "--steps", "5"], says: ["\(file.path): is a file, not a folder (a folder is needed here for train --out)"])
    try check(["train", "tiny-ernie", "--out", file.path, "--steps", "1", "--vocab", "800"],
              says: ["\(file.path): is a file, not a folder"])
    #expect(try Data(contentsOf: file) == Data("not a folder".utf8), "the file is untouched")
    // --resume where nothing was saved.
    let empty = folder.appendingPathComponent("empty")
    try check(["train", "rnn", "--out", empty.path, "--resume"],
              says: ["\(empty.path)/checkpoint.safetensors: no checkpoint here", "HINT: leave out --resume"])
    try check(["train", "tiny-ernie", "--out", empty.path, "--resume"],
              says: ["\(empty.path)/checkpoint: no checkpoint here", "HINT: leave out --resume"])
    // A state folder that cannot be written: the hint is still shown, then why it was not recorded.
    let (readOnly, cleanup) = try unwritableFolder()
    defer { cleanup() }
    let r = try lmlab(binary, ["exercise", "hint", "top_p", "--lang", "en"], state: readOnly)
    print("read-only state → \(r.status): \(r.err)")
    #expect(r.status == 1 && r.out.contains("hint 1/3"))
    #expect(r.err.contains("\(readOnly.path)/lmlab/progress.json: cannot save progress") && r.err.contains("HINT:"))
    #expect(!r.err.contains("NSCocoaErrorDomain"))
}

/// A folder this process cannot write: a read-only folder for a normal user; for root (who writes read-only
/// folders) a folder in /sys, where mkdir is refused even to root.
func unwritableFolder() throws -> (folder: URL, cleanup: () -> Void) {
    if geteuid() == 0 { return (URL(fileURLWithPath: "/sys/lmlab-cannot-write-\(getpid())"), {}) }
    let dir = try scratch("readonly")
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    return (dir.appendingPathComponent("state"), {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        try? FileManager.default.removeItem(at: dir)
    })
}
