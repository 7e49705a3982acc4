import Foundation
import Testing
import Lab
@testable import TerminalUI

/// Causal attention weights of a toy head: A = softmax(q kᵀ / √d + M) with q_i = k_i = (cos θ_i, sin θ_i) scaled by
/// (layer + 1), θ_i = (head + 1) · i / 2, and M = −∞ above the diagonal (NaN in the heatmap).
private func toyAttention(layer: Int, head: Int, tokens: Int) -> [[Double]] {
    let s = Double(layer + 1), d = 2.0
    let v = (0..<tokens).map { i -> (Double, Double) in
        let t = Double(head + 1) * Double(i) / 2
        return (s * cos(t), s * sin(t))
    }
    return (0..<tokens).map { i in
        let scores = (0...i).map { j in (v[i].0 * v[j].0 + v[i].1 * v[j].1) / d.squareRoot() }
        let m = scores.max()!
        let e = scores.map { exp($0 - m) }
        let z = e.reduce(0, +)
        return (0..<tokens).map { j in j <= i ? e[j] / z : .nan }
    }
}

@Test func attentionExplorerWalksLayersAndHeadsAndAsksEachOnce() throws {
    let tokens = ["我", "爱", "我的", "猫", "."]
    var asked: [String] = []
    let explorer = AttentionExplorer(layers: 3, heads: 4, tokens: tokens) { l, h in
        asked.append("\(l)/\(h)")
        return toyAttention(layer: l, head: h, tokens: tokens.count)
    }
    let page = AttentionExplorerPage(explorer: explorer)
    let screen = MemoryScreen(rows: 24, cols: 80)
    for key: Key in [.down, .right, .right, .up, .down, .left, .right] { _ = page.handle(key); page.draw(on: screen) }
    #expect(explorer.layer == 1 && explorer.head == 2)
    #expect(asked == ["1/0", "1/1", "1/2", "0/2"])          // every (layer, head) once, in the order drawn
    #expect(explorer.provided == 4)
    // Each drawn row sums to 1 over its unmasked cells (the provider's softmax), and the page says where it is.
    for row in try explorer.heatmap().values {
        #expect(abs(row.filter { !$0.isNaN }.reduce(0, +) - 1) < 1e-12)
    }
    #expect(screen.text.contains("layer 1 (0…2) · head 2 (0…3)"), "numbered from 0, as the attention command is")
    try expectGolden(screen, "attention-explorer-80x24")
}

@Test func outputPageScrollsALongOutput() throws {
    let rows = (1...40).map { ["\($0)", "词\($0)"] }
    let page = OutputPage(title: "n-gram table") { .table(OutputTable(headers: ["n", "word"], rows: rows)) }
    let screen = MemoryScreen(rows: 12, cols: 40)
    page.draw(on: screen)
    #expect(screen.line(3) == "1   词1")                    // title, header, rule, first row
    for _ in 0..<5 { _ = page.handle(.down) }
    page.draw(on: screen)
    #expect(screen.line(1) == "4   词4")
    for _ in 0..<10 { _ = page.handle(.pageDown) }           // clamped at the end
    page.draw(on: screen)
    #expect(screen.line(10) == "40  词40")
    #expect(page.handle(.char("q")).isBack)
}

extension PageAction {
    var isBack: Bool { if case .back = self { return true } else { return false } }
}
