// A usage error in the REPL is written as the REPL types commands (`用法：rl …`, `详见 'help rl'`, not `lmlab rl`)
// and wrapped between words at the terminal's width: the terminal cut '[--beta <be' / 'ta>]' at 80 columns.
import ArgumentParser
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

/// What the command line prints for a line the parser refuses, and what the REPL prints for it, `columns` wide.
private func parseError(_ words: [String], _ language: LessonLanguage,
                        columns: Int) throws -> (cli: String, repl: String) {
    try Learner.$language.withValue(language) {
        do { _ = try LMLab.parseAsRoot(words) } catch {
            let message = CommandFailure(error, command: LMLab.self).message
            return (message, ParserMessages.asTypedInRepl(message, columns: columns))
        }
        throw ValidationError("\(words) parsed")
    }
}

@Test func aUsageErrorInTheReplIsWrittenAsTheReplTypesAndWrappedBetweenWords() throws {
    for columns in [80, 60] {
        for (words, language, label) in [(["dpo-reward", "x", "--beta"], LessonLanguage.zh, "用法："),
                                         (["rl", "--stepz", "3"], .en, "Usage: ")] {
            let (cli, repl) = try parseError(words, language, columns: columns)
            print(repl)
            let command = words[0]
            let see = language == .zh ? "  详见 'help \(command)'。" : "  See 'help \(command)' for more information."
            #expect(repl.hasSuffix("\n" + see), "\(repl)")
            #expect(!repl.contains("lmlab"), "\(repl)")
            let lines = repl.split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= columns }, "\(columns) columns:\n\(repl)")
            // The usage's words come out whole, continued under the first one: its lines joined again are the
            // command line's usage without `lmlab`.
            let indent = String(repeating: " ", count: EastAsianWidth.cells(label))
            let usage = Array(lines.drop { !$0.hasPrefix(label) }
                                   .prefix { !$0.hasPrefix("  ") || $0.hasPrefix(indent) })
            let typed = try #require(cli.split(separator: "\n").first { $0.hasPrefix(label + "lmlab ") })
            #expect(usage.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                    == label + typed.dropFirst(label.count + "lmlab ".count), "\(repl)")
            #expect(usage.count > 1 && usage.dropFirst().allSatisfy { $0.hasPrefix(indent) }, "\(repl)")
        }
    }
}
