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
        discussion: CommandHelp.lmlab,
        version: LMLab.version,
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
            LayerCommand.self,
            RLCommand.self,
            MoeCommand.self,
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

    /// The lab's version, printed by `lmlab --version`: the one place it is written (bump it with each release).
    public static let version = "0.9.0"
}

/// The entry point used by `main.swift`: parses, runs, and turns a mistyped command into a suggestion.
public enum LMLabMain {
    /// Names of every top-level command, for suggestions and completion.
    public static var commandNames: [String] {
        LMLab.configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    /// The commands as the parser describes them (its help dump, decoded once): help pages, completion, the
    /// nearest option to a mistyped one.
    static let commandTree = CommandTree.root(helpDump: LMLab._dumpHelp())

    /// The top-level commands and their abstracts, for `help` and the home screen.
    static var commandSummaries: [(name: String, abstract: String)] {
        LMLab.configuration.subcommands.compactMap { c in
            c.configuration.commandName.map { ($0, c.configuration.abstract) }
        }
    }

    /// For a Chinese learner, the help page `words` ask for (ChineseHelpPage.asked; the root's is
    /// CommandGuide.rootHelp), else nil.
    static func chineseHelp(_ words: [String], columns: Int) -> String? {
        ChineseHelpPage.asked(by: words, tree: commandTree, columns: columns,
                              root: { CommandGuide.rootHelp(commandSummaries, columns: columns) }) { path in
            LMLab.usageString(for: path.reduce(LMLab.self as ParsableCommand.Type) { t, name in
                t.configuration.subcommands.first { $0.configuration.commandName == name } ?? t
            })
        }
    }

    /// The note on `words` ArgumentParser refused with `error` (CommandCompletion.note): the option the command does
    /// not take (`prob x --modle m` said only that --model is missing), or the subcommand meant (`ngram prb x`:
    /// 2 unexpected arguments). The command line, the REPL and a cell give it. Nothing for --help or --version (their
    /// "errors" exit 0): the help dump is built only for a real mistake.
    static func unknownWordNote(_ words: [String], _ error: Error) -> (text: String, replaces: Bool)? {
        guard LMLab.exitCode(for: error) != .success else { return nil }
        return CommandCompletion(treeOnly: commandTree).note(onParserError: LMLab.message(for: error), in: words)
    }

    /// Prints `unknownWordNote`; true when it replaces the parser's error (`exercise foo`: no `exercise list` usage).
    static func noteUnknownOption(_ words: [String], _ error: Error) -> Bool {
        guard let note = unknownWordNote(words, error) else { return false }
        FileHandleOutput.standardError(ParserMessages.inLearnerLanguage("Error: " + note.text))
        return note.replaces
    }

    public static func main(_ words: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        Cancellation.unblockTerminalSignals()
        EngineOptions.current = EngineOptions(environment: ProcessInfo.processInfo.environment)   // the only read
        // Widths (wcwidth) and terminal text need a UTF-8 locale: fall back to C.UTF-8 and say so.
        if let notice = TerminalLocale.activate(language: .requested(in: words)) { FileHandleOutput.standardError(notice) }
        // On a terminal `lmlab` (or `lmlab --lang zh`) is the ncurses notebook, its cells run by these commands.
        if let environment = Notebook.environment(for: words, ProcessInfo.processInfo.environment),
           Notebook.openIfPossible(environment: environment, completion: { CommandCompletion(root: commandTree) },
                                   makeExecutor: LessonCellExecutor.init(language:columns:)) {
            exit(0)
        }
        if let unknown = CommandWords.unknownCommandLine(words, commands: commandNames) {      // also `--lang zh foo`
            FileHandleOutput.standardError("lmlab: " + unknown)
            exit(64)
        }
        // Help, a mistyped line and the run speak the language the line's --lang asks for, else the learner's.
        let (arguments, lineLanguage): ([String], LessonLanguage?)
        do { (arguments, lineLanguage) = try LineLanguage.split(words, tree: commandTree) } catch {
            FileHandleOutput.standardError(ParserMessages.inLearnerLanguage("Error: \(error)")); exit(64)
        }
        let parsingLanguage = lineLanguage ?? LessonLanguage.requested(in: arguments) ?? Learner.language
        if let page = Learner.$language.withValue(parsingLanguage, operation: {
            chineseHelp(arguments, columns: max(60, TerminalSize.columns()))
        }) {
            print(page)
            exit(0)
        }
        var command: ParsableCommand = Learner.$language.withValue(parsingLanguage) {
            do { return try LMLab.parseAsRoot(arguments) } catch {
                let failure = CommandFailure(error, command: LMLab.self)
                if !noteUnknownOption(arguments, error) { failure.show() }
                exit(failure.status)                                                              // usage: 64, help: 0
            }
        }
        // `-` as TEXT reads stdin only here, and not where stdin carries commands or the keyboard (repl, lessons).
        StandardInputText.available = !(command is ReplCommand || command is LessonRun || command is LessonExport || command is Home)
        let language = (command as? ChoosesCourseLanguage)?.common.language ?? lineLanguage ?? Learner.language
        let status: Int32 = Learner.$language.withValue(language) {
            do {
                try command.run()
                return 0
            } catch is CancellationRequested {
                FileHandleOutput.standardError(Learner.text("cancelled (Ctrl-C).", "已取消（Ctrl-C）。"))
                return 130
            } catch {
                let failure = CommandFailure(error, command: type(of: command))
                failure.show()
                return failure.status
            }
        }
        fflush(stdout)
        // Ctrl-C stopped the work and it kept what it keeps (a training checkpoint): still say "interrupted" (130).
        // The REPL takes Ctrl-C as "drop this line / stop this command" and ends normally.
        exit(Cancellation.wasInterrupted && status != 64 && !(command is ReplCommand) ? 130 : status)
    }
}

/// What a command's error prints and its exit status: 64 (EX_USAGE) for a usage error — a `ValidationError` or a
/// library's refusal of an option (`usageMessage`), also when `run()` throws it after looking at files — with the
/// usage of the command that failed (ArgumentParser alone would show the root's), 0 for help, 1 for every runtime
/// failure. Used by the command line and the REPL.
struct CommandFailure {
    private(set) var message: String
    let status: Int32

    init(_ error: Error, command: ParsableCommand.Type) {
        if let usage = usageMessage(error) {
            let path = LMLab.commandPath(to: command)
            message = "Error: \(usage)\nUsage: " + LMLab.usageString(for: command)
                + "\n  See 'lmlab \(path.joined(separator: " ")) --help' for more information."
            status = ExitCode.validationFailure.rawValue
        } else if error is FailureShownAbove {
            message = ""
            status = ExitCode.failure.rawValue
        } else {
            message = LMLab.fullMessage(for: error)
            status = LMLab.exitCode(for: error).rawValue
        }
        if status != 0 { message = ParserMessages.inLearnerLanguage(message) }   // help stays as ArgumentParser wrote it
    }

    /// Prints the message where it belongs: help (status 0) on stdout, an error on stderr (in a REPL: as typed there).
    func show(inReplOf columns: Int? = nil) {
        if status == 0 { return print(message) }
        let error = columns.map { ParserMessages.asTypedInRepl(message, columns: $0) } ?? message
        if !error.isEmpty { FileHandleOutput.standardError(error) }
    }
}

extension LMLab {
    /// The subcommand names leading from the root to `command`, e.g. ["bench", "decode"] (empty for the root).
    static func commandPath(to command: ParsableCommand.Type) -> [String] {
        func search(_ c: ParsableCommand.Type, _ path: [String]) -> [String]? {
            if c == command { return path }
            for s in c.configuration.subcommands {
                if let found = search(s, path + [s.configuration.commandName ?? "\(s)"]) { return found }
            }
            return nil
        }
        return search(LMLab.self, []) ?? []
    }
}

