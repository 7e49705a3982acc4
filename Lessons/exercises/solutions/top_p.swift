// A reference solution of top_p. The lab's own filter is TopP
// (Sources/Decoding/TopP.swift), which works on scores and follows
// transformers' TopPLogitsWarper.
// top_p 的参考答案。实验室自己的过滤器是 TopP
// （Sources/Decoding/TopP.swift），它作用在分数上，与 transformers 的
// TopPLogitsWarper 一致。

func topP(_ probs: [Double], p: Double) -> [Double] {
    let order = probs.indices.sorted { probs[$0] != probs[$1] ? probs[$0] > probs[$1] : $0 < $1 }
    var kept: [Int] = []
    var mass = 0.0
    for id in order {
        kept.append(id)
        mass += probs[id]
        if mass >= p { break }
    }
    var out = [Double](repeating: 0, count: probs.count)
    for id in kept { out[id] = probs[id] / mass }
    return out
}
