// InputLine — the one-line editor at the bottom of the notebook, where a cell is edited (`e`) or a quiz answered.
//
// A small editor in the linenoise/kilo manner rather than readline's callback interface: ← → Home End (and Ctrl-A,
// Ctrl-E), Backspace/Delete, Ctrl-U clears the whole line (not only what is before the cursor, as in readline: the
// hint calls it "clear"), Ctrl-K deletes to the end, Ctrl-W a word, ↑ ↓ walk the history, Enter submits, Esc or
// Ctrl-C cancels. The cursor and horizontal scrolling are measured in display cells, so editing inside Chinese text
// works.
//
// Tab completes the word before the cursor with what `complete` offers after the text before it (the notebook's is
// the REPL's CommandCompletion: a command's subcommands and options, model names after --model): a single match is
// inserted with a space; several extend the word to what they share, else are only listed, and further Tabs cycle
// through them.
// Ctrl-R searches the history backwards as you type, as in readline: the prompt becomes (reverse-i-search)`query':,
// Ctrl-R again finds an older match, Enter takes the line, Esc or Ctrl-G puts back what was there, any other key
// keeps the match and goes on editing.

import Lab

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
    /// What Tab offers: (the line before the word, the word so far) → candidates, as the REPL's LineReader asks.
    public typealias Completer = (_ before: String, _ word: String) -> [String]
    public var complete: Completer
    /// The matches of the last Tab and which one is shown (repeated Tabs cycle); nil after any other key.
    private var cycle: (matches: [String], index: Int, wordStart: Int)?
    /// While Ctrl-R searches: the query, the history index shown, and the line to restore on cancel.
    public private(set) var search: (query: String, index: Int?, saved: [Character])?

    public init(prompt: String, text: String = "", history: [String] = [],
                complete: @escaping Completer = { _, _ in [] }) {
        self.prompt = prompt
        self.text = Array(text)
        cursor = self.text.count
        self.history = history
        historyIndex = history.count
        self.complete = complete
    }

    public var value: String { String(text) }

    public func handle(_ key: Key) -> Event {
        if search != nil, let handled = handleSearch(key) { return handled }
        if key == .tab { completeWord(); return .editing }
        cycle = nil
        switch key {
        case .ctrl("r"):
            search = (query: "", index: nil, saved: text)
            return .editing
        case .enter: return .submitted(value)
        case .escape, .ctrl("c"), .ctrl("g"): return .cancelled
        case .char(let c): text.insert(c, at: cursor); cursor += 1
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace: if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"): if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("u"): text = []; cursor = 0             // the whole line, as its label "clear" says
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

    // MARK: Tab completion

    /// Completes the word that ends at the cursor.
    private func completeWord() {
        if var c = cycle, c.matches.count > 1 {          // a further Tab: the next match in place of the shown one
            c.index = (c.index + 1) % c.matches.count
            replaceWord(from: c.wordStart, with: c.matches[c.index])
            cycle = c
            return
        }
        var start = cursor
        while start > 0 && text[start - 1] != " " { start -= 1 }
        let word = String(text[start..<cursor])
        let matches = complete(String(text[..<start]), word).filter { $0.hasPrefix(word) && $0 != word }
        guard !matches.isEmpty else { cycle = nil; return }
        if matches.count == 1 {
            replaceWord(from: start, with: matches[0] + " ")
            cycle = nil
            return
        }
        let shared = matches.dropFirst().reduce(matches[0]) { common, m in String(zip(common, m).prefix { $0 == $1 }.map(\.0)) }
        // Extended to what they share, if more than the word; the first is not put in (a guess: `ngram ` became
        // `ngram --alpha`), the matches are offered and the next Tab shows the first.
        replaceWord(from: start, with: shared)
        cycle = (matches, -1, start)
    }

    /// Replaces text[start..<cursor] with `word` and puts the cursor after it.
    private func replaceWord(from start: Int, with word: String) {
        text.replaceSubrange(start..<cursor, with: Array(word))
        cursor = start + word.count
    }

    /// The matches repeated Tabs cycle through (for a hint line), empty when none.
    public var completionMatches: [String] { cycle?.matches ?? [] }

    // MARK: Ctrl-R

    /// The newest history line containing `query`, searching from before `before` (nil: from the newest).
    private func findInHistory(_ query: String, before: Int?) -> Int? {
        var i = (before ?? history.count) - 1
        while i >= 0 {
            if query.isEmpty || history[i].contains(query) { return i }
            i -= 1
        }
        return nil
    }

    /// A key while searching; nil when the key ends the search and should then be handled as an edit.
    private func handleSearch(_ key: Key) -> Event? {
        guard var s = search else { return nil }
        func show(_ index: Int?) {
            s.index = index
            if let index { text = Array(history[index]); cursor = text.count }
            search = s
        }
        switch key {
        case .char(let c):
            s.query.append(c)
            show(findInHistory(s.query, before: s.index.map { $0 + 1 }))
        case .backspace:
            if !s.query.isEmpty { s.query.removeLast() }
            show(findInHistory(s.query, before: nil))
        case .ctrl("r"):
            if let older = findInHistory(s.query, before: s.index) { show(older) }
        case .escape, .ctrl("g"), .ctrl("c"):
            text = s.saved; cursor = text.count
            search = nil
        case .enter:
            search = nil
            return .submitted(value)
        default:
            search = nil                                    // keep the found line, and let the key edit it
            return nil
        }
        return .editing
    }

    /// The prompt as drawn: the search's while Ctrl-R is on.
    public var shownPrompt: String {
        guard let s = search else { return prompt }
        return s.index == nil && !s.query.isEmpty ? "(failed reverse-i-search)`\(s.query)': " : "(reverse-i-search)`\(s.query)': "
    }

    /// Draws prompt and text on `row`, scrolled so the cursor stays visible, and places the terminal cursor.
    public func draw(on screen: Screen, row: Int) {
        screen.put(String(repeating: " ", count: screen.cols), row: row, col: 0)
        let prompt = shownPrompt
        let promptWidth = EastAsianWidth.cells(prompt)
        screen.put(prompt, row: row, col: 0, style: .accent)
        let room = max(1, screen.cols - promptWidth - 1)
        // Scroll: drop characters from the left until the cursor fits.
        var start = 0
        while EastAsianWidth.cells(String(text[start..<cursor])) > room - 1 { start += 1 }
        let visible = EastAsianWidth.truncate(String(text[start...]), toCells: room, ellipsis: false)
        screen.put(visible, row: row, col: promptWidth)
        screen.setCursor(row: row, col: promptWidth + EastAsianWidth.cells(String(text[start..<cursor])))
    }
}
