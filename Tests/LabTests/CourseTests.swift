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
