// `lmlab lens` as a table: for each shown position of the text (columns) and each layer (rows, embeddings at the
// top), the token ERNIE's LogitLens reads as the next one if the model stopped after that layer, with its P; and
// LensReading, the lens run on a model's reading of a text, which the table, the explorer and --json show.
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
                return "\(EastAsianWidth.truncate(piece(best.id), toCells: 12)) \(percent)%" + (hit ? " ✓" : "")
            }
        }
        return .table(OutputTable(headers: [Learner.text("position", "位置")] + shown.map { "\($0): \(pieces[$0])" },
                                  rows: [next] + rows).continuingBelow())
    }
}

/// `lmlab lens` on a model: the text read after <s>, the lens run over it, and the pieces that name its ids.
public struct LensReading {
    public let lens: LogitLens
    /// The tokenizer's piece of an id, control characters escaped.
    public let piece: (Int) -> String

    /// Runs the lens of `model` (a folder or a name) over <s> and `text`, keeping `k` candidates per cell.
    /// - Throws: what loading throws; `ModelLoadError` when the folder has no tokenizer.
    public init(model: String, text: String, k: Int) throws {
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let ids = [tokenizer.bosId].compactMap { $0 } + tokenizer.encode(text, addBos: false)
        lens = try LogitLens.run(loaded.model, tokens: ids, k: k)
        piece = { VisibleText.escapingControls(tokenizer.piece($0)) }
    }

    public var pieces: [String] { lens.tokens.map(piece) }

    /// `lens --json`: {tokens, pieces, top[layer][position], next_logprob[layer][position]}.
    public struct JSON: Encodable {
        let tokens: [Int]
        let pieces: [String]
        let top: [[[LogitLens.Candidate]]]
        let next_logprob: [[Float?]]
    }

    public var json: JSON {
        JSON(tokens: lens.tokens, pieces: pieces, top: lens.top, next_logprob: lens.nextTokenLogProb)
    }

    /// The full-screen lens: the same cells with probabilities.
    public func explorer(modelName: String) -> LogitLensExplorer {
        LogitLensExplorer(
            modelName: modelName, tokens: pieces,
            top: lens.top.map { $0.map { $0.map { LensPrediction(piece($0.id), exp(Double($0.logProb))) } } },
            nextProbability: lens.nextTokenLogProb.map { $0.map { $0.map { exp(Double($0)) } } })
    }

    /// The table of the last `positions` positions.
    public func output(positions: Int) -> Output { lens.output(pieces: pieces, piece: piece, positions: positions) }
}
