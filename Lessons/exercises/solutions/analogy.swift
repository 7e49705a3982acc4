// A reference solution of analogy. The lab's own: ClassicLMs'
// Word2VecEmbeddings.analogy (Sources/ClassicLMs/Word2VecQueries.swift).
// analogy 的参考答案。实验室自己的实现：ClassicLMs 的
// Word2VecEmbeddings.analogy（Sources/ClassicLMs/Word2VecQueries.swift）。
import Foundation

func analogy(a: Int, b: Int, c: Int, vectors: [[Double]]) -> Int {
    func unit(_ v: [Double]) -> [Double] { let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n } }
    let (va, vb, vc) = (unit(vectors[a]), unit(vectors[b]), unit(vectors[c]))
    let q = (0..<va.count).map { vb[$0] - va[$0] + vc[$0] }
    var best = -1, bestCosine = -Double.infinity
    for (w, v) in vectors.enumerated() where ![a, b, c].contains(w) {
        // |q| is the same for all: it cannot change the winner
        // 所有候选的 |q| 都一样：不除以它，胜者也不会变
        let cosine = zip(q, unit(v)).reduce(0) { $0 + $1.0 * $1.1 }
        if cosine > bestCosine { best = w; bestCosine = cosine }
    }
    return best
}
