// LessonPageInput — answering quizzes and editing cells in the lesson page's input line.
//
// A predict quiz comes before the cell that reveals its answer, and that cell waits until the learner has
// predicted. The first answer is the one that counts (progress, calibration); later ones are practice, shown under
// the verdict. An edited cell keeps its edit until `r` (or Ctrl-O in the edit line) brings the lesson's lines back.

import Foundation
import Lab
import LabCore

extension LessonPage {
    func activate() {
        guard let sel = state.selected else { return }
        switch items[sel] {
        case .cell(let cell):
            if let quiz = unansweredPrediction(revealedBy: cell), let k = items.firstIndex(of: .quiz(quiz)) {
                state.selected = k
                invalidate()
                scrollToSelected()
                message = zh ? "先预测：这个单元会揭晓上面这道题的答案。按 Enter 作答。"
                             : "Predict first: this cell reveals the answer to the quiz above. Enter to answer."
                return
            }
            start(cell, commands: runningCommands(of: cell))
        case .quiz(let quiz):
            let labels = quiz.choices.map(\.label).joined(separator: "/")
            if state.quizzes[quiz.id] != nil {
                input = InputLine(prompt: zh ? "再答一次（练习）\(labels.isEmpty ? "" : "（\(labels)）")> "
                                             : "again, for practice\(labels.isEmpty ? "" : " (\(labels))")> ")
                inputPurpose = .practice(quiz)
                return
            }
            input = InputLine(prompt: zh ? (labels.isEmpty ? "你的预测> " : "你的答案（\(labels)）> ")
                                         : (labels.isEmpty ? "your prediction> " : "your answer (\(labels))> "))
            inputPurpose = .answer(quiz)
        }
    }

    /// A response that names no choice (a slip such as "z"): said, and the question asked again; nothing is graded.
    func askAgain(_ quiz: Quiz, _ purpose: InputPurpose, prompt: String) -> PageAction {
        let labels = quiz.choices.map(\.label).joined(separator: zh ? "、" : ", ")
        message = zh ? "没有这个选项：请输入 \(labels) 之一。" : "No such choice: type one of \(labels)."
        input = InputLine(prompt: prompt)
        inputPurpose = purpose
        return .stay
    }

    /// The predict quiz that `cell` answers, while the learner has not answered it.
    func unansweredPrediction(revealedBy cell: LabCell) -> Quiz? {
        document.quizzes.first { $0.kind == .predict && $0.reveal == cell.id && state.quizzes[$0.id] == nil }
    }

    /// The lines a rerun runs: the learner's edit when the cell was edited, else nil (the lesson's own).
    func runningCommands(of cell: LabCell) -> [String]? {
        guard let last = state.runs[cell.id]?.commands.map(\.command), cell.isEdit(last) else { return nil }
        return last
    }

    /// `r`: the selected cell shows (and runs) the lesson's own lines again; on an exercise cell that is not edited,
    /// the exercise starts over: `exercise reset NAME` runs in the cell, which asks first (a write) and keeps the
    /// learner's version beside the starter.
    func restoreSelectedCell() {
        guard let sel = state.selected, case .cell(let cell) = items[sel] else { return }
        guard runningCommands(of: cell) != nil else {
            if let name = cell.exerciseName, !isBusy {
                startingOver = (cell.id, state.runs[cell.id])
                return start(cell, commands: ["exercise reset \(name)"])
            }
            message = zh ? "这个单元没有改动。" : "This cell is not edited."
            return
        }
        guard !isBusy else { message = zh ? "单元运行中（Ctrl-C 取消）。" : "A cell is running (Ctrl-C cancels it)."; return }
        state.runs[cell.id] = nil
        session.forget(cell.id)
        invalidate()
        message = zh ? "已恢复原来的命令。" : "Restored the lesson's own lines."
    }

    func startEdit() {
        guard let sel = state.selected, case .cell(let cell) = items[sel] else {
            if let sel = state.selected, case .quiz = items[sel] {
                message = zh ? "小测不能编辑：Enter 作答，h 看提示。" : "A quiz is not edited: Enter answers it, h shows its hint."
            } else {
                message = zh ? "先用 Tab 选中一个单元。" : "Select a cell first (Tab)."
            }
            return
        }
        let current = runningCommands(of: cell) ?? cell.commands
        input = InputLine(prompt: zh ? "编辑> " : "edit> ", text: current.joined(separator: " ; "), history: editHistory,
                          complete: completeInCommand)
        inputPurpose = .edit(cell)
    }

    func handleInput(_ key: Key, _ line: InputLine) -> PageAction {
        if key == .ctrl("o"), case .edit(let cell) = inputPurpose {    // the lesson's own lines back in the edit line
            input = InputLine(prompt: line.prompt, text: cell.commands.joined(separator: " ; "), history: editHistory,
                              complete: completeInCommand)
            return .stay
        }
        switch line.handle(key) {
        case .editing: return .stay
        case .cancelled:
            input = nil; inputPurpose = nil
            return .stay
        case .submitted(let text):
            input = nil
            message = nil
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
                guard quiz.chosen(response) != nil else { return askAgain(quiz, .answer(quiz), prompt: line.prompt) }
                input = InputLine(prompt: zh ? "有多大把握？0–100（按 Enter 跳过）> " : "how sure are you, 0–100 (Enter to skip)> ")
                inputPurpose = .confidence(quiz, response: response)
            case .confidence(let quiz, let response):
                let confidence = Int(text.trimmingCharacters(in: CharacterSet(charactersIn: " %"))).map { min(100, max(0, $0)) }
                record(response, confidence: confidence, to: quiz, practice: false)
                if quiz.kind == .predict, let r = quiz.reveal, let cell = document.cell(id: r) {
                    // The prediction is made: the cell below reveals it. The view stays on the quiz, so the verdict
                    // is read first; the output streams in underneath.
                    start(cell, commands: runningCommands(of: cell))
                    follow = false
                    if let first = layout(width: lastDrawWidth).firstIndex(where: { $0.item == items.firstIndex(of: .quiz(quiz)) }) {
                        top = max(0, first - 1)
                    }
                }
            case .practice(let quiz):
                let response = text.trimmingCharacters(in: .whitespaces)
                guard !response.isEmpty else { return .stay }
                guard quiz.chosen(response) != nil else { return askAgain(quiz, .practice(quiz), prompt: line.prompt) }
                record(response, confidence: nil, to: quiz, practice: true)
            case nil: break
            }
            return .stay
        }
    }

    /// Checks an answer, shows it (as the answer, or as practice) and records it: progress keeps every answer,
    /// the first one counts.
    private func record(_ response: String, confidence: Int?, to quiz: Quiz, practice: Bool) {
        let correct = quiz.isCorrect(response)
        let answer = QuizState(response: response, correct: correct, confidence: confidence)
        if practice { state.practice[quiz.id] = answer } else { state.quizzes[quiz.id] = answer }
        progress?.recordAnswer(file, state.language, quizID: quiz.id,
                               answer: QuizAnswer(response: response, correct: correct, confidence: confidence))
        finishIfComplete()
        saveProgress()
        invalidate()
    }

    /// "a ; b" → ["a", "b"], splitting on semicolons outside quotes.
    static func splitCommands(_ text: String) -> [String] {
        commandPieces(text).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The text between semicolons outside quotes, as typed: "a ; b --m" → ["a ", " b --m"].
    static func commandPieces(_ text: String) -> [String] {
        var out: [String] = [], cur = ""
        var quote: Character? = nil
        for ch in text {
            if let q = quote { if ch == q { quote = nil } }
            else if ch == "\"" || ch == "'" { quote = ch }
            else if ch == ";" { out.append(cur); cur = ""; continue }
            cur.append(ch)
        }
        out.append(cur)
        return out
    }

    /// Tab in the edit line: `complete` asked about the command the cursor is in, not the line's first (`a ; b --m`).
    private var completeInCommand: InputLine.Completer {
        { [complete] before, word in complete(Self.commandPieces(before).last ?? "", word) }
    }
}
