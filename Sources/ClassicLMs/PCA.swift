// PCA — principal component analysis, to draw word vectors on a 2-D map (Pearson, 1901; any linear-algebra text).
//
// For N points xᵢ ∈ ℝᴰ with mean μ, the covariance is C = 1/(N−1) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ [D, D]. Its eigenvectors
// with the largest eigenvalues are the directions along which the points spread most; the map coordinates of xᵢ
// are (xᵢ − μ) · w₁ and (xᵢ − μ) · w₂.
//
// Fast path: power iteration (w ← Cw / ‖Cw‖ until w stops moving; λ = wᵀCw), then deflation C ← C − λ w wᵀ for the
// next component. Naive twin: the cyclic Jacobi eigenvalue algorithm (rotate away every off-diagonal entry until
// the matrix is diagonal), which finds all eigenpairs; the tests compare the two and a 2×2 closed form.
// Sign: an eigenvector is only defined up to ±; both return the one whose largest-magnitude entry is positive.
import Foundation

/// The first principal components of a set of points and the points projected on them.
public struct PCAResult: Sendable, Equatable {
    /// μ [D]
    public var mean: [Double]
    /// w₁, w₂, … [K][D], unit length, largest variance first.
    public var components: [[Double]]
    /// λ₁ ≥ λ₂ ≥ … [K]: the variance along each component.
    public var variances: [Double]
    /// Share of the total variance (trace of C) each component explains [K].
    public var explained: [Double]
    /// (xᵢ − μ) · wₖ [N][K].
    public var projections: [[Double]]
}

/// Covariance matrix 1/(N−1) Σ (xᵢ − μ)(xᵢ − μ)ᵀ [D][D] and the mean μ [D] (N ≥ 2).
public func covarianceMatrix(_ points: [[Double]]) -> (covariance: [[Double]], mean: [Double]) {
    let n = points.count, d = points[0].count
    precondition(n >= 2, "covariance needs at least 2 points")
    var mean = [Double](repeating: 0, count: d)
    for p in points { for j in 0..<d { mean[j] += p[j] / Double(n) } }
    var c = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for p in points {
        let x = (0..<d).map { p[$0] - mean[$0] }
        for i in 0..<d where x[i] != 0 { for j in i..<d { c[i][j] += x[i] * x[j] } }
    }
    for i in 0..<d { for j in i..<d { c[i][j] /= Double(n - 1); c[j][i] = c[i][j] } }
    return (c, mean)
}

/// ± fixed: the largest-magnitude entry becomes positive.
func canonicalSign(_ v: [Double]) -> [Double] {
    guard let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }) else { return v }
    return v[big] < 0 ? v.map { -$0 } : v
}

/// The `k` leading eigenpairs of the symmetric matrix `a` by power iteration with deflation.
/// Stops a component when ‖w_new − w‖ < `tolerance` or after `maxIterations` (close eigenvalues converge slowly:
/// the error shrinks like (λ₂/λ₁)ᵗ).
public func leadingEigenpairs(_ a: [[Double]], k: Int, tolerance: Double = 1e-12,
                              maxIterations: Int = 20_000) -> [(value: Double, vector: [Double])] {
    let d = a.count
    var m = a
    var out: [(Double, [Double])] = []
    func times(_ v: [Double]) -> [Double] { m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }
    func normalised(_ v: [Double]) -> [Double] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }
    for c in 0..<min(k, d) {
        // A start not orthogonal to the answer in practice: 1 + a small index-dependent ramp.
        var w = normalised((0..<d).map { 1 + Double(($0 * 7 + c * 3) % 11) / 10 })
        for _ in 0..<maxIterations {
            var next = times(w)
            if next.allSatisfy({ $0 == 0 }) { break }                  // rank exhausted: λ = 0
            next = canonicalSign(normalised(next))
            let moved = zip(next, w).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            w = next
            if moved < tolerance { break }
        }
        w = canonicalSign(w)
        let lambda = zip(w, times(w)).reduce(0) { $0 + $1.0 * $1.1 }
        out.append((lambda, w))
        for i in 0..<d { for j in 0..<d { m[i][j] -= lambda * w[i] * w[j] } }  // deflate
    }
    return out
}

/// Naive twin: every eigenpair of the symmetric matrix `a` by cyclic Jacobi rotations, largest eigenvalue first.
public func jacobiEigenpairs(_ a: [[Double]], sweeps: Int = 100) -> [(value: Double, vector: [Double])] {
    let d = a.count
    var m = a
    var v = (0..<d).map { i in (0..<d).map { $0 == i ? 1.0 : 0.0 } }     // columns are eigenvectors
    for _ in 0..<sweeps {
        var off = 0.0
        for i in 0..<d { for j in 0..<d where i != j { off += m[i][j] * m[i][j] } }
        if off < 1e-30 { break }
        for p in 0..<d {
            for q in (p + 1)..<d where m[p][q] != 0 {
                // Rotation by θ in the (p, q) plane that zeroes m[p][q]: tan 2θ = 2 m_pq / (m_qq − m_pp)
                let theta = (m[q][q] - m[p][p]) / (2 * m[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<d {                                    // m ← m J (columns p, q)
                    let (mkp, mkq) = (m[k][p], m[k][q])
                    m[k][p] = c * mkp - s * mkq
                    m[k][q] = s * mkp + c * mkq
                }
                for k in 0..<d {                                    // m ← Jᵀ m (rows p, q)
                    let (mpk, mqk) = (m[p][k], m[q][k])
                    m[p][k] = c * mpk - s * mqk
                    m[q][k] = s * mpk + c * mqk
                }
                for k in 0..<d {                                    // v ← v J
                    let (vkp, vkq) = (v[k][p], v[k][q])
                    v[k][p] = c * vkp - s * vkq
                    v[k][q] = s * vkp + c * vkq
                }
            }
        }
    }
    return (0..<d).map { j in (m[j][j], canonicalSign((0..<d).map { v[$0][j] })) }.sorted { $0.value > $1.value }
}

/// The first `k` principal components of `points` [N][D] (N ≥ 2) and each point's coordinates on them.
public func principalComponents(_ points: [[Float]], k: Int = 2) -> PCAResult {
    let x = points.map { $0.map(Double.init) }
    let (c, mean) = covarianceMatrix(x)
    let pairs = leadingEigenpairs(c, k: k)
    let trace = (0..<c.count).reduce(0) { $0 + c[$1][$1] }
    let projections = x.map { p in
        pairs.map { pair in (0..<p.count).reduce(0) { $0 + (p[$1] - mean[$1]) * pair.vector[$1] } }
    }
    return PCAResult(mean: mean, components: pairs.map(\.vector), variances: pairs.map(\.value),
                     explained: pairs.map { trace > 0 ? $0.value / trace : 0 }, projections: projections)
}
