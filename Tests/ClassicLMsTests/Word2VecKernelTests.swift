// word2vec's inner loop: the SIMD kernels against their naive twins, one negative-sampling step worked by hand,
// the step's gradient against finite differences of the loss, and a seeded 1-thread run that reproduces itself.
import Foundation
import LabCore
import Testing
@testable import ClassicLMs

/// ℓ = −log σ(u₀·h) − Σⱼ log σ(−uⱼ·h) in Double (the objective the step descends).
private func sgnsLoss(h: [Double], u: [[Double]]) -> Double {
    var loss = 0.0
    for (j, row) in u.enumerated() {
        let s = zip(row, h).reduce(0) { $0 + $1.0 * $1.1 }
        loss -= log(sigmoidNaive(j == 0 ? s : -s))
    }
    return loss
}

/// Runs the fast step on padded copies; returns (new output rows [D] per sample, e [D], loss).
private func fastStep(h: [Float], rows: [[Float]], samples: [Int], alpha: Float) -> ([[Float]], [Float], Float) {
    let d = h.count, p = paddedWidth(d)
    var hp = [Float](repeating: 0, count: p)
    for i in 0..<d { hp[i] = h[i] }
    var out = [Float](repeating: 0, count: rows.count * p)
    for (r, row) in rows.enumerated() { for i in 0..<d { out[r * p + i] = row[i] } }
    var e = [Float](repeating: 0, count: p)
    var scores = [Float](repeating: 0, count: (samples.count + 15) / 16 * 16)
    let ids = samples.map(Int32.init)
    let loss = out.withUnsafeMutableBufferPointer { o in
        negativeSamplingStep(h: hp, outputs: o.baseAddress!, padded: p, samples: ids, count: ids.count, alpha: alpha,
                             error: &e, scores: &scores, computeLoss: true)
    }
    #expect(e[d...].allSatisfy { $0 == 0 } && (0..<rows.count).allSatisfy { r in out[(r * p + d)..<((r + 1) * p)].allSatisfy { $0 == 0 } },
            "padding lanes must stay zero")
    return ((0..<rows.count).map { Array(out[$0 * p ..< $0 * p + d]) }, Array(e[0..<d]), loss)
}

@Test func word2vecDotAndAxpyOnPaddedRowsMatchNaive() {
    // The step runs LabCore's dot/axpy over P = paddedWidth(D) floats; with zero padding lanes that is the naive
    // result over exactly D, and the padding lanes stay zero.
    var rng = SeededRNG(seed: 3)
    var maxDiff: Float = 0
    for d in [1, 15, 16, 17, 100, 300] {
        let p = paddedWidth(d)
        var a = [Float](repeating: 0, count: p), b = a, y = a
        for i in 0..<d { a[i] = Float(rng.nextNormal()); b[i] = Float(rng.nextNormal()); y[i] = Float(rng.nextNormal()) }
        let fast = dot(a, b, count: p), naive = dotNaive(a, b, count: d)
        maxDiff = max(maxDiff, abs(fast - naive) / max(1, abs(naive)))
        var y2 = y
        axpy(0.37, a, into: &y, count: p)
        axpyNaive(0.37, a, into: &y2, count: d)
        maxDiff = max(maxDiff, zip(y, y2).map { abs($0 - $1) }.max()!)
        #expect(y[d...].allSatisfy { $0 == 0 }, "padding lanes must stay zero")
    }
    print("dot/axpy padded vs naive: max diff \(maxDiff)")
    #expect(maxDiff < 1e-5)
}

@Test func word2vecSigmoidMatchesExact() {
    var maxDiff = 0.0
    var x: Float = -30
    while x <= 30 {
        let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0037 })
        let s = sigmoid16(lanes)
        for l in 0..<16 { maxDiff = max(maxDiff, abs(Double(s[l]) - sigmoidNaive(Double(lanes[l])))) }
        x += 0.0593
    }
    let extremes = sigmoid16(SIMD16<Float>(repeating: 1000))[0], low = sigmoid16(SIMD16<Float>(repeating: -1000))[0]
    print("sigmoid16 vs exact on [−30, 30]: max abs diff \(maxDiff); σ(1000) = \(extremes), σ(−1000) = \(low)")
    #expect(maxDiff < 2e-7)
    #expect(extremes == 1 && low < 1e-30)
}

@Test func word2vecOneStepWorkedByHand() {
    // D = 2, α = 0.1, h = (1, 2); target u₀ = (0.5, 0) → s₀ = 0.5; negative u₁ = (0, −0.25) → s₁ = −0.5.
    // σ(0.5) = 0.6224593: g₀ = 0.1·(1 − 0.6224593) = 0.0377541, g₁ = 0.1·(0 − σ(−0.5)) = −0.0377541.
    // e  = g₀u₀ + g₁u₁ = (0.0188770, 0.0094385)
    // u₀ ← u₀ + g₀h = (0.5377541, 0.0755081);  u₁ ← u₁ + g₁h = (−0.0377541, −0.3255081)
    // ℓ = −log σ(0.5) − log σ(0.5) = 2 · 0.4740770 = 0.9481540
    let (rows, e, loss) = fastStep(h: [1, 2], rows: [[0.5, 0], [0, -0.25]], samples: [0, 1], alpha: 0.1)
    let got = rows[0] + rows[1] + e + [loss]
    let want: [Float] = [0.5377541, 0.0755081, -0.0377541, -0.3255081, 0.0188770, 0.0094385, 0.9481540]
    let diff = zip(got, want).map { abs($0 - $1) }.max()!
    print("one SGNS step vs hand-computed: max abs diff \(diff)")
    #expect(diff < 2e-6)
}

@Test func word2vecStepMatchesNaiveTwin() {
    var rng = SeededRNG(seed: 11)
    let d = 37, v = 9
    var rows = (0..<v).map { _ in (0..<d).map { _ in Float(rng.nextNormal() * 0.3) } }
    let h = (0..<d).map { _ in Float(rng.nextNormal() * 0.3) }
    let samples = [4, 0, 7, 7, 2, 8]                     // a negative drawn twice, as can happen
    let (fastRows, fastE, fastLoss) = fastStep(h: h, rows: rows, samples: samples, alpha: 0.05)
    var naiveE = [Float]()
    let naiveLoss = negativeSamplingStepNaive(h: h, outputs: &rows, samples: samples, alpha: 0.05, error: &naiveE)
    var diff = Double(abs(fastLoss - Float(naiveLoss)))
    for r in 0..<v { diff = max(diff, Double(zip(fastRows[r], rows[r]).map { abs($0 - $1) }.max()!)) }
    diff = max(diff, Double(zip(fastE, naiveE).map { abs($0 - $1) }.max()!))
    print("SGNS step fast vs naive twin: max abs diff \(diff)")
    #expect(diff < 1e-5)
}

@Test func word2vecStepIsTheGradientOfTheLoss() {
    // Δuⱼ = −α ∂ℓ/∂uⱼ and e = −α ∂ℓ/∂h: compare with central differences of ℓ (Double, ε = 1e-6).
    var rng = SeededRNG(seed: 21)
    let d = 12
    let rows = (0..<4).map { _ in (0..<d).map { _ in Float(rng.nextNormal() * 0.5) } }
    let h = (0..<d).map { _ in Float(rng.nextNormal() * 0.5) }
    let alpha: Float = 0.01
    let (newRows, e, _) = fastStep(h: h, rows: rows, samples: [0, 1, 2, 3], alpha: alpha)
    let hd = h.map(Double.init), ud = rows.map { $0.map(Double.init) }
    let eps = 1e-6
    var maxDiff = 0.0
    for i in 0..<d {
        var hp = hd, hm = hd
        hp[i] += eps; hm[i] -= eps
        let grad = (sgnsLoss(h: hp, u: ud) - sgnsLoss(h: hm, u: ud)) / (2 * eps)
        maxDiff = max(maxDiff, abs(Double(e[i]) / -Double(alpha) - grad))
    }
    for j in 0..<4 {
        for i in 0..<d {
            var up = ud, um = ud
            up[j][i] += eps; um[j][i] -= eps
            let grad = (sgnsLoss(h: hd, u: up) - sgnsLoss(h: hd, u: um)) / (2 * eps)
            let step = (Double(newRows[j][i]) - Double(rows[j][i])) / -Double(alpha)
            maxDiff = max(maxDiff, abs(step - grad))
        }
    }
    print("SGNS step vs finite-difference gradient: max abs diff \(maxDiff)")
    #expect(maxDiff < 2e-3)     // float32 step, divided by α = 0.01
}

@Test func word2vecOneThreadRunReproducesItself() throws {
    // A small corpus: the seeded 1-thread run gives bit-identical vectors twice, and the loss falls.
    let sentences = (0..<400).map { i in ["the", i % 2 == 0 ? "cat" : "dog", "says", i % 2 == 0 ? "meow" : "woof", "."] }
    var c = Word2VecConfig()
    c.dimension = 20; c.window = 2; c.epochs = 30; c.minCount = 1; c.threads = 1; c.seed = 9; c.chunkWords = 200
    func run() -> (Word2VecModel, Word2VecTrainingReport, [Double]) {
        let vocab = Word2VecVocabulary(sentences: sentences, minCount: 1, sample: 0)
        let m = Word2VecModel(vocabulary: vocab, config: c)
        var losses: [Double] = []
        let r = m.train(on: vocab.encode(sentences)) { s, _ in losses.append(s.loss) }
        return (m, r, losses)
    }
    let (a, ra, losses) = run()
    let (b, _, _) = run()
    for w in 0..<a.vocabulary.count {
        #expect(a.inputVector(w) == b.inputVector(w))
        #expect(a.outputVector(w) == b.outputVector(w))
    }
    #expect(ra.words == 400 * 5 * 30 && !ra.cancelled)
    let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
    print("toy corpus: sampled loss \(first) → \(last)")
    #expect(last < first * 0.7)
    // cat and dog share every context but their sound: they end up closer to each other than to "says".
    let e = Word2VecEmbeddings(a)
    let n = try e.neighbors(of: "meow", k: 1)
    print("nearest to meow: \(n)")
    #expect(n.first?.word == "woof")
}
