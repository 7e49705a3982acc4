// `lmlab lesson export FILE --format md --out PATH`: the lesson as Markdown with what each cell printed
// (Lab/LessonExportMarkdown.swift). Cells run as `lesson run` runs them (headless: a cell that would write or reach
// the network is refused and its refusal is the output).
//
// It runs a lesson and writes a file, so a lesson cell never exports (CellPolicy: `.runsLesson`, `.writes(out)`).
import ArgumentParser
import Foundation
import Lab
import LabCore
import TerminalUI

struct LessonExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Run a lesson's cells and write the lesson with their outputs as Markdown.",
        discussion: CommandHelp.lessonExport)

    enum Format: String, ExpressibleByArgument, CaseIterable { case md }

    @OptionGroup var lesson: LessonChoice

    @Option(name: .long, help: "Output format: md (Markdown, the lesson with its outputs).")
    var format: Format = .md

    @Option(name: .long, help: "The file to write (replaced if it exists).")
    var out: String

    var outURL: URL { ProjectPaths.fileURL(out) }

    func run() throws {
        let (_, document, executor) = try lesson.open()
        let markdown = try HeadlessLesson.markdownWithOutputs(document, executor: executor) { cell in
            FileHandleOutput.standardError(HeadlessLesson.heading(cell))
        }
        try HeadlessLesson.writeExport(markdown, to: outURL)
        print("\(document.path): " + Learner.text("\(document.cells.count) cells with their outputs written to \(outURL.path)",
                                                  "\(document.cells.count) 个单元连同输出写到了 \(outURL.path)"))
    }
}
