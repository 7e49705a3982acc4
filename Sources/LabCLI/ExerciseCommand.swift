// `lmlab exercise list|check|hint|reset|watch|plug`: the course's exercises in the rustlings pattern
// (Lab/Exercises.swift knows the catalog, LabExercises builds, runs and checks the learner's file).
import ArgumentParser
import Foundation
import Lab
import LabCore
import TerminalUI
import LabExercises

struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Course exercises: edit a Swift file, check it against the lab's own implementation.",
        discussion: CommandHelp.exercise,
        subcommands: [List.self, Check.self, Hint.self, Reset.self, Watch.self, Plug.self],
        defaultSubcommand: List.self)

    static func store() -> ProgressStore { ProgressStore.showingNotice(FileHandleOutput.standardError) }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The exercises and where you are with each.")
        @OptionGroup var common: CourseLanguage

        func run() throws {
            print(ExerciseProgress.list(try ExerciseCatalog.ofProject(), store: ExerciseCommand.store(), lang: common.language)
                    .joined(separator: "\n"))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Build your file and compare it with the lab's implementation.")
        @Argument(help: "The exercise (see `lmlab exercise list`).")
        var name: String
        @Option(name: .long, help: "greedy_decoder: the model to decode with (default tiny-ernie).")
        var model: String = "tiny-ernie"
        @OptionGroup var remote: APIOptions
        @Option(name: .long, help: "Check this file instead of Lessons/exercises/NAME.swift.")
        var file: String?
        @Flag(name: .long, help: "When the check fails, show the next hint (counted as `lmlab exercise hint NAME` counts it).")
        var hint = false
        @OptionGroup var output: JSONOutput
        @OptionGroup var common: CourseLanguage

        func validate() throws {
            try remote.checkCompletionsOnly("exercise check")
            if hint && output.json { throw ValidationError(OptionConflict.hintWithJSON) }
        }

        func run() throws {
            let (catalog, entry) = try ExerciseCatalog.projectEntry(name)
            let source = file.map(ProjectPaths.fileURL) ?? catalog.workFile(entry)
            Cancellation.reset()
            Cancellation.installInterruptHandler()        // Ctrl-C stops the learner's program with the check
            let verdict = try ExerciseCommand.checkAndReport(entry, source: source, catalog: catalog, model: model, api: remote.settings,
                                                             recordProgress: file == nil, json: output.json, hint: hint, lang: common.language)
            if !verdict.passed {
                throw FailureShownAbove(summary: ExerciseChecker.failureSummary(entry, verdict, source: source, lang: common.language,
                                                                                hintShown: hint))
            }
        }
    }

    /// Checks `source`, records the outcome (the learner's own file only) and prints the verdict (ExerciseChecker).
    static func checkAndReport(_ entry: ExerciseEntry, source: URL, catalog: ExerciseCatalog, model: String, api: APISettings?,
                               recordProgress: Bool, json: Bool, hint: Bool = false, lang: LessonLanguage) throws -> ExerciseVerdict {
        let (verdict, text) = try ExerciseChecker.checkAndReport(entry, source: source, catalog: catalog, model: model, api: api,
                                                                 store: recordProgress ? store : nil, json: json, hint: hint, lang: lang)
        print(text)
        return verdict
    }

    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hint", abstract: "The next hint (one at a time).")
        @Argument(help: "The exercise.")
        var name: String
        @OptionGroup var common: CourseLanguage

        func run() throws {
            let (_, entry) = try ExerciseCatalog.projectEntry(name)
            let (lines, unsaved) = ExerciseProgress.nextHint(entry, store: ExerciseCommand.store(), lang: common.language)
            print(lines.joined(separator: "\n"))
            if let unsaved { throw unsaved }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Put the starter file back (asks first).")
        @Argument(help: "The exercise.")
        var name: String
        @Flag(name: .long, help: "Do not ask.")
        var yes = false

        func run() throws {
            let (catalog, entry) = try ExerciseCatalog.projectEntry(name)
            // In a lesson cell CellPolicy has asked already (headless it refuses).
            print(try ExerciseProgress.reset(entry, catalog: catalog, yes: yes, asked: LessonCellRun.running,
                                             store: ExerciseCommand.store))
        }
    }
}
