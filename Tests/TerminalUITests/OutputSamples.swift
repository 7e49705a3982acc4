// One sample of every Output kind, for the golden screens (some with Chinese labels, to check CJK alignment).
import Foundation
import Decoding
import Lab
import LabCore

enum OutputSamples {
    static let text = Output.text(OutputText(spans: [
        TextSpan("A language model", .strong),
        TextSpan(" assigns a probability to every sentence: P(w₁ … w_T) = Π_t P(w_t | w_<t). "),
        TextSpan("语言模型给每个句子一个概率，按链式法则逐词相乘。", .plain),
        TextSpan("\nRun "), TextSpan("prob \"hello, world\"", .code), TextSpan(" to see the factors."),
    ]))

    static let table = Output.table(OutputTable(
        title: "ERNIE 4.5 family",
        headers: ["model", "参数 params", "layers", "heads (q/kv)", "context"],
        rows: [["ERNIE-4.5-0.3B", "0.36B", "18", "16/2", "131072"],
               ["ERNIE-4.5-21B-A3B", "21B（激活 3B）", "28", "20/4", "131072"],
               ["ERNIE-4.5-300B-A47B", "300B（激活 47B）", "54", "64/8", "131072"]],
        alignments: [.left, .right, .right, .center, .right]))

    static let bars = Output.bars(ProbabilityBars(
        title: "next token after \"我爱我的\"", rawLabel: "raw", processedLabel: "T 0.7 · top-p 0.8",
        rows: [BarRow(token: "家", raw: 0.31, processed: 0.4619, chosen: true, drawn: 47),
               BarRow(token: "妈妈", raw: 0.22, processed: 0.2832, drawn: 30),
               BarRow(token: "祖国", raw: 0.14, processed: 0.1487, drawn: 14),
               BarRow(token: "cat", raw: 0.09, processed: 0.1062, drawn: 9),
               BarRow(token: "工作", raw: 0.07, processed: 0, drawn: 0),
               BarRow(token: "\\n", raw: 0.0004, processed: 0, drawn: 0)],
        cutAfter: 3, samples: 100, note: "entropy 1.741 nats raw → 1.280 processed · 4 of 6 tokens can be drawn · seed 7"))

    static let beamTree: Output = {
        func n(_ id: Int, _ parent: Int, _ step: Int, _ token: String, _ lp: Double, _ cum: Double, _ state: BeamNodeStatus) -> OutputBeamNode {
            OutputBeamNode(id: id, parent: parent, step: step, token: token, logProb: lp, cumulative: cum,
                           score: cum / Double(step + 1), state: state)
        }
        return .beamTree(OutputBeamTree(title: "beam search · 2 beams · length penalty 1", nodes: [
            OutputBeamNode(id: 0, parent: nil, step: -1, token: "I love my", logProb: 0, cumulative: 0, score: 0, state: .root),
            n(1, 0, 0, "dog", -0.9, -0.9, .kept), n(2, 0, 0, "猫", -1.2, -1.2, .kept),
            n(3, 0, 0, "job", -2.3, -2.3, .pruned), n(4, 0, 0, "</s>", -3.1, -3.1, .rejected),
            n(5, 1, 1, "</s>", -0.4, -1.3, .finished), n(6, 2, 1, "咪", -0.3, -1.5, .kept),
            n(7, 1, 1, "so", -1.0, -1.9, .kept), n(8, 2, 1, "and", -1.6, -2.8, .pruned),
        ], step: 2, folded: []))
    }()

    static let heatmap = Output.heatmap(Heatmap(
        title: "attention · layer 0 · head 1 (causal)",
        rowLabels: ["我", "爱", "my", "cat"], columnLabels: ["我", "爱", "my", "cat"],
        values: [[1, .nan, .nan, .nan], [0.62, 0.38, .nan, .nan], [0.1, 0.55, 0.35, .nan], [0.05, 0.15, 0.3, 0.5]],
        minimum: 0, maximum: 1))

    static let scatter = Output.scatter(Scatter(
        title: "word vectors, PCA", xLabel: "PC1", yLabel: "PC2",
        points: [ScatterPoint("king", x: 1.2, y: 0.9), ScatterPoint("queen", x: 1.1, y: 0.4),
                 ScatterPoint("man", x: 0.2, y: 0.8), ScatterPoint("woman", x: 0.1, y: 0.3),
                 ScatterPoint("国王", x: 1.25, y: -0.6), ScatterPoint("王后", x: 1.0, y: -1.0),
                 ScatterPoint("apple", x: -1.0, y: -0.2), ScatterPoint("苹果", x: -0.9, y: -0.8)]))

    static let linePlot: Output = {
        let steps = (0..<30).map(Double.init)
        return .linePlot(LinePlot(title: "GRU language model", xLabel: "step", yLabel: "loss", series: [
            PlotSeries(name: "train", x: steps, y: steps.map { 4.5 * Foundation.exp(-$0 / 8) + 1.2 }),
            PlotSeries(name: "held-out", x: steps.filter { Int($0) % 5 == 0 },
                       y: steps.filter { Int($0) % 5 == 0 }.map { 4.5 * Foundation.exp(-$0 / 10) + 1.6 }),
        ]))
    }()

    static let ledger = Output.ledger(Ledger(title: "P(sentence) under the bigram model", tokens: [
        ("<s>", "the", 0.25), ("the", "cat", 0.1), ("cat", "sat", 0.5), ("sat", "</s>", 0.4),
    ]))

    /// A meter on a fake clock (0.1 s and 82 tokens per step), as a training loop would fill it.
    static let progress: Output = {
        final class FakeClock: @unchecked Sendable { var now = 0.0 }
        let clock = FakeClock()
        var meter = TrainingMeter(totalSteps: 500, clock: { clock.now })
        for s in 1...120 {
            clock.now += 0.1
            meter.record(step: s, loss: 3 + 5 * Foundation.exp(-Double(s) / 30), tokens: 82)
        }
        return .progress(TrainingProgress(title: "training the tiny ERNIE", meter: meter))
    }()

    static let group = Output.group(OutputGroup(title: "lesson 1 · cell 3", [
        .text("The factors, then the total:"),
        ledger,
    ]))

    static let all: [Output] = [text, table, bars, beamTree, heatmap, scatter, linePlot, ledger, progress, group]
}
