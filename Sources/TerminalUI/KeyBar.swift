// KeyBar — a page's bottom line of keys ("↑↓ scroll · Tab next cell · … · q back") fitted to the terminal's width.
// The way back always shows: when the line is too wide, keys are dropped from just before it (the rarest last, as
// pages list them), so 「q 返回」 is never the part cut off at 60 columns; "? keys" stays too, since it opens the rest.

import Lab

enum KeyBar {
    /// `help` (items joined by " · ", the way back last) in at most `cols` cells, always ending in the way back and
    /// keeping "? keys" (where the rest can be read) when there is room for it.
    static func fit(_ help: String, cols: Int) -> String {
        guard EastAsianWidth.cells(help) > cols else { return help }
        var items = help.components(separatedBy: " · ")
        var kept = [items.removeLast()]
        if let help = items.lastIndex(where: { $0.hasPrefix("? ") }) { kept.insert(items.remove(at: help), at: 0) }
        while true {
            let line = (items + kept).joined(separator: " · ")
            if EastAsianWidth.cells(line) <= cols { return line }
            if items.isEmpty {
                if kept.count > 1 { kept.removeFirst(); continue }
                return EastAsianWidth.truncate(line, toCells: cols)
            }
            items.removeLast()
        }
    }
}
