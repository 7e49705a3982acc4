// The checks of lessons 6 and 7: an Elman RNN step and Bahdanau attention (NeuralLMs' `elmanCell` and
// `BahdanauAttention`, the ones `lmlab rnn` and `lmlab seq2seq` train), scaled dot-product attention with a causal
// mask and splitting/merging heads (NeuralLMs' `attentionSteps` and `columns`, what lesson 7's cells print).
import Autograd
import Foundation
import LabCore
import NeuralLMs

enum SequenceSpecs {
    static func variable(_ m: [[Double]]) -> Variable {
        Variable.constant(Tensor(shape: [m.count, m.first?.count ?? 0], data: m.flatMap { $0.map(Float.init) }))
    }
    static func variable(_ v: [Double]) -> Variable { Variable.constant(Tensor(shape: [v.count], data: v.map(Float.init))) }
    static func rows(_ v: Variable) -> [[Float]] {
        let cols = v.shape.last ?? 0
        return stride(from: 0, to: v.value.data.count, by: max(cols, 1)).map { Array(v.value.data[$0..<($0 + cols)]) }
    }

    static let elman = ExerciseSpec("elman_step", tolerance: 1e-5, reference: "NeuralLMs' elmanCell", cases: { _ in
        CaseRandom.cases(seed: 83, count: 16) { r, k in
            let i = 2 + k % 4, hd = 2 + k % 5
            let x = r.vector(i), h = k == 0 ? [Double](repeating: 0, count: hd) : r.vector(hd, -1, 1)
            let wih = r.matrix(hd, i), whh = r.matrix(hd, hd), bih = r.vector(hd, -0.5, 0.5), bhh = r.vector(hd, -0.5, 0.5)
            let weights = RecurrentCellWeights(kind: .elman, weightIH: variable(wih), weightHH: variable(whh),
                                               biasIH: variable(bih), biasHH: variable(bhh))
            let out = elmanCell(variable([x]), variable([h]), weights)
            return ExerciseCase("elmanStep(x: \(show(x)), h: \(show(h)), wIH: \(show(wih)), wHH: \(show(whh)), bIH: \(show(bih)), bHH: \(show(bhh)))",
                                args: [.numbers(x), .numbers(h), .matrix(wih), .matrix(whh), .numbers(bih), .numbers(bhh)],
                                expected: .numbers(rows(out)[0]))
        }
    }, advising: { c, yours, _ in
        if let y = yours.numbers, y.contains(where: { abs($0) > 1 }) { return Learner.text("h′ goes through tanh, so every entry lies in (−1, 1)", "h′ 经过 tanh，所以每个元素都在 (−1, 1) 之内").hints(3) }
        if let slip = elmanSlip(c, yours) { return slip }
        return Learner.text("h′ = tanh(W_ih·x + b_ih + W_hh·h + b_hh); W[r] is row r: (W·x)[r] = Σ_c W[r][c]·x[c]", "h′ = tanh(W_ih·x + b_ih + W_hh·h + b_hh)；W[r] 是第 r 行：(W·x)[r] = Σ_c W[r][c]·x[c]").advice
    })

    /// An Elman step without tanh, without one of its two biases, or with the weights transposed.
    static func elmanSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        let a = c.args.compactMap(\.numbers), m = c.args.map { $0.rows ?? [] }
        guard c.args.count == 6, a.count == 4 else { return nil }
        let (x, h, wih, whh, bih, bhh) = (a[0], a[1], m[2], m[3], a[2], a[3])
        func step(_ wi: [[Double]], _ wh: [[Double]], bi: Bool = true, bh: Bool = true, activation: (Double) -> Double = tanh) -> [Double] {
            let u = Slips.matvec(wi, x), w = Slips.matvec(wh, h)
            return u.indices.map { activation(u[$0] + w[$0] + (bi ? bih[$0] : 0) + (bh ? bhh[$0] : 0)) }
        }
        func transposed(_ w: [[Double]]) -> [[Double]] { (w.first ?? []).indices.map { c in w.map { $0[c] } } }
        var variants: [([Double], ExerciseAdvice)] = [
            (step(wih, whh, activation: { $0 }), Learner.text("these are the pre-activations: apply tanh to each", "这是激活前的值：对每个元素取 tanh").hints(3)),
            (step(wih, whh, bh: false), Learner.text("b_hh is missing: the cell adds both biases, b_ih and b_hh", "少了 b_hh：这个单元两个偏置 b_ih 和 b_hh 都要加").hints(3)),
            (step(wih, whh, bi: false), Learner.text("b_ih is missing: the cell adds both biases, b_ih and b_hh", "少了 b_ih：这个单元两个偏置 b_ih 和 b_hh 都要加").hints(3)),
        ]
        if wih.count == x.count, whh.count == h.count {
            variants.append((step(transposed(wih), transposed(whh)), Learner.text("you multiplied by the transpose: W[r] is row r, (W·x)[r] = Σ_c W[r][c]·x[c]", "你乘的是转置：W[r] 是第 r 行，(W·x)[r] = Σ_c W[r][c]·x[c]").hints(1)))
        }
        return Slips.firstMatch(yours, variants)
    }

    static let bahdanau = ExerciseSpec("bahdanau", tolerance: 1e-5, reference: "NeuralLMs' BahdanauAttention", cases: { _ in
        CaseRandom.cases(seed: 89, count: 14) { r, k in
            let hq = 2 + k % 3, hk = 2 + k % 4, a = 2 + k % 3, s = 1 + k % 6
            let query = r.vector(hq, -1, 1), annotations = r.matrix(s, hk)
            let w = r.matrix(a, hq), b = r.vector(a, -0.5, 0.5), u = r.matrix(a, hk), v = r.vector(a)
            let attention = BahdanauAttention(queryWeight: variable(w), queryBias: variable(b), keyWeight: variable(u),
                                              energyWeight: variable([v]))
            let ann = Variable.constant(Tensor(shape: [1, s, hk], data: annotations.flatMap { $0.map(Float.init) }))
            let (context, weights) = attention(query: variable([query]), annotations: ann, keys: attention.projectKeys(ann))
            return ExerciseCase("bahdanau(query: \(show(query)), annotations: \(show(annotations)), w: \(show(w)), b: \(show(b)), u: \(show(u)), v: \(show(v)))",
                                args: [.numbers(query), .matrix(annotations), .matrix(w), .numbers(b), .matrix(u), .numbers(v)],
                                expected: .list([.numbers(rows(weights)[0]), .numbers(rows(context)[0])]))
        }
    }, advising: { c, yours, path in
        if path.first == 0, case .list(let parts) = yours, let weights = parts.first?.numbers, abs(weights.reduce(0, +) - 1) > 1e-4 {
            return Learner.text("your weights sum to \(show(weights.reduce(0, +))), not 1: they are softmax(e), the scores e_j turned into probabilities", "你的权重之和是 \(show(weights.reduce(0, +)))，不是 1：权重是 softmax(e)，把得分 e_j 变成概率").hints(3)
        }
        if path.first == 0, let slip = bahdanauSlip(c, yours) { return slip }
        return path.first == 0 ? Learner.text("e_j = v · tanh(W·s + b + U·h_j) for every source position j; the weights are softmax(e)", "对每个源位置 j，e_j = v · tanh(W·s + b + U·h_j)；权重是 softmax(e)").advice
            : Learner.text("the weights are right: the context is Σ_j α_j · h_j (the annotations h_j themselves, not U·h_j)", "权重是对的：上下文是 Σ_j α_j · h_j（用编码器状态 h_j 本身，不是 U·h_j）").hints(3)
    })

    /// Bahdanau weights without the bias b, or without the tanh: the scores e_j of those formulas, softmaxed.
    static func bahdanauSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 6, let s = c.args[0].numbers, let h = c.args[1].rows, let w = c.args[2].rows,
              let b = c.args[3].numbers, let u = c.args[4].rows, let v = c.args[5].numbers,
              case .list(let parts) = yours, let weights = parts.first else { return nil }
        let ws = Slips.matvec(w, s)
        func weightsOf(bias: Bool = true, activation: (Double) -> Double = tanh) -> [Double] {
            softmax(h.map { hj in
                let uh = Slips.matvec(u, hj)
                return Slips.dot(v, ws.indices.map { activation(ws[$0] + (bias ? b[$0] : 0) + uh[$0]) })
            })
        }
        return Slips.firstMatch(weights, [
            (weightsOf(bias: false), Learner.text("the bias b is missing: e_j = v · tanh(W·s + b + U·h_j)", "少了偏置 b：e_j = v · tanh(W·s + b + U·h_j)").hints(1)),
            (weightsOf(activation: { $0 }), Learner.text("the sum goes through tanh before v: e_j = v · tanh(W·s + b + U·h_j)", "先对和取 tanh 再点乘 v：e_j = v · tanh(W·s + b + U·h_j)").hints(2)),
        ])
    }

    static let causalAttention = ExerciseSpec("causal_attention", tolerance: 1e-5, reference: "NeuralLMs' attentionSteps (causal)",
                                              cases: { _ in
        CaseRandom.cases(seed: 97, count: 16) { r, k in
            let t = 1 + k % 5, dh = 2 + k % 4
            let q = r.matrix(t, dh, -2, 2), keys = r.matrix(t, dh, -2, 2), v = r.matrix(t, dh)
            let f = { (m: [[Double]]) in m.map { $0.map(Float.init) } }
            let trace = attentionSteps(queries: f(q), keys: f(keys), values: f(v), causal: true)
            return ExerciseCase("causalAttention(q: \(show(q)), k: \(show(keys)), v: \(show(v)))",
                                args: [.matrix(q), .matrix(keys), .matrix(v)], expected: .matrix(trace.output))
        }
    }, advising: { c, yours, path in
        if let slip = attentionScaleSlip(c, yours) { return slip }
        if path.first == 0 && path.count > 1 { return Learner.text("row 0 may look only at token 0: its output is exactly v[0] — is the mask applied before the softmax?", "第 0 行只能看词元 0：它的输出恰好是 v[0]——掩码是在 softmax 之前加的吗？").hints(2) }
        return Learner.text("scores = q·kᵀ / √Dh, then −∞ above the diagonal (token t sees tokens ≤ t), softmax per row, then × v", "得分 = q·kᵀ / √Dh，然后对角线以上置 −∞（词元 t 只看 ≤ t 的词元），逐行 softmax，再乘 v").advice
    })

    /// Causal attention with the scores not scaled, or divided by Dh where √Dh belongs: the lab's attention on
    /// queries multiplied by √Dh (or divided by it), which turns its q·k / √Dh into exactly those.
    static func attentionScaleSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        let m = c.args.map { v -> [[Float]] in
            guard case .list(let rows) = v else { return [] }
            return rows.compactMap { $0.numbers?.map(Float.init) }
        }
        guard m.count == 3, let dh = m[0].first?.count, dh > 0, m[1].count == m[0].count, m[2].count == m[0].count,
              case .list(let rows) = yours, rows.count == m[0].count else { return nil }
        func attention(queriesTimes factor: Float) -> [Double] {
            attentionSteps(queries: m[0].map { $0.map { $0 * factor } }, keys: m[1], values: m[2], causal: true).output
                .flatMap { $0.map(Double.init) }
        }
        let flat = ExerciseValue.numbers(rows.compactMap(\.numbers).flatMap { $0 })
        let root = Float(dh).squareRoot()
        return Slips.firstMatch(flat, [
            (attention(queriesTimes: root), Learner.text("the scores are not scaled: divide q·k by √Dh = \(show(Double(root)))", "得分没有缩放：q·k 要除以 √Dh = \(show(Double(root)))").hints(1)),
            (attention(queriesTimes: 1 / root), Learner.text("divide q·k by √Dh = \(show(Double(root))), not by Dh = \(dh)", "q·k 要除以 √Dh = \(show(Double(root)))，不是 Dh = \(dh)").hints(1)),
        ])
    }

    static let splitHeads = ExerciseSpec("split_heads", reference: "NeuralLMs' columns (how multiHeadAttentionSteps cuts heads)",
                                         cases: { _ in
        CaseRandom.cases(seed: 101, count: 14) { r, k in
            let heads = [1, 2, 3, 4][k % 4], dh = 1 + k % 3, t = 1 + k % 4
            let x = r.matrix(t, heads * dh).map { $0.map { ($0 * 100).rounded() / 100 } }
            let split = (0..<heads).map { h in columns(x.map { $0.map(Float.init) }, (h * dh)..<((h + 1) * dh)) }
            let splitValue = ExerciseValue.list(split.map(ExerciseValue.matrix))
            let call = "splitHeads(\(show(x)), heads: \(heads))"
            return ExerciseCase(call + Learner.text(" and mergeHeads(<the lab's split>)", " 和 mergeHeads(<实验室拆出的各头>)"),
                                args: [.matrix(x), .int(heads), splitValue], expected: .list([splitValue, .matrix(x)]))
        }
    }, advising: { c, yours, path in
        splitHeadsSlip(c, yours, path) ?? (path.first == 0
            ? Learner.text("head h takes columns h·Dh ..< (h+1)·Dh of every row (Dh = width / heads): result[h][t] = x[t][h·Dh ..< (h+1)·Dh]", "第 h 个头取每一行的第 h·Dh ..< (h+1)·Dh 列（Dh = 宽度 / 头数）：result[h][t] = x[t][h·Dh ..< (h+1)·Dh]").advice
            : Learner.text("merging puts the heads side by side again: row t is heads[0][t] followed by heads[1][t], … (width heads · Dh)",
                           "合并是把各头重新并排：第 t 行是 heads[0][t]，后面接 heads[1][t]，……（宽度 heads · Dh）").hints(3))
    })

    /// A split that deals the columns out in turn (head h takes columns h, h + heads, …), or a merge that adds the
    /// heads or stacks their rows one under another.
    static func splitHeadsSlip(_ c: ExerciseCase, _ yours: ExerciseValue, _ path: [Int]) -> ExerciseAdvice? {
        guard c.args.count == 3, let x = c.args[0].rows, case .number(let h) = c.args[1], Int(h) > 0,
              case .list(let parts) = yours, parts.count == 2, let width = x.first?.count else { return nil }
        let heads = Int(h), dh = width / heads
        func value(_ m: [[Double]]) -> ExerciseValue { .matrix(m) }
        if path.first == 0 {
            let dealt = ExerciseValue.list((0..<heads).map { h in
                value(x.map { row in (0..<dh).map { row[h + $0 * heads] } })
            })
            guard parts[0].firstDifference(from: dealt, tolerance: 1e-9) == nil else { return nil }
            return Learner.text("you dealt the columns out in turn (head h took h, h + heads, …): head h is the block of Dh = \(dh) neighbouring columns h·Dh ..< (h+1)·Dh",
                                "你把列轮流分给各头（头 h 取 h、h + heads、……）：头 h 是相邻的 Dh = \(dh) 列 h·Dh ..< (h+1)·Dh 这一块").hints(2)
        }
        guard case .list(let split) = c.args[2] else { return nil }
        let perHead = split.compactMap(\.rows)
        let added = x.indices.map { t in (0..<dh).map { j in perHead.reduce(0) { $0 + $1[t][j] } } }
        if heads > 1, parts[1].firstDifference(from: value(added), tolerance: 1e-9) == nil {
            return Learner.text("you added the heads: merging puts them side by side again, row t is heads[0][t] followed by heads[1][t], … (width heads · Dh)",
                                "你把各头相加了：合并是把它们重新并排，第 t 行是 heads[0][t]，后面接 heads[1][t]，……（宽度 heads · Dh）").hints(3)
        }
        if heads > 1, parts[1].firstDifference(from: value(perHead.flatMap { $0 }), tolerance: 1e-9) == nil {
            return Learner.text("you stacked the heads' rows one under another (\(x.count * heads) rows): row t joins heads[0][t], heads[1][t], … side by side",
                                "你把各头的行上下叠在了一起（\(x.count * heads) 行）：第 t 行是把 heads[0][t]、heads[1][t]、……左右拼接").hints(3)
        }
        return nil
    }

    static let all = [elman, bahdanau, causalAttention, splitHeads]
}
