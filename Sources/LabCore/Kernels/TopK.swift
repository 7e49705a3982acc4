// Argmax and top-k — greedy decoding picks the argmax of the logits; top-k sampling and the explorers keep the
// k most likely tokens.
//
// Order: larger value first; equal values by lower index first (stable), so results never depend on how a
// kernel happens to scan. NaN ranks below every number, −∞ included (a NaN logit is never chosen while a
// number exists). Shapes: x [count].

/// True when element i ranks before element j: larger value, or equal value and lower index. NaN ranks last.
@inline(__always)
func ranksBefore(_ vi: Float, _ i: Int, _ vj: Float, _ j: Int) -> Bool {
    if vi.isNaN || vj.isNaN { return vi.isNaN ? (vj.isNaN && i < j) : true }
    return vi > vj || (vi == vj && i < j)
}

/// Reference argmax: the first index holding the largest value (NaN ignored; 0 if all are NaN).
public func argmaxNaive(_ x: UnsafePointer<Float>, count: Int) -> Int {
    precondition(count > 0, "argmax of an empty vector")
    var best = 0
    for i in 1..<count where ranksBefore(x[i], i, x[best], best) { best = i }
    return best
}

/// Fast argmax (contract of `argmaxNaive`): `rowMax`'s compare-and-blend pass finds the maximum value (a NaN
/// never compares greater, so NaN lanes read as −∞), a second pass compares 16 at a time for its first index.
/// (The pass through `pointwiseMax` and a scalar scan it replaces cost 0.17 ms a call over ERNIE's 103,424
/// logits, about 2 % of a decode step: perf, docs/PERFORMANCE.md "int4: every weight on huge pages".)
public func argmax(_ x: UnsafePointer<Float>, count: Int) -> Int {
    precondition(count > 0, "argmax of an empty vector")
    let best = rowMax(x, count)
    let target = SIMD16<Float>(repeating: best), raw = UnsafeRawPointer(x)
    var i = 0
    while i + 16 <= count {
        if any(raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) .== target) { break }
        i += 16
    }
    while i < count { if x[i] == best { return i }; i += 1 }
    return 0                                               // every element is NaN
}

/// `argmax` over an array: the first index of the largest value (as torch.argmax), via the SIMD kernel.
public func argmax(_ x: [Float]) -> Int {
    x.withUnsafeBufferPointer { argmax($0.baseAddress!, count: $0.count) }
}

/// Reference top-k: sort every index by rank, keep the first k. Returns min(k, count) indices, best first.
public func topKNaive(_ x: UnsafePointer<Float>, count: Int, k: Int) -> [Int] {
    let order = (0..<count).sorted { ranksBefore(x[$0], $0, x[$1], $1) }
    return Array(order.prefix(max(0, k)))
}

/// Fast top-k (contract of `topKNaive`): one pass with a size-k heap whose root is the worst index kept;
/// an element enters only if it ranks before the root. O(count · log k) instead of a full sort.
public func topK(_ x: UnsafePointer<Float>, count: Int, k: Int) -> [Int] {
    let k = min(max(0, k), count)
    guard k > 0 else { return [] }
    var heap = [Int]()                                      // heap[0] ranks last among the kept indices
    heap.reserveCapacity(k)
    @inline(__always) func worse(_ a: Int, _ b: Int) -> Bool { ranksBefore(x[b], b, x[a], a) }
    for i in 0..<count {
        if heap.count < k {
            heap.append(i)                                  // sift the newcomer up
            var c = heap.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                if worse(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
            }
        } else if ranksBefore(x[i], i, x[heap[0]], heap[0]) {
            heap[0] = i                                     // replace the worst, sift it down
            var p = 0
            while true {
                let l = 2 * p + 1, r = l + 1
                var w = p
                if l < k && worse(heap[l], heap[w]) { w = l }
                if r < k && worse(heap[r], heap[w]) { w = r }
                if w == p { break }
                heap.swapAt(p, w); p = w
            }
        }
    }
    return heap.sorted { ranksBefore(x[$0], $0, x[$1], $1) }
}
