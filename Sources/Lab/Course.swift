// Course — the lesson outline of Lessons/course.json and where the lesson files are.
//
// The lab's lessons are Markdown notebooks under Lessons/<lang>/ (DESIGN.md, "Lessons are notebooks").
// This file knows the course order and titles in both languages, finds the project's Lessons/ folder,
// and tells which lesson files exist yet.

import Foundation
import LabCore

/// One lesson of the course outline.
public struct LessonEntry: Decodable, Sendable {
    public let number: Int
    public let file: String
    public let title: [String: String]
    public let summary: [String: String]

    public func title(_ lang: LessonLanguage) -> String { title[lang.rawValue] ?? title["en"] ?? file }
    public func summary(_ lang: LessonLanguage) -> String { summary[lang.rawValue] ?? summary["en"] ?? "" }
}

/// A problem reading the course outline, with the file and the fix.
public struct CourseError: Error, CustomStringConvertible {
    public let description: String
}

/// The course: its outline and the folder it was read from.
public struct Course: Sendable {
    public let lessons: [LessonEntry]
    /// The Lessons/ folder.
    public let directory: URL

    private struct Outline: Decodable { let lessons: [LessonEntry] }

    /// Reads `<lessonsDirectory>/course.json`.
    /// - Throws: `CourseError` naming the file when it is missing or malformed.
    public init(lessonsDirectory: URL) throws {
        let url = lessonsDirectory.appendingPathComponent("course.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CourseError(description: Learner.text("\(url.path): not found. HINT: ", "\(url.path)：找不到。HINT：")
                + ProjectPaths.howToFind)
        }
        do {
            lessons = try JSONDecoder().decode(Outline.self, from: data).lessons.sorted { $0.number < $1.number }
        } catch {
            throw CourseError(description: Learner.text(
                "\(url.path): not a valid course outline (\(error)). HINT: restore it with `git checkout Lessons/course.json`.",
                "\(url.path)：不是有效的课程大纲（\(error)）。HINT：用 `git checkout Lessons/course.json` 恢复它。"))
        }
        directory = lessonsDirectory
    }

    /// The course of the project found by `ProjectPaths.root()` (its Lessons/ folder).
    /// - Throws: `CourseError` when no project folder is found, or its outline is missing or malformed.
    public static func ofProject() throws -> Course {
        guard let root = ProjectPaths.root() else {
            throw CourseError(description: Learner.text("cannot find the LMLab project folder (Lessons/course.json). HINT: ",
                                                      "找不到 LMLab 项目文件夹（Lessons/course.json）。HINT：") + ProjectPaths.howToFind)
        }
        return try Course(lessonsDirectory: root.appendingPathComponent("Lessons"))
    }

    /// The lesson file for a language, whether or not it exists yet.
    public func url(of lesson: LessonEntry, in lang: LessonLanguage) -> URL {
        directory.appendingPathComponent(lang.rawValue).appendingPathComponent(lesson.file)
    }

    /// True when the lesson has been written in that language.
    public func isWritten(_ lesson: LessonEntry, in lang: LessonLanguage) -> Bool {
        FileManager.default.fileExists(atPath: url(of: lesson, in: lang).path)
    }
}
