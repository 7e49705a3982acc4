// KeyHelpOverlay — the box `?` opens over any page: its keys, one per line, and "any key closes this". The lesson
// page passes its own longer lines; the explorers pass their key bar, split at " · ".

import Lab

enum KeyHelpOverlay {
    /// A centred box of `lines` (the first is the heading) over whatever is on `screen`. The rows it stands on, and
    /// one above and below, are cleared across the screen: the page's text beside a wide box read as stray letters
    /// (and half of a wide character cut by the border as garbage).
    static func draw(_ lines: [String], on screen: Screen) {
        let inner = min(screen.cols - 4, (lines.map(EastAsianWidth.cells).max() ?? 0) + 2)
        let h = min(screen.rows - 2, lines.count + 2)
        guard inner > 2, h > 2 else { return }
        let left = max(0, (screen.cols - inner - 2) / 2), topRow = max(0, (screen.rows - h) / 2)
        for row in max(0, topRow - 1)...min(screen.rows - 1, topRow + h) {
            screen.put(String(repeating: " ", count: screen.cols), row: row, col: 0, style: .plain)
        }
        screen.put("┌" + String(repeating: "─", count: inner) + "┐", row: topRow, col: left, style: .accent)
        for i in 0..<(h - 2) {
            let text = i < lines.count ? EastAsianWidth.truncate(lines[i], toCells: inner - 1) : ""
            screen.put("│" + EastAsianWidth.pad(" " + text, toCells: inner) + "│", row: topRow + 1 + i, col: left,
                       style: i == 0 ? [.accent, .bold] : .plain)
        }
        screen.put("└" + String(repeating: "─", count: inner) + "┘", row: topRow + h - 1, col: left, style: .accent)
    }

    /// An explorer's key bar as help lines: "Keys", one key per line, and how to close the box.
    static func lines(fromKeyBar keyHelp: String, zh: Bool) -> [String] {
        [zh ? "按键" : "Keys", ""] + keyHelp.components(separatedBy: " · ")
            + ["", zh ? "按任意键关闭" : "any key closes this"]
    }

    /// The keys every page with this box treats alike, before its own: while the box is `open` any key closes it;
    /// "?" opens it; q, Esc and Ctrl-C go back (an explorer opened from a shell is left with Ctrl-C: it did nothing,
    /// w17 explorer walk 5). nil: a key for the page itself.
    static func handle(_ key: Key, open: inout Bool) -> PageAction? {
        if open { open = false; return .stay }
        switch key {
        case .char("?"): open = true; return .stay
        case .char("q"), .escape, .ctrl("c"): return .back
        default: return nil
        }
    }

    /// The last things an explorer page draws: `message` on the line above the key bar, this box when `open`
    /// (from the key bar's items), and no cursor.
    static func finish(on screen: Screen, keyHelp: String, zh: Bool, open: Bool,
                       message: String? = nil, messageStyle: TextStyle = .good) {
        if let message {
            screen.put(EastAsianWidth.truncate(message, toCells: screen.cols), row: screen.rows - 2, col: 0, style: messageStyle)
        }
        if open { draw(lines(fromKeyBar: keyHelp, zh: zh), on: screen) }
        screen.hideCursor()
    }
}
