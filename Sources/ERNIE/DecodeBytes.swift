// DecodeBytes — how many bytes of weights one decode step reads, from config.json alone: what bounds decode speed on
// a machine whose memory streams B bytes a second (tokens/s ≤ B / bytes per token), and what `lmlab bench decode`
// projects ERNIE-4.5-21B-A3B's speed from without its 44 GB of weights (docs/PERFORMANCE.md).
//
// A step reads every attention matrix, each dense FFN, and in an MoE layer the router (f32), the shared experts and
// the k chosen experts (not the other E − k); then the whole output matrix (the embedding, when tied). The
// embedding row of the input token and the norm gains are a few kB and not counted — the same count
// BenchClock.streamedBytesPerToken makes over loaded weights, which a test checks this against.

import LabCore
import ModelFiles

extension WeightMatrix {
    /// Bytes a pass over a [rows, cols] matrix held as `storage` reads: its elements, plus the scales of int8 (one
    /// per row) or int4 (an int8 one per group of 32 and a float one per row).
    public static func byteCount(rows: Int, cols: Int, storage: Storage) -> Int {
        switch storage {
        case .f32: return 4 * rows * cols
        case .bf16, .f16: return 2 * rows * cols
        case .int8: return rows * cols + 4 * rows
        case .int4:                                             // tiles of 8 rows × 128 columns, padded with zeros
            return int4TiledByteCount(rows: rows, cols: cols)
        }
    }
}

extension ERNIEConfig {
    /// The storage the weight matrices have once loaded in `precision` (as-stored: the config's dtype).
    public func matrixStorage(_ precision: WeightPrecision) -> WeightMatrix.Storage {
        switch precision {
        case .asStored: return dtype == "bfloat16" ? .bf16 : dtype == "float16" ? .f16 : .f32
        case .bf16: return .bf16
        case .f32: return .f32
        case .int8: return .int8
        case .int4: return .int4
        }
    }

    /// Bytes of weights one single-token decode step reads with the matrices in `precision`.
    public func decodeBytesPerToken(precision: WeightPrecision) -> Int {
        let storage = matrixStorage(precision)
        var total = 0
        for (name, shape) in checkpointShapes where shape.count == 2 && name != "model.embed_tokens.weight" {
            if name.hasSuffix(".mlp.gate.weight") { total += 4 * shape[0] * shape[1]; continue }   // router, f32
            if let moe, let e = expertIndex(name), e >= moe.topK { continue }          // k of the E experts are read
            total += WeightMatrix.byteCount(rows: shape[0], cols: shape[1], storage: storage)
        }
        if tieWordEmbeddings {                                                  // the output matrix is the embedding
            total += WeightMatrix.byteCount(rows: vocabSize, cols: hiddenSize, storage: storage)
        }
        return total
    }

    /// Bytes every weight matrix takes once converted to `precision` (all experts; MoE routers stay f32): what a
    /// converting load allocates, checked against the machine's memory before anything is read (ErnieModel.init).
    public func convertedWeightBytes(_ precision: WeightPrecision) -> Int {
        let storage = matrixStorage(precision)
        return checkpointShapes.filter { $0.shape.count == 2 }.reduce(0) { total, tensor in
            total + (tensor.name.hasSuffix(".mlp.gate.weight") ? 4 * tensor.shape[0] * tensor.shape[1]
                     : WeightMatrix.byteCount(rows: tensor.shape[0], cols: tensor.shape[1], storage: storage))
        }
    }

    /// e of "model.layers.{i}.mlp.experts.{e}.…", else nil.
    private func expertIndex(_ name: String) -> Int? {
        guard let r = name.range(of: ".mlp.experts.") else { return nil }
        return Int(name[r.upperBound...].prefix { $0.isNumber })
    }
}
