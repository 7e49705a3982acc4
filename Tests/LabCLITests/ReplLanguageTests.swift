// `lmlab repl` in the learner's language (issue 19): its pipe mode answers `help` in Chinese when
// LMLAB_LANG=zh or when the language chosen with `l` in the notebook (progress.json) is Chinese; every top-level
// command has its Chinese line (the plain home screen lists them too); a zh cell says its own errors in Chinese.
import Foundation
import Lab
import LabCore
import LabTestSupport
import Testing
@testable import LabCLI

/// `lmlab repl` reading `input`, with `progress` (when given) as the state folder's progress.json.
private func repl(_ input: String, environment extra: [String: String], progress: String? = nil) throws -> String? {
    guard let binary = builtLmlab() else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-repl-\(UUID().uuidString)")
    let state = folder.appendingPathComponent("state")
    try FileManager.default.createDirectory(at: state.appendingPathComponent("lmlab"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    if let progress { try progress.write(to: state.appendingPathComponent("lmlab/progress.json"), atomically: true, encoding: .utf8) }
    let environment = ["LMLAB_HOME": projectRoot.path, "XDG_STATE_HOME": state.path, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
    return try LabRun.run([binary, "repl"], input: ChildInput(input), environment: environment.merging(extra) { $1 },
                          removing: ["LMLAB_LANG"], deadline: 60).stdout
}

@Test func everyCommandHasAChineseLine() {
    let names = LMLabMain.commandNames
    let missing = names.filter { CommandGuide.chinese[$0] == nil }
    #expect(missing.isEmpty, "commands without a Chinese line in Lab/CommandGuide.swift: \(missing)")
    let stale = Set(CommandGuide.chinese.keys).subtracting(names)
    #expect(stale.isEmpty, "Chinese lines for commands that do not exist: \(stale.sorted())")
}

@Test func everySubcommandHasAChineseLineInItsGroupsOrder() {
    let paths = LMLab.configuration.subcommands.flatMap { group in
        group.configuration.subcommands.filter { $0.configuration.shouldDisplay }
            .map { "\(group.configuration.commandName ?? "") \($0.configuration.commandName ?? "")" }
    }
    #expect(CommandGuide.subcommandChinese.map(\.path) == paths,
            "Lab/CommandGuideSubcommands.swift lists each group's subcommands in the group's order")
    for (path, line) in CommandGuide.subcommandChinese {
        #expect(ChineseWording.englishRun(in: line) == nil, "\(path): English left in \(line)")
    }
}

@Test func replHelpIsChineseWithLMLABLANGOrTheNotebooksChoice() throws {
    guard let english = try repl("help\n", environment: [:]) else {
        print("SKIPPED replHelpIsChineseWithLMLABLANGOrTheNotebooksChoice: no built lmlab (run swift build first).")
        return
    }
    #expect(english.contains("Each line is one lab command") && english.contains("Score a text with a model"), "\(english)")

    let byEnvironment = try #require(try repl("help\nhelp tokenize\n", environment: ["LMLAB_LANG": "zh"]))
    print(byEnvironment.split(separator: "\n").prefix(4).joined(separator: "\n"))
    #expect(byEnvironment.contains("每行写一条实验室命令") && byEnvironment.contains("用模型给一段文字打分"), "\(byEnvironment)")
    #expect(byEnvironment.contains("概述：看分词器怎样切分一段文字"), "help NAME is the command's Chinese page")
    #expect(byEnvironment.contains("用法：lmlab tokenize") && !byEnvironment.contains("USAGE:"), "with the usage")

    // No LMLAB_LANG: the language chosen with `l` in the notebook (kept in progress.json) is the REPL's too.
    let byChoice = try #require(try repl("help\n", environment: [:], progress: #"{"version": 1, "lessons": {}, "language": "zh"}"#))
    #expect(byChoice.contains("每行写一条实验室命令"), "\(byChoice)")
}

@Test func theHomeScreenListsTheCommandsInChinese() throws {
    let screen = try Home.render(language: .zh, width: 100)
    #expect(screen.contains("lmlab tokenize") && screen.contains("看分词器怎样切分一段文字"), "\(screen)")
    #expect(!screen.contains("Show how a tokenizer splits a text"))
}

@Test func aChineseCellSaysItsOwnErrorsInChinese() {
    let executor = LessonCellExecutor(capture: true)
    executor.language = .zh
    #expect(executor.execute("tokenise \"hi\"") { _ in } == .failed("没有叫 'tokenise' 的命令。你是说 'tokenize' 吗？HINT：`lmlab help` 列出所有命令。"))
    if case .failed(let m) = executor.execute("repl", output: { _ in }) { #expect(m.contains("不能在课程单元里运行"), "\(m)") }
    else { Issue.record("repl ran inside a cell") }
}
