// A Chinese learner's lesson, cell, prompt and exercise mistakes are answered in Chinese: a lesson or cell that
// does not exist, a cell the policy refuses or asks about, a TEXT/--ids mix-up, an exercise the lab cannot run or a
// catalog it cannot find, a line with an open quote, an explorer without a terminal. Built under `.en` and `.zh`
// as in OptionErrorLanguageTests; and through the real binary, the three lines issue 16 quotes.
import ERNIE
import Foundation
import Lab
import LabCore
import LabExercises
import LabTestSupport
import ModelFiles
import Testing
import TerminalUI
@testable import LabCLI

@Test func lessonAndCellErrorsSpeakTheLearnersLanguage() throws {
    expectBothLanguages("lesson file", english: "nonexist.md: no such lesson file. HINT: `lmlab lesson list` shows the "
                            + "lessons; pass a path to a .md file or a lesson number.") {
        _ = try HeadlessLesson.resolve("nonexist.md", language: .zh)
    }
    expectBothLanguages("lesson number") { _ = try HeadlessLesson.resolve("999", language: .zh) }
    let document = try LessonDocument(markdown: "# T\n\n```lab\ntokenize hi\n```\n", path: "t.md")
    expectBothLanguages("cell") { _ = try HeadlessLesson.cells(of: document, only: "nope") }
    let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-none-\(UUID().uuidString)")
    expectBothLanguages("course") { _ = try Course(lessonsDirectory: nowhere) }
    expectBothLanguages("exercise catalog") { _ = try ExerciseCatalog(directory: nowhere) }
    expectBothLanguages("open quote") { _ = try CommandWords.split("tokenize \"hi") }
    expectBothLanguages("unknown command") {
        throw OptionError(CommandWords.unknownCommandLine(["chat"], commands: LMLabMain.commandNames)!)
    }
    expectBothLanguages("a command no cell runs") { throw OptionError(CellPolicy.refusal(["repl"])!) }
}

@Test func cellPolicyRefusalsAndQuestionsSpeakTheLearnersLanguage() {
    let environment = ["LMLAB_HOME": projectRoot.path, "XDG_STATE_HOME": "/nonexistent-state"]
    let policy = CellPolicy(environment: environment)
    let shipped = projectRoot.appendingPathComponent("Models/tiny-ernie")
    let refusals: [(String, [CellEffect], [String])] = [
        ("runs code", [.runsCode(file: "Lessons/exercises/softmax.swift")], ["exercise", "check", "softmax"]),
        ("writes shipped", [.writes(shipped)], ["train", "tiny-ernie", "--out", shipped.path]),
        ("listens", [.listens("127.0.0.1:8080")], ["serve", "--model", "tiny-ernie"]),
    ]
    for (what, effects, words) in refusals {
        expectBothLanguages(what) {
            guard case .refuse(let message) = policy.verdict(effects, words: words) else { return }
            throw OptionError(message)
        }
    }
    // A question (network, a write elsewhere) refused headless, or answered no.
    let words = ["download", "baidu/ERNIE-4.5-0.3B-PT"]
    for asked in [false, true] {
        expectBothLanguages("asked \(asked)") {
            guard case .ask(let what) = policy.verdict([.network("https://huggingface.co"), .writes(URL(fileURLWithPath: "/tmp/x"))],
                                                       words: words) else { return }
            throw OptionError(CellPolicy.refusal(what, words: words, asked: asked))
        }
    }
}

@Test func promptAndExerciseErrorsSpeakTheLearnersLanguage() {
    expectBothLanguages("no TEXT") { try PromptSpec(model: "m", text: nil, ids: nil, bos: false).check() }
    expectBothLanguages("TEXT and --ids") { try PromptSpec(model: "m", text: "a", ids: "1", bos: false).check() }
    expectBothLanguages("--ids and --bos") { try PromptSpec(model: "m", text: nil, ids: "1", bos: true).check() }
    expectBothLanguages("--ids form") { _ = try PromptSpec.checkedIds("1,x") }
    expectBothLanguages("no tokenizer") { _ = try PromptSpec(model: "m", text: "a", ids: nil, bos: false).tokens(nil) }
    expectBothLanguages("context") {
        try PromptSpec(model: "m", text: "a", ids: nil, bos: false).checkContext(promptTokens: 10, maxNewTokens: 100, context: 50)
    }
    expectBothLanguages("context: the prompt alone") {
        try PromptSpec(model: "m", text: "a", ids: nil, bos: false).checkContext(promptTokens: 60, maxNewTokens: 1, context: 50)
    }
    // prob, lens, attention map and classify (w17 REPL walk 4, 5): the model's own refusals.
    expectBothLanguages("context too long") { throw ErnieError.contextTooLong(length: 5000, limit: 4096) }
    expectBothLanguages("not a model folder") { throw ModelLocatorError.notAModelFolder(folder: "/etc") }
    expectBothLanguages("incomplete folder") { throw ModelLocatorError.incompleteFolder(folder: "/m", missing: ["config.json"]) }
    expectBothLanguages("a file as --model") { throw ModelLocatorError.notAFolder(path: "/m/x.bin", folder: "/m") }
    expectBothLanguages("prob: no TEXT") { try ProbRequest(model: "m", text: nil, ids: nil).check() }
    expectBothLanguages("prob: empty TEXT") { try ProbRequest(model: "m", text: "", ids: nil).check() }
    expectBothLanguages("prob: --compare-precision") {
        try ProbRequest(model: "m", text: "a", ids: nil, comparePrecision: .asStored).check()
    }
    expectBothLanguages("--api-top without --api") { try APISettings.check(api: nil, top: 5, key: nil) }
    expectBothLanguages("--api-key empty") { try APISettings.checkKey("") }
    expectBothLanguages("unknown exercise") { _ = try ExerciseCatalog.ofProject().entry("softmaxx") }
    expectBothLanguages("not pluggable") {
        let (catalog, entry) = try ExerciseCatalog.projectEntry("bigram_counter")
        _ = try ExercisePlug(model: "m", prompt: "p", sentence: "s", parameter: nil, seed: 0, maxNewTokens: 8, lang: .en)
            .run(entry, catalog: catalog)
    }
    if isatty(0) != 1 {
        expectBothLanguages("reset without a terminal") {
            _ = try ExerciseProgress.confirmReset(URL(fileURLWithPath: "/x/softmax.swift"), yes: false, asked: false)
        }
    }
}

@Test func anExplorerWithoutATerminalSaysSoInTheLearnersLanguage() {
    let page = OutputPage(title: "t") { .text(OutputText("x")) }
    let environment = ["TERM": "dumb"]
    expectBothLanguages("--explore") { try ExplorerLauncher.runOnTerminal(page, environment: environment) }
    expectBothLanguages("--explore, a hint given") {
        try ExplorerLauncher.runOnTerminal(page, hint: Learner.text("leave out --explore", "去掉 --explore"), environment: environment)
    }
}

/// `lmlab ARGUMENTS` with LMLAB_LANG=`language` (zh): its status, standard error and standard output.
private func chineseLmlab(_ arguments: [String], language: String = "zh") throws -> (status: Int32, err: String, out: String)? {
    guard let binary = builtLmlab() else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-zh-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try LabRun.run([binary] + arguments, environment: [
        "LMLAB_HOME": projectRoot.path, "XDG_STATE_HOME": folder.appendingPathComponent("state").path, "LMLAB_LANG": language,
    ], deadline: 60)
    return (run.exitCode ?? -1, run.stderr, run.stdout)
}

@Test func theCommandLineAnswersAChineseLearnersMistakesInChinese() throws {
    guard let port = try chineseLmlab(["serve", "--model", "tiny-ernie", "--port", "99999"]) else {
        print("SKIPPED theCommandLineAnswersAChineseLearnersMistakesInChinese: no built lmlab (run swift build first).")
        return
    }
    print(port.err.split(separator: "\n").first ?? "")
    #expect(port.status == 64 && port.err.hasPrefix("错误：--port 99999 超出了 0…65535。HINT：给 --port 一个 0…65535 之间的值"), "\(port.err)")
    let lesson = try #require(try chineseLmlab(["lesson", "run", "nonexist.md"]))
    #expect(lesson.status == 64 && lesson.err.hasPrefix("错误：nonexist.md：没有这个课程文件。HINT：`lmlab lesson list`"), "\(lesson.err)")
    let command = try #require(try chineseLmlab(["chat"]))
    #expect(command.status == 64 && command.err == "lmlab: 没有叫 'chat' 的命令。HINT：`lmlab help` 列出所有命令。\n", "\(command.err)")
}

/// `lmlab --lang zh foo` and `lmlab foo` both say that foo is no command, in the language asked for, with the
/// nearest command when there is one and `lmlab help` (the --lang used to reach the parser as home's option).
@Test func aWordThatIsNoCommandIsSaidSoAlsoAfterLang() throws {
    for (arguments, language, expected) in [
        (["--lang", "zh", "foo"], "en", "lmlab: 没有叫 'foo' 的命令。HINT：`lmlab help` 列出所有命令。\n"),
        (["--lang=zh", "tokenise"], "en", "lmlab: 没有叫 'tokenise' 的命令。你是说 'tokenize' 吗？HINT：`lmlab help` 列出所有命令。\n"),
        (["--lang", "en", "tokenise"], "zh",
         "lmlab: unknown command 'tokenise'. Did you mean 'tokenize'? HINT: `lmlab help` lists the commands.\n"),
        (["foo"], "en", "lmlab: unknown command 'foo'. HINT: `lmlab help` lists the commands.\n"),
        (["foo"], "zh", "lmlab: 没有叫 'foo' 的命令。HINT：`lmlab help` 列出所有命令。\n"),
    ] {
        guard let run = try chineseLmlab(arguments, language: language) else {
            print("SKIPPED aWordThatIsNoCommandIsSaidSoAlsoAfterLang: no built lmlab (run swift build first).")
            return
        }
        #expect(run.status == 64 && run.err == expected, "\(arguments) \(language): \(run.err)")
    }
}

@Test func anExerciseCommandsLangChoosesTheLanguageOfItsErrorsToo() throws {
    guard let run = try chineseLmlab(["exercise", "check", "softmaxx", "--lang", "zh"], language: "en") else {
        print("SKIPPED anExerciseCommandsLangChoosesTheLanguageOfItsErrorsToo: no built lmlab (run swift build first).")
        return
    }
    print(run.err)
    #expect(run.status != 0 && run.err.contains("没有叫 'softmaxx' 的练习") && run.err.contains("HINT："), "\(run.err)")
    let english = try #require(try chineseLmlab(["exercise", "check", "softmaxx"], language: "en"))
    #expect(english.err.contains("softmaxx") && !english.err.contains("练习"), "\(english.err)")
    // A mistake ArgumentParser finds while parsing, before the command runs, follows the line's --lang as well.
    let parsing = try #require(try chineseLmlab(["exercise", "list", "--lang", "zh", "--bogus"], language: "en"))
    #expect(parsing.status == 64 && parsing.err.hasPrefix("错误：没有 '--bogus' 这个选项。"), "\(parsing.err)")
}

@Test func aCommandsHelpIsAChinesePage() throws {
    guard let help = try chineseLmlab(["prob", "--help"]) else {
        print("SKIPPED aCommandsHelpIsAChinesePage: no built lmlab (run swift build first).")
        return
    }
    #expect(help.status == 0 && help.out.hasPrefix("概述：用模型给一段文字打分") && help.out.contains("\n选项：\n"),
            "\(help.out.prefix(200))")
    #expect(!help.out.contains("OVERVIEW:") && !help.out.contains("OPTIONS:"), "the page is Chinese, not the parser's")
    let english = try #require(try chineseLmlab(["prob", "--help"], language: "en"))
    #expect(english.out.hasPrefix("OVERVIEW:"), "\(english.out.prefix(80))")
    let helpWord = try #require(try chineseLmlab(["help", "prob"]))
    #expect(helpWord.status == 0 && helpWord.out == help.out, "\(helpWord.out.prefix(200))")
    // A line's --lang chooses the page's language, as it chooses its errors'.
    let asked = try #require(try chineseLmlab(["exercise", "list", "--lang", "zh", "--help"], language: "en"))
    #expect(asked.status == 0 && asked.out.hasPrefix("概述："), "\(asked.out.prefix(80))")
    // The root's help is all Chinese: every command with its Chinese line.
    for words in [["--help"], ["-h"], ["help"]] {
        let root = try #require(try chineseLmlab(words))
        #expect(root.status == 0 && root.out.hasPrefix("LMLab —— ") && !root.out.contains("OVERVIEW:"), "\(root.out.prefix(200))")
        for (name, line) in CommandGuide.chinese {
            #expect(root.out.contains("  \(name) ") && root.out.contains(String(line.prefix(8))), "\(name) listed in Chinese")
        }
    }
    let rootInEnglish = try #require(try chineseLmlab(["--help"], language: "en"))
    #expect(rootInEnglish.out.hasPrefix("OVERVIEW:"), "\(rootInEnglish.out.prefix(80))")
}
