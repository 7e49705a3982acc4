// LessonCellExecutor — how a lesson cell's line runs: parsed by the `lmlab` root command, exactly as on the command
// line or in the REPL, checked against what a cell may do (CellPolicy: read, compute and show; more only with the
// learner's yes), with what it prints either passed through (headless `lesson run`) or captured (the notebook
// draws it inline).
//
// Capturing is Lab's OutputCapture (fd 1 and 2 onto a pipe for the duration of one command).

import ArgumentParser
import Foundation
import Lab
import LabCore
import TerminalUI

public final class LessonCellExecutor: CellExecutor {
    /// True: capture stdout/stderr and hand them to the session; false: let them reach the terminal as they are.
    public let capture: Bool
    /// The columns commands should lay their output out for while captured (the notebook's width).
    public var columns: Int?
    /// The environment the cell's command runs in (bound as `LabEnvironment.override` around it): where the state
    /// folder, the ERNIE weights (HF_HOME, LMLAB_MODELS_DIR, …) and the project are looked for, by the cell policy
    /// and by the command alike.
    public let environment: [String: String]
    /// The language the cell's output speaks (the lesson's); nil keeps the caller's `Learner.language`.
    public var language: LessonLanguage?
    public var cellLanguage: LessonLanguage? { language }
    public var cellColumns: Int? { columns }

    public init(capture: Bool, columns: Int? = nil, environment: [String: String] = LabEnvironment.current) {
        self.capture = capture
        self.columns = columns
        self.environment = environment
        SessionModels.shared.interactive = true          // a lesson is a session: `load NAME MODEL` lasts across cells
    }

    /// A notebook's or a headless lesson's: captured, laid out `columns` wide, answering in the lesson's `language`.
    convenience init(language: LessonLanguage, columns: Int?) {
        self.init(capture: true, columns: columns)
        self.language = language
    }

    public func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        execute(line, ask: nil, output: output)
    }

    /// Parses the line, lets `CellPolicy` decide what it may do (asking the learner through `ask` when it needs a
    /// yes), then runs it — captured or passed through. Messages of its own (refusals, help) go to `output`.
    public func execute(_ line: String, ask: ((String) -> Bool)?, output: @escaping (String) -> Void) -> CommandStatus {
        execute(line, ask: ask, typedByLearner: false, output: output)
    }

    /// `typedByLearner`: the learner changed this line in the notebook (CellPolicy asks where it would refuse).
    public func execute(_ line: String, ask: ((String) -> Bool)?, typedByLearner: Bool,
                        output: @escaping (String) -> Void) -> CommandStatus {
        let whose = LessonCellRun.Line(typedByLearner)     // the lesson's text or the learner's (their runs are theirs)
        return LabEnvironment.$override.withValue(environment) {  // what the policy checks, the command reads
        Learner.$language.withValue(language ?? Learner.language) { LessonCellRun.$line.withValue(whose) {
            var command: ParsableCommand
            let lineLanguage: LessonLanguage?                                // the line's own --lang (LineLanguage)
            switch parse(line) {
            case .done(let status, let text):
                if let text { output(text + "\n") }
                return status
            case .command(let parsed, let words, let chosen):
                (command, lineLanguage) = (parsed, chosen)
                if let refusal = CellPolicy(environment: environment).permission(
                    (parsed as? CellEffects)?.cellEffects ?? [], words: words, typedByLearner: typedByLearner, ask: ask,
                    output: output) {
                    return .failed(refusal)
                }
            }
            return Learner.$language.withValue(lineLanguage ?? Learner.language) {
                guard capture else { return run(&command) }
                var status = CommandStatus.ok
                Learner.$columns.withValue(columns ?? Learner.columns) {        // the cell's width, for this command only
                    OutputCapture.run({ status = run(&command) }, chunk: output)
                }
                return status
            }
        } } }
    }

    /// A line parsed: a command to run (and its words, without `lmlab`), or already finished — a failure, or help
    /// text to show.
    enum Parsed {
        case command(ParsableCommand, words: [String], language: LessonLanguage?)
        case done(CommandStatus, text: String?)
    }

    func parse(_ line: String) -> Parsed {
        var words: [String]
        do { words = try CommandWords.split(line) } catch { return .done(.failed("\(error)"), text: nil) }
        if words.first == "lmlab" { words.removeFirst() }
        guard var first = words.first else { return .done(.ok, text: nil) }
        if first == "help" { words = Array(words.dropFirst()) + ["--help"]; first = words[0] }
        if let refusal = CellPolicy.refusal(words) { return .done(.failed(refusal), text: nil) }
        if let unknown = CommandWords.unknownCommandLine(words, commands: LMLabMain.commandNames) {  // as the shell's
            return .done(.failed(unknown), text: nil)
        }
        if let page = LMLabMain.chineseHelp(words, columns: columns ?? Learner.columns ?? 80) { return .done(.ok, text: page) }
        var typed = words                                 // as parsed: without a --lang the command does not declare
        do {
            let (split, language) = try LineLanguage.split(words, tree: LMLabMain.commandTree)
            typed = split
            return .command(try LMLab.parseAsRoot(split), words: split, language: language)
        } catch {
            if LMLab.exitCode(for: error) == .success {                                                       // --help is output
                return .done(.ok, text: LMLab.fullMessage(for: error))
            }
            // `ngram prb x`: the command line's note (the subcommand meant) in place of "2 unexpected arguments".
            let note = LMLabMain.unknownWordNote(typed, error)
            let failure = note?.replaces == true ? nil : Self.failure(error)
            return .done(.failed([note?.text, failure].compactMap { $0 }.joined(separator: "\n")), text: nil)
        }
    }

    /// Runs a parsed command; the error text is returned, not printed (the caller decides where it goes).
    private func run(_ command: inout ParsableCommand) -> CommandStatus {
        defer { fflush(stdout) }
        do {
            try command.run()
            return .ok
        } catch is CancellationRequested {
            return .cancelled
        } catch let failure as FailureShownAbove {
            return .failed(failure.summary)
        } catch {
            let error = usageMessage(error).map(ValidationError.init) ?? error   // a library's usage error reads as one
            if LMLab.exitCode(for: error) == .success { print(LMLab.fullMessage(for: error)); return .ok }   // --help is output
            let (message, code) = (Self.failure(error), LMLab.exitCode(for: error))
            return .failed(message.isEmpty ? Learner.text("exited with status \(code.rawValue); what it printed above says why.",
                                                          "以状态 \(code.rawValue) 退出；原因见上面打印的内容。") : message)
        }
    }

    /// A failed command's message as a cell reports it (the notebook's status line, `lesson run`'s report, an
    /// export's output): ArgumentParser's text without its "Error: ", since the report already says the line failed.
    static func failure(_ error: Error) -> String {    // without a usage error's "Usage: …" (the cell's HINT says more)
        ParserMessages.inLearnerLanguageWithoutLabel(LMLab.fullMessage(for: error).components(separatedBy: "\nUsage: ")[0])
    }

    public func ernieWeightsMissing() -> String? { ernieWeightsMissing(models: ["ernie-4.5-0.3b"]) }
    public func ernieWeightsMissing(models: [String]) -> String? { CellPolicy.ernieWeightsMissing(environment: environment, models: models) }
}
