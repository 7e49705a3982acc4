// matvec (f32) and matvecBF16 against their naive twins, over odd shapes, unaligned bf16 data and 1–3 threads.
import Testing
@testable import LabCore

private let shapes = [(1, 1), (1, 1023), (3, 17), (17, 3), (17, 1023), (1023, 17), (5, 32), (33, 64), (1023, 1023), (130, 100)]

@Test func matvecF32EqualsNaive() {
    var worst: Float = 0
    for (rows, cols) in shapes {
        let w = randomFloats(rows * cols, seed: UInt64(rows * 7 + cols)), x = randomFloats(cols, seed: 99)
        var ref = [Float](repeating: 0, count: rows)
        matvecNaive(rows: rows, cols: cols, w: w, x: x, y: &ref)
        for threads in [1, 2, 3] {
            var y = [Float](repeating: .nan, count: rows)
            matvec(rows: rows, cols: cols, w: w, x: x, y: &y, threads: threads)
            let d = relDiff(y, ref)
            #expect(d <= 1e-5, "rows \(rows) cols \(cols) threads \(threads)")
            worst = max(worst, d)
        }
    }
    print("matvec f32: max relative diff \(worst)")
}

@Test func matvecBF16EqualsNaiveAtAnyAlignment() {
    var worst: Float = 0
    for (rows, cols) in shapes {
        let bits = randomFloats(rows * cols, seed: UInt64(rows * 5 + cols)).map { BFloat16($0).bitPattern }
        let x = randomFloats(cols, seed: 7)
        // Place the weights 0, 1 and 2 bytes past a 64-byte boundary (safetensors only promises 2 bytes).
        for offset in [0, 1, 2] {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * rows * cols + 64, alignment: 64)
            defer { raw.deallocate() }
            for (i, b) in bits.enumerated() { raw.storeBytes(of: b, toByteOffset: offset + 2 * i, as: UInt16.self) }
            let w = UnsafeRawPointer(raw + offset)
            var ref = [Float](repeating: 0, count: rows)
            matvecBF16Naive(rows: rows, cols: cols, w: w, x: x, y: &ref)
            for threads in [1, 2, 3] {
                var y = [Float](repeating: .nan, count: rows)
                matvecBF16(rows: rows, cols: cols, w: w, x: x, y: &y, threads: threads)
                let d = relDiff(y, ref)
                #expect(d <= 1e-5, "rows \(rows) cols \(cols) offset \(offset) threads \(threads)")
                worst = max(worst, d)
            }
        }
    }
    print("matvec bf16: max relative diff \(worst)")
}

@Test func matvecBF16HandChecked() {
    // bf16 bits: 0x3F80 = 1, 0x4000 = 2, 0xC040 = −3, 0x3F00 = 0.5.  [1 2; −3 0.5] · [4, 2] = [8, −11].
    let w: [UInt16] = [0x3F80, 0x4000, 0xC040, 0x3F00]
    var y: [Float] = [0, 0]
    w.withUnsafeBytes { matvecBF16(rows: 2, cols: 2, w: $0.baseAddress!, x: [4, 2], y: &y) }
    #expect(y == [8, -11])
}
