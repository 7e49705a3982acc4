// `--lang en|zh` on any command line (LineLanguage): a command that does not declare --lang (prob, sample, …) runs
// in the language the line asks for, where the parser said "Unknown option '--lang'. Did you mean '--api'?"; the
// course's commands keep their own --lang; a help line keeps it for the help page, except the root's, which has none
// (`lmlab --help --lang en` showed home's page). The same in a lesson cell.
import Foundation
import Lab
import LabCore
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
    #expect(try split("help prob --lang en") == (["help", "prob", "--lang", "en"], nil))
    #expect(try split("--help --lang en") == (["--help"], .en))
    // After `--` a word is text, and a line without --lang is left alone.
    #expect(try split("prob --model m -- --lang zh") == (["prob", "--model", "m", "--", "--lang", "zh"], nil))
    #expect(try split("prob x --model m") == (["prob", "x", "--model", "m"], nil))
    for bad in ["prob x --lang fr", "prob x --lang", "prob x --lang --json"] {
        #expect(throws: OptionError.self, "\(bad)") { try split(bad) }
    }
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
