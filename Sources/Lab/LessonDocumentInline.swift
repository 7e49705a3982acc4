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
    public static func parse(_ s: String) -> [InlineSpan] {
        let chars = Array(s)
        var spans: [InlineSpan] = []
        var text = ""
        func flush() {
            if !text.isEmpty { spans.append(InlineSpan(.text, text)); text = "" }
        }
        /// Index of the next occurrence of `marker` at or after `from`, or nil.
        func find(_ marker: [Character], from: Int) -> Int? {
            var k = from
            while k + marker.count <= chars.count {
                if Array(chars[k..<(k + marker.count)]) == marker { return k }
                k += 1
            }
            return nil
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
                if let end = find(marker, from: i + n) {
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
