// `lmlab` with no command: the course outline and the commands, in the learner's language.
import ArgumentParser
import Foundation
import LabCore
import Lab
import TerminalUI

struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show the course and the commands (what `lmlab` alone does).")

    @OptionGroup var course: CourseLanguage

    func run() throws {
        TerminalLocale.activate()
        let language = course.language
        print(try Self.render(language: language, width: max(60, TerminalSize.columns())))
    }

    /// The home screen as plain text (Lab's Course.homeScreen), listing every command but this one.
    static func render(language: LessonLanguage, width: Int = 100) throws -> String {
        let commands = LMLabMain.commandSummaries.filter { $0.name != configuration.commandName }
        return try Course.ofProject().homeScreen(language: language, width: width, commands: commands)
    }
}
