// The lesson as a notebook saved with its results (`lmlab lesson export`): the lesson text unchanged, and after each
// ```lab cell an ```output block with its commands and what they printed. Cells run as `lesson run` runs them; a
// failing cell's error is written too, and the export goes on.
import Foundation
import LabCore

extension HeadlessLesson {
    /// Runs every cell of `document` in one session and returns the lesson's Markdown with their outputs; `starting`
    /// hears of each cell before it runs.
    public static func markdownWithOutputs(_ document: LessonDocument, executor: CellExecutor,
                                           starting: (LabCell) -> Void) throws -> String {
        let session = LabSession(document: document, executor: executor)
        session.describesExercises = true
        var outputs: [Int: String] = [:]          // opening fence line → the cell's output block
        for cell in document.cells {
            try Cancellation.check()
            starting(cell)
            var block = ""
            let run = session.run(cell, onCommand: { _, line in block += "$ " + line + "\n" }, output: { block += $0 })
            if let failure = session.failureDescription(cell, run) {
                let gap = block.hasSuffix("\n") || block.isEmpty ? "" : "\n"
                block += gap + ParserMessages.errorLabel + failure + "\n"
            }
            outputs[cell.line] = block
        }
        return markdown(document.markdown, outputs: outputs)
    }

    /// Writes `markdown` to `file` (replaced if it exists), making its folder when missing.
    /// - Throws: `FileSystemProblem` naming the folder or file that cannot be written.
    public static func writeExport(_ markdown: String, to file: URL) throws {
        try createFolder(file.deletingLastPathComponent(), for: "lesson export --out")
        do { try markdown.write(to: file, atomically: true, encoding: .utf8) } catch {
            throw FileSystemProblem(path: file.path,
                                    found: Learner.text("cannot write here (\(error.localizedDescription))", "写不了这里（\(error.localizedDescription)）"),
                                    hint: Learner.text("choose another --out, in a folder you can write.", "换一个 --out，放在你能写的文件夹里。"))
        }
    }

    /// The lesson's `text` with, after the closing fence of each cell that opens at a line of `outputs`, an
    /// ```output block holding that cell's transcript (terminal escapes removed, the fence lengthened past any
    /// backticks inside).
    public static func markdown(_ text: String, outputs: [Int: String]) -> String {
        var result: [String] = []
        var open: Int?                            // the opening line of the cell being copied
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            result.append(line)
            let number = i + 1
            if open == nil, outputs[number] != nil { open = number; continue }
            guard let start = open, line.trimmingCharacters(in: .whitespaces).hasPrefix("```") else { continue }
            open = nil
            let body = VisibleText.escapingControls(stripEscapes(outputs[start] ?? ""), keepingNewlines: true)
            var fence = "```"
            while body.contains(fence) { fence += "`" }
            let trimmed = body.hasSuffix("\n") ? String(body.dropLast()) : body
            result += ["", fence + "output", trimmed, fence]
        }
        return result.joined(separator: "\n")
    }

    /// Removes ANSI CSI sequences (colours, cursor moves) a command may have printed.
    public static func stripEscapes(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[ -/]*[@-~]", with: "", options: .regularExpression)
    }
}
