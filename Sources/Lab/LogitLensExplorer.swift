// LogitLensExplorer — the state behind the logit-lens page (lesson 7): a grid of layers × positions, each cell the
// token the model would predict next if it stopped after that layer (the final norm and the output layer applied to
// the residual stream there), and, for the selected cell, its top candidates as bars and the probability it gives
// the token that really comes next.
//
//   rows    embeddings, layer 1 … layer L (the last row is the model's real output)
//   columns positions of the text; the header names the token there and the token that follows it
//   ✓       the cell's top prediction is the token that follows
//
// The numbers come from a lens computed once (ERNIE's LogitLens for the tiny ERNIE or the real model); moving the
// selection only redraws.

import LabCore

public struct LensPrediction: Sendable, Equatable {
    public var piece: String
    public var probability: Double
    public init(_ piece: String, _ probability: Double) { self.piece = piece; self.probability = probability }
}

public final class LogitLensExplorer {
    public let modelName: String
    /// The token at each position (display pieces).
    public let tokens: [String]
    /// top[l][r]: candidates for the token after position r, read after layer l (l = 0: embeddings), best first.
    public let top: [[[LensPrediction]]]
    /// P(the token that really follows position r) read after layer l; nil at the last position.
    public let nextProbability: [[Double?]]
    public private(set) var layer: Int
    public private(set) var position: Int

    public init(modelName: String, tokens: [String], top: [[[LensPrediction]]], nextProbability: [[Double?]]) {
        precondition(!top.isEmpty && top.allSatisfy { $0.count == tokens.count } && nextProbability.count == top.count,
                     "LogitLensExplorer: top and nextProbability need one row per layer and one cell per token")
        self.modelName = modelName
        self.tokens = tokens
        self.top = top
        self.nextProbability = nextProbability
        layer = top.count - 1
        position = max(0, tokens.count - 2)          // the last position whose next token is known
    }

    public var depth: Int { top.count }

    public func move(layer delta: Int) { layer = min(depth - 1, max(0, layer + delta)) }
    public func move(position delta: Int) { position = min(tokens.count - 1, max(0, position + delta)) }

    public func layerName(_ l: Int) -> String {
        l == 0 ? Learner.text("embeddings", "词嵌入") : l == depth - 1 ? Learner.text("layer \(l) (out)", "第 \(l) 层（输出）") : Learner.text("layer \(l)", "第 \(l) 层")
    }

    /// True when the top prediction at (l, r) is the token that follows position r.
    public func hits(_ l: Int, _ r: Int) -> Bool {
        r + 1 < tokens.count && top[l][r].first?.piece == tokens[r + 1]
    }

    static let labelWidth = 16
    static let cellWidth = 13

    /// The positions shown at `width`: a window that keeps the selected position in view, as far right as it can.
    public func visiblePositions(width: Int) -> Range<Int> {
        let fit = max(1, (width - Self.labelWidth) / Self.cellWidth)
        let end = min(tokens.count, max(position + 1, min(tokens.count, fit)))
        let start = max(0, min(position, end - fit))
        return start..<min(tokens.count, start + fit)
    }

    /// The grid and the selected cell's detail, laid out `width` cells wide in at most `height` rows. What does not
    /// fit is said in a line under the grid, with the keys that show it: the positions outside the window (←/→), the
    /// layers above or below the window kept around the selected one (↑/↓), and the candidates of the bars cut at
    /// the bottom (a taller window). The bars give way first, then the layers.
    public func lines(width: Int, height: Int = .max) -> [StyledLine] {
        let shown = visiblePositions(width: width)
        // The columns share the room the shown positions leave (up to 20 cells each): "▁capital" whole, not "▁cap…".
        let cellWidth = min(20, max(Self.cellWidth, (width - Self.labelWidth) / max(1, shown.count)))
        // A cell of n display cells: the text cut to n − 1 (one space always separates columns), then padded.
        func pad(_ s: String, _ n: Int) -> String { EastAsianWidth.pad(EastAsianWidth.truncate(s, toCells: n - 1), toCells: n) }
        var out: [StyledLine] = []
        var header = StyledLine(pad(Learner.text("position", "位置"), Self.labelWidth), .dim)
        var nextRow = StyledLine(pad(Learner.text("next token", "下一个词元"), Self.labelWidth), .dim)
        for r in shown {
            header.append(pad("\(r) \(tokens[r])", cellWidth), r == position ? .accent : .strong)
            nextRow.append(pad(r + 1 < tokens.count ? tokens[r + 1] : "?", cellWidth), .dim)
        }
        out += [header, nextRow, StyledLine(String(repeating: "─", count: min(width, Self.labelWidth + cellWidth * shown.count)), .dim)]
        let (title, bars) = selectedLines(width: width)
        // Rows: the grid's three heading lines, its layers, the note on what is hidden, a blank line, the title, bars.
        var (layerRows, barRows, noteRows, blank) = (depth, bars.count, shown.count < tokens.count ? 1 : 0, true)
        func over() -> Int { 3 + layerRows + noteRows + (blank ? 1 : 0) + title.count + barRows - height }
        func fit() {                                      // the bars give way first, then the layers
            if over() > 0 { barRows = max(0, barRows - over()) }
            if barRows == 1 { barRows = 0 }               // the bars' heading alone says nothing
            if over() > 0 { layerRows = max(1, layerRows - over()) }
        }
        if over() > 0 { blank = false }
        if over() > 0 { noteRows = max(1, noteRows); fit() }                 // something is cut: the note says what
        var firstLayer: Int { max(0, min(layer - layerRows / 2, depth - layerRows)) }
        func makeNote() -> [StyledLine] {
            noteRows == 0 ? [] : hidden(positions: shown, layers: firstLayer..<(firstLayer + layerRows),
                                        bars: bars.count - barRows, width: width)
        }
        var note = makeNote()                                               // laid out once, again only after a re-fit
        if note.count > noteRows { noteRows = note.count; fit(); note = makeNote() }   // a narrow screen wraps the note
        for l in firstLayer..<(firstLayer + layerRows) {
            var row = StyledLine(pad(layerName(l), Self.labelWidth), l == layer ? .accent : .plain)
            for r in shown {
                let selected = l == layer && r == position
                var text = "—"
                if let best = top[l][r].first {
                    // "▸" marks the selected cell (also without colour); the piece gives way to the number and ✓.
                    let suffix = " \(Int((best.probability * 100).rounded()))%" + (hits(l, r) ? " ✓" : "")
                    let room = cellWidth - 1 - EastAsianWidth.cells(suffix) - (selected ? 1 : 0)
                    text = (selected ? "▸" : "") + EastAsianWidth.truncate(best.piece, toCells: max(1, room)) + suffix
                }
                row.append(pad(text, cellWidth), selected ? .accent : hits(l, r) ? .good : .plain)
            }
            out.append(row)
        }
        return out + note + (blank ? [StyledLine()] : []) + title + bars.prefix(barRows)
    }

    /// What the window leaves out, in one dim line (wrapped when narrow): the positions before and after the shown
    /// ones, the layers above and below, the lines cut from the bars.
    func hidden(positions shown: Range<Int>, layers: Range<Int>, bars: Int, width: Int) -> [StyledLine] {
        var parts: [String] = []
        if shown.count < tokens.count {
            parts.append(Learner.text(
                "positions \(shown.lowerBound)–\(shown.upperBound - 1) of 0–\(tokens.count - 1) shown "
                    + "(←/→ for the others)",
                "显示第 \(shown.lowerBound)–\(shown.upperBound - 1) 个位置（共 0–\(tokens.count - 1)；←/→ 看其余的）"))
        }
        if layers.count < depth {
            parts.append(Learner.text("\(depth - layers.count) of \(depth) rows hidden (↑/↓ for the others)",
                                      "\(depth) 行里有 \(depth - layers.count) 行没显示（↑/↓ 看其余的）"))
        }
        if bars > 0 {
            parts.append(Learner.text("\(bars) lines of bars cut (a taller window shows them)",
                                      "条形图有 \(bars) 行放不下（把窗口拉高就能看到）"))
        }
        let text = parts.joined(separator: " · ")
        return parts.isEmpty ? [] : OutputLayout.lines(.text(OutputText(text, .dim)), width: width)
    }

    /// The selected cell's title (layer, position, and what it gives the real next token) and its candidates as bars.
    func selectedLines(width: Int) -> (title: [StyledLine], bars: [StyledLine]) {
        var out: [StyledLine] = []
        // The selected cell: its candidates as bars, and what it gives the real next token.
        let next = position + 1 < tokens.count ? tokens[position + 1] : nil
        var title = StyledLine("\(layerName(layer)) · " + Learner.text("after", "位置") + " \(position) \(tokens[position])" + Learner.text("", " 之后"), .accent)
        if let next, let p = nextProbability[layer][position] {
            // What the layer gives the real next token: beside the title when it fits, else on its own line (a long
            // Chinese piece pushed the number off a 60-column screen).
            // As the bars write it: 2.45e-06, not 0.0000 (w17 explorer walk 14).
            let given = Learner.text("P(next = \(next)) = ", "P(下一个 = \(next)) = ") + OutputLayout.probability(Double(p))
            if title.cells + 3 + EastAsianWidth.cells(given) <= width { title.append(" · " + given, .plain) }
            else { out.append(title); title = StyledLine("  " + given) }
        }
        out.append(title)
        let bars = ProbabilityBars(rawLabel: "P", rows: top[layer][position].map {
            BarRow(token: $0.piece, raw: $0.probability, chosen: $0.piece == next)
        })
        return (out, OutputLayout.lines(.bars(bars), width: width, height: nil))
    }
}
