// matvecBF16Multi (several bf16 matvecs over one combined row range) against matvecBF16Naive per part, over
// ragged part sizes (so thread blocks start and end inside parts), unaligned weights and 1–3 threads.
import Testing
@testable import LabCore

@Test func matvecBF16MultiEqualsNaivePerPart() {
    var worst: Float = 0
    // Part row counts per case; the shapes of ERNIE's fused q/k/v and gate/up (scaled down) and odd ones.
    let cases: [([Int], Int)] = [([64, 8, 8], 128), ([48, 48], 96), ([1, 17, 3], 33), ([13], 1023), ([7, 0, 9], 64),
                                 ([256, 32, 32], 100)]
    for (partRows, cols) in cases {
        let x = randomFloats(cols, seed: 11)
        for offset in [0, 2] {
            var raws: [UnsafeMutableRawPointer] = []
            defer { raws.forEach { $0.deallocate() } }
            var refs: [[Float]] = []
            for (i, rows) in partRows.enumerated() {
                let bits = randomFloats(rows * cols, seed: UInt64(100 * i + rows + cols)).map { BFloat16($0).bitPattern }
                let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * rows * cols + 64, alignment: 64)
                for (j, b) in bits.enumerated() { raw.storeBytes(of: b, toByteOffset: offset + 2 * j, as: UInt16.self) }
                raws.append(raw)
                var ref = [Float](repeating: 0, count: rows)
                matvecBF16Naive(rows: rows, cols: cols, w: UnsafeRawPointer(raw + offset), x: x, y: &ref)
                refs.append(ref)
            }
            for threads in [1, 2, 3] {
                let outs = partRows.map { UnsafeMutablePointer<Float>.allocate(capacity: max(1, $0)) }
                defer { outs.forEach { $0.deallocate() } }
                for (o, rows) in zip(outs, partRows) { o.initialize(repeating: .nan, count: max(1, rows)) }
                let parts = partRows.indices.map {
                    BF16MatVecPart(w: UnsafeRawPointer(raws[$0] + offset), rows: partRows[$0], y: outs[$0])
                }
                matvecBF16Multi(parts, cols: cols, x: x, threads: threads)
                for (i, rows) in partRows.enumerated() {
                    let y = Array(UnsafeBufferPointer(start: outs[i], count: rows))
                    let d = relDiff(y, refs[i])
                    #expect(d <= 1e-5, "parts \(partRows) part \(i) cols \(cols) offset \(offset) threads \(threads)")
                    worst = max(worst, d)
                    // Bit-identical to the single-matrix kernel (same per-row code).
                    var single = [Float](repeating: .nan, count: rows)
                    matvecBF16(rows: rows, cols: cols, w: UnsafeRawPointer(raws[i] + offset), x: x, y: &single,
                               threads: threads)
                    #expect(y == single, "parts \(partRows) part \(i): fused differs from matvecBF16")
                }
            }
        }
    }
    print("matvecBF16Multi: max relative diff to naive \(worst)")
}
