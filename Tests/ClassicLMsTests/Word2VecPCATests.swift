// PCA for the word map: power iteration with deflation against the Jacobi eigen-solver (its naive twin) and a
// 2×2 closed form; projections against a direct computation.
import Foundation
import LabCore
import Testing
@testable import ClassicLMs

@Test func pcaPowerIterationMatchesClosedForm2x2() {
    // [[a, b], [b, c]]: λ = (a + c)/2 ± √(((a − c)/2)² + b²); eigenvector of λ₁ ∝ (b, λ₁ − a).
    let (a, b, c) = (4.0, 1.5, 1.0)
    let mid = (a + c) / 2, rad = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
    let (l1, l2) = (mid + rad, mid - rad)
    var v1 = [b, l1 - a]
    let n = (v1[0] * v1[0] + v1[1] * v1[1]).squareRoot()
    v1 = v1.map { $0 / n }
    let got = leadingEigenpairs([[a, b], [b, c]], k: 2)
    let jac = jacobiEigenpairs([[a, b], [b, c]])
    let diff = [abs(got[0].value - l1), abs(got[1].value - l2), abs(got[0].vector[0] - v1[0]), abs(got[0].vector[1] - v1[1]),
                abs(jac[0].value - l1), abs(jac[1].value - l2), abs(jac[0].vector[0] - v1[0])].max()!
    print("2×2 eigenpairs vs closed form (λ = \(l1), \(l2)): max abs diff \(diff)")
    #expect(diff < 1e-9)
}

@Test func pcaPowerIterationMatchesJacobi() {
    // 60 points in 10-D with a clear spread per axis (variances far apart so power iteration converges).
    var rng = SeededRNG(seed: 4)
    let scales: [Double] = [5, 3, 2, 1.2, 1, 0.8, 0.6, 0.4, 0.3, 0.2]
    // A fixed rotation mixes the axes: Q from Gram–Schmidt of random vectors.
    var q: [[Double]] = []
    for _ in 0..<10 {
        var v = (0..<10).map { _ in rng.nextNormal() }
        for u in q { let d = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }; v = zip(v, u).map { $0 - d * $1 } }
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        q.append(v.map { $0 / n })
    }
    let points: [[Float]] = (0..<60).map { _ in
        let z = scales.map { $0 * rng.nextNormal() }
        return (0..<10).map { i in Float((0..<10).reduce(0) { $0 + z[$1] * q[$1][i] }) }
    }
    let x = points.map { $0.map(Double.init) }
    let (cov, mean) = covarianceMatrix(x)
    let fast = leadingEigenpairs(cov, k: 2)
    let naive = jacobiEigenpairs(cov)
    var diff = 0.0
    for k in 0..<2 {
        diff = max(diff, abs(fast[k].value - naive[k].value) / naive[k].value)
        diff = max(diff, zip(fast[k].vector, naive[k].vector).map { abs($0 - $1) }.max()!)
    }
    print("PCA power iteration vs Jacobi (λ₁ = \(naive[0].value), λ₂ = \(naive[1].value)): max diff \(diff)")
    #expect(diff < 1e-8)
    // Jacobi really diagonalises: C·v = λ·v for every pair.
    var residual = 0.0
    for pair in naive {
        let cv = cov.map { row in zip(row, pair.vector).reduce(0) { $0 + $1.0 * $1.1 } }
        residual = max(residual, zip(cv, pair.vector).map { abs($0 - pair.value * $1) }.max()!)
    }
    print("Jacobi residual max |Cv − λv| = \(residual)")
    #expect(residual < 1e-9)
    // Projections: (x − μ)·w, and the explained shares use the trace.
    let r = principalComponents(points, k: 2)
    var pdiff = 0.0
    for (i, p) in x.enumerated() {
        for k in 0..<2 {
            let direct = (0..<10).reduce(0) { $0 + (p[$1] - mean[$1]) * naive[k].vector[$1] }
            pdiff = max(pdiff, abs(direct - r.projections[i][k]))
        }
    }
    let trace = naive.reduce(0) { $0 + $1.value }
    print("projections vs direct: max abs diff \(pdiff); explained \(r.explained)")
    #expect(pdiff < 1e-7)
    #expect(abs(r.explained[0] - naive[0].value / trace) < 1e-9)
    // The variance of the PC1 coordinates is λ₁.
    let var1 = r.projections.reduce(0) { $0 + $1[0] * $1[0] } / Double(points.count - 1)
    #expect(abs(var1 - naive[0].value) / naive[0].value < 1e-9)
}
