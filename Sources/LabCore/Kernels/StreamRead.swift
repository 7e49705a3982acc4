// StreamRead — how fast this machine can read memory, the ceiling for every bandwidth-bound kernel.
//
// A decoder at batch size 1 reads each weight once per token, so tokens/s ≤ bandwidth / bytes of weights.
// This measures that bandwidth the simplest way: sum a buffer far larger than every cache (≥ 1 GiB), split
// into one contiguous slab per thread, with 4 independent SIMD16 accumulators so the arithmetic is never the
// limit. `lmlab bench kernels` reports the bf16 matvec as a fraction of it.

import Dispatch

/// A large, page-touched buffer for repeated streaming-read measurements.
public final class StreamReadBuffer {
    /// Size in bytes (a multiple of 256).
    public let bytes: Int
    let base: UnsafeMutableRawPointer

    /// Allocates `bytes` (rounded down to a multiple of 256) and writes every page, so later reads hit RAM, not page faults.
    public init(bytes: Int = 1 << 30) {
        self.bytes = max(256, bytes / 256 * 256)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.bytes, alignment: 64)
        let floats = base.bindMemory(to: Float.self, capacity: self.bytes / 4)
        parallelFor(self.bytes / 4, minChunk: 1 << 20) { range in
            for i in range { floats[i] = Float(i & 1023) * 0.001 }
        }
    }
    deinit { base.deallocate() }

    /// Reads the whole buffer once on `threads` threads; returns the sum (so the reads cannot be optimised away)
    /// and the bandwidth in GB/s (10⁹ bytes per second).
    public func measure(threads: Int = labThreadCount) -> (sum: Float, gigabytesPerSecond: Double) {
        let slabs = max(1, threads)
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: slabs)
        defer { partial.deallocate() }
        let raw = UnsafeRawPointer(base)
        let blocks = bytes / 256                                  // 256 bytes = 4 × SIMD16<Float>
        let start = DispatchTime.now().uptimeNanoseconds
        parallelFor(slabs, threads: slabs) { range in
            for t in range {
                let lo = t * blocks / slabs, hi = (t + 1) * blocks / slabs
                var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0
                for blk in lo..<hi {
                    let o = blk * 256
                    a0 += raw.load(fromByteOffset: o, as: SIMD16<Float>.self)
                    a1 += raw.load(fromByteOffset: o + 64, as: SIMD16<Float>.self)
                    a2 += raw.load(fromByteOffset: o + 128, as: SIMD16<Float>.self)
                    a3 += raw.load(fromByteOffset: o + 192, as: SIMD16<Float>.self)
                }
                partial[t] = (a0 + a1 + a2 + a3).sum()
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        var sum: Float = 0
        for t in 0..<slabs { sum += partial[t] }
        return (sum, Double(bytes) / seconds / 1e9)
    }
}

/// Reference sum of the buffer, one element at a time (the naive twin of `StreamReadBuffer.measure`'s reduction).
public func streamReadSumNaive(_ buffer: StreamReadBuffer) -> Double {
    let floats = UnsafeRawPointer(buffer.base).bindMemory(to: Float.self, capacity: buffer.bytes / 4)
    var s = 0.0
    for i in 0..<(buffer.bytes / 4) { s += Double(floats[i]) }
    return s
}
