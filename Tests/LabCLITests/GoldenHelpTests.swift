// Golden `--help` screens: every command's help, at 80 columns, equals the committed text in Golden/ (English, the
// parser's) and Golden/zh/ (a Chinese learner's page).
//
// Help is the learner's first documentation; a change to it should be deliberate. To accept new help text:
//   LMLAB_UPDATE_GOLDEN=1 swift test --filter GoldenHelpTests
// then review the diff of Tests/LabCLITests/Golden/.
import ArgumentParser
import Foundation
import LabCore
import Testing
@testable import LabCLI

private let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Every command path, e.g. ["bench", "kernels"], depth first.
private func commandPaths() -> [[String]] {
    var out: [[String]] = [[]]
    func visit(_ c: ParsableCommand.Type, _ path: [String]) {
        for s in c.configuration.subcommands {
            let p = path + [s.configuration.commandName ?? "\(s)"]
            out.append(p)
            visit(s, p)
        }
    }
    visit(LMLab.self, [])
    return out
}

private func helpText(_ path: [String]) throws -> String {
    var type: ParsableCommand.Type = LMLab.self
    for name in path {
        type = try #require(type.configuration.subcommands.first { $0.configuration.commandName == name })
    }
    return LMLab.helpMessage(for: type, columns: 80) + "\n"
}

/// `text` equals the golden file of the command at `path` in `directory` (or is written there with
/// LMLAB_UPDATE_GOLDEN=1); a difference names its first line.
private func matchesGolden(_ text: String, _ path: [String], in directory: URL) throws {
    let name = path.isEmpty ? "lmlab" : "lmlab-" + path.joined(separator: "-")
    let url = directory.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["LMLAB_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let golden = try #require(try? String(contentsOf: url, encoding: .utf8),
                              "no golden help \(url.path): run LMLAB_UPDATE_GOLDEN=1 swift test --filter GoldenHelpTests")
    if golden != text {
        let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }.map(\.offset) ?? min(a.count, b.count)
        print("\(url.lastPathComponent): help differs from golden at line \(first + 1)")
    }
    #expect(golden == text, "\(url.path)")
}

@Test(arguments: commandPaths())
func helpMatchesGolden(_ path: [String]) throws {
    try matchesGolden(try helpText(path), path, in: goldenDirectory)
}

/// The same for a Chinese learner's pages (ChineseHelpPage), in Golden/zh/: the words of every page, its layout at
/// 80 columns, and the example commands it borrows from the English.
@Test(arguments: commandPaths())
func chineseHelpMatchesGolden(_ path: [String]) throws {
    let page = try #require(Learner.$language.withValue(.zh) { LMLabMain.chineseHelp(path + ["--help"], columns: 80) })
    try matchesGolden(page + "\n", path, in: goldenDirectory.appendingPathComponent("zh"))
}

@Test func everyCommandHasAnAbstractAndExamplesWhereItTakesInput() {
    for path in commandPaths().dropFirst() {
        var type: ParsableCommand.Type? = LMLab.self
        for name in path { type = type?.configuration.subcommands.first { $0.configuration.commandName == name } }
        #expect(type != nil, "lmlab \(path.joined(separator: " ")): a subcommand without an explicit commandName")
        #expect(type.map { !$0.configuration.abstract.isEmpty } ?? false, "lmlab \(path.joined(separator: " ")) has no abstract")
    }
}
