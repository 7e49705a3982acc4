// KeyDecoder — ncurses' wget_wch results as `Key`s.
//
// wget_wch returns either a character (Enter is CR under nonl(), Tab 9, Esc 27, Ctrl-letter 1…26, Backspace 127 or 8)
// or, with KEY_CODE_YES, a key code (KEY_UP, KEY_NPAGE, KEY_RESIZE, …). Unknown codes decode to nil and are ignored.

import CNcursesw

public enum KeyDecoder {
    public static func decode(isKeyCode: Bool, value: UInt32) -> Key? {
        if isKeyCode {
            switch Int32(value) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
        switch value {
        case 13, 10: return .enter
        case 9: return .tab
        case 27: return .escape
        case 127, 8: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let s = Unicode.Scalar(value), value >= 32 else { return nil }
            return .char(Character(s))
        }
    }

    /// The key an escape sequence curses did not know stands for: `rest` is what followed ESC ("[1~", "OH"). A TERM
    /// that does not match the terminal (xterm-256color inside tmux) leaves Home, End and the others unknown to
    /// curses, which then hands over ESC, '[', '1', '~' one by one: Esc went back a page, and on the course list
    /// End quit the lab. nil: a sequence that is not one of these keys (ignored, never taken as Esc).
    public static func escapeSequence(_ rest: String) -> Key? {
        switch rest {
        case "[A", "OA": return .up
        case "[B", "OB": return .down
        case "[C", "OC": return .right
        case "[D", "OD": return .left
        case "[H", "OH", "[1~", "[7~": return .home
        case "[F", "OF", "[4~", "[8~": return .end
        case "[5~": return .pageUp
        case "[6~": return .pageDown
        case "[3~": return .delete
        case "[Z": return .backTab
        default: return nil
        }
    }

    /// True when `rest` (what followed ESC so far) is a whole sequence: ESC [ or ESC O, then parameters, then a
    /// final byte (@ to ~); the Linux console's F1–F5 are ESC [ [ and a letter.
    public static func isWholeSequence(_ rest: String) -> Bool {
        guard rest.unicodeScalars.count >= 2, let last = rest.unicodeScalars.last, rest != "[[" else { return false }
        return (0x40...0x7E).contains(last.value)
    }
}
