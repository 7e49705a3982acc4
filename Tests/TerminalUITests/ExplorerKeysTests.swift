// The explorers as issue 19 asks: sliders with the moved knob highlighted, `?` opening the keys everywhere, the
// learner's language where the explorer was opened, the beam explorer's finished table reachable with End, and
// exports written to the lab's state folder with the path shown.
import Foundation
import Testing
import Decoding
import Lab
import LabCore
@testable import TerminalUI

private func samplingPage() throws -> SamplingExplorerPage {
    SamplingExplorerPage(explorer: try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0, 2, 3], detokenize: { ids in
        ids.map { ExplorerFixtures.words[$0] }.joined(separator: " ")
    }, seed: 7, topN: 8, drawsPerPress: 500))
}

private func beamExplorer() throws -> BeamExplorer {
    try BeamExplorer(model: TableModel(), prompt: [0, 2], settings: BeamSearchSettings(beams: 2, maxNewTokens: 5),
                     piece: { ExplorerFixtures.words[$0] }, detokenize: { $0.map { ExplorerFixtures.words[$0] }.joined(separator: " ") })
}

@Test func samplingKnobsAreSlidersAndTheMovedOneIsHighlighted() throws {
    let page = try samplingPage()
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    let t = try #require((0..<24).map(s.line).first { $0.contains("T 1.00") })
    #expect(t.hasPrefix("▸ T 1.00") && t.contains("├") && t.contains("●") && t.hasSuffix("┤ 0.1–2"), "T starts active, at the middle of 0.1–2: \(t)")
    let marker = try #require(t.firstIndex(of: "●")), left = try #require(t.firstIndex(of: "├")), right = try #require(t.firstIndex(of: "┤"))
    let at = Double(t.distance(from: left, to: marker)) / Double(t.distance(from: left, to: right))
    #expect(abs(at - 0.47) < 0.1, "T 1 sits near the middle of the 0.1–2 track (\(at))")
    _ = page.handle(.down)                                   // top-p down: now the active knob
    s.clear(); page.draw(on: s)
    let lines = (0..<24).map(s.line)
    #expect(lines.contains { $0.hasPrefix("▸ top-p 0.95") } && lines.contains { $0.hasPrefix("  T 1.00") })
    let row = try #require(lines.firstIndex { $0.hasPrefix("▸ top-p") })
    #expect(s.style(row: row, col: 2).contains(.bold), "the active knob's name is highlighted")
}

@Test func beamsAndLengthPenaltyAreSlidersToo() throws {
    let page = BeamExplorerPage(explorer: try beamExplorer())
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(s.line(1).hasPrefix("▸ beams 2") && s.line(1).hasSuffix("┤ 1–16") && s.line(2).hasPrefix("  α 1.00"), "\(s.line(1)) / \(s.line(2))")
    _ = page.handle(.char("L"))                              // α + 0.25: the active knob moves to α
    s.clear(); page.draw(on: s)
    #expect(s.line(1).hasPrefix("  beams 2") && s.line(2).hasPrefix("▸ α 1.25"), "\(s.line(1)) / \(s.line(2))")
}

@Test func questionMarkOpensTheKeysInEveryExplorer() throws {
    let attention = AttentionExplorerPage(explorer: AttentionExplorer(layers: 2, heads: 2, tokens: ["a", "b"]) { _, _ in [[1, .nan], [0.5, 0.5]] })
    let lens = LogitLensPage(explorer: LogitLensExplorer(modelName: "toy", tokens: ["<s>", "the"],
                                                         top: [[[LensPrediction("the", 0.5)], [LensPrediction("cat", 0.4)]]],
                                                         nextProbability: [[0.5, nil]]))
    let pages: [Page] = [try samplingPage(), BeamExplorerPage(explorer: try beamExplorer()), attention, lens]
    for page in pages {
        let s = MemoryScreen(rows: 24, cols: 80)
        page.draw(on: s)
        #expect(page.keyHelp.hasSuffix("? keys · q back") && s.line(23).hasSuffix("q back"), "\(type(of: page)): \(s.line(23))")
        _ = page.handle(.char("?"))
        s.clear(); page.draw(on: s)
        #expect(s.text.contains("│ Keys") && s.text.contains("any key closes this"), "\(type(of: page)) shows its keys")
        guard case .stay = page.handle(.char("x")) else { Issue.record("the key closing the box did something else"); continue }
        s.clear(); page.draw(on: s)
        #expect(!s.text.contains("any key closes this"))
        // Ctrl-C leaves an explorer as q does (it did nothing: w17 explorer walk 5).
        guard case .back = page.handle(.ctrl("c")) else { Issue.record("\(type(of: page)): Ctrl-C did not leave"); continue }
    }
}

@Test func explorersSpeakTheLanguageTheyWereOpenedIn() throws {
    let page = try Learner.$language.withValue(.zh) { try samplingPage() }
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(s.line(0).hasPrefix("采样探索器") && s.line(23).hasSuffix("q 返回"), "\(s.line(0)) / \(s.line(23))")
    let beam = try Learner.$language.withValue(.zh) { BeamExplorerPage(explorer: try beamExplorer()) }
    s.clear(); beam.draw(on: s)
    #expect(s.line(0).hasPrefix("束搜索探索器") && s.line(23).hasSuffix("q 返回"))
}

@Test func theFinishedTableIsReachedWithEndAndExportsGoToTheStateFolder() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-state-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    let page = BeamExplorerPage(explorer: try beamExplorer(),
                                exportDirectory: ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": state.path]).appendingPathComponent("exports"))
    for _ in 0..<5 { _ = page.handle(.char(" ")) }
    let s = MemoryScreen(rows: 12, cols: 80)                 // too short for the tree and the table together
    page.draw(on: s)
    #expect(!s.text.contains("finished (best first"))
    _ = page.handle(.end)
    s.clear(); page.draw(on: s)
    #expect(s.text.contains("finished (best first"), "End scrolls to the finished table:\n\(s.text)")
    _ = page.handle(.char("d"))
    s.clear(); page.draw(on: s)
    let wrote = state.appendingPathComponent("lmlab/exports/beam-step\(page.explorer.steps).dot").path
    #expect(FileManager.default.fileExists(atPath: wrote))
    #expect(page.message == "wrote " + wrote)
    // The default is the state folder, never the folder lmlab was started in.
    #expect(BeamExplorerPage(explorer: try beamExplorer()).exportDirectory.path.hasSuffix("lmlab/exports"))
}

/// The beam explorer opens on its root alone: it says how the tree grows, until the first step (w17 explorer walk 11).
@Test func theBeamExplorerSaysHowToTakeTheFirstStep() throws {
    let page = try Learner.$language.withValue(.zh) { BeamExplorerPage(explorer: try beamExplorer()) }
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(s.text.contains("按空格走第一步"), "\(s.text)")
    _ = page.handle(.char(" "))
    s.clear(); page.draw(on: s)
    #expect(!s.text.contains("按空格走第一步"), "\(s.text)")
}

/// Numbers in an explorer read as its bars and tables write them: the lens's headline probability in e-notation
/// below 0.0001 (it said 0.0000 above bars saying 2.45e-06), the beam's α with "−" as its range (w17 explorer walk 12, 14).
@Test func explorerNumbersAreWrittenOneWay() throws {
    let lens = LogitLensPage(explorer: LogitLensExplorer(modelName: "toy", tokens: ["<s>", "Paris"],
                                                         top: [[[LensPrediction("In", 0.4)], [LensPrediction("cat", 0.4)]]],
                                                         nextProbability: [[2.45e-6, nil]]))
    let s = MemoryScreen(rows: 24, cols: 80)
    lens.draw(on: s)
    #expect(s.text.contains("P(next = Paris) = 2.45e-06"), "\(s.text)")
    let beam = BeamExplorerPage(explorer: try beamExplorer())
    for _ in 0..<6 { _ = beam.handle(.char("l")) }                // α 1.00 − 6 · 0.25 = −0.50
    s.clear(); beam.draw(on: s)
    #expect(s.text.contains("α −0.50") && !s.text.contains("α -0.50"), "\(s.text)")
}
