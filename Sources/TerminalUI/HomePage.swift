// HomePage — the notebook's first screen: the course's lessons with the learner's progress, in Chinese or English.
//
//   ↑ ↓ choose · Enter open · l switch language (zh ⇄ en) · ? help · q quit
//
// The language is LMLAB_LANG when set, else the one the learner last chose (kept in progress.json), else the
// locale's (Notebook decides); `l` switches it and remembers the choice. Progress comes from progress.json
// (cells run of the lesson's cells, finished, first-answer quiz score, exercises passed of the lesson's exercises
// in Lessons/exercises/exercises.json beside course.json). Lessons not written yet are listed, dimmed.

import Foundation
import LabCore
import Lab

public final class HomePage: Page {
    public let course: Course
    public private(set) var language: LessonLanguage
    private let progress: ProgressStore?
    private let makeExecutor: (LessonLanguage) -> CellExecutor
    public private(set) var selected = 0
    private var message: String?
    /// Cell counts of the written lessons, by language and file (parsed once).
    private var cellCounts: [String: Int] = [:]
    /// The course's exercise catalog (Lessons/exercises beside course.json), nil when the course has none.
    private lazy var exercises: ExerciseCatalog? = try? ExerciseCatalog(directory: course.directory.appendingPathComponent("exercises"))
    /// Lessons opened in this sitting, by language and file: re-opening one shows its edits and outputs again.
    private var openedPages: [String: LessonPage] = [:]

    /// - Parameters:
    ///   - notice: shown once at the bottom (a locale fallback, a progress file moved aside).
    ///   - makeExecutor: runs cells for each lesson opened, answering in its language (LabCLI's LessonCellExecutor).
    /// What Tab offers when a cell is edited (passed to each lesson page).
    public var complete: InputLine.Completer = { _, _ in [] }
    /// The command history the lesson pages' edit line reads and appends (shared with `lmlab repl`); nil keeps none.
    public var history: CommandHistory?

    public init(course: Course, language: LessonLanguage, progress: ProgressStore?, notice: String? = nil,
                makeExecutor: @escaping (LessonLanguage) -> CellExecutor) {
        self.course = course
        self.language = language
        self.progress = progress
        self.makeExecutor = makeExecutor
        message = notice ?? progress?.notice
        if let first = course.lessons.firstIndex(where: { course.isWritten($0, in: language) }) { selected = first }
    }

    private var zh: Bool { language == .zh }

    public var keyHelp: String {
        zh ? "↑↓ 选择 · Enter 打开 · l English · ? 按键 · q 退出" : "↑↓ choose · Enter open · l 中文 · ? keys · q quit"
    }

    /// True while the `?` box of keys is open.
    private var showKeys = false

    /// The `?` box: the key bar's keys and the ones it has no room for.
    private var keyLines: [String] {
        KeyHelpOverlay.lines(fromKeyBar: (zh ? "↑↓ j k 选择 · Home End 第一课 / 最后一课 · 1–9 0 跳到第 N 课（0 是第 10 课）"
                                              : "↑↓ j k choose · Home End first / last lesson · 1–9 0 jump to lesson N (0 is 10)")
                                           + (zh ? " · Enter 打开 · l English · q Esc 退出" : " · Enter open · l 中文 · q Esc quit"),
                             zh: zh)
    }

    private func cells(_ lesson: LessonEntry) -> Int? {
        let key = language.rawValue + "/" + lesson.file
        if let n = cellCounts[key] { return n }
        guard let doc = try? LessonDocument(contentsOf: course.url(of: lesson, in: language)) else { return nil }
        cellCounts[key] = doc.cells.count
        return doc.cells.count
    }

    /// "new", "3/8 cells", "✓ done", or "not written yet".
    func status(_ lesson: LessonEntry) -> (String, TextStyle) {
        guard course.isWritten(lesson, in: language) else { return (zh ? "待编写" : "not written yet", .dim) }
        let p = progress?.lesson(lesson.file)
        if p?.finished != nil { return (zh ? "✓ 已完成" : "✓ done", .good) }
        let total = cells(lesson)
        let ran = p?.cellsRun.count ?? 0
        if p?.opened == nil && ran == 0 { return (zh ? "新" : "new", .accent) }
        if let total { return (zh ? "\(ran)/\(total) 个单元" : "\(ran)/\(total) cells", .plain) }
        return (zh ? "打开过" : "opened", .plain)
    }

    /// "2/3 ex" for each lesson with exercises: passed of its exercises (progress.json), green when all pass.
    func exerciseStatuses() -> [Int: (String, TextStyle)] {
        guard let exercises, let progress else { return [:] }
        let zh = self.zh
        return progress.exercisesDone(exercises).mapValues { d -> (String, TextStyle) in
            let count = "\(d.passed)/\(d.total)"
            let style: TextStyle = d.passed == d.total ? .good : .plain
            return (zh ? "练习 " + count : count + " ex", style)
        }
    }

    public func draw(on screen: Screen) {
        let cols = screen.cols, rows = screen.rows
        let title = zh ? " LMLab —— 亲手运行，学懂大语言模型" : " LMLab — learn how language models work by running them"
        screen.put(EastAsianWidth.pad(title, toCells: cols), row: 0, col: 0, style: [.reverse, .bold])
        screen.put(zh ? "课程" : "Lessons", row: 2, col: 2, style: [.accent, .bold])

        let statuses = course.lessons.map(status)
        let statusWidth = min(18, statuses.map { EastAsianWidth.cells($0.0) }.max() ?? 0)
        let done = exerciseStatuses()
        let exerciseWidth = done.values.map { EastAsianWidth.cells($0.0) + 2 }.max() ?? 0
        let titleWidth = max(8, cols - 2 - 2 - 3 - 2 - statusWidth - 2 - exerciseWidth)
        // Rows for the list: leave room for the summary (2 lines), the quiz score and the key help.
        let listTop = 4
        let listRows = max(1, rows - listTop - 5)
        let first = max(0, min(selected - listRows + 1, course.lessons.count - listRows))
        for (k, lesson) in course.lessons.enumerated().dropFirst(max(0, first)).prefix(listRows) {
            let r = listTop + k - max(0, first)
            let isSel = k == selected
            let written = course.isWritten(lesson, in: language)
            let marker = isSel ? "▸ " : "  "
            let num = EastAsianWidth.pad(String(lesson.number), toCells: 2, align: .right)
            let text = marker + num + "  " + EastAsianWidth.pad(lesson.title(language), toCells: titleWidth)
            let style: TextStyle = isSel ? [.reverse] : (written ? .plain : .dim)
            screen.put(text, row: r, col: 2, style: style)
            let (st, stStyle) = statuses[k]
            screen.put(EastAsianWidth.pad(st, toCells: statusWidth), row: r, col: 2 + EastAsianWidth.cells(text) + 2,
                       style: isSel ? stStyle.union(.reverse) : stStyle)
            if let (ex, exStyle) = done[lesson.number] {
                screen.put("  " + EastAsianWidth.pad(ex, toCells: exerciseWidth - 2), row: r, col: 2 + EastAsianWidth.cells(text) + 2 + statusWidth,
                           style: isSel ? exStyle.union(.reverse) : exStyle)
            }
        }
        // The selected lesson's summary.
        let summaryRow = listTop + min(listRows, course.lessons.count) + 1
        if course.lessons.indices.contains(selected) {
            let summary = course.lessons[selected].summary(language)
            let lines = LessonPageLayout.wrap([Segment(summary, .dim)], width: cols - 4)
            for (k, l) in lines.prefix(2).enumerated() {
                var col = 2
                for seg in l { screen.put(seg.text, row: summaryRow + k, col: col, style: seg.style); col += EastAsianWidth.cells(seg.text) }
            }
        }
        if let p = progress?.progress.calibration, p.answered > 0 {
            let sure = p.meanConfidenceRight.map { zh ? "，答对时平均把握 \(Int($0))%" : "; when right you were \(Int($0))% sure on average" } ?? ""
            let line = zh ? "各课小测合计：首次作答 \(p.answered) 题，答对 \(p.right) 题\(sure)" : "Quizzes: \(p.right) of \(p.answered) right first time\(sure)"
            screen.put(EastAsianWidth.truncate(line, toCells: cols - 4), row: rows - 3, col: 2, style: .dim)
        }
        if let message {
            screen.put(EastAsianWidth.truncate(message, toCells: cols), row: rows - 2, col: 0, style: .accent)
        }
        screen.put(KeyBar.fit(keyHelp, cols: cols), row: rows - 1, col: 0, style: .dim)
        if showKeys { KeyHelpOverlay.draw(keyLines, on: screen) }
    }

    public func handle(_ key: Key) -> PageAction {
        message = nil
        if showKeys { showKeys = false; return .stay }          // any key closes the box
        switch key {
        case .char("?"): showKeys = true
        case .char("q"), .escape: return .quit
        case .up, .char("k"): selected = max(0, selected - 1)
        case .down, .char("j"): selected = min(course.lessons.count - 1, selected + 1)
        case .home: selected = 0
        case .end: selected = course.lessons.count - 1
        case .char("l"):
            language = zh ? .en : .zh
            progress?.recordLanguage(language)
            do { try progress?.save() } catch { message = "\(error)" }
        case .char(let c) where c.isNumber:
            if let n = c.wholeNumberValue, let k = course.lessons.firstIndex(where: { $0.number == (n == 0 ? 10 : n) }) { selected = k }
        case .enter: return open()
        default: break
        }
        return .stay
    }

    /// The selected lesson as a LessonPage, or a message when it is not written or does not parse.
    public func open() -> PageAction {
        guard course.lessons.indices.contains(selected) else { return .stay }
        let lesson = course.lessons[selected]
        guard course.isWritten(lesson, in: language) else {
            let other: LessonLanguage = zh ? .en : .zh
            message = (zh ? "第 \(lesson.number) 课还没有中文版" : "Lesson \(lesson.number) is not written yet in English")
                + (course.isWritten(lesson, in: other) ? (zh ? "；按 l 切换到 English。" : "; press l for 中文.") : ".")
            return .stay
        }
        let key = language.rawValue + "/" + lesson.file
        if let page = openedPages[key] { return .open(page) }
        do {
            let document = try LessonDocument(contentsOf: course.url(of: lesson, in: language))
            let session = LabSession(document: document, executor: makeExecutor(language))
            let page = LessonPage(document: document, session: session, language: language, progress: progress)
            page.complete = complete
            page.history = history
            openedPages[key] = page
            return .open(page)
        } catch {
            message = "\(error)"
            return .stay
        }
    }
}
