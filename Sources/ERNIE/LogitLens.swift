// LogitLens — what the model would predict if it stopped after each layer (nostalgebraist, "interpreting GPT: the
// logit lens", 2020). The residual stream after layer l is sent through the model's own final RMSNorm and output
// layer, as if the layers above did not exist:
//
//     lens_l(r) = log_softmax( RMSNorm_final(h_l[r]) · W_outᵀ )          l = 0 (embeddings) … L (the real output)
//
// At l = L it is exactly the model's next-token distribution; below, it shows the prediction taking shape layer by
// layer. The hidden states come from ErnieRecorder, so this costs one forward pass plus L + 1 unembeddings.

import LabCore

public struct LogitLens: Sendable {
    /// One candidate token at one (layer, position).
    public struct Candidate: Sendable, Equatable, Codable {
        public let id: Int
        public let logProb: Float
    }

    /// The input ids.
    public let tokens: [Int]
    /// top[l][r]: the best candidates for the token after tokens[r], read after layer l (l = 0: embeddings only).
    public let top: [[[Candidate]]]
    /// log P(actual next token) at every (layer, position); nil for the last position (no next token given).
    public let nextTokenLogProb: [[Float?]]

    /// Layers read, embeddings included (L + 1).
    public var depth: Int { top.count }

    /// Runs `tokens` through `model` once and reads every layer.
    /// - Parameter k: candidates kept per (layer, position).
    /// - Throws: the forward pass's `ErnieError`s.
    public static func run(_ model: ErnieModel, tokens: [Int], k: Int = 5) throws -> LogitLens {
        let recorder = ErnieRecorder()
        var cache = model.makeCache()
        _ = try model.logits(tokens, cache: &cache, allPositions: false, recorder: recorder)
        let N = tokens.count, D = model.config.hiddenSize, V = model.config.vocabSize
        var top: [[[Candidate]]] = []
        var next: [[Float?]] = []
        var normed = [Float](repeating: 0, count: N * D)
        var logits = [Float](repeating: 0, count: N * V)
        var logProbs = [Float](repeating: 0, count: N * V)
        for h in recorder.hiddenStates {
            h.withUnsafeBufferPointer { hb in
                normed.withUnsafeMutableBufferPointer { nb in
                    model.finalNorm(hb.baseAddress!, rows: N, into: nb.baseAddress!)
                    logits.withUnsafeMutableBufferPointer { model.weights.lmHead.apply(nb.baseAddress!, count: N, $0.baseAddress!) }
                }
            }
            logits.withUnsafeBufferPointer { lb in
                logProbs.withUnsafeMutableBufferPointer { logSoftmax(rows: N, cols: V, x: lb.baseAddress!, y: $0.baseAddress!) }
            }
            var layerTop: [[Candidate]] = []
            var layerNext: [Float?] = []
            logProbs.withUnsafeBufferPointer { pb in
                for r in 0..<N {
                    let row = pb.baseAddress! + r * V
                    layerTop.append(LabCore.topK(row, count: V, k: min(k, V)).map { Candidate(id: $0, logProb: row[$0]) })
                    layerNext.append(r + 1 < N ? row[tokens[r + 1]] : nil)
                }
            }
            top.append(layerTop)
            next.append(layerNext)
        }
        return LogitLens(tokens: tokens, top: top, nextTokenLogProb: next)
    }
}
