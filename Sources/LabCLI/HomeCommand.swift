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

    @Option(name: .long, help: "Language of the lesson titles: en or zh (default: from the locale).")
    var lang: String?

    func run() throws {
        TerminalLocale.activate()
        let language = try LessonsCommand.language(lang)
        print(try HomeScreen.render(language: language, width: max(60, TerminalSize.columns())))
    }
}

/// The home screen as plain text (the ncurses notebook draws the same content when it lands).
enum HomeScreen {
    static func render(language: LessonLanguage, width: Int = 100) throws -> String {
        let course = try Course.ofProject()
        var out: [String] = []
        let zh = language == .zh
        out.append(zh ? "LMLab —— 亲手运行，学懂大语言模型" : "LMLab — learn how large language models work by running them")
        out.append("")
        out.append(zh ? "课程（English: lmlab --lang en）" : "Lessons (中文: lmlab --lang zh)")
        out += LessonsCommand.table(course: course, language: language, width: width)
        out.append("")
        out.append(zh ? "命令（lmlab help <命令> 查看用法与示例）" : "Commands (lmlab help <command> for usage and examples)")
        let commands = LMLab.configuration.subcommands.filter { $0 != Home.self }
        let nameWidth = commands.map { EastAsianWidth.cells("lmlab " + ($0.configuration.commandName ?? "")) }.max() ?? 0
        for c in commands {
            let name = "lmlab " + (c.configuration.commandName ?? "")
            let abstract = Learner.$language.withValue(language) { CommandGuide.summary(c.configuration.commandName ?? "", english: c.configuration.abstract) }
            out.append("  " + EastAsianWidth.pad(name, toCells: nameWidth) + "  " + abstract)
        }
        return out.joined(separator: "\n")
    }
}
