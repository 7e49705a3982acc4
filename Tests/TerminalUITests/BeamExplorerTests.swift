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
