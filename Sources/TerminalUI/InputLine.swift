// InputLine — the one-line editor at the bottom of the notebook, where a cell is edited (`e`) or a quiz answered.
//
// A small editor in the linenoise/kilo manner rather than readline's callback interface: ← → Home End (and Ctrl-A,
// Ctrl-E), Backspace/Delete, Ctrl-U clears, Ctrl-W deletes a word, ↑ ↓ walk the history, Enter submits, Esc or Ctrl-C
// cancels. The cursor and horizontal scrolling are measured in display cells, so editing inside Chinese text works.

public final class InputLine {
    public enum Event: Equatable {
        case editing
        case submitted(String)
        case cancelled
    }

    public var prompt: String
    public private(set) var text: [Character]
    /// Cursor position as an index into `text`.
    public private(set) var cursor: Int
    private var history: [String]
    private var historyIndex: Int
    private var draft: [Character] = []

    public init(prompt: String, text: String = "", history: [String] = []) {
        self.prompt = prompt
        self.text = Array(text)
        cursor = self.text.count
        self.history = history
        historyIndex = history.count
    }

    public var value: String { String(text) }

    public func handle(_ key: Key) -> Event {
        switch key {
        case .enter: return .submitted(value)
        case .escape, .ctrl("c"), .ctrl("g"): return .cancelled
        case .char(let c): text.insert(c, at: cursor); cursor += 1
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace: if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"): if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("u"): text.removeFirst(cursor); cursor = 0
        case .ctrl("k"): text.removeLast(text.count - cursor)
        case .ctrl("w"):
            var k = cursor
            while k > 0 && text[k - 1] == " " { k -= 1 }
            while k > 0 && text[k - 1] != " " { k -= 1 }
            text.removeSubrange(k..<cursor)
            cursor = k
        case .up:
            guard historyIndex > 0 else { break }
            if historyIndex == history.count { draft = text }
            historyIndex -= 1
            text = Array(history[historyIndex]); cursor = text.count
        case .down:
            guard historyIndex < history.count else { break }
            historyIndex += 1
            text = historyIndex == history.count ? draft : Array(history[historyIndex]); cursor = text.count
        default: break
        }
        return .editing
    }

    /// Draws prompt and text on `row`, scrolled so the cursor stays visible, and places the terminal cursor.
    public func draw(on screen: Screen, row: Int) {
        screen.put(String(repeating: " ", count: screen.cols), row: row, col: 0)
        let promptWidth = DisplayWidth.of(prompt)
        screen.put(prompt, row: row, col: 0, style: .accent)
        let room = max(1, screen.cols - promptWidth - 1)
        // Scroll: drop characters from the left until the cursor fits.
        var start = 0
        while DisplayWidth.of(String(text[start..<cursor])) > room - 1 { start += 1 }
        let visible = DisplayWidth.truncate(String(text[start...]), toCells: room, ellipsis: false)
        screen.put(visible, row: row, col: promptWidth)
        screen.setCursor(row: row, col: promptWidth + DisplayWidth.of(String(text[start..<cursor])))
    }
}
