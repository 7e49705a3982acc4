// A table too wide for its line wraps its cells within their columns (TableFit) instead of cutting them.
import Testing
@testable import Lab

/// A table too wide for the line wraps a cell's words onto more lines, never cutting one: "▁capital 100% ✓" cut at
/// its end read "▁capit… 10…" in a zh lesson's logit-lens table at 80 columns, and later "▁cap… 100% ✓".
@Test func aTooWideTableWrapsItsCellsInsteadOfCuttingThem() {
    let rows = [["layer 1", "▁capital 100% ✓", "▁of 96% ✓", "▁Japan −3.25"], ["layer 2", "▁capital 99%", "— ", "x"]]
    let table = OutputTable(headers: ["position", "4: ▁capital", "5: ▁of", "6"], rows: rows)
    let lines = PlainRenderer.render(.table(table), width: 44).split(separator: "\n").map(String.init)
    print(lines.joined(separator: "\n"))
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 44 })
    #expect(!lines.contains { $0.contains("…") }, "nothing cut")
    for word in ["▁capital", "100%", "96%", "▁Japan", "−3.25", "99%", "position"] {
        #expect(lines.contains { $0.contains(word) }, "\(word) whole")
    }
    // A column's cells wrap together: the rows keep their order, each under its own row name.
    let layer2 = lines.firstIndex { $0.hasPrefix("layer 2") }!, layer1 = lines.firstIndex { $0.hasPrefix("layer 1") }!
    #expect(layer1 < layer2 && lines[layer1..<layer2].contains { $0.contains("100%") })
}

/// A table of alike columns (the logit lens's positions) too wide for the line continues in blocks below, each with
/// the row names again, so no cell is cut: at 80 columns ten positions of `lmlab lens` read "…100%" in every cell.
@Test func aTableOfAlikeColumnsContinuesBelowInsteadOfCuttingEveryCell() {
    let positions = (0..<10).map { "\($0): ▁piece\($0)" }
    let rows = ["layer 1", "layer 2 (out)"].map { name in [name] + (0..<10).map { "▁word\($0) 100% ✓" } }
    let lens = OutputTable(headers: ["position"] + positions, rows: rows).continuingBelow()
    let lines = PlainRenderer.render(.table(lens), width: 80).split(separator: "\n", omittingEmptySubsequences: false)
    print(lines.joined(separator: "\n"))
    #expect(lines.allSatisfy { EastAsianWidth.cells(String($0)) <= 80 })
    #expect(!lines.contains { $0.contains("…") }, "no cell cut")
    let blocks = lines.filter { $0.hasPrefix("position") }
    #expect(blocks.count > 1 && lines.filter { $0.hasPrefix("layer 2 (out)") }.count == blocks.count, "row names again")
    #expect(positions.allSatisfy { p in lines.contains { $0.contains(p) } }, "every position shown, in order")
    // It fits: one table, as before; a column too wide alone still gives way within its block.
    #expect(PlainRenderer.render(.table(lens), width: 400).split(separator: "\n").count == 4)
    let wide = OutputTable(headers: ["position", String(repeating: "x", count: 90), "b"], rows: [["r", "1", "2"]])
        .continuingBelow()
    #expect(PlainRenderer.render(.table(wide), width: 40).split(separator: "\n").allSatisfy { EastAsianWidth.cells(String($0)) <= 40 })
}

/// A label-and-value list wraps a long value under itself (OutputText.hangingIndent), so a continuation never looks
/// like a row of its own (`inspect` at 80 columns); a word wider than what is left still breaks, and a width too small
/// for a wide character still ends.
@Test func aHangingIndentKeepsContinuationsUnderTheValue() {
    let t = OutputText("type      decoder-only, 4 layers of x + Attn(RMSNorm(x)), then x + MLP(RMSNorm(x))\nnorm      RMSNorm",
                       hangingIndent: 10)
    let lines = OutputLayout.text(t, width: 40).map(\.text)
    print(lines.joined(separator: "\n"))
    #expect(lines.count > 2 && lines[1].hasPrefix(String(repeating: " ", count: 10)) && !lines[1].hasPrefix(String(repeating: " ", count: 11)))
    #expect(lines.last == "norm      RMSNorm")
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 40 })
    let long = OutputLayout.text(OutputText("k  " + String(repeating: "x", count: 30), hangingIndent: 3), width: 12).map(\.text)
    #expect(long.count == 5 && long.dropFirst().allSatisfy { $0.hasPrefix("   x") && EastAsianWidth.cells($0) <= 12 }, "\(long)")
    let tiny = OutputLayout.text(OutputText("类型 汉字汉字", hangingIndent: 2), width: 3).map(\.text)
    #expect(tiny.joined().filter { $0 != " " } == "类型汉字汉字", "\(tiny)")
    // A break on the space after a wide character still indents what follows (it started at the margin).
    let afterChinese = OutputLayout.text(OutputText("词元中文 <unk>", hangingIndent: 2), width: 8).map(\.text)
    #expect(afterChinese == ["词元中文", "  <unk>"], "\(afterChinese)")
}

/// A short Chinese header stays on one line while a column of long Chinese cells beside it wraps: "词元数" stood one
/// character per line in lesson 2's relevance table at 60 columns (walk 16).
@Test func aShortChineseHeaderIsNotStackedOneCharacterPerLine() {
    let rows = [["\"她的爸爸在市场买了六个芒果。\"", "4", "-17.886"], ["\"鸭子嘎嘎地叫。\"", "2", "-3.928"]]
    let table = OutputTable(headers: ["标签", "词元数", "log P"], rows: rows, alignments: [.left, .right, .right])
    let lines = PlainRenderer.render(.table(table), width: 30).split(separator: "\n").map(String.init)
    print(lines.joined(separator: "\n"))
    #expect(lines.first?.contains("词元数") == true, "\(lines)")
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 30 })
}
