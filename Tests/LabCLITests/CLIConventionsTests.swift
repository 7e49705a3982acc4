// CLI conventions, through the real `lmlab` binary where the convention is about the process: `--version`, exit
// statuses (usage 64 with the failing command's own usage, runtime 1, Ctrl-C 130 after the checkpoint is saved),
// `-` reading standard input; and in the library: the history file's place, Tab completion per command.
import ArgumentParser
import Foundation
import Lab
import LabCore
import NeuralLMs
import LabTestSupport
import Testing
@testable import LabCLI

/// Runs `lmlab arguments` with `input` on stdin (nil: /dev/null), sending one SIGINT once what it has written
/// satisfies `interruptWhen`; killed (and the test fails) after 180 s.
private func lmlab(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:],
                   interruptWhen: ((String) -> Bool)? = nil) throws -> (status: Int32, out: String, err: String, signaled: Bool)? {
    guard let binary = builtLmlab() else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let child = try LabChild.start([binary] + arguments, input: input.map { ChildInput($0) },
                                   environment: ["LMLAB_HOME": projectRoot.path,
                                                 "XDG_STATE_HOME": folder.appendingPathComponent("state").path].merging(extra) { $1 },
                                   deadline: 180)
    if let interruptWhen, child.wait(upTo: 180, until: { interruptWhen($0.stderr + $0.stdout) }) { child.send(SIGINT) }
    let run = try child.finish()
    return (run.exitCode ?? run.signal ?? -1, run.stdout, run.stderr, run.signal != nil)
}

@Test func versionComesFromOnePlace() throws {
    guard let r = try lmlab(["--version"]) else { print("SKIPPED versionComesFromOnePlace: no built lmlab"); return }
    #expect(r.status == 0)
    #expect(r.out == LMLab.version + "\n", "lmlab --version printed \(r.out)")
    #expect(LMLab.configuration.version == LMLab.version)
}

@Test func aValidationErrorInsideRunIsAUsageErrorOfThatCommand() throws {
    guard let r = try lmlab(["download", "no-such-model"]) else { print("SKIPPED: no built lmlab"); return }
    print("status \(r.status): \(r.err)")
    #expect(r.status == 64)
    #expect(r.err.contains("Error: \"no-such-model\" is not a catalog name"))
    #expect(r.err.contains("HINT:"))
    #expect(r.err.contains("\nUsage: lmlab download <model>"), "the failing command's own usage")
    #expect(r.err.contains("See 'lmlab download --help'"), "the failing command's own help, not the root's")
    #expect(!r.err.contains("lmlab <subcommand>"), "not the root usage")
}

@Test func showAlignmentOnTheTwinWithoutAttentionSaysSoBeforeAnyOutput() throws {
    let plain = projectRoot.appendingPathComponent("Models/seq2seq-numbers-plain").path
    guard let r = try lmlab(["seq2seq", "translate", "forty two", "--model", plain, "--show-alignment"])
    else { print("SKIPPED: no built lmlab"); return }
    print("status \(r.status): out \(r.out.debugDescription) err \(r.err)")
    #expect(r.status == 64)
    #expect(r.out.isEmpty, "no translation printed before the error")
    #expect(r.err.contains(plain) && r.err.contains("without attention") && r.err.contains("HINT:"))
}

@Test func aRuntimeFailureExitsOne() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-model-\(UUID().uuidString)").path
    guard let r = try lmlab(["tokenize", "hello", "--model", missing]) else { print("SKIPPED: no built lmlab"); return }
    print("status \(r.status): \(r.err)")
    #expect(r.status == 1)
    #expect(!r.err.isEmpty)
}

@Test func aParseErrorStaysAUsageError() throws {
    guard let r = try lmlab(["generate", "--max-new-tokens", "many", "--model", "tiny-ernie", "x"]) else { print("SKIPPED: no built lmlab"); return }
    #expect(r.status == 64, "\(r.err)")
}

@Test func ctrlCDuringTrainingSavesTheCheckpointThenExits130() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-ctrlc-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let command = ["train", "nnlm", "--out", out.path, "--embedding", "8", "--hidden", "16", "--batch", "8", "--steps", "1000000"]
    guard let r = try lmlab(command, interruptWhen: { $0.contains("step ") }) else { print("SKIPPED: no built lmlab"); return }
    print("status \(r.status), signaled \(r.signaled): \(r.out.split(separator: "\n").suffix(1).joined())")
    #expect(!r.signaled && r.status == 130, "exit 130 (interrupted), after saving")
    #expect(r.out.contains("(Ctrl-C); the model trained so far is in \(out.path)"))
    let checkpoint = try NeuralCheckpoint(contentsOf: out.appendingPathComponent("checkpoint.safetensors"), kind: "nnlm")
    #expect(checkpoint.step >= 100)
}

@Test func aDashReadsTheTextFromStandardInput() throws {
    guard let piped = try lmlab(["tokenize", "-", "--model", shippedTinyErnie, "--json"], input: "One day, Luna\n"),
          let given = try lmlab(["tokenize", "One day, Luna", "--model", shippedTinyErnie, "--json"]) else {
        print("SKIPPED: no built lmlab"); return
    }
    #expect(piped.status == 0, "\(piped.err)")
    #expect(piped.out == given.out, "the same tokens as the text given on the command line")
    guard let prob = try lmlab(["prob", "-", "--model", shippedTinyErnie, "--json"], input: "One day, Luna"),
          let probGiven = try lmlab(["prob", "One day, Luna", "--model", shippedTinyErnie, "--json"]) else { return }
    #expect(prob.status == 0 && prob.out == probGiven.out, "\(prob.err)")
    guard let gen = try lmlab(["generate", "-", "--model", shippedTinyErnie, "--max-new-tokens", "4"], input: "One day"),
          let genGiven = try lmlab(["generate", "One day", "--model", shippedTinyErnie, "--max-new-tokens", "4"]) else { return }
    #expect(gen.status == 0 && gen.out == genGiven.out, "\(gen.err)")
}

@Test func aDashIsRefusedWhereStandardInputIsNotText() throws {
    StandardInputText.available = false            // as in the REPL and lesson cells
    #expect(throws: StandardInputText.Problem.self) { try StandardInputText.resolve("-") }
    #expect(try StandardInputText.resolve("plain") == "plain")
    #expect(ReplCommand.execute("tokenize - --model \(shippedTinyErnie)") == .failed)
}

@Test func theHistoryFileFollowsHomeAndXDGStateHome() throws {
    #expect(ReplCommand.historyPath(environment: ["HOME": "/home/learner"]) == "/home/learner/.local/state/lmlab/history")
    #expect(ReplCommand.historyPath(environment: ["HOME": "/home/learner", "XDG_STATE_HOME": "/tmp/s"]) == "/tmp/s/lmlab/history")
    // No HOME: beside progress.json, in the account's home (one rule for the state folder, ProgressStore's).
    #expect(ReplCommand.historyPath(environment: ["XDG_STATE_HOME": ""])
            == ProgressStore.defaultDirectory(environment: [:]).appendingPathComponent("history").path)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-history-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = CommandHistory.standard(environment: ["HOME": folder.path])
    #expect(history.lines().isEmpty)
    // readline's own file format, timestamps included, is read back.
    try createFolder(URL(fileURLWithPath: history.path).deletingLastPathComponent(), for: "test")
    try "#1733480000\ntokenize hi\n".write(toFile: history.path, atomically: true, encoding: .utf8)
    try history.append("generate \"x\"\n--model tiny-ernie")
    #expect(history.lines() == ["tokenize hi", "generate \"x\" --model tiny-ernie"])
    for i in 0..<(CommandHistory.capacity + 5) { try history.append("line \(i)") }
    #expect(history.lines().count == CommandHistory.capacity)
    #expect(history.lines().last == "line \(CommandHistory.capacity + 4)")
}

@Test func tabOffersTheOptionsOfTheCommandBeingTyped() {
    let c = CommandCompletion(helpDump: LMLab._dumpHelp(), models: ["tiny-ernie", "tiny-ernie-instruct"])
    #expect(c.candidates(after: [], word: "gen") == ["generate"])
    let generate = c.candidates(after: ["generate"], word: "--")
    #expect(generate.contains("--temperature") && generate.contains("--max-new-tokens"))
    #expect(!generate.contains("--min-count"), "not another command's options: \(generate)")
    #expect(c.candidates(after: ["generate"], word: "--te") == ["--temperature"])
    #expect(c.candidates(after: ["bench"], word: "") == ["beam", "decode", "engine", "explorers", "kernels", "prefill", "tokenize"])
    #expect(c.candidates(after: ["bench", "decode"], word: "--th") == ["--threads"])
    #expect(c.candidates(after: ["generate", "--model"], word: "tiny") == ["tiny-ernie", "tiny-ernie-instruct"])
    #expect(c.candidates(after: ["help", "bench"], word: "ke") == ["kernels"])
    print("generate's options: \(generate.count)")
}

/// Every preformatted line of every command's discussion (an example, indented: "  lmlab …", a table row, a
/// continuation after a backslash) appears whole in its help at 80 columns and fits in them: ArgumentParser wraps
/// longer lines, which would cut a command a learner copies in two.
@Test func helpExamplesStayWholeAt80Columns() throws {
    var broken: [String] = []
    var examples = 0
    func visit(_ c: ParsableCommand.Type) {
        let help = LMLab.helpMessage(for: c, columns: 80)
        let lines = Set(help.split(separator: "\n").map { String($0) })
        for line in c.configuration.discussion.split(separator: "\n").map(String.init) where line.hasPrefix("  ") {
            examples += 1
            if !lines.contains(line) || line.count > 80 { broken.append("\(c.configuration.commandName ?? "?"): \(line)") }
        }
        for s in c.configuration.subcommands { visit(s) }
    }
    visit(LMLab.self)
    print("\(examples) preformatted help lines checked at 80 columns")
    #expect(broken.isEmpty, "cut at 80 columns:\n\(broken.joined(separator: "\n"))")
}

@Test func lessonExportWritesTheLessonWithItsOutputs() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let lesson = folder.appendingPathComponent("tiny.md")
    let text = """
    # Tokens

    Words become ids.

    ```lab id=ids
    tokenize "One day" --model \(shippedTinyErnie)
    ```

    And a cell that fails:

    ```lab id=bad
    tokenize "x" --model /no/such/model
    ```

    The end.
    """
    try text.write(to: lesson, atomically: true, encoding: .utf8)
    let out = folder.appendingPathComponent("exported/tiny-with-outputs.md")
    guard let r = try lmlab(["lesson", "export", lesson.path, "--format", "md", "--out", out.path]) else {
        print("SKIPPED lessonExportWritesTheLessonWithItsOutputs: no built lmlab"); return
    }
    #expect(r.status == 0, "\(r.err)")
    let written = try String(contentsOf: out, encoding: .utf8)
    print(written)
    // The lesson's own text is all there, in order, and each cell is followed by its output block.
    var rest = written[...]
    for piece in ["# Tokens", "```lab id=ids", "```\n\n```output\n$ tokenize \"One day\"", "pieces", "```lab id=bad",
                  "```output\n$ tokenize \"x\" --model /no/such/model", "error: ", "The end."] {
        guard let range = rest.range(of: piece) else { Issue.record("missing, or out of order: \(piece)"); return }
        rest = rest[range.upperBound...]
    }
    #expect(!written.contains("\u{1B}"), "no terminal escapes in the file")
}

@Test func lessonExportInACellRunsALessonAndWritesSoItIsRefused() throws {
    let parsed = try LMLab.parseAsRoot(["lesson", "export", "3", "--format", "md", "--out", "/tmp/x.md"])
    let effects = try #require(parsed as? CellEffects).cellEffects
    #expect(effects == [.runsLesson(file: "3"), .writes(URL(fileURLWithPath: "/tmp/x.md"))])
    let verdict = CellPolicy(environment: ProcessInfo.processInfo.environment).verdict(effects, words: ["lesson", "export"])
    if case .refuse = verdict {} else { Issue.record("a cell may not export: \(verdict)") }
}

@Test func anOutputBlockOutgrowsTheBackticksInside() {
    let md = HeadlessLesson.markdown("# T\n```lab\nx\n```\nend", outputs: [2: "$ x\nprinted ``` inside\n\u{1B}[1mbold\u{1B}[0m\n"])
    #expect(md.contains("````output\n$ x\nprinted ``` inside\nbold\n````"), "\(md)")
    #expect(md.hasSuffix("````\nend"))
}

/// A library's refusal of an option, thrown from run() with no wrapper around it, is a usage error of that command
/// (64, with its own usage), as a ValidationError is; any other error stays a runtime failure (1).
@Test func aLibrarysUsageErrorFromRunIsAUsageErrorOfThatCommand() throws {
    var command = try LMLab.parseAsRoot(["layer", "swiglu", "--gate", "1,x"])
    do {
        try command.run()
        Issue.record("layer swiglu --gate 1,x ran")
    } catch {
        let failure = CommandFailure(error, command: type(of: command))
        print(failure.message)
        #expect(failure.status == 64)
        #expect(failure.message.hasPrefix("Error: --gate") && failure.message.contains("HINT:"), "\(failure.message)")
        #expect(failure.message.contains("\nUsage: lmlab layer swiglu"), "the failing command's own usage: \(failure.message)")
    }
    for error in [OptionError("--a 0 is outside 1…2. HINT: give --a 1 or 2.") as Error,
                  OptionError("give either a TEXT or --ids, not both")] {
        #expect(CommandFailure(error, command: GenerateCommand.self).status == 64, "\(error)")
    }
    let runtime = CommandFailure(OptionValueError("--min-count 9 is above every word. HINT: lower it."), command: LMLab.self)
    #expect(runtime.status == 1 && !runtime.message.contains("Usage:"), "\(runtime.message)")
}

/// A parent may start the lab with signals blocked (Dispatch threads block them all, and a child inherits its mask
/// across exec): Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) still end a command.
@Test func signalsBlockedByTheParentStillReachTheLab() throws {
    guard let binary = builtLmlab() else { print("SKIPPED signalsBlockedByTheParentStillReachTheLab: no built lmlab"); return }
    for sent in [SIGINT, SIGTERM, SIGHUP] {
        let lmlab = try LabChild.start([binary, "lesson", "wait", "30"], blocking: [SIGINT, SIGTERM, SIGHUP, SIGWINCH], deadline: 90)
        _ = lmlab.wait(upTo: 60) { $0.stdout.contains("waiting") }
        lmlab.send(sent)
        let run = try lmlab.finish(within: 10)      // throws, naming it, when the signal did not end it (it was blocked)
        // A command without an interrupt handler ends by SIGINT itself; one with a handler exits 130 (a shell shows both as 130).
        #expect(run.ending == .signal(sent) || (sent == SIGINT && run.ending == .exit(130)),
                "signal \(sent) ends the lab by that signal, not \(run.ending)")
    }
}
