// `lmlab moe route --explore` headless: the explorer page over the real routing of the tiny MoE fixture
// (Tests/ERNIETests/Fixtures/moe-tokenizer: layers 0 and 1 MoE, 16 experts, top 2), drawn into a MemoryScreen after
// key presses; the grid's weights are the routing's, the bars the selected token's router p, and the screen is a
// golden (LMLAB_UPDATE_GOLDEN=1 swift test --filter ExpertRouteExplorerTests to accept a deliberate change).
import Foundation
import Lab
import LabCore
import Testing
import TerminalUI

private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/moe-tokenizer").standardizedFileURL.path
private let goldenFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/screen-moe-route-explorer-100x40.txt")

@Test func expertRouteExplorerWalksLayersAndTokens() throws {
    let report = try ExpertRouteReport.route("The cat sat on the mat.", model: fixture)
    let explorer = ExpertRouteExplorer(modelName: "moe-tokenizer", report: report)
    let page = ExpertRouteExplorerPage(explorer: explorer)
    let screen = MemoryScreen(rows: 40, cols: 100)
    #expect(explorer.layerIndex == 0 && explorer.token == 1)
    for key: Key in [.down, .down, .right, .right, .left, .up, .down, .end, .home, .right, .right] {
        _ = page.handle(key)
        page.draw(on: screen)
    }
    #expect(explorer.layerIndex == 1 && explorer.token == 2, "clamped at the last layer; Home → 0, then two right")
    let r = report.layers[1].routing
    let text = screen.text
    // The selected token's chosen experts carry their weights in the grid, and its bars start with its largest p.
    for (e, w) in zip(r.chosen(row: 2), r.weights(row: 2)) {
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("e\(e) (\(r.load[e]))") }, "no row for e\(e)")
        #expect(row.contains(String(format: "%.2f", w)))
    }
    #expect(text.contains("layer 1 (MoE layers 0, 1) · 16 experts, top 2 · token 2 of \(r.rows)"))
    #expect(page.handle(.char("q")).isBack)

    let actual = text + "\n"
    if ProcessInfo.processInfo.environment["LMLAB_UPDATE_GOLDEN"] == "1" {
        try actual.write(toFile: goldenFile.path, atomically: true, encoding: .utf8)
        return
    }
    let golden = try #require(try? String(contentsOf: goldenFile, encoding: .utf8),
                              "no golden screen: run LMLAB_UPDATE_GOLDEN=1 swift test --filter ExpertRouteExplorerTests")
    if golden != actual { print(actual) }
    #expect(golden == actual)
}

extension PageAction {
    var isBack: Bool { if case .back = self { return true } else { return false } }
}

/// At 60×20 in Chinese the layer line and the selected token's line wrap instead of losing their ends (they were
/// cut to "第 1 个词元" and "只看 p 则选 e").
@Test func expertRouteExplorerAt60ColumnsInChineseKeepsItsSentencesWhole() throws {
    let report = try ExpertRouteReport.route("The cat sat on the mat.", model: fixture)
    let explorer = ExpertRouteExplorer(modelName: "moe-tokenizer", report: report)
    let lines = Learner.$language.withValue(.zh) { explorer.lines(width: 60).map(\.text) }
    print(lines.joined(separator: "\n"))
    let r = report.layers[0].routing
    let joined = lines.joined(separator: " ")   // a wrap at a space leaves the space out
    #expect(joined.contains("共 \(r.rows) 个"), "the token count is on screen")
    let unbiased = r.unbiasedChoice(row: explorer.token).map { "e\($0)" }.joined(separator: " ")
    #expect(joined.contains("只看 p 则选 \(unbiased)"), "what p alone would choose is on screen")
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 60 }, "nothing wider than the screen")
}
