// The exercise files a learner opens read whole at 80 columns, in both languages: the built-in editor
// (TerminalUI/ExerciseEditorPage.swift) draws a 3-cell line-number gutter and cuts what is wider than the screen, so
// every comment line of an exercise file and its starter fits in 76 cells (EastAsianWidth, a CJK character is 2);
// the header states the task in English and in Chinese and names the lesson exercises.json gives; every
// `// TODO:` has a `// 待办：` twin. The solutions' header comments fit too (they are shown after passing).
import Foundation
import LabCore
import Testing
@testable import Lab

private let editorWidth = 76

/// Lines of `url` that are comments (after indentation), with their 1-based numbers; only the opening comment
/// block when `headerOnly`.
private func commentLines(_ url: URL, headerOnly: Bool = false) throws -> [(number: Int, text: String)] {
    let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
    return (headerOnly ? Array(lines.prefix { $0.hasPrefix("//") }) : lines).enumerated()
        .filter { $0.element.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
        .map { (number: $0.offset + 1, text: $0.element) }
}

@Test func everyExerciseCommentFitsTheBuiltInEditorAt80Columns() throws {
    let catalog = try ExerciseCatalog.ofProject()
    var widest = (cells: 0, place: "")
    for e in catalog.entries {
        for (url, headerOnly) in [(catalog.workFile(e), false), (catalog.starterFile(e), false), (catalog.solutionFile(e), true)] {
            let place = url.pathComponents.suffix(2).joined(separator: "/")
            for line in try commentLines(url, headerOnly: headerOnly) {
                let cells = EastAsianWidth.cells(line.text)
                if cells > widest.cells { widest = (cells, "\(place):\(line.number)") }
                #expect(cells <= editorWidth, "\(place):\(line.number) is \(cells) cells wide (at most \(editorWidth)): \(line.text)")
            }
        }
    }
    print("widest comment line of the exercise files: \(widest.cells) cells (\(widest.place))")
}

@Test func everyExerciseHeaderStatesTheTaskInEnglishAndChinese() throws {
    let catalog = try ExerciseCatalog.ofProject()
    #expect(catalog.entries.count >= 24)
    for e in catalog.entries {
        let text = try String(contentsOf: catalog.workFile(e), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let header = lines.prefix { $0.hasPrefix("//") }.joined(separator: "\n")
        #expect(header.hasPrefix("// Exercise \(e.name) (lesson \(e.lesson)"), "\(e.name): the header opens with its English title line")
        #expect(header.contains("// 练习 \(e.name)（第 \(e.lesson) 课"), "\(e.name): no Chinese title line naming lesson \(e.lesson)")
        // The statement itself (not the title, not the command lines) is in Chinese as well as in English.
        let statement = lines.prefix { $0.hasPrefix("//") }.dropFirst(2).filter { !$0.contains("lmlab exercise") && !$0.contains("（第 ") }
        let ideographs = statement.joined().unicodeScalars.filter { $0.properties.isIdeographic }.count
        #expect(ideographs >= 10, "\(e.name): the task statement has \(ideographs) Chinese characters — it is not stated in Chinese")
        #expect(header.contains("lmlab exercise check \(e.name)") && header.contains("lmlab exercise hint \(e.name)"),
                "\(e.name): the header names the commands to check and to ask for a hint")
        // Each English TODO block is followed by its Chinese twin.
        let todos = lines.indices.filter { lines[$0].contains("// TODO:") }
        #expect(!todos.isEmpty, "\(e.name): no TODO says where to write")
        for k in todos {
            let twin = lines[(k + 1)...].first { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("// ") || $0.contains("// 待办：") || $0.contains("// TODO:") }
            #expect(twin?.contains("// 待办：") == true, "\(e.name):\(k + 1): the TODO has no `// 待办：` line under it")
        }
    }
}
