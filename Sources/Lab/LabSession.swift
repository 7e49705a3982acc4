// LabSession — runs a lesson's cells, in order, through one executor: the notebook's engine.
//
// Lab cannot see the commands (they live in LabCLI, above it), so the session is given a `CellExecutor` that runs one
// command-language line and streams what it prints. The session adds what a notebook needs on top:
//   • a cell's lines run in order and stop at the first failure, which names the file, the cell and the line;
//   • Ctrl-C (`Cancellation`) cancels the running cell only — the session, and the lesson, go on;
//   • an ERNIE-only cell, when no ERNIE weights are found, prints how to get them instead of failing;
//   • headless (`describesExercises`), an exercise cell shows the exercise instead of checking the learner's file;
//   • every cell's last run is kept, so the reader can draw outputs inline and `lesson run` can report; the Outputs
//     a line printed are kept with it (OutputRecorder), so the notebook can lay them out again at another width.
// One session serves one lesson, so what one cell leaves behind (a trained model saved under a name) is there for
// the next cell.

import Foundation
import LabCore

/// How one command line ended.
public enum CommandStatus: Equatable, Sendable {
    case ok
    /// The command failed; the message is what it reported (usage error, missing model, …).
    case failed(String)
    /// Ctrl-C stopped it.
    case cancelled
}

/// Runs command-language lines for a session. LabCLI's executor parses with the `lmlab` root command and captures
/// what the command prints; tests use a scripted one.
public protocol CellExecutor: AnyObject {
    /// Runs one line, calling `output` with text as it is printed (stdout and stderr interleaved, in order).
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus
    /// Runs one line that may need the learner's yes first (a cell that reaches the network or writes outside the
    /// lab's folders): `ask` shows the learner the command line and returns their yes or no; nil when nobody can be
    /// asked (`lmlab lesson run`), and then such a line is refused.
    func execute(_ line: String, ask: ((String) -> Bool)?, output: @escaping (String) -> Void) -> CommandStatus
    /// The same for a line the learner changed in the notebook: it may do more, after asking.
    func execute(_ line: String, ask: ((String) -> Bool)?, typedByLearner: Bool, output: @escaping (String) -> Void) -> CommandStatus
    /// nil when the ERNIE weights ERNIE-only cells need are present; otherwise the text telling the learner how to
    /// get them (the `lmlab download` / Hugging Face cache instructions).
    func ernieWeightsMissing() -> String?
    /// The same for the ERNIE checkpoints a cell names (`LabCell.ernieModels`); by default the check above.
    func ernieWeightsMissing(models: [String]) -> String?
    /// The language the cell's output speaks (the lesson's), or nil to keep the caller's `Learner.language`.
    var cellLanguage: LessonLanguage? { get }
    /// The width the cell's output is laid out for, or nil to keep the caller's `Learner.columns`.
    var cellColumns: Int? { get }
}

extension CellExecutor {
    public var cellLanguage: LessonLanguage? { nil }
    public var cellColumns: Int? { nil }

    public func ernieWeightsMissing(models: [String]) -> String? { ernieWeightsMissing() }

    /// An executor whose lines never need asking runs them as they are.
    public func execute(_ line: String, ask: ((String) -> Bool)?, output: @escaping (String) -> Void) -> CommandStatus {
        execute(line, output: output)
    }

    /// An executor that draws no line between the lesson's lines and the learner's runs both alike.
    public func execute(_ line: String, ask: ((String) -> Bool)?, typedByLearner: Bool,
                        output: @escaping (String) -> Void) -> CommandStatus {
        execute(line, ask: ask, output: output)
    }
}

/// One line of a cell as it ran.
public struct CommandRun: Equatable, Sendable {
    public var command: String
    public var output: String
    public var status: CommandStatus
    /// The Outputs the line printed, where they are in `output` (OutputRecorder): what `output(width:)` lays out anew.
    public var blocks: [OutputBlock] = []
}

/// The outcome of running a cell.
public enum CellStatus: Equatable, Sendable {
    case ok
    /// Line `commandIndex` of the cell failed (later lines did not run).
    case failed(commandIndex: Int, message: String)
    case cancelled
    /// An ERNIE-only cell without ERNIE weights: the instructions were shown instead.
    case needsErnie(String)
    /// Every line ran, but the output broke an expectation of the cell (`CellRun.expectations` says which).
    case unexpected

    public var succeeded: Bool {
        switch self { case .ok, .needsErnie: return true; case .failed, .cancelled, .unexpected: return false }
    }
}

/// A cell's last run.
public struct CellRun: Equatable, Sendable {
    public var cellID: String
    /// The lines that ran (the cell's, or the learner's edit of them).
    public var commands: [CommandRun]
    public var status: CellStatus
    /// The verdict of each of the cell's expectations; empty when it has none, or when the lines run were the
    /// learner's edit (the expectations are about the cell as written) or did not all succeed.
    public var expectations: [ExpectationResult] = []

    /// Everything the cell printed, in order.
    public var output: String { commands.map(\.output).joined() }
}

public final class LabSession {
    public let document: LessonDocument
    public let executor: CellExecutor
    /// The last run of each cell, by cell id.
    public private(set) var runs: [String: CellRun] = [:]
    /// Asks the learner whether a command line may run (the notebook's y/n prompt), called on the thread running
    /// the cell with the line; nil headless, where what would need asking is refused.
    public var ask: ((String) -> Bool)?
    private let lock = NSLock()
    /// True headless (`lesson run`, `lesson export`): an exercise cell as written shows the exercise
    /// (ExerciseCellCard) instead of checking the learner's file; the notebook checks.
    public var describesExercises = false
    /// Set by `cancel()` while a cell runs: the run ends as cancelled even when its command noticed the Ctrl-C,
    /// stopped early and cleared the process-wide flag (a training loop that saves and returns normally).
    private var cancelAsked = false
    /// The running cell's cancel flag: the notebook's Ctrl-C asks this cell, not all the work in the process.
    private var cellScope: CancellationScope?

    public init(document: LessonDocument, executor: CellExecutor) {
        self.document = document
        self.executor = executor
    }

    /// The last run of a cell, if it ran (safe to call from another thread while a cell runs).
    public func run(of cellID: String) -> CellRun? {
        lock.lock(); defer { lock.unlock() }
        return runs[cellID]
    }

    /// Runs a cell's lines (or `commands`, the learner's edit of them) in order.
    /// - Parameters:
    ///   - onCommand: called before each line runs, with its index.
    ///   - output: what the lines print, as they print it.
    /// - Returns: the run, also kept in `runs`.
    @discardableResult
    public func run(_ cell: LabCell, commands: [String]? = nil,
                    onCommand: (Int, String) -> Void = { _, _ in },
                    output: @escaping (String) -> Void = { _ in }) -> CellRun {
        // Everything the run says (the weights notice, expectation verdicts) in the lesson's language.
        let scope = CancellationScope()
        lock.lock(); cellScope = scope; lock.unlock()
        defer { lock.lock(); if cellScope === scope { cellScope = nil }; lock.unlock() }
        return Cancellation.$scope.withValue(scope) {
            Learner.$language.withValue(executor.cellLanguage ?? Learner.language) {
                runInLanguage(cell, commands: commands, onCommand: onCommand, output: output)
            }
        }
    }

    private func runInLanguage(_ cell: LabCell, commands: [String]?, onCommand: (Int, String) -> Void,
                               output: @escaping (String) -> Void) -> CellRun {
        let lines = commands ?? cell.commands
        var record = CellRun(cellID: cell.id, commands: [], status: .ok)
        if cell.ernieOnly, let instructions = executor.ernieWeightsMissing(models: cell.ernieModels) {
            let text = Learner.text("This cell needs the ERNIE-4.5 weights, which were not found.",
                                    "这个单元需要文心 ERNIE-4.5 的权重，但没有找到。") + "\n" + instructions + "\n"
            output(text)
            record.commands = lines.map { CommandRun(command: $0, output: "", status: .ok) }
            record.commands[0].output = text
            record.status = .needsErnie(instructions)
            store(record)
            return record
        }
        if describesExercises, commands == nil, let name = cell.plainExerciseName {
            onCommand(0, lines[0])
            var status = CommandStatus.ok, text = ""
            do { text = try Learner.$columns.withValue(executor.cellColumns ?? Learner.columns) { try ExerciseCellCard.text(name) } }
            catch { status = .failed("\(error)") }
            output(text)
            record.commands = [CommandRun(command: lines[0], output: text, status: status)]
            if case .failed(let message) = status { record.status = .failed(commandIndex: 0, message: message) }
        } else {
            runLines(cell, lines, typed: commands != nil, into: &record, onCommand: onCommand, output: output)
        }
        if record.status == .ok, lines == cell.commands {
            record.expectations = cell.checkExpectations(record.output)
            if record.expectations.contains(where: { !$0.passed }) { record.status = .unexpected }
        }
        store(record)
        return record
    }

    /// Runs `lines` in order through the executor, stopping at the first that does not succeed.
    private func runLines(_ cell: LabCell, _ lines: [String], typed edited: Bool, into record: inout CellRun,
                          onCommand: (Int, String) -> Void, output: @escaping (String) -> Void) {
        Cancellation.reset()
        lock.lock(); cancelAsked = false; lock.unlock()
        let names = SessionModels.shared.snapshot
        defer {
            if record.commands.count < lines.count, let note = undoNames(names), !record.commands.isEmpty {
                output(note)
                record.commands[record.commands.count - 1].output += note
            }
        }
        for (k, line) in lines.enumerated() {
            onCommand(k, line)
            var captured = ""
            let capturedLock = NSLock()
            let typed = edited && (k >= cell.commands.count || cell.commands[k] != line)
            let recorder = OutputRecorder()
            let status = OutputRecorder.$current.withValue(recorder) {
                executor.execute(line, ask: ask, typedByLearner: typed) { chunk in
                    capturedLock.lock(); captured += chunk; capturedLock.unlock()
                    output(chunk)
                }
            }
            capturedLock.lock(); let text = captured; capturedLock.unlock()
            record.commands.append(CommandRun(command: line, output: text, status: status,
                                              blocks: recorder.blocks(in: text)))
            // A Ctrl-C that arrived after the command's last check still ends the cell here.
            lock.lock(); let asked = cancelAsked; lock.unlock()
            if status == .ok, Cancellation.isRequested || asked { Cancellation.reset(); record.status = .cancelled; break }
            switch status {
            case .ok: continue
            case .failed(let message): record.status = .failed(commandIndex: k, message: message)
            case .cancelled: record.status = .cancelled
            }
            break
        }
    }

    /// A cell that stopped before its last line leaves the session's model names as they were before it: lesson 7
    /// trains tiny-ernie and forgets the name on its next line, and a Ctrl-C between the two left every later cell
    /// on the 40-step model. Returns the note that tells the learner which names went back.
    private func undoNames(_ before: [String: String]) -> String? {
        let now = SessionModels.shared.snapshot
        let changed = Set(before.keys).union(now.keys).filter { before[$0] != now[$0] }.sorted()
        guard !changed.isEmpty else { return nil }
        SessionModels.shared.restore(before)
        let list = changed.joined(separator: ", ")
        return Learner.text("The cell stopped before its last line, so \(list) mean(s) what they meant before it "
                                + "(what was trained is still saved; `load NAME PATH` uses it).",
                            "单元没有运行完，所以 \(list) 仍指运行之前的模型（训练出的模型仍然保存着；用 `load 名字 路径` 可以使用它）。")
            + "\n"
    }

    /// Asks the running cell to stop (Ctrl-C in the notebook): its command sees `Cancellation`, and the run is
    /// recorded as cancelled whatever the command returns.
    public func cancel() {
        lock.lock(); cancelAsked = true; let scope = cellScope; lock.unlock()
        Cancellation.request(in: scope)
    }

    /// The last run of a cell is forgotten: the cell shows its own lines again (the learner restored an edit).
    public func forget(_ cellID: String) {
        lock.lock(); runs[cellID] = nil; lock.unlock()
    }

    /// `run` becomes the cell's last run again (nil: it has none), undoing a run the learner declined to let act.
    public func restore(_ run: CellRun?, of cellID: String) {
        lock.lock(); runs[cellID] = run; lock.unlock()
    }

    private func store(_ r: CellRun) {
        lock.lock(); runs[r.cellID] = r; lock.unlock()
    }

    /// "FILE:LINE: cell ID, line K (`COMMAND`) failed: MESSAGE" — where to look when a cell fails, in the learner's
    /// language (the location first, as a compiler writes it, in both), control characters escaped (the command comes
    /// from the lesson's author, and the message may quote it).
    public func failureDescription(_ cell: LabCell, _ run: CellRun) -> String? {
        let path = document.path
        switch run.status {
        case .failed(let k, let message):
            let line = k < cell.commandLines.count && run.commands.count > k && run.commands[k].command == cell.commands[k]
                ? cell.commandLines[k] : cell.line
            let command = k < run.commands.count ? VisibleText.escapingControls(run.commands[k].command) : ""
            return Learner.text("\(path):\(line): cell \(cell.id), line \(k + 1) (`\(command)`) failed: ",
                                "\(path):\(line): 单元 \(cell.id) 第 \(k + 1) 行（`\(command)`）失败：")
                + VisibleText.escapingControls(message, keepingNewlines: true)
        case .cancelled:
            return Learner.text("\(path):\(cell.line): cell \(cell.id) was cancelled (Ctrl-C).",
                                "\(path):\(cell.line): 单元 \(cell.id) 已取消（Ctrl-C）。")
        case .unexpected:
            let failed = run.expectations.filter { !$0.passed }.map { r in
                let (line, source) = (r.expectation.line, r.expectation.source)
                return Learner.text("\(path):\(line): cell \(cell.id): expectation `\(source)` failed: \(r.detail)",
                                    "\(path):\(line): 单元 \(cell.id)：预期 `\(source)` 不成立：\(r.detail)")
            }
            let printed = run.output.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
            return VisibleText.escapingControls(failed.joined(separator: "\n")
                                                + Learner.text("\nThe cell printed:\n", "\n这个单元打印了：\n") + printed,
                                                keepingNewlines: true)
                + Learner.text("\nHINT: the prose says what this expectation checks; if the model or the command "
                                + "changed on purpose, update the prose and the expectation together.",
                               "\nHINT：正文说明了这条预期检查的是什么；如果模型或命令是有意改的，请把正文和预期一起更新。")
        case .ok, .needsErnie:
            return nil
        }
    }
}
