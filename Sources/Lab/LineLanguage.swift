// LineLanguage — `--lang en|zh` on any command line, in the terminal, the REPL and a lesson cell alike. The course's
// commands (lesson, exercise, home, …) declare --lang themselves; for every other command (prob, sample, train, …)
// the line's --lang is taken out before parsing and the command runs in that language, so a learner who met
// `--lang zh` in one command can use it on the next. A --help line keeps it: the help page reads it
// (`LessonLanguage.requested`), and the root's page, which has no --lang of its own, is shown in that language;
// `help NAME` has it taken out (the parser's help command takes no option). Before the command
// (`lmlab --lang zh models`) it means the same as after it.
import LabCore

public enum LineLanguage {
    /// `words` without a --lang the command does not declare, and the language that --lang asks for (nil: the line
    /// has none, or its command reads --lang itself).
    /// - Throws: `OptionError` for a value other than en or zh, or a --lang with no value.
    public static func split(_ words: [String], tree: CommandTree.Command) throws(OptionError)
        -> (words: [String], language: LessonLanguage?) {
        if let moved = commandAfterLanguage(words, tree: tree) { return try split(moved, tree: tree) }
        let end = words.firstIndex(of: "--") ?? words.endIndex
        guard words[..<end].indices.contains(where: { LessonLanguage.option(at: words[$0..<end]) != nil }) else {
            return (words, nil)
        }
        let byName = words.first == "help"
        let (command, path, _) = tree.descend(byName ? words.dropFirst() : words[...])
        let isHelp = byName || words[..<end].contains { $0 == "--help" || $0 == "-h" }
        // `help NAME --lang zh` (the command line's help, which takes no options): taken out, like any command's.
        if !byName, isHelp ? !path.isEmpty : declaresLanguage(command) { return (words, nil) }
        var kept: [String] = [], language: LessonLanguage?
        var k = 0
        while k < end {
            guard let option = LessonLanguage.option(at: words[k..<end]) else { kept.append(words[k]); k += 1; continue }
            guard let value = option.value, !value.hasPrefix("-") else {
                throw OptionError(Learner.text("--lang needs a value. HINT: --lang en or --lang zh.",
                                               "--lang 需要一个值。HINT：--lang en 或 --lang zh。"))
            }
            language = try LessonLanguage(option: value)
            k += option.words
        }
        return (kept + words[end...], language)
    }

    /// `--lang zh models`: a --lang before a command (or `help`) moved after it, where the command or this split reads
    /// it; nil for any other line. The root's own --lang is home's (`lmlab --lang zh` opens the notebook in Chinese),
    /// so the parser took `models` as an unexpected argument of home and said --lang did not exist.
    static func commandAfterLanguage(_ words: [String], tree: CommandTree.Command) -> [String]? {
        guard let lang = LessonLanguage.option(at: words[...]) else { return nil }
        let option = Array(words.prefix(lang.words)), rest = Array(words.dropFirst(option.count))
        let commands = (tree.subcommands ?? []).map(\.commandName) + ["help"]
        guard let next = rest.first, commands.contains(next) else { return nil }
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        return Array(rest[..<end]) + option + rest[end...]
    }

    /// True when `command`, or the subcommand it runs when none is named (the root runs home), reads --lang itself.
    static func declaresLanguage(_ command: CommandTree.Command) -> Bool {
        let own = { (c: CommandTree.Command) in (c.arguments ?? []).contains { $0.spellings.contains("--lang") } }
        let fallback = command.defaultSubcommand.flatMap { name in command.subcommands?.first { $0.commandName == name } }
        return own(command) || fallback.map(own) == true
    }
}
