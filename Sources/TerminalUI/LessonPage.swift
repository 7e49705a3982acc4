// LessonPage — the lesson reader: prose, cells and quizzes laid out (LessonPageLayout), a window scrolled over them,
// and the keys that make it a notebook.
//
//   ↑ ↓ PgUp PgDn Home End   scroll            Tab / n, Shift-Tab / p   next / previous cell or quiz
//   Enter                    run the cell (on a background thread; output streams in) or answer the quiz
//   e                        edit the cell's lines in the input line, Enter reruns them ("a ; b" for two lines)
//   h                        the quiz's hint      ?  help      q / Esc  back to the lessons
//   Ctrl-C                   cancels the running cell (App routes it to `cancelRunning`), never the lab
//   y / n                    while a cell asks (it would reach the network or write outside the lab's folders:
//                            CellPolicy in LabCLI), allow it or not; Esc and Ctrl-C say no
//
// Screen: row 0 title bar, rows 1…R−2 the lesson, row R−1 the input line or the key help.

import Foundation
import Lab
import LabCore

public final class LessonPage: LivePage {
    public let document: LessonDocument
    public let session: LabSession
    private let progress: ProgressStore?
    /// The lesson's file name and language, the key of its progress.
    private let file: String
    private var state = LessonLayoutState()
    private let items: [LessonItem]
    /// First laid-out line shown.
    public private(set) var top = 0
    private var showHelp = false
    private var message: String?
    /// The input line while editing a cell or answering a quiz, and what it is for.
    private var input: InputLine?
    private var inputPurpose: InputPurpose?
    private var editHistory: [String] = []
    /// Where edited cell lines are saved, shared with `lmlab repl` (set by HomePage); its lines seed ↑/↓ and Ctrl-R.
    public var history: CommandHistory? { didSet { editHistory = history?.lines() ?? [] } }
    private var follow = false
    /// Last laid-out lines and the width they were laid out for.
    private var cache: (width: Int, lines: [LayoutLine])?
    private var lastViewHeight = 20
    private var lastDrawWidth = 78

    private enum InputPurpose {
        case edit(LabCell)
        case answer(Quiz)
        case confidence(Quiz, response: String)
    }

    // The background run: guarded by `lock`.
    private let lock = NSLock()
    private var liveOutput = ""
    private var liveChanged = false
    private var liveDone: CellRun?
    private var runningCell: LabCell?
    /// The command line the running cell asks to run, waiting for y or n, and where the answer goes.
    private var question: (text: String, answer: (Bool) -> Void)?

    /// Words Tab completes in the edit line (commands, options, model names).
    public var completions: [String] = []

    public init(document: LessonDocument, session: LabSession, language: LessonLanguage, progress: ProgressStore? = nil) {
        self.document = document
        self.session = session
        self.progress = progress
        file = (document.path as NSString).lastPathComponent
        items = LessonPageLayout.items(of: document)
        state.language = language
        state.selected = items.isEmpty ? nil : 0
        progress?.recordOpened(file, language)
        try? progress?.save()
        session.ask = { [weak self] question in self?.ask(question) ?? false }
    }

    private var zh: Bool { state.language == .zh }

    public var keyHelp: String {
        zh ? "↑↓ 滚动 · Tab 下一个单元 · Enter 运行 · e 编辑 · ? 帮助 · q 返回"
           : "↑↓ scroll · Tab next cell · Enter run · e edit · ? help · q back"
    }

    // MARK: Drawing

    private func layout(width: Int) -> [LayoutLine] {
        if let c = cache, c.width == width { return c.lines }
        let lines = LessonPageLayout.lines(document, state: state, width: width)
        cache = (width, lines)
        return lines
    }

    private func invalidate() { cache = nil }

    public func draw(on screen: Screen) {
        let rows = screen.rows, cols = screen.cols
        let width = max(20, cols - 2)
        let lines = layout(width: width)
        let height = max(1, rows - 2)
        lastViewHeight = height
        lastDrawWidth = width
        if follow, let sel = state.selected, let last = lines.lastIndex(where: { $0.item == sel }) {
            top = max(top, last - height + 1)
        }
        top = max(0, min(top, max(0, lines.count - height)))

        // Title bar.
        let position = state.selected.map { zh ? "第 \($0 + 1)/\(items.count) 项" : "item \($0 + 1)/\(items.count)" } ?? ""
        let title = " LMLab · " + document.title
        let bar = DisplayWidth.pad(title, toCells: max(0, cols - DisplayWidth.of(position) - 1)) + position + " "
        screen.put(DisplayWidth.pad(bar, toCells: cols), row: 0, col: 0, style: [.reverse, .bold])

        for r in 0..<height {
            let k = top + r
            guard k < lines.count else { break }
            var col = 1
            for seg in lines[k].segments {
                screen.put(seg.text, row: r + 1, col: col, style: seg.style)
                col += DisplayWidth.of(seg.text)
            }
        }
        // Scroll position at the right edge of the bottom content row.
        if lines.count > height {
            let pct = Int((Double(top + height) / Double(lines.count) * 100).rounded())
            let tag = " \(min(100, pct))% "
            screen.put(tag, row: height, col: cols - DisplayWidth.of(tag), style: .dim)
        }

        if let asking = pendingQuestion {
            let prompt = DisplayWidth.truncate(zh ? "允许运行 `\(asking)` 吗？（见单元输出）y 是 / n 否"
                                                  : "Allow `\(asking)`? (see the cell's output) y yes / n no", toCells: cols)
            screen.put(DisplayWidth.pad(prompt, toCells: cols), row: rows - 1, col: 0, style: [.accent, .bold])
        } else if let input {
            input.draw(on: screen, row: rows - 1)
            let matches = input.completionMatches
            if matches.count > 1 {         // what repeated Tabs cycle through, on the row above the input line
                let hint = DisplayWidth.truncate("Tab: " + matches.joined(separator: "  "), toCells: cols)
                screen.put(String(repeating: " ", count: cols), row: rows - 2, col: 0)
                screen.put(hint, row: rows - 2, col: 0, style: .dim)
            }
        } else {
            let text = message ?? keyHelp
            screen.put(DisplayWidth.truncate(text, toCells: cols), row: rows - 1, col: 0, style: message == nil ? .dim : .accent)
        }
        if showHelp { drawHelp(on: screen) }
    }

    private func drawHelp(on screen: Screen) {
        let lines = zh ? [
            "按键", "",
            "↑ ↓ PgUp PgDn Home End   滚动",
            "Tab / n   下一个单元或小测",
            "Shift-Tab / p   上一个",
            "Enter   运行单元 / 回答小测",
            "e   在输入行编辑单元，Enter 重新运行",
            "h   小测提示",
            "Ctrl-C   取消正在运行的单元",
            "q / Esc   返回课程列表",
            "", "按任意键关闭",
        ] : [
            "Keys", "",
            "↑ ↓ PgUp PgDn Home End   scroll",
            "Tab / n   next cell or quiz",
            "Shift-Tab / p   previous",
            "Enter   run the cell / answer the quiz",
            "e   edit the cell in the input line, Enter reruns",
            "h   the quiz's hint",
            "Ctrl-C   cancel the running cell",
            "q / Esc   back to the lessons",
            "", "any key closes this",
        ]
        let inner = min(screen.cols - 4, (lines.map(DisplayWidth.of).max() ?? 0) + 2)
        let h = min(screen.rows - 2, lines.count + 2)
        let left = max(0, (screen.cols - inner - 2) / 2), topRow = max(0, (screen.rows - h) / 2)
        screen.put("┌" + String(repeating: "─", count: inner) + "┐", row: topRow, col: left, style: .accent)
        for i in 0..<(h - 2) {
            let text = i < lines.count ? lines[i] : ""
            screen.put("│" + DisplayWidth.pad(" " + text, toCells: inner) + "│", row: topRow + 1 + i, col: left,
                       style: i == 0 ? [.accent, .bold] : .plain)
        }
        screen.put("└" + String(repeating: "─", count: inner) + "┘", row: topRow + h - 1, col: left, style: .accent)
    }

    // MARK: Keys

    public func handle(_ key: Key) -> PageAction {
        if pendingQuestion != nil {
            switch key {
            case .char("y"), .char("Y"): answer(true)
            case .char("n"), .char("N"), .escape: answer(false)
            default: break                          // only an answer; the cell waits for it
            }
            return .stay
        }
        if showHelp { showHelp = false; return .stay }
        if let input { return handleInput(key, input) }
        message = nil
        switch key {
        case .char("q"), .escape: return .back
        case .char("?"): showHelp = true
        case .up, .char("k"): follow = false; top = max(0, top - 1)
        case .down, .char("j"): follow = false; top += 1
        case .pageUp: follow = false; top = max(0, top - lastViewHeight + 1)
        case .pageDown, .char(" "): follow = false; top += lastViewHeight - 1
        case .home: top = 0
        case .end: top = Int.max / 2
        case .tab, .char("n"): select(offset: 1)
        case .backTab, .char("p"): select(offset: -1)
        case .enter: activate()
        case .char("e"): startEdit()
        case .char("h"):
            if let sel = state.selected, case .quiz(let q) = items[sel] {
                if q.hint != nil { state.hints.insert(q.id); invalidate() } else { message = zh ? "这道题没有提示。" : "This quiz has no hint." }
            }
        case .resize: invalidate()
        default: break
        }
        return .stay
    }

    private func select(offset: Int) {
        guard !items.isEmpty else { return }
        let current = state.selected ?? (offset > 0 ? -1 : items.count)
        state.selected = min(items.count - 1, max(0, current + offset))
        follow = false
        invalidate()
        scrollToSelected()
    }

    /// Scrolls so the selected item's first line is visible (a little below the top when it was off screen).
    private func scrollToSelected() {
        guard let sel = state.selected else { return }
        let lines = layout(width: lastDrawWidth)
        guard let first = lines.firstIndex(where: { $0.item == sel }) else { return }
        let last = lines.lastIndex(where: { $0.item == sel }) ?? first
        if first < top || last >= top + lastViewHeight { top = max(0, first - 2) }
    }


    private func activate() {
        guard let sel = state.selected else { return }
        switch items[sel] {
        case .cell(let cell): start(cell, commands: nil)
        case .quiz(let quiz):
            if state.quizzes[quiz.id] != nil, quiz.kind == .predict, let r = quiz.reveal, let cell = document.cell(id: r) {
                start(cell, commands: nil)   // answered: Enter reruns the reveal
                return
            }
            let labels = quiz.choices.map(\.label).joined(separator: "/")
            input = InputLine(prompt: zh ? (labels.isEmpty ? "你的预测> " : "你的答案（\(labels)）> ")
                                         : (labels.isEmpty ? "your prediction> " : "your answer (\(labels))> "))
            inputPurpose = .answer(quiz)
        }
    }

    private func startEdit() {
        guard let sel = state.selected, case .cell(let cell) = items[sel] else {
            message = zh ? "先用 Tab 选中一个单元。" : "Select a cell first (Tab)."
            return
        }
        let current = session.run(of: cell.id)?.commands.map(\.command) ?? cell.commands
        input = InputLine(prompt: zh ? "编辑> " : "edit> ", text: current.joined(separator: " ; "), history: editHistory,
                          completions: completions)
        inputPurpose = .edit(cell)
    }

    private func handleInput(_ key: Key, _ line: InputLine) -> PageAction {
        switch line.handle(key) {
        case .editing: return .stay
        case .cancelled:
            input = nil; inputPurpose = nil
            return .stay
        case .submitted(let text):
            input = nil
            let purpose = inputPurpose
            inputPurpose = nil
            switch purpose {
            case .edit(let cell):
                let commands = Self.splitCommands(text)
                guard !commands.isEmpty else { return .stay }
                editHistory.append(text)
                do { try history?.append(text) } catch { message = "\(error)" }
                start(cell, commands: commands)
            case .answer(let quiz):
                let response = text.trimmingCharacters(in: .whitespaces)
                guard !response.isEmpty else { return .stay }
                input = InputLine(prompt: zh ? "有几成把握？0–100（可留空）> " : "how sure are you, 0–100 (Enter to skip)> ")
                inputPurpose = .confidence(quiz, response: response)
            case .confidence(let quiz, let response):
                let confidence = Int(text.trimmingCharacters(in: CharacterSet(charactersIn: " %"))).map { min(100, max(0, $0)) }
                let correct = quiz.isCorrect(response)
                state.quizzes[quiz.id] = QuizState(response: response, correct: correct, confidence: confidence)
                progress?.recordAnswer(file, state.language, quizID: quiz.id,
                                       answer: QuizAnswer(response: response, correct: correct, confidence: confidence))
                saveProgress()
                invalidate()
                if quiz.kind == .predict, let r = quiz.reveal, let cell = document.cell(id: r) {
                    if let idx = items.firstIndex(of: .cell(cell)) { state.selected = idx; scrollToSelected() }
                    start(cell, commands: nil)
                }
            case nil: break
            }
            return .stay
        }
    }

    /// "a ; b" → ["a", "b"], splitting on semicolons outside quotes.
    static func splitCommands(_ text: String) -> [String] {
        var out: [String] = [], cur = ""
        var quote: Character? = nil
        for ch in text {
            if let q = quote { if ch == q { quote = nil } }
            else if ch == "\"" || ch == "'" { quote = ch }
            else if ch == ";" { out.append(cur); cur = ""; continue }
            cur.append(ch)
        }
        out.append(cur)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: Running cells

    public var isBusy: Bool {
        lock.lock(); defer { lock.unlock() }
        return runningCell != nil
    }

    /// Starts a cell on a background thread; its output streams into the page.
    public func start(_ cell: LabCell, commands: [String]?) {
        lock.lock()
        if runningCell != nil {
            lock.unlock()
            message = zh ? "已有单元在运行（Ctrl-C 取消）。" : "A cell is already running (Ctrl-C cancels it)."
            return
        }
        runningCell = cell
        liveOutput = ""
        liveDone = nil
        lock.unlock()
        state.running = (cell.id, "")
        follow = true
        invalidate()
        let session = self.session
        let thread = Thread { [weak self] in
            let run = session.run(cell, commands: commands, output: { chunk in
                guard let self else { return }
                self.lock.lock(); self.liveOutput += chunk; self.liveChanged = true; self.lock.unlock()
            })
            guard let self else { return }
            self.lock.lock(); self.liveDone = run; self.liveChanged = true; self.lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    public func tick() -> Bool {
        lock.lock()
        guard liveChanged else { lock.unlock(); return false }
        liveChanged = false
        let output = liveOutput
        let done = liveDone
        let cell = runningCell
        if done != nil { runningCell = nil; liveDone = nil }
        lock.unlock()
        if let done, let cell {
            state.running = nil
            state.runs[cell.id] = done
            if done.status.succeeded { progress?.recordCellRun(file, state.language, cellID: cell.id) }
            if case .cancelled = done.status { message = zh ? "已取消。" : "Cancelled." }
            finishIfComplete()
            saveProgress()
        } else if let cell {
            state.running = (cell.id, output)
        }
        invalidate()
        return true
    }

    /// Asks on the key-help row whether the running cell may run `command` (the cell's output says why it needs
    /// asking) and waits, on the cell's thread, for y or n.
    func ask(_ command: String) -> Bool {
        let answered = DispatchSemaphore(value: 0)
        var allowed = false
        lock.lock()
        question = (VisibleText.escapingControls(command), { allowed = $0; answered.signal() })
        liveChanged = true
        lock.unlock()
        answered.wait()
        return allowed
    }

    /// The command line a running cell is waiting for a yes to run, if any.
    public var pendingQuestion: String? {
        lock.lock(); defer { lock.unlock() }
        return question?.text
    }

    /// Answers the pending question (y: true).
    public func answer(_ yes: Bool) {
        lock.lock()
        let asked = question
        question = nil
        liveChanged = true
        lock.unlock()
        asked?.answer(yes)
    }

    public func cancelRunning() {
        if pendingQuestion != nil { answer(false); return }     // Ctrl-C at the question is a no
        Cancellation.request()
        message = zh ? "正在取消…" : "Cancelling…"
    }

    /// Blocks until the running cell (if any) finishes and its result is on the page — for tests and headless use.
    public func waitForCell(timeout: TimeInterval = 30) {
        let deadline = Date().addingTimeInterval(timeout)
        while isBusy && Date() < deadline {
            _ = tick()
            Thread.sleep(forTimeInterval: 0.005)
        }
        _ = tick()
    }

    private func finishIfComplete() {
        let cells = document.cells
        guard !cells.isEmpty, cells.allSatisfy({ state.runs[$0.id]?.status.succeeded == true }) else { return }
        if progress?.lesson(file, state.language)?.finished == nil { progress?.recordFinished(file, state.language) }
    }

    private func saveProgress() {
        do { try progress?.save() } catch { message = "\(error)" }
    }
}
