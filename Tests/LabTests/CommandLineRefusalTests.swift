// What the lab refuses before a command runs, worded once for the command line, the REPL and lesson cells: an
// unknown command (with the nearest one), a command a cell cannot run, a cell id the lesson does not have, and
// `embed analogy` given one or two of its three words.
import Foundation
import LabCore
import Testing
@testable import Lab

@Test func anUnknownCommandSuggestsTheNearest() {
    let commands = ["lessons", "lesson", "tokenize"]
    #expect(CommandWords.unknownCommand("tokenize", commands: commands) == nil)
    #expect(CommandWords.unknownCommand("--help", commands: commands) == nil)
    #expect(Learner.$language.withValue(.en) { CommandWords.unknownCommand("tokenise", commands: commands) }
        == "unknown command 'tokenise'. Did you mean 'tokenize'?")
    let guess = Learner.$language.withValue(.en) {
        CommandWords.unknownCommand("exti", commands: commands, alsoKnown: ["exit"])
    }
    #expect(guess == "unknown command 'exti'. Did you mean 'exit'?")
    #expect(Learner.$language.withValue(.zh) { CommandWords.unknownCommand("zzzzzz", commands: commands) }
        == "没有叫 'zzzzzz' 的命令。")
}

/// The command line's check of its first word (or the word after `help`) reads the line's --lang, wherever it stands,
/// and speaks it; options, help alone and commands pass. (`lmlab help nosuch` printed the whole English help, exit 0;
/// `lmlab genrate x --lang zh` answered in English: w17 REPL walk 2 and 12.)
@Test func theCommandLinesFirstWordIsCheckedAfterALeadingLang() {
    let commands = ["lessons", "tokenize"]
    let zh = "没有叫 'tokenise' 的命令。你是说 'tokenize' 吗？HINT：`lmlab help` 列出所有命令。"
    Learner.$language.withValue(.en) {
        #expect(CommandWords.unknownCommandLine(["--lang", "zh", "tokenise"], commands: commands) == zh)
        #expect(CommandWords.unknownCommandLine(["--lang=zh", "tokenise", "x"], commands: commands) == zh)
        #expect(CommandWords.unknownCommandLine(["tokenise", "x", "--lang", "zh"], commands: commands) == zh)
        #expect(CommandWords.unknownCommandLine(["help", "tokenise", "--lang=zh"], commands: commands) == zh)
        #expect(CommandWords.unknownCommandLine(["foo"], commands: commands)
            == "unknown command 'foo'. HINT: `lmlab help` lists the commands.")
        #expect(CommandWords.unknownCommandLine(["help", "foo"], commands: commands)
            == "unknown command 'foo'. HINT: `lmlab help` lists the commands.")
        for fine in [[], ["--lang", "zh"], ["--lang", "zh", "tokenize"], ["help"], ["help", "tokenize"], ["help", "help"],
                     ["--lang", "fr", "foo"], ["--help"], ["tokenize", "foo"]] {
            #expect(CommandWords.unknownCommandLine(fine, commands: commands) == nil, "\(fine)")
        }
    }
}

/// (A lesson run or export inside a cell is refused by what the line parses to: LabCLITests' LessonNestingTests.)
@Test func aCellRefusesTheReplAndTheHomeScreen() {
    #expect(CellPolicy.refusal(["tokenize", "hi"]) == nil)
    #expect(CellPolicy.refusal(["lesson", "list"]) == nil)
    #expect(CellPolicy.refusal([]) == nil)
    for words in [["repl"], ["home"]] {
        let refusal = Learner.$language.withValue(.en) { CellPolicy.refusal(words) }
        #expect(refusal?.hasPrefix("`\(words[0])` cannot run inside a lesson cell. HINT:") == true, "\(words)")
    }
}

@Test func onlyACellTheLessonHasCanBeRunAlone() throws {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=a\necho 1\n```\n\n```lab id=b\necho 2\n```\n",
                                 path: "Lessons/en/t.md")
    #expect(try HeadlessLesson.cells(of: doc, only: nil).map(\.id) == ["a", "b"])
    #expect(try HeadlessLesson.cells(of: doc, only: "b").map(\.id) == ["b"])
    let error = #expect(throws: OptionError.self) { try HeadlessLesson.cells(of: doc, only: "c") }
    #expect(error?.description == "Lessons/en/t.md: no cell \"c\". HINT: its cells are a, b.")
}

@Test func anAnalogyTakesAllThreeWordsOrNone() throws {
    try Word2VecRun.checkAnalogyWords([nil, nil, nil])
    try Word2VecRun.checkAnalogyWords(["king", "queen", "man"])
    let error = #expect(throws: OptionError.self) { try Word2VecRun.checkAnalogyWords(["king", nil, nil]) }
    #expect(error?.description.contains("got 1. HINT: lmlab embed analogy king queen man") == true)
}

/// A stranger's lesson of thousands of cells: the message for an unknown --cell lists the first 20 ids and says how
/// many there are, instead of every id (50,000 cells made a 389 kB message; hostile-input audit 14, F10).
@Test func anUnknownCellNamesTheFirstIdsAndHowManyThereAre() throws {
    let cells = (1...100).map { "```lab id=c\($0)\necho \($0)\n```\n" }.joined(separator: "\n")
    let doc = try LessonDocument(markdown: "# T\n\n" + cells, path: "many.md")
    let error = #expect(throws: OptionError.self) { try HeadlessLesson.cells(of: doc, only: "c0") }
    let first20 = (1...20).map { "c\($0)" }.joined(separator: ", ")
    #expect(error?.description == "many.md: no cell \"c0\". HINT: its cells are \(first20) and 80 more (100 in all).")
}
