// Word2VecKernels — the inner loop of word2vec: one negative-sampling step (its dot products and axpys are
// LabCore's `dot` / `axpy`, Kernels/DotAxpy.swift).
//
// Vectors are rows of D floats stored with a row stride P = D rounded up to a multiple of 16 (`paddedWidth`);
// the padding lanes are zero and stay zero (every update adds a multiple of another padded row), so the kernels
// run whole SIMD16 blocks with no tail. The step has a naive twin over exactly D floats, and the tests compare them.
//
// Negative sampling (Mikolov et al., 2013, https://arxiv.org/abs/1310.4546, eq. 4). For a hidden vector h
// (skip-gram: the input vector of one context word; CBOW: the mean of the context's input vectors), a target word
// w₀ with output vector u₀ and k negative words with output vectors u₁…u_k, the loss is
//
//     ℓ = −log σ(u₀·h) − Σⱼ₌₁..ₖ log σ(−uⱼ·h)
//
// and its gradients are ∂ℓ/∂uⱼ = −gⱼ·h and ∂ℓ/∂h = −Σⱼ gⱼ·uⱼ with gⱼ = labelⱼ − σ(uⱼ·h) (label 1 for w₀, 0 for
// negatives). One SGD step with learning rate α therefore is
//
//     e  = Σⱼ α·gⱼ·uⱼ      (the error sent back to the input side; the caller adds it to the input vector(s))
//     uⱼ ← uⱼ + α·gⱼ·h
//
// All k + 1 scores are read before any output vector moves, so the step is exact SGD on ℓ (the C tool and gensim
// update uⱼ inside the same loop, which differs only when a word is drawn twice). σ is computed exactly
// (1 / (1 + e⁻ˣ) from a SIMD exponential, `sigmoid16`) rather than from the C tool's 1000-entry table clipped at ±6:
// the scores of a step go through one 16-lane exponential, which costs less than the table lookups would.

import LabCore

/// Row stride for D-dimensional vectors: D rounded up to a multiple of 16 floats (one AVX-512 register).
@inline(__always)
public func paddedWidth(_ dimension: Int) -> Int { (dimension + 15) / 16 * 16 }

// MARK: - Naive twins (exactly D floats)

/// σ(x) = 1 / (1 + e⁻ˣ) in Double, the reference for the SIMD form.
public func sigmoidNaive(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

// MARK: - Fast kernels (`padded` floats, a multiple of 16)

/// σ(x) lane by lane, 1 / (1 + e⁻ˣ), with e⁻ˣ = 2^(−x·log₂e) split into 2ⁿ (exponent bits) and 2^f, f ∈ [−½, ½],
/// from a degree-6 Taylor polynomial (relative error < 2·10⁻⁷ in e⁻ˣ). |x| is clipped at 80: σ(±80…) = 1 or 2·10⁻³⁵. Written here rather than calling LabCore's `vectorExp` so it inlines into the step.
@inline(__always)
func sigmoid16(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let t = pointwiseMin(pointwiseMax(-x, V(repeating: -80)), V(repeating: 80)) * 1.442_695_04   // −x·log₂e
    // n = round(t): adding 1.5·2²³ pushes the fraction out of the mantissa; the low bits then hold n.
    let shifted = t + 12_582_912
    let n = shifted - 12_582_912
    let nInt = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    let f = (t - n) * 0.693_147_18                                                               // ln 2 · f
    // e^f = Σₖ fᵏ/k!, k ≤ 6, for |f| ≤ ln2/2
    var p = V(repeating: 1.0 / 720)
    p = p * f + 1.0 / 120
    p = p * f + 1.0 / 24
    p = p * f + 1.0 / 6
    p = p * f + 0.5
    p = p * f + 1
    p = p * f + 1
    let twoN = unsafeBitCast((nInt &+ 127) &<< 23, to: V.self)
    return 1 / (1 + p * twoN)
}

// MARK: - One negative-sampling step

/// One SGD step of the negative-sampling loss ℓ for hidden vector `h` (see the file comment).
///
/// - Parameters:
///   - h: the hidden vector [P] (read only).
///   - outputs: output vectors [V, P]; rows `samples[0..<count]` are updated.
///   - samples: the target id first, then the negatives.
///   - error: receives e = Σⱼ α·gⱼ·uⱼ [P] (overwritten).
///   - scores: scratch for `count` rounded up to 16 floats.
///   - computeLoss: when true, returns ℓ (before the step); otherwise returns 0.
/// - Returns: ℓ, or 0 when `computeLoss` is false.
@inline(__always)
func negativeSamplingStep(h: UnsafePointer<Float>, outputs: UnsafeMutablePointer<Float>, padded: Int,
                          samples: UnsafePointer<Int32>, count: Int, alpha: Float,
                          error: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>,
                          computeLoss: Bool) -> Float {
    // 1. scores sⱼ = uⱼ · h
    for j in 0..<count {
        scores[j] = dot(outputs + Int(samples[j]) * padded, h, count: padded)
    }
    // 2. gⱼ = α·(labelⱼ − σ(sⱼ)), 16 scores per SIMD exponential
    var loss: Float = 0
    var j = 0
    while j < count {
        let raw = UnsafeMutableRawPointer(scores + j)
        let s = raw.loadUnaligned(as: SIMD16<Float>.self)
        let sig = sigmoid16(s)
        var label = SIMD16<Float>()
        if j == 0 { label[0] = 1 }
        if computeLoss {
            for l in 0..<min(16, count - j) {
                // −log σ(s) for the target, −log σ(−s) = −log(1 − σ(s)) for a negative
                let p = label[l] == 1 ? sig[l] : 1 - sig[l]
                loss -= logf(max(p, 1e-30))
            }
        }
        raw.storeBytes(of: alpha * (label - sig), as: SIMD16<Float>.self)
        j += 16
    }
    // 3. e = Σ gⱼ·uⱼ (with uⱼ before its update), then uⱼ ← uⱼ + gⱼ·h — one pass over each row
    let ve = UnsafeMutableRawPointer(error)
    for b in Swift.stride(from: 0, to: padded, by: 16) {
        ve.storeBytes(of: SIMD16<Float>(), toByteOffset: b * 4, as: SIMD16<Float>.self)
    }
    let vh = UnsafeRawPointer(h)
    for j in 0..<count {
        let g = scores[j]
        let vu = UnsafeMutableRawPointer(outputs + Int(samples[j]) * padded)
        var b = 0
        while b < padded {
            let u = vu.loadUnaligned(fromByteOffset: b * 4, as: SIMD16<Float>.self)
            let e = ve.loadUnaligned(fromByteOffset: b * 4, as: SIMD16<Float>.self)
            ve.storeBytes(of: e + g * u, toByteOffset: b * 4, as: SIMD16<Float>.self)
            vu.storeBytes(of: u + g * vh.loadUnaligned(fromByteOffset: b * 4, as: SIMD16<Float>.self),
                          toByteOffset: b * 4, as: SIMD16<Float>.self)
            b += 16
        }
    }
    return loss
}

/// The naive twin of `negativeSamplingStep` over exactly D floats, in Double, sample by sample as the equations
/// read: all scores first, then e and the output rows. Returns ℓ before the step.
public func negativeSamplingStepNaive(h: [Float], outputs: inout [[Float]], samples: [Int], alpha: Double,
                                      error: inout [Float]) -> Double {
    let d = h.count
    let scores = samples.map { s in (0..<d).reduce(0.0) { $0 + Double(outputs[s][$1]) * Double(h[$1]) } }
    var loss = 0.0
    var g = [Double](repeating: 0, count: samples.count)
    for (j, s) in scores.enumerated() {
        let label = j == 0 ? 1.0 : 0.0
        loss -= log(j == 0 ? sigmoidNaive(s) : sigmoidNaive(-s))
        g[j] = alpha * (label - sigmoidNaive(s))
    }
    var e = [Double](repeating: 0, count: d)
    for (j, s) in samples.enumerated() {
        for i in 0..<d { e[i] += g[j] * Double(outputs[s][i]) }
        for i in 0..<d { outputs[s][i] = Float(Double(outputs[s][i]) + g[j] * Double(h[i])) }
    }
    error = e.map(Float.init)
    return loss
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
