// `lmlab lens` as a table: for each shown position of the text (columns) and each layer (rows, embeddings at the
// top), the token ERNIE's LogitLens reads as the next one if the model stopped after that layer, with its P.
import ERNIE
import Foundation
import LabCore

extension LogitLens {
    /// A table: a column per shown position (the last `positions`), a row per layer with its top guess and P; ✓ where
    /// the guess is the token that follows.
    public func output(pieces: [String], piece: (Int) -> String, positions: Int) -> Output {
        let lens = self
        let shown = Array(max(0, lens.tokens.count - positions)..<lens.tokens.count)
        let next = [Learner.text("next token", "下一个词元")] + shown.map { $0 + 1 < pieces.count ? pieces[$0 + 1] : "?" }
        let rows = (0..<lens.depth).map { l -> [String] in
            let name = l == 0 ? Learner.text("embeddings", "词嵌入")
                : l == lens.depth - 1 ? Learner.text("layer \(l) (out)", "第 \(l) 层（输出）") : Learner.text("layer \(l)", "第 \(l) 层")
            return [name] + shown.map { r in
                let best = lens.top[l][r][0]
                let hit = r + 1 < lens.tokens.count && best.id == lens.tokens[r + 1]
                let percent = Int((exp(Double(best.logProb)) * 100).rounded())
                return "\(EastAsianWidth.truncate(piece(best.id), toCells: 7)) \(percent)%" + (hit ? " ✓" : "")
            }
        }
        return .table(OutputTable(headers: [Learner.text("position", "位置")] + shown.map { "\($0): \(pieces[$0])" },
                                  rows: [next] + rows))
    }
}
