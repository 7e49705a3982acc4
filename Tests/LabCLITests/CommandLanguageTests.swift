// The command language's word splitting, suggestions, display widths and the course outline.
import Foundation
import LabCore
import LabTestSupport
import Testing
@testable import Lab
@testable import LabCLI
import TerminalUI

@Test func splitsLikeAShell() throws {
    #expect(try CommandWords.split(#"tokenize "Hello, world" --model tiny"#) == ["tokenize", "Hello, world", "--model", "tiny"])
    #expect(try CommandWords.split(#"prob 'it''s' \"q\" a\ b"#) == ["prob", "its", "\"q\"", "a b"])
    #expect(try CommandWords.split("  lessons\t--lang   zh  ") == ["lessons", "--lang", "zh"])
    #expect(try CommandWords.split(#"x "" y"#) == ["x", "", "y"])
    #expect(try CommandWords.split("") == [])
    #expect(throws: CommandWords.SplitError.self) { try CommandWords.split(#"tokenize "open"#) }
}

@Test func suggestsTheNearestCommand() {
    let names = ["lessons", "repl", "tokenize", "bench", "prob"]
    #expect(CommandWords.nearest(to: "lesons", in: names) == "lessons")
    #expect(CommandWords.nearest(to: "tokenise", in: names) == "tokenize")
    #expect(CommandWords.nearest(to: "rpl", in: names) == "repl")
    #expect(CommandWords.nearest(to: "zzzzzzzz", in: names) == nil)
    #expect(CommandWords.editDistance("kitten", "sitting") == 3)
}

@Test func displayWidthCountsCells() {
    TerminalLocale.activate()
    #expect(EastAsianWidth.cells("abc") == 3)
    #expect(EastAsianWidth.cells("中文") == 4)
    #expect(EastAsianWidth.cells("e\u{301}") == 1)            // e + combining acute
    #expect(EastAsianWidth.truncate("语言模型", toCells: 5) == "语言…")
    #expect(EastAsianWidth.pad("中", toCells: 4) == "中  ")
    #expect(EastAsianWidth.cells(EastAsianWidth.pad("什么是语言模型", toCells: 9)) == 9)
}

@Test func localeLanguageAndUTF8Detection() {
    #expect(LessonLanguage.fromEnvironment(["LANG": "zh_CN.UTF-8"]) == .zh)
    #expect(LessonLanguage.fromEnvironment(["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
    #expect(LessonLanguage.fromEnvironment([:]) == .en)
    #expect(TerminalLocale.isUTF8("C.UTF-8") && TerminalLocale.isUTF8("zh_CN.utf8") && !TerminalLocale.isUTF8("C"))
}

@Test func courseOutlineHasTenLessonsInBothLanguages() throws {
    let root = try #require(ProjectPaths.root(currentDirectory: #filePath))
    let course = try Course(lessonsDirectory: root.appendingPathComponent("Lessons"))
    #expect(course.lessons.map(\.number) == Array(1...10))
    for l in course.lessons {
        #expect(!l.title(.en).isEmpty && !l.title(.zh).isEmpty && l.title(.en) != l.title(.zh))
        #expect(!l.summary(.en).isEmpty && !l.summary(.zh).isEmpty)
    }
}

@Test func homeScreenAlignsChineseColumns() throws {
    TerminalLocale.activate()
    var env = LabEnvironment.current                                    // this test's project, not the process's
    env["LMLAB_HOME"] = try #require(ProjectPaths.root(currentDirectory: #filePath)).path
    let screen = try LabEnvironment.$override.withValue(env) { try Home.render(language: .zh, width: 100) }
    let lessonLines = screen.split(separator: "\n").filter { line in ["待编写", "可运行"].contains { line.hasSuffix($0) } }
    #expect(lessonLines.count == 10)
    // Every lesson line has the same display width: the columns line up.
    let widths = Set(lessonLines.map { EastAsianWidth.cells(String($0)) })
    print("zh home screen lesson line widths: \(widths)")
    #expect(widths.count == 1)
    #expect(screen.contains("什么是语言模型"))
    #expect(screen.contains("lmlab repl"))
}

@Test func replExecutesLinesAndSurvivesErrors() {
    #expect(ReplCommand.execute("") == .ok)
    #expect(ReplCommand.execute("exit") == .exit)
    #expect(ReplCommand.execute("lesons") == .failed)           // unknown: suggestion printed, session goes on
    #expect(ReplCommand.execute(#"lessons "unclosed"#) == .failed)
    #expect(ReplCommand.execute("lessons --lang fr") == .failed) // validation error, not a crash
    #expect(ReplCommand.execute("help lessons") == .ok)
    #expect(ReplCommand.execute("repl") == .failed)             // no REPL inside the REPL
}

/// The completion the REPL and the notebook make (the project's names): commands, their options, model names.
@Test func completionOffersCommandsTheirOptionsAndModelNames() {
    let c = CommandCompletion(root: LMLabMain.commandTree)
    #expect(["generate", "beam", "bench"].allSatisfy(c.candidates(before: "", word: "").contains))
    #expect(c.candidates(before: "bench ", word: "ex") == ["explorers"])
    let options = c.candidates(before: "generate x ", word: "--")
    #expect(["--temperature", "--top-p", "--max-new-tokens"].allSatisfy(options.contains), "\(options)")
    let models = c.candidates(before: "generate x --model ", word: "")
    #expect(["tiny-ernie", "tiny-ernie-instruct", "ernie-4.5-0.3b"].allSatisfy(models.contains), "\(models)")
    var count = 0
    func visit(_ node: CommandTree.Command, _ path: String) {
        let offered = c.candidates(before: path, word: "--")
        count += offered.count
        #expect(!offered.contains { $0.hasSuffix("-") }, "no half-read option names after '\(path)': \(offered)")
        for sub in node.subcommands ?? [] { visit(sub, path + sub.commandName + " ") }
    }
    visit(c.root, "")
    print("options offered over every command: \(count)")
}

@Test func aLineContinuesInsideAQuoteOrAfterABackslash() {
    #expect(CommandWords.needsContinuation("tokenize \"Hello,"))
    #expect(!CommandWords.needsContinuation("prob 'it\\'"), "a backslash is literal inside single quotes, so ' closes")
    #expect(CommandWords.needsContinuation("prob it's"), "an apostrophe opens a single quote, as in a shell")
    #expect(CommandWords.needsContinuation("generate \"x\" \\"))
    #expect(!CommandWords.needsContinuation("generate \"x\" --model tiny-ernie"))
    #expect(!CommandWords.needsContinuation("tokenize \"a \\\" b\""), "an escaped quote inside quotes does not close")
    #expect(!CommandWords.needsContinuation("tokenize a\\ b"), "an escaped space is not a continuation")
}

/// The REPL in a pipe: a quoted argument spanning two lines and a `\` continuation run as one command, with no
/// escape codes in the output; an unclosed quote at the end of input is reported.
@Test func replReadsMultiLineInputFromAPipe() throws {
    guard let lmlab = builtLmlab() else { print("SKIPPED replReadsMultiLineInputFromAPipe: no built lmlab next to the tests (run swift build first)."); return }
    let model = shippedTinyErnie
    let run = try LabRun.run([lmlab, "repl"], input: "tokenize \"Hello,\nworld\" \\\n  --model \(model)\ntokenize \"unclosed\n")
    let text = run.stdout + run.stderr
    print(text)
    #expect(text.contains("decoded:   \"Hello,\\nworld\""), "the two lines became one quoted argument")
    #expect(text.contains("unclosed \" opened"), "the unclosed quote at the end is reported")
    #expect(!text.contains("\u{1B}["), "no escape codes in a pipe")
}

/// LANG=zh_CN.UTF-8 where that locale is not installed (a container with only C.UTF-8) is UTF-8 all the same: the lab
/// uses C.UTF-8 without a word. It said "the locale (unset) is not UTF-8", in English, before every command (w17 REPL
/// walk 6). A locale that is not UTF-8 still gets the note, in the line's language.
@Test func aUTF8LocaleThatIsNotInstalledFallsBackSilently() throws {
    guard let lmlab = builtLmlab() else { print("SKIPPED aUTF8LocaleThatIsNotInstalledFallsBackSilently: no built lmlab"); return }
    let missing = try LabRun.run([lmlab, "--version"], environment: ["LANG": "xx_YY.UTF-8"], removing: ["LC_ALL", "LC_CTYPE"])
    #expect(missing.exitCode == 0 && missing.stderr.isEmpty, "\(missing)")
    let plain = try LabRun.run([lmlab, "--version", "--lang", "zh"], environment: ["LANG": "C"], removing: ["LC_ALL", "LC_CTYPE"])
    #expect(plain.exitCode == 0 && plain.stderr.hasPrefix("提示：locale C 不是 UTF-8，改用 C.UTF-8"), "\(plain)")
}
