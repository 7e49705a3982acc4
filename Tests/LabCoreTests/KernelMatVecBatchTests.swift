// matvecBF16Batch against its naive twin (Double accumulation), for B = 1…8, 13 and 16 vectors, odd shapes (ragged row groups
// and column tails), unaligned bf16 data and 1–3 threads; and one product worked by hand.
import Testing
@testable import LabCore

private let shapes = [(1, 1), (1, 1023), (3, 17), (17, 3), (17, 1023), (1023, 17), (5, 32), (33, 64), (130, 100), (257, 1056)]

@Test func matvecBF16BatchEqualsNaiveForEveryBatchSize() {
    var worst: Float = 0
    for (rows, cols) in shapes {
        let bits = randomFloats(rows * cols, seed: UInt64(rows * 11 + cols)).map { BFloat16($0).bitPattern }
        for batch in Array(1...8) + [13, 16] {
            let x = randomFloats(batch * cols, seed: UInt64(100 + batch))
            // Weights 0, 1 and 2 bytes past a 64-byte boundary (safetensors only promises 2 bytes).
            for offset in [0, 1, 2] {
                let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * rows * cols + 64, alignment: 64)
                defer { raw.deallocate() }
                for (i, b) in bits.enumerated() { raw.storeBytes(of: b, toByteOffset: offset + 2 * i, as: UInt16.self) }
                let w = UnsafeRawPointer(raw + offset)
                var ref = [Float](repeating: 0, count: batch * rows)
                matvecBF16BatchNaive(rows: rows, cols: cols, batch: batch, w: w, x: x, y: &ref)
                for threads in [1, 2, 3] {
                    var y = [Float](repeating: .nan, count: batch * rows)
                    matvecBF16Batch(rows: rows, cols: cols, batch: batch, w: w, x: x, y: &y, threads: threads)
                    let d = relDiff(y, ref)
                    #expect(d <= 1e-5, "rows \(rows) cols \(cols) batch \(batch) offset \(offset) threads \(threads)")
                    worst = max(worst, d)
                }
            }
        }
    }
    print("matvec bf16 batch (B = 1…8, 13, 16): max relative diff \(worst)")
}

@Test func matvecBF16BatchRowsMatchSingleVectorKernel() {
    // Row b of the batched product is the single-vector kernel's y for X[b]: both accumulate in float32 over
    // 32-column steps, 8 rows per pass, so they agree to float rounding (exactly, unless the thread split
    // leaves different rows to the one-row loops, which keep even and odd halves apart).
    let rows = 1031, cols = 1024, batch = 7
    let bits = randomFloats(rows * cols, seed: 5).map { BFloat16($0).bitPattern }
    let x = randomFloats(batch * cols, seed: 6)
    var batched = [Float](repeating: .nan, count: batch * rows)
    var single = [Float](repeating: .nan, count: batch * rows)
    bits.withUnsafeBytes { w in
        matvecBF16Batch(rows: rows, cols: cols, batch: batch, w: w.baseAddress!, x: x, y: &batched)
        x.withUnsafeBufferPointer { xb in
            single.withUnsafeMutableBufferPointer { yb in
                for b in 0..<batch {
                    matvecBF16(rows: rows, cols: cols, w: w.baseAddress!, x: xb.baseAddress! + b * cols,
                               y: yb.baseAddress! + b * rows)
                }
            }
        }
    }
    let d = relDiff(batched, single)
    print("matvec bf16 batch vs B single matvecs: max relative diff \(d)")
    #expect(d <= 1e-6)
}

@Test func matvecBF16BatchHandChecked() {
    // bf16 bits: 0x3F80 = 1, 0x4000 = 2, 0xC040 = −3, 0x3F00 = 0.5.
    // W = [1 2; −3 0.5];  W·[4, 2] = [8, −11];  W·[−1, 1] = [1, 3.5];  W·[0, 2] = [4, 1].
    let w: [UInt16] = [0x3F80, 0x4000, 0xC040, 0x3F00]
    var y = [Float](repeating: 0, count: 6)
    w.withUnsafeBytes { matvecBF16Batch(rows: 2, cols: 2, batch: 3, w: $0.baseAddress!, x: [4, 2, -1, 1, 0, 2], y: &y) }
    #expect(y == [8, -11, 1, 3.5, 4, 1])
}
