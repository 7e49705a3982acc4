import Foundation
import Testing
@testable import Lab

@Test func projectCourseHasTenBilingualLessons() throws {
    let course = try Course.ofProject()
    #expect(course.lessons.count == 10)
    for lesson in course.lessons {
        #expect(!lesson.title(.en).isEmpty && !lesson.title(.zh).isEmpty)
    }
}

/// A preformatted line (a formula, a command) is shown one screen line per source line, and wrapped only when it is
/// wider than the page — at any space, which can split a formula mid-term. The notebook's page at 80 columns holds
/// 74 cells of code; every lesson's code lines keep to 72 so they are never wrapped there.
@Test func lessonCodeLinesFitTheNotebookAt80Columns() throws {
    var wide: [String] = []
    var checked = 0
    for url in try lessonFiles() {
        for case .code(_, let text) in try LessonDocument(contentsOf: url).blocks {
            for line in text.split(separator: "\n") {
                checked += 1
                let cells = EastAsianWidth.cells(String(line))
                if cells > 72 { wide.append("\(url.lastPathComponent): \(cells) cells: \(line)") }
            }
        }
    }
    print("checked \(checked) code lines")
    #expect(checked > 50)
    #expect(wide.isEmpty, "code lines wider than 72 cells:\n\(wide.joined(separator: "\n"))")
}
