// KeyBar — a page's bottom line of keys ("↑↓ scroll · Tab next cell · … · q back") fitted to the terminal's width.
// The way back always shows: when the line is too wide, keys are dropped from just before it (the rarest last, as
// pages list them), so 「q 返回」 is never the part cut off at 60 columns; "? keys" stays too, since it opens the rest,
// and so do the keys a page names as the ones that matter most (the exercise editor's "s 保存并检查", its only check).

import Lab

enum KeyBar {
    /// `help` (items joined by " · ", the way back last) in at most `cols` cells, always ending in the way back and
    /// keeping "? keys" (where the rest can be read) and the items whose key is in `keep` (the most needed first)
    /// while there is room for them. What is kept stays in its place; the others go from the way back leftwards.
    static func fit(_ help: String, cols: Int, keep: [String] = []) -> String {
        guard EastAsianWidth.cells(help) > cols else { return help }
        let items = help.components(separatedBy: " · ")
        let key = { (i: Int) in String(items[i].prefix { $0 != " " }) }
        let before = Array(items.indices.dropLast().reversed())
        let helpKey = before.first { key($0) == "?" }
        let kept = keep.reversed().compactMap { k in before.first { key($0) == k } }
        // Dropped in this order: the others, then "? keys", then the kept ones (the least needed first).
        let order = before.filter { $0 != helpKey && !kept.contains($0) } + (helpKey.map { [$0] } ?? []) + kept
        var shown = Set(items.indices)
        for dropped in order {
            shown.remove(dropped)
            let line = items.indices.filter(shown.contains).map { items[$0] }.joined(separator: " · ")
            if EastAsianWidth.cells(line) <= cols { return line }
        }
        return EastAsianWidth.truncate(items[items.count - 1], toCells: cols)
    }
}
