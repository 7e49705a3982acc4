// The learner's language — the one place that knows whether output is read in English or Chinese.
//
// Lessons are written in both languages (Lessons/en, Lessons/zh); every line a command prints for the learner
// (headers, table columns, ledger labels, errors) picks its wording here, so a zh lesson's cells answer in Chinese
// and an en lesson's in English. The language is a task-local value: the CLI starts from the environment, the
// notebook and `lesson run` bind the lesson's language around each cell, and tests that bind one never disturb a
// test running beside them.

import Foundation

/// A language the lessons are written in and the lab speaks.
public enum LessonLanguage: String, CaseIterable, Sendable {
    case en, zh

    /// `LMLAB_LANG` when set (en / zh), else Chinese when the locale says so (LC_ALL, LC_MESSAGES, LANG, in POSIX
    /// order), English otherwise.
    public static func fromEnvironment(_ env: [String: String] = LabEnvironment.current) -> LessonLanguage {
        for key in ["LMLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("zh") ? .zh : .en }
        }
        return .en
    }
}

/// The learner's language for whatever runs in this task (or thread).
public enum Learner {
    /// Bind with `Learner.$language.withValue(.zh) { … }` around a cell; read anywhere below it. The default is the
    /// process's language, read once: never a `LabEnvironment.override` that happened to be bound at the first read.
    @TaskLocal public static var language: LessonLanguage = .fromEnvironment(ProcessInfo.processInfo.environment)

    /// The wording for the learner's language: `Learner.text("held-out perplexity", "留出集困惑度")`.
    public static func text(_ en: String, _ zh: String) -> String {
        language == .zh ? zh : en
    }

    public static var isChinese: Bool { language == .zh }

    /// The width a cell's output is laid out for (the notebook's), bound by the cell executor around one command;
    /// nil outside a cell. Task-local rather than `COLUMNS` in the environment: two cells running at once (tests, a
    /// notebook and a headless run in one process) each keep their own width.
    @TaskLocal public static var columns: Int?
}

extension LessonLanguage {
    /// The language `--lang VALUE` asks for (en or zh, in any case); without one, the learner's.
    /// - Throws: `OptionError` for any other value.
    public init(option value: String?) throws(OptionError) {
        guard let value else { self = Learner.language; return }
        guard let language = LessonLanguage(rawValue: value.lowercased()) else {
            throw OptionError(Learner.text("--lang \(value): unknown language. HINT: use --lang en or --lang zh.",
                                           "--lang \(value)：不认识的语言。HINT：用 --lang en 或 --lang zh。"))
        }
        self = language
    }

    /// The language a command line's `--lang en|zh` (or `--lang=zh`) asks for, read before it is parsed, so that
    /// its own parse errors speak it; nil without one, or with one that parsing will refuse.
    public static func requested(in words: [String]) -> LessonLanguage? {
        let words = words.prefix { $0 != "--" }
        guard let i = words.indices.last(where: { option(at: words[$0...]) != nil }) else { return nil }
        return option(at: words[i...])?.value.flatMap { try? LessonLanguage(option: $0) }
    }

    /// The one reading of a `--lang` word, for the lines read before the parser sees them (LineLanguage, the
    /// command line's unknown-command answer, the notebook's `lmlab --lang zh`): the option at the start of `words`,
    /// `--lang VALUE` (2 words) or `--lang=VALUE` (1), and its value — nil when `--lang` is the last word. nil when
    /// the first word is not --lang.
    public static func option(at words: ArraySlice<String>) -> (value: String?, words: Int)? {
        guard let first = words.first else { return nil }
        if first == "--lang" { return (words.dropFirst().first, 2) }
        if first.hasPrefix("--lang=") { return (String(first.dropFirst("--lang=".count)), 1) }
        return nil
    }
}
