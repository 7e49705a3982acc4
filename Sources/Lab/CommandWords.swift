// CommandWords — split one line of the command language into words, as a shell would (quotes, escapes),
// and suggest the nearest command when a word is unknown.
//
// Lesson cells, the REPL and the CLI all end up with the same argument list, so one parser serves all three:
//   tokenize "Hello, world" --model tiny    →  ["tokenize", "Hello, world", "--model", "tiny"]

import LabCore

public enum CommandWords {
    /// A problem with the line itself (an unclosed quote), naming the column.
    public struct SplitError: Error, CustomStringConvertible {
        /// What is wrong with the line ("unclosed \" opened at column 7").
        public let reason: String
        /// How to fix it.
        public let hint: String
        public var description: String { Learner.text("\(reason). HINT: \(hint)", "\(reason)。HINT：\(hint)") }
    }

    /// True when `line` cannot end here: a quote is still open, or the last character is an unescaped `\` (the
    /// REPL then reads a continuation line, as a shell does).
    public static func needsContinuation(_ line: String) -> Bool {
        let s = scan(line)
        return s.openQuote != nil || s.danglingEscape
    }

    /// Splits on unquoted whitespace; '…' keeps everything literally, "…" allows \" and \\ inside, \ escapes one character.
    public static func split(_ line: String) throws -> [String] {
        let s = scan(line)
        if let (q, column) = s.openQuote {
            throw SplitError(reason: Learner.text("unclosed \(q) opened at column \(column)", "第 \(column) 列开始的 \(q) 没有闭合"),
                             hint: Learner.text("close the quote, or escape it with \\\(q).", "把引号闭合，或用 \\\(q) 转义它。"))
        }
        return s.words
    }

    /// One pass over the line: its words, and how it ends (a quote left open at a column, a trailing lone `\`,
    /// which is kept as a literal backslash in the last word).
    private static func scan(_ line: String) -> (words: [String], openQuote: (Character, Int)?, danglingEscape: Bool) {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaped = false
        var column = 0
        var quoteColumn = 0
        for ch in line {
            column += 1
            if escaped { current.append(ch); escaped = false; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil }
                else if ch == "\\" && q == "\"" { escaped = true }
                else { current.append(ch) }
                continue
            }
            switch ch {
            case "\\": escaped = true; inWord = true
            case "\"", "'": quote = ch; quoteColumn = column; inWord = true
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(ch); inWord = true
            }
        }
        if escaped && quote == nil { current.append("\\") }
        if inWord { words.append(current) }
        return (words, quote.map { ($0, quoteColumn) }, escaped && quote == nil)
    }

    /// nil when `first` starts a command line (an option or one of `commands`); else "unknown command 'x'. Did you
    /// mean 'y'?" in the learner's language, the guess taken from `commands` and `alsoKnown` (a REPL's own words).
    public static func unknownCommand(_ first: String, commands: [String], alsoKnown: [String] = []) -> String? {
        guard !first.hasPrefix("-"), !commands.contains(first) else { return nil }
        let name = VisibleText.escapingControls(first)
        var message = Learner.text("unknown command '\(name)'.", "没有叫 '\(name)' 的命令。")
        if let guess = nearest(to: first, in: commands + alsoKnown) {
            message += Learner.text(" Did you mean '\(guess)'?", "你是说 '\(guess)' 吗？")
        }
        return message
    }

    /// What follows `unknownCommand` on the command line and in a lesson cell (the REPL says `help` instead).
    public static var listCommandsHint: String {
        Learner.text(" HINT: `lmlab help` lists the commands.", "HINT：`lmlab help` 列出所有命令。")
    }

    /// The command line's answer when `words` (without `lmlab`) do not start with a command, also after a leading
    /// `--lang en|zh` or `help` (`lmlab help foo`), in the language of the line's `--lang` wherever it stands
    /// (`lmlab foo --lang zh`): `unknownCommand` and the hint. nil when they start with a command, an option, or
    /// nothing (the parser answers those).
    public static func unknownCommandLine(_ words: [String], commands: [String]) -> String? {
        var rest = words[...]
        if let option = LessonLanguage.option(at: rest) {
            guard (try? LessonLanguage(option: option.value)) != nil else { return nil }  // the parser says why
            rest = rest.dropFirst(option.words)
        }
        if rest.first == "help" { rest = rest.dropFirst() }      // `lmlab help nosuch`: the same answer
        guard let first = rest.first, first != "help" else { return nil }        // `lmlab help help`: the parser's
        return Learner.$language.withValue(LessonLanguage.requested(in: words) ?? Learner.language) {
            unknownCommand(first, commands: commands).map { $0 + listCommandsHint }
        }
    }

    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(1, min(3, word.count / 2))
        if best.1 <= limit { return best.0 }
        return candidates.first { $0.hasPrefix(word.lowercased()) && !word.isEmpty }
    }

    /// Levenshtein distance over Characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
