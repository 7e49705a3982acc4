// `lmlab lessons` and `lmlab lesson list`: the course outline, which lessons are written, in either language.
import ArgumentParser
import Foundation
import LabCore
import Lab
import TerminalUI

struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the course's lessons and which are written yet.",
        discussion: CommandHelp.lessons)

    @OptionGroup var listing: LessonListing

    func run() throws { try listing.run() }
}

/// The options of `lessons` and `lesson list`, and what both print.
struct LessonListing: ParsableArguments {
    @OptionGroup var course: CourseLanguage

    @OptionGroup var output: JSONOutput

    func run() throws {
        TerminalLocale.activate()
        let language = course.language
        let course = try Course.ofProject()
        if output.json { return print(try jsonString(course.listingRows(language: language))) }
        print(course.listing(language: language, width: max(60, TerminalSize.columns())).joined(separator: "\n"))
    }
}
