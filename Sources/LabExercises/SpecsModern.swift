// The checks of lessons 8 and 9: the pieces of ERNIE 4.5 (RMSNorm, interleaved RoPE, SwiGLU, GQA's head mapping,
// int8 row quantisation) and of post-training (DPO's reward and loss, the chat template). Expected values are the
// lab's kernels (LabCore's `rmsNormNaive`, `ropeInterleavedNaive`, `silu`; ERNIE's `quantizeRowInt8Naive`),
// NeuralLMs' `multiHeadAttentionSteps`, Decoding's `ImplicitReward` and Tokenizers' `ErnieChatTemplate`.
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore
import NeuralLMs
import Tokenizers

enum ModernSpecs {
    static let rmsNormSpec = ExerciseSpec("rms_norm", tolerance: 1e-5, reference: "LabCore's rmsNormNaive (ERNIE's RMSNorm)", cases: { _ in
        var r = CaseRandom(seed: 103)
        var cases: [ExerciseCase] = []
        var inputs: [([Double], [Double], Double)] = [([3, 4], [1, 1], 0), ([0, 0, 0], [1, 2, 3], 1e-5), ([1, -1, 1, -1], [0.5, 0.5, 2, 2], 1e-6)]
        inputs += (0..<16).map { k in (r.vector(2 + k % 14, -4, 4), r.vector(2 + k % 14, 0.2, 2), [1e-5, 1e-6, 0.1][k % 3]) }
        for (x, g, eps) in inputs {
            var y = [Float](repeating: 0, count: x.count)
            let xf = x.map(Float.init), gf = g.map(Float.init)
            rmsNormNaive(rows: 1, cols: x.count, x: xf, gain: gf, epsilon: Float(eps), y: &y)
            cases.append(ExerciseCase("rmsNorm(\(show(x)), gain: \(show(g)), epsilon: \(eps))",
                                      args: [.numbers(x), .numbers(g), .number(eps)], expected: .numbers(y),
                                      hints: x.allSatisfy { $0 == 0 } || eps >= 0.1 ? [2] : nil))   // 0/0; ε that shows
        }
        return cases
    }, advising: { c, yours, _ in
        if let slip = rmsNormSlip(c, yours) { return slip }
        if yours.numbers?.contains(where: { $0.isNaN }) == true { return Learner.text("a row of zeros has mean(x²) = 0: ε inside the square root keeps it finite", "全零的行 mean(x²) = 0：平方根里的 ε 让结果保持有限").hints(2) }
        return Learner.text("y = x / √(mean(x²) + ε) ⊙ gain — the MEAN of the squares (÷ n), no mean subtraction, ε inside the root", "y = x / √(mean(x²) + ε) ⊙ gain——平方的“平均”（÷ n），不减均值，ε 在根号里").advice
    })

    static let rope = ExerciseSpec("rope", tolerance: 1e-4, reference: "LabCore's ropeInterleavedNaive (ERNIE's RoPE)", cases: { _ in
        var r = CaseRandom(seed: 107)
        var cases: [ExerciseCase] = []
        var inputs: [([Double], Int, Double)] = [([1, 0], 0, 10000), ([1, 0], 1, 10000), ([1, 2, 3, 4], 3, 10000)]
        inputs += (0..<16).map { k in (r.vector(2 * (1 + k % 6)), r.int(0...100), [10000, 500_000][k % 2]) }
        for (v, position, theta) in inputs {
            var x = v.map(Float.init)
            ropeInterleavedNaive(&x, tokens: 1, heads: 1, headDim: v.count, startPosition: position, theta: Float(theta))
            cases.append(ExerciseCase("rope(\(show(v)), position: \(position), theta: \(Int(theta)))",
                                      args: [.numbers(v), .int(position), .number(theta)], expected: .numbers(x)))
        }
        return cases
    }, advising: { c, yours, _ in
        guard let y = yours.numbers, let x = c.args[0].numbers else { return nil }
        if let slip = ropeSlip(c, yours) { return slip }
        if y == x { return Learner.text("at position > 0 the pairs must turn: angle = position · θ^(−2i/Dh) for pair i", "位置 > 0 时每一对都要旋转：第 i 对的角度 = position · θ^(−2i/Dh)").advice }
        return Learner.text("ERNIE pairs ADJACENT entries (2i, 2i+1): out[2i] = x[2i]·cos − x[2i+1]·sin, out[2i+1] = x[2i+1]·cos + x[2i]·sin, angle = position · θ^(−2i/Dh)", "ERNIE 把“相邻”元素配对 (2i, 2i+1)：out[2i] = x[2i]·cos − x[2i+1]·sin，out[2i+1] = x[2i+1]·cos + x[2i]·sin，角度 = position · θ^(−2i/Dh)").advice
    })

    /// RMSNorm with the sum of squares where their mean belongs, the variance (mean subtracted), ε outside the root,
    /// or no gain.
    static func rmsNormSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 3, let x = c.args[0].numbers, let g = c.args[1].numbers, case .number(let eps) = c.args[2],
              !x.isEmpty, x.count == g.count else { return nil }
        let n = Double(x.count), sumSquares = x.reduce(0) { $0 + $1 * $1 }, mean = x.reduce(0, +) / n
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        func scaled(_ divisor: Double, gain: Bool = true, centre: Double = 0) -> [Double] {
            x.indices.map { ((x[$0] - centre) / divisor) * (gain ? g[$0] : 1) }
        }
        let rms = (sumSquares / n + eps).squareRoot()
        return Slips.firstMatch(yours, [
            (scaled((sumSquares + eps).squareRoot()), Learner.text("divide the sum of squares by n = \(x.count): RMS is the square root of the MEAN of x²", "平方和要除以 n = \(x.count)：RMS 是 x² 的“平均”的平方根").hints(1)),
            (scaled((variance + eps).squareRoot()), Learner.text("that is the variance (the mean subtracted): RMSNorm takes mean(x²) and subtracts no mean", "这是方差（减了均值）：RMSNorm 用 mean(x²)，不减均值").hints(1)),
            (scaled((variance + eps).squareRoot(), centre: mean), Learner.text("that is LayerNorm: RMSNorm subtracts no mean and divides by √(mean(x²) + ε)", "这是 LayerNorm：RMSNorm 不减均值，除以 √(mean(x²) + ε)").hints(1)),
            (scaled((sumSquares / n).squareRoot() + eps), Learner.text("ε goes inside the square root: √(mean(x²) + ε), not √mean(x²) + ε", "ε 在根号里面：√(mean(x²) + ε)，不是 √mean(x²) + ε").hints(2)),
            (scaled(rms, gain: false), Learner.text("multiply each entry by its gain", "每个元素还要乘以它的 gain").hints(3)),
        ])
    }

    /// RoPE with the angle's exponent i/Dh where 2i/Dh belongs, or the sine's signs swapped.
    static func ropeSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 3, let x = c.args[0].numbers, case .number(let position) = c.args[1], case .number(let theta) = c.args[2] else { return nil }
        func rotated(exponent: (Int) -> Double = { Double(2 * $0) }, first: Double = 1, second: Double = 1) -> [Double] {
            var out = x
            for i in 0..<(x.count / 2) {
                let angle = position * pow(theta, -exponent(i) / Double(x.count))
                out[2 * i] = x[2 * i] * cos(angle) - first * x[2 * i + 1] * sin(angle)
                out[2 * i + 1] = x[2 * i + 1] * cos(angle) + second * x[2 * i] * sin(angle)
            }
            return out
        }
        let signs = Learner.text("a sine's sign is wrong: out[2i] = x[2i]·cos − x[2i+1]·sin, out[2i+1] = x[2i+1]·cos + x[2i]·sin", "sin 项的符号错了：out[2i] = x[2i]·cos − x[2i+1]·sin，out[2i+1] = x[2i+1]·cos + x[2i]·sin").hints(3)
        // Llama's rotate_half: pair i is (i, i + Dh/2), with the same angle.
        var halves = x
        let half = x.count / 2
        for i in 0..<half {
            let angle = position * pow(theta, -Double(2 * i) / Double(x.count))
            halves[i] = x[i] * cos(angle) - x[i + half] * sin(angle)
            halves[i + half] = x[i + half] * cos(angle) + x[i] * sin(angle)
        }
        return Slips.firstMatch(yours, [
            (rotated(exponent: { Double($0) }), Learner.text("pair i turns by position · θ^(−2i/Dh): the exponent has 2i, not i", "第 i 对转过 position · θ^(−2i/Dh)：指数里是 2i，不是 i").hints(1)),
            (rotated(first: -1), signs), (rotated(second: -1), signs), (rotated(first: -1, second: -1), signs),
            (halves, Learner.text("you paired the halves (i, i + Dh/2) as Llama's rotate_half does: ERNIE pairs ADJACENT entries (2i, 2i+1)",
                                  "你像 Llama 的 rotate_half 那样把前后两半 (i, i + Dh/2) 配对：ERNIE 配对的是“相邻”元素 (2i, 2i+1)").hints(2)),
        ])
    }

    static let swiglu = ExerciseSpec("swiglu", tolerance: 1e-5, reference: "LabCore's silu with NeuralLMs' project (ERNIE's SwiGLU)", cases: { _ in
        CaseRandom.cases(seed: 109, count: 14) { r, k in
            let d = 2 + k % 4, f = 3 + k % 5
            let x = r.vector(d), wg = r.matrix(f, d), wu = r.matrix(f, d), wd = r.matrix(d, f)
            let fl = { (m: [[Double]]) in m.map { $0.map(Float.init) } }
            let gate = project([x.map(Float.init)], fl(wg))[0], up = project([x.map(Float.init)], fl(wu))[0]
            var activated = [Float](repeating: 0, count: f)
            silu(count: f, x: gate, y: &activated)
            let hidden = zip(activated, up).map { $0 * $1 }
            return ExerciseCase("swiglu(\(show(x)), wGate: \(show(wg)), wUp: \(show(wu)), wDown: \(show(wd)))",
                                args: [.numbers(x), .matrix(wg), .matrix(wu), .matrix(wd)],
                                expected: .numbers(project([hidden], fl(wd))[0]))
        }
    }, advising: { c, yours, _ in
        swigluSlip(c, yours) ?? Learner.text("out = W_down · (silu(W_gate·x) ⊙ W_up·x), silu(z) = z / (1 + e^(−z)) — the gate goes through silu, the up projection does not", "out = W_down · (silu(W_gate·x) ⊙ W_up·x)，silu(z) = z / (1 + e^(−z))——gate 经过 silu，up 投影不经过").advice
    })

    /// SwiGLU with the sigmoid where silu belongs, silu on the other projection (or on both, or on none), or the
    /// hidden vector returned without W_down.
    static func swigluSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 4, let x = c.args[0].numbers, let wg = c.args[1].rows, let wu = c.args[2].rows,
              let wd = c.args[3].rows else { return nil }
        let g = Slips.matvec(wg, x), u = Slips.matvec(wu, x)
        let sigmoid = { (z: Double) in 1 / (1 + exp(-z)) }, silu = { (z: Double) in z * sigmoid(z) }
        func out(_ gate: (Double) -> Double, _ up: (Double) -> Double) -> [Double] {
            Slips.matvec(wd, g.indices.map { gate(g[$0]) * up(u[$0]) })
        }
        return Slips.firstMatch(yours, [
            (out(sigmoid, { $0 }), Learner.text("that gate is the sigmoid σ(z); silu is z·σ(z) — multiply by z as well", "这个门是 sigmoid σ(z)；silu 是 z·σ(z)——还要乘上 z").hints(2)),
            (out({ $0 }, silu), Learner.text("silu goes on the gate W_gate·x, not on the up projection W_up·x", "silu 作用在 gate 的 W_gate·x 上，不是 up 投影 W_up·x 上").hints(2)),
            (out(silu, silu), Learner.text("only the gate goes through silu; W_up·x multiplies it as it is", "只有 gate 经过 silu；W_up·x 原样与它相乘").hints(2)),
            (out({ $0 }, { $0 }), Learner.text("the gate goes through silu before the product: silu(W_gate·x) ⊙ W_up·x", "gate 先经过 silu 再相乘：silu(W_gate·x) ⊙ W_up·x").hints(2)),
            (g.indices.map { silu(g[$0]) * u[$0] }, Learner.text("that is the hidden vector h: the output is W_down · h", "这是隐向量 h：输出是 W_down · h").hints(3)),
        ])
    }

    static let gqaHeads = ExerciseSpec("gqa_heads", reference: "NeuralLMs' multiHeadAttentionSteps (keyValueHeadOfQueryHead)", cases: { _ in
        var cases: [ExerciseCase] = []
        for (h, hkv) in [(1, 1), (4, 4), (4, 1), (4, 2), (8, 2), (16, 2), (6, 3), (12, 4), (16, 8), (32, 8)] {
            let zeros = { (rows: Int, cols: Int) in Matrix(repeating: [Float](repeating: 0, count: cols), count: rows) }
            let trace = multiHeadAttentionSteps(zeros(1, h), wq: zeros(h, h), wk: zeros(hkv, h), wv: zeros(hkv, h), wo: zeros(h, h),
                                                heads: h, keyValueHeads: hkv, causal: true)
            cases.append(ExerciseCase("keyValueHeads(queryHeads: \(h), keyValueHeads: \(hkv))",
                                      args: [.int(h), .int(hkv)], expected: .ints(trace.keyValueHeadOfQueryHead)))
        }
        return cases
    }, advising: { c, yours, _ in
        gqaSlip(c, yours) ?? Learner.text("consecutive query heads share a K/V head: H / Hkv of them per group, so query head h reads K/V head h / (H / Hkv)", "相邻的查询头共用一个 K/V 头：每组 H / Hkv 个，所以查询头 h 读取 K/V 头 h / (H / Hkv)").advice
    })

    /// A head mapping that deals the query heads out in turn (h % Hkv) or divides by the number of K/V heads where
    /// the group size belongs (h / Hkv).
    static func gqaSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 2, case .number(let hValue) = c.args[0], case .number(let kvValue) = c.args[1],
              kvValue > 0,
              let y = yours.numbers?.map({ Int($0) }) else { return nil }
        let (heads, kv) = (Int(hValue), Int(kvValue)), group = max(heads / kv, 1)
        let rule = Learner.text("query head h reads K/V head h / (H / Hkv) = h / \(group) here", "查询头 h 读取 K/V 头 h / (H / Hkv)，这里是 h / \(group)")
        if y == (0..<heads).map({ $0 % kv }) {
            return Learner.text("h % Hkv deals the query heads out in turn; consecutive heads share a K/V head (H / Hkv = \(group) per group): \(rule)",
                                "h % Hkv 是把查询头轮流分配；应当是相邻的头共用一个 K/V 头（每组 H / Hkv = \(group) 个）：\(rule)").advice   // the starter
        }
        if y == (0..<heads).map({ $0 / kv }) {
            return Learner.text("you divided by Hkv = \(kv); the group size is H / Hkv = \(group): \(rule)",
                                "你除以的是 Hkv = \(kv)；组的大小是 H / Hkv = \(group)：\(rule)").hints(2, 3)
        }
        return nil
    }

    static let int8Rows = ExerciseSpec("int8_rows", reference: "ERNIE's quantizeRowInt8Naive", cases: { _ in
        var r = CaseRandom(seed: 113)
        var cases: [ExerciseCase] = []
        // No w/scale at exactly k + ½; the row of zeros after rows that show the basic rule.
        var rows: [[Float]] = [[1, -0.3, 0.25], [-2, 0.7, 0.1], [127, 64, -3], [0, 0, 0]]
        rows += (0..<16).map { k in r.vector(4 + k % 20, -3, 3).map { Float($0) } }
        for w in rows {
            var q = [Int8](repeating: 0, count: w.count)
            let scale = quantizeRowInt8Naive(w, count: w.count, into: &q) ?? .nan
            cases.append(ExerciseCase("quantizeRow(\(ExerciseValue.numbers(w)))", args: [.numbers(w)],
                                      expected: .list([.number(Double(scale)), .ints(q.map(Int.init))]),
                                      hints: w.allSatisfy { $0 == 0 } ? [3] : nil))
        }
        return cases
    }, advising: { c, yours, path in
        if let w = c.args.first?.numbers, w.allSatisfy({ $0 == 0 }) {
            return Learner.text("a row of zeros has max|w| = 0 and w / 0 is nan: give it scale 0 and every q 0",
                                "全零的行 max|w| = 0，而 w / 0 是 nan：给它 scale 0，q 全为 0").hints(3)
        }
        if path.first == 0 { return Learner.text("the scale is max|w| / 127 (0 for a row of zeros)", "缩放因子是 max|w| / 127（全零的行为 0）").advice }
        // Truncated where rounded belongs; w / scale nudged up a hair, so that 126.99… (1 / (1/127)) reads as 127.
        if let w = c.args.first?.numbers, case .list(let parts) = yours, parts.count == 2,
           case .number(let scale) = parts[0], scale > 0,
           Slips.matches(parts[1], w.map { ($0 / scale * (1 + 1e-9)).rounded(.towardZero) }, tolerance: 0) {
            return Learner.text("Int(x) cuts towards zero: round w / scale to the nearest integer first (ties to even)",
                                "Int(x) 会向零截断：先把 w / scale 取到最近的整数（恰在中间时取偶数）").hints(2)
        }
        return Learner.text("q = w / scale rounded to the nearest integer (ties to even), kept within −127…127", "q = w / scale 取最近的整数（恰在中间时取偶数），限制在 −127…127").hints(2)
    })

    static let dpoLoss = ExerciseSpec("dpo_loss", tolerance: 1e-9, reference: "Decoding's ImplicitReward (what `lmlab dpo-reward` uses)", cases: { _ in
        var r = CaseRandom(seed: 127)
        var cases: [ExerciseCase] = []
        var inputs: [[Double]] = [[-10, -10, -10, -10, 0.1], [-5, -8, -9, -7, 0.1], [-20, -30, -25, -10, 0.5], [-900, -1, -1, -900, 1]]
        inputs += (0..<16).map { k in [r.uniform(-60, -1), r.uniform(-60, -1), r.uniform(-60, -1), r.uniform(-60, -1), [0.1, 0.2, 0.5][k % 3]] }
        for a in inputs {
            let rw = ImplicitReward.reward(beta: a[4], policyLogProb: a[0], referenceLogProb: a[1])
            let rl = ImplicitReward.reward(beta: a[4], policyLogProb: a[2], referenceLogProb: a[3])
            cases.append(ExerciseCase("dpo(policyChosen: \(show(a[0])), referenceChosen: \(show(a[1])), policyRejected: \(show(a[2])), referenceRejected: \(show(a[3])), beta: \(a[4]))",
                                      args: a.map(ExerciseValue.number),
                                      expected: .numbers([rw, rl, ImplicitReward.loss(chosen: rw, rejected: rl)]),
                                      hints: rw - rl < -700 ? [3] : nil))   // e^(−margin) overflows
        }
        return cases
    }, advising: { _, yours, path in
        if yours.numbers?.contains(where: { $0.isInfinite || $0.isNaN }) == true {
            return Learner.text("σ(Δ) is 0 in Double once Δ is below about −710 (e^(−Δ) overflows), so −log σ overflows: write −log σ(Δ) as log(1 + e^(−Δ)) and, for Δ < 0, as −Δ + log(1 + e^Δ)", "Δ 低于约 −710 时，σ(Δ) 在 Double 里就是 0（e^(−Δ) 溢出），−log σ 也随之溢出：把 −log σ(Δ) 写成 log(1 + e^(−Δ))，Δ < 0 时写成 −Δ + log(1 + e^Δ)").hints(3)
        }
        let loss = Learner.text("the loss is −log σ(r_chosen − r_rejected)", "损失是 −log σ(r_chosen − r_rejected)")
        if path.first == 2, let y = yours.numbers, y.count == 3, Slips.close(y[2], log(1 + exp(y[0] - y[1])), 1e-6) {
            return (Learner.text("you took the margin the other way round: ", "你把差值的方向弄反了：") + loss).hints(2)
        }
        return path.first == 2 ? loss.advice : Learner.text("a reward is β · (log π − log π_ref) of the same answer", "奖励是同一个回答的 β · (log π − log π_ref)").hints(1)
    })

    static let chatTemplate = ExerciseSpec("chat_template", reference: "Tokenizers' ErnieChatTemplate (ERNIE-4.5's template)", cases: { _ in
        let template = try ErnieChatTemplate(template: nil, clsToken: nil, sepToken: nil)
        let chats: [([(String, String)], Bool)] = [
            ([("user", "Hi")], true),
            ([("user", "Hi")], false),
            ([("system", "Be brief."), ("user", "What is 2+2?")], true),
            ([("user", "Capital of France?"), ("assistant", "Paris."), ("user", "And of Italy?")], true),
            ([("system", "你是助手。"), ("user", "你好"), ("assistant", "你好！"), ("user", "再见")], true),
            ([("user", "Two\nlines")], true),
            ([], true),
        ]
        return try chats.map { messages, add in
            let rendered = template.render(try messages.map { role, text in
                guard let r = ChatRole(rawValue: role) else { throw ExerciseError("chat_template: unknown role \(role)") }
                return ChatMessage(r, text)
            }, addGenerationPrompt: add)
            let list = ExerciseValue.list(messages.map { .list([.text($0.0), .text($0.1)]) })
            // The slip each chat catches: the opening marker of an empty chat, a turn's ending, the reply prompt.
            let hints = messages.isEmpty ? [1] : !add ? [3] : messages.count > 1 ? [2] : nil
            return ExerciseCase("renderChat(\(list), addGenerationPrompt: \(add))", args: [list, .int(add ? 1 : 0)],
                                expected: .text(rendered), hints: hints)
        }
    }, advising: { c, yours, _ in
        chatTemplateSlip(c, yours) ?? Learner.text("<|begin_of_sentence|> once at the start; user turns are \"User: …\\n\", system turns \"…\\n\", assistant turns \"Assistant: …<|end_of_sentence|>\"; then \"Assistant: \" when a reply is asked for", "开头一次 <|begin_of_sentence|>；用户消息是 \"User: …\\n\"，系统消息是 \"…\\n\"，助手消息是 \"Assistant: …<|end_of_sentence|>\"；要求回答时再加 \"Assistant: \"").advice
    })

    /// The template's part at the first differing character: the opening marker, an assistant turn's end marker (and
    /// no newline after it), a system turn's prefix, or the generation prompt asked for or not, with its space.
    static func chatTemplateSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard case .text(let e) = c.expected, case .text(let y) = yours, c.args.count > 1, case .number(let add) = c.args[1] else { return nil }
        let common = zip(e, y).prefix { $0 == $1 }.count
        let (want, got) = (e.dropFirst(common), y.dropFirst(common))
        let (begin, end, reply) = ("<|begin_of_sentence|>", "<|end_of_sentence|>", "Assistant: ")
        if want.hasPrefix(begin) { return Learner.text("the text should start with \(begin)", "文本应以 \(begin) 开头").advice }   // the starter
        if got.hasPrefix(begin) { return Learner.text("\(begin) comes once, at the very start", "\(begin) 只出现一次，在最开头").hints(1) }
        if want.hasPrefix(end) { return Learner.text("an assistant turn ends with \(end) right after its text (no newline)", "助手消息的文字后面紧接 \(end)（没有换行）").hints(2) }
        if e.prefix(common).hasSuffix(end), got.hasPrefix("\n") {
            return Learner.text("no newline after \(end): the next turn follows it at once", "\(end) 后面没有换行：下一条消息紧接着它").hints(2)
        }
        if got.hasPrefix("System: ") || got.hasPrefix("system: ") {
            return Learner.text("a system turn is its text alone, then a newline — no \"System: \" before it", "系统消息就是它的文字本身，再加换行——前面没有 \"System: \"").hints(2)
        }
        if want.isEmpty, add == 0, got.hasPrefix(reply) {
            return Learner.text("addGenerationPrompt is false: end after the last message, without \"\(reply)\"", "addGenerationPrompt 为 false：最后一条消息之后就结束，不加 \"\(reply)\"").hints(3)
        }
        if want == " ", got.isEmpty, e.hasSuffix(reply) {
            return Learner.text("the reply prompt is \"\(reply)\" with a space after the colon", "生成提示词是 \"\(reply)\"，冒号后面有一个空格").hints(3)
        }
        if want == Substring(reply), add != 0 {
            return Learner.text("addGenerationPrompt is true: end with \"\(reply)\" so the model writes the reply", "addGenerationPrompt 为 true：以 \"\(reply)\" 结尾，让模型接着写回答").hints(3)
        }
        return nil
    }

    static let all = [rmsNormSpec, rope, swiglu, gqaHeads, int8Rows, dpoLoss, chatTemplate]
}

/// Every exercise whose check is a list of cases, by name.
public enum ExerciseSpecs {
    public static let all: [String: ExerciseSpec] = Dictionary(uniqueKeysWithValues:
        (ProbabilitySpecs.all + DecodingSpecs.all + NGramSpecs.all + EmbeddingSpecs.all + SequenceSpecs.all + ModernSpecs.all)
            .map { ($0.name, $0) })
}
