// What `lmlab rnn vanishing` shows: how the gradient of the loss shrinks with the distance k back in time, for the
// Elman RNN and the GRU side by side — ‖∂L/∂h_{T−1−k}‖ averaged over held-out sequences, bars on a log scale, and
// the ratio g(k)/g(0). A curve's fields are the command's --json keys.
import ClassicLMs
import Foundation
import LabCore
import NeuralLMs

public struct GradientNormCurve: Encodable, Sendable {
    public let model: String
    public let points: [GradientNormPoint]

    public init(model: String, points: [GradientNormPoint]) { (self.model, self.points) = (model, points) }

    /// `rnn vanishing`: the curves of the Elman RNN and the GRU that `rnn` and `gru` name (default: the trained
    /// Models/rnn-stories-en, gru-stories-en), each averaged over `sequences` held-out sequences of its corpus.
    /// - Throws: `OptionError` when the held-out text is too short for them.
    public static func measure(rnn: String?, gru: String?, maxLag: Int, sequences: Int) throws -> [GradientNormCurve] {
        try [(RecurrentCellKind.elman, rnn), (.gru, gru)].map { kind, option in
            let file = try TrainedModelFolder.checkpointFile(option, defaultName: "\(kind.rawValue)-stories-en",
                                                             trainCommand: "train \(kind.rawValue)")
            let checkpoint = try NeuralCheckpoint(contentsOf: file, kind: kind.rawValue)
            let model = try RecurrentLM(checkpoint: checkpoint)
            let corpus = try Corpus.lesson(checkpoint.metadata["corpus"] ?? "stories-en")
            // Held-out sentences as one stream, cut into sequences of max-lag + 12 tokens.
            let length = maxLag + 12
            guard let seqs = model.sequences(of: corpus.heldOut, count: sequences, length: length) else {
                throw OptionError(Learner.text(
                    "the held-out text has too few tokens for \(sequences) sequences of \(length). HINT: lower --sequences or --max-lag.",
                    "留出集的词元不够切出 \(sequences) 条长 \(length) 的序列。HINT：调小 --sequences 或 --max-lag。"))
            }
            return GradientNormCurve(model: model.name, points: model.meanGradientNorms(seqs, maxLag: maxLag))
        }
    }

    /// The two curves (RNN, GRU) as a table for k = 0 … `maxLag`, and the ratio of the last to the first norm.
    public static func output(_ curves: [GradientNormCurve], maxLag: Int, sequences: Int) -> Output {
        let all = curves.flatMap { $0.points.map(\.norm) }.filter { $0 > 0 }
        let (lo, hi) = (Foundation.log10(all.min() ?? 1e-12), Foundation.log10(all.max() ?? 1))
        func bar(_ v: Double) -> String {
            guard v > 0, hi > lo else { return "" }
            return String(repeating: "█", count: max(1, Int(((Foundation.log10(v) - lo) / (hi - lo) * 24).rounded())))
        }
        let ratio = { (c: GradientNormCurve) in c.points[maxLag].norm / max(c.points[0].norm, 1e-30) }
        return .group(OutputGroup([
            .table(OutputTable(title: Learner.text("‖∂L/∂h_{T−1−k}‖, mean over \(sequences) held-out sequences (bars: log scale)",
                                                   "‖∂L/∂h_{T−1−k}‖，\(sequences) 条留出序列的平均（条形：对数刻度）"),
                               headers: ["k", curves[0].model, "", curves[1].model, ""],
                               rows: (0...maxLag).map { k in
                                   let (a, b) = (curves[0].points[k].norm, curves[1].points[k].norm)
                                   return ["\(k)", String(format: "%.2e", a), bar(a), String(format: "%.2e", b), bar(b)]
                               }, alignments: [.right, .right, .left, .right, .left])),
            .text(String(format: "g(%d)/g(0): %@ %.2e, %@ %.2e", maxLag, curves[0].model, ratio(curves[0]), curves[1].model, ratio(curves[1]))),
        ]))
    }
}
