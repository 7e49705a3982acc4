// VisibleText — text from a stranger (a lesson's command line, a token piece, what a model file holds) made safe to
// print: every control and format character is shown as an escape instead of reaching the terminal, where ESC [ 2 J
// would clear the screen and U+202E would reverse what follows.
//
//   "\u{1B}[2Jrm"  →  "\u{1b}[2Jrm"        "a\tb\n"  →  "a\tb\n" (backslash-t, backslash-n: one visible line)
//
// On the screen itself a control character takes one cell as its picture: "king.\nIt" → "king.⏎It", a tab "⇥",
// ESC "␛" — visible, never the "�" that says the text was broken when it was not.

public enum VisibleText {
    /// `text` with \n, \t, \r written as such and every other control (C0, DEL, C1) or format character (bidi
    /// overrides, zero-width joiners) as \u{hex}, so it prints as one line with nothing hidden.
    /// - Parameter keepingNewlines: leave line breaks as they are (a message of several lines).
    public static func escapingControls(_ text: String, keepingNewlines: Bool = false) -> String {
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "\n" where keepingNewlines: out.unicodeScalars.append(s)
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if s.properties.generalCategory == .control || s.properties.generalCategory == .format {
                    out += "\\u{\(String(s.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out
    }

    /// `text` quoted for a message that shows what a file holds (a token, a tensor name, a value): in quotes,
    /// controls escaped, and cut after `limit` characters with "…" and the whole length, so a 20,000-character
    /// token is not the whole message and an ESC in a stranger's file never reaches the terminal.
    ///
    ///   <|LOC_5|>  →  "<|LOC_5|>"          a × 20,000  →  "aaa…a…" (20000 characters), with 80 a's shown
    public static func quoted(_ text: String, limit: Int = 80) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return "\"" + escapingControls(text) + "\"" }
        let shown = String(String.UnicodeScalarView(scalars.prefix(limit)))
        return "\"" + escapingControls(shown) + "…\" (\(scalars.count) characters)"
    }

    /// What one scalar looks like on a terminal cell when it is a control character: ⏎ for a line break, ⇥ for a
    /// tab, the Unicode control picture (␀…␟, ␡) for the other C0 codes and DEL, ⌧ for a C1 code; nil for any
    /// printable scalar.
    public static func picture(of s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x0A: return "⏎"
        case 0x09: return "⇥"
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + s.value)
        case 0x7F: return "␡"
        case 0x80..<0xA0: return "⌧"
        default: return nil
        }
    }
}
