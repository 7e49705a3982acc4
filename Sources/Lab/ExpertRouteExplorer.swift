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

    /// The grid and the selected token's router probabilities, laid out `width` cells wide in at most `height` rows.
    public func lines(width: Int, height: Int = .max) -> [StyledLine] {
        let grid = gridLines(width: width)
        let (title, bars) = selectedLines(width: width, height: height - grid.count)
        // A blank line between the grid and the bars when there is room for it.
        return grid + (grid.count + 1 + title.count + bars.count <= height ? [StyledLine()] : []) + title + bars
    }

    /// A sentence wider than the screen wraps (CJK between any two characters) instead of losing its end.
    private func wrapped(_ s: String, _ e: Emphasis, width: Int) -> [StyledLine] {
        OutputLayout.lines(.text(OutputText(s, e)), width: width)
    }

    /// The layer line, then the experts × tokens grid of weights and its legend.
    private func gridLines(width: Int) -> [StyledLine] {
        let r = report.layers[layer].routing
        let shown = visibleTokens(width: width)
        func pad(_ s: String, _ n: Int) -> String {
            EastAsianWidth.pad(EastAsianWidth.truncate(s, toCells: n - 1), toCells: n)
        }
        let moeLayers = report.layers.map { String($0.layer) }.joined(separator: Learner.text(", ", "、"))
        // Tokens are numbered from 0 (<s>), as `moe route` numbers its rows; the selected one is named under the grid.
        var out = wrapped(Learner.text(
            "layer \(layerIndex) (MoE layers \(moeLayers)) · \(r.experts) experts, top \(r.k) · "
                + "\(r.rows) tokens, numbered 0–\(r.rows - 1)",
            "第 \(layerIndex) 层（MoE 层 \(moeLayers)）· \(r.experts) 个专家，选前 \(r.k) 个 · "
                + "\(r.rows) 个词元，编号 0–\(r.rows - 1)"), .strong, width: width)
        var header = StyledLine(pad(Learner.text("expert", "专家"), Self.labelWidth), .dim)
        for t in shown {
            let here = t == token
            header.append(pad((here ? "▸" : "") + report.pieces[t], Self.cellWidth), here ? .accent : .strong)
        }
        out.append(header)
        let load = r.load
        for e in 0..<r.experts {
            var row = StyledLine(pad("e\(e) (\(load[e]))", Self.labelWidth), .plain)
            for t in shown {
                let chosen = Array(r.chosen(row: t)), unbiased = r.unbiasedChoice(row: t)
                let byBias = chosen.contains(e) != unbiased.contains(e)
                if let j = chosen.firstIndex(of: e) {
                    let w = r.weights(row: t)[r.k * t + j]
                    row.append(pad(String(format: "%.2f", w) + (byBias ? " b" : ""), Self.cellWidth),
                               t == token ? .accent : .good)
                } else {
                    row.append(pad(byBias ? "· b" : "·", Self.cellWidth), byBias ? .bad : .dim)
                }
            }
            out.append(row)
        }
        return out + wrapped(Learner.text("(n) tokens received · b: the bias changed this choice",
                                          "(n) 该专家收到的词元数 · b：修正偏置改变了这个选择"), .dim, width: width)
    }

    /// The selected token's line, and its router p over every expert as bars (largest first, the chosen marked ▶),
    /// in `height` rows. Every expert's p stays on screen: when the bars do not all fit, the smallest are named with
    /// their p after a count of the bars there was no room for (at 60×20 the page used to cut them silently).
    private func selectedLines(width: Int, height: Int) -> (title: [StyledLine], bars: [StyledLine]) {
        let r = report.layers[layer].routing
        let p = Array(r.probabilities[(token * r.experts)..<((token + 1) * r.experts)])
        let chosen = Array(r.chosen(row: token)), unbiased = r.unbiasedChoice(row: token)
        let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
        let names = { (experts: [Int]) in experts.map { "e\($0)" }.joined(separator: " ") }
        let piece = report.pieces[token]
        let title = wrapped(Learner.text(
            "token \(token) \(piece): router p; chosen with the bias: \(names(chosen)), by p alone: \(names(unbiased))",
            "词元 \(token)“\(piece)”：路由概率 p；加偏置后选中 \(names(chosen))，只看 p 则选 \(names(unbiased))"),
                            .accent, width: width)
        func bars(_ experts: ArraySlice<Int>) -> [StyledLine] {
            OutputLayout.lines(.bars(ProbabilityBars(rawLabel: "p", rows: experts.map {
                BarRow(token: "e\($0)", raw: Double(p[$0]), chosen: chosen.contains($0))
            }, rowHeading: Learner.text("expert", "专家"))), width: width)
        }
        let room = height - title.count
        let all = bars(order[...])
        if all.count <= room { return (title, all) }
        // Too short for every bar: the largest p as bars, then the rest by name and p.
        func rest(from n: Int) -> [StyledLine] {
            let list = order[n...].map {
                (chosen.contains($0) ? "▶" : "") + "e\($0) " + OutputLayout.probability(Double(p[$0]))
            }
            let count = order.count - n
            let head = n == 0 ? Learner.text("no room for the \(count) bars: ", "\(count) 个专家的条形放不下：")
                              : Learner.text("\(count) more experts, no room for their bars: ",
                                             "另有 \(count) 个专家的条形放不下：")
            return wrapped(head + list.joined(separator: " · "), .dim, width: width)
        }
        // A bar is a line under one heading line and the list takes at least one: start where n bars can fit.
        for n in stride(from: min(order.count - 1, room - 2), through: 1, by: -1) where 1 + n + rest(from: n).count <= room {
            return (title, bars(order[..<n]) + rest(from: n))
        }
        // Not even room for one bar: the list alone, its last line shown cut with "…" when it is longer than the room.
        var list = rest(from: 0)
        if list.count > max(1, room) {
            list = Array(list.prefix(max(1, room)))
            let last = EastAsianWidth.truncate(list[list.count - 1].text, toCells: width - 1, ellipsis: false)
            list[list.count - 1] = StyledLine(last + "…", .dim)
        }
        return (title, list)
    }
}
