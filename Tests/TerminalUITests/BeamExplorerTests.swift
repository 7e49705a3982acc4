import Foundation
import Testing
import Decoding
import Lab
import LabCore
@testable import TerminalUI

private func words(_ ids: [Int]) -> String { ids.map { ExplorerFixtures.words[$0] }.joined(separator: " ") }

/// Stepping `BeamStepper` to the end gives exactly `BeamSearch.run`'s tree and sequences, for several widths,
/// length penalties and stopping rules.
@Test func stepperStepsToTheSameSearchAsBeamSearchRun() throws {
    var compared = 0
    for beams in 1...4 {
        for alpha: Float in [-1, 0, 1, 2] {
            for stop: EarlyStopping in [.true, .false, .never] {
                let settings = BeamSearchSettings(beams: beams, maxNewTokens: 6, lengthPenalty: alpha, earlyStopping: stop,
                                                  numReturnSequences: 1)
                let reference = try BeamSearch.run(TableModel(), prompt: [0, 2], settings: settings)
                let stepper = try BeamStepper(TableModel(), prompt: [0, 2], settings: settings)
                while try stepper.step() {}
                #expect(stepper.tree.nodes == reference.tree.nodes, "beams \(beams) α \(alpha) \(stop)")
                #expect(stepper.finished.first == reference.sequences.first)
                compared += stepper.tree.nodes.count
            }
        }
    }
    print("stepper vs BeamSearch.run: \(compared) nodes compared, max abs diff 0 (exact equality)")
}

private func makePage(_ model: TableModel, directory: URL? = nil) throws -> BeamExplorerPage {
    let explorer = try BeamExplorer(model: model, prompt: [0, 2], settings: BeamSearchSettings(beams: 2, maxNewTokens: 5),
                                    piece: { ExplorerFixtures.words[$0] }, detokenize: words)
    return BeamExplorerPage(explorer: explorer, exportDirectory: directory ?? FileManager.default.temporaryDirectory)
}

/// Keys drive the search: space steps (one batched call per step), + re-runs wider to the same step, fold hides a
/// subtree, p hides pruned candidates, autoplay runs to the end on ticks.
@Test func keysStepWidenFoldAndAutoplayTheSearch() throws {
    let model = TableModel()
    let page = try makePage(model)
    #expect(model.calls == 1 && page.explorer.steps == 0)
    _ = page.handle(.char(" ")); _ = page.handle(.char(" "))
    #expect(page.explorer.steps == 2)
    #expect(model.calls == 1 + 2 + 2)                    // prompt, then 2 beams per step (appendBatch loops)
    let narrow = page.explorer.tree.nodes.count
    _ = page.handle(.char("+"))
    #expect(page.explorer.settings.beams == 3 && page.explorer.steps == 2)
    #expect(page.explorer.tree.nodes.count > narrow)     // 3 beams rank more candidates
    // Fold the first node: its subtree disappears from the drawing order.
    let first = try #require(page.explorer.selected)
    let visible = page.explorer.tree.visibleOrder.count
    _ = page.handle(.char("f"))
    #expect(page.explorer.tree.visibleOrder.count < visible && page.explorer.tree.visibleOrder.contains(first))
    _ = page.handle(.char("f"))
    _ = page.handle(.char("p"))
    #expect(page.explorer.tree.visibleOrder.allSatisfy { page.explorer.tree.nodes[$0].state != .pruned })
    // Autoplay: ticks step until done.
    _ = page.handle(.char("a"))
    var ticks = 0
    while page.isBusy && ticks < 20 { _ = page.tick(); ticks += 1 }
    #expect(page.explorer.isDone && !page.explorer.autoplay)
    // The finished list is the search's result.
    let reference = try BeamSearch.run(TableModel(), prompt: [0, 2], settings: page.explorer.settings)
    #expect(page.explorer.stepper.finished.first == reference.sequences.first)
}

/// d and j write the tree under the export directory and say where; the JSON reads back as the same tree.
@Test func exportWritesDOTAndJSONAndNamesThePath() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-beam-export-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let page = try makePage(TableModel(), directory: dir)
    _ = page.handle(.char(" ")); _ = page.handle(.char(" "))
    _ = page.handle(.char("d"))
    let dotPath = dir.appendingPathComponent("beam-step2.dot").path
    #expect(page.message == "wrote \(dotPath)")
    let dot = try String(contentsOfFile: dotPath, encoding: .utf8)
    #expect(dot.hasPrefix("digraph beam {") && dot.contains("n0 -> n1;"))
    #expect(dot.components(separatedBy: " -> ").count - 1 == page.explorer.tree.nodes.count - 1)   // one edge per node
    _ = page.handle(.char("j"))
    let json = try Data(contentsOf: dir.appendingPathComponent("beam-step2.json"))
    guard case .beamTree(let back) = try JSONDecoder().decode(Output.self, from: json) else {
        Issue.record("the JSON export is not a beam tree"); return
    }
    #expect(back.nodes == page.explorer.tree.nodes)
    _ = page.handle(.char("d"))                           // a second export does not overwrite the first
    #expect(page.message == "wrote " + dir.appendingPathComponent("beam-step2-2.dot").path)
}

@Test(arguments: [(80, 24), (200, 60)])
func beamExplorerMatchesItsGoldenScreen(size: (cols: Int, rows: Int)) throws {
    let page = try makePage(TableModel())
    for key: Key in [.char(" "), .char(" "), .char(" "), .down, .down] { _ = page.handle(key) }
    let screen = MemoryScreen(rows: size.rows, cols: size.cols)
    page.draw(on: screen)
    try expectGolden(screen, "beam-explorer-\(size.cols)x\(size.rows)")
}

/// Walk 14 finding 3: once the tree had scrolled, going back up stopped at the first node as the top line, so the
/// sliders, the status line and the root never came back. On the first node (by ↑ or Home) the view is at the top.
@Test(arguments: [(80, 24), (60, 20)])
func goingBackToTheFirstNodeShowsTheSlidersAndTheRootAgain(size: (cols: Int, rows: Int)) throws {
    let explorer = try BeamExplorer(model: TableModel(), prompt: [0, 2],
                                    settings: BeamSearchSettings(beams: 4, maxNewTokens: 6),
                                    piece: { ExplorerFixtures.words[$0] }, detokenize: words)
    let page = BeamExplorerPage(explorer: explorer, exportDirectory: FileManager.default.temporaryDirectory)
    for _ in 0..<6 { _ = page.handle(.char(" ")) }
    let s = MemoryScreen(rows: size.rows, cols: size.cols)
    func top() -> [String] { s.clear(); page.draw(on: s); return (1...3).map(s.line) }
    #expect(explorer.tree.visibleOrder.count + 6 > size.rows, "the tree is taller than the screen")
    for _ in 0..<40 { _ = page.handle(.down) }
    #expect(!top()[0].contains("beams"), "scrolled down: the sliders are out of view")
    func expectTop(_ how: String) {
        let lines = top()
        #expect(explorer.selected == explorer.tree.visibleOrder.first, "\(how)")
        #expect(lines[0].hasPrefix("▸ beams 4") && lines[1].hasPrefix("  α 1.00"), "\(how): \(lines)")
        #expect(s.text.contains("beam search · 4 beams") && s.text.contains("\"<s> 我\""),
                "\(how): the status line and the root\n\(s.text)")
    }
    for _ in 0..<45 { _ = page.handle(.up) }
    expectTop("↑ to the first node")
    _ = page.handle(.end)
    #expect(!top()[0].contains("beams"), "End: the finished table")
    _ = page.handle(.char("x"))
    expectTop("End, then any key, on the first node")
    for _ in 0..<40 { _ = page.handle(.down) }
    _ = page.handle(.home)
    expectTop("Home")
}

/// Walk 14 finding 18: the key bar and the ? box say what each key does — ↑/↓ move the tree's cursor ◀, f folds the
/// branch under it, p says whether it hides or shows the pruned nodes now — and the box fits at 60×20.
@Test func beamExplorerKeysSayWhatTheyDo() throws {
    for zh in [false, true] {
        let page = try Learner.$language.withValue(zh ? .zh : .en) { try makePage(TableModel()) }
        _ = page.handle(.char(" "))
        let help = page.keyHelp
        #expect(help.contains(zh ? "↑/↓ 在树中移动光标 ◀" : "↑/↓ move the cursor ◀"), "\(help)")
        #expect(help.contains(zh ? "f 折叠/展开光标所在的分支" : "f fold/unfold the branch at ◀"))
        #expect(help.contains(zh ? "p 隐藏剪枝 ✗" : "p hide pruned ✗"), "pruned nodes show at first: p hides them")
        _ = page.handle(.char("p"))
        #expect(page.keyHelp.contains(zh ? "p 显示剪枝 ✗" : "p show pruned ✗"), "now hidden: p shows them")
        _ = page.handle(.char("?"))
        let s = MemoryScreen(rows: 20, cols: 60)
        page.draw(on: s)
        for item in page.keyHelp.components(separatedBy: " · ") {
            #expect(s.text.contains(item), "the ? box at 60×20 lists \(item)\n\(s.text)")
        }
        #expect(s.text.contains(zh ? "按任意键关闭" : "any key closes this"))
    }
}
