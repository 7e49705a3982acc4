// ExpertRouteExplorer — the state behind `lmlab moe route --explore` (lesson 8): one MoE layer at a time as a grid of
// experts × tokens, each cell the weight w the token gives that expert (blank when not chosen), and, for the selected
// token, the router's probabilities over all experts as bars.
//
//   rows     the E experts, each with its load (tokens it received in this layer)
//   columns  the tokens of the text; the selected one is marked ▸
//   b        the correction bias changed this cell: chosen only because of b, or dropped because of it
//
// The routing is computed once (ExpertRouteReport); moving the selection only redraws.

import ERNIE
import LabCore

public final class ExpertRouteExplorer {
    public let modelName: String
    public let report: ExpertRouteReport
    /// Index into `report.layers`.
    public private(set) var layer = 0
    public private(set) var token: Int

    /// - Precondition: the report has at least one layer and one token.
    public init(modelName: String, report: ExpertRouteReport) {
        precondition(!report.layers.isEmpty && !report.pieces.isEmpty, "ExpertRouteExplorer: nothing routed")
        self.modelName = modelName
        self.report = report
        token = min(1, report.pieces.count - 1)               // the first token after <s>
    }

    public func move(layer delta: Int) { layer = min(report.layers.count - 1, max(0, layer + delta)) }
    public func move(token delta: Int) { token = min(report.pieces.count - 1, max(0, token + delta)) }

    /// The model's layer index of the selected MoE layer.
    public var layerIndex: Int { report.layers[layer].layer }

    static let labelWidth = 10
    static let cellWidth = 8

    /// The tokens shown at `width`: a window that keeps the selected token in view.
    public func visibleTokens(width: Int) -> Range<Int> {
        let count = report.pieces.count
        let fit = max(1, (width - Self.labelWidth) / Self.cellWidth)
        let start = max(0, min(token - fit / 2, count - fit))
        return start..<min(count, start + fit)
    }

    /// The grid and the selected token's router probabilities, laid out `width` cells wide.
    public func lines(width: Int) -> [StyledLine] {
        let r = report.layers[layer].routing
        let shown = visibleTokens(width: width)
        func pad(_ s: String, _ n: Int) -> String { EastAsianWidth.pad(EastAsianWidth.truncate(s, toCells: n - 1), toCells: n) }
        // A sentence that is wider than the screen wraps (CJK between any two characters) instead of losing its end.
        func wrapped(_ s: String, _ e: Emphasis) -> [StyledLine] { OutputLayout.lines(.text(OutputText(s, e)), width: width) }
        let moeLayers = report.layers.map { String($0.layer) }.joined(separator: Learner.text(", ", "、"))
        var out = wrapped(Learner.text(
            "layer \(layerIndex) (MoE layers \(moeLayers)) · \(r.experts) experts, top \(r.k) · token \(token) of \(r.rows)",
            "第 \(layerIndex) 层（MoE 层 \(moeLayers)）· \(r.experts) 个专家，选前 \(r.k) 个 · 第 \(token) 个词元，共 \(r.rows) 个"), .strong)
        var header = StyledLine(pad(Learner.text("expert", "专家"), Self.labelWidth), .dim)
        for t in shown { header.append(pad((t == token ? "▸" : "") + report.pieces[t], Self.cellWidth), t == token ? .accent : .strong) }
        out.append(header)
        let load = r.load
        for e in 0..<r.experts {
            var row = StyledLine(pad("e\(e) (\(load[e]))", Self.labelWidth), .plain)
            for t in shown {
                let chosen = Array(r.chosen(row: t)), unbiased = r.unbiasedChoice(row: t)
                let byBias = chosen.contains(e) != unbiased.contains(e)
                if let j = chosen.firstIndex(of: e) {
                    let w = r.weights(row: t)[r.k * t + j]
                    row.append(pad(String(format: "%.2f", w) + (byBias ? " b" : ""), Self.cellWidth), t == token ? .accent : .good)
                } else {
                    row.append(pad(byBias ? "· b" : "·", Self.cellWidth), byBias ? .bad : .dim)
                }
            }
            out.append(row)
        }
        out.append(StyledLine(Learner.text("(n) tokens the expert received · b: the correction bias changed this choice",
                                           "(n) 该专家收到的词元数 · b：修正偏置改变了这个选择"), .dim))
        out.append(StyledLine())
        // The selected token: p over every expert, the chosen ones marked, and what p alone would have chosen.
        let p = r.probabilities[(token * r.experts)..<((token + 1) * r.experts)]
        let chosen = Set(r.chosen(row: token))
        let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
        out += wrapped(Learner.text(
            "token \(token) \(report.pieces[token]): router p; chosen with the bias: \(r.chosen(row: token).map { "e\($0)" }.joined(separator: " ")), by p alone: \(r.unbiasedChoice(row: token).map { "e\($0)" }.joined(separator: " "))",
            "词元 \(token)「\(report.pieces[token])」：路由概率 p；加偏置后选中 \(r.chosen(row: token).map { "e\($0)" }.joined(separator: " "))，只看 p 则选 \(r.unbiasedChoice(row: token).map { "e\($0)" }.joined(separator: " "))"), .accent)
        let bars = ProbabilityBars(rawLabel: "p", rows: order.map {
            BarRow(token: "e\($0 - token * r.experts)", raw: Double(p[$0]), chosen: chosen.contains($0 - token * r.experts))
        })
        out += OutputLayout.lines(.bars(bars), width: width, height: nil)
        return out
    }
}
