// The `exercise check` verdict from end to end: build the learner's file with its harness, run the exercise's check
// (the case lists of Specs*.swift, or the two conversing checks of ExerciseChecks.swift), record the outcome in the
// progress file, and word the verdict the learner reads — the first divergence, or the reference solution.
import ClassicLMs
import Decoding
import Foundation
import Lab
import LabCore

public enum ExerciseChecker {
    /// Builds `source` with the exercise's harness and runs the exercise's check.
    /// - Throws: `CancellationRequested` when Ctrl-C stopped the compiler or the learner's program: a cancelled
    ///   check, neither a failure to explain nor one to count.
    public static func check(_ entry: ExerciseEntry, source: URL, catalog: ExerciseCatalog, model: String, api: APISettings?) throws -> ExerciseVerdict {
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw ExerciseError(Learner.text(
                "\(source.path): not found. HINT: `lmlab exercise reset \(entry.name) --yes` restores the starter.",
                "\(source.path)：找不到。HINT：`lmlab exercise reset \(entry.name) --yes` 会恢复初始文件。"))
        }
        let build: ExerciseBuild
        do { build = try ExerciseBuild.compile(source: source, harness: catalog.harnessFile(entry)) } catch {
            try Cancellation.check()                     // Ctrl-C during the compile: a cancel, not a compile error
            throw error
        }
        defer { build.remove() }
        return try check(entry, build: build, catalog: catalog, model: model, api: api)
    }

    /// Lessons/data, where the checks find their corpora.
    public static func inputs(_ catalog: ExerciseCatalog) -> ExerciseInputs {
        ExerciseInputs(dataDirectory: catalog.directory.deletingLastPathComponent().appendingPathComponent("data"))
    }

    /// Checks `source` in the learner's language and, when `progress` is given (the learner's own file), records
    /// the outcome in the store it opens after the check (so a check of several seconds loses no concurrent update).
    public static func checkAndRecord(_ entry: ExerciseEntry, source: URL, catalog: ExerciseCatalog, model: String, api: APISettings?,
                                      progress: (() -> ProgressStore)?, lang: LessonLanguage) throws -> ExerciseVerdict {
        let verdict = try Learner.$language.withValue(lang) { try check(entry, source: source, catalog: catalog, model: model, api: api) }
        if let store = progress?() {
            store.updateExercise(entry.name) { s in
                s.checks += 1
                s.lastChecked = Date()
                if verdict.passed { s.passed = s.passed ?? Date(); s.lastFailure = nil } else { s.lastFailure = verdict.firstDivergence }
                s.failureHints = verdict.passed ? nil : verdict.hints
            }
            try store.save()
        }
        return verdict
    }

    /// Checks `source`, records the outcome in progress.json (`store` nil: not recorded, for a file other than the
    /// learner's own) and gives what to print: the verdict as JSON, or `report` — with `hint`, the next hint where it
    /// would say where to get one (a count that could not be saved is said on standard error).
    public static func checkAndReport(_ entry: ExerciseEntry, source: URL, catalog: ExerciseCatalog, model: String,
                                      api: APISettings?, store: (() -> ProgressStore)?, json: Bool, hint: Bool,
                                      lang: LessonLanguage) throws -> (verdict: ExerciseVerdict, text: String) {
        let verdict = try checkAndRecord(entry, source: source, catalog: catalog, model: model, api: api, progress: store, lang: lang)
        if json { return (verdict, try jsonString(verdict)) }
        let nextHint = { () -> [String] in
            let next = ExerciseProgress.nextHint(entry, store: store?() ?? ProgressStore(), lang: lang, about: verdict.hints)
            if let unsaved = next.unsaved { FileHandle.standardError.write(Data("\(unsaved)\n".utf8)) }
            return next.lines
        }
        return (verdict, report(entry, verdict, catalog: catalog, lang: lang, hint: hint ? nextHint : nil).joined(separator: "\n"))
    }

    /// One line for a check that did not pass (the status a lesson cell shows under the report, which has the
    /// first divergence): what failed and the fix — with where to get a hint unless `hintShown` (`check --hint`
    /// printed the next one).
    public static func failureSummary(_ entry: ExerciseEntry, _ verdict: ExerciseVerdict, source: URL, lang: LessonLanguage,
                                      hintShown: Bool = false) -> String {
        let zh = lang == .zh
        let fix = zh ? "。HINT：改好 \(source.lastPathComponent) 再检查" : ". HINT: fix \(source.lastPathComponent) and check again"
        return (zh ? "\(entry.name) 还没通过检查：\(verdict.summary)" : "\(entry.name) does not pass the check yet: \(verdict.summary)")
            + fix + (hintShown ? (zh ? "。" : ".")
                : zh ? "；`lmlab exercise hint \(entry.name)` 给出提示。" : "; `lmlab exercise hint \(entry.name)` gives a hint.")
    }

    /// `source` laid out for a cell `columns` wide (nil: a terminal, which wraps it itself): a line too long goes on
    /// 4 cells further in than it starts, so the wrap does not read as a new line of code (walk 15: the reference
    /// chat_template's signature wrapped to the margin of its body).
    static func codeLines(_ source: String, columns: Int?) -> String {
        guard let columns else { return source }
        return source.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            guard EastAsianWidth.cells(String(line)) > columns else { return [String(line)] }
            let indent = line.prefix { $0 == " " }.count
            return CommandGuide.wrapped(String(line), width: columns, hangingIndent: indent + 4)
        }.joined(separator: "\n")
    }

    /// The verdict as the learner reads it: the first divergence and where to get a hint (or, with `hint`, the next
    /// hint itself), or the reference solution after a pass.
    public static func report(_ entry: ExerciseEntry, _ verdict: ExerciseVerdict, catalog: ExerciseCatalog, lang: LessonLanguage,
                              hint: (() -> [String])? = nil) -> [String] {
        let say = { (en: String, zh: String) in lang == .zh ? zh : en }
        var out = [say("\(entry.name): checks \(entry.checks(lang))", "\(entry.name)：\(entry.checks(lang))")]
        if verdict.passed {
            out.append(say("✓ passed — ", "✓ 通过：") + verdict.summary)
            if let solution = try? String(contentsOf: catalog.solutionFile(entry), encoding: .utf8) {
                out.append(say("\nA reference solution, to compare with yours:\n", "\n参考答案，可与你的比较：\n"))
                out.append(Self.codeLines(solution, columns: Learner.columns))
            }
            if ExercisePlug.pluggable.contains(entry.name) {
                out.append(say("Run the lab on your code: lmlab exercise plug \(entry.name)", "让实验室用你的代码运行：lmlab exercise plug \(entry.name)"))
            }
        } else {
            out.append(say("✗ not yet — ", "✗ 还没通过：") + verdict.summary)
            if let d = verdict.firstDivergence { out.append(say("first divergence: ", "第一处不同：") + d) }
            out += hint?() ?? [say("Stuck? lmlab exercise hint \(entry.name)", "卡住了？lmlab exercise hint \(entry.name)")]
        }
        return out
    }

    /// Runs the exercise's check on an already compiled program.
    /// - Throws: `CancellationRequested` when Ctrl-C stopped the learner's program (the verdict would read as a
    ///   failed check, "cancelled (Ctrl-C)" as its first divergence).
    public static func check(_ entry: ExerciseEntry, build: ExerciseBuild, catalog: ExerciseCatalog, model: String, api: APISettings?) throws -> ExerciseVerdict {
        let verdict = try uncancelledCheck(entry, build: build, catalog: catalog, model: model, api: api)
        if !verdict.passed { try Cancellation.check() }
        return verdict
    }

    private static func uncancelledCheck(_ entry: ExerciseEntry, build: ExerciseBuild, catalog: ExerciseCatalog,
                                         model: String, api: APISettings?) throws -> ExerciseVerdict {
        switch entry.name {
        case "bigram_counter":
            return try ExerciseChecks.bigrams(build, corpus: try CorpusSpec.named("luna-en"), dataDirectory: inputs(catalog).dataDirectory)
        case "greedy_decoder":
            return try greedy(build, model: model, api: api)
        default:
            guard let spec = ExerciseSpecs.all[entry.name] else {
                let known = (["bigram_counter", "greedy_decoder"] + ExerciseSpecs.all.keys).sorted().joined(separator: ", ")
                throw ExerciseError(Learner.text(
                    "\(entry.name): the lab has no check for this exercise. HINT: its name in exercises.json must be one of \(known).",
                    "\(entry.name)：实验室没有这个练习的检查。HINT：它在 exercises.json 里的名字必须是 \(known) 之一。"))
            }
            return try spec.check(build, inputs: inputs(catalog))
        }
    }

    /// greedy_decoder: the learner's tokens against the lab's greedy decoder on `model`, and with `api` also against
    /// that server's greedy completions.
    static func greedy(_ build: ExerciseBuild, model: String, api: APISettings?) throws -> ExerciseVerdict {
        let loaded = try ModelLoader.load(model)
        let texts = ["One day, Luna went to the", "The dog says", "Beijing is the capital of"]
        let prompts: [[Int]] = loaded.tokenizer.map { t in texts.map { [t.bosId ?? 1] + t.encode($0, addBos: false) } }
            ?? [[1, 5, 9], [1, 17], [1, 3, 4, 5]]
        var (verdict, yours) = try ExerciseChecks.greedy(build, model: loaded.model, tokenizer: loaded.tokenizer,
                                                         prompts: prompts, maxNewTokens: 12)
        if verdict.passed, let api, let tokenizer = loaded.tokenizer {
            let client = try api.client()
            for (k, text) in texts.enumerated() {
                // The learner decoded after BOS: the server gets the same prompt, BOS as its text (servers read
                // special tokens in a text prompt: llama.cpp, vLLM, `lmlab serve`).
                let sent = tokenizer.piece(prompts[k][0]) + text
                let response = try client.complete(CompletionRequest(prompt: sent, maxTokens: 12, temperature: 0, logprobs: 1, repeatPenalty: 1))
                let theirs = response.choices.first?.text ?? ""
                let mine = tokenizer.decode(yours[k].filter { !loaded.model.endTokens.contains($0) }, skipSpecialTokens: true)
                if theirs != mine {
                    let common = zip(theirs, mine).prefix { $0 == $1 }.count
                    let (same, api2, you) = (theirs.prefix(common), theirs.dropFirst(common).prefix(20), mine.dropFirst(common).prefix(20))
                    verdict = ExerciseVerdict(passed: false,
                        summary: Learner.text("the lab agrees; the API at \(api.url) does not",
                                              "实验室与你一致，\(api.url) 上的 API 却不一致"),
                        firstDivergence: Learner.text(
                            "prompt \"\(text)\": after \"\(same)\" the API writes \"\(api2)\", you wrote \"\(you)\" "
                                + "— is the server running the same model and weights?",
                            "提示词 \"\(text)\"：在 \"\(same)\" 之后，API 写的是 \"\(api2)\"，你写的是 \"\(you)\""
                                + "——服务器运行的是同一个模型和权重吗？"))
                    break
                }
            }
            if verdict.passed {
                verdict.summary += Learner.text("; and equal to \(api.url)'s greedy completions", "，也与 \(api.url) 的贪心补全一致")
            }
        }
        return verdict
    }
}
