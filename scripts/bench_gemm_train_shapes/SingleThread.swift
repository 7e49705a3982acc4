// One thread: parallelFor runs its body on the caller (the harness measures the kernel, not the pool).
public let labThreadCount = 1
public func parallelFor(_ count: Int, threads: Int = 1, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    body(0..<count)
}
