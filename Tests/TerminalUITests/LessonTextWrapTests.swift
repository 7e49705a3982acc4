// Lesson text as a Chinese-speaking learner reads it: kinsoku line breaking (no line starts with 。，？！、；：
// or ends with （「), indented formulas and commands kept on lines of their own, control characters drawn as ⏎ ⇥ ␛
// instead of "�", and key bars that always keep the way back.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private let closing = Set("。，？！、；：）」』")
private let opening = Set("（「『")

/// Every wrapped line of `text` at `width`, as text.
private func wrapped(_ text: String, width: Int) -> [String] {
    LessonPageLayout.wrap([Segment(text)], width: width).map { $0.map(\.text).joined() }
}

@Test func chineseProseNeverBreaksAgainstKinsoku() {
    let text = "注意力本身不知道顺序，所以要加入位置信息：原论文在嵌入上加正弦位置向量；ERNIE 则按位置旋转查询和键（RoPE，第 8 课）。"
        + "模型会问：「下一个词是什么？」然后给出分布！每个头处理特征的一个切片，再拼接起来（见下图）。"
    var checked = 0
    for width in 12...60 {
        let lines = wrapped(text, width: width)
        for (k, line) in lines.enumerated() {
            #expect(EastAsianWidth.cells(line) <= width, "width \(width): line too wide: \(line)")
            if k > 0, let first = line.first { #expect(!closing.contains(first), "width \(width): line starts with \(first): \(line)") }
            if k < lines.count - 1, let last = line.last { #expect(!opening.contains(last), "width \(width): line ends with \(last): \(line)") }
            checked += 1
        }
        // Nothing is lost or added but the spaces a break swallows.
        #expect(lines.joined(separator: " ").filter { $0 != " " } == text.filter { $0 != " " })
    }
    print("kinsoku: \(checked) lines checked at widths 12…60")
}

@Test func outputLinesMoveTheBreakAwayFromClosingMarks() {
    // A cell's output without spaces: the break moves back so 。 stays with its character.
    let pieces = LessonPageLayout.wrapOutputLine("一二三四五六七八九。十一二三", width: 18)
    #expect(pieces.count == 2)
    #expect(pieces.dropFirst().allSatisfy { !closing.contains($0.first!) }, "\(pieces)")
}

@Test func indentedAndFencedBlocksStayPreformatted() throws {
    let doc = try LessonDocument(markdown: """
    # 7 · 注意力

    每个模块：

        x ← x + Attention(Norm(x))
        x ← x + FFN(Norm(x))

    命令：

        lmlab exercise check greedy_decoder --api http://127.0.0.1:8080   # also against a server's greedy completion
    """, path: "t.md")
    let lines = LessonPageLayout.lines(doc, state: LessonLayoutState(), width: 60).map(\.text)
    #expect(lines.contains("  x ← x + Attention(Norm(x))"))
    #expect(lines.contains("  x ← x + FFN(Norm(x))"))
    // The long command wraps at a space, never inside a word like --max-new-to⏎kens.
    let start = try #require(lines.firstIndex { $0.hasPrefix("  lmlab") })
    let command = Array(lines[start...].prefix { !$0.isEmpty })
    #expect(command.count >= 2, "\(lines)")
    let words = Set("lmlab exercise check greedy_decoder --api http://127.0.0.1:8080 # also against a server's greedy completion".split(separator: " ").map(String.init))
    for line in command { for w in line.split(separator: " ") { #expect(words.contains(String(w)), "\(w) is a cut word in \(line)") } }
}

@Test func controlCharactersAreDrawnAsPictures() {
    let s = MemoryScreen(rows: 2, cols: 40)
    s.put("king.\nIt\tis\u{1B}[0m\r\nok\u{7F}", row: 0, col: 0)
    #expect(s.line(0) == "king.⏎It⇥is␛[0m␍⏎ok␡")
    #expect(!s.text.contains("\u{FFFD}"))
    #expect(VisibleText.picture(of: "a") == nil && VisibleText.picture(of: "\u{85}") == "⌧")
}

@Test func keyBarsKeepTheWayBack() {
    let zh = "↑↓ 滚动 · Tab 下一个单元 · Enter 运行 · e 编辑 · ? 帮助 · q 返回"
    for cols in [20, 40, 60, 80] {
        let bar = KeyBar.fit(zh, cols: cols)
        #expect(EastAsianWidth.cells(bar) <= cols && bar.hasSuffix("q 返回"), "\(cols): \(bar)")
    }
    #expect(KeyBar.fit(zh, cols: 80) == zh)
    let beam = "space step · a autoplay · +/- beams · l/L length penalty · ↑/↓ move · f fold · p pruned · d DOT · j JSON · ? keys · q back"
    #expect(KeyBar.fit(beam, cols: 100).hasSuffix("· q back"))
    // Keys a page keeps stay in their place while the others around them go.
    let editor = "↑↓ line · Enter edit line · s save & check · o new line · d delete line · ? keys · q back"
    #expect(KeyBar.fit(editor, cols: 50, keep: ["s", "Enter"]) == "Enter edit line · s save & check · ? keys · q back")
    #expect(KeyBar.fit(editor, cols: 30, keep: ["s", "Enter"]) == "s save & check · q back", "the most needed last")
}

/// A lesson table too wide for the page with " │ " between its columns draws "│" alone before it cuts a cell:
/// lesson 8's family table at 80 columns read "ERNIE-4.…" in all ten rows, the names it is there to show.
@Test func aWideLessonTableNarrowsItsSeparatorsBeforeCuttingCells() {
    let cells = { (texts: [String]) in texts.map { [InlineSpan(.text, $0)] } }
    let header = cells(["model", "VL", "MoE", "post-trained", "thinking", "parameters", "active"])
    let rows = [cells(["ERNIE-4.5-VL-424B-A47B-Base", "✓", "✓", "", "", "424 B", "47 B"]),
                cells(["ERNIE-4.5-0.3B", "", "", "✓", "", "0.36 B", "0.36 B"])]
    let lines = LessonPageLayout.table(header: header, rows: rows, width: 76).map(\.text)
    print(lines.joined(separator: "\n"))
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 76 && !$0.contains("…") }, "nothing cut")
    #expect(lines[2].hasPrefix("ERNIE-4.5-VL-424B-A47B-Base│✓"), "\(lines[2])")
    // Where it fits, the columns keep their spaces.
    let roomy = LessonPageLayout.table(header: header, rows: rows, width: 100).map(\.text)
    #expect(roomy[0].contains(" │ VL │ MoE │ "), "\(roomy[0])")
}

/// Lesson 10's two-column table of Chinese prose at 60×20 (58 cells): its cells wrap at words before " │ " narrows
/// to "│" (walk 15: "NNLM 的固定窗口与 RNN 的状态│6 · window", the text running into the next column).
@Test func aTableOfChineseProseKeepsItsSpacesAroundTheBarAt60Columns() {
    let cells = { (texts: [String]) in texts.map { [InlineSpan(.text, $0)] } }
    let rows = [["NNLM 的固定窗口与 RNN 的状态", "6 · window"], ["带可检查奖励和 KL 项的强化学习", "9 · rl"],
                ["本机 CPU：AMX 与 AVX-512 预填充", "8 · matrix-engine；终端见下"],
                ["与 API 对照的贪心解码器", "10 · greedy-reference；终端见下"],
                ["P(可爱的猫) 与 P(会飞的猫)", "1 · cat-ernie（真实权重）、cat-tiny"]].map(cells)
    let lines = LessonPageLayout.table(header: cells(["要点", "在哪里运行"]), rows: rows, width: 58).map(\.text)
    print(lines.joined(separator: "\n"))
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 58 })
    #expect(lines.enumerated().allSatisfy { $0.offset == 1 || $0.element.contains(" │ ") }, "a space either side")
}

/// A label's leading space is the lesson: a command never breaks right after an opening quote, and short inline code
/// stays whole (walk 16: `--labels "` / `food, animals, cities"`, and `" positive" 或 "` / `negative"`).
@Test func wrappingKeepsALabelsLeadingSpace() {
    let command = #"classify "Her father bought six mangoes. The story is about" --labels " food, animals, cities" --model tiny-ernie"#
    for width in 30...100 {
        let pieces = LessonPageLayout.wrapOutputLine(command, width: width)
        #expect(!pieces.contains { $0.hasSuffix("--labels \"") }, "width \(width): \(pieces)")
    }
    let prose = [Segment("标签前面的空格很重要："), Segment("\" positive\"", .code), Segment(" 或 "),
                 Segment("\" negative\"", .code), Segment("，分词器把它们切成不同的词元。")]
    for width in 30...60 {
        let lines = LessonPageLayout.wrap(prose, width: width).map { $0.map(\.text).joined() }
        #expect(lines.contains { $0.contains("\" negative\"") } && lines.contains { $0.contains("\" positive\"") }, "width \(width): \(lines)")
    }
}
