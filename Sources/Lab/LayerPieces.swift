// LayerPieces — lesson 8's three parts of a modern decoder layer, run on vectors small enough to read (`lmlab layer
// rope | rmsnorm | swiglu`). Each runs the engine's own kernel from LabCore — the loops ERNIE's forward pass calls
// (ERNIE/DecoderLayer.swift, steps 1, 3 and 9) — never a second copy of the arithmetic:
//
//   RoPE     ropeInterleaved: pair i of a head vector at position p turns by p · θ^(−2i/Dh), so
//            q_m · k_n = Re Σᵢ q̃ᵢ k̃ᵢ* e^{i(m−n)ωᵢ} depends on m and n only through the offset m − n
//            (Su et al. 2021, https://arxiv.org/abs/2104.09864)
//   RMSNorm  rmsNorm: y = x / √(mean(x²) + ε) ⊙ g, so before the gain g every row has root mean square ≈ 1
//            (Zhang & Sennrich 2019, https://arxiv.org/abs/1910.07467)
//   SwiGLU   silu: out = silu(x W_gate) ⊙ (x W_up); silu(z) = z·σ(z) is ≈ 0 for z ≪ 0 (gate shut) and ≈ z for
//            z ≫ 0 (gate open) (Shazeer 2020, https://arxiv.org/abs/2002.05202)

import Foundation
import LabCore

public enum LayerPieces {
    /// Longest vector a learner may type (the demos print every entry).
    public static let maxLength = 64

    /// A bad vector option; the message names the option, what was found and the fix.
    public struct InputError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses "3,-1,2,0.5" (commas or spaces) into at most `maxLength` finite numbers.
    public static func vector(_ text: String, option: String) throws -> [Float] {
        let words = text.split(whereSeparator: { $0 == "," || $0 == " " })
        guard !words.isEmpty, words.count <= maxLength else {
            throw InputError(description: Learner.text(
                "\(option) \"\(text)\": give 1…\(maxLength) numbers separated by commas. HINT: e.g. \(option) \"3,-1,2,0.5\"",
                "\(option) \"\(text)\"：请给出 1…\(maxLength) 个用逗号分隔的数。HINT：例如 \(option) \"3,-1,2,0.5\""))
        }
        return try words.map { w in
            guard let v = Float(w), v.isFinite, abs(v) <= 1e6 else {
                throw InputError(description: Learner.text(
                    "\(option): \"\(w)\" is not a number between -1e6 and 1e6. HINT: write plain numbers such as 0.5 or -2",
                    "\(option)：\"\(w)\" 不是 -1e6 到 1e6 之间的数。HINT：写成 0.5 或 -2 这样的普通数字"))
            }
            return v
        }
    }

    /// Parses "3:1,10:8" into 1…16 query:key position pairs (m, n), positions 0…1000000.
    public static func positions(_ text: String) throws -> [(Int, Int)] {
        let pairs = text.split(separator: ",").map { $0.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) } }
        guard !pairs.isEmpty, pairs.count <= 16,
              pairs.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.map { (0...1_000_000).contains($0) } ?? false } }) else {
            throw InputError(description: Learner.text(
                "--positions \"\(text)\": give up to 16 pairs m:n of positions 0…1000000. HINT: e.g. --positions \"3:1,10:8,1:3\"",
                "--positions \"\(text)\"：请给出至多 16 对 m:n，位置在 0…1000000 之间。HINT：例如 --positions \"3:1,10:8,1:3\""))
        }
        return pairs.map { ($0[0]!, $0[1]!) }
    }

    /// `ropeOutput`'s inputs from the text of --q, --k and --positions: q and k of the same even length.
    public static func ropeInputs(q: String, k: String, positions: String) throws -> (q: [Float], k: [Float], positions: [(Int, Int)]) {
        let qv = try vector(q, option: "--q"), kv = try vector(k, option: "--k")
        guard qv.count == kv.count, qv.count % 2 == 0 else {
            throw InputError(description: Learner.text(
                "--q has \(qv.count) numbers and --k \(kv.count): RoPE turns pairs, so give both the same even length. HINT: e.g. --q \"1,0,0,1\" --k \"0,1,1,0\"",
                "--q 有 \(qv.count) 个数，--k 有 \(kv.count) 个：RoPE 按对旋转，两者要同样长且为偶数。HINT：例如 --q \"1,0,0,1\" --k \"0,1,1,0\""))
        }
        return (qv, kv, try self.positions(positions))
    }

    static func format(_ v: [Float]) -> String { "[" + v.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "]" }

    // MARK: RoPE

    /// One query/key position pair and the score RoPE leaves between them.
    public struct RoPEScore: Equatable, Sendable {
        public let queryPosition: Int, keyPosition: Int
        public let score: Float
        public var offset: Int { queryPosition - keyPosition }
    }

    /// q·k after rotating q to position m and k to position n with the engine's interleaved RoPE, for each (m, n).
    /// q and k are one head each, of even length Dh.
    public static func ropeScores(q: [Float], k: [Float], positions: [(Int, Int)], theta: Float) -> [RoPEScore] {
        precondition(q.count == k.count && q.count % 2 == 0, "ropeScores: q and k need the same even length")
        return positions.map { m, n in
            var qm = q, kn = k
            ropeInterleaved(&qm, tokens: 1, heads: 1, headDim: q.count, startPosition: m, theta: theta)
            ropeInterleaved(&kn, tokens: 1, heads: 1, headDim: k.count, startPosition: n, theta: theta)
            return RoPEScore(queryPosition: m, keyPosition: n, score: zip(qm, kn).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }

    /// The table of scores, then the two numbers the lesson reads: the largest gap within one offset and the
    /// smallest gap between different offsets.
    public static func ropeOutput(q: [Float], k: [Float], positions: [(Int, Int)], theta: Float) -> Output {
        let scores = ropeScores(q: q, k: k, positions: positions, theta: theta)
        var same: Float = 0, different = Float.infinity
        for (i, a) in scores.enumerated() {
            for b in scores[(i + 1)...] {
                let gap = abs(a.score - b.score)
                if a.offset == b.offset { same = max(same, gap) } else { different = min(different, gap) }
            }
        }
        var rotated = q
        ropeInterleaved(&rotated, tokens: 1, heads: 1, headDim: q.count, startPosition: 1, theta: theta)
        let table = OutputTable(
            headers: [Learner.text("q at m", "q 的位置 m"), Learner.text("k at n", "k 的位置 n"),
                      Learner.text("offset m − n", "偏移 m − n"), "q·k"],
            rows: scores.map { ["\($0.queryPosition)", "\($0.keyPosition)", "\($0.offset)", String(format: "%.4f", $0.score)] },
            alignments: [.right, .right, .right, .right])
        let lines = [
            "q = \(format(q))",
            "k = \(format(k))",
            Learner.text("θ = \(String(format: "%g", theta)), head width Dh = \(q.count)",
                         "θ = \(String(format: "%g", theta))，每个头的维度 Dh = \(q.count)"),
            Learner.text("q at position 1 (pair 0 turned by 1 radian, the last pair by 1·θ^(−\(q.count - 2)/\(q.count))): \(format(rotated))",
                         "q 在位置 1（第 0 对转 1 弧度，最后一对转 1·θ^(−\(q.count - 2)/\(q.count))）：\(format(rotated))"),
        ]
        var summary: [String] = []
        if scores.contains(where: { a in scores.contains { $0.offset == a.offset && $0 != a } }) {
            summary.append(Learner.text("largest gap between scores of the same offset: \(String(format: "%.2g", same))",
                                        "同一偏移下分数的最大差：\(String(format: "%.2g", same))"))
        }
        if different.isFinite {
            summary.append(Learner.text("smallest gap between scores of different offsets: \(String(format: "%.4f", different))",
                                        "不同偏移之间分数的最小差：\(String(format: "%.4f", different))"))
        }
        return .group(OutputGroup([.text(OutputText(lines.joined(separator: "\n"))), .table(table),
                                   .text(OutputText(summary.joined(separator: "\n")))]))
    }

    // MARK: RMSNorm

    /// x / rms(x) through the engine's `rmsNorm` (gain 1), and y = that ⊙ g.
    public static func rmsNormOutput(x: [Float], gain: [Float]?, epsilon: Float) throws -> Output {
        if let gain, gain.count != x.count {
            throw InputError(description: Learner.text(
                "--gain has \(gain.count) numbers but --x has \(x.count). HINT: give one gain per entry of x",
                "--gain 有 \(gain.count) 个数，--x 却有 \(x.count) 个。HINT：x 的每一维给一个增益"))
        }
        func norm(_ g: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: x.count)
            rmsNorm(rows: 1, cols: x.count, x: x, gain: g, epsilon: epsilon, y: &y)
            return y
        }
        func rms(_ v: [Float]) -> Float { (v.reduce(0) { $0 + $1 * $1 } / Float(v.count)).squareRoot() }
        let unit = norm([Float](repeating: 1, count: x.count))
        var rows = [
            ["x", format(x), String(format: "%.4f", rms(x))],
            [Learner.text("x / rms(x)  (gain 1)", "x / rms(x)（增益为 1）"), format(unit), String(format: "%.4f", rms(unit))],
        ]
        if let gain {
            rows.append(["g", format(gain), ""])
            rows.append([Learner.text("y = x / rms(x) ⊙ g", "y = x / rms(x) ⊙ g"), format(norm(gain)), String(format: "%.4f", rms(norm(gain)))])
        }
        let table = OutputTable(headers: [Learner.text("vector", "向量"), Learner.text("values", "取值"), "rms"],
                                rows: rows, alignments: [.left, .left, .right])
        let note = Learner.text(
            "rms(v) = √(mean(v²)); ε = \(String(format: "%g", epsilon)). The norm keeps the direction of x and sets its scale; the gain g then scales each coordinate.",
            "rms(v) = √(mean(v²))；ε = \(String(format: "%g", epsilon))。归一化保留 x 的方向、重设它的尺度；之后增益 g 再逐维缩放。")
        return .group(OutputGroup([.table(table), .text(OutputText(note, .dim))]))
    }

    // MARK: SwiGLU

    /// For each hidden unit: the gate's pre-activation z = x W_gate, silu(z) through the engine's `silu`, the
    /// up-projection u = x W_up, and what passes, silu(z) · u.
    public static func swiGLUOutput(gate: [Float], up: [Float]?) throws -> Output {
        let up = up ?? [Float](repeating: 1, count: gate.count)
        guard up.count == gate.count else {
            throw InputError(description: Learner.text(
                "--up has \(up.count) numbers but --gate has \(gate.count). HINT: give one up value per gate value",
                "--up 有 \(up.count) 个数，--gate 却有 \(gate.count) 个。HINT：每个门值配一个 up 值"))
        }
        var s = [Float](repeating: 0, count: gate.count)
        silu(count: gate.count, x: gate, y: &s)
        let table = OutputTable(
            headers: [Learner.text("unit", "隐藏单元"), "z = x W_gate", "silu(z)", "u = x W_up", "silu(z)·u"],
            rows: gate.indices.map { i in
                ["\(i)", String(format: "%.2f", gate[i]), String(format: "%.4f", s[i]), String(format: "%.2f", up[i]),
                 String(format: "%.4f", s[i] * up[i])]
            },
            alignments: [.right, .right, .right, .right, .right])
        let note = Learner.text(
            "silu(z) = z·σ(z): near 0 for z ≪ 0 (the gate shuts the unit), near z for z ≫ 0 (it passes u scaled by z). The sum over units, times W_down, is the block's output.",
            "silu(z) = z·σ(z)：z ≪ 0 时接近 0（门关上，这个隐藏单元不输出），z ≫ 0 时接近 z（门打开，u 按 z 放大后通过）。各隐藏单元的结果再乘 W_down，就是整个块的输出。")
        return .group(OutputGroup([.table(table), .text(OutputText(note, .dim))]))
    }
}
