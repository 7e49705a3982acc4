// `lmlab lessons`: the course outline, which lessons are written, in either language.
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

    @Option(name: .long, help: "Language: en or zh (default: from the locale).")
    var lang: String?

    @Flag(name: .long, help: "Print JSON: [{number, file, title, summary, written}].")
    var json = false

    struct Row: Encodable { let number: Int; let file: String; let title: String; let summary: String; let written: Bool }

    func run() throws {
        TerminalLocale.activate()
        let language = try Self.language(lang)
        let course = try Course.ofProject()
        if json {
            print(try jsonString(course.lessons.map {
                Row(number: $0.number, file: "Lessons/\(language.rawValue)/\($0.file)", title: $0.title(language),
                    summary: $0.summary(language), written: course.isWritten($0, in: language))
            }))
        } else {
            print(course.listing(language: language, width: max(60, TerminalSize.columns())).joined(separator: "\n"))
        }
    }

    /// Parses `--lang`, defaulting to the learner's language (the locale's, or the lesson's inside a cell).
    static func language(_ value: String?) throws -> LessonLanguage {
        guard let v = value else { return Learner.language }
        guard let l = LessonLanguage(rawValue: v.lowercased()) else {
            throw ValidationError("--lang \(v): unknown language. HINT: use --lang en or --lang zh.")
        }
        return l
    }
}
