// A lesson is a stranger's file, and under the 4 MB lesson cap one of its lines can be megabytes long: it lays out
// whole, within the width, in time linear in its length. Before, each wrapped row copied the rest of the line
// (O(n²/width)): a 3 MB cell line froze the notebook for minutes, on every redraw (hostile-input audit 14, F3).
// Time is not asserted (the machine is shared); a quadratic wrap does not get through these lines at all.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

/// About a megabyte of output: Latin words, CJK with closing marks, and a long run without any break.
private let longLine = String(repeating: "logit 向量上比较，", count: 40_000) + String(repeating: "x", count: 300_000)

@Test func aMegabyteOutputLineWrapsWholeAndWithinTheWidth() {
    for width in [20, 76] {
        let pieces = LessonPageLayout.wrapOutputLine(longLine, width: width)
        #expect(pieces.allSatisfy { EastAsianWidth.cells($0) <= width }, "width \(width): a piece too wide")
        #expect(pieces.joined().filter { $0 != " " } == longLine.filter { $0 != " " }, "width \(width): text lost")
        // The run without a break is cut at the width exactly.
        #expect(pieces.dropLast().suffix(100).allSatisfy { $0 == String(repeating: "x", count: width) })
        #expect(pieces.count > longLine.count / width, "width \(width): \(pieces.count) pieces")
    }
    // Its indentation carries over to every row, as a short indented line's does.
    let indented = LessonPageLayout.wrapOutputLine("    " + String(repeating: "ab ", count: 200_000), width: 40)
    #expect(indented.allSatisfy { $0.hasPrefix("    ab") && EastAsianWidth.cells($0) <= 40 })
    // Quotes everywhere (a break is never right after an opening one): still one pass over the line.
    let quoted = LessonPageLayout.wrapOutputLine(String(repeating: "\" a", count: 300_000), width: 76)
    #expect(quoted.allSatisfy { EastAsianWidth.cells($0) <= 76 } && quoted.joined().count >= 600_000)
}

@Test func aLessonWithAMegabyteLineInEveryPlaceLaysOutWhole() throws {
    let word = String(repeating: "tokenize ", count: 100_000)           // 900 kB
    let doc = try LessonDocument(markdown: """
    # Long

    \(word)

    ```
    \(word)
    ```

    ```lab id=long
    tokenize "\(word)" --model tiny-ernie
    ```
    """, path: "t.md")
    var state = LessonLayoutState()
    state.running = ("long", ["tokenize \"\(word)\" --model tiny-ernie"], longLine + "\n")
    let width = 78
    let lines = LessonPageLayout.lines(doc, state: state, width: width)
    #expect(lines.allSatisfy { EastAsianWidth.cells($0.text) <= width }, "a line wider than the page")
    let words = lines.reduce(0) { $0 + $1.text.components(separatedBy: "tokenize").count - 1 }
    #expect(words == 3 * 100_000 + 1, "every word of the paragraph, the code block and the cell's command")
    let output = lines.filter { $0.item == 0 }.map(\.text).joined()
    #expect(output.filter { $0 == "x" }.count == 300_000, "the whole output line")
    // The prose wrap too: a paragraph of one megabyte-long word.
    let wrapped = LessonPageLayout.wrap([Segment(String(repeating: "y", count: 1_000_000))], width: width)
    #expect(wrapped.count == (1_000_000 + width - 1) / width && wrapped.allSatisfy { $0.count == 1 })
}
