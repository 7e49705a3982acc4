// What `lmlab prob` shows: the per-token ledger of P(text) as a table (with --compare a second model's column and
// the difference B − A), the totals of each model, and the line saying each model's weight precision.
import Decoding
import ERNIE
import Foundation
import LabCore
import Tokenizers

public enum ProbReport {
    /// What `lmlab prob` scores: the text (or the ids) under the model and, with `compare`, under a second one.
    public struct Scored: Sendable {
        public let main: LoadedModel
        public let other: LoadedModel?
        /// The BOS convention, in words (the ledger's first header line).
        public let convention: String
        public let first: SentenceScore
        public let second: SentenceScore?

        /// Loads the model(s) and scores `ids` as given, or `text` (`-` reads stdin) with <s> first unless `bos` is false
        /// or as a chat turn with `chat`.
        /// - Throws: `ModelLoadError` when fewer than two tokens leave nothing to score, or what loading throws.
        public init(model: String, precision: WeightPrecision, compare: String?, comparePrecision: WeightPrecision,
                    ids: [Int]?, text: String?, bos: Bool?, chat: Bool) throws {
            main = try ModelLoader.load(model, precision: precision)
            other = try compare.map { c in
                try ModelNameSuggestion.written({ "--compare \($0)" }) {
                    try ModelLoader.load(c, precision: comparePrecision)
                }
            }
            let (tokenIds, convention) = try ProbReport.tokens(ids: ids, text: text, tokenizer: main.tokenizer, bos: bos,
                                                               chat: chat, name: model)
            self.convention = convention
            first = try SentenceScore.score(tokenIds, with: main.model, pieces: main.model.vocabulary.piece)
            second = try other.map { try SentenceScore.score(tokenIds, with: $0.model, pieces: $0.model.vocabulary.piece) }
        }
    }

    /// The ids `prob` scores and its BOS convention in words: `ids` as given, or `text` (`-` reads stdin) through
    /// `tokenizer` with <s> first unless `bos` is false, or as a chat turn with `chat`. Needs only a tokenizer, so
    /// `prob --api` scores without local weights.
    /// - Throws: `ModelLoadError` when fewer than two tokens leave nothing to score.
    public static func tokens(ids: [Int]?, text: String?, tokenizer: ErnieTokenizer?, bos: Bool?, chat: Bool,
                              name: String) throws -> (ids: [Int], convention: String) {
        let (tokenIds, convention) = try ids.map { ($0, LoadedModel.givenIdsConvention($0)) }
            ?? LoadedModel.scoringIds(try StandardInputText.resolve(text ?? ""), tokenizer: tokenizer, bos: bos, chat: chat, name: name)
        guard tokenIds.count >= 2 else {
            throw ModelLoadError(Learner.text(
                "\(tokenIds.count) token\(tokenIds.count == 1 ? "" : "s") (\(tokenIds)): the first is context, so nothing is "
                    + "scored and the perplexity is 0/0. HINT: give a longer text or more --ids, or keep --bos so the "
                    + "text's first token is scored.",
                "只有 \(tokenIds.count) 个词元（\(tokenIds)）：第一个只作上文，没有词元可打分，困惑度是 0/0。"
                    + "HINT：给更长的文本或更多 --ids，或保留 --bos，让文本的第一个词元也被打分。"))
        }
        return (tokenIds, convention)
    }

    /// "weights: …" for the ledger header: each model's precision and what it costs.
    public static func precisionLine(_ a: LoadedModel, _ b: LoadedModel?) -> String {
        func describe(_ m: ErnieModel) -> String {
            let stored = m.weights.storedStorage.rawValue, precision = m.weights.precision
            if precision == .asStored { return Learner.text("as stored (\(stored), memory-mapped)", "按存储原样（\(stored)，内存映射）") }
            if m.weights.embedding.storage == m.weights.storedStorage {   // the same format: a copy
                return Learner.text("\(precision.rawValue), the file's bytes copied at load into the lab's memory",
                                    "\(precision.rawValue)，加载时把文件的字节原样复制进实验室的内存")
            }
            return Learner.text("\(precision.rawValue), converted at load from \(stored) — \(precision.learnerSummary)",
                                "\(precision.rawValue)，加载时由 \(stored) 转换 — \(precision.learnerSummary)")
        }
        let label = Learner.text("weights: ", "权重：")
        guard let b else { return label + describe(a.model) }
        return label + "A " + describe(a.model) + Learner.text("; B ", "；B ") + describe(b.model)
    }

    /// The header lines, the ledger as a table (with a second score: its column and the difference B − A) and the
    /// totals of each model.
    public static func output(_ a: SentenceScore, _ b: SentenceScore?, header: [String]) -> Output {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        func p(_ lp: Double?) -> String { lp.map { String(format: "%.6g", exp($0)) } ?? "—" }
        func l(_ lp: Double?) -> String { lp.map { f($0) } ?? "—" }
        var headers = [Learner.text("pos", "位置"), "id", Learner.text("piece", "词元")]
        headers += b == nil ? ["P", "log P", Learner.text("running", "累计")] : ["log P (A)", "log P (B)", "B − A"]
        let rows: [[String]] = a.entries.enumerated().map { i, e in
            var row = [String(e.position), String(e.id), VisibleText.escapingControls(e.piece)]
            if let b {
                let other = b.entries[i].logProb
                let diff = e.logProb.flatMap { x in other.map { f($0 - x) } } ?? "—"
                row += [l(e.logProb), l(other), diff]
            } else {
                row += [p(e.logProb), l(e.logProb), f(e.runningLogProb)]
            }
            return row
        }
        func summary(_ s: SentenceScore) -> String {
            let total = f(s.totalLogProb), prob = String(format: "%.6g", s.probability), ppl = f(s.perplexity)
            return Learner.text("\(s.model): total log P \(total), P \(prob), perplexity \(ppl) over \(s.scoredCount) scored tokens",
                                "\(s.model)：总 log P \(total)，P \(prob)，困惑度 \(ppl)（共 \(s.scoredCount) 个计分词元）")
        }
        var totals = [summary(a)]
        if let b {
            totals.append(summary(b))
            let d = f(b.totalLogProb - a.totalLogProb)
            totals.append(Learner.text("B − A: \(d) nats (A = \(a.model), B = \(b.model))",
                                       "B − A：\(d) 奈特（A = \(a.model)，B = \(b.model)）"))
        }
        return .group(OutputGroup([.text(OutputText(header.joined(separator: "\n"), .dim)),
                                   .table(OutputTable(headers: headers, rows: rows,
                                                      alignments: [.right, .right, .left, .right, .right, .right])),
                                   .text(totals.joined(separator: "\n"))]))
    }
}
