// `lmlab exercise list|check|hint|reset|watch|plug`: the course's exercises in the rustlings pattern
// (Lab/Exercises.swift knows the catalog, LabExercises builds, runs and checks the learner's file).
import ArgumentParser
import ClassicLMs
import Decoding
import Foundation
import Lab
import LabCore
import LabExercises
import TerminalUI

struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Course exercises: edit a Swift file, check it against the lab's own implementation.",
        discussion: """
        The files are in Lessons/exercises/. Edit one, then `check` builds it (swiftc) with a small harness and \
        compares what it computes with the lab's implementation, showing the first divergence. `hint` gives one \
        hint at a time; the solution is shown when the check passes; `reset` puts the starter file back. `watch` \
        checks again every time you save; `plug` runs the lab on your passing code, beside the lab's own.

        Examples:
          lmlab exercise list
          lmlab exercise check top_p
          lmlab exercise watch
          lmlab exercise plug top_p --prompt "The dog says"
          lmlab exercise hint greedy_decoder
          lmlab exercise check greedy_decoder --api http://127.0.0.1:8080
          lmlab exercise reset top_p
        """,
        subcommands: [List.self, Check.self, Hint.self, Reset.self, Watch.self, Plug.self],
        defaultSubcommand: List.self)

    struct Common: ParsableArguments {
        @Option(name: .long, help: "en or zh (default: from the locale).")
        var lang: String?

        var language: LessonLanguage { lang.flatMap(LessonLanguage.init(rawValue:)) ?? Learner.language }
    }

    static func store() -> ProgressStore {
        let store = ProgressStore()
        if let notice = store.notice { FileHandleOutput.standardError(notice) }
        return store
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The exercises and where you are with each.")
        @OptionGroup var common: Common

        func run() throws {
            print(try lines(store: ExerciseCommand.store()).joined(separator: "\n"))
        }

        /// The exercises grouped by lesson, with the lesson's title and the learner's progress on each.
        func lines(store: ProgressStore) throws -> [String] {
            let catalog = try ExerciseCatalog.ofProject()
            let lang = common.language
            let say = { (en: String, zh: String) in lang == .zh ? zh : en }
            let titles = (try? Course.ofProject()).map { c in Dictionary(c.lessons.map { ($0.number, $0.title(lang)) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
            var lines: [String] = []
            for lesson in Set(catalog.entries.map(\.lesson)).sorted() {
                let entries = catalog.entries.filter { $0.lesson == lesson }
                let done = entries.filter { store.exercise($0.name).passed != nil }.count
                if !lines.isEmpty { lines.append("") }
                lines.append(say("Lesson", "第") + " \(lesson)" + say("", " 课")
                             + (titles[lesson].map { " · \($0)" } ?? "") + "  (\(done)/\(entries.count))")
                for e in entries {
                    let s = store.exercise(e.name)
                    let status = s.passed != nil ? say("✓ passed", "✓ 已通过")
                        : s.checks > 0 ? say("✗ failing (\(s.checks) check\(s.checks == 1 ? "" : "s"))", "✗ 未通过（检查 \(s.checks) 次）")
                        : catalog.isUntouched(e) ? say("not started", "未开始") : say("edited, not checked", "已修改，未检查")
                    let hints = s.hintsShown > 0 ? " · \(s.hintsShown)/\(e.hints(lang).count) " + say("hints", "提示") : ""
                    lines.append("  " + EastAsianWidth.pad(e.name, toCells: 20) + EastAsianWidth.pad(status + hints, toCells: 24) + e.title(lang))
                }
            }
            lines.append("")
            lines.append(say("Edit Lessons/exercises/NAME.swift, then: lmlab exercise check NAME (or leave lmlab exercise watch running)",
                                      "编辑 Lessons/exercises/NAME.swift，然后运行：lmlab exercise check NAME（或让 lmlab exercise watch 一直运行）"))
            return lines
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Build your file and compare it with the lab's implementation.")
        @Argument(help: "The exercise (see `lmlab exercise list`).")
        var name: String
        @Option(name: .long, help: "greedy_decoder: the model to decode with (default tiny-ernie).")
        var model: String = "tiny-ernie"
        @Option(name: .long, help: "greedy_decoder: also compare with this OpenAI-compatible server's greedy completion.")
        var api: String?
        @Option(name: .long, help: "Check this file instead of Lessons/exercises/NAME.swift.")
        var file: String?
        @Flag(name: .long, help: "Print the verdict as JSON.")
        var json = false
        @OptionGroup var common: Common

        func run() throws {
            let catalog = try ExerciseCatalog.ofProject()
            let entry = try catalog.entry(name)
            let source = file.map { URL(fileURLWithPath: $0) } ?? catalog.workFile(entry)
            Cancellation.reset()
            let verdict = try ExerciseCommand.checkAndReport(entry, source: source, catalog: catalog, model: model, api: api,
                                                             recordProgress: file == nil, json: json, lang: common.language)
            if !verdict.passed {
                throw FailureShownAbove(summary: "\(entry.name) does not pass the check yet: \(verdict.summary)"
                    + (verdict.firstDivergence.map { "; first divergence: \($0)" } ?? "")
                    + ". HINT: fix \(source.lastPathComponent) and check again; `lmlab exercise hint \(entry.name)` gives a hint.")
            }
        }
    }

    /// Checks `source`, records the outcome in the progress file (the learner's own file only), and prints the
    /// verdict: the first divergence and where to get a hint, or the reference solution after a pass.
    static func checkAndReport(_ entry: ExerciseEntry, source: URL, catalog: ExerciseCatalog, model: String, api: String?,
                               recordProgress: Bool, json: Bool, lang: LessonLanguage) throws -> ExerciseVerdict {
        let say = { (en: String, zh: String) in lang == .zh ? zh : en }
        let verdict = try Learner.$language.withValue(lang) { try check(entry, source: source, catalog: catalog, model: model, api: api) }
        if recordProgress {
            let store = store()
            store.updateExercise(entry.name) { s in
                s.checks += 1
                if verdict.passed { s.passed = s.passed ?? Date(); s.lastFailure = nil } else { s.lastFailure = verdict.firstDivergence }
            }
            try store.save()
        }
        if json { print(try jsonString(verdict)); return verdict }
        print(say("\(entry.name): checks \(entry.checks(lang))", "\(entry.name)：\(entry.checks(lang))"))
        if verdict.passed {
            print(say("✓ passed — ", "✓ 通过 — ") + verdict.summary)
            if let solution = try? String(contentsOf: catalog.solutionFile(entry), encoding: .utf8) {
                print(say("\nA reference solution, to compare with yours:\n", "\n参考答案，可与你的比较：\n"))
                print(solution)
            }
            if Plug.pluggable.contains(entry.name) {
                print(say("Run the lab on your code: lmlab exercise plug \(entry.name)", "让实验室用你的代码运行：lmlab exercise plug \(entry.name)"))
            }
        } else {
            print(say("✗ not yet — ", "✗ 还没通过 — ") + verdict.summary)
            if let d = verdict.firstDivergence { print(say("first divergence: ", "第一处不同：") + d) }
            print(say("Stuck? lmlab exercise hint \(entry.name)", "卡住了？lmlab exercise hint \(entry.name)"))
        }
        return verdict
    }

    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hint", abstract: "The next hint (one at a time).")
        @Argument(help: "The exercise.")
        var name: String
        @OptionGroup var common: Common

        func run() throws {
            let catalog = try ExerciseCatalog.ofProject()
            let entry = try catalog.entry(name)
            let hints = entry.hints(common.language)
            let store = ExerciseCommand.store()
            // The next hint is chosen and counted under the progress lock, so hint runs at once each show the next one.
            let k: Int
            var unsaved: Error?
            do {
                k = try store.modify { p in
                    let k = min(p.exercise(entry.name).hintsShown, hints.count - 1)
                    if k >= 0 { p.updateExercise(entry.name) { $0.hintsShown = max($0.hintsShown, k + 1) } }
                    return k
                }
            } catch {
                unsaved = error                  // still show the hint; then say why it was not recorded
                k = min(store.exercise(entry.name).hintsShown, hints.count - 1)
            }
            guard k >= 0 else { print("\(entry.name) has no hints."); return }
            let say = { (en: String, zh: String) in common.language == .zh ? zh : en }
            print(say("hint \(k + 1)/\(hints.count): ", "提示 \(k + 1)/\(hints.count)：") + hints[k])
            if k == hints.count - 1 { print(say("That was the last hint.", "这是最后一条提示。")) }
            if let unsaved { throw unsaved }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Put the starter file back (asks first).")
        @Argument(help: "The exercise.")
        var name: String
        @Flag(name: .long, help: "Do not ask.")
        var yes = false

        func run() throws {
            let catalog = try ExerciseCatalog.ofProject()
            let entry = try catalog.entry(name)
            let work = catalog.workFile(entry)
            if catalog.isUntouched(entry) { print("\(work.path) is already the starter; nothing to reset."); return }
            // In a lesson cell CellPolicy has asked already (the notebook's y/n; headless it refuses), and the
            // terminal belongs to the notebook, so no second question on stdin.
            if !yes && !ExplorerLauncher.cellRunning {
                guard isatty(0) == 1 else {
                    throw ExerciseError("reset would overwrite your \(work.lastPathComponent). HINT: add --yes to confirm (no terminal to ask on).")
                }
                print("Overwrite \(work.path) with the starter? Your changes will be lost. Type yes: ", terminator: "")
                fflush(stdout)
                guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else { print("Kept your file."); return }
            }
            let backup = work.appendingPathExtension("bak")
            try? FileManager.default.removeItem(at: backup)
            try? FileManager.default.copyItem(at: work, to: backup)
            let starter = try Data(contentsOf: catalog.starterFile(entry))
            try starter.write(to: work, options: .atomic)
            let store = ExerciseCommand.store()
            store.updateExercise(entry.name) { $0 = ExerciseState() }
            try store.save()
            print("\(work.lastPathComponent) is the starter again (your version is in \(backup.lastPathComponent)).")
        }
    }

    /// Builds `source` with the exercise's harness and runs the exercise's check.
    static func check(_ entry: ExerciseEntry, source: URL, catalog: ExerciseCatalog, model: String, api: String?) throws -> ExerciseVerdict {
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw ExerciseError("\(source.path): not found. HINT: `lmlab exercise reset \(entry.name) --yes` restores the starter.")
        }
        let build = try ExerciseBuild.compile(source: source, harness: catalog.harnessFile(entry))
        defer { build.remove() }
        return try check(entry, build: build, catalog: catalog, model: model, api: api)
    }

    /// Lessons/data, where the checks find their corpora.
    static func inputs(_ catalog: ExerciseCatalog) -> ExerciseInputs {
        ExerciseInputs(dataDirectory: catalog.directory.deletingLastPathComponent().appendingPathComponent("data"))
    }

    /// Runs the exercise's check on an already compiled program.
    static func check(_ entry: ExerciseEntry, build: ExerciseBuild, catalog: ExerciseCatalog, model: String, api: String?) throws -> ExerciseVerdict {
        switch entry.name {
        case "bigram_counter":
            return try ExerciseChecks.bigrams(build, corpus: try CorpusSpec.named("luna-en"), dataDirectory: inputs(catalog).dataDirectory)
        case "greedy_decoder":
            let loaded = try ModelLoader.load(model)
            let texts = ["One day, Luna went to the", "The dog says", "Beijing is the capital of"]
            let prompts: [[Int]] = loaded.tokenizer.map { t in texts.map { [t.bosId ?? 1] + t.encode($0, addBos: false) } }
                ?? [[1, 5, 9], [1, 17], [1, 3, 4, 5]]
            var (verdict, yours) = try ExerciseChecks.greedy(build, model: loaded.model, tokenizer: loaded.tokenizer,
                                                             prompts: prompts, maxNewTokens: 12)
            if verdict.passed, let api, let tokenizer = loaded.tokenizer {
                let client = try CompletionsClient(api)
                for (k, text) in texts.enumerated() {
                    // The learner decoded after BOS: the server gets the same prompt, BOS as its text (servers read
                    // special tokens in a text prompt: llama.cpp, vLLM, `lmlab serve`).
                    let sent = tokenizer.piece(prompts[k][0]) + text
                    let response = try client.complete(CompletionRequest(prompt: sent, maxTokens: 12, temperature: 0, logprobs: 1, repeatPenalty: 1))
                    let theirs = response.choices.first?.text ?? ""
                    let mine = tokenizer.decode(yours[k].filter { !loaded.model.endTokens.contains($0) }, skipSpecialTokens: true)
                    if theirs != mine {
                        let common = zip(theirs, mine).prefix { $0 == $1 }.count
                        verdict = ExerciseVerdict(passed: false, summary: "the lab agrees; the API at \(api) does not",
                            firstDivergence: "prompt \"\(text)\": after \"\(theirs.prefix(common))\" the API writes \"\(theirs.dropFirst(common).prefix(20))\", you wrote \"\(mine.dropFirst(common).prefix(20))\" — is the server running the same model and weights?")
                        break
                    }
                }
                if verdict.passed { verdict.summary += "; and equal to \(api)'s greedy completions" }
            }
            return verdict
        default:
            guard let spec = ExerciseSpecs.all[entry.name] else {
                let known = (["bigram_counter", "greedy_decoder"] + ExerciseSpecs.all.keys).sorted().joined(separator: ", ")
                throw ExerciseError("\(entry.name): the lab has no check for this exercise. HINT: its name in exercises.json must be one of \(known).")
            }
            return try spec.check(build, inputs: inputs(catalog))
        }
    }
}
