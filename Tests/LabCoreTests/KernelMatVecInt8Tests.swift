// matvecInt8 against its naive twin over odd shapes (rows not a multiple of the 8-row pass, cols not a multiple of
// the 64-column step), unaligned weight bases and 1–3 threads; the int8 → float widening exact for every byte;
// the batched kernel (2…16 vectors) against the naive twin per vector.
import Testing
@testable import LabCore

private let shapes = [(1, 1), (1, 1023), (3, 17), (17, 3), (17, 1023), (1023, 17), (5, 64), (9, 65), (33, 127),
                      (1023, 1023), (130, 100), (257, 1024)]

/// Seeded int8 weights in [−127, 127] and positive per-row scales.
private func randomInt8(_ count: Int, seed: UInt64) -> [Int8] {
    var rng = SeededRNG(seed: seed)
    return (0..<count).map { _ in Int8(rng.nextInt(below: 255) - 127) }
}

@Test func matvecInt8EqualsNaiveAtAnyAlignment() {
    var worst: Float = 0
    for (rows, cols) in shapes {
        let q = randomInt8(rows * cols, seed: UInt64(rows * 3 + cols))
        let scales = randomFloats(rows, seed: UInt64(rows)).map { abs($0) / 127 + 1e-4 }
        let x = randomFloats(cols, seed: 11)
        // Place the weights 0, 1 and 3 bytes past a 64-byte boundary (rows of odd length are unaligned anyway).
        for offset in [0, 1, 3] {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: rows * cols + 64, alignment: 64)
            defer { raw.deallocate() }
            for (i, v) in q.enumerated() { raw.storeBytes(of: v, toByteOffset: offset + i, as: Int8.self) }
            let w = UnsafePointer((raw + offset).bindMemory(to: Int8.self, capacity: rows * cols))
            var ref = [Float](repeating: 0, count: rows)
            matvecInt8Naive(rows: rows, cols: cols, w: w, scales: scales, x: x, y: &ref)
            for threads in [1, 2, 3] {
                var y = [Float](repeating: .nan, count: rows)
                matvecInt8(rows: rows, cols: cols, w: w, scales: scales, x: x, y: &y, threads: threads)
                let d = relDiff(y, ref)
                #expect(d <= 1e-5, "rows \(rows) cols \(cols) offset \(offset) threads \(threads)")
                worst = max(worst, d)
            }
        }
    }
    print("matvec int8: max relative diff \(worst)")
}

@Test func matvecInt8HandChecked() {
    // q = [1 2; −3 127], s = [0.5, 2]:  y = [0.5 · (1·4 + 2·2), 2 · (−3·4 + 127·2)] = [4, 484].
    let q: [Int8] = [1, 2, -3, 127]
    var y: [Float] = [0, 0]
    matvecInt8(rows: 2, cols: 2, w: q, scales: [0.5, 2], x: [4, 2], y: &y)
    #expect(y == [4, 484])
}

@Test func int8WideningIsExactForEveryByte() {
    // All 256 bytes, 16 at a time, from every offset within a 64-byte line.
    let bytes = (0..<(256 + 64)).map { UInt8(truncatingIfNeeded: $0) }
    bytes.withUnsafeBytes { raw in
        for start in stride(from: 0, to: 256, by: 16) {
            for shift in [0, 1, 7] {
                let f = int8x16ToFloat(raw.baseAddress! + start + shift)
                for l in 0..<16 {
                    #expect(f[l] == Float(Int8(bitPattern: bytes[start + shift + l])), "byte \(bytes[start + shift + l])")
                }
            }
        }
    }
}

@Test func matvecInt8BatchEqualsNaive() {
    var worst: Float = 0
    for (rows, cols) in [(1, 1), (3, 17), (17, 65), (9, 128), (130, 100), (257, 1024)] {
        let q = randomInt8(rows * cols, seed: UInt64(rows + cols))
        let scales = randomFloats(rows, seed: 5).map { abs($0) / 127 + 1e-4 }
        for batch in [1, 2, 3, 5, 16] {
            let x = randomFloats(batch * cols, seed: UInt64(batch))
            var ref = [Float](repeating: 0, count: batch * rows)
            matvecInt8BatchNaive(rows: rows, cols: cols, batch: batch, w: q, scales: scales, x: x, y: &ref)
            for threads in [1, 2] {
                var y = [Float](repeating: .nan, count: batch * rows)
                matvecInt8Batch(rows: rows, cols: cols, batch: batch, w: q, scales: scales, x: x, y: &y, threads: threads)
                let d = relDiff(y, ref)
                #expect(d <= 1e-5, "rows \(rows) cols \(cols) batch \(batch) threads \(threads)")
                worst = max(worst, d)
            }
        }
    }
    print("matvec int8 batch: max relative diff \(worst)")
}
