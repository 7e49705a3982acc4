// HeadlessLesson — a lesson run without a screen (`lmlab lesson run`, `lesson export`, CI for every lesson in both
// languages): the lesson file read and checked, then its cells run in order in one session, each cell's commands and
// what they print written as a transcript with its `# expect:` verdicts, stopping at the first failing cell with
// FILE:LINE. ERNIE-only cells without the weights print how to get them and count as passed; exercise cells show the
// exercise rather than check it (ExerciseCellCard).
import Foundation
import LabCore

public enum HeadlessLesson {
    /// "cell tokens · line 9" (a `lesson run` transcript's heading, `lesson export`'s progress) in the learner's language.
    public static func heading(_ cell: LabCell) -> String {
        Learner.text("cell \(cell.id)\(cell.ernieOnly ? " (ernie-only)" : "") · line \(cell.line)",
                     "单元 \(cell.id)\(cell.ernieOnly ? "（仅限 ERNIE）" : "") · 第 \(cell.line) 行")
    }

    /// What a headless run did.
    public struct Outcome: Sendable {
        public var ran = 0
        public var needsErnie = 0
        /// Expectations checked, and those of ERNIE-only cells left unchecked for want of the weights.
        public var checked = 0
        public var unchecked = 0
        /// The first failure, "FILE:LINE: cell …", or nil when every cell passed.
        public var failure: String?
        /// The failure as `lesson run` ends with it on standard error: "error: FILE:LINE: cell …" (错误：…).
        public var failureLine: String?
    }

    /// Runs `cells` (default: all of the lesson's) in order in one session, writing the transcript to `write`;
    /// stops at the first failure.
    public static func run(_ document: LessonDocument, cells: [LabCell]? = nil, executor: CellExecutor,
                           write: @escaping (String) -> Void) -> Outcome {
        let session = LabSession(document: document, executor: executor)
        session.describesExercises = true
        let cells = cells ?? document.cells
        var outcome = Outcome()
        let count = document.cells.count
        write("# \(document.path): " + Learner.text("\(count) cell\(count == 1 ? "" : "s")", "\(count) 个单元") + "\n")
        for cell in cells {
            write("\n── " + heading(cell) + "\n")
            let run = session.run(cell, onCommand: { _, line in write("$ \(VisibleText.escapingControls(line))\n") }, output: write)
            outcome.ran += 1
            for r in run.expectations {
                write((r.passed ? "✓ " : "✗ ") + Learner.text("expect: ", "预期：")
                      + VisibleText.escapingControls(r.expectation.shown(inChinese: Learner.isChinese))
                      + " — " + VisibleText.escapingControls(r.detail) + "\n")
            }
            outcome.checked += run.expectations.count
            if case .needsErnie = run.status { outcome.needsErnie += 1; outcome.unchecked += cell.expectations.count }
            if let failure = session.failureDescription(cell, run) {
                outcome.failure = failure
                outcome.failureLine = ParserMessages.errorLabel + failure
                return outcome
            }
        }
        write("\n# " + summary(outcome) + "\n")
        return outcome
    }

    /// The run's last line: "11 cells ran, all passed (1 ERNIE-only without weights: instructions shown). 15
    /// expectations checked.", in the learner's language.
    static func summary(_ outcome: Outcome) -> String {
        let (ran, ernie, checked, unchecked) = (outcome.ran, outcome.needsErnie, outcome.checked, outcome.unchecked)
        let ernieNote = ernie == 0 ? ""
            : Learner.text(" (\(ernie) ERNIE-only without weights: instructions shown)", "（\(ernie) 个仅限 ERNIE 的单元缺少权重：已显示获取方法）")
        var expectNote = ""
        if checked + unchecked > 0 {
            expectNote = Learner.text(" \(checked) expectation\(checked == 1 ? "" : "s") checked", "检查了 \(checked) 条预期")
                + (unchecked == 0 ? "" : Learner.text(", \(unchecked) of ERNIE-only cells not checked", "，仅限 ERNIE 的单元有 \(unchecked) 条未检查"))
                + Learner.text(".", "。")
        }
        return Learner.text("\(ran) cell\(ran == 1 ? "" : "s") ran, all passed\(ernieNote).", "\(ran) 个单元全部运行通过\(ernieNote)。")
            + expectNote
    }

    /// Reads a lesson, naming it in messages by its path relative to the current directory when it is inside it.
    /// - Throws: `LessonDocumentError` when the file is not a lesson — not a regular .md file of at most
    ///   `LessonDocument.maxFileBytes`, or without a `# Title` and ```lab cells — or cannot be read or parsed.
    public static func read(_ url: URL) throws -> LessonDocument {
        let full = url.standardizedFileURL.path
        let shown = shownPath(url)
        func notALesson(_ message: String) -> LessonDocumentError {
            LessonDocumentError(path: shown, line: nil, message: message, hint: LessonDocumentError.passALesson)
        }
        guard url.pathExtension.lowercased() == "md" else { throw notALesson("not a lesson: lessons are Markdown files ending in .md") }
        let text = try LessonDocument.text(of: URL(fileURLWithPath: full), shownAs: shown)
        let document = try LessonDocument(markdown: text, path: shown)
        try document.requireRunnable()
        return document
    }

    /// `url`'s path relative to the current directory when it is inside it, else the full path.
    public static func shownPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let full = url.standardizedFileURL.path
        return full.hasPrefix(cwd) ? String(full.dropFirst(cwd.count)) : full
    }

    /// The language a lesson file is written in, from its folder (Lessons/en/…, Lessons/zh/…); nil elsewhere.
    public static func language(of url: URL) -> LessonLanguage? {
        LessonLanguage(rawValue: url.deletingLastPathComponent().lastPathComponent)
    }

    /// `lmlab lesson run [--cell ID]`: `run` on all the cells, or only on the one whose id is `only`.
    /// - Throws: `OptionError` when `only` names no cell.
    public static func run(_ document: LessonDocument, only: String?, executor: CellExecutor,
                           write: @escaping (String) -> Void) throws -> Outcome {
        run(document, cells: try cells(of: document, only: only), executor: executor, write: write)
    }

    /// How many cell ids the message for an unknown `--cell` lists.
    static let cellIdsListed = 20

    /// The cells of `document` to run: all, or only the one whose id is `only`.
    /// - Throws: `OptionError` when `only` names no cell.
    public static func cells(of document: LessonDocument, only: String?) throws(OptionError) -> [LabCell] {
        guard let only else { return document.cells }
        let cells = document.cells.filter { $0.id == only }
        guard !cells.isEmpty else {
            // The first ids, and how many there are: a stranger's lesson of 50,000 cells is not a 400 kB message.
            let all = document.cells.count
            let ids = document.cells.prefix(Self.cellIdsListed).map { VisibleText.escapingControls($0.id) }
            let more = all - ids.count
            let name = VisibleText.quoted(only)
            throw OptionError(Learner.text(
                "\(document.path): no cell \(name). HINT: its cells are " + ids.joined(separator: ", ")
                    + (more > 0 ? " and \(more) more (\(all) in all)." : "."),
                "\(document.path)：没有单元 \(name)。HINT：它的单元有 " + ids.joined(separator: "、")
                    + (more > 0 ? "，还有 \(more) 个（共 \(all) 个）。" : "。")))
        }
        return cells
    }

    /// A path as given, or a lesson number / name looked up in the project's Lessons/<lang>/.
    /// - Throws: `OptionError` when there is no such lesson (or not in `language` yet).
    public static func resolve(_ file: String, language: LessonLanguage) throws -> URL {
        let direct = ProjectPaths.fileURL(file)
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        if file.hasSuffix(".md") || file.contains("/") {
            throw OptionError(Learner.text(
                "\(file): no such lesson file. HINT: `lmlab lesson list` shows the lessons; pass a path "
                    + "to a .md file or a lesson number.",
                "\(file)：没有这个课程文件。HINT：`lmlab lesson list` 列出所有课程；给出一个 .md 文件的路径或课程编号。"))
        }
        let course = try Course.ofProject()
        let match = course.lessons.first { l in
            Int(file) == l.number || l.file == file || l.file == file + ".md" || l.file.dropFirst(3).hasPrefix(file)
        }
        guard let lesson = match else {
            throw OptionError(Learner.text(
                "\(file): no lesson by that number or name. HINT: `lmlab lesson list` shows them "
                    + "(numbers 1–\(course.lessons.count)).",
                "\(file)：没有这个编号或名字的课程。HINT：`lmlab lesson list` 列出它们（编号 1–\(course.lessons.count)）。"))
        }
        let url = course.url(of: lesson, in: language)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let other = language == .en ? "zh" : "en"
            throw OptionError(Learner.text(
                "\(url.path): lesson \(lesson.number) is not written yet in \(language.rawValue). "
                    + "HINT: try --lang \(other), or `lmlab lesson list`.",
                "\(url.path)：第 \(lesson.number) 课还没有 \(language.rawValue) 版本。HINT：试试 --lang \(other)，或 `lmlab lesson list`。"))
        }
        return url
    }
}
