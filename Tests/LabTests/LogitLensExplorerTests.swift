// The logit-lens explorer's grid: one row per layer, the selected cell marked, ✓ exactly where a layer's top
// prediction is the real next token, the window following the selection, and the detail bars of the selected cell.
import LabCore
import Testing
@testable import Lab

private func sample() -> LogitLensExplorer {
    // 3 layers × 4 positions ("<s> the cat sat"); layer 0 echoes the input, the top layer predicts the text.
    let tokens = ["<s>", "the", "cat", "sat"]
    let top: [[[LensPrediction]]] = [
        tokens.map { [LensPrediction($0, 0.9), LensPrediction("a", 0.05)] },
        [[LensPrediction("the", 0.4)], [LensPrediction("dog", 0.5), LensPrediction("cat", 0.3)], [LensPrediction("sat", 0.6)], [LensPrediction(".", 0.2)]],
        [[LensPrediction("the", 0.7)], [LensPrediction("cat", 0.8), LensPrediction("dog", 0.1)], [LensPrediction("sat", 0.9)], [LensPrediction(".", 0.5)]],
    ]
    let next: [[Double?]] = [[0.01, 0.02, 0.03, nil], [0.4, 0.3, 0.6, nil], [0.7, 0.8, 0.9, nil]]
    return LogitLensExplorer(modelName: "toy", tokens: tokens, top: top, nextProbability: next)
}

@Test func lensGridMarksHitsAndTheSelection() {
    let e = sample()
    #expect(e.layer == 2 && e.position == 2, "starts on the output layer at the last position with a known next token")
    #expect(e.hits(1, 0) && !e.hits(1, 1) && e.hits(2, 1) && !e.hits(0, 1) && !e.hits(2, 3))
    let lines = e.lines(width: 80).map(\.text)
    print(lines.joined(separator: "\n"))
    #expect(lines[0].hasPrefix("position") && lines[0].contains("2 cat"))
    #expect(lines[3].hasPrefix("embeddings") && lines[5].hasPrefix("layer 2 (out)"))
    #expect(lines[4].contains("dog 50%") && !lines[4].contains("dog 50% ✓"), "layer 1 predicts dog, the text says cat")
    #expect(lines[5].contains("▸sat 90% ✓"), "the selected cell is marked")
    #expect(lines.contains { $0.contains("layer 2 (out) · after 2 cat · P(next = sat) = 0.9000") })
    e.move(layer: -1); e.move(position: -1)
    let moved = e.lines(width: 80).map(\.text)
    #expect(moved[4].contains("▸dog 50%") && moved.contains { $0.contains("P(next = cat) = 0.3000") })
    #expect(moved.contains { $0.hasPrefix("▶ cat") }, "the real next token is marked among the bars")
    e.move(layer: -9); e.move(position: 99)
    #expect(e.layer == 0 && e.position == 3, "moves stop at the edges")
}

@Test func lensWindowFollowsTheSelectionOnANarrowScreen() {
    let e = sample()
    // 16 + 2 × 13 = 42 cells: two positions fit.
    #expect(e.visiblePositions(width: 42) == 1..<3)
    e.move(position: -2)
    #expect(e.visiblePositions(width: 42) == 0..<2)
    e.move(position: 3)
    #expect(e.visiblePositions(width: 42) == 2..<4)
    #expect(e.lines(width: 42).allSatisfy { EastAsianWidth.cells($0.text) <= 42 }, "nothing wider than the screen")
}

/// At 60 columns in Chinese, with long pieces, the selected cell's title keeps what the layer gives the real next
/// token: it moves to its own line instead of being cut off after "P(next = 。) =".
@Test func lensDetailKeepsTheNextTokensProbabilityAt60ColumnsInChinese() {
    let tokens = ["<s>", "巴黎是法国的首都", "。", "有一天", "，", "露娜和她的", "妈妈去了公园", "。"]
    let top: [[[LensPrediction]]] = (0..<2).map { _ in tokens.map { [LensPrediction($0, 0.5)] } }
    let next: [[Double?]] = (0..<2).map { _ in tokens.indices.map { $0 + 1 < tokens.count ? 0.9995 : nil } }
    let e = LogitLensExplorer(modelName: "tiny-ernie", tokens: tokens, top: top, nextProbability: next)
    e.move(position: 6 - e.position)
    let lines = Learner.$language.withValue(.zh) { e.lines(width: 60).map(\.text) }
    print(lines.joined(separator: "\n"))
    #expect(lines.contains { $0.contains("P(下一个 = 。) = 0.9995") }, "\(lines)")
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 60 }, "nothing wider than the screen")
    #expect(!lines.joined().contains("next"), "no English on a zh lens")
}

/// What the page cannot show is said, with the keys that show it (session 15: positions and rows were cut silently):
/// positions outside the window (←/→), the bars cut at the bottom (a taller window), then layers (↑/↓); the
/// selected layer stays on screen and nothing is taller or wider than the screen.
@Test func lensSaysWhatItsWindowLeavesOut() {
    let e = sample()
    let all = e.lines(width: 80, height: 40).map(\.text)
    #expect(!all.contains { $0.contains("←/→") || $0.contains("↑/↓") || $0.contains("taller") }, "all fits: no note")
    let narrow = e.lines(width: 42, height: 40).map(\.text)
    #expect(narrow.joined(separator: " ").contains("positions 1–2 of 0–3 shown (←/→ for the others)"), "\(narrow)")
    for (height, says) in [(8, "2 lines of bars cut (a taller window shows them)"),
                           (7, "of 3 rows hidden (↑/↓ for the others)")] {
        let lines = e.lines(width: 80, height: height).map(\.text)
        print(lines.joined(separator: "\n"))
        #expect(lines.count <= height && lines.joined(separator: " ").contains(says), "\(height): \(lines)")
        #expect(lines.contains { $0.hasPrefix("layer 2 (out)") }, "the selected layer stays in view")
        #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 80 })
    }
    let zh = Learner.$language.withValue(.zh) { e.lines(width: 42, height: 7).map(\.text) }.joined(separator: "")
    #expect(zh.contains("显示第 1–2 个位置") && zh.contains("↑/↓ 看其余的") && zh.contains("把窗口拉高就能看到"), "\(zh)")
}
