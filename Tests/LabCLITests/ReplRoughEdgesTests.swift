// The REPL's rough edges (walk 13): Tab completes every option whose value is a model (dpo-reward's --policy and
// --reference, not only --model), the exercise after `exercise check|hint|reset|plug` and the lesson after
// `lesson run`; `lesson FILE` without `run` says the line meant.
import Foundation
import Lab
import LabCore
import LabTestSupport
import Testing
@testable import LabCLI

private let completion = CommandCompletion(root: LMLabMain.commandTree, models: ["tiny-ernie", "tiny-ernie-instruct"],
                                           exercises: ["chat_template", "dpo_loss", "softmax"],
                                           lessons: ["9", "09-post-training", "10", "10-assignment"])

@Test func tabCompletesEveryOptionThatNamesAModel() {
    for (words, option) in [(["dpo-reward", "x"], "--policy"), (["dpo-reward", "x"], "--reference"),
                            (["rnn", "vanishing"], "--gru"), (["seq2seq", "lengths"], "--plain"),
                            (["train", "tiny-instruct"], "--base"), (["prob", "x"], "--compare")] {
        #expect(completion.candidates(after: words + [option], word: "tiny") == ["tiny-ernie", "tiny-ernie-instruct"],
                "\(words) \(option)")
    }
    // Not an option whose value is a number or a file to write.
    #expect(completion.candidates(after: ["dpo-reward", "x", "--beta"], word: "").isEmpty)
    #expect(completion.candidates(after: ["train", "nnlm", "--out"], word: "").isEmpty)
}

@Test func tabCompletesExercisesAndLessons() {
    for sub in ["check", "hint", "reset", "plug", "watch"] {
        #expect(completion.candidates(after: ["exercise", sub], word: "d") == ["dpo_loss"], "exercise \(sub)")
    }
    #expect(completion.candidates(after: ["exercise", "check", "dpo_loss"], word: "").isEmpty, "one exercise")
    #expect(completion.candidates(after: ["exercise", "check", "--model"], word: "tiny-ernie-i")
            == ["tiny-ernie-instruct"])
    #expect(completion.candidates(after: ["lesson", "run"], word: "1") == ["10", "10-assignment"])
    #expect(completion.candidates(after: ["lmlab", "lesson", "export"], word: "09") == ["09-post-training"])
    #expect(completion.candidates(after: ["lesson"], word: "") == ["export", "list", "run"], "the subcommands first")
    // The project's own lists, read when none is given.
    let project = CommandCompletion(root: LMLabMain.commandTree)
    #expect(project.exercises.contains("dpo_loss") && project.lessons.contains("10-assignment"), "\(project.lessons)")
    #expect(project.models.contains("gru-stories-en"), "the shipped word-level models: \(project.models)")
}

@Test func aLessonWithoutRunSaysTheLineMeant() {
    let c = CommandCompletion(treeOnly: LMLabMain.commandTree)
    let file = "Lessons/zh/09-post-training.md"
    #expect(Learner.$language.withValue(.zh) { c.firstUnknownWord(in: ["lesson", file]) }
            == "'\(file)' 不是 lesson 的子命令。你是说 'lesson run \(file)' 吗？")
    #expect(Learner.$language.withValue(.en) { c.unknownSubcommand(in: ["lesson", "9", "--cell", "rl"]) }
            == "'9' is not a subcommand of lesson. Did you mean 'lesson run 9 --cell rl'?")
    #expect(Learner.$language.withValue(.en) { c.firstUnknownWord(in: ["lesson", "rnu", "9"]) }?
        .hasSuffix("Did you mean 'lesson run 9'?") == true)
    #expect(Learner.$language.withValue(.en) { c.firstUnknownWord(in: ["lesson", "lst"]) }?
        .hasSuffix("Did you mean 'lesson list'?") == true)
    #expect(c.firstUnknownWord(in: ["lesson", "run", "9"]) == nil)
}

/// `layer foo`, `moe foo`, `exercise foo` said only "unexpected argument 'foo'" (`exercise foo` under `exercise list`'s
/// usage): with no subcommand near the word and no `run` to take it, the subcommands there are (walk14a finding 10).
@Test func aWordThatIsNoSubcommandListsTheSubcommands() throws {
    let c = CommandCompletion(treeOnly: LMLabMain.commandTree)
    #expect(Learner.$language.withValue(.zh) { c.firstUnknownWord(in: ["layer", "foo"]) }
            == "'foo' 不是 layer 的子命令；可用：rope、rmsnorm、swiglu。")
    #expect(Learner.$language.withValue(.en) { c.firstUnknownWord(in: ["moe", "foo"]) }
            == "'foo' is not a subcommand of moe. It has: route.")
    #expect(Learner.$language.withValue(.en) { c.firstUnknownWord(in: ["exercise", "sofmax"]) }?
        .hasSuffix("It has: list, check, hint, reset, watch, plug.") == true)
    // That note is the whole error, not followed by the parser's "unexpected argument" and a wrong usage line; a
    // mistyped option's note still goes before the parser's error about the option it missed.
    for (words, replaces) in [(["exercise", "foo"], true), (["prob", "x", "--modle", "m"], false)] {
        do { _ = try LMLab.parseAsRoot(words); Issue.record("\(words) parsed") } catch {
            #expect(LMLabMain.noteUnknownOption(words, error) == replaces, "\(words)")
        }
    }
    // As the REPL prints it (its own process: a capture here would take the output of the tests beside this one).
    guard let binary = builtLmlab() else { return print("SKIPPED the REPL's output: no built lmlab next to the tests.") }
    let said = try LabRun.run([binary, "repl", "--lang", "zh"], input: "exercise foo\nexit\n",
                              environment: ["LMLAB_HOME": projectRoot.path]).stderr
    #expect(said == "错误：'foo' 不是 exercise 的子命令；可用：list、check、hint、reset、watch、plug。\n", "\(said)")
}

/// A mistyped subcommand in a cell (walk 15, finding 8) is told the line meant, as on the command line: it got
/// "2 个多余的参数：'prb', '狗'。" and no hint. A mistyped option's note goes before the parser's error, as there.
@Test(arguments: LessonLanguage.allCases)
func aMistypedSubcommandInACellIsToldTheLineMeant(_ language: LessonLanguage) throws {
    let cell = LessonCellExecutor(language: language, columns: 80)
    let said = { (line: String) -> String in
        guard case .failed(let message) = cell.execute(line, output: { _ in }) else { return "(ran)" }
        return message
    }
    let meant = language == .zh ? "'prb' 不是 ngram 的子命令。你是说 'ngram prob 狗' 吗？"
                                : "'prb' is not a subcommand of ngram. Did you mean 'ngram prob 狗'?"
    #expect(said("ngram prb \"狗\"") == meant)
    let cli = try #require(Learner.$language.withValue(language) { () -> String? in
        do { _ = try LMLab.parseAsRoot(["ngram", "prb"]); return nil } catch {
            return LMLabMain.unknownWordNote(["ngram", "prb"], error)?.text
        }
    })
    #expect(said("ngram prb") == cli, "the command line's note, word for word")
    let option = said("prob x --modle m")
    #expect(option.hasPrefix(language == .zh ? "没有 '--modle' 这个选项。你是说 '--model' 吗？\n"
                                             : "Unknown option '--modle'. Did you mean '--model'?\n"), "\(option)")
}

/// `--json` on a command without it: where its JSON is (`beam … --tree --format json`), or that it has none — the
/// parser guessed "Did you mean '--bos'?" for beam (w17 REPL walk 15). In a cell, the REPL and the command line alike.
@Test(arguments: LessonLanguage.allCases)
func jsonOnACommandWithoutItSaysWhereItsJSONIs(_ language: LessonLanguage) throws {
    let note = { (words: [String]) -> String? in
        Learner.$language.withValue(language) {
            do { _ = try LMLab.parseAsRoot(words); return nil } catch { return LMLabMain.unknownWordNote(words, error)?.text }
        }
    }
    let beam = try #require(note(["beam", "x", "--model", "m", "--json"]))
    #expect(beam == Learner.$language.withValue(language) {
        Learner.text("Unknown option '--json'. beam writes JSON with --tree --format json.", "没有 '--json' 这个选项。beam 用 --tree --format json 输出 JSON。")
    })
    #expect(try #require(note(["attention", "steps", "--json"])).contains("attention steps"))
    #expect(note(["beam", "x", "--model", "m", "--jsn"]) == nil, "another unknown option: the parser's own guess")
    let cell = LessonCellExecutor(language: language, columns: 80)
    guard case .failed(let message) = cell.execute("beam x --model m --json", output: { _ in }) else { Issue.record("ran"); return }
    #expect(message.hasPrefix(beam), "\(message)")
}
