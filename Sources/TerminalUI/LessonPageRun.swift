// LessonPageRun — a lesson page's running cell: started on a background thread, its output streamed into the page
// on each tick, the y/n question a cell may ask, Ctrl-C, and the progress a finished run records.

import Foundation
import Lab
import LabCore

extension LessonPage {
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
        declined = false
        liveOutput = ""
        liveDone = nil
        lock.unlock()
        state.running = (cell.id, commands ?? cell.commands, "")
        follow = true
        invalidate()
        let session = self.session
        // The cell's width now, not when the lesson was opened: a run after a resize lays its output out anew.
        let columns = LessonPageLayout.cellColumns(lastDrawWidth)
        let thread = Thread { [weak self] in
            let run = Learner.$columns.withValue(columns) {
                session.run(cell, commands: commands, output: { chunk in
                    guard let self else { return }
                    self.lock.lock(); self.liveOutput += chunk; self.liveChanged = true; self.lock.unlock()
                })
            }
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
        state.asking = question != nil                          // the cell says it waits for y/n, not "running…"
        lock.unlock()
        if let done, let cell {
            state.running = nil
            state.runs[cell.id] = done
            if done.status.succeeded { progress?.recordCellRun(file, state.language, cellID: cell.id) }
            if case .cancelled = done.status { message = zh ? "已取消。" : "Cancelled." }
            if let over = startingOver, over.cellID == cell.id {
                startingOver = nil
                if declined {                           // "no" to starting over: the cell as it was, the file untouched
                    state.runs[cell.id] = over.before
                    session.restore(over.before, of: cell.id)
                    message = zh ? "没有重来：你的练习文件保持原样。" : "Not started over: your exercise file is as it was."
                }
            }
            finishIfComplete()
            saveProgress()
        } else if let cell, let running = state.running, running.id == cell.id {
            state.running = (cell.id, running.commands, output)
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
        if asked != nil && !yes { declined = true }
        liveChanged = true
        lock.unlock()
        asked?.answer(yes)
    }

    public func cancelRunning() {
        if pendingQuestion != nil { answer(false); return }     // Ctrl-C at the question is a no
        session.cancel()
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

    /// What the lesson still lacks, from every sitting in either language and this one.
    var missing: (cells: [String], quizzes: [String]) {
        var p = progress?.lesson(file) ?? LessonProgress()
        for (id, run) in state.runs where run.status.succeeded && !p.cellsRun.contains(id) { p.cellsRun.append(id) }
        for (id, q) in state.quizzes where p.quizAnswers[id] == nil {
            p.quizAnswers[id] = [QuizAnswer(response: q.response, correct: q.correct, confidence: q.confidence)]
        }
        return p.missing(in: document)
    }

    /// Records the lesson as finished once every cell has run and every quiz is answered.
    func finishIfComplete() {
        let left = missing
        guard left.cells.isEmpty && left.quizzes.isEmpty else { return }
        if progress?.lesson(file)?.finished == nil { progress?.recordFinished(file, state.language) }
    }

    /// The closing line of the lesson: done, or what is missing.
    func completionLine(width: Int) -> [LayoutLine] {
        let left = missing
        if left.cells.isEmpty && left.quizzes.isEmpty {
            return [LayoutLine([]), LayoutLine([Segment(zh ? "✓ 本课已完成" : "✓ Lesson complete", .good)])]
        }
        var parts: [String] = []
        // An exercise cell counts once its check passes: it is listed as the exercise to pass, not a cell to run.
        var exercises: [String] = [], cells: [String] = []
        for id in left.cells {
            if let name = document.cell(id: id)?.exerciseName { exercises.append(name) } else { cells.append(id) }
        }
        if !cells.isEmpty { parts.append((zh ? "运行单元 " : "run the cells ") + cells.joined(separator: zh ? "、" : ", ")) }
        if !exercises.isEmpty {
            parts.append((zh ? "通过练习 " : "pass the exercises ") + exercises.joined(separator: zh ? "、" : ", "))
        }
        if !left.quizzes.isEmpty { parts.append((zh ? "回答小测 " : "answer the quizzes ") + left.quizzes.joined(separator: zh ? "、" : ", ")) }
        let text = (zh ? "本课还差：" : "To complete this lesson: ") + parts.joined(separator: zh ? "；" : "; ")
        return [LayoutLine([])] + LessonPageLayout.wrap([Segment(text, .dim)], width: width).map { LayoutLine($0) }
    }

    func saveProgress() {
        do { try progress?.save() } catch { message = "\(error)" }
    }
}
