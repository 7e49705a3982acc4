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

    /// Escape sequences (after ESC) of the keys the pages use, as xterm, the VT220 and the Linux console send them,
    /// each with the curses key code it stands for; CursesScreen binds them all (`define_key`) when it starts. A TERM
    /// that does not match the terminal (xterm-256color inside tmux) leaves some unknown to curses, which then handed
    /// over ESC, '[', '1', '~' one by one: Home went back a page, and on the course list End quit the lab (walk 16).
    public static let sequences: [(String, Int32)] = [
        ("[A", KEY_UP), ("OA", KEY_UP), ("[B", KEY_DOWN), ("OB", KEY_DOWN),
        ("[C", KEY_RIGHT), ("OC", KEY_RIGHT), ("[D", KEY_LEFT), ("OD", KEY_LEFT),
        ("[H", KEY_HOME), ("OH", KEY_HOME), ("[1~", KEY_HOME), ("[7~", KEY_HOME),
        ("[F", KEY_END), ("OF", KEY_END), ("[4~", KEY_END), ("[8~", KEY_END),
        ("[5~", KEY_PPAGE), ("[6~", KEY_NPAGE), ("[3~", KEY_DC), ("[Z", KEY_BTAB),
    ]
}
