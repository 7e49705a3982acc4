// Every lesson of the course, in both languages, runs headless without error — the acceptance of `lmlab lesson run`
// for the real lessons. Cells run on the shipped models; ERNIE-only cells find no weights (an empty Hugging Face
// cache) and must print the instructions instead of failing. In LessonRunTests' serialized suite, because a cell's
// output is captured from the process's fd 1/2. (That each zh lesson has its en twin's cells is
// LabTests' eachChineseLessonHasTheCellsOfItsEnglishTwin.)
import Foundation
import LabCore
import Lab
import Testing
@testable import LabCLI

extension LessonRunTests {
    static var courseFiles: [String] {
        guard let course = try? Course.ofProject() else { return [] }
        return LessonLanguage.allCases.flatMap { lang in
            course.lessons.filter { course.isWritten($0, in: lang) }.map { "\(lang.rawValue)/\($0.file)" }
        }
    }

    @Test(arguments: courseFiles)
    func everyCourseLessonRunsHeadless(_ file: String) throws {
        let course = try Course.ofProject()
        let url = course.directory.appendingPathComponent(file)
        let doc = try LessonDocument(markdown: String(contentsOf: url, encoding: .utf8), path: "Lessons/" + file)
        // Each lesson its own empty folder (they run side by side), removed afterwards.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-course-nohf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        var env = ProcessInfo.processInfo.environment
        env["HF_HOME"] = empty.path
        env["HF_HUB_CACHE"] = nil
        env["XDG_STATE_HOME"] = empty.path
        let executor = LessonCellExecutor(capture: true, columns: 100, environment: env)
        executor.language = HeadlessLesson.language(of: url)           // as `lmlab lesson run` does: the lesson's own
        var transcript = ""
        // Lesson 7 trains a small model into the state folder: the executor runs each cell's command in its own
        // environment (LabEnvironment), so the command and the cell policy both find the empty folder.
        let outcome = HeadlessLesson.run(doc, executor: executor) { transcript += $0 }
        print("\(file): \(outcome.ran) cells, \(outcome.needsErnie) ERNIE-only (instructions shown)")
        #expect(outcome.failure == nil, "\(file): \(outcome.failure ?? "")\n\(transcript.suffix(2000))")
        #expect(outcome.ran > 0)
    }
}
