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

/// Scores 0, −2, −4, … −20 over the eleven words: at T 0.1 they span 200 nats, past what Float's exp can hold (~104).
private final class SteepModel: LanguageModel {
    typealias State = [Int]
    let name = "steep"
    let vocabulary: any Vocabulary = TableModel.Words(words: ExplorerFixtures.words)
    var startToken: Int? { 0 }
    var endTokens: Set<Int> { [1] }
    func makeState() throws -> [Int] { [] }
    func append(_ tokens: [Int], to state: inout [Int]) throws -> [Float] {
        state += tokens
        let s = (0..<vocabulary.count).map { -2 * Double($0) }
        let lse = log(s.reduce(0) { $0 + exp($1) })
        return s.map { Float($0 - lse) }
    }
}

/// Walk 14 finding 16: the T track read 0–2 but ← stopped at 0.10; and at T 0.1 Float's p underflowed to 0 for
/// tokens no processor removed, so temperature seemed to cut them ("1345 / 3072"). The track reads 0.1–2 with its
/// marker at the ends there, and the count says that no processor removed the zeros — in the explorer and in
/// `sample --show-dist` (whose --json `kept` stays the count with p > 0).
@Test(arguments: [(80, 24), (60, 20)])
func theTemperatureTrackIsLabelledWithItsEndsAndLowTDoesNotCutTokens(size: (cols: Int, rows: Int)) throws {
    let explorer = try SamplingExplorer(model: ExplorerModel(SteepModel()), context: [0, 2], detokenize: { _ in "" })
    let page = SamplingExplorerPage(explorer: explorer)
    let s = MemoryScreen(rows: size.rows, cols: size.cols)
    func tLine() throws -> String {
        s.clear(); page.draw(on: s)
        return try #require((0..<size.rows).map(s.line).first { $0.contains(" T ") })
    }
    for _ in 0..<20 { _ = page.handle(.left) }
    #expect(explorer.settings.temperature == 0.1)
    let low = try tLine()
    #expect(low.hasPrefix("▸ T 0.10 ") && low.contains("├●─") && low.hasSuffix("─┤ 0.1–2"), "at the left end: \(low)")
    let zeros = explorer.distribution.processed.filter { $0 == 0 }.count
    #expect(zeros > 0, "Float's p does underflow here")
    #expect(explorer.survivors == 11 - zeros, "p > 0")
    let said = "\(11 - zeros) of 11 tokens can be drawn; no processor removed the other \(zeros): their p is too small for Float and rounds to 0"
    #expect(s.text.replacingOccurrences(of: "\n", with: " ").contains(said), "\(s.text)")
    #expect(!s.text.contains("cut: the processors removed"), "no processor removed the bars' zeros:\n\(s.text)")
    // `sample --show-dist` counts the same and says it in the same words, in both languages.
    let step = try SampleStep.run(SteepModel(), prompt: [0, 2], processors: try explorer.settings.chain(), seed: 0,
                                  top: 5)
    #expect(step.json.kept == 11 - zeros && step.json.underflow == zeros)
    let printed = PlainRenderer.render(step.json.output(vocabularySize: 11), width: size.cols)
    #expect(printed.replacingOccurrences(of: "\n", with: " ").contains(said), "\(printed)")
    let zhZeros = Learner.$language.withValue(.zh) { SampleStep.drawableText((11 - zeros, zeros), vocabulary: 11) }
    #expect(zhZeros == "11 个词元中有 \(11 - zeros) 个可被抽到；其余 \(zeros) 个并没有被处理器去掉，只是 p 太小，Float 存不下，舍入成了 0")
    for _ in 0..<30 { _ = page.handle(.right) }
    #expect(explorer.settings.temperature == 2)
    let high = try tLine()
    #expect(high.hasPrefix("▸ T 2.00 ") && high.hasSuffix("─●┤ 0.1–2"), "at the right end: \(high)")
}

/// A T given on the command line outside the track stays until a key moves it toward the track.
@Test func aTemperatureOutsideTheTrackOnlyMovesTowardIt() throws {
    let cases: [(Float, Bool, Float)] = [(3, true, 3), (3, false, 2.9), (0.01, false, 0.01), (0.01, true, 0.11)]
    for (t, up, after) in cases {
        let explorer = try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0, 2],
                                            detokenize: { _ in "" },
                                            settings: SamplingSettings(temperature: t))
        explorer.temperature(up: up)
        #expect(explorer.settings.temperature == after, "T \(t), \(up ? "→" : "←")")
    }
}

/// A long prompt keeps its end on screen and the bars below it: it pushed the whole distribution off a 60×24 screen
/// (w17 explorer walk 1). The text starts with "…" where its beginning is left out; the last word drawn stays.
@Test func aLongPromptLeavesTheBarsOnScreen() throws {
    let long = Array(repeating: [2, 3, 4, 6, 7, 8, 9, 10], count: 40).flatMap { $0 }
    let explorer = try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0] + long, detokenize: { ids in
        ids.map { ExplorerFixtures.words[$0] }.joined(separator: " ")
    }, seed: 7, topN: 8, drawsPerPress: 500)
    let page = SamplingExplorerPage(explorer: explorer)
    for _ in 0..<30 { _ = page.handle(.enter) }
    let s = MemoryScreen(rows: 24, cols: 60)
    page.draw(on: s)
    let lines = (0..<24).map(s.line)
    print(lines.joined(separator: "\n"))
    #expect(lines[2].hasPrefix("…"), "the text's start is cut, said: \(lines[2])")
    #expect(lines.contains { $0.contains("T 1.00") } && lines.contains { $0.contains("top-k") }, "the sliders stay")
    let bars = lines.filter { $0.contains("█") || $0.contains("▏") }.count
    #expect(bars >= 3, "the distribution stays on screen (\(bars) bars)")
    #expect(lines.contains { $0.contains("drew") || $0.contains("greedy") }, "the last draw is said")
}

/// A prompt of one word per line: its rows are counted as rows (a line break is no cell), so the bars stay on screen,
/// and a text that fits whole gets no "…" (review 17, 6).
@Test func aPromptOfManyLinesLeavesTheBarsOnScreen() throws {
    let words = ExplorerFixtures.words
    let explorer = try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0] + Array(repeating: [2, 3, 4, 6], count: 10).flatMap { $0 },
                                        detokenize: { ids in ids.map { words[$0] }.joined(separator: "\n") },
                                        seed: 7, topN: 8, drawsPerPress: 500)
    let s = MemoryScreen(rows: 24, cols: 60)
    SamplingExplorerPage(explorer: explorer).draw(on: s)
    let lines = (0..<24).map(s.line)
    #expect(lines[2].hasPrefix("…") && lines.contains { $0.contains("T 1.00") }, "\(lines.joined(separator: "\n"))")
    #expect(lines.filter { $0.contains("█") || $0.contains("▏") }.count >= 3, "\(lines.joined(separator: "\n"))")
    let short = try SamplingExplorer(model: ExplorerModel(TableModel()), context: [0, 2, 3], detokenize: { ids in
        ids.map { words[$0] }.joined(separator: "\n") }, seed: 7, topN: 8, drawsPerPress: 500)
    s.clear(); SamplingExplorerPage(explorer: short).draw(on: s)
    #expect(!s.text.contains("…"), "nothing was cut: \(s.text)")
}
