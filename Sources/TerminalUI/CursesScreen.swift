// CursesScreen — the Screen protocol over ncursesw: the one file that sets up and tears down curses.
//
// Set-up (shared/PLATFORM.md): a UTF-8 locale first (TerminalLocale, C.UTF-8 fallback), then `newterm` on /dev/tty
// rather than `initscr` on stdout — so while a lesson cell runs, its stdout and stderr can be redirected into a pipe
// (LessonCellExecutor) without redirecting the screen. `raw()` so Ctrl-C arrives as a key the app turns into
// "cancel the running cell" instead of a signal that kills the lab; `set_escdelay(25)` so Esc is not a one-second
// wait; keypad on for arrows; ncurses' own SIGWINCH handling delivers KEY_RESIZE.
//
// Colour is by role (TextStyle): accent cyan, good green, bad red, code yellow — or none at all when NO_COLOR is set
// (https://no-color.org) or the terminal has no colours; bold, dim, reverse and underline still show.

import CNcursesw
import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class CursesScreen: Screen {
    /// Why the notebook cannot use curses here (no terminal, TERM=dumb), or nil when it can.
    public static func unavailableReason(environment: [String: String] = LabEnvironment.current) -> String? {
        if isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1 {
            return Learner.text("standard input or output is not a terminal", "标准输入或输出不是终端")
        }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" {
            return term.isEmpty ? Learner.text("TERM is unset", "没有设置 TERM") : Learner.text("TERM is dumb", "TERM 是 dumb")
        }
        return nil
    }

    private let screen: OpaquePointer
    private let inFile: UnsafeMutablePointer<FILE>
    private let outFile: UnsafeMutablePointer<FILE>
    fileprivate let window: UnsafeMutablePointer<WINDOW>
    /// Colour pairs by role; empty when colour is off.
    private var pairs: [TextStyle: Int16] = [:]
    public let colors: Bool
    private var ended = false

    /// Opens the terminal. - Throws: `CursesError` when /dev/tty cannot be opened or curses cannot start on it.
    public init(environment: [String: String] = LabEnvironment.current) throws {
        guard let i = fopen("/dev/tty", "r"), let o = fopen("/dev/tty", "w") else {
            throw CursesError(description: Learner.text(
                "cannot open /dev/tty. HINT: run lmlab in a terminal, or use `lmlab home` / `lmlab repl` in a pipe.",
                "打不开 /dev/tty。HINT：在终端里运行 lmlab，或在管道中用 `lmlab home` / `lmlab repl`。"))
        }
        guard let s = newterm(nil, o, i) else {
            fclose(i); fclose(o)
            let term = environment["TERM"] ?? Learner.text("(unset)", "（未设置）")
            throw CursesError(description: Learner.text(
                "ncurses cannot drive TERM=\(term). HINT: set TERM=xterm-256color, or use `lmlab home`.",
                "ncurses 驱动不了 TERM=\(term)。HINT：设置 TERM=xterm-256color，或用 `lmlab home`。"))
        }
        screen = s
        inFile = i
        outFile = o
        set_term(s)
        window = lmlab_stdscr()
        raw()
        noecho()
        nonl()
        keypad(window, true)
        for (sequence, code) in KeyDecoder.sequences { define_key("\u{1B}" + sequence, code) }   // whatever TERM says
        set_escdelay(25)
        curs_set(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        colors = !noColor && has_colors()
        if colors {
            start_color()
            use_default_colors()
            let roles: [(TextStyle, Int32)] = [(.accent, COLOR_CYAN), (.good, COLOR_GREEN), (.bad, COLOR_RED), (.code, COLOR_YELLOW)]
            for (k, role) in roles.enumerated() {
                init_pair(Int16(k + 1), Int16(role.1), -1)
                pairs[role.0] = Int16(k + 1)
            }
        }
    }

    deinit { end() }

    /// Leaves curses and restores the terminal (idempotent).
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        delscreen(screen)
        fclose(inFile)
        fclose(outFile)
    }

    public var rows: Int { Int(lmlab_lines()) }
    public var cols: Int { Int(lmlab_cols()) }

    /// The frame being drawn, composed cell by cell exactly as MemoryScreen composes the screens tests compare
    /// (a narrow character written over half of a wide one blanks the other half), and the rows last handed to curses.
    private var frame = MemoryScreen(rows: 1, cols: 1)
    fileprivate var shown: [[MemoryScreen.Cell]] = []
    private var presentedSize = (0, 0)

    public func clear() {
        // Every frame starts from the terminal's real size: a SIGWINCH can be lost while keys keep arriving (two
        // quick resizes in tmux), and a frame drawn for the old height scrolls the terminal when its last row lands
        // below the real bottom.
        _ = sizeChanged()
        if frame.rows != rows || frame.cols != cols {
            frame.resize(rows: max(1, rows), cols: max(1, cols))
            shown = []
        } else {
            frame.clear()
        }
    }

    public func put(_ text: String, row: Int, col: Int, style: TextStyle) {
        frame.put(text, row: row, col: col, style: style)
    }

    private var cursor: (Int, Int)?
    public func setCursor(row: Int, col: Int) { cursor = (row, col) }
    public func hideCursor() { cursor = nil }

    /// Hands the rows that changed to curses, each whole and from column 0, and has curses repaint those rows on
    /// the terminal from scratch (wredrawln). Left to itself, curses updates a changed row from the first differing
    /// cell — which can be the right half of a wide character; the terminal then blanks the whole character while
    /// curses believes its left half is still shown: the characters that went missing after scrolling or answering
    /// a quiz, and came back on a resize (a full repaint).
    public func present() {
        if frame.rows != rows || frame.cols != cols { clear() }
        if presentedSize != (rows, cols) {
            // A new size, however it was noticed: the terminal may have moved or cut what it showed; repaint it all.
            presentedSize = (rows, cols)
            shown = []
            clearok(window, true)
        }
        if shown.count != frame.rows { shown = Array(repeating: [], count: frame.rows) }
        for r in 0..<frame.rows {
            let cells = frame.cells(row: r)
            guard cells != shown[r] else { continue }
            wmove(window, Int32(r), 0)
            wclrtoeol(window)
            var c = 0
            while c < cells.count {                 // one write per run of cells in the same style
                let style = cells[c].style
                var text = ""
                let start = c
                while c < cells.count, cells[c].style == style { text += cells[c].text; c += 1 }
                write(text, row: r, col: start, style: style)
            }
            wredrawln(window, Int32(r), 1)
            shown[r] = cells
        }
        if let (r, c) = cursor {
            wmove(window, Int32(r), Int32(c))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Writes one run of already-composed cells (no control characters, nothing past the right edge) to curses.
    private func write(_ text: String, row: Int, col: Int, style: TextStyle) {
        var wide: [wchar_t] = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        guard !wide.isEmpty, text.contains(where: { $0 != " " }) || style != .plain else { return }
        var attrs: attr_t = 0
        if style.contains(.bold) { attrs |= lmlab_a_bold() }
        if style.contains(.dim) { attrs |= lmlab_a_dim() }
        if style.contains(.reverse) { attrs |= lmlab_a_reverse() }
        if style.contains(.underline) { attrs |= lmlab_a_underline() }
        var pair: Int16 = 0
        for role in [TextStyle.bad, .good, .accent, .code] where style.contains(role) { pair = pairs[role] ?? 0; break }
        if !colors {
            // Without colour, the roles that matter still stand out.
            if style.contains(.accent) { attrs |= lmlab_a_bold() }
            if style.contains(.bad) { attrs |= lmlab_a_underline() }
        }
        wattr_set(window, attrs, pair, nil)
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { mvwaddnwstr(window, Int32(row), Int32(col), $0.baseAddress, Int32(wide.count - 1)) }
        wattr_set(window, 0, 0, nil)
    }

    /// The next key, waiting at most `timeoutMilliseconds` (nil on timeout); -1 waits forever.
    public func nextKey(timeoutMilliseconds: Int32) -> Key? {
        wtimeout(window, timeoutMilliseconds)
        var wch: wint_t = 0
        let r = wget_wch(window, &wch)
        if r == ERR {
            // A dead terminal makes wget_wch fail at once, every time: without this the loop would spin forever.
            var attributes = termios()
            if tcgetattr(fileno(inFile), &attributes) != 0 { return .hangup }
            return sizeChanged() ? .resize : nil
        }
        let key = KeyDecoder.decode(isKeyCode: r == KEY_CODE_YES, value: UInt32(wch))
        // After a resize the terminal may have reflowed what was on it: repaint everything, not just the differences.
        if key == .resize { clearok(window, true); shown = [] }
        return key
    }

    /// True (and curses resized) when the terminal's size differs from what curses believes: a SIGWINCH that
    /// arrived while curses was handling the one before is otherwise lost (two quick resizes in tmux).
    fileprivate func sizeChanged() -> Bool {
        var ws = winsize()
        guard ioctl(fileno(outFile), UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return false }
        guard Int(ws.ws_row) != rows || Int(ws.ws_col) != cols else { return false }
        resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        clearok(window, true)
        shown = []
        return true
    }

    /// Leaves curses for a moment (e.g. to print a crash message), then `refresh` brings it back.
    public func suspend() { endwin() }
}

extension CursesScreen: TerminalHandover {
    public func handOver(_ body: () -> Void) {
        def_prog_mode()                // raw, noecho, keypad: restored by reset_prog_mode
        endwin()
        body()
        reset_prog_mode()
        _ = sizeChanged()              // the terminal may have been resized meanwhile
        clearok(window, true)          // the editor drew over everything: repaint every cell
        shown = []
        wrefresh(window)
    }
}

/// curses could not start; the message says why and what to use instead.
public struct CursesError: Error, CustomStringConvertible {
    public let description: String
}
