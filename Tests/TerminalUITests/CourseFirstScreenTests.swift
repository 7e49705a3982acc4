// Every lesson of the course, in both languages, as the notebook draws it at 80×24: the first screen is printed into
// the test log (so CI keeps a capture of each), shows the lesson's title, and has no broken wide character; and the
// whole lesson laid out at the reader's width wraps every line inside it — Chinese included — so nothing is cut off.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private final class NoExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus { .failed("not run in this test") }
    func ernieWeightsMissing() -> String? { nil }
}

/// The project's lesson `file` ("zh/07-transformer.md") as the notebook opens it, drawn once on an 80×24 screen.
private func openLesson(_ file: String) throws -> (LessonDocument, LessonPage, MemoryScreen) {
    let doc = try LessonDocument(contentsOf: try Course.ofProject().directory.appendingPathComponent(file))
    let language: LessonLanguage = file.hasPrefix("zh/") ? .zh : .en
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: NoExecutor()), language: language, progress: nil)
    let screen = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: screen)
    return (doc, page, screen)
}

private var courseFiles: [String] {
    guard let course = try? Course.ofProject() else { return [] }
    return LessonLanguage.allCases.flatMap { lang in
        course.lessons.filter { course.isWritten($0, in: lang) }.map { "\(lang.rawValue)/\($0.file)" }
    }
}

@Test(arguments: courseFiles)
func lessonFirstScreenAt80x24IsReadable(_ file: String) throws {
    let (doc, _, screen) = try openLesson(file)
    print("── \(file) at 80×24\n\(screen.text)")
    #expect(!screen.text.contains("�"), "\(file): a broken character on the first screen")
    let title = doc.title
    #expect(screen.text.contains(EastAsianWidth.truncate(title, toCells: 40, ellipsis: false)), "\(file): the title is not on the first screen")

    // The whole lesson, laid out for the reader's text width: no line wider than the screen.
    for width in [78, 58] {
        let lines = LessonPageLayout.lines(doc, state: LessonLayoutState(), width: width)
        let over = lines.filter { EastAsianWidth.cells($0.text) > width }
        #expect(over.isEmpty, "\(file) at width \(width): \(over.count) lines overflow, first: \(over.first?.text ?? "")")
    }
}

@Test(arguments: LessonLanguage.allCases)
func tabAfterEndGoesToACellOnScreenNotBackToTheTop(_ lang: LessonLanguage) throws {
    let (_, page, screen) = try openLesson("\(lang.rawValue)/07-transformer.md")
    _ = page.handle(.end)
    page.draw(on: screen)
    let bottom = page.top
    #expect(bottom > 100, "the lesson is long: End scrolls far down")
    for key in [Key.tab, .backTab] {
        _ = page.handle(.end)
        page.draw(on: screen)
        _ = page.handle(key)
        page.draw(on: screen)
        print(screen.text)
        #expect(page.top > bottom - 24, "\(key) after End jumped back to line \(page.top)")
        // Tab: the last cell (none is below); Shift-Tab: the last cell, or the one before it when the last was
        // already selected and on screen.
        #expect(screen.text.contains("train-live") || (key == .backTab && screen.text.contains("lens-explore")),
                "\(key) after End: the last cells are on screen")
        let items = key == .tab ? [17] : [16, 17]
        #expect(items.contains { screen.line(0).contains(lang == .zh ? "第 \($0)/17 项" : "item \($0)/17") }, "\(key): \(screen.line(0))")
    }
}

/// ← and → move in the explorers; on a lesson page they say which keys move here instead of doing nothing.
@Test(arguments: [LessonLanguage.en, .zh])
func arrowsSidewaysOnALessonSayWhatMovesHere(_ lang: LessonLanguage) throws {
    let (_, page, screen) = try openLesson("\(lang.rawValue)/03-decoding.md")
    let top = page.top
    for key in [Key.left, .right] {
        _ = page.handle(key)
        page.draw(on: screen)
        #expect(page.top == top)
        #expect(screen.text.contains(lang == .zh ? "←/→ 用于探索器" : "← → are the explorers' keys"), "\(key):\n\(screen.text)")
    }
    _ = page.handle(.down)
    #expect(page.message == nil, "any other key clears it")
}

/// Lesson 8's family table keeps every model name whole in a 60-column notebook: a short Chinese header stays whole
/// only while no cell's word has to break for it (review 16). The English one needs 58 cells (its names, its
/// one-word headers and the gaps); the Chinese one fits in 52.
@Test(arguments: LessonLanguage.allCases)
func theFamilyTableKeepsModelNamesWhole(_ lang: LessonLanguage) throws {
    let (doc, _, _) = try openLesson("\(lang.rawValue)/08-todays-llm.md")
    for width in (lang == .zh ? 52 : 58)...64 {
        let text = LessonPageLayout.lines(doc, state: LessonLayoutState(), width: width).map(\.text).joined(separator: "\n")
        for name in ["ERNIE-4.5-VL-424B-A47B-Base", "ERNIE-4.5-300B-A47B-Base", "ERNIE-4.5-0.3B-Base"] {
            #expect(text.contains(name), "\(lang) at \(width): \(name) is not whole")
        }
    }
}
