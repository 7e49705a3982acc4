// `lmlab lesson run FILE` and `lmlab lesson list`: lessons as notebooks, headless.
//
// `lesson run` executes every ```lab cell of a lesson in one session, in order, printing each cell's commands and
// what they print — what CI does for every lesson in both languages. It stops at the first failing cell with
// FILE:LINE, the cell and the line, and exits non-zero. ERNIE-only cells without the weights print how to get them
// and count as passed (issue 9: "without weights they print the instruction text instead of failing").
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

    @Argument(help: "Seconds to wait.")
    var seconds: Double

    func run() throws {
        let start = Date()
        var ticks = 0
        while Date().timeIntervalSince(start) < seconds {
            try Cancellation.check()
            let elapsed = Int(Date().timeIntervalSince(start))
            if elapsed >= ticks { print("waiting… \(ticks) s"); fflush(stdout); ticks += 1 }
            usleep(10_000)
        }
        print("waited \(seconds) s")
    }
}

struct LessonList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the course's lessons and which are written yet (same as `lmlab lessons`).",
        discussion: """
        Examples:
          lmlab lesson list
          lmlab lesson list --lang zh
        """)

    @Option(name: .long, help: "Language: en or zh (default: from the locale).")
    var lang: String?

    @Flag(name: .long, help: "Print JSON: [{number, file, title, summary, written}].")
    var json = false

    func run() throws {
        var inner = LessonsCommand()
        inner.lang = lang
        inner.json = json
        try inner.run()
    }
}

struct LessonRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute every cell of a lesson in order, printing commands and outputs.",
        discussion: """
        FILE is a path to a lesson (.md), or a lesson number or name looked up in Lessons/<lang>/.
        Examples:
          lmlab lesson run Lessons/en/03-decoding.md
          lmlab lesson run 3 --lang zh
          lmlab lesson run 04-ngram --cell counts
        Exits with status 1 at the first failing cell, naming the file, the line, the cell and the command — or the \
        `# expect:` line of the cell whose output broke it, and what the cell printed.
        """)

    @Argument(help: "The lesson: a path, a number (3) or a file name (03-decoding).")
    var file: String

    @Option(name: .long, help: "Language used to find a lesson given by number or name: en or zh (default: from the locale).")
    var lang: String?

    @Option(name: .long, help: "Run only the cell with this id.")
    var cell: String?

    func run() throws {
        // Captured, so each cell's output can be checked against its `# expect:` lines; passed on as it arrives to a
        // copy of the real stdout (while a command runs, descriptor 1 points into the capture pipe).
        let (_, document, executor) = try Self.open(file, lang: lang, capture: true)
        fflush(stdout)
        let terminal = FileHandle(fileDescriptor: dup(1), closeOnDealloc: true)
        let outcome = try Learner.$language.withValue(executor.language ?? Learner.language) {
            try Self.runCells(document, executor: executor, only: cell) { terminal.write(Data($0.utf8)) }
        }
        if let failure = outcome.failure {
            FileHandleOutput.standardError("error: " + failure)
            throw ExitCode.failure
        }
    }

    /// Sets up a headless run of the lesson `file` (a path, number or name; `lang` finds the latter): the locale,
    /// Ctrl-C, the lesson read and checked, and an executor answering in the lesson's language.
    static func open(_ file: String, lang: String?, capture: Bool) throws -> (URL, LessonDocument, LessonCellExecutor) {
        TerminalUI.TerminalLocale.activate()
        Cancellation.installInterruptHandler()
        let asked = try LessonsCommand.language(lang)
        let url = try resolve(file, language: asked)
        let document = try read(url)
        let executor = LessonCellExecutor(capture: capture)
        executor.language = language(of: url) ?? asked
        return (url, document, executor)
    }

    /// What a headless run did.
    struct Outcome {
        var ran = 0
        var needsErnie = 0
        /// Expectations checked, and those of ERNIE-only cells left unchecked for want of the weights.
        var checked = 0
        var unchecked = 0
        /// The first failure, "FILE:LINE: cell …", or nil when every cell passed.
        var failure: String?
    }

    /// Runs the cells in order, writing the transcript to `write`; stops at the first failure.
    /// - Throws: `ValidationError` when `only` names no cell.
    static func runCells(_ document: LessonDocument, executor: CellExecutor, only: String? = nil,
                         write: @escaping (String) -> Void) throws -> Outcome {
        let session = LabSession(document: document, executor: executor)
        var cells = document.cells
        if let only {
            cells = cells.filter { $0.id == only }
            guard !cells.isEmpty else {
                throw ValidationError("\(document.path): no cell \"\(only)\". HINT: its cells are \(document.cells.map(\.id).joined(separator: ", ")).")
            }
        }
        var outcome = Outcome()
        write("# \(document.path): \(document.cells.count) cell\(document.cells.count == 1 ? "" : "s")\n")
        for cell in cells {
            write("\n── cell \(cell.id)\(cell.ernieOnly ? " (ernie-only)" : "") · line \(cell.line)\n")
            let run = session.run(cell, onCommand: { _, line in write("$ \(VisibleText.escapingControls(line))\n") }, output: write)
            outcome.ran += 1
            for r in run.expectations {
                write((r.passed ? "✓ " : "✗ ") + Learner.text("expect: ", "预期：") + VisibleText.escapingControls(r.expectation.source)
                      + " — " + VisibleText.escapingControls(r.detail) + "\n")
            }
            outcome.checked += run.expectations.count
            if case .needsErnie = run.status { outcome.needsErnie += 1; outcome.unchecked += cell.expectations.count }
            if let failure = session.failureDescription(cell, run) {
                outcome.failure = failure
                return outcome
            }
        }
        let ernieNote = outcome.needsErnie > 0 ? " (\(outcome.needsErnie) ERNIE-only without weights: instructions shown)" : ""
        let expectNote = outcome.checked + outcome.unchecked == 0 ? "" : " \(outcome.checked) expectation\(outcome.checked == 1 ? "" : "s") checked"
            + (outcome.unchecked > 0 ? ", \(outcome.unchecked) of ERNIE-only cells not checked" : "") + "."
        write("\n# \(outcome.ran) cell\(outcome.ran == 1 ? "" : "s") ran, all passed\(ernieNote).\(expectNote)\n")
        return outcome
    }

    /// The largest lesson file read (the course's longest is about 6 KB): more is not a lesson, and a device such as
    /// /dev/zero would never end.
    static let maxLessonBytes = 4 << 20

    /// Reads a lesson, naming it in messages by its path relative to the current directory when it is inside it.
    /// - Throws: `LessonDocumentError` when the file is not a lesson — not a regular .md file of at most
    ///   `maxLessonBytes`, or without a `# Title` and ```lab cells — or cannot be read or parsed.
    static func read(_ url: URL) throws -> LessonDocument {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let full = url.standardizedFileURL.path
        let shown = full.hasPrefix(cwd) ? String(full.dropFirst(cwd.count)) : full
        func notALesson(_ message: String) -> LessonDocumentError {
            LessonDocumentError(path: shown, line: nil, message: message,
                                hint: "pass a lesson's .md file (Lessons/en/03-decoding.md), or a lesson number; `lmlab lesson list` shows them.")
        }
        guard url.pathExtension.lowercased() == "md" else { throw notALesson("not a lesson: lessons are Markdown files ending in .md") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: full)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw notALesson("not a regular file")
        }
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > maxLessonBytes {
            throw notALesson("\(size) bytes: too big for a lesson (at most \(maxLessonBytes))")
        }
        guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
            return try LessonDocument(contentsOf: url)   // the reader's own error names the problem
        }
        let document = try LessonDocument(markdown: text, path: shown)
        try document.requireRunnable()
        return document
    }

    /// A path as given, or a lesson number / name looked up in the project's Lessons/<lang>/.
    /// The language a lesson file is written in, from its folder (Lessons/en/…, Lessons/zh/…); nil elsewhere.
    static func language(of url: URL) -> LessonLanguage? {
        LessonLanguage(rawValue: url.deletingLastPathComponent().lastPathComponent)
    }

    static func resolve(_ file: String, language: LessonLanguage) throws -> URL {
        let direct = URL(fileURLWithPath: (file as NSString).expandingTildeInPath)
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        if file.hasSuffix(".md") || file.contains("/") {
            throw ValidationError("\(file): no such lesson file. HINT: `lmlab lesson list` shows the lessons; pass a path to a .md file or a lesson number.")
        }
        let course = try Course.ofProject()
        let match = course.lessons.first { l in
            Int(file) == l.number || l.file == file || l.file == file + ".md" || l.file.dropFirst(3).hasPrefix(file)
        }
        guard let lesson = match else {
            throw ValidationError("\(file): no lesson by that number or name. HINT: `lmlab lesson list` shows them (numbers 1–\(course.lessons.count)).")
        }
        let url = course.url(of: lesson, in: language)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("\(url.path): lesson \(lesson.number) is not written yet in \(language.rawValue). HINT: try --lang \(language == .en ? "zh" : "en"), or `lmlab lesson list`.")
        }
        return url
    }
}
