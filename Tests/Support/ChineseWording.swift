// ChineseWording — what the tests of the learner's language check in a message written for a Chinese learner: its
// HINT has the full-width colon (“HINT：”, no space before it in prose), and no run of three English words is left
// outside what the message quotes verbatim (commands in backticks, `lmlab …` command lines, quoted values, paths,
// addresses). The English message is checked separately to be exactly as it was.
import Foundation

public enum ChineseWording {
    /// The first run of three English words in `zh` outside its quoted parts, or nil when there is none.
    public static func englishRun(in zh: String) -> String? {
        var text = zh
        for pattern in [
            "`[^`]*`",                            // commands in backticks
            "\"[^\"]*\"", "“[^”]*”", "'[^']*'",   // quoted values
            "lmlab [^。；，（）：、]*",                // a command line written out: up to the next Chinese punctuation
            "https?://\\S+",                      // addresses
            "(?:~|\\.{0,2})?/?[\\w.-]+(?:/[\\w.{}-]+)+", // paths
        ] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        guard let range = text.range(of: "[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", options: .regularExpression) else { return nil }
        return String(text[range])
    }

    /// What is wrong with `zh` as the Chinese twin of `en`, or nil: it must differ from `en`, carry a HINT when `en`
    /// does (as “HINT：”, never “HINT: ”), and leave no English prose.
    public static func problem(zh: String, en: String) -> String? {
        if zh == en { return "the Chinese message is the English one" }
        if en.contains("HINT: ") && !zh.contains("HINT：") { return "no “HINT：” where the English has a HINT" }
        if zh.contains("HINT: ") { return "“HINT: ” with an ASCII colon" }
        if zh.contains(" HINT：") { return "a space before “HINT：”" }
        if let run = englishRun(in: zh) { return "English prose left: “\(run)”" }
        return nil
    }
}
