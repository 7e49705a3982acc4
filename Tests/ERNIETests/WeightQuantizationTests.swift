// Per-row int8 quantisation (WeightQuantization.swift) and the load-time conversions of WeightPrecision:
// the round-trip error bound s/2, the edge rows (all zeros, one huge outlier, non-finite), and each conversion
// compared element by element with the stored checkpoint.

import Foundation
import Testing
import LabCore
import ModelFiles
@testable import ERNIE

@Suite("int8 quantisation and precision conversion", .exactBF16Gemm)   // the weights' effect alone: f32 activations
struct WeightQuantizationTests {
    /// Quantises `row`, returns (s, q).
    func quantize(_ row: [Float]) -> (Float?, [Int8]) {
        var q = [Int8](repeating: 99, count: row.count)
        let s = quantizeRowInt8(row, count: row.count, into: &q)
        return (s, q)
    }

    @Test("round trip: |w − s·q| ≤ s/2 for every element, and max |w| maps to ±127")
    func roundTrip() throws {
        var rng = SeededRNG(seed: 4)
        var worstRatio: Float = 0
        for n in [1, 7, 64, 1000] {
            for _ in 0..<20 {
                let row = (0..<n).map { _ in Float(rng.nextNormal()) * 0.05 }
                let (scale, q) = quantize(row)
                let s = try #require(scale)
                #expect(s == row.map(abs).max()! / 127)
                for (w, v) in zip(row, q) {
                    let err = abs(w - s * Float(v))
                    worstRatio = max(worstRatio, err / s)
                    #expect(err <= s / 2 * (1 + 1e-5), "w \(w) q \(v) s \(s)")
                }
                let peak = row.indices.max { abs(row[$0]) < abs(row[$1]) }!
                #expect(abs(Int(q[peak])) == 127)
            }
        }
        print("int8 round trip: max |w − s·q| / s = \(worstRatio) (bound 0.5)")
    }

    @Test("the SIMD quantiser equals its naive twin bit for bit: ties, tails, rows of any length, non-finite lanes")
    func equalsNaiveTwin() {
        var rng = SeededRNG(seed: 11)
        var rows: [[Float]] = []
        for n in [1, 5, 15, 16, 17, 31, 32, 33, 100, 1024, 1031] {
            rows.append((0..<n).map { _ in Float(rng.nextNormal()) * 0.05 })
            // s = 1 exactly (the row holds ±127), and every other weight a half-integer: all ties, in every lane
            rows.append((0..<n).map { i in i == n / 2 ? (i % 2 == 0 ? 127 : -127) : Float(rng.nextInt(below: 254) - 127) + 0.5 })
            rows.append([Float](repeating: 0, count: n))
        }
        for bad in [Float.nan, .infinity, -.infinity] {
            for at in [0, 17, 40] { var row = [Float](repeating: 0.25, count: 48); row[at] = bad; rows.append(row) }
        }
        var checked = 0, maxDelta = 0
        for row in rows {
            var fast = [Int8](repeating: 99, count: row.count), naive = [Int8](repeating: 98, count: row.count)
            let sf = quantizeRowInt8(row, count: row.count, into: &fast)
            let sn = quantizeRowInt8Naive(row, count: row.count, into: &naive)
            #expect(sf?.bitPattern == sn?.bitPattern, "n \(row.count): s \(String(describing: sf)) vs \(String(describing: sn))")
            if sn != nil {
                #expect(fast == naive, "n \(row.count)")
                checked += row.count
                maxDelta = max(maxDelta, zip(fast, naive).map { abs(Int($0) - Int($1)) }.max() ?? 0)
            }
        }
        print("int8 quantiser, SIMD vs naive: \(rows.count) rows, \(checked) weights, max |Δq| = \(maxDelta)")
    }

    @Test("releasing a converted matrix's mapped pages leaves its bytes as they were (they fault back in from the file)")
    func releasedPagesReadTheSame() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-release-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var rng = SeededRNG(seed: 12)
        let (rows, cols) = (96, 256)                                   // 96 KB of f32: whole pages inside it
        var writer = SafetensorsWriter()
        try writer.add("w", floats: (0..<(rows * cols)).map { _ in Float(rng.nextNormal()) }, shape: [rows, cols], as: .f32)
        try writer.write(to: url)
        let file = try SafetensorsFile(url: url)
        let t = try file.tensor("w")
        let matrix = WeightMatrix(name: "w", rows: rows, cols: cols, storage: .f32, base: t.bytes.baseAddress!)
        let before = (0..<(rows * cols)).map { matrix.element($0 / cols, $0 % cols) }
        matrix.releaseMappedPages()
        let after = (0..<(rows * cols)).map { matrix.element($0 / cols, $0 % cols) }
        #expect(before == after)
        #expect(after == (try t.floats()))
    }

    @Test("hand-checked: [127, −2.5, 3.5, 0.4, −127] → s = 1, q = [127, −2, 4, 0, −127] (halves round to even)")
    func handChecked() {
        let (s, q) = quantize([127, -2.5, 3.5, 0.4, -127])
        #expect(s == 1)
        #expect(q == [127, -2, 4, 0, -127])
    }

    @Test("a row of zeros: s = 0 and q = 0 (no division by zero)")
    func zeroRow() {
        let (s, q) = quantize([0, 0, -0.0, 0])
        #expect(s == 0)
        #expect(q == [0, 0, 0, 0])
    }

    @Test("one huge value stretches the row's grid: the outlier is exact, the small weights collapse to 0")
    func outlier() throws {
        var row = (0..<64).map { Float($0 % 7 - 3) * 0.01 }            // |w| ≤ 0.03
        row[17] = 100
        let (scale, q) = quantize(row)
        let s = try #require(scale)
        #expect(q[17] == 127)
        #expect(s * Float(q[17]) == 100)
        #expect(q.enumerated().allSatisfy { $0.offset == 17 || $0.element == 0 })    // 0.03 / (100/127) < 0.5
        let worst = zip(row, q).map { abs($0 - s * Float($1)) }.max()!
        print("int8 outlier row: s = \(s), max |w − s·q| = \(worst) (the small weights are lost)")
        #expect(worst <= s / 2)
    }

    @Test("a NaN or ∞ weight is refused, and a matrix names itself and the row")
    func nonFinite() throws {
        #expect(quantize([1, .nan, 2]).0 == nil)
        #expect(quantize([0, .nan]).0 == nil)
        #expect(quantize([1, .infinity]).0 == nil)
        let values: [Float] = [1, 2, 3, 4, 5, .infinity]
        try values.withUnsafeBytes { raw in
            let m = WeightMatrix(name: "model.layers.0.mlp.up_proj.weight", rows: 2, cols: 3, storage: .f32,
                                 base: raw.baseAddress!)
            #expect(throws: WeightQuantizationError.self) { _ = try m.converted(to: .int8) }
            do { _ = try m.converted(to: .int8) } catch let e as WeightQuantizationError {
                #expect(e.row == 1 && e.description.contains("up_proj"))
            }
        }
    }

    @Test("each precision on the f32 fixture, element by element against the stored weights", arguments: ["gqa-tied", "mqa-untied"])
    func conversions(name: String) throws {
        let stored = try ErnieModel(folder: Fixtures.folder(name))
        let bf16 = try ErnieModel(folder: Fixtures.folder(name), precision: .bf16)
        let int8 = try ErnieModel(folder: Fixtures.folder(name), precision: .int8)
        let f32 = try ErnieModel(folder: Fixtures.folder(name), precision: .f32)
        #expect(stored.weights.embedding.owner == nil && f32.weights.embedding.owner != nil  // f32 file: copied as it is
                && int8.weights.embedding.owner != nil)
        #expect(f32.weights.layers[1].q.storage == .f32 && f32.weights.layers[1].q.base != stored.weights.layers[1].q.base)
        #expect(int8.weights.tied == stored.weights.tied)
        if int8.weights.tied { #expect(int8.weights.lmHead.base == int8.weights.embedding.base) }  // quantised once
        var worstInt8: Float = 0
        let pairs = [(stored.weights.embedding, bf16.weights.embedding, int8.weights.embedding),
                     (stored.weights.layers[1].q, bf16.weights.layers[1].q, int8.weights.layers[1].q),
                     (stored.weights.layers[2].feedForward.dense!.down, bf16.weights.layers[2].feedForward.dense!.down,
                      int8.weights.layers[2].feedForward.dense!.down),
                     (stored.weights.lmHead, bf16.weights.lmHead, int8.weights.lmHead)]
        for (w, b, q) in pairs {
            #expect(b.storage == .bf16 && q.storage == .int8)
            let scales = try #require(q.int8Scales)
            for r in 0..<w.rows {
                let rowMax = (0..<w.cols).map { abs(w.element(r, $0)) }.max()!
                #expect(scales[r] == rowMax / 127)
                for c in 0..<w.cols {
                    #expect(b.element(r, c) == BFloat16(w.element(r, c)).float)
                    let err = abs(q.element(r, c) - w.element(r, c))
                    #expect(err <= scales[r] / 2 * (1 + 1e-5))
                    worstInt8 = max(worstInt8, err / scales[r])
                }
            }
        }
        print("[\(name)] int8 weights: max |w − s·q| / s = \(worstInt8) (bound 0.5); bf16 equal to BFloat16(w) everywhere")
    }

    @Test("f32 widening of the bf16 fixture scores as the bf16 weights read in place; bf16 copies them bit for bit")
    func widenedBF16() throws {
        let name = "gqa-tied-bf16"
        let stored = try ErnieModel(folder: Fixtures.folder(name))
        let f32 = try ErnieModel(folder: Fixtures.folder(name), precision: .f32)
        let bf16 = try ErnieModel(folder: Fixtures.folder(name), precision: .bf16)
        #expect(f32.weights.embedding.storage == .f32 && stored.weights.embedding.storage == .bf16)
        #expect(stored.weights.embedding.owner == nil && f32.weights.embedding.owner != nil)
        // bf16 of a bf16 file: the same bytes, copied into the lab's memory (every matrix, the tied head once).
        let matrices = { (m: ErnieModel) in
            [m.weights.embedding, m.weights.layers[1].q, m.weights.layers[1].k, m.weights.layers[2].feedForward.dense!.down]
        }
        for (s, c) in zip(matrices(stored), matrices(bf16)) {
            #expect(c.storage == .bf16 && c.owner != nil && c.base != s.base, "\(c.name) is a copy")
            #expect(memcmp(c.base, s.base, c.rows * c.rowBytes) == 0, "\(c.name) holds the file's bytes")
        }
        #expect(bf16.weights.lmHead.base == bf16.weights.embedding.base)
        let ids = try Fixtures.expected(name).input_ids
        var a = stored.makeCache(), b = f32.makeCache(), c = bf16.makeCache()
        let storedScores = try stored.scoreAll(ids, from: &a)
        let diff = maxAbsDiff(storedScores, try f32.scoreAll(ids, from: &b))
        let copyDiff = maxAbsDiff(storedScores, try bf16.scoreAll(ids, from: &c))
        print("[\(name)] as stored (bf16) vs widened to f32: max abs log-prob diff \(diff); vs the bf16 copy: \(copyDiff)")
        #expect(diff <= 1e-4)
        #expect(copyDiff == 0)
    }
}
