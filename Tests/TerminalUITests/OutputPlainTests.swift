import Foundation
import Testing
import Lab
import LabCore
@testable import TerminalUI

/// Every kind survives JSON (Codable) unchanged, and its JSON names the kind.
@Test func everyOutputKindRoundTripsThroughJSON() throws {
    for output in OutputSamples.all {
        let json = try jsonString(output)
        #expect(json.contains("\"kind\" : \"\(output.kind)\""))
        let back = try JSONDecoder().decode(Output.self, from: Data(json.utf8))
        #expect(back == output, "\(output.kind) changed through JSON")
    }
    // An unknown kind is an error that names the kinds.
    let bad = Data(#"{"kind": "pie"}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Output.self, from: bad) }
}

/// The one JSON writer: numbers as JSONEncoder writes them (what --json scripts parse), one line when compact, and a
/// number JSON cannot hold (a log-prob of −∞) as a string instead of an encoding failure.
@Test func jsonStringKeepsNumbersAndSpellsOutNonFiniteOnes() throws {
    struct Row: Encodable { let p: Double; let logProb: Double; let entropy: Float; let id: Int }
    #expect(try jsonString(Row(p: 0.1, logProb: -.infinity, entropy: .nan, id: 7), compact: true)
            == #"{"entropy":"nan","id":7,"logProb":"-inf","p":0.1}"#)
    #expect(try jsonString(Row(p: 0.25, logProb: -1.5, entropy: 2, id: 0))
            == "{\n  \"entropy\" : 2,\n  \"id\" : 0,\n  \"logProb\" : -1.5,\n  \"p\" : 0.25\n}")
}

/// A heatmap whose values do not fit its labels is a decoding error that says which row, never a trap.
@Test func raggedHeatmapJSONIsAnErrorNotACrash() throws {
    let cases = [(#"[[1, 2], [3]]"#, "row 1 has 1 values for 2 column labels"),
                 (#"[[1, 2]]"#, "1 rows of values for 2 row labels")]
    for (values, said) in cases {
        let json = Data(#"{"kind": "heatmap", "rowLabels": ["a", "b"], "columnLabels": ["x", "y"], "values": \#(values)}"#.utf8)
        do {
            _ = try JSONDecoder().decode(Output.self, from: json)
            Issue.record("\(values) decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains(said) && context.debugDescription.contains("HINT:"), "\(context.debugDescription)")
        }
    }
    let fits = Data(#"{"kind": "heatmap", "rowLabels": ["a"], "columnLabels": ["x", "y"], "values": [[1, null]]}"#.utf8)
    guard case .heatmap(let map) = try JSONDecoder().decode(Output.self, from: fits) else { Issue.record("not a heatmap"); return }
    #expect(map.values[0][0] == 1 && map.values[0][1].isNaN)
}

/// A line plot whose series pairs x and y of different lengths, or a beam tree whose nodes are not a tree from
/// node 0, is a decoding error that says what is wrong, never a trap when drawn.
@Test func brokenPlotAndBeamTreeJSONIsAnErrorNotACrash() throws {
    func node(_ id: Int, _ parent: Int?) -> String {
        #"{"id": \#(id), "parent": \#(parent.map(String.init) ?? "null"), "step": 0, "token": "t", "logProb": 0, "cumulative": 0, "score": 0, "state": "kept"}"#
    }
    func tree(_ nodes: [String]) -> String {
        #"{"kind": "beamTree", "nodes": [\#(nodes.joined(separator: ", "))], "step": 1, "folded": [], "showPruned": true}"#
    }
    let cases = [
        (#"{"kind": "linePlot", "xLabel": "x", "yLabel": "y", "series": [{"name": "loss", "x": [0, 1, 2], "y": [4, 3]}]}"#,
         "PlotSeries loss: 3 x values for 2 y values."),
        (tree([]), "no nodes"),
        (tree([node(0, nil), node(2, 0)]), "node 1 has id 2"),
        (tree([node(0, nil), node(1, 5)]), "node 1 has parent 5, not an earlier node"),
        (tree([node(0, nil), node(1, 1)]), "node 1 has parent 1, not an earlier node"),
    ]
    for (json, said) in cases {
        do {
            _ = try JSONDecoder().decode(Output.self, from: Data(json.utf8))
            Issue.record("\(said): decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains(said) && context.debugDescription.contains("HINT:"), "\(context.debugDescription)")
        }
    }
    // The same JSON with the invariants kept decodes.
    guard case .beamTree(let t) = try JSONDecoder().decode(Output.self, from: Data(tree([node(0, nil), node(1, 0)]).utf8)) else {
        Issue.record("not a beam tree"); return
    }
    #expect(t.visibleOrder == [1])
}

/// Plain text never exceeds its width (in display cells), has no escape codes and no trailing spaces, and equals
/// what the screen renderer draws on a tall enough screen.
@Test(arguments: [30, 80, 200])
func plainTextFitsItsWidthAndMatchesTheScreen(width: Int) {
    for output in OutputSamples.all {
        let text = PlainRenderer.render(output, width: width, height: 20)
        let lines = text.components(separatedBy: "\n")
        for line in lines {
            #expect(EastAsianWidth.cells(line) <= width, "\(output.kind) at \(width): \(line)")
            #expect(!line.hasSuffix(" "))
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x1B })
        }
        let screen = MemoryScreen(rows: lines.count, cols: width)
        OutputView.draw(output, on: screen, top: 0, left: 0, width: width, height: 20)
        #expect(screen.text == text, "\(output.kind) at \(width): screen and plain text differ")
    }
}

/// A tree too deep for "log P … Σ … score …" on a node shows "−0.30 / −0.50": the legend says what the two are.
@Test func aBeamTreesShortNumbersAreExplained() {
    let narrow = PlainRenderer.render(OutputSamples.beamTree, width: 40, height: 30)
    #expect(narrow.contains(" / −") && narrow.contains("a / b: a is log P, b the score"), "\(narrow)")
    let wide = PlainRenderer.render(OutputSamples.beamTree, width: 200, height: 30)
    #expect(!wide.contains("a / b"), "\(wide)")
    let zh = Learner.$language.withValue(.zh) { PlainRenderer.render(OutputSamples.beamTree, width: 40, height: 30) }
    #expect(zh.contains("a / b：a 是 log P，b 是得分"), "\(zh)")
}

/// A folded node under the cursor keeps its whole count "▸ +N" and the cursor ◀: the long numbers give way to the
/// short ones first (at 60 columns "+26" was cut to "+2" and ◀ lost: w17 explorer walk 4).
@Test func aFoldedNodeUnderTheCursorKeepsItsCountAndMark() throws {
    guard case .beamTree(let sample) = OutputSamples.beamTree else { Issue.record("a tree"); return }
    let tree = OutputBeamTree(title: sample.title, nodes: sample.nodes, step: sample.step, folded: [1], selected: 1)
    for width in [44, 48, 52, 60] {
        let text = PlainRenderer.render(.beamTree(tree), width: width, height: 30)
        let line = try #require(text.split(separator: "\n").first { $0.contains("dog") })
        #expect(line.hasSuffix("▸ +2  ◀"), "\(width): \(line)")
    }
}

/// Bars in eighths: hand-checked lengths.
@Test func barsAreDrawnInEighthsOfACell() {
    #expect(OutputLayout.bar(0.5, width: 4) == "██  ")
    #expect(OutputLayout.bar(1.0 / 32, width: 4) == "▏   ")          // 1/8 of a cell
    #expect(OutputLayout.bar(0.3, width: 5) == "█▌   ")              // 1.5 cells = 12 eighths
    #expect(OutputLayout.bar(7.0 / 16, width: 2) == "▉ ")              // 7/8 of a cell
    #expect(OutputLayout.bar(0.375, width: 2) == "▊ ")                 // 6/8 of a cell
    #expect(OutputLayout.bar(2, width: 3) == "███")                   // clamped
    #expect(OutputLayout.bar(.nan, width: 2) == "  ")
}

/// The ledger's sums by hand: ln 0.25 + ln 0.1 + ln 0.5 + ln 0.4 = ln 0.005, perplexity 0.005^(−1/4).
@Test func ledgerTotalsAndPerplexityAreTheChainRule() throws {
    guard case .ledger(let l) = OutputSamples.ledger else { Issue.record("not a ledger"); return }
    let total = try #require(l.total), ppl = try #require(l.perplexity)
    print("max abs diff ledger total \(abs(total - log(0.005))), perplexity \(abs(ppl - pow(0.005, -0.25)))")
    #expect(abs(total - log(0.005)) < 1e-12)
    #expect(abs(ppl - pow(0.005, -0.25)) < 1e-12)
    // A zero factor: no total, no perplexity, and the plain text says so.
    let zero = Ledger(tokens: [("", "a", 0.5), ("", "b", 0)])
    #expect(zero.total == nil && zero.perplexity == nil && zero.entries[1].logProb == nil)
    #expect(PlainRenderer.render(.ledger(zero), width: 80).contains("P(sentence) = 0"))
}

/// Chinese cells in a table line up: every row of the table has its columns at the same display offsets.
@Test func tableColumnsAlignInDisplayCellsWithChinese() {
    let lines = PlainRenderer.render(OutputSamples.table, width: 80).components(separatedBy: "\n")
    // The "layers" column is right-aligned: every data row ends that column at the same cell.
    let header = lines[1], rule = lines[2]    // lines[0] is the title
    let end = EastAsianWidth.cells(String(header[..<header.range(of: "layers")!.upperBound]))
    for row in lines[3...] {
        let prefix = EastAsianWidth.truncate(row, toCells: end, ellipsis: false)
        #expect(prefix.hasSuffix("18") || prefix.hasSuffix("28") || prefix.hasSuffix("54"), "\(row)")
    }
    #expect(EastAsianWidth.cells(rule) == EastAsianWidth.cells(lines[3]))   // the rule spans the full row
}

/// A beam tree converted from Decoding's record keeps every node, parent and status.
@Test func beamTreeFromDecodingKeepsTheSearch() throws {
    let tree = try ExplorerFixtures.beamTree()
    let out = OutputBeamTree.from(tree, root: "<s>", piece: { ExplorerFixtures.words[$0] })
    #expect(out.nodes.count == tree.nodes.count)
    for (a, b) in zip(out.nodes, tree.nodes) {
        #expect(a.parent == b.parent && a.state.rawValue == b.status.rawValue && a.step == b.step)
        #expect(abs(a.score - Double(b.score)) < 1e-6)
    }
}
