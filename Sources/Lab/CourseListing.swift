// CourseListing — the course as plain text: `lmlab lessons` (one line per lesson: number, title, summary, whether it
// is written yet, aligned by display width) and the home screen `lmlab` prints (that list and the commands). The
// ncurses notebook draws the same content when it lands (TerminalUI/HomePage.swift).
import Foundation
import LabCore

extension Course {
    /// One line per lesson: number, title, summary and whether it is written yet, `width` cells wide at most.
    public func listing(language: LessonLanguage, width: Int) -> [String] {
        let titleWidth = min(32, lessons.map { EastAsianWidth.cells($0.title(language)) }.max() ?? 0)
        let status = language == .zh ? ("可运行", "待编写") : ("ready", "not written yet")
        let statusWidth = max(EastAsianWidth.cells(status.0), EastAsianWidth.cells(status.1))
        let summaryWidth = max(10, width - 4 - 2 - titleWidth - 2 - statusWidth - 2)
        return lessons.map { l in
            let num = EastAsianWidth.pad(String(l.number), toCells: 2, align: .right)
            let st = isWritten(l, in: language) ? status.0 : status.1
            return "  " + num + "  " + EastAsianWidth.pad(l.title(language), toCells: titleWidth) + "  "
                + EastAsianWidth.pad(l.summary(language), toCells: summaryWidth) + "  " + st
        }
    }

    /// `lmlab lessons --json`: one row per lesson (the keys are a contract).
    public struct ListingRow: Encodable {
        public let number: Int
        public let file, title, summary: String
        public let written: Bool
    }

    public func listingRows(language: LessonLanguage) -> [ListingRow] {
        lessons.map {
            ListingRow(number: $0.number, file: "Lessons/\(language.rawValue)/\($0.file)", title: $0.title(language),
                       summary: $0.summary(language), written: isWritten($0, in: language))
        }
    }

    /// The home screen: the title, the lessons, and `commands` (name, abstract in English) with their summaries in
    /// `language` (CommandGuide).
    public func homeScreen(language: LessonLanguage, width: Int, commands: [(name: String, abstract: String)]) -> String {
        let zh = language == .zh
        var out = [zh ? "LMLab —— 亲手运行，学懂大语言模型" : "LMLab — learn how large language models work by running them", "",
                   zh ? "课程（English: lmlab --lang en）" : "Lessons (中文: lmlab --lang zh)"]
        out += listing(language: language, width: width)
        out += ["", zh ? "命令（lmlab help <命令> 查看用法与示例）" : "Commands (lmlab help <command> for usage and examples)"]
        out += Learner.$language.withValue(language) { CommandGuide.commandList(commands, prefix: "lmlab ", columns: width) }
        return out.joined(separator: "\n")
    }
}
