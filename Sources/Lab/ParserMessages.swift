// ParserMessages — what swift-argument-parser says about a mistyped command line ("Error: Missing value for
// '--temperature <temperature>'", "Usage: …", "See '… --help' for more information.") in the learner's language.
//
// ArgumentParser words its errors in English and offers no hook to word them otherwise, so a Chinese learner's
// typo came back half English: our own refusals ("--n 9 超出了 1…5") in Chinese, the parser's in English. Its
// messages are few and fixed (Usage/UsageGenerator.swift and MessageInfo.swift of the pinned version); each one
// the learner can cause is a pattern below, and its names and values are carried over as they were typed. A line
// that matches none (our own messages, already in the learner's language, or a wording a newer ArgumentParser
// brings) is kept as it is: English at worst, never wrong. The option help after "Help:" is the help pages'
// Chinese (CommandHelpChinese); the usage line stays as the parser writes it: its names are what is typed.
import Foundation
import LabCore

public enum ParserMessages {
    /// `text` (one or more lines of an error as the command line, the REPL or a cell shows it) with the parser's
    /// English in the learner's language (unchanged in English), and its control characters shown, not sent: an
    /// error may quote what was typed (a word not in the vocabulary), escape sequences and bells included.
    public static func inLearnerLanguage(_ text: String) -> String {
        let text = VisibleText.escapingControls(text, keepingNewlines: true)
        guard Learner.language == .zh else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { translated(String($0)) }
            .joined(separator: "\n")
    }

    /// The same without the "Error: " label it starts with (in either language), where the report around it says
    /// already that the line failed (a cell's status, `lesson run`'s report).
    public static func inLearnerLanguageWithoutLabel(_ text: String) -> String {
        let message = inLearnerLanguage(text)
        let label = labels[0]
        for prefix in [label.english, label.chinese] where message.hasPrefix(prefix) {
            return String(message.dropFirst(prefix.count))
        }
        return message
    }

    /// The label before an error the lab prints itself (a lesson run's failure, a line the REPL cannot split), in the
    /// learner's language; ArgumentParser's own "Error: " is worded again by `inLearnerLanguage`.
    public static var errorLabel: String { Learner.text("error: ", "错误：") }

    /// `message` (an error as the command line shows it, in the learner's language) as the REPL shows it: its
    /// commands as they are typed there, without `lmlab` ("用法：rl …", "详见 'help rl'"), and each line wrapped to
    /// `columns` between words (the terminal cut them anywhere), a usage line's continuation under its first word.
    public static func asTypedInRepl(_ message: String, columns: Int) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).flatMap { part -> [String] in
            var line = String(part)
            var indent = line.prefix { $0 == " " }.count
            for label in ["Usage: ", "用法：", "   or: ", "   或："] where line.hasPrefix(label + "lmlab ") {
                line = label + line.dropFirst(label.count + "lmlab ".count)
                indent = EastAsianWidth.cells(label)
            }
            if let command = line.between("  See 'lmlab ", " --help' for more information.") {
                line = "  See 'help \(command)' for more information."
            } else if let command = line.between("  详见 'lmlab ", " --help'。") {
                line = "  详见 'help \(command)'。"
            }
            guard EastAsianWidth.cells(line) > columns else { return [line] }
            return CommandGuide.wrapped(line, width: columns, hangingIndent: indent)
        }.joined(separator: "\n")
    }

    /// The labels that start a line, and what follows each: a sentence to word again or text kept as it is. The
    /// error label comes first.
    private static let labels: [(english: String, chinese: String, sentence: Bool)] = [
        ("Error: ", "错误：", true), ("Help:  ", "说明：", false), ("Usage: ", "用法：", false),
        ("   or: ", "   或：", true),
    ]

    private static func translated(_ line: String) -> String {
        for label in labels where line.hasPrefix(label.english) {
            let rest = String(line.dropFirst(label.english.count))
            return label.chinese + (label.sentence ? sentence(rest) : label.english == "Help:  " ? optionHelp(rest) : rest)
        }
        if let command = line.between("  See '", "' for more information.") { return "  详见 '\(command)'。" }
        return line
    }

    /// "--top-k <top-k>  Keep the K most likely tokens (1…1000000)." with the option's help in Chinese (the help
    /// pages' line), its name as it is typed.
    private static func optionHelp(_ text: String) -> String {
        guard let gap = text.range(of: "  "),
              let chinese = CommandHelpChinese.options[String(text[gap.upperBound...])] else { return text }
        return text[..<gap.upperBound] + chinese
    }

    /// One of the parser's sentences in Chinese, or `text` as it is when it is none of them.
    private static func sentence(_ text: String) -> String {
        for (pattern, chinese) in sentences {
            if let match = text.wholeMatch(of: pattern) {
                let parts = match.output.dropFirst().map { $0.substring.map(String.init) ?? "" }
                return chinese(parts)
            }
        }
        return text
    }

    // The parser's sentences (quotes as it writes them) and their Chinese, from the captured names and values.
    nonisolated(unsafe) private static let sentences: [(Regex<AnyRegexOutput>, ([String]) -> String)] = [
        (#"Missing expected argument '(.+)'"#, { "缺少必需的参数 '\($0[0])'。" }),
        (#"Missing one of: (.+)"#, { "缺少其中之一：\($0[0])。" }),
        (#"Missing value for '(.+?)'(?: in '(.+)')?"#,
         { "'\($0[0])' 后面缺少值" + ($0[1].isEmpty ? "。" : "（在 '\($0[1])' 中）。") }),
        (#"Unknown option '(.+)'\. Did you mean '(.+)'\?"#,
         { "没有 '\($0[0])' 这个选项。你是说 '\($0[1])' 吗？" }),
        (#"Unknown option '(.+)'"#, { "没有 '\($0[0])' 这个选项。" }),
        (#"The value '(.*)' is invalid for '(.+)'\. Please provide one of (.+)\."#,
         { "'\($0[1])' 不接受 '\($0[0])' 这个值。可选：\(choices($0[2]))。" }),
        (#"The value '(.*)' is invalid for '(.+)'\. Please provide one of the following:"#,
         { "'\($0[1])' 不接受 '\($0[0])' 这个值。可选：" }),
        (#"The value '(.*?)' is invalid for '(.+?)'(?:: (.+))?"#,
         { "'\($0[1])' 不接受 '\($0[0])' 这个值" + ($0[2].isEmpty ? "。" : "：\($0[2])") }),
        (#"The option '(.+)' does not take any value, but '(.*)' was specified\."#,
         { "选项 '\($0[0])' 不带值，却给了 '\($0[1])'。" }),
        (#"Unexpected argument '(.*)'"#, { "多余的参数 '\($0[0])'。" }),
        (#"(\d+) unexpected arguments: (.+)"#, { "\($0[0]) 个多余的参数：\($0[1])。" }),
        (#"Missing required subcommand\."#, { _ in "缺少子命令。" }),
        (#"Invalid option: (.+)"#, { "无效的选项：\($0[0])。" }),
        (#"Value to be set with (.+) had already been set with (.+)"#,
         { "\($0[0]) 要设的值已经由 \($0[1]) 设过了。" }),
    ].map { (try! Regex($0.0), $0.1) }

    /// "'greedy', 'beam' or 'sample'" → "'greedy'、'beam'、'sample'".
    private static func choices(_ list: String) -> String {
        list.replacingOccurrences(of: "', '", with: "'、'").replacingOccurrences(of: "' or '", with: "'、'")
            .replacingOccurrences(of: "' and '", with: "'、'")
    }
}

private extension String {
    /// The text between `start` at the beginning and `end` at the end, or nil.
    func between(_ start: String, _ end: String) -> String? {
        guard hasPrefix(start), hasSuffix(end), count >= start.count + end.count else { return nil }
        return String(dropFirst(start.count).dropLast(end.count))
    }
}
