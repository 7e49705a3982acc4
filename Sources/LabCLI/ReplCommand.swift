// `lmlab repl`: the lab's commands in a readline REPL — history, Tab completion, and plain output in a pipe.
import ArgumentParser
import Foundation
import Lab
import LabCore
import REPL
import TerminalUI

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Run the lab's commands in a readline REPL (history, completion).",
        discussion: CommandHelp.repl)
    @OptionGroup var common: CourseLanguage

    func run() throws {
        // --lang, else the notebook's (LMLAB_LANG, else the one chosen with `l`): help and every command answer in it.
        let language = common.lang == nil ? ProgressStore().learnerLanguage() : common.language
        try Learner.$language.withValue(language) { try session() }
    }

    private func session() throws {
        Cancellation.installInterruptHandler()
        SessionModels.shared.interactive = true          // `load NAME MODEL` lasts for the REPL's life
        let completion = CommandCompletion(root: LMLabMain.commandTree)
        let reader = LineReader(historyFile: Self.historyPath(), completions: completion.candidates(before:word:))
        if reader.interactive { print(CommandGuide.replGreeting) }
        reader.readCommands(continues: CommandWords.needsContinuation) { line in
            let outcome = Self.execute(line)
            fflush(stdout)   // keep output in order with stderr when piped
            return outcome != .exit
        }
    }

    enum Outcome { case ok, failed, exit }

    /// Runs one line of the command language; errors are printed, never thrown, so the session goes on.
    static func execute(_ line: String) -> Outcome {
        let words: [String]
        do { words = try CommandWords.split(line) } catch {
            FileHandleOutput.standardError(ParserMessages.errorLabel + "\(error)")
            return .failed
        }
        guard var first = words.first else { return .ok }
        if first == "lmlab" { return execute(words.dropFirst().joined(separator: " ")) }
        if ["exit", "quit", ":q"].contains(first) { return .exit }
        var args = words
        if first == "help" || first == "?" {
            guard words.count > 1 else { print(CommandGuide.replHelp(LMLabMain.commandSummaries, columns: TerminalSize.columns(fallback: 80))); return .ok }
            args = Array(words.dropFirst()) + ["--help"]
            first = args[0]
        }
        let language: LessonLanguage?
        do { (args, language) = try LineLanguage.split(args, tree: LMLabMain.commandTree) } catch {
            FileHandleOutput.standardError(ParserMessages.errorLabel + "\(error)"); return .failed
        }
        return Learner.$language.withValue(language ?? Learner.language) { run(args, first: first) }
    }

    /// Runs one line's words (help already turned into `--help`) in the learner's language.
    private static func run(_ args: [String], first: String) -> Outcome {
        if let page = LMLabMain.chineseHelp(args, columns: TerminalSize.columns(fallback: 80)) { print(page); return .ok }
        let commands = LMLabMain.commandNames
        if let unknown = CommandWords.unknownCommand(first, commands: commands, alsoKnown: ["help", "exit"]) {
            FileHandleOutput.standardError(unknown + Learner.text(" Type `help` for the commands.", "输入 `help` 查看命令。"))
            return .failed
        }
        Cancellation.reset()
        var command: ParsableCommand
        do { command = try LMLab.parseAsRoot(args) } catch {
            return LMLabMain.noteUnknownOption(args, error) ? .failed : show(CommandFailure(error, command: LMLab.self))
        }
        if command is ReplCommand { FileHandleOutput.standardError(Learner.text("already in the REPL.", "已经在 REPL 里了。")); return .failed }
        do {
            try command.run()
            return .ok
        } catch is CancellationRequested {
            FileHandleOutput.standardError(Learner.text("cancelled.", "已取消。"))
            return .failed
        } catch {
            return show(CommandFailure(error, command: type(of: command)))
        }
    }

    /// Prints a command's help (status 0) on stdout, or its error on stderr as the REPL shows it (`help rl`, wrapped).
    private static func show(_ failure: CommandFailure) -> Outcome {
        failure.show(inReplOf: TerminalSize.columns(fallback: 80))
        return failure.status == 0 ? .ok : .failed
    }

    /// The shared command history's file, beside progress.json (CommandHistory.standard).
    static func historyPath(environment: [String: String] = LabEnvironment.current) -> String {
        CommandHistory.standard(environment: environment).path
    }
}
