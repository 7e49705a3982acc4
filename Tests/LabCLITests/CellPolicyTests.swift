// What a lesson cell may do (CellPolicy): every command is classified; a cell that would run code, write outside
// the learner's models folder or reach the network is refused headless (with the line to type instead) and asked
// in the notebook; nothing is written, compiled or contacted when it is refused; `train` from a cell goes to the
// learner's state folder, never over Models/, and a later cell finds it. In LessonRunTests' serialized suite:
// cells capture the process's fd 1/2. The state folder is a temporary one, bound for each test's task only.
import ArgumentParser
import Foundation
import Lab
import LabCore
import LabExercises
import LabTestSupport
import Testing
@testable import LabCLI

/// Commands that only read, compute and show — reviewed one by one; a new command must be added here or declare
/// its effects (CellEffects in CellPolicy.swift).
private let readsComputesShows: Set<String> = [
    "home", "lessons", "lesson list", "lesson wait", "repl",
    "bench kernels", "bench tokenize", "bench explorers", "bench engine",
    "tokenize", "models", "load", "classify", "dpo-reward", "inspect", "lens", "moe route", "layer rope", "layer rmsnorm", "layer swiglu", "rl",
    "attention steps", "attention heads", "attention map", "corpus list", "corpus stats",
    "exercise list", "exercise hint",          // hint writes progress, in the state folder
    "exercise watch", "exercise plug",         // the learner's own file, like `exercise check` without --file
    "ngram train", "ngram prob", "ngram perplexity", "ngram sparsity", "ngram generate",
    "nnlm prob", "nnlm order", "nnlm window", "rnn vanishing", "rnn parallel", "seq2seq translate", "seq2seq eval",
    "seq2seq lengths",
    "embed neighbors", "embed analogy", "embed map",
]

/// Every leaf command, by its path of names ("train nnlm").
private func leafCommands() -> [(path: String, type: ParsableCommand.Type)] {
    var out: [(String, ParsableCommand.Type)] = []
    func visit(_ t: ParsableCommand.Type, _ prefix: [String]) {
        let path = prefix + [t.configuration.commandName ?? ""]
        if t.configuration.subcommands.isEmpty { out.append((path.joined(separator: " "), t)) }
        for s in t.configuration.subcommands { visit(s, path) }
    }
    for c in LMLab.configuration.subcommands { visit(c, []) }
    return out
}

/// A fresh folder under the temporary directory, removed by the caller.
func tempFolder(_ tag: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-cells-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with XDG_STATE_HOME at a temporary folder, for this task only (LabEnvironment), passing that folder
/// and the environment.
func withTempState<T>(_ body: (URL, [String: String]) throws -> T) throws -> T {
    let state = try tempFolder("state")
    defer { try? FileManager.default.removeItem(at: state) }
    var env = LabEnvironment.current
    env["XDG_STATE_HOME"] = state.path
    return try LabEnvironment.$override.withValue(env) { try body(state, env) }
}

/// Path → modification date and size of every file under `folder`.
private func snapshot(_ folder: URL) -> [String: String] {
    var out: [String: String] = [:]
    let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey]
    for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) ?? FileManager.DirectoryEnumerator() {
        let v = try? url.resourceValues(forKeys: Set(keys))
        out[url.path] = "\(v?.contentModificationDate?.timeIntervalSince1970 ?? 0) \(v?.fileSize ?? -1)"
    }
    return out
}

func failure(_ status: CommandStatus) -> String? {
    if case .failed(let message) = status { return message }
    return nil
}

extension LessonRunTests {
    @Test func everyCommandIsClassified() {
        for (path, type) in leafCommands() {
            let declares = type is CellEffects.Type
            #expect(declares != readsComputesShows.contains(path),
                    "\(path): \(declares ? "declares CellEffects and is also listed as reading only" : "is not classified: declare its CellEffects or list it as reading only")")
        }
        #expect(leafCommands().count == readsComputesShows.count + leafCommands().filter { $0.type is CellEffects.Type }.count)
    }

    /// Each line the lessons must never run unasked, with what its refusal or question must say.
    static let guarded: [(line: String, says: String)] = [
        ("download ernie-4.5-0.3b", "reaches the network (http"),
        ("download ernie-4.5-0.3b --endpoint http://127.0.0.1:9", "reaches the network (http://127.0.0.1:9"),
        ("probe http://127.0.0.1:9", "reaches the network (http://127.0.0.1:9)"),
        ("generate \"hi\" --model tiny-ernie --api http://127.0.0.1:9", "reaches the network (http://127.0.0.1:9)"),
        ("check greedy --model tiny-ernie --api http://127.0.0.1:9", "reaches the network (http://127.0.0.1:9)"),
        ("exercise check greedy_decoder --api http://127.0.0.1:9", "reaches the network (http://127.0.0.1:9)"),
        ("exercise reset top_p --yes", "writes "),
        ("bench decode --random-0.3b", "writes "),
    ] + ["prob \"hi\" --model tiny-ernie", "beam \"hi\" --model tiny-ernie --tree", "sample \"hi\" --model tiny-ernie --show-dist"]
        .map { ($0 + " --api http://127.0.0.1:9", "reaches the network (http://127.0.0.1:9)") }

    @Test func headlessCellsThatWouldReachTheNetworkOrWriteAreRefusedWithTheLineToType() throws {
        try withTempState { _, env in
            let executor = LessonCellExecutor(capture: true, environment: env)
            for (line, says) in Self.guarded {
                var printed = ""
                let message = try #require(failure(executor.execute(line, ask: nil) { printed += $0 }), "\(line) ran")
                #expect(message.contains(says), "\(line): \(message)")
                #expect(message.contains("`lmlab lesson run` cannot ask you"), "\(line): \(message)")
                #expect(message.contains("HINT: run it yourself in a terminal: lmlab " + line.replacingOccurrences(of: "\"hi\"", with: "hi")),
                        "\(line): \(message)")
                #expect(printed.isEmpty, "\(line) printed \(printed)")
            }
        }
        let catalog = try ExerciseCatalog.ofProject()
        #expect(catalog.isUntouched(try catalog.entry("top_p")), "exercise reset ran")
    }

    @Test func aCellThatIsNotAllowedNeverContactsTheServer() throws {
        let server = APILoopbackServer { _ in nil }
        try server.start()
        defer { server.stop() }
        let executor = LessonCellExecutor(capture: true)
        let line = "probe \(server.url.absoluteString) --timeout 5"
        #expect(failure(executor.execute(line, ask: nil) { _ in }) != nil)
        #expect(failure(executor.execute(line, ask: { _ in false }) { _ in }) != nil)
        #expect(server.requests.isEmpty, "a refused cell reached the server")
        var printed = ""
        _ = executor.execute(line, ask: { _ in true }) { printed += $0 }
        #expect(!server.requests.isEmpty, "allowed, the probe must reach the server: \(printed)")
    }

    @Test func aFailedDownloadCellSaysWhy() throws {
        let server = APILoopbackServer { _ in nil }          // every request: 404
        try server.start()
        defer { server.stop() }
        let cache = try tempFolder("hf")
        defer { try? FileManager.default.removeItem(at: cache) }
        var env = LabEnvironment.current
        env["HF_HUB_CACHE"] = cache.path
        let status = LessonCellExecutor(capture: true, environment: env)
            .execute("download ernie-4.5-0.3b --endpoint \(server.url.absoluteString)", ask: { _ in true }) { _ in }
        let message = try #require(failure(status))
        print(message)
        #expect(message.count > 20 && message.contains("HINT"), "\(message)")
    }

    @Test func inTheNotebookTheLearnerIsAskedAndNoMeansNotRun() throws {
        try withTempState { _, env in
            let dir = try tempFolder("ask")
            defer { try? FileManager.default.removeItem(at: dir) }
            let vectors = dir.appendingPathComponent("w2v.safetensors")
            let executor = LessonCellExecutor(capture: true, environment: env)
            let line = "embed train --epochs 1 --dim 8 --quiet --save \(vectors.path)"
            var questions: [String] = []
            var printed = ""
            let no = executor.execute(line, ask: { questions.append($0); return false }) { printed += $0 }
            #expect(questions == ["embed train --epochs 1 --dim 8 --quiet --save \(vectors.path)"])
            #expect(printed.contains("This cell's `embed train --epochs 1 --dim 8 --quiet --save \(vectors.path)` writes \(vectors.path)."))
            let message = try #require(failure(no))
            #expect(message.contains("not run, you said no. HINT: run it yourself in a terminal: lmlab embed train"))
            #expect(!FileManager.default.fileExists(atPath: vectors.path), "refused, yet the file was written")

            printed = ""
            let yes = executor.execute(line, ask: { _ in true }) { printed += $0 }
            #expect(yes == .ok, "\(yes)\n\(printed)")
            #expect(printed.contains("→ allowed by you") && printed.contains("saved \(vectors.path)"))
            #expect(FileManager.default.fileExists(atPath: vectors.path))
        }
    }

    @Test func aCellNeverCompilesAFileItNamesEvenWhenTheLearnerWouldSayYes() throws {
        try withTempState { state, env in
            let dir = try tempFolder("evil")
            defer { try? FileManager.default.removeItem(at: dir) }
            let marker = dir.appendingPathComponent("ran")
            let evil = dir.appendingPathComponent("evil.swift")
            try """
            import Foundation
            let _ = FileManager.default.createFile(atPath: "\(marker.path)", contents: Data("pwned".utf8))
            func topP(_ probs: [Double], p: Double) -> [Double] { probs }
            """.write(to: evil, atomically: true, encoding: .utf8)
            // A compiler that leaves a mark if it is ever started.
            let compiler = dir.appendingPathComponent("swiftc")
            try "#!/bin/sh\ntouch \(dir.path)/compiled\nexit 1\n".write(to: compiler, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: compiler.path)
            let executor = LessonCellExecutor(capture: true, environment: env)
            var asked = false
            let status = ExerciseBuild.$compiler.withValue(compiler.path) {   // this test's compiles only
                executor.execute("exercise check top_p --file \(evil.path)", ask: { _ in asked = true; return true }) { _ in }
            }
            let message = try #require(failure(status))
            print(message)
            #expect(message.contains("would build and run \(evil.path)") && message.contains("a lesson cell never runs code"))
            #expect(message.contains("HINT: read the file first, then run it yourself in a terminal: lmlab exercise check top_p --file \(evil.path)"))
            #expect(!asked, "running code is never asked, only refused")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("compiled").path), "the compiler was started")
            #expect(!FileManager.default.fileExists(atPath: marker.path))
            #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("lmlab/progress.json").path))
        }
    }

    /// A line the learner edited is theirs: what a lesson's line is refused is asked instead (showing the whole line),
    /// no still means not run, and headless it stays refused.
    @Test func aLineTheLearnerEditedMayRunCodeAfterAskingButNeverUnasked() throws {
        try withTempState { _, env in
            let dir = try tempFolder("edited")
            defer { try? FileManager.default.removeItem(at: dir) }
            let mine = dir.appendingPathComponent("mine.swift")
            try "func topP(_ probs: [Double], p: Double) -> [Double] { probs }\n".write(to: mine, atomically: true, encoding: .utf8)
            let compiler = dir.appendingPathComponent("swiftc")
            try "#!/bin/sh\ntouch \(dir.path)/compiled\nexit 1\n".write(to: compiler, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: compiler.path)
            let compiled = dir.appendingPathComponent("compiled").path
            let executor = LessonCellExecutor(capture: true, environment: env)
            let line = "exercise check top_p --file \(mine.path)"

            try ExerciseBuild.$compiler.withValue(compiler.path) {   // this test's compiles only
                let headless = try #require(failure(executor.execute(line, ask: nil, typedByLearner: true) { _ in }))
                #expect(headless.contains("builds and runs \(mine.path) as Swift code") && headless.contains("cannot ask you"), "\(headless)")
                var questions: [String] = []
                let no = try #require(failure(executor.execute(line, ask: { questions.append($0); return false }, typedByLearner: true) { _ in }))
                #expect(questions == [line] && no.contains("not run, you said no"))
                #expect(!FileManager.default.fileExists(atPath: compiled), "asked, answered no, yet the compiler started")

                var printed = ""
                _ = executor.execute(line, ask: { _ in true }, typedByLearner: true) { printed += $0 }
                #expect(printed.contains("→ allowed by you"))
                #expect(FileManager.default.fileExists(atPath: compiled), "the learner said yes to their own line, yet nothing was built")
            }

            let models = projectRoot.appendingPathComponent("Models")
            let before = snapshot(models)
            var asked: [String] = []
            _ = executor.execute("train nnlm --steps 2 --out \(models.path)/nnlm-stories-en", ask: { asked.append($0); return false },
                                 typedByLearner: true) { _ in }
            #expect(asked.count == 1 && snapshot(models) == before)
        }
    }

    @Test func aCellNeverWritesIntoTheShippedModels() throws {
        try withTempState { _, env in
            let models = projectRoot.appendingPathComponent("Models")
            let before = snapshot(models)
            let executor = LessonCellExecutor(capture: true, environment: env)
            for line in ["train nnlm --steps 2 --out \(models.path)/nnlm-stories-en",
                         "train tiny-ernie --steps 2 --out Models/tiny-ernie",
                         "embed train --epochs 1 --save \(models.path)/word2vec-stories-en/vectors.safetensors",
                         "train nnlm --steps 2 --out \(models.path)/../Models/new-one"] {
                var asked = false
                let message = try #require(failure(executor.execute(line, ask: { _ in asked = true; return true }) { _ in }), "\(line)")
                #expect(message.contains("inside the lab's shipped models") && message.contains("a lesson cell never replaces them"), "\(line): \(message)")
                #expect(!asked, "\(line)")
            }
            #expect(snapshot(models) == before)
        }
    }

    @Test func trainFromACellGoesToTheStateFolderAndTheNextCellFindsIt() throws {
        try withTempState { state, env in
            let models = projectRoot.appendingPathComponent("Models")
            let before = snapshot(models)
            let own = state.appendingPathComponent("lmlab/models/nnlm-stories-en")
            // The default tiny-ernie run of issue 17 would write the state folder, and so runs unasked.
            let tiny = try #require(try LMLab.parseAsRoot(["train", "tiny-ernie", "--steps", "2"]) as? CellEffects)
            #expect(tiny.cellEffects == [.writes(state.appendingPathComponent("lmlab/models/tiny-ernie", isDirectory: true))])
            #expect(CellPolicy(environment: env).verdict(tiny.cellEffects, words: ["train", "tiny-ernie"]) == .run)

            let doc = try LessonDocument(markdown: """
            # Train in a cell

            ```lab id=shipped
            nnlm prob "the dog says woof ." --json
            ```

            ```lab id=train
            train nnlm --steps 3 --batch 8
            ```

            ```lab id=mine
            nnlm prob "the dog says woof ." --json
            ```
            """, path: "Lessons/en/train-in-a-cell.md")
            defer { SessionModels.shared.forget("nnlm-stories-en") }   // the session is the test process: later tests use Models/
            var transcript = ""
            let session = LabSession(document: doc, executor: LessonCellExecutor(capture: true, environment: env))
            let runs = doc.cells.map { session.run($0) { transcript += $0 } }
            #expect(runs.allSatisfy { $0.status == .ok }, "\(transcript)")
            #expect(FileManager.default.fileExists(atPath: own.appendingPathComponent("model.safetensors").path), "\(transcript)")
            #expect(runs[1].output.contains("Writing \(own.path) (your own copy; the shipped Models/nnlm-stories-en stays as it is"))
            #expect(runs[1].output.contains("In this session, nnlm-stories-en now means this model"))
            #expect(runs[0].output != runs[2].output, "the last cell must score with the model trained in the cell before")
            #expect(snapshot(models) == before, "Models/ changed")
        }
    }

    /// On the command line too, `train` without --out writes the learner's folder and says so; Models/ stays.
    @Test func trainWithoutOutOnTheCommandLineLeavesTheShippedModel() throws {
        guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary beside the tests"); return }
        let state = try tempFolder("cli-state")
        defer { try? FileManager.default.removeItem(at: state) }
        let models = projectRoot.appendingPathComponent("Models")
        let before = snapshot(models)
        let run = try LabRun.run([lmlab, "train", "seq2seq", "--steps", "2", "--batch", "4"],
                                 environment: ["XDG_STATE_HOME": state.path], directory: projectRoot.path, deadline: 300)
        let text = run.stdout
        let own = state.appendingPathComponent("lmlab/models/seq2seq-numbers")
        #expect(run.exitCode == 0, "\(text)")
        #expect(text.contains("Writing \(own.path) (your own copy; the shipped Models/seq2seq-numbers stays as it is"), "\(text)")
        #expect(text.contains("Use it: lmlab seq2seq translate \"forty two\" --model \(own.path)"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: own.appendingPathComponent("model.safetensors").path))
        #expect(snapshot(models) == before, "Models/ changed")
    }

    /// As the notebook runs it, after the editor (headless shows the exercise instead: ExerciseCellHeadlessTests).
    @Test func aFailingExerciseCheckSaysWhyInTheCellsFailure() throws {
        try withTempState { _, env in
            let doc = try LessonDocument(markdown: "# Check\n\n```lab id=check\nexercise check top_p\n```\n", path: "Lessons/en/check.md")
            let session = LabSession(document: doc, executor: LessonCellExecutor(capture: true, environment: env))
            let run = session.run(doc.cells[0]) { _ in }
            let failure = try #require(session.failureDescription(doc.cells[0], run))
            print(failure)
            #expect(failure.contains("failed: top_p does not pass the check yet: "), "\(failure)")
            #expect(failure.contains("HINT: ") && !failure.contains("first divergence") && run.output.contains("first divergence"))
        }
    }

    @Test func echoedCommandsShowControlCharactersEscaped() throws {
        let esc = "\u{1B}"
        let doc = try LessonDocument(markdown: """
        # Escapes

        ```lab id=clear
        corpus list --json
        corpus stats "\(esc)[2J\(esc)]0;pwned\u{07}"
        ```
        """, path: "Lessons/en/escapes.md")
        let session = LabSession(document: doc, executor: LessonCellExecutor(capture: true))
        let run = session.run(doc.cells[0]) { _ in }
        let failure = try #require(session.failureDescription(doc.cells[0], run))
        print(failure)
        #expect(!failure.contains(esc) && !failure.contains("\u{07}"), "raw control characters in \(failure)")
        #expect(failure.contains("(`corpus stats \"\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\"`) failed: "))
        var headless = ""
        _ = HeadlessLesson.run(doc, executor: LessonCellExecutor(capture: true)) { headless += $0 }
        #expect(headless.contains("$ corpus stats \"\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\"\n"))
        #expect(!headless.contains("$ corpus stats \"\(esc)"))
    }

    @Test func aFileThatIsNotALessonIsAnError() throws {
        #expect { try HeadlessLesson.read(URL(fileURLWithPath: "/etc/passwd")) } throws: { error in
            "\(error)".contains("/etc/passwd: not a lesson: lessons are Markdown files ending in .md. HINT: ")
        }
        let dir = try tempFolder("notlesson")
        defer { try? FileManager.default.removeItem(at: dir) }
        let untitled = dir.appendingPathComponent("notes.md"), empty = dir.appendingPathComponent("empty.md")
        try "root:x:0:0:root:/root:/bin/bash\n".write(to: untitled, atomically: true, encoding: .utf8)
        try "# A title\n\nJust prose.\n".write(to: empty, atomically: true, encoding: .utf8)
        #expect { try HeadlessLesson.read(untitled) } throws: { "\($0)".contains("not a lesson: it has no `# Title` line") }
        #expect { try HeadlessLesson.read(empty) } throws: { "\($0)".contains("no ```lab cells to run") }
        guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary beside the tests"); return }
        let run = try LabRun.run([lmlab, "lesson", "run", "/etc/passwd"]), text = run.stderr
        #expect(run.ending == .exit(1), "\(run.ending): \(text)")
        #expect(text.contains("not a lesson"), "\(text)")
    }

    /// Every cell of the shipped lessons only reads, computes and shows (so none needs a mark saying it asks).
    @Test func noShippedLessonCellNeedsAsking() throws {
        try withTempState { _, env in                                      // an empty state folder: nothing trained
            for file in Self.courseFiles {
                let doc = try LessonDocument(contentsOf: try Course.ofProject().directory.appendingPathComponent(file))
                for cell in doc.cells {
                    for line in cell.commands {
                        let split = try CommandWords.split(line)
                        if split.first == "help" { continue }
                        let words = split.first == "lmlab" ? Array(split.dropFirst()) : split
                        let effects = (try LMLab.parseAsRoot(words) as? CellEffects)?.cellEffects ?? []
                        let verdict = CellPolicy(environment: env).verdict(effects, words: words)
                        #expect(verdict == .run, "\(file) cell \(cell.id): \(line) → \(verdict)")
                    }
                }
            }
        }
    }
}
