// Tensor — a shaped, row-major block of Float32: the one array type every model of the lab is built on.
//
// Storage is a Swift array (copy-on-write), so a Tensor is a value: passing it around never aliases.
// Kernels work on raw buffers (`withUnsafeBufferPointer`); Tensor methods are the readable layer above them.
// Shape legend used across the lab: T tokens, D hidden, H/Hkv query/KV heads, Dh head dim, F FFN, V vocab.

public struct Tensor: Equatable, CustomStringConvertible, Sendable {
    /// Extent of each axis, outermost first: a [T, D] tensor has `shape == [T, D]`.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `data.count == shape.reduce(1, *)`.
    public var data: [Float]

    /// A tensor with the given shape and row-major elements.
    /// - Precondition: `data.count` equals the product of `shape`.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(data.count == shape.reduce(1, *),
                     "Tensor: \(data.count) elements do not fill shape \(shape) (\(shape.reduce(1, *)) needed)")
        self.shape = shape
        self.data = data
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// A rank-0 tensor holding one number.
    public init(scalar: Float) { self.init(shape: [], data: [scalar]) }

    /// Elements drawn from N(0, std²) with a seeded generator: the same seed gives the same tensor everywhere.
    public static func randn(_ shape: [Int], std: Float = 1, rng: inout SeededRNG) -> Tensor {
        var t = Tensor.zeros(shape)
        for i in t.data.indices { t.data[i] = Float(rng.nextNormal()) * std }
        return t
    }

    /// Elements drawn uniformly from [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout SeededRNG) -> Tensor {
        var t = Tensor.zeros(shape)
        for i in t.data.indices { t.data[i] = low + (high - low) * Float(rng.nextDouble()) }
        return t
    }

    public var rank: Int { shape.count }
    public var count: Int { data.count }
    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(data.count == 1, "Tensor.scalar on shape \(shape)")
        return data[0]
    }
    /// Rows and columns of a tensor viewed as a matrix: all outer axes folded into rows.
    public var matrixShape: (rows: Int, cols: Int) {
        guard let last = shape.last else { return (1, 1) }
        return (last == 0 ? 0 : data.count / last, last)
    }

    /// Row-major strides: `strides[i]` elements separate neighbours along axis i.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// Element access by full index, e.g. `t[2, 5]` on a matrix.
    public subscript(_ index: Int...) -> Float {
        get { data[flatIndex(index)] }
        set { data[flatIndex(index)] = newValue }
    }

    @inline(__always) func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor: index \(index) for shape \(shape)")
        var flat = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "Tensor: index \(index) out of bounds for shape \(shape)")
            flat = flat * n + i
        }
        return flat
    }

    /// The same elements under a new shape; one extent may be -1 and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let hole = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != hole }.map(\.element).reduce(1, *)
            precondition(known > 0 && data.count % known == 0, "Tensor.reshaped: cannot infer -1 in \(newShape) for \(count) elements")
            s[hole] = data.count / known
        }
        return Tensor(shape: s, data: data)
    }

    /// Row `i` of a matrix (or of the outermost axis) as a tensor of the remaining shape.
    public func row(_ i: Int) -> Tensor {
        precondition(rank >= 1 && i >= 0 && i < shape[0], "Tensor.row(\(i)) on shape \(shape)")
        let inner = Array(shape.dropFirst())
        let n = inner.reduce(1, *)
        return Tensor(shape: inner, data: Array(data[(i * n)..<((i + 1) * n)]))
    }

    /// Rows `range` of the outermost axis.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0], "Tensor.rows(\(range)) on shape \(shape)")
        let n = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [range.count] + shape.dropFirst(), data: Array(data[(range.lowerBound * n)..<(range.upperBound * n)]))
    }

    /// Stacks tensors of equal shape along a new outermost axis.
    public static func stack(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "Tensor.stack of nothing")
        let s = parts[0].shape
        precondition(parts.allSatisfy { $0.shape == s }, "Tensor.stack: shapes differ")
        return Tensor(shape: [parts.count] + s, data: parts.flatMap(\.data))
    }

    /// The transpose of a matrix: [R, C] → [C, R].
    public func transposed() -> Tensor {
        precondition(rank == 2, "Tensor.transposed needs a matrix, got \(shape)")
        let (r, c) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: data.count)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<r { for j in 0..<c { dst[j * r + i] = src[i * c + j] } }
            }
        }
        return Tensor(shape: [c, r], data: out)
    }

    /// Elementwise map.
    public func map(_ f: (Float) -> Float) -> Tensor { Tensor(shape: shape, data: data.map(f)) }

    /// Elementwise combination of two tensors of the same shape.
    public func zipWith(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "Tensor: shapes \(shape) and \(other.shape) differ")
        var out = data
        other.data.withUnsafeBufferPointer { o in
            out.withUnsafeMutableBufferPointer { d in for i in d.indices { d[i] = f(d[i], o[i]) } }
        }
        return Tensor(shape: shape, data: out)
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, +) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, -) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, *) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.zipWith(b, /) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
    public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    public func sum() -> Float { data.reduce(0, +) }
    public func mean() -> Float { data.isEmpty ? 0 : sum() / Float(data.count) }

    /// Matrix product of two matrices, [M, K] · [K, N] → [M, N], through the fast `gemm` kernel.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
                     "Tensor.matmul: \(shape) · \(other.shape)")
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        var out = [Float](repeating: 0, count: m * n)
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    gemm(transA: false, transB: false, m: m, n: n, k: k,
                         a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n, c: c.baseAddress!, ldc: n, accumulate: false)
                }
            }
        }
        return Tensor(shape: [m, n], data: out)
    }

    /// Largest absolute elementwise difference to another tensor of the same shape (what tests print).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "Tensor: shapes \(shape) and \(other.shape) differ")
        var m: Float = 0
        for i in data.indices { m = max(m, abs(data[i] - other.data[i])) }
        return m
    }

    public var description: String {
        let head = data.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(data.count > 8 ? ", …" : "")]"
    }
}
