// LessonPageLayout — a lesson document laid out as screen lines at a width: prose wrapped by display width (CJK
// text breaks between any two characters, Latin text at spaces), lists with hanging indents, tables with columns
// aligned by display cells, code, and the interactive items — cells and quizzes — with their outputs and answers.
//
// Pure: document + state + width → lines (the wrapping itself: LessonTextWrap). LessonPage scrolls a window over
// them; tests compare them as text.

import Foundation
import LabCore
import Lab

/// One styled run on a line.
public struct Segment: Equatable {
    public var text: String
    public var style: TextStyle
    public init(_ text: String, _ style: TextStyle = .plain) { self.text = text; self.style = style }
}

/// One screen line of a laid-out lesson.
public struct LayoutLine: Equatable {
    public var segments: [Segment]
    /// The interactive item (cell or quiz, by position) this line belongs to, if any.
    public var item: Int?
    public init(_ segments: [Segment], item: Int? = nil) { self.segments = segments; self.item = item }
    public var text: String { segments.map(\.text).joined() }
}

/// A cell or quiz the reader can select with Tab.
public enum LessonItem: Equatable {
    case cell(LabCell)
    case quiz(Quiz)

    public var id: String {
        switch self { case .cell(let c): return c.id; case .quiz(let q): return q.id }
    }
}

/// What the learner answered to a quiz in this sitting.
public struct QuizState: Equatable {
    public var response: String
    public var correct: Bool
    public var confidence: Int?
    public init(response: String, correct: Bool, confidence: Int?) {
        self.response = response; self.correct = correct; self.confidence = confidence
    }
}

/// The per-item state the layout draws.
public struct LessonLayoutState {
    public var selected: Int?
    /// Finished runs by cell id.
    public var runs: [String: CellRun] = [:]
    /// The running cell, the lines it runs (the learner's edit, if any) and what it printed so far.
    public var running: (id: String, commands: [String], output: String)?
    /// True while the running cell waits for the learner's y/n (the question is on the bottom row).
    public var asking = false
    /// First answers: the ones that count.
    public var quizzes: [String: QuizState] = [:]
    /// The latest answer given after the first, shown as practice.
    public var practice: [String: QuizState] = [:]
    /// Quizzes whose hint is shown.
    public var hints: Set<String> = []
    public var language: LessonLanguage = .en
    /// Finished runs' outputs laid out at the cell's width, kept until the width or the run changes.
    public let relaid = RelaidOutputs()
    public init() {}
}

/// What a finished run's lines printed, their Outputs laid out again at the width the notebook's cells have now
/// (`CommandRun.output(width:)`), kept per cell so that redrawing the page does not render them every time.
public final class RelaidOutputs {
    private var kept: [String: (width: Int, run: CellRun, outputs: [String])] = [:]
    /// How many runs were laid out anew (not taken from `kept`).
    private(set) var layouts = 0
    public init() {}

    /// Each of `run`'s lines' output at `width`.
    public func outputs(of run: CellRun, width: Int) -> [String] {
        if let k = kept[run.cellID], k.width == width, k.run == run { return k.outputs }
        let outputs = run.commands.map { $0.output(width: width) }
        kept[run.cellID] = (width, run, outputs)
        layouts += 1
        return outputs
    }
}

public enum LessonPageLayout {
    /// The interactive items of a document, in reading order.
    public static func items(of document: LessonDocument) -> [LessonItem] {
        document.blocks.compactMap {
            switch $0 {
            case .cell(let c): return .cell(c)
            case .quiz(let q): return .quiz(q)
            default: return nil
            }
        }
    }

    public static func lines(_ document: LessonDocument, state: LessonLayoutState, width: Int) -> [LayoutLine] {
        let w = max(20, width)
        var out: [LayoutLine] = []
        var itemIndex = 0
        func blank() { if let last = out.last, !last.segments.isEmpty { out.append(LayoutLine([])) } }
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                blank()
                let style: TextStyle = level <= 2 ? [.bold, .accent] : .bold
                for l in wrap(styled(text, base: style), width: w) { out.append(LayoutLine(l)) }
                if level == 1 { out.append(LayoutLine([Segment(String(repeating: "═", count: min(w, EastAsianWidth.cells(InlineSpan.plainText(text)))), .accent)])) }
                out.append(LayoutLine([]))
            case .paragraph(let text):
                for l in wrap(styled(text), width: w) { out.append(LayoutLine(l)) }
                out.append(LayoutLine([]))
            case .quote(let text):
                for l in wrap(styled(text, base: .dim), width: w - 2) { out.append(LayoutLine([Segment("│ ", .dim)] + l)) }
                out.append(LayoutLine([]))
            case .bulletList(let items), .numberedList(let items):
                for item in items {
                    let marker = item.number.map { "\($0). " } ?? (item.level == 0 ? "• " : "◦ ")
                    let indent = String(repeating: " ", count: 2 * item.level)
                    let hang = String(repeating: " ", count: EastAsianWidth.cells(indent + marker))
                    let wrapped = wrap(styled(item.text), width: w - EastAsianWidth.cells(hang))
                    for (k, l) in wrapped.enumerated() {
                        out.append(LayoutLine([Segment(k == 0 ? indent + marker : hang, k == 0 ? .accent : .plain)] + l))
                    }
                }
                out.append(LayoutLine([]))
            case .table(let header, let rows):
                out += table(header: header, rows: rows, width: w)
                out.append(LayoutLine([]))
            case .code(_, let text):
                // Preformatted: one screen line per source line, wrapped only when wider than the screen (at a space).
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    for piece in wrapOutputLine(String(line), width: w - 2) { out.append(LayoutLine([Segment("  "), Segment(piece, .code)])) }
                }
                out.append(LayoutLine([]))
            case .rule:
                out.append(LayoutLine([Segment(String(repeating: "─", count: w), .dim)]))
                out.append(LayoutLine([]))
            case .cell(let cell):
                out += cellLines(cell, item: itemIndex, state: state, width: w)
                out.append(LayoutLine([]))
                itemIndex += 1
            case .quiz(let quiz):
                out += quizLines(quiz, item: itemIndex, state: state, width: w)
                out.append(LayoutLine([]))
                itemIndex += 1
            }
        }
        while let last = out.last, last.segments.isEmpty { out.removeLast() }
        return out
    }

    // MARK: Cells and quizzes

    /// The columns a cell's output is laid out for on a page laid out `width` wide (its text is drawn 2 in).
    static func cellColumns(_ width: Int) -> Int { max(40, width - 2) }

    static func cellLines(_ cell: LabCell, item: Int, state: LessonLayoutState, width w: Int) -> [LayoutLine] {
        let zh = state.language == .zh
        let selected = state.selected == item
        let border: TextStyle = selected ? [.accent, .bold] : .dim
        var out: [LayoutLine] = []
        var title = "┌─ " + cell.id + (cell.ernieOnly ? (zh ? " · 需要 ERNIE 权重" : " · needs ERNIE weights") : "") + " "
        let shown: [String]
        if let running = state.running, running.id == cell.id { shown = running.commands }
        else { shown = state.runs[cell.id]?.commands.map(\.command) ?? cell.commands }
        let edited = cell.isEdit(shown)
        let hint = !selected ? "" : cell.exerciseName != nil
            ? (edited ? (zh ? " Enter 编辑并检查 · r 恢复原样 " : " Enter edit & check · r restore ")
                      : (zh ? " Enter 编辑并检查 · r 重来 " : " Enter edit & check · r start over "))
                                  : edited ? (zh ? " Enter 运行 · e 编辑 · r 恢复原样 " : " Enter run · e edit · r restore ")
                                           : (zh ? " Enter 运行 · e 编辑 " : " Enter run · e edit ")
        title = EastAsianWidth.truncate(title, toCells: w)
        let fill = max(0, w - EastAsianWidth.cells(title) - EastAsianWidth.cells(hint))
        out.append(LayoutLine([Segment(title, border), Segment(String(repeating: "─", count: fill), border), Segment(hint, border)], item: item))
        for command in shown {
            for (k, piece) in wrapOutputLine(VisibleText.escapingControls(command), width: w - 4).enumerated() {   // the author's text: no raw controls
                out.append(LayoutLine([Segment("│ ", border), Segment(k == 0 ? "› " : "  ", .accent), Segment(piece, .code)], item: item))
            }
        }
        out.append(LayoutLine([Segment("└" + String(repeating: "─", count: max(0, min(w, 12) - 1)), border)], item: item))
        var output: String? = nil
        var status: [Segment] = []
        var statusMore: [String] = []                  // a failure's message after its first line
        var expectationLines: [[Segment]] = []
        if let running = state.running, running.id == cell.id {
            output = running.output
            status = [state.asking ? Segment(zh ? "？ 等你回答：y 允许 / n 不允许（见最下面一行）" : "? waiting for your answer: y allow / n refuse (bottom line)", .accent)
                                   : Segment(zh ? "⧗ 运行中…（Ctrl-C 取消）" : "⧗ running… (Ctrl-C cancels)", .accent)]
        } else if let run = state.runs[cell.id] {
            output = run.output
            switch run.status {
            case .ok: status = [Segment(zh ? "✓ 完成" : "✓ done", .good)]
            case .needsErnie: status = [Segment(zh ? "ⓘ 未找到 ERNIE 权重：见上方说明" : "ⓘ ERNIE weights not found: see above", .accent)]
            case .cancelled: status = [Segment(zh ? "■ 已取消（Ctrl-C）" : "■ cancelled (Ctrl-C)", .bad)]
            case .failed(let k, let message):
                // The whole message — where it looked, the HINT — its first line marked; a command that printed its
                // error and exited has no message of its own: its last words are the reason.
                var lines = cleanOutput(message).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                if lines.isEmpty, k < run.commands.count { lines = [lastLine(run.commands[k].output)].filter { !$0.isEmpty } }
                let reason = lines.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? (zh ? "没有给出原因" : "no reason given")
                // Which line failed only where the cell has several; an exercise's check says what failed itself.
                let label = cell.exerciseName != nil ? "✗ " : run.commands.count > 1 || cell.commands.count > 1
                    ? (zh ? "✗ 第 \(k + 1) 行失败：" : "✗ line \(k + 1) failed: ") : (zh ? "✗ 失败：" : "✗ failed: ")
                status = [Segment(label + VisibleText.escapingControls(reason), .bad)]
                statusMore = lines.dropFirst().prefix(12).map { VisibleText.escapingControls($0) }
                if lines.count > 13 { statusMore.append("…") }
            case .unexpected:
                status = [Segment(zh ? "✗ 输出与课文的预期不符：" : "✗ the output breaks what the lesson expects:", .bad)]
            }
            if !run.expectations.isEmpty { expectationLines = expectationSegments(run.expectations, zh: zh) }
        }
        if let output {
            // A finished run of several lines: a thin "› line" over each line's output after the first, so the
            // outputs are told apart (the box above lists the lines). Its Outputs are laid out at the width a run
            // would have now (LessonPageRun's `start`); the running cell's text stays as it streams.
            let finished = state.running?.id == cell.id ? nil : state.runs[cell.id]
            let parts = finished.map { run in
                Array(zip(run.commands.map(\.command), state.relaid.outputs(of: run, width: cellColumns(w))))
            } ?? [("", output)]
            for (k, (command, printed)) in parts.enumerated() {
                let header = k == 0 ? [] : wrapOutputLine(VisibleText.escapingControls(command), width: w - 4)
                for (j, piece) in header.enumerated() {
                    out.append(LayoutLine([Segment(j == 0 ? "  › " : "    ", .dim), Segment(piece, .dim)], item: item))
                }
                for line in cleanOutput(printed) {
                    for piece in wrapOutputLine(line, width: w - 2) {
                        out.append(LayoutLine([Segment("  "), Segment(piece)], item: item))
                    }
                }
            }
            for l in wrap(status, width: w - 2) { out.append(LayoutLine([Segment("  ")] + l, item: item)) }
            for line in statusMore {
                for piece in wrapOutputLine(line, width: w - 4) { out.append(LayoutLine([Segment("    "), Segment(piece, .bad)], item: item)) }
            }
            for e in expectationLines {
                for l in wrap(e, width: w - 4) { out.append(LayoutLine([Segment("    ")] + l, item: item)) }
            }
        }
        return out
    }

    /// One line per expectation: ✓/✗, the expectation as written and, when it failed, what was found.
    static func expectationSegments(_ results: [ExpectationResult], zh: Bool) -> [[Segment]] {
        results.map { r in
            [Segment(r.passed ? "✓ " : "✗ ", r.passed ? .good : .bad),
             Segment((zh ? "预期：" : "expect: ") + VisibleText.escapingControls(r.expectation.shown(inChinese: zh)), .dim)]
                + (r.passed ? [] : [Segment(" — " + VisibleText.escapingControls(r.detail), .bad)])
        }
    }

    static func quizLines(_ quiz: Quiz, item: Int, state: LessonLayoutState, width w: Int) -> [LayoutLine] {
        let zh = state.language == .zh
        let selected = state.selected == item
        let mark: TextStyle = selected ? [.accent, .bold] : .accent
        var out: [LayoutLine] = []
        let tag = quiz.kind == .predict ? (zh ? "先预测" : "predict") : (zh ? "小测" : "quiz")
        // The quiz's texts are Markdown, as the prose is: `code` drawn as code, not with its backticks.
        let head = wrap([Segment("? ", mark), Segment("[\(tag)] ", mark)] + styled(quiz.question, base: .bold),
                        width: w)
        for l in head { out.append(LayoutLine(l, item: item)) }
        for c in quiz.choices {
            for (k, l) in wrap(styled(c.text), width: w - 6).enumerated() {
                out.append(LayoutLine([Segment(k == 0 ? "  \(c.label)) " : "     ", .accent)] + l, item: item))
            }
        }
        if state.hints.contains(quiz.id), let hint = quiz.hint {
            for l in wrap([Segment(zh ? "提示：" : "Hint: ", .accent)] + styled(hint, base: .dim), width: w - 2) {
                out.append(LayoutLine([Segment("  ")] + l, item: item))
            }
        }
        if let answered = state.quizzes[quiz.id] {
            let verdict = answered.correct
                ? Segment(zh ? "✓ 答对了" : "✓ right", .good)
                : Segment(zh ? "✗ 不对（答案：\(quiz.answer)）" : "✗ not quite (answer: \(quiz.answer))", .bad)
            let sure = answered.confidence.map { zh ? " · 你的把握 \($0)%" : " · you were \($0)% sure" } ?? ""
            for l in wrap([verdict, Segment(sure, .dim)], width: w - 2) { out.append(LayoutLine([Segment("  ")] + l, item: item)) }
            if let explain = quiz.explain {
                for l in wrap(styled(explain), width: w - 2) { out.append(LayoutLine([Segment("  ")] + l, item: item)) }
            }
            if let again = state.practice[quiz.id] {
                let text = zh ? "练习：这次你答了 \(again.response)，" + (again.correct ? "✓ 对" : "✗ 不对") + "（只有第一次作答计入成绩）"
                              : "Practice: this time you answered \(again.response), " + (again.correct ? "✓ right" : "✗ not quite")
                                + " (only the first answer counts)"
                for l in wrap([Segment(text, .dim)], width: w - 2) { out.append(LayoutLine([Segment("  ")] + l, item: item)) }
            }
            if selected {
                out.append(LayoutLine([Segment(zh ? "  Enter 再答一次（练习）" : "  Enter to answer again (practice)", .dim)], item: item))
            }
        } else if selected {
            let help = zh ? "Enter 作答" + (quiz.hint != nil ? " · h 提示" : "") : "Enter to answer" + (quiz.hint != nil ? " · h for a hint" : "")
            out.append(LayoutLine([Segment("  " + help, .dim)], item: item))
        }
        return out
    }

    static func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n", omittingEmptySubsequences: true).first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func lastLine(_ s: String) -> String {
        cleanOutput(s).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.trimmingCharacters(in: .whitespaces) ?? ""
    }

    /// Output text as lines: escape sequences removed, a carriage-return progress line reduced to its last state.
    static func cleanOutput(_ s: String) -> [String] {
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var t = String(line)
            if let cr = t.lastIndex(of: "\r") { t = String(t[t.index(after: cr)...]) }
            // Drop ANSI escape sequences (ESC [ … final byte).
            var out = ""
            var inEscape = false
            for ch in t.unicodeScalars {
                if inEscape { if (0x40...0x7e).contains(ch.value) && ch != "[" { inEscape = false }; continue }
                if ch == "\u{1B}" { inEscape = true; continue }
                if ch == "\t" { out += "    "; continue }
                out.unicodeScalars.append(ch)
            }
            return out
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    // MARK: Tables

    static func table(header: [[InlineSpan]], rows: [[[InlineSpan]]], width w: Int) -> [LayoutLine] {
        // " │ " between columns, or "│" alone on a line too narrow for them even with its cells wrapped at words;
        // cells wrap within their columns (Lab's TableFit, as a command's tables do), never cut.
        let all = [header] + rows
        let text = all.map { $0.map(InlineSpan.plainText) }
        let fit = TableFit(header: text[0], rows: Array(text.dropFirst()), width: w, gap: 3, narrowGap: 1, prose: true)
        let separator = fit.narrow ? "│" : " │ "
        func row(_ r: Int, style: TextStyle) -> [LayoutLine] {
            fit.rowLines(text[r]).map { pieces in        // TableFit pads the wrapped cells, as the plain renderer's
                LayoutLine(pieces.enumerated().flatMap { c, piece -> [Segment] in
                    let isCode = all[r][c].count == 1 && all[r][c][0].kind == .code
                    return (c > 0 ? [Segment(separator, .dim)] : []) + [Segment(piece, isCode ? style.union(.code) : style)]
                })
            }
        }
        var out = row(0, style: .bold)
        out.append(LayoutLine([Segment(fit.rule(joinedBy: fit.narrow ? "┼" : "─┼─"), .dim)]))
        for r in rows.indices { out += row(r + 1, style: .plain) }
        return out
    }
}
