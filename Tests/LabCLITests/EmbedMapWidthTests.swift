// walk13b 5: `embed map` was always 72 columns wide, so a 60-column notebook re-wrapped every line of the plot. Without
// --width it is drawn at the output's width, as other pictures are (OutputPrinter: a cell's width, COLUMNS, the
// terminal's), in both languages; --width still wins. The real binary, so no other test's output mixes in.
import Foundation
import LabCore
import Lab
import LabTestSupport
import Testing

private let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Test(arguments: LessonLanguage.allCases)
func embedMapIsDrawnAtTheOutputWidth(_ lang: LessonLanguage) throws {
    let lmlab = try #require(builtExecutable("lmlab"), "no built lmlab next to the tests")
    let words = lang == .zh ? "猫,狗,牛,鸭子,法国,意大利,中国,巴黎,罗马,北京"
                            : "cat,dog,cow,duck,france,italy,china,paris,rome,beijing"
    let model = project.appendingPathComponent("Models/word2vec-stories-\(lang.rawValue)/vectors.safetensors").path
    func map(columns: Int, _ more: [String] = []) -> [String] {
        ChildProcess.output(["/usr/bin/env", "COLUMNS=\(columns)", "LMLAB_LANG=\(lang.rawValue)", lmlab, "embed", "map",
                             "--words", words, "--model", model] + more).split(separator: "\n").map(String.init)
    }
    for width in [56, 76] {
        let lines = map(columns: width)
        #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= width }, "\(width):\n\(lines.joined(separator: "\n"))")
        let axis = try #require(lines.first { $0.contains("└") }, "\(lines)")
        #expect(EastAsianWidth.cells(axis) == width, "the x axis spans the width: \(axis)")
    }
    #expect(map(columns: 56, ["--width", "90"]).contains { $0.contains("└") && EastAsianWidth.cells($0) == 90 },
            "--width wins")
}
