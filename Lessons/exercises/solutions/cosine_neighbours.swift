// A reference solution of cosine_neighbours. The lab's own: ClassicLMs'
// Word2VecEmbeddings.nearest (Sources/ClassicLMs/Word2VecQueries.swift).
// cosine_neighbours 的参考答案。实验室自己的实现：ClassicLMs 的
// Word2VecEmbeddings.nearest（Sources/ClassicLMs/Word2VecQueries.swift）。
import Foundation

func nearest(to query: [Double], in vectors: [[Double]], k: Int) -> [Int] {
    func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    let cosines = vectors.map { v in zip(query, v).reduce(0) { $0 + $1.0 * $1.1 } / (norm(query) * norm(v)) }
    let order = vectors.indices.sorted { cosines[$0] != cosines[$1] ? cosines[$0] > cosines[$1] : $0 < $1 }
    return Array(order.prefix(k))
}
