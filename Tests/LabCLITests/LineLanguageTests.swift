// `--lang en|zh` on any command line (LineLanguage): a command that does not declare --lang (prob, sample, …) runs
// in the language the line asks for, where the parser said "Unknown option '--lang'. Did you mean '--api'?"; the
// course's commands keep their own --lang; a help line keeps it for the help page, except the root's, which has none
// (`lmlab --help --lang en` showed home's page). The same in a lesson cell.
import Foundation
import Lab
import LabCore
import LabTestSupport
import Testing
@testable import LabCLI

@Test func aLinesLangIsTakenOutWhereTheCommandHasNone() throws {
    let tree = LMLabMain.commandTree
    func split(_ line: String) throws -> ([String], LessonLanguage?) {
        let (words, language) = try LineLanguage.split(try CommandWords.split(line), tree: tree)
        return (words, language)
    }
    #expect(try split("prob x --model tiny-ernie --lang zh") == (["prob", "x", "--model", "tiny-ernie"], .zh))
    #expect(try split("sample --lang=EN x --model m") == (["sample", "x", "--model", "m"], .en))
    #expect(try split("ngram prob x --lang zh --corpus luna-en") == (["ngram", "prob", "x", "--corpus", "luna-en"], .zh))
    // Declared by the command (or by the one it runs by default): left to the parser.
    for line in ["lessons --lang zh", "exercise check softmax --lang zh", "--lang en"] {
        let words = try CommandWords.split(line)
        #expect(try split(line) == (words, nil), "\(line)")
    }
    // A group alone shows its page, now in the line's language.
    #expect(try split("lesson --lang zh") == (["lesson"], .zh))
    // Help: the page reads --lang itself, but the root's page has none.
    #expect(try split("prob --help --lang en") == (["prob", "--help", "--lang", "en"], nil))
    // `help NAME` on the command line is the parser's help command, which takes no --lang: the page's language.
    #expect(try split("help prob --lang en") == (["help", "prob"], .en))
    #expect(try split("--help --lang en") == (["--help"], .en))
    // After `--` a word is text, and a line without --lang is left alone.
    #expect(try split("prob --model m -- --lang zh") == (["prob", "--model", "m", "--", "--lang", "zh"], nil))
    #expect(try split("prob x --model m") == (["prob", "x", "--model", "m"], nil))
    for bad in ["prob x --lang fr", "prob x --lang", "prob x --lang --json"] {
        #expect(throws: OptionError.self, "\(bad)") { try split(bad) }
    }
    // Before the command it means the same (`lmlab --lang zh models` said --lang did not exist, then showed home's
    // usage with it); alone, or before no command, it stays home's.
    #expect(try split("--lang zh models") == (["models"], .zh))
    #expect(try split("--lang=en prob x -- y") == (["prob", "x", "--", "y"], .en))
    #expect(try split("--lang zh exercise list") == (["exercise", "list", "--lang", "zh"], nil))
    #expect(try split("--lang zh help prob") == (["help", "prob"], .zh))
    #expect(try split("--lang zh --help") == (["--help"], .zh))
    for line in ["--lang zh", "--lang zh foo"] {
        #expect(try split(line) == (try CommandWords.split(line), nil), "\(line)")
    }
}

/// `lmlab repl --lang zh` was accepted and ignored: the session answered in English (walk14a finding 2).
@Test func theReplsLangChoosesTheSessionsLanguage() throws {
    guard let binary = builtLmlab() else {
        print("SKIPPED theReplsLangChoosesTheSessionsLanguage: no built lmlab next to the tests (swift build first).")
        return
    }
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-lang-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    func repl(_ arguments: [String]) throws -> String {
        let run = try LabRun.run([binary] + arguments, input: "help\nexit\n",
                                 environment: ["LANG": "C.UTF-8", "LMLAB_HOME": projectRoot.path, "XDG_STATE_HOME": state.path],
                                 removing: ["LMLAB_LANG", "LC_ALL", "LC_MESSAGES"])
        return run.stdout + run.stderr
    }
    for arguments in [["repl", "--lang", "zh"], ["--lang", "zh", "repl"]] {
        let text = try repl(arguments)
        #expect(text.contains("每行写一条实验室命令"), "\(arguments): \(text.prefix(200))")
    }
    #expect(try repl(["repl"]).contains("Each line is one lab command"), "without --lang: the locale's English")
}

extension LessonRunTests {
    @Test func aCellLinesLangChoosesTheLanguageOfItsOutput() throws {
        let executor = LessonCellExecutor(capture: true)
        executor.language = .zh
        var english = "", chinese = ""
        let line = "prob 猫 --model tiny-ernie"
        #expect(executor.execute(line + " --lang en", ask: nil) { english += $0 } == .ok, "\(english)")
        #expect(executor.execute(line, ask: nil) { chinese += $0 } == .ok, "\(chinese)")
        #expect(english.contains("perplexity") && !english.contains("困惑度"), "\(english)")
        #expect(chinese.contains("困惑度"), "\(chinese)")
        #expect(executor.language == .zh, "the line's --lang is for that line only")
    }
}
