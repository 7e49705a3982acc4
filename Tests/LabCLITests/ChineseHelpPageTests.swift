// The Chinese --help pages (Lab/ChineseHelpPage.swift, Lab/CommandHelpChinese*.swift): every text the parser shows
// has its Chinese, and a page is laid out by display width, its option names and values as the parser takes them.
import Foundation
import Testing
@testable import Lab
@testable import LabCLI
import LabCore
import LabExercises
import LabTestSupport

@Test func everyHelpTextHasItsChinese() {
    var discussions: [String: String] = [:]
    var options: [String: String] = [:]                              // English → the first command that shows it
    func visit(_ c: CommandTree.Command, _ path: [String]) {
        // The root's page is CommandGuide.rootHelp, written for it.
        if let d = c.discussion, !d.isEmpty, !path.isEmpty { discussions[path.joined(separator: " ")] = d }
        for a in c.visibleArguments { if let t = a.abstract, !t.isEmpty, options[t] == nil { options[t] = path.joined(separator: " ") } }
        for s in c.subcommands ?? [] where s.shouldDisplay ?? true { visit(s, path + [s.commandName]) }
    }
    visit(CommandTree.root(helpDump: LMLab._dumpHelp()), [])
    let missingDiscussions = discussions.keys.filter { CommandHelpChinese.discussions[$0] == nil }.sorted()
    let missingOptions = options.filter { CommandHelpChinese.options[$0.key] == nil }
        .map { "lmlab \($0.value): \($0.key)" }.sorted()
    #expect(missingDiscussions.isEmpty, "no Chinese discussion for: \(missingDiscussions)")
    #expect(missingOptions.isEmpty, "no Chinese help (\(missingOptions.count)) for:\n\(missingOptions.joined(separator: "\n"))")
    // A line whose English is gone (reworded, or its option removed) would never be shown: it goes too.
    let stale = CommandHelpChinese.discussions.keys.filter { discussions[$0] == nil }.map { "discussion \"\($0)\"" }
        + CommandHelpChinese.options.keys.filter { options[$0] == nil }.map { "option help \"\($0)\"" }
    #expect(stale.isEmpty, "Chinese for English that no command shows: \(stale.sorted())")
    // Chinese, not English again: prose lines (examples are commands) leave no run of English words.
    for (key, zh) in CommandHelpChinese.discussions {
        for line in zh.split(separator: "\n") where !line.hasPrefix(" ") {
            #expect(ChineseWording.englishRun(in: String(line)) == nil, "discussion \(key): English left in \(line)")
        }
        #expect(!zh.contains("Examples:"), "discussion \(key): 示例：, not Examples:")
    }
    // The example commands are the English discussion's, under the same headings in the same order.
    for (path, english) in discussions {
        let headings = ChineseHelpPage.commandBlocks(english).map { ChineseHelpPage.blockHeadings[$0.heading] ?? "" }
        let chinese = (CommandHelpChinese.discussions[path] ?? "").split(separator: "\n").map(String.init)
        #expect(chinese.filter { ChineseHelpPage.blockHeadings.values.contains($0) } == headings,
                "discussion \(path): the headings \(headings) where the English has its command blocks")
        #expect(!chinese.contains { $0.hasPrefix("  lmlab ") }, "discussion \(path): its commands come from the English")
    }
    // An example's note is Chinese; a note no example has any more goes.
    let notes = Set(discussions.values.flatMap { ChineseHelpPage.commandBlocks($0).flatMap(\.lines) }
        .compactMap(ChineseHelpPage.exampleNote))
    #expect(notes.subtracting(CommandHelpChinese.exampleNotes.keys).isEmpty,
            "example notes without Chinese: \(notes.subtracting(CommandHelpChinese.exampleNotes.keys).sorted())")
    #expect(Set(CommandHelpChinese.exampleNotes.keys).subtracting(notes).isEmpty, "stale example notes")
    // The English lists the pluggable exercises from ExercisePlug; the Chinese names each of them too.
    let plug = CommandHelpChinese.discussions["exercise plug"] ?? ""
    #expect(ExercisePlug.pluggable.allSatisfy { plug.contains($0) }, "exercise plug's Chinese lists \(ExercisePlug.pluggable)")
    for (en, zh) in CommandHelpChinese.options {
        #expect(zh != en && ChineseWording.englishRun(in: zh) == nil, "option help \(en): English left in \(zh)")
    }
}

/// An example wider than the page breaks only between words, each break ending in " \" as a shell continues a
/// line; quotes and an option's value stay whole; a line with a note stays whole.
@Test func anExampleCommandBreaksBetweenWords() {
    let line = "  lmlab generate \"Once upon a time\" --model tiny-ernie --top-k 5 --seed 3 --json"
    let broken = ChineseHelpPage.brokenCommand(line, width: 40)
    #expect(broken == ["  lmlab generate \"Once upon a time\" \\", "      --model tiny-ernie --top-k 5 \\",
                       "      --seed 3 --json"], "\(broken)")
    #expect(ChineseHelpPage.brokenCommand(line, width: 120) == [line])
    let noted = "  lmlab train tiny-ernie --steps 200 --out /tmp/t   a short run elsewhere"
    #expect(ChineseHelpPage.brokenCommand(noted, width: 40) == [noted])
}

@Test func aChineseHelpPageIsTheParsersPageInChineseAtTheTerminalsWidth() throws {
    try Learner.$language.withValue(.zh) {
        let page = try #require(LMLabMain.chineseHelp(["generate", "--help"], columns: 60))
        #expect(page.hasPrefix("概述：用模型续写文字"), "\(page.prefix(100))")
        let wide = try #require(LMLabMain.chineseHelp(["generate", "--help"], columns: 160))
        for heading in ["\n用法：lmlab generate [<options>] [<text>] --model <model>", "\n参数：\n  <text>", "\n束搜索：\n",
                        "\n采样：\n", "\n选项：\n  --model <model>", "可选值：greedy, beam, sample；默认：greedy）"] {
            #expect(wide.contains(heading), "\(heading) in:\n\(wide)")
        }
        // The sections stand in the parser's order: arguments, the titled groups, the other options.
        let order = ["参数：", "束搜索：", "采样：", "选项："].compactMap { page.range(of: $0)?.lowerBound }
        #expect(order.count == 4 && order == order.sorted(), "sections in the parser's order")
        // Wrapped by display cells (a Chinese character takes two), except example commands, kept whole to copy.
        for line in page.split(separator: "\n") where !line.hasPrefix("  lmlab") && !line.hasPrefix("      ") {
            #expect(EastAsianWidth.cells(String(line)) <= 60, "wider than 60 cells: \(line)")
        }
        // The English page is one `--lang en` away, a line that works in a cell and in the REPL as on the shell.
        #expect(page.hasSuffix("英文版的这一页：lmlab generate --help --lang en"))
        #expect(LMLabMain.chineseHelp(["generate", "--help", "--lang", "en"], columns: 80) == nil)
        // A group lists its subcommands in Chinese; `help` names the command the way `--help` does.
        let group = try #require(LMLabMain.chineseHelp(["help", "ngram"], columns: 80))
        #expect(group.contains("子命令：\n  train") && group.contains("  各子命令的详细说明：lmlab help ngram <子命令>"), "\(group)")
        #expect(LMLabMain.chineseHelp(["ngram"], columns: 80) == group, "a group alone shows its help")
        #expect(LMLabMain.chineseHelp(["bench", "decode", "-h"], columns: 80)?.hasPrefix("概述：ERNIE-4.5 单词元解码速度") == true)
        #expect(LMLabMain.chineseHelp(["help"], columns: 80)?.hasPrefix("LMLab —— 亲手运行") == true, "the root's page")
        // No help asked for, or none to give: the parser answers.
        #expect(LMLabMain.chineseHelp(["ngram", "prob", "x"], columns: 80) == nil, "not a help request")
        #expect(LMLabMain.chineseHelp(["exercise"], columns: 80) == nil, "a group with a default subcommand runs it")
        #expect(LMLabMain.chineseHelp(["help", "ngram", "nosuch"], columns: 80) == nil, "no such command")
        #expect(LMLabMain.chineseHelp(["prob", "--", "--help"], columns: 80) == nil, "text after -- is text")
    }
    #expect(Learner.$language.withValue(.en) { LMLabMain.chineseHelp(["ngram"], columns: 80) } == nil, "none in English")
}

/// In a zh lesson's cell, `help NAME` is the Chinese page laid out at the cell's width.
@Test func aCellsHelpIsTheChinesePageAtTheCellsWidth() {
    let executor = LessonCellExecutor(language: .zh, columns: 60)
    var shown = ""
    #expect(executor.execute("help sample") { shown += $0 } == .ok)
    #expect(shown.hasPrefix("概述：采样续写") && shown.contains("\n选项：\n  --model <model>"), "\(shown.prefix(200))")
    // Example commands too: broken between words with " \", an option kept with its value (the cell broke
    // "--top-k" from its "5" and left the " \" alone on a line).
    for line in shown.split(separator: "\n") {
        #expect(EastAsianWidth.cells(String(line)) <= 60, "wider than the cell: \(line)")
    }
    #expect(shown.contains("path/to/folder \\\n      --show-dist --top-k 5 \\\n      --json"), "\(shown)")
    var english = ""
    let en = LessonCellExecutor(language: .en, columns: 60)
    #expect(en.execute("sample --help") { english += $0 } == .ok)
    // (printed by the command while captured: a line another test prints meanwhile may come along)
    #expect(english.contains("OVERVIEW: Sample a continuation"), "\(english.prefix(80))")
}
