// `lmlab lesson run FILE` and `lmlab lesson list`: lessons as notebooks, headless — every ```lab cell in one session,
// in order, stopping at the first failing cell with FILE:LINE and a non-zero exit (Lab/HeadlessLesson.swift); what CI
// does for every lesson in both languages.
import ArgumentParser
import Foundation
import Lab
import LabCore
import TerminalUI

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Run a lesson's cells headless, export it with its outputs, or list the lessons.",
        subcommands: [LessonRun.self, LessonExport.self, LessonList.self, LessonWait.self])
}

/// A cell that takes a while and stops at Ctrl-C, as training cells do: what the notebook's end-to-end test presses
/// Ctrl-C on (hidden from the command list).
struct LessonWait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait, printing a tick each second, until the time is up or Ctrl-C cancels (tests the notebook's cancel).",
        shouldDisplay: false)

    @Argument(help: "Seconds to wait (at most 3600).")
    var seconds: Double

    func validate() throws { try checkRange("<seconds>", seconds, 0...3600) }

    func run() throws {
        try Cancellation.wait(seconds: seconds) { print("waiting… \($0) s"); fflush(stdout) }
        print("waited \(seconds) s")
    }
}

struct LessonList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the course's lessons and which are written yet (same as `lmlab lessons`).",
        discussion: CommandHelp.lessonList)

    @OptionGroup var listing: LessonListing

    func run() throws { try listing.run() }
}

struct LessonRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute every cell of a lesson in order, printing commands and outputs.",
        discussion: CommandHelp.lessonRun)

    @OptionGroup var lesson: LessonChoice

    @Option(name: .long, help: "Run only the cell with this id.")
    var cell: String?

    func run() throws {
        // Captured, so each cell's output can be checked against its `# expect:` lines; passed on as it arrives to a
        // copy of the real stdout (while a command runs, descriptor 1 points into the capture pipe).
        let (_, document, executor) = try lesson.open()
        fflush(stdout)
        let terminal = FileHandle(fileDescriptor: dup(1), closeOnDealloc: true)
        let outcome = try Learner.$language.withValue(executor.language ?? Learner.language) {
            try HeadlessLesson.run(document, only: cell, executor: executor) { terminal.write(Data($0.utf8)) }
        }
        if let failure = outcome.failureLine {
            FileHandleOutput.standardError(failure)
            throw ExitCode.failure
        }
    }
}

/// The lesson `lesson run` and `lesson export` work on: FILE and the --lang that finds it by number or name.
struct LessonChoice: ParsableArguments {
    @Argument(help: "The lesson: a path, a number (3) or a file name (03-decoding).")
    var file: String

    @OptionGroup var course: CourseLanguage

    /// Sets up a headless run of the lesson: the locale, Ctrl-C, the lesson read and checked, and an executor
    /// capturing the cells' output in the lesson's language.
    func open() throws -> (URL, LessonDocument, LessonCellExecutor) {
        TerminalUI.TerminalLocale.activate()
        Cancellation.installInterruptHandler()
        let asked = course.language
        let url = try HeadlessLesson.resolve(file, language: asked)
        let document = try HeadlessLesson.read(url)
        let columns = TerminalSize.columns(fallback: 80)      // the transcript's terminal, measured before cells capture
        return (url, document, LessonCellExecutor(language: HeadlessLesson.language(of: url) ?? asked, columns: columns))
    }
}
