// LMLab — the root command: `lmlab <command> …`.
//
// Every command of the lab is a subcommand here. The REPL parses each line it reads with this same root
// (`LMLab.parseAsRoot(words)`), so the CLI, the REPL and lesson cells speak one language.
import ArgumentParser
import Foundation
import Lab
import LabCore
import TerminalUI

public struct LMLab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lmlab",
        abstract: "A terminal lab that teaches how large language models work by running them.",
        discussion: """
        With no command, lmlab shows the course and the commands. Every command also runs inside \
        `lmlab repl`, and most take --json for scripts.
        """,
        subcommands: [
            Home.self,
            LessonsCommand.self,
            LessonCommand.self,
            ReplCommand.self,
            Bench.self,
            TokenizeCommand.self,
            ModelsCommand.self,
            LoadCommand.self,
            DownloadCommand.self,
            ProbCommand.self,
            ClassifyCommand.self,
            DpoRewardCommand.self,
            InspectCommand.self,
            LensCommand.self,
            AttentionCommand.self,
            CheckCommand.self,
            ServeCommand.self,
            ExerciseCommand.self,
            CorpusCommand.self,
            NgramCommand.self,
            NnlmCommand.self, RnnCommand.self, Seq2SeqCommand.self,
            EmbedCommand.self,
            GenerateCommand.self,
            SampleCommand.self,
            BeamCommand.self,
            ProbeCommand.self,
            TrainCommand.self,
        ],
        defaultSubcommand: Home.self)
    public init() {}
}

/// The entry point used by `main.swift`: parses, runs, and turns a mistyped command into a suggestion.
public enum LMLabMain {
    /// Names of every top-level command, for suggestions and completion.
    public static var commandNames: [String] {
        LMLab.configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        EngineOptions.current = EngineOptions(environment: ProcessInfo.processInfo.environment)   // the only read
        // Widths (wcwidth) and terminal text need a UTF-8 locale: fall back to C.UTF-8 and say so.
        if let notice = TerminalLocale.activate() { FileHandleOutput.standardError(notice) }
        if arguments.isEmpty, LessonNotebook.openIfPossible() { exit(0) }   // on a terminal: the ncurses notebook
        if let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first), first != "help" {
            var message = "lmlab: unknown command '\(first)'."
            if let guess = CommandWords.nearest(to: first, in: commandNames) { message += " Did you mean '\(guess)'?" }
            message += " HINT: `lmlab --help` lists the commands."
            FileHandleOutput.standardError(message)
            exit(64)
        }
        LMLab.main(arguments)
        exit(0)
    }
}

/// A failure the command has already explained in what it printed (a check's verdict, a download's error). On the
/// command line and in the REPL nothing more is printed, as for `ExitCode(1)`, and the exit status is 1; a lesson
/// cell shows `summary` as the cell's failure, instead of an empty "failed: ".
struct FailureShownAbove: Error, CustomStringConvertible {
    /// One line: what failed and where the details are.
    let summary: String
    /// Empty, so ArgumentParser prints nothing (the details are already out).
    var description: String { "" }
}
