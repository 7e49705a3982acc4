import Foundation
import Testing
import Decoding
import Lab
import LabCore
@testable import TerminalUI

private func makeExplorer(_ model: TableModel, seed: UInt64 = 7) throws -> SamplingExplorer {
    try SamplingExplorer(model: ExplorerModel(model), context: [0, 2, 3], detokenize: { ids in
        ids.map { ExplorerFixtures.words[$0] }.joined(separator: " ")
    }, seed: seed, topN: 8, drawsPerPress: 500)
}

/// Slider keys reprocess the cached log-probs: the model is called once for the context and once per appended
/// token, never for a temperature / top-p / top-k / min-p change or for `r` draws.
@Test func slidersDoNotCallTheModelAgain() throws {
    let model = TableModel()
    let page = SamplingExplorerPage(explorer: try makeExplorer(model))
    #expect(model.calls == 1)
    let before = page.explorer.distribution.processed
    for key: Key in [.right, .right, .left, .down, .down, .char("k"), .char("K"), .char("m"), .char("M"), .char("r")] {
        _ = page.handle(key)
    }
    #expect(model.calls == 1)
    #expect(page.explorer.distribution.processed != before)        // the sliders did change the distribution
    _ = page.handle(.enter)
    #expect(model.calls == 2 && page.explorer.context.count == 4)
    _ = page.handle(.char("g"))
    #expect(model.calls == 3 && page.explorer.context.count == 5)
}

/// The processed distribution equals a naive twin: p = softmax(z / T), then the smallest most-likely set with
/// mass ≥ top-p kept and renormalised, on the model's own log-probs.
@Test func processedDistributionMatchesANaiveTemperatureAndTopP() throws {
    let explorer = try makeExplorer(TableModel())
    explorer.temperature(up: false); explorer.temperature(up: false); explorer.temperature(up: false)   // T 0.7
    for _ in 0..<4 { explorer.topP(up: false) }                                                       // top-p 0.8
    #expect(explorer.settings == SamplingSettings(temperature: 0.7, topP: 0.8))
    let z = ExplorerFixtures.logProbs(after: 3).map { Double($0) / 0.7 }
    let m = z.max()!
    let e = z.map { exp($0 - m) }
    let p = e.map { $0 / e.reduce(0, +) }
    let order = p.indices.sorted { p[$0] > p[$1] }
    var kept: [Int] = [], mass = 0.0
    for i in order where mass < 0.8 { kept.append(i); mass += p[i] }
    var naive = [Double](repeating: 0, count: p.count)
    for i in kept { naive[i] = p[i] / mass }
    let diff = zip(naive, explorer.distribution.processed).map { abs($0 - Double($1)) }.max()!
    print("max abs diff processed vs naive (T 0.7, top-p 0.8): \(diff)")
    #expect(diff < 1e-6)
    #expect(explorer.survivors == kept.count)
}

/// `r` histograms converge to the processed distribution; the ▶ preview is the token Enter then draws.
@Test func drawsFollowTheProcessedDistributionAndThePreviewIsTheNextDraw() throws {
    let explorer = try makeExplorer(TableModel())
    explorer.temperature(up: false)
    for _ in 0..<20 { explorer.drawMany() }                      // 10 000 draws
    let n = Double(explorer.drawn)
    let diff = explorer.distribution.processed.indices
        .map { abs(Double(explorer.histogram[$0, default: 0]) / n - Double(explorer.distribution.processed[$0])) }.max()!
    print("max abs diff histogram (10000 draws) vs processed p: \(diff)")
    #expect(diff < 0.02)
    let preview = explorer.nextDraw
    try explorer.sample()
    #expect(explorer.context.last == preview)
    // Same seed, same keys: the same tokens.
    let a = try makeExplorer(TableModel(), seed: 3), b = try makeExplorer(TableModel(), seed: 3)
    for _ in 0..<5 { try a.sample(); try b.sample() }
    #expect(a.context == b.context)
}

@Test(arguments: [(80, 24), (200, 60)])
func samplingExplorerMatchesItsGoldenScreen(size: (cols: Int, rows: Int)) throws {
    let page = SamplingExplorerPage(explorer: try makeExplorer(TableModel()))
    for key: Key in [.enter, .left, .left, .left, .down, .down, .char("r")] { _ = page.handle(key) }
    let screen = MemoryScreen(rows: size.rows, cols: size.cols)
    page.draw(on: screen)
    try expectGolden(screen, "sampling-explorer-\(size.cols)x\(size.rows)")
    #expect(screen.style(row: size.rows - 1, col: 0) == .reverse)
}
