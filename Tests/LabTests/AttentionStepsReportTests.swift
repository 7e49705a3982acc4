// `attention steps|heads` build Output values (tables the notebook lays out at the cell's width), not printed text.
import Foundation
import Lab
import Testing

/// The tables of a group, in order.
private func tables(_ output: Output) -> [OutputTable] {
    guard case .group(let g) = output else { return [] }
    return g.items.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
}

@Test func attentionStepsAreEightTablesWithTheMaskAboveTheDiagonal() throws {
    let steps = tables(AttentionStepsReport.steps(tokens: 3, dim: 4, seed: 1, causal: true))
    #expect(steps.count == 8)
    #expect(steps[0].headers == ["", "d0", "d1", "d2", "d3"])
    let masked = steps[5], weights = steps[6]
    #expect(masked.headers == ["", "t0", "t1", "t2"])
    for (i, row) in masked.rows.enumerated() {
        for j in 0..<3 { #expect((row[j + 1] == "−∞") == (j > i), "masked[\(i)][\(j)] = \(row[j + 1])") }
    }
    // Each row of A sums to 1 (three decimals each, so within 0.002), and a masked place weighs 0.
    for row in weights.rows {
        let sum = row.dropFirst().compactMap { Double($0) }.reduce(0, +)
        print("row \(row[0]): Σ = \(sum)")
        #expect(abs(sum - 1) < 0.002)
    }
    #expect(weights.rows[0][2] == "0.000")
    let plain = PlainRenderer.render(.group(OutputGroup(steps.map(Output.table))), width: 80)
    #expect(plain.contains("−∞"))
    let unmasked = PlainRenderer.render(AttentionStepsReport.steps(tokens: 3, dim: 4, seed: 1, causal: false), width: 80)
    #expect(!unmasked.contains("−∞"))
}

@Test func attentionHeadsNameTheSharingAndFitANarrowCell() throws {
    let output = AttentionStepsReport.heads(heads: 4, keyValueHeads: 2, tokens: 3, headDim: 2, seed: 1)
    let t = tables(output)
    #expect(t.count == 4 + 2)            // one weight table per query head, merged, output
    #expect(t[4].headers.count == 1 + 8)
    for width in [40, 80] {
        let lines = PlainRenderer.render(output, width: width).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { EastAsianWidth.cells(String($0)) <= width })
        #expect(lines.joined(separator: "\n").contains("cache: 2/4"))
    }
}

/// In a narrow cell the output table of `attention heads` does not fit: its columns continue below, whole. A column
/// that gave way split -1.166 into "-1.16" and a stray "6" on the line below (walk 16, lesson 7 at 60 columns).
@Test func attentionTablesKeepEveryNumberWhole() {
    let text = PlainRenderer.render(AttentionStepsReport.heads(heads: 4, keyValueHeads: 2, tokens: 3, headDim: 2, seed: 1), width: 52)
    let numbers = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.contains(".") && ($0.first?.isNumber == true || $0.first == "-") }
    let cut = numbers.filter { n in
        let parts = n.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
        return !(parts.count == 2 && !parts[0].isEmpty && parts[1].count == 3 && n.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" })
    }
    #expect(!numbers.isEmpty && cut.isEmpty, "cut numbers: \(cut)\n\(text)")
    #expect(text.split(separator: "\n").allSatisfy { EastAsianWidth.cells(String($0)) <= 52 })
}
