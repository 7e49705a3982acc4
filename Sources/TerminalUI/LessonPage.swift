// LessonPage — the lesson reader: prose, cells and quizzes laid out (LessonPageLayout), a window scrolled over them,
// and the keys that make it a notebook.
//
//   ↑ ↓ PgUp PgDn Home End   scroll            Tab / n, Shift-Tab / p   next / previous cell or quiz
//   Enter                    run the cell (on a background thread; output streams in) or answer the quiz; on an
//                            exercise cell (`exercise check NAME`) edit the exercise, check it, show the next hint
//   e                        edit the cell's lines in the input line, Enter reruns them ("a ; b" for two lines)
//   r                        restore an edited cell to the lesson's own lines; on an exercise cell, start over
//   h                        the quiz's hint      ?  help      q / Esc  back to the lessons
//   Ctrl-C                   cancels the running cell (App routes it to `cancelRunning`), never the lab
//   y / n                    while a cell asks (it would reach the network or write outside the lab's folders:
//                            CellPolicy in LabCLI), allow it or not; Esc and Ctrl-C say no
//
// Screen: row 0 title bar, rows 1…R−2 the lesson, row R−1 the input line or the key help.
// Answering and editing: LessonPageInput; running cells: LessonPageRun.

import Foundation
import Lab
import LabCore

public final class LessonPage: LivePage {
    public let document: LessonDocument
    public let session: LabSession
    let progress: ProgressStore?
    /// The lesson's file name and language, the key of its progress.
    let file: String
    var state = LessonLayoutState()
    let items: [LessonItem]
    /// First laid-out line shown.
    public internal(set) var top = 0
    private var showHelp = false
    var message: String?
    /// The input line while editing a cell or answering a quiz, and what it is for.
    var input: InputLine?
    var inputPurpose: InputPurpose?
    var editHistory: [String] = []
    /// The environment $EDITOR is read from (tests pass their own).
    public var environment = LabEnvironment.current
    /// Where edited cell lines are saved, shared with `lmlab repl` (set by HomePage); its lines seed ↑/↓ and Ctrl-R.
    public var history: CommandHistory? { didSet { editHistory = history?.lines() ?? [] } }
    var follow = false
    /// Last laid-out lines and the width they were laid out for.
    private var cache: (width: Int, lines: [LayoutLine])?
    var lastViewHeight = 20
    var lastDrawWidth = 78
    /// An exercise cell starting over (`r`) and its run before: a "no" to the reset's question brings it back.
    var startingOver: (cellID: String, before: CellRun?)?
    /// The learner answered the running cell's question with no.
    var declined = false

    enum InputPurpose {
        case edit(LabCell)
        case answer(Quiz)
        case confidence(Quiz, response: String)
        case practice(Quiz)
    }

    // The background run: guarded by `lock`.
    let lock = NSLock()
    var liveOutput = ""
    var liveChanged = false
    var liveDone: CellRun?
    var runningCell: LabCell?
    /// The command line the running cell asks to run, waiting for y or n, and where the answer goes.
    var question: (text: String, answer: (Bool) -> Void)?

    /// What Tab offers in the edit line after the command being typed (the notebook's: `Notebook.completer`).
    public var complete: InputLine.Completer = { _, _ in [] }

    public init(document: LessonDocument, session: LabSession, language: LessonLanguage, progress: ProgressStore? = nil) {
        self.document = document
        self.session = session
        self.progress = progress
        file = (document.path as NSString).lastPathComponent
        items = LessonPageLayout.items(of: document)
        state.language = language
        state.selected = items.isEmpty ? nil : 0
        // Quizzes answered in an earlier sitting (in either language) stay answered: a new answer is practice.
        for quiz in document.quizzes {
            if let first = progress?.lesson(file)?.quizAnswers[quiz.id]?.first {
                state.quizzes[quiz.id] = QuizState(response: first.response, correct: first.correct, confidence: first.confidence)
            }
        }
        progress?.recordOpened(file, language)
        try? progress?.save()
        session.ask = { [weak self] question in self?.ask(question) ?? false }
    }

    var zh: Bool { state.language == .zh }

    /// The keys of what is selected, in the words its own header uses: a quiz is answered, an exercise cell edited
    /// and checked, an edited cell restored.
    public var keyHelp: String {
        let selected = state.selected.flatMap { $0 < items.count ? items[$0] : nil }
        if case .quiz = selected {
            return zh ? "↑↓ 滚动 · Tab 下一项 · Enter 作答 · h 提示 · ? 帮助 · q 返回"
                      : "↑↓ scroll · Tab next item · Enter answer · h hint · ? help · q back"
        }
        guard case .cell(let cell) = selected else {
            return zh ? "↑↓ 滚动 · Tab 下一个单元 · Enter 运行 · e 编辑 · ? 帮助 · q 返回"
                      : "↑↓ scroll · Tab next cell · Enter run · e edit · ? help · q back"
        }
        let edited = runningCommands(of: cell) != nil
        if cell.exerciseName != nil {
            return zh ? "↑↓ 滚动 · Tab 下一个单元 · Enter 编辑并检查 · " + (edited ? "r 恢复原样" : "r 重来") + " · ? 帮助 · q 返回"
                      : "↑↓ scroll · Tab next cell · Enter edit & check · " + (edited ? "r restore" : "r start over") + " · ? help · q back"
        }
        return zh ? "↑↓ 滚动 · Tab 下一个单元 · Enter 运行 · e 编辑" + (edited ? " · r 恢复原样" : "") + " · ? 帮助 · q 返回"
                  : "↑↓ scroll · Tab next cell · Enter run · e edit" + (edited ? " · r restore" : "") + " · ? help · q back"
    }

    // MARK: Drawing

    func layout(width: Int) -> [LayoutLine] {
        if let c = cache, c.width == width { return c.lines }
        let lines = LessonPageLayout.lines(document, state: state, width: width) + completionLine(width: width)
        cache = (width, lines)
        return lines
    }

    func invalidate() { cache = nil }

    public func draw(on screen: Screen) {
        let rows = screen.rows, cols = screen.cols
        let width = max(20, cols - 2)
        let lines = layout(width: width)
        let height = max(1, rows - 2)
        lastViewHeight = height
        lastDrawWidth = width
        if follow, let sel = state.selected, let last = lines.lastIndex(where: { $0.item == sel }) {
            // Down to the newest line; back up when a rerun's output is shorter than the view's old place.
            top = last < top ? max(0, last - height + 1) : max(top, last - height + 1)
        }
        top = max(0, min(top, max(0, lines.count - height)))

        // Title bar, with the scroll position at its right end (on the last text row it hid what was there).
        var position = state.selected.map { zh ? "第 \($0 + 1)/\(items.count) 项" : "item \($0 + 1)/\(items.count)" } ?? ""
        if lines.count > height {
            let pct = min(100, Int((Double(top + height) / Double(lines.count) * 100).rounded()))
            position += (position.isEmpty ? "" : " · ") + "\(pct)%"
        }
        // A title too long for the bar ends in "…" a cell before the position: the two never touch.
        let room = max(0, cols - EastAsianWidth.cells(position) - 1)
        let title = EastAsianWidth.truncate(" LMLab · " + document.title, toCells: position.isEmpty ? room : room - 1)
        let bar = EastAsianWidth.pad(title, toCells: room) + position + " "
        screen.put(EastAsianWidth.pad(bar, toCells: cols), row: 0, col: 0, style: [.reverse, .bold])

        for r in 0..<height {
            let k = top + r
            guard k < lines.count else { break }
            var col = 1
            for seg in lines[k].segments {
                screen.put(seg.text, row: r + 1, col: col, style: seg.style)
                col += EastAsianWidth.cells(seg.text)
            }
        }

        if let asking = pendingQuestion {
            // A long command is shortened, never the keys that answer.
            let (head, tail) = zh ? ("允许运行 `", "` 吗？（见单元输出）y 是 / n 否")
                                  : ("Allow `", "`? (see the cell's output) y yes / n no")
            let room = max(1, cols - EastAsianWidth.cells(head) - EastAsianWidth.cells(tail))
            let prompt = EastAsianWidth.truncate(head + EastAsianWidth.truncate(asking, toCells: room) + tail,
                                                 toCells: cols)
            screen.put(EastAsianWidth.pad(prompt, toCells: cols), row: rows - 1, col: 0, style: [.accent, .bold])
        } else if let input {
            input.draw(on: screen, row: rows - 1)
            let matches = input.completionMatches
            var hint: String? = nil
            if matches.count > 1 {         // what repeated Tabs cycle through, on the row above the input line
                hint = "Tab: " + matches.joined(separator: "  ")
            } else if message != nil {     // why the question is asked again
                hint = message
            } else if case .edit = inputPurpose {
                hint = zh ? "Enter 运行 · Esc 取消 · Ctrl-U 清空 · Tab 补全 · Ctrl-O 恢复原命令"
                          : "Enter run · Esc cancel · Ctrl-U clear · Tab complete · Ctrl-O restore the original"
            }
            if let hint {
                screen.put(String(repeating: " ", count: cols), row: rows - 2, col: 0)
                screen.put(EastAsianWidth.truncate(hint, toCells: cols), row: rows - 2, col: 0,
                           style: hint == message ? .accent : .dim)
            }
        } else {
            if let message {        // a long one (an editor that failed, and its fix) on up to three rows
                LessonPageLayout.putMessage(message, on: screen, above: rows, cols: cols)
            } else {
                screen.put(KeyBar.fit(keyHelp, cols: cols, keep: ["Enter", "Tab"]), row: rows - 1, col: 0, style: .dim)
            }
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
            "        练习单元：打开编辑器，改完检查、给提示",
            "e   在输入行编辑单元，Enter 重新运行",
            "r   把改过的单元恢复原样",
            "    练习单元：从初始文件重新开始（先问你）",
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
            "        an exercise cell: open the editor, check, hint",
            "e   edit the cell in the input line, Enter reruns",
            "r   restore an edited cell",
            "    an exercise cell: start over from the starter (asks first)",
            "h   the quiz's hint",
            "Ctrl-C   cancel the running cell",
            "q / Esc   back to the lessons",
            "", "any key closes this",
        ]
        KeyHelpOverlay.draw(lines, on: screen)
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
        case .home: follow = false; top = 0          // a run's follow would pull the view back to its cell
        case .end: follow = false; top = Int.max / 2
        case .tab, .char("n"): select(offset: 1)
        case .backTab, .char("p"): select(offset: -1)
        case .enter:
            if let sel = state.selected, case .cell(let cell) = items[sel], cell.exerciseName != nil { return openExercise(cell) }
            activate()
        case .char("e"): startEdit()
        case .char("r"): restoreSelectedCell()
        case .char("h"):
            if let sel = state.selected, case .quiz(let q) = items[sel] {
                if q.hint != nil { state.hints.insert(q.id); invalidate() } else { message = zh ? "这道题没有提示。" : "This quiz has no hint." }
            }
        case .left, .right:                         // the explorers' keys: say what moves here instead of nothing
            message = zh ? "←/→ 用于探索器；这里 ↑↓ 滚动 · Tab 下一项 · q 返回。"
                : "← → are the explorers' keys; here ↑↓ scroll · Tab next item · q back."
        case .resize: invalidate()
        default: break
        }
        return .stay
    }

    /// Tab / Shift-Tab: the next or previous item; when the selected one has been scrolled off the screen (End,
    /// PgDn), the first item starting on screen, or the last one — where the reader is, not where the focus was left.
    private func select(offset: Int) {
        guard !items.isEmpty else { return }
        let lines = layout(width: lastDrawWidth)
        let shownTop = max(0, min(top, max(0, lines.count - lastViewHeight)))
        let onScreen = shownTop..<(shownTop + lastViewHeight)
        let starts = lines.indices.filter { i in lines[i].item != nil && (i == 0 || lines[i - 1].item != lines[i].item) }
        let shown = starts.filter(onScreen.contains).compactMap { lines[$0].item }
        // The selection off screen (a lesson just opened on its prose): Tab goes to the first item from the view
        // down, Shift-Tab to the last from the view up — not to the neighbour of an item the learner never saw.
        // Below the last item (End on a lesson whose takeaways follow its last cell) Tab takes the nearest one above
        // rather than the selection's neighbour back at the top.
        let fromView = offset > 0 ? (starts.first { $0 >= shownTop } ?? starts.last).flatMap { lines[$0].item }
                                  : (starts.last { $0 < onScreen.upperBound } ?? starts.first).flatMap { lines[$0].item }
        if let sel = state.selected, !shown.contains(sel), let next = fromView {
            state.selected = next
        } else {
            let current = state.selected ?? (offset > 0 ? -1 : items.count)
            state.selected = min(items.count - 1, max(0, current + offset))
        }
        follow = false
        invalidate()
        scrollToSelected()
    }

    /// Scrolls so the selected item's first line is visible (a little below the top when it was off screen).
    func scrollToSelected() {
        guard let sel = state.selected else { return }
        let lines = layout(width: lastDrawWidth)
        guard let first = lines.firstIndex(where: { $0.item == sel }) else { return }
        let last = lines.lastIndex(where: { $0.item == sel }) ?? first
        if first < top || last >= top + lastViewHeight { top = max(0, first - 2) }
    }
}
