// Every lesson ties its ideas to the code that implements them, on lines like
//     Code: `Sources/Decoding/TopP.swift` · `TopP`        (代码：… in the Chinese lessons)
// These tests keep those citations true as the code moves: the file exists and declares the symbol.
import Foundation
import LabCore
import Testing
@testable import Lab

struct Citation: CustomStringConvertible {
    let lesson: String, line: Int, file: String, symbol: String
    var description: String { "\(lesson):\(line): `\(file)` · `\(symbol)`" }
}

/// The citations of one lesson file: on a "Code:"/"代码：" line, each backticked `….swift` names the file for the
/// backticked symbols that follow it.
func citations(in url: URL) throws -> [Citation] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var found: [Citation] = []
    for (i, raw) in text.components(separatedBy: "\n").enumerated() {
        let line = raw.trimmingCharacters(in: .whitespaces)
        guard line.hasPrefix("Code:") || line.hasPrefix("代码：") else { continue }
        let parts = line.components(separatedBy: "`")
        var file: String?
        for k in stride(from: 1, to: parts.count, by: 2) {
            let item = parts[k]
            if item.hasSuffix(".swift") { file = item; continue }
            if let f = file { found.append(Citation(lesson: url.lastPathComponent, line: i + 1, file: f, symbol: item)) }
        }
    }
    return found
}

func lessonFiles() throws -> [URL] {
    let course = try Course.ofProject()
    var urls: [URL] = []
    for lang in LessonLanguage.allCases {
        for lesson in course.lessons where course.isWritten(lesson, in: lang) {
            urls.append(course.url(of: lesson, in: lang))
        }
    }
    return urls
}

@Test func everyCitedSourceSymbolExists() throws {
    let root = try #require(ProjectPaths.root())
    let files = try lessonFiles()
    var checked = 0
    var broken: [String] = []
    for url in files {
        for c in try citations(in: url) {
            checked += 1
            let path = root.appendingPathComponent(c.file).path
            guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
                broken.append("\(c): file not found"); continue
            }
            let name = NSRegularExpression.escapedPattern(for: c.symbol)
            let declaration = try NSRegularExpression(
                pattern: "\\b(struct|class|enum|protocol|func|var|let|case|typealias|actor)\\s+\(name)\\b")
            if declaration.firstMatch(in: source, range: NSRange(source.startIndex..., in: source)) == nil {
                broken.append("\(c): no declaration of \(c.symbol) in that file")
            }
        }
    }
    print("checked \(checked) citations in \(files.count) lesson files")
    #expect(broken.isEmpty, "broken citations:\n\(broken.joined(separator: "\n"))")
}

@Test func citationScannerReadsFileSymbolChains() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cite-\(getpid()).md")
    try "x\nCode: `Sources/A.swift` · `One` · `Sources/B.swift` · `Two` · `Three`\n代码：`Sources/C.swift` · `Four`\n"
        .write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let found = try citations(in: url).map { "\($0.file)#\($0.symbol)@\($0.line)" }
    #expect(found == ["Sources/A.swift#One@2", "Sources/B.swift#Two@2", "Sources/B.swift#Three@2", "Sources/C.swift#Four@3"])
}
