// A cell's output lines wrapped to the notebook's width (LessonPageLayout.wrapOutputLine): at spaces, so words stay
// whole; inside a word only when it is longer than a line; indented lines continue at their indentation; and every
// piece fits the width in display cells, Chinese included.
import Lab
import Testing
@testable import TerminalUI

@Suite("cell output wrapping")
struct CellOutputWrapTests {
    func check(_ pieces: [String], width: Int) {
        for p in pieces { #expect(EastAsianWidth.cells(p) <= width, "\"\(p)\" is \(EastAsianWidth.cells(p)) cells, width \(width)") }
    }

    @Test("words stay whole: the ledger header breaks at spaces, not inside \"dequantise\"")
    func wordsStayWhole() {
        let line = "weights: B int8, converted at load from F32 (quantise / dequantise per row)"
        let pieces = LessonPageLayout.wrapOutputLine(line, width: 30)
        check(pieces, width: 30)
        #expect(pieces == ["weights: B int8, converted at", "load from F32 (quantise /", "dequantise per row)"])
        #expect(pieces.joined(separator: " ") == line)
    }

    @Test("a word longer than the line is cut, and a line that fits is left alone")
    func longWordAndFit() {
        #expect(LessonPageLayout.wrapOutputLine("0123456789abcdef", width: 6) == ["012345", "6789ab", "cdef"])
        #expect(LessonPageLayout.wrapOutputLine("fits exactly", width: 12) == ["fits exactly"])
        #expect(LessonPageLayout.wrapOutputLine("", width: 12) == [""])
    }

    @Test("an indented row continues under its own indentation")
    func keepsIndentation() {
        let pieces = LessonPageLayout.wrapOutputLine("    3  9150  ▁hello  0.0123  -4.398  -12.563", width: 24)
        check(pieces, width: 24)
        #expect(pieces.first == "    3  9150  ▁hello")
        #expect(pieces.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") })
    }

    @Test("Chinese text fits by display cells and is broken between characters")
    func chinese() {
        let line = "每个词元的概率相乘就是整句的概率，取对数后变成相加。"
        let pieces = LessonPageLayout.wrapOutputLine(line, width: 17)
        check(pieces, width: 17)
        #expect(pieces.joined() == line)
        #expect(pieces.count == 4)
    }

    @Test("Chinese beside Latin words breaks between characters too, so a line is not left half empty at a space")
    func chineseBesideLatin() {
        let line = "  softmax：把你的概率与 LabCore 的 softmax 在 26 个 logit 向量上比较，其中包括 [1000, 999, 998]"
        let pieces = LessonPageLayout.wrapOutputLine(line, width: 76)
        check(pieces, width: 76)
        #expect(pieces == ["  softmax：把你的概率与 LabCore 的 softmax 在 26 个 logit 向量上比较，其中包",
                           "  括 [1000, 999, 998]"], "\(pieces)")
        // A closing mark stays with the character before it, and a Latin word is never cut.
        let marks = LessonPageLayout.wrapOutputLine("第一处不同：softmax([1, 2, 3]) 的结果，和为六。", width: 20)
        check(marks, width: 20)
        #expect(marks.allSatisfy { !["，", "。", "："].contains($0.first!) } && !marks.contains { $0.hasSuffix("soft") }, "\(marks)")
    }
}
