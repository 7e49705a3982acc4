// Key — one keystroke as the pages see it, decoded from ncurses' wget_wch (or synthesised by tests).

public enum Key: Hashable, Sendable {
    case char(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// Ctrl + a letter, lower case ("c" for Ctrl-C).
    case ctrl(Character)
    /// The terminal changed size; the page redraws for `Screen.rows` × `Screen.cols`.
    case resize
    /// The terminal went away (window closed, connection dropped): the app ends instead of polling a dead tty.
    case hangup
}
