// ChineseHelpPage — `lmlab <command> --help` (and `help NAME` in the REPL and in cells) for a Chinese learner: the
// page ArgumentParser prints, laid out again from its own description of the command (CommandTree) with the words of
// CommandHelpChinese and CommandGuide, wrapped by display width so a line of Chinese never runs past the terminal
// (ArgumentParser counts characters, and a Chinese character takes two cells):
//
//   概述：采样续写；加 --show-dist 显示下一个词元的分布（原始与处理后）。
//   ……discussion……
//   用法：lmlab sample [<options>] [<text>] --model <model>
//   参数：  <text>    要续写的文字……
//   选项：  --top-k <top-k>    保留最可能的 K 个词元（1…1000000）。
//
// Option names, values and the usage line are the parser's, as they are typed. An English text with no Chinese yet is
// shown as it is (a test keeps the tables complete).
import LabCore

public enum ChineseHelpPage {
    /// For a Chinese learner, the page `words` ask for: `help NAME …`, `NAME … --help`, or a group alone (`ngram`),
    /// whose help is what it prints; the root's is `root()`. nil in English (a line's `--lang en` included), or when
    /// the line asks for no help (or for a command that does not exist). `usage` gives a command's usage line by
    /// its path.
    public static func asked(by words: [String], tree: CommandTree.Command, columns: Int, root: () -> String,
                             usage: ([String]) -> String) -> String? {
        guard (LessonLanguage.requested(in: words) ?? Learner.language) == .zh else { return nil }
        let byName = words.first == "help"
        let (command, path, rest) = tree.descend(byName ? words.dropFirst() : words[...])
        let isGroup = command.subcommands?.isEmpty == false && command.defaultSubcommand == nil
        // `help nosuch` (the REPL's `nosuch --help`): not the group's page; the caller says there is no such command.
        if isGroup || path.isEmpty, let word = rest.first, !word.hasPrefix("-") { return nil }
        let options = rest.prefix { $0 != "--" }
        guard byName ? rest.isEmpty : options.contains("--help") || options.contains("-h") || (rest.isEmpty && isGroup)
        else { return nil }
        return path.isEmpty ? root() : page(command, path: path, usage: usage(path), columns: columns)
    }

    /// The page of `command`, found at `path` from the root ([] is `lmlab` itself); `usage` is the parser's usage
    /// line ("lmlab sample [<options>] …").
    public static func page(_ command: CommandTree.Command, path: [String], usage: String,
                            columns: Int = 80) -> String {
        let width = max(40, columns)
        var lines: [String] = []
        let name = path.joined(separator: " ")
        if let overview = overview(command, path: path) {
            lines += CommandGuide.wrapped("概述：" + overview, width: width, hangingIndent: 0)
            lines.append("")
        }
        if let discussion = command.discussion, !discussion.isEmpty {
            let chinese = CommandHelpChinese.discussions[name].map { withExamples($0, from: discussion) }
            lines += paragraphs(chinese ?? discussion, width: width)
            lines.append("")
        }
        lines += CommandGuide.wrapped("用法：" + usage, width: width, hangingIndent: 6)
        // ArgumentParser's order: the arguments, each titled group (where its first member stands), the untitled
        // options, the subcommands.
        let arguments = command.visibleArguments
        var groups: [(title: String, rows: [(String, String)])] = []
        var options: [(String, String)] = []
        for (i, a) in arguments.enumerated() where a.kind != "positional" {
            // A flag and its inversion (--bos, --no-bos) are one row, "--bos/--no-bos", as the parser shows them.
            if i > 0, isInversion(a, of: arguments[i - 1]) { continue }
            let inverted = i + 1 < arguments.count && isInversion(arguments[i + 1], of: a)
            let row = (label(a) + (inverted ? "/" + label(arguments[i + 1]) : ""), help(a))
            guard let title = a.sectionTitle.map({ CommandHelpChinese.sectionTitles[$0] ?? $0 }) else {
                options.append(row)
                continue
            }
            if let g = groups.firstIndex(where: { $0.title == title }) { groups[g].rows.append(row) } else {
                groups.append((title, [row]))
            }
        }
        let subcommands = (command.subcommands ?? []).filter { $0.shouldDisplay ?? true }
        let sections = [("参数", arguments.filter { $0.kind == "positional" }.map { (label($0), help($0)) })] + groups
            + [("选项", options),
               ("子命令", subcommands.map { ($0.commandName, subcommandLine(path + [$0.commandName]) ?? $0.abstract ?? "") })]
        for (title, rows) in sections where !rows.isEmpty {
            lines += ["", title + "："] + table(rows, width: width)
        }
        if !subcommands.isEmpty {
            lines += [""] + CommandGuide.wrapped("  各子命令的详细说明：lmlab help \(name.isEmpty ? "" : name + " ")<子命令>",
                                                 width: width, hangingIndent: 4)
        }
        lines += [""] + CommandGuide.wrapped("英文版的这一页：lmlab " + (name.isEmpty ? "" : name + " ") + "--help --lang en",
                                             width: width, hangingIndent: 2)
        return lines.joined(separator: "\n")
    }

    /// What the command does in one line: the Chinese line of CommandGuide (top-level commands and subcommands).
    static func overview(_ command: CommandTree.Command, path: [String]) -> String? {
        guard let first = path.first else { return "亲手运行，学懂大语言模型的终端实验室。" }
        if path.count == 1 { return CommandGuide.chinese[first] ?? command.abstract }
        return subcommandLine(path) ?? command.abstract
    }

    static func subcommandLine(_ path: [String]) -> String? {
        let name = path.joined(separator: " ")
        return path.count == 1 ? CommandGuide.chinese[name]
            : CommandGuide.subcommandChinese.first(where: { $0.path == name })?.line
    }

    /// Whether `a` is the `--no-` flag ArgumentParser declares beside `flag` (`@Flag(inversion: .prefixedNo)`).
    static func isInversion(_ a: CommandTree.Argument, of flag: CommandTree.Argument) -> Bool {
        a.kind == "flag" && flag.kind == "flag" && a.abstract == flag.abstract
            && a.names?.map(\.name) == flag.names?.map { "no-" + $0.name }
    }

    /// "--top-k <top-k>", "-h, --help", "<text>", "<files> ...": as ArgumentParser writes an argument.
    static func label(_ a: CommandTree.Argument) -> String {
        let value = "<\(a.valueName ?? "value")>" + (a.isRepeating == true ? " ..." : "")
        if a.kind == "positional" { return value }
        let names = (a.names ?? []).sorted { ($0.kind == "short" ? 0 : 1) < ($1.kind == "short" ? 0 : 1) }
            .map { $0.kind == "long" ? "--" + $0.name : "-" + $0.name }.joined(separator: ", ")
        return a.kind == "option" ? names + " " + value : names
    }

    /// The help of an argument in Chinese, with its values and default as the parser lists them.
    static func help(_ a: CommandTree.Argument) -> String {
        let english = a.abstract ?? ""
        let text = CommandHelpChinese.options[english] ?? english
        var notes: [String] = []
        if let values = a.allValues, !values.isEmpty { notes.append("可选值：" + values.joined(separator: ", ")) }
        // The parser adds the default after the help, even one that names it already: once is enough.
        if let d = a.defaultValue, !d.isEmpty, a.kind != "flag", !text.contains("默认") { notes.append("默认：" + d) }
        guard !notes.isEmpty else { return text }
        // Inside the sentence ("…的种子（默认：0）。", not after its full stop), and inside the bracket that ends it
        // ("阶数 n（1…5；默认：3）。", not "（1…5）（默认：3）").
        let stop = text.hasSuffix("。") ? "。" : ""
        let sentence = text.dropLast(stop.count)
        let note = notes.joined(separator: "；")
        return sentence.hasSuffix("）") ? sentence.dropLast() + "；" + note + "）" + stop
            : sentence + "（" + note + "）" + stop
    }

    /// Rows "  label   text" with the text in one column from the 27th cell, as ArgumentParser lays them out; a
    /// label too long for the column puts its text on the next line.
    static func table(_ rows: [(String, String)], width: Int) -> [String] {
        let column = 26
        return rows.flatMap { label, text -> [String] in
            let head = "  " + label
            if text.isEmpty { return [head] }
            if EastAsianWidth.cells(head) + 2 <= column {
                return CommandGuide.wrapped(EastAsianWidth.pad(head, toCells: column) + text, width: width,
                                            hangingIndent: column)
            }
            return [head] + CommandGuide.wrapped(String(repeating: " ", count: column) + text, width: width,
                                                 hangingIndent: column)
        }
    }

    /// The headings of an English discussion's command blocks, and their Chinese.
    static let blockHeadings = ["Examples:": "示例：", "Afterwards:": "之后："]

    /// The Chinese discussion with the English one's commands under each of its headings ("示例：", "之后："), block
    /// by block: the commands are written once, in the English (CommandHelp), and cannot drift apart.
    static func withExamples(_ chinese: String, from english: String) -> String {
        var blocks = commandBlocks(english)[...]
        return chinese.components(separatedBy: "\n").flatMap { line -> [String] in
            guard blockHeadings.values.contains(line), let block = blocks.first, blockHeadings[block.heading] == line
            else { return [line] }
            blocks.removeFirst()
            return [line] + block.lines.map(withChineseNote)
        }.joined(separator: "\n")
    }

    /// The note an example command ends with, after two spaces or more ("continue after Ctrl-C"; "# " left out), or
    /// nil: the line is all command, or its end is a continuation, an option or an arrow to a path.
    public static func exampleNote(_ line: String) -> String? {
        let command = line.drop { $0 == " " }
        guard let gap = command.ranges(of: "  ").last else { return nil }
        var note = command[gap.upperBound...].drop { $0 == " " }
        if note.hasPrefix("# ") { note = note.dropFirst(2) }
        guard let first = note.first, !"-\\→<".contains(first), note.contains(where: \.isLetter) else { return nil }
        return String(note)
    }

    /// An example line with its note in Chinese (CommandHelpChinese.exampleNotes), the command as it is.
    static func withChineseNote(_ line: String) -> String {
        guard let note = exampleNote(line), let chinese = CommandHelpChinese.exampleNotes[note] else { return line }
        return line.dropLast(note.count) + chinese
    }

    /// The indented lines under each heading of `blockHeadings` in an English discussion, in order.
    static func commandBlocks(_ english: String) -> [(heading: String, lines: [String])] {
        var blocks: [(heading: String, lines: [String])] = []
        var inBlock = false
        for line in english.components(separatedBy: "\n") {
            if blockHeadings[line] != nil {
                blocks.append((line, []))
                inBlock = true
            } else if inBlock && line.hasPrefix(" ") {
                blocks[blocks.count - 1].lines.append(line)
            } else {
                inBlock = false
            }
        }
        return blocks
    }

    /// A discussion's paragraphs wrapped to `width`; an indented line (an example command) is broken only between
    /// its words, with ` \` (brokenCommand), so it can still be copied into a shell.
    static func paragraphs(_ text: String, width: Int) -> [String] {
        text.components(separatedBy: "\n").flatMap { line -> [String] in
            if line.isEmpty { return [line] }
            return line.hasPrefix(" ") ? brokenCommand(line, width: width) : CommandGuide.wrapped(line, width: width)
        }
    }

    /// An example command wider than `width`, broken as the discussions break their own: ` \` at the end of a line,
    /// the rest four cells further in; never inside quotes, an option kept with its value. A line with a note
    /// ("lmlab train tiny-ernie   the base model") stays whole: a break would make the note part of the command.
    /// (A cell laid the whole line out again at its width, splitting "--top-k" from its "5", the ` \` alone below.)
    static func brokenCommand(_ line: String, width: Int) -> [String] {
        guard EastAsianWidth.cells(line) > width, exampleNote(line) == nil else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        var words: [String] = [], current = "", quote: Character? = nil
        for ch in line.dropFirst(indent.count) {
            if let q = quote { if ch == q { quote = nil } } else if ch == "\"" || ch == "'" { quote = ch }
            if ch == " " && quote == nil { if !current.isEmpty { words.append(current) }; current = ""; continue }
            current.append(ch)
        }
        if !current.isEmpty { words.append(current) }
        var units: [String] = []                  // "--top-k 5", and a trailing "\", stay with the word before
        for word in words {
            let isValue = units.last.map { $0.hasPrefix("-") && !$0.contains(" ") && !word.hasPrefix("-") } ?? false
            if !units.isEmpty, word == "\\" || isValue {
                units[units.count - 1] += " " + word
            } else { units.append(word) }
        }
        var out: [String] = [], row = indent
        for (i, unit) in units.enumerated() {
            let candidate = row.allSatisfy { $0 == " " } ? row + unit : row + " " + unit
            let reserve = i == units.count - 1 ? 0 : 2         // room for a " \" after it
            if EastAsianWidth.cells(candidate) + reserve <= width || row.allSatisfy({ $0 == " " }) {
                row = candidate
            } else {
                out.append(row + " \\")
                row = indent + "    " + unit
            }
        }
        return out + [row]
    }
}
