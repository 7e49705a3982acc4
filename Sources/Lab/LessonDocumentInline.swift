// InlineSpan — the inline Markdown a lesson's prose uses: *emphasis*, **strong**, `code` and [links](url).
//
// Deliberately small: lessons are written by the project, so the parser knows the few forms they use and treats any
// other character literally (an unmatched `*` stays a `*`). Underscores are never emphasis, so snake_case and
// `__init__` survive, and Chinese text (no spaces between words) needs no special rules.
//
//   "Greedy is **beam search** with `--beams 1`."  →  [text "Greedy is ", strong "beam search", text " with ",
//                                                     code "--beams 1", text "."]

/// A run of inline text with one look.
public struct InlineSpan: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case text, emphasis, strong, code
        /// A link: the span's text is the label, `url` where it points.
        case link(url: String)
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// The characters of the spans with the Markdown markers removed.
    public static func plainText(_ spans: [InlineSpan]) -> String { spans.map(\.text).joined() }

    /// Parses one paragraph's worth of inline Markdown.
    /// Backtick runs longer than this are text, not code fences of a span (Markdown allows any length; lessons use 1–3).
    static let longestBacktickRun = 8

    public static func parse(_ s: String) -> [InlineSpan] {
        let chars = Array(s)
        var spans: [InlineSpan] = []
        var text = ""
        func flush() {
            if !text.isEmpty { spans.append(InlineSpan(.text, text)); text = "" }
        }
        /// Index of the next occurrence of `marker` at or after `from`, or nil. Every opening mark without a closer
        /// would otherwise scan to the end of the text (a lesson of unclosed `*`, `[` or backticks took 25 s of CPU
        /// per megabyte — found by the fuzzer): for each marker a table of next occurrences is made once, in one
        /// backward pass, and every later question is a lookup. At most a dozen markers (backtick runs are capped).
        var nextTables: [[Character]: [Int32]] = [:]
        func find(_ marker: [Character], from: Int) -> Int? {
            guard from < chars.count else { return nil }
            if nextTables[marker] == nil {
                var next = [Int32](repeating: Int32(chars.count), count: chars.count + 1)
                var k = chars.count - marker.count
                while k >= 0 {
                    var hit = true
                    for (j, m) in marker.enumerated() where chars[k + j] != m { hit = false; break }
                    next[k] = hit ? Int32(k) : next[k + 1]
                    k -= 1
                }
                nextTables[marker] = next
            }
            let found = Int(nextTables[marker]![from])
            return found < chars.count ? found : nil
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "*`[]\\|_".contains(chars[i + 1]) {
                text.append(chars[i + 1]); i += 2; continue
            }
            if c == "`" {
                // A run of N backticks closes at the next run of N (``a ` b`` holds a backtick).
                let n = chars[i...].prefix { $0 == "`" }.count
                let marker = Array(repeating: Character("`"), count: n)
                if n <= Self.longestBacktickRun, let end = find(marker, from: i + n) {
                    flush()
                    var code = String(chars[(i + n)..<end])
                    if n > 1, code.hasPrefix(" "), code.hasSuffix(" "), code.count >= 2 { code = String(code.dropFirst().dropLast()) }
                    spans.append(InlineSpan(.code, code))
                    i = end + n
                    continue
                }
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*",
               i + 2 < chars.count, chars[i + 2] != " ", let end = find(["*", "*"], from: i + 2), end > i + 2 {
                flush()
                spans.append(InlineSpan(.strong, String(chars[(i + 2)..<end])))
                i = end + 2
                continue
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] != " ", chars[i + 1] != "*",
               let end = find(["*"], from: i + 1), end > i + 1, chars[end - 1] != " " {
                flush()
                spans.append(InlineSpan(.emphasis, String(chars[(i + 1)..<end])))
                i = end + 1
                continue
            }
            if c == "[", let close = find(["]"], from: i + 1), close + 1 < chars.count, chars[close + 1] == "(",
               let paren = find([")"], from: close + 2) {
                flush()
                spans.append(InlineSpan(.link(url: String(chars[(close + 2)..<paren])), String(chars[(i + 1)..<close])))
                i = paren + 1
                continue
            }
            text.append(c)
            i += 1
        }
        flush()
        return spans
    }
}
