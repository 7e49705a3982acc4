// `lmlab exercise watch [NAME]`: the rustlings loop — every save of an exercise file checks it again, until Ctrl-C.
import ArgumentParser
import Foundation
import Lab
import LabCore
import TerminalUI
import LabExercises

extension ExerciseCommand {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Check an exercise again every time you save it (Ctrl-C stops).",
            discussion: CommandHelp.exerciseWatch)
        @Argument(help: "Watch only this exercise (default: all of them).")
        var name: String?
        @Option(name: .long, help: "Stop after this many checks (default: run until Ctrl-C).")
        var checks: Int?
        @OptionGroup var common: CourseLanguage

        func validate() throws {
            if let checks { try checkRange("--checks", checks, 1...1_000_000) }
        }

        func run() throws {
            let lang = common.language
            try ExerciseWatch.refuseInCell(LessonCellRun.running, lang: lang)
            let catalog = try ExerciseCatalog.ofProject()
            let entries = try name.map { [try catalog.entry($0)] } ?? catalog.entries
            try ExerciseWatch.run(entries, catalog: catalog, checks: checks, lang: lang) { entry, url in
                _ = try ExerciseCommand.checkAndReport(entry, source: url, catalog: catalog, model: "tiny-ernie", api: nil,
                                                       recordProgress: true, json: false, lang: lang)
            }
        }
    }
}
