// Exercises — the rustlings pattern for the course: the learner edits a Swift file under Lessons/exercises/,
// `lmlab exercise check NAME` builds it with a harness and compares it with the lab's own implementation, hints come
// one at a time, the solution is shown after passing, `reset` puts the starter back.
//
// This file knows the catalog (Lessons/exercises/exercises.json) and where each file is; building and checking
// live in LabCLI (they need the models), progress lives in ProgressStore (`exercises` of progress.json).

import Foundation
import LabCore

/// One exercise of Lessons/exercises/exercises.json.
public struct ExerciseEntry: Decodable, Sendable {
    public let name: String
    /// The lesson it belongs to.
    public let lesson: Int
    public let title: [String: String]
    /// What `check` compares, in a sentence.
    public let checks: [String: String]
    public let hints: [String: [String]]

    public func title(_ lang: LessonLanguage) -> String { title[lang.rawValue] ?? title["en"] ?? name }
    public func checks(_ lang: LessonLanguage) -> String { checks[lang.rawValue] ?? checks["en"] ?? "" }
    public func hints(_ lang: LessonLanguage) -> [String] { hints[lang.rawValue] ?? hints["en"] ?? [] }
}

public struct ExerciseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The exercises folder and its catalog.
public struct ExerciseCatalog: Sendable {
    public let directory: URL
    public let entries: [ExerciseEntry]

    private struct File: Decodable { let exercises: [ExerciseEntry] }

    /// Reads `<directory>/exercises.json`.
    /// - Throws: `ExerciseError` naming the file and the fix when it is missing or malformed.
    public init(directory: URL) throws {
        let url = directory.appendingPathComponent("exercises.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ExerciseError(Learner.text("\(url.path): not found. HINT: ", "\(url.path)：找不到。HINT：")
                + ProjectPaths.howToFind)
        }
        do {
            entries = try JSONDecoder().decode(File.self, from: data).exercises
        } catch {
            throw ExerciseError(Learner.text(
                "\(url.path): not a valid exercise catalog (\(error)). HINT: restore it with `git checkout Lessons/exercises/exercises.json`.",
                "\(url.path)：不是有效的练习目录（\(error)）。HINT：用 `git checkout Lessons/exercises/exercises.json` 恢复它。"))
        }
        self.directory = directory
    }

    /// The catalog of the project (Lessons/exercises).
    public static func ofProject() throws -> ExerciseCatalog {
        guard let root = ProjectPaths.root() else {
            throw ExerciseError(Learner.text("cannot find the LMLab project folder (Lessons/exercises). HINT: ",
                                                      "找不到 LMLab 项目文件夹（Lessons/exercises）。HINT：") + ProjectPaths.howToFind)
        }
        return try ExerciseCatalog(directory: root.appendingPathComponent("Lessons/exercises"))
    }

    /// The exercise called `name`; an unknown name suggests the nearest one.
    public func entry(_ name: String) throws -> ExerciseEntry {
        if let e = entries.first(where: { $0.name == name }) { return e }
        let shown = VisibleText.escapingControls(name)
        let guess = CommandWords.nearest(to: name, in: entries.map(\.name))
        throw ExerciseError(Learner.text("no exercise called '\(shown)'." + (guess.map { " Did you mean '\($0)'?" } ?? "")
                                             + " HINT: `lmlab exercise list` shows them all.",
                                         "没有叫 '\(shown)' 的练习。" + (guess.map { "你是说 '\($0)' 吗？" } ?? "")
                                             + "HINT：`lmlab exercise list` 列出所有练习。"))
    }

    /// The project's catalog and its exercise `name`.
    public static func projectEntry(_ name: String) throws -> (ExerciseCatalog, ExerciseEntry) {
        let catalog = try ofProject()
        return (catalog, try catalog.entry(name))
    }

    /// The file `exercise reset NAME` would write: the learner's file of the project's exercise `name`, or where it
    /// would be when the catalog or the name is not found (the command then fails without writing).
    public static func projectWorkFile(_ name: String) -> URL {
        let work = (try? ofProject()).flatMap { c in (try? c.entry(name)).map(c.workFile) }
        return work ?? URL(fileURLWithPath: "Lessons/exercises/\(name).swift")
    }

    /// The file the learner edits.
    public func workFile(_ e: ExerciseEntry) -> URL { directory.appendingPathComponent("\(e.name).swift") }

    /// Keeps `data` — a version of the learner's file about to be replaced (by `exercise reset`, or by the editor
    /// overwriting another editor's save) — beside `file` as NAME.swift.bak, else NAME.swift.2.bak, .3.bak …: a
    /// backup is never overwritten, so a reset and an overwrite cannot take each other's copy.
    /// - Returns: the backup written.
    /// - Throws: the file system's error; `OptionError` past 999 backups.
    public static func keepBackup(_ data: Data, of file: URL) throws -> URL {
        for n in 1..<1000 {
            let url = file.deletingLastPathComponent()
                .appendingPathComponent(file.lastPathComponent + (n == 1 ? ".bak" : ".\(n).bak"))
            guard !FileManager.default.fileExists(atPath: url.path) else { continue }
            try data.write(to: url, options: .withoutOverwriting)
            return url
        }
        throw OptionError(Learner.text("\(file.path): 999 backups already. HINT: delete the old *.bak files beside it.",
                                       "\(file.path)：已经有 999 个备份。HINT：删掉它旁边旧的 *.bak 文件。"))
    }
    /// The untouched starter (`reset` copies it back).
    public func starterFile(_ e: ExerciseEntry) -> URL { directory.appendingPathComponent("starters/\(e.name).swift") }
    /// The reference solution, shown after passing.
    public func solutionFile(_ e: ExerciseEntry) -> URL { directory.appendingPathComponent("solutions/\(e.name).swift") }
    /// The program compiled with the learner's file (its `main`).
    public func harnessFile(_ e: ExerciseEntry) -> URL { directory.appendingPathComponent("harness/\(e.name).swift") }

    /// True when the learner's file still equals the starter.
    public func isUntouched(_ e: ExerciseEntry) -> Bool {
        FileManager.default.contents(atPath: workFile(e).path) == FileManager.default.contents(atPath: starterFile(e).path)
    }
}

/// What the lab remembers of one exercise.
public struct ExerciseState: Codable, Equatable, Sendable {
    public var checks = 0
    public var passed: Date?
    /// How many of the hints were shown so far (`hintsSeen`'s count; files written before it was kept: hints
    /// 1…hintsShown were seen).
    public var hintsShown = 0
    /// Which hints (1-based) were shown; nil in files written before it was kept.
    public var hintsSeen: [Int]?
    /// The hints about the last failed check's slip (`ExerciseVerdict.hints`), nil after a pass.
    public var failureHints: [Int]?
    /// The last check's first divergence, or nil after a pass.
    public var lastFailure: String?
    /// When the learner's file was last checked (nil in files written before it was kept).
    public var lastChecked: Date?
    public init() {}

    /// The hints (1-based) shown so far.
    public var seenHints: Set<Int> { Set(hintsSeen ?? Array(0..<max(0, hintsShown)).map { $0 + 1 }) }
}
