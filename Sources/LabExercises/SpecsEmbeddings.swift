// The checks of lesson 5: nearest neighbours by cosine, 3CosAdd analogies, and one skip-gram negative-sampling
// update. Expected values are ClassicLMs' own: `Word2VecEmbeddings.nearest` / `.analogy` (what `lmlab embed
// neighbors|analogy` print) and `negativeSamplingStepNaive` (the twin the fast training kernel is tested against).
import ClassicLMs
import Foundation
import LabCore

enum EmbeddingSpecs {
    static func table(_ vectors: [[Double]]) -> Word2VecEmbeddings {
        Word2VecEmbeddings(words: vectors.indices.map { "w\($0)" }, vectors: vectors.map { $0.map(Float.init) })
    }

    static let neighbours = ExerciseSpec("cosine_neighbours", reference: "ClassicLMs' Word2VecEmbeddings.nearest", cases: { _ in
        var r = CaseRandom(seed: 61)
        var cases: [ExerciseCase] = []
        // Fixed: a vector and its double are the same direction (cosine 1) although far apart; a short vector beside a
        // long one at 45° (the dot product ranks the long one first: hint 2); tied cosines (lower id first: hint 3).
        let fixed: [([Double], [[Double]], Int, [Int]?)] = [([1, 0], [[0, 1], [2, 0], [1, 1], [-1, 0]], 2, nil),
                                                            ([1, 0], [[0.5, 0], [3, 3], [0, 1]], 2, [2]),
                                                            ([1, 1], [[10, 10], [1, 0], [0, 1], [-1, -1]], 4, [3])]
        let random = (0..<16).map { k in
            (r.vector(3 + k % 6), r.matrix(6 + k % 10, 3 + k % 6), 1 + k % 4, nil as [Int]?)
        }
        for (q, vectors, k, hints) in fixed + random {
            let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let ids = table(vectors).nearest(to: q.map { Float($0 / norm) }, k: k).map { Int($0.word.dropFirst())! }
            cases.append(ExerciseCase("nearest(to: \(show(q)), in: \(show(vectors)), k: \(k))",
                                      args: [.numbers(q), .matrix(vectors), .int(k)], expected: .ints(ids),
                                      hints: hints))
        }
        return cases
    }, advising: { c, yours, _ in
        neighboursSlip(c, yours) ?? Learner.text("rank by cosine = (q·v) / (|q| |v|), largest first — the dot product alone favours long vectors", "按余弦 = (q·v) / (|q| |v|) 从大到小排序——只用点积会偏向长向量").advice
    })

    /// A neighbour list of the wrong length, the least similar first, ranked by the plain dot product, or with tied
    /// cosines in the wrong order.
    static func neighboursSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 3, let q = c.args[0].numbers, let vectors = c.args[1].rows, case .number(let kValue) = c.args[2],
              let y = yours.numbers?.map({ Int($0) }) else { return nil }
        let k = Int(kValue)
        if y.count != min(k, vectors.count) {
            return Learner.text("return exactly k = \(k) ids, the nearest first; you returned \(y.count)", "正好返回 k = \(k) 个 id，最近的在前；你返回了 \(y.count) 个").hints(3)
        }
        if y == Array(0..<k) {                  // the starter's answer: the first k ids, not ranked at all
            return Learner.text("these are the first k ids in order, not the nearest: give every vector its cosine with q, "
                                    + "then take the k largest", "这是按顺序的前 k 个 id，不是最近的：先给每个向量算它与 q 的余弦，再取最大的 k 个").advice
        }
        func ranked(_ score: ([Double]) -> Double, largestFirst: Bool) -> [Int] {
            let s = vectors.map(score)
            return Array(vectors.indices.sorted { s[$0] != s[$1] ? (s[$0] > s[$1]) == largestFirst : $0 < $1 }.prefix(k))
        }
        let cosine = { (v: [Double]) in Slips.dot(q, v) / (Slips.dot(q, q) * Slips.dot(v, v)).squareRoot() }
        if y == ranked(cosine, largestFirst: false) {
            return Learner.text("these are the k LEAST similar: sort by cosine from the largest down", "这是最“不”相似的 k 个：按余弦从大到小排序").hints(3)
        }
        if y == ranked({ Slips.dot(q, $0) }, largestFirst: true) {
            return Learner.text("this is the ranking by q·v alone, which favours long vectors: divide by |q| |v| (the cosine)", "这是只按 q·v 的排序，它偏向长向量：要除以 |q| |v|（即余弦）").hints(2)
        }
        let s = vectors.map(cosine)
        if Set(y).count == y.count, y.allSatisfy(vectors.indices.contains),
           y.map({ s[$0] }) == ranked(cosine, largestFirst: true).map({ s[$0] }) {
            return Learner.text("right cosines, but tied ones in the wrong order: on a tie the lower id comes first", "余弦都对，但相等的几个顺序错了：余弦相等时编号小的在前").hints(3)
        }
        return nil
    }

    static let analogy = ExerciseSpec("analogy", reference: "ClassicLMs' Word2VecEmbeddings.analogy (3CosAdd)", cases: { _ in
        try CaseRandom.cases(seed: 67, count: 20) { r, k in
            let n = 6 + k % 10, d = 3 + k % 5
            var vectors = r.matrix(n, d)
            if k % 4 == 0 { vectors[2] = zip(vectors[1], zip(vectors[0], vectors[3])).map { $0 - $1.0 + $1.1 } }   // an exact answer
            let (a, b, c) = (0, 1, 3)
            let best = try table(vectors).analogy("w\(a)", "w\(b)", "w\(c)", k: 1)[0].word
            return ExerciseCase("analogy(a: \(a), b: \(b), c: \(c), vectors: \(show(vectors)))",
                                args: [.int(a), .int(b), .int(c), .matrix(vectors)], expected: .int(Int(best.dropFirst())!))
        }
    }, advising: { c, yours, _ in
        if case .number(let y) = yours, [0, 1, 3].contains(Int(y)) {
            // The starter returns c: that answer names no hint (the learner has not started).
            return ExerciseAdvice(Learner.text("a, b and c themselves are never the answer: leave them out", "a、b、c 本身永远不是答案：把它们排除"),
                                  hints: Int(y) == 3 ? nil : [2])
        }
        if case .number(let y) = yours, c.args.count == 4, case .number(let a) = c.args[0], case .number(let b) = c.args[1],
           case .number(let third) = c.args[2], let rows = c.args[3].rows,
           let swapped = try? table(rows).analogy("w\(Int(b))", "w\(Int(a))", "w\(Int(third))", k: 1).first,
           "w\(Int(y))" == swapped.word {
            return Learner.text("that is the answer to â − b̂ + ĉ: a is to b as c is to ?, so the query is b̂ − â + ĉ", "这是 â − b̂ + ĉ 的答案：a 之于 b 如同 c 之于 ?，所以查询是 b̂ − â + ĉ").hints(2)
        }
        if let slip = analogySlip(c, yours) { return slip.hints(1) }
        return Learner.text("normalise every vector first; the query is b̂ − â + ĉ; answer the word with the largest cosine to it", "先归一化每个向量；查询是 b̂ − â + ĉ；答案是与它余弦最大的词").advice
    })

    /// 3CosAdd with the raw vectors where unit ones belong: in the query (b − a + c), in the ranking (a dot product
    /// where the cosine belongs), or in both — when that answers the learner's word and not the lab's.
    static func analogySlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> String? {
        guard case .number(let y) = yours, case .number(let expected) = c.expected, Int(y) != Int(expected),
              c.args.count == 4, let vectors = c.args[3].rows,
              case .number(let a) = c.args[0], case .number(let b) = c.args[1], case .number(let third) = c.args[2]
        else { return nil }
        let units = vectors.map { v in v.map { $0 / max(Slips.dot(v, v).squareRoot(), 1e-300) } }
        func answer(unitQuery: Bool, cosine: Bool) -> Int? {
            let (query, candidates) = (unitQuery ? units : vectors, cosine ? units : vectors)
            let (va, vb, vc) = (query[Int(a)], query[Int(b)], query[Int(third)])
            let q = va.indices.map { vb[$0] - va[$0] + vc[$0] }
            return vectors.indices.filter { ![Int(a), Int(b), Int(third)].contains($0) }
                .max { Slips.dot(candidates[$0], q) < Slips.dot(candidates[$1], q) }
        }
        if answer(unitQuery: true, cosine: false) == Int(y) {
            return Learner.text("you ranked by the dot product q·v: rank by the cosine, which divides by each word's length |v|", "你按点积 q·v 排序：要按余弦排序，它除以每个词的长度 |v|")
        }
        if answer(unitQuery: false, cosine: true) == Int(y) || answer(unitQuery: false, cosine: false) == Int(y) {
            return Learner.text("you built the query from the raw vectors: normalise a, b and c first (b̂ − â + ĉ), or the longest of them outweighs the others", "你用原始向量构造了查询：先把 a、b、c 归一化（b̂ − â + ĉ），否则最长的那个会压过其他的")
        }
        return nil
    }

    static let negativeSampling = ExerciseSpec("negative_sampling", tolerance: 1e-5, reference: "ClassicLMs' negativeSamplingStepNaive",
                                               cases: { _ in
        CaseRandom.cases(seed: 71, count: 16) { r, k in
            let d = 2 + k % 6, rows = 4 + k % 5
            let h = r.vector(d, -1, 1).map { Float($0) }
            var outputs = r.matrix(rows, d, -1, 1).map { $0.map { Float($0) } }
            let samples = (0..<(2 + k % 4)).map { j in j == 0 ? k % rows : r.int(0...(rows - 1)) }
            let alpha = [0.025, 0.1, 0.5][k % 3]
            let before = outputs
            var error = [Float]()
            let loss = negativeSamplingStepNaive(h: h, outputs: &outputs, samples: samples, alpha: alpha, error: &error)
            return ExerciseCase("negativeSamplingStep(h: \(ExerciseValue.numbers(h)), outputs: \(ExerciseValue.matrix(before)), samples: \(samples), alpha: \(alpha))",
                                args: [.numbers(h), .matrix(before), .ints(samples), .number(alpha)],
                                expected: .list([.number(loss), .matrix(outputs), .numbers(error)]))
        }
    }, advising: { c, yours, path in
        switch path.first {
        case 0:
            let loss = Learner.text("loss = −log σ(u_pos·h) − Σ log σ(−u_neg·h), with the scores taken BEFORE any update", "损失 = −log σ(u_pos·h) − Σ log σ(−u_neg·h)，得分取自任何更新之前")
            return negativeLossSlip(c, yours) ? (Learner.text("a negative sample wants σ(s) → 0: its term is −log σ(−s), not −log σ(s) — ", "负样本希望 σ(s) → 0：它的项是 −log σ(−s)，不是 −log σ(s)——") + loss).hints(2) : loss.advice
        case 1: return Learner.text("g_j = alpha · (label_j − σ(u_j·h)), label 1 for samples[0] and 0 for the rest; u_j += g_j · h (a sample drawn twice is updated twice)", "g_j = alpha · (label_j − σ(u_j·h))，samples[0] 的标签为 1，其余为 0；u_j += g_j · h（抽到两次的样本更新两次）").hints(2)
        default: return Learner.text("error = Σ_j g_j · u_j with each u_j as it was BEFORE its own update", "误差 = Σ_j g_j · u_j，每个 u_j 取它自己更新之前的值").hints(3)
        }
    })

    /// Whether the learner's loss is −Σ_j log σ(s_j) over every sample: the negatives scored like the true word.
    static func negativeLossSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> Bool {
        guard c.args.count == 4, let h = c.args[0].numbers, let u = c.args[1].rows, let samples = c.args[2].numbers,
              case .list(let parts) = yours, case .number(let y)? = parts.first,
              samples.allSatisfy({ Int($0) >= 0 && Int($0) < u.count }) else { return false }
        let scores = samples.map { Slips.dot(u[Int($0)], h) }
        return Slips.close(y, scores.reduce(0) { $0 + log(1 + exp(-$1)) }, 1e-4)
    }

    static let all = [neighbours, analogy, negativeSampling]
}
