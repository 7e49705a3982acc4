// RandomErnieCheckpoint — an ERNIE-4.5 checkpoint of any shape filled with seeded random bf16 weights, so
// `lmlab bench decode|prefill --random-0.3b` can measure the engine at the real 0.3B shape without downloading it,
// and `--random-moe` at ERNIE-4.5-21B-A3B's mixture-of-experts proportions (`moeBench`).
//
// The folder holds what a real checkpoint holds (config.json + model.safetensors, tied embeddings, no lm_head),
// and the benchmark loads it through the same memory-mapped path (ErnieModel(folder:)) — so it measures exactly
// what the published checkpoint costs; only the numbers inside are different.
//
// Values: matrices ~ N(0, σ²), σ = 0.02 (transformers' `initializer_range` for Ernie4_5), norm gains = 1.
// 0.3B has 360 M matrix entries, so each one is drawn cheaply: one 64-bit xoshiro256** draw gives four 16-bit
// uniforms uᵢ ∈ (0, 1), and  z = (u₁ + u₂ + u₃ + u₄ − 2)·√3  (Irwin–Hall, n = 4) has mean 0 and variance 1 —
// a normal's first two moments, with tails cut at ±2√3 ≈ ±3.46. The entries are split in chunks of 2²⁰, each
// with its own generator seeded from (seed, tensor, chunk), so the file is the same for every thread count.

import Foundation
import LabCore
import ModelFiles

public enum RandomErnieCheckpoint {
    /// Standard deviation of the matrix entries (Ernie4_5Config.initializer_range).
    public static let standardDeviation: Float = 0.02
    /// Entries per independently seeded chunk.
    public static let chunk = 1 << 20

    /// A mixture-of-experts checkpoint of ERNIE-4.5-21B-A3B's proportions at about a sixth of its width and a
    /// seventh of its depth, for `lmlab bench … --random-moe` (1.66 GB in bf16; docs/PERFORMANCE.md):
    ///
    ///                          21B-A3B              this            ratio kept
    ///   hidden D               2560                 1024
    ///   heads (q / kv × Dh)    20 / 4 × 128         8 / 2 × 128     q width = D, Dh as published
    ///   layer 0                dense, F 12288       dense, F 4864   F ≈ 4.8·D
    ///   MoE layers             27                   6
    ///   experts E / top-k      64 / 6               64 / 6          the same router work and k/E
    ///   expert width Fe        1536                 640             Fe ≈ 0.6·D (a multiple of 64 and of 32 for Q4_0)
    ///   shared experts         2                    2
    ///   vocab V (tied)         103424               16384           lm_head 11 % of the active bytes (21B: 8 %)
    ///
    /// Per MoE layer the active bytes split as in 21B-A3B (6 experts 64 %, shared 21 %, attention 14 %); fewer
    /// layers make layer 0 and the lm_head weigh more (active/total 17.5 % vs 15.4 %). ≥ 1 GB, so the weights do not
    /// sit in the CPU's caches, as in the real model.
    public static let moeBench = ERNIEConfig(
        hiddenSize: 1024, numHiddenLayers: 7, numAttentionHeads: 8, numKeyValueHeads: 2, headDim: 128,
        intermediateSize: 4864, vocabSize: 16384, dtype: "bfloat16", modelType: "ernie4_5_moe",
        architectures: ["Ernie4_5_MoeForCausalLM"],
        moe: ERNIEMoEConfig(numExperts: 64, topK: 6, intermediateSize: 640, numSharedExperts: 2,
                            layerStartIndex: 1, layerEndIndex: 6))

    /// The cache folder for `config` and `seed` under the temporary directory: `lmlab-random-0.3b-seed<S>` for
    /// the published 0.3B shape, `lmlab-random-moe-seed<S>` for `moeBench`, `lmlab-random-<L>x<D>x<F>x<V>-seed<S>`
    /// otherwise.
    public static func defaultFolder(config: ERNIEConfig, seed: UInt64) -> URL {
        let shape = config == .ernie45_0_3B ? "0.3b" : config == moeBench ? "moe"
            : "\(config.numHiddenLayers)x\(config.hiddenSize)x\(config.intermediateSize)x\(config.vocabSize)"
        return FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-random-\(shape)-seed\(seed)")
    }

    /// Writes the checkpoint into `folder` unless a complete one is already there. Complete means config.json
    /// equals `config` and model.safetensors exists (the writer renames it into place only once fully written).
    ///
    /// - Returns: true when the files were written by this call.
    /// - Throws: file-system errors naming the folder, `SafetensorsError.cannotWrite`.
    @discardableResult
    public static func ensure(config: ERNIEConfig, seed: UInt64, folder: URL) throws -> Bool {
        let configURL = folder.appendingPathComponent("config.json")
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        if FileManager.default.fileExists(atPath: weightsURL.path),
           let data = try? Data(contentsOf: configURL),          // unreadable or stale: rebuilt below
           let stored = try? JSONDecoder().decode(ERNIEConfig.self, from: data), stored == config {
            return false
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try config.jsonData().write(to: configURL, options: .atomic)
        try makeWriter(config: config, seed: seed).write(to: weightsURL)
        return true
    }

    /// Every tensor of the checkpoint (ModelFiles' `checkpointShapes`, dense or MoE): matrices random in bf16 (the
    /// n-th matrix of that list seeded by n, so a dense checkpoint is the same file as before the MoE layers existed),
    /// except the MoE routers, which the Hub files keep in f32; RMSNorm gains 1; an MoE config's correction biases
    /// (`statisticShapes`) 0 in f32, as a freshly initialized model has them.
    public static func makeWriter(config c: ERNIEConfig, seed: UInt64) throws -> SafetensorsWriter {
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        let shapes = c.checkpointShapes
        for (index, (name, shape)) in shapes.filter({ $0.shape.count == 2 }).enumerated() {
            let bytes = randomBF16(count: shape[0] * shape[1], seed: seed, tensor: UInt64(index))
            if name.hasSuffix(".mlp.gate.weight") {                                    // a router [E, D]: f32
                let floats = bytes.withUnsafeBytes { raw in
                    raw.bindMemory(to: UInt16.self).map { BFloat16(bitPattern: UInt16(littleEndian: $0)).float }
                }
                try writer.add(name, floats: floats, shape: shape, as: .f32)
            } else {
                try writer.add(name, dtype: .bf16, shape: shape, bytes: bytes)
            }
        }
        for (name, shape) in shapes where shape.count == 1 {                       // RMSNorm gains start at 1
            try writer.add(name, bfloat16s: [BFloat16](repeating: BFloat16(Float(1)), count: shape[0]), shape: shape)
        }
        for (name, shape) in c.statisticShapes {
            try writer.add(name, floats: [Float](repeating: 0, count: shape.reduce(1, *)), shape: shape, as: .f32)
        }
        return writer
    }

    /// `count` bf16 values ~ σ·z (z by Irwin–Hall, see the file header) as little-endian bytes, in parallel.
    public static func randomBF16(count: Int, seed: UInt64, tensor: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 2 * count)
        let chunks = (count + chunk - 1) / chunk
        let scale = standardDeviation * Float(3).squareRoot() / 65536
        bytes.withUnsafeMutableBytes { raw in
            let out = raw.bindMemory(to: UInt16.self).baseAddress!
            parallelFor(chunks) { range in
                for k in range {
                    var rng = SeededRNG(seed: mix(seed, tensor, UInt64(k)))
                    for i in (k * chunk)..<min(count, (k + 1) * chunk) {
                        let r = rng.next()
                        // Σ of four 16-bit uniforms (k + ½)/65536, minus their mean 2, scaled to σ.
                        let sum = Int(r & 0xFFFF) + Int((r >> 16) & 0xFFFF) + Int((r >> 32) & 0xFFFF) + Int(r >> 48)
                        let z = Float(sum + 2 - 2 * 65536) * scale          // (Σ(kᵢ + ½) − 2·65536)/65536 · √3σ
                        out[i] = BFloat16(z).bitPattern.littleEndian
                    }
                }
            }
        }
        return bytes
    }

    /// A 64-bit seed for one chunk: SplitMix64's finaliser over the three indices.
    static func mix(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        var z = (a &* 0x9E37_79B9_7F4A_7C15) ^ ((b &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9)
            ^ ((c &+ 1) &* 0x94D0_49BB_1331_11EB)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
