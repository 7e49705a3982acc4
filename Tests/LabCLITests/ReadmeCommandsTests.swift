// The command lines the READMEs show a newcomer (English and Chinese) are lines the lab takes: each `$ swift run
// lmlab …` and `lmlab …` of a code block parses with the root command, so a renamed option or command cannot leave
// a README that fails on its first try. (Parsing only: nothing runs.)
import ArgumentParser
import Foundation
import Lab
import Testing
@testable import LabCLI

/// The lab's command lines in the code blocks of `file`, without `swift run lmlab`/`lmlab` and trailing comments.
private func commandLines(in file: String) throws -> [String] {
    let text = try String(contentsOf: projectRoot.appendingPathComponent(file), encoding: .utf8)
    var inBlock = false
    var lines: [String] = []
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("```") { inBlock.toggle(); continue }
        guard inBlock else { continue }
        for start in ["$ swift run lmlab ", "lmlab "] where line.hasPrefix(start) {
            var command = String(line.dropFirst(start.count))
            if let comment = command.range(of: "  #") { command = String(command[..<comment.lowerBound]) }
            for shell in [" &", " > "] { if let cut = command.range(of: shell) { command = String(command[..<cut.lowerBound]) } }
            lines.append(command.trimmingCharacters(in: .whitespaces))
        }
    }
    return lines
}

@Test(arguments: ["README.md", "README.zh.md"])
func everyCommandAReadmeShowsParses(_ file: String) throws {
    let lines = try commandLines(in: file)
    print("\(file): \(lines.count) command lines")
    #expect(lines.count >= 10, "\(file) shows commands")
    for line in lines {
        let words = try CommandWords.split(line)
        do { _ = try LMLab.parseAsRoot(words) } catch {
            guard LMLab.exitCode(for: error) == .success else {
                Issue.record("\(file): `lmlab \(line)` does not parse: \(LMLab.fullMessage(for: error))")
                continue
            }
        }
    }
}
