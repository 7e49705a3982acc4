// ProbRequest — what `lmlab prob` was asked (a text or ids, a model and maybe a second one, their precisions, a
// server) checked for options that do not go together, then scored: by the local ERNIE weights, by a server's echoed
// prompt log-probs (--api), or by a word-level neural LM. ProbReport lays the result out; ProbJSON is its --json.
import Decoding
import ERNIE
import Foundation
import LabCore

public struct ProbRequest: Sendable {
    public var model: String
    public var text: String?
    /// --ids as given ("1,18830,93938").
    public var ids: String?
    public var compare: String?
    public var precision: WeightPrecision
    public var comparePrecision: WeightPrecision?
    /// --bos / --no-bos; nil: <s> first unless `chat`.
    public var bos: Bool?
    public var chat: Bool
    public var api: APISettings?

    public init(model: String, text: String?, ids: String?, compare: String? = nil,
                precision: WeightPrecision = .asStored, comparePrecision: WeightPrecision? = nil, bos: Bool? = nil,
                chat: Bool = false, api: APISettings? = nil) {
        (self.model, self.text, self.ids, self.compare) = (model, text, ids, compare)
        (self.precision, self.comparePrecision) = (precision, comparePrecision)
        (self.bos, self.chat, self.api) = (bos, chat, api)
    }

    /// - Throws: `OptionError` naming the options that do not go together, or TEXT that gives nothing to score.
    public func check() throws {
        if text == nil && ids == nil {
            throw OptionError(Learner.text("give a TEXT to score, or --ids 1,2,3", "给一段要打分的文本（TEXT），或 --ids 1,2,3"))
        }
        if let text, text.isEmpty {
            throw OptionError(Learner.text(
                "TEXT is empty, so there is no token to score (the perplexity would be 0/0). "
                    + "HINT: give a text, e.g. lmlab prob \"The cat sat.\" --model tiny-ernie.",
                "文本（TEXT）是空的，没有词元可打分（困惑度会是 0/0）。HINT：给一段文本，例如 lmlab prob \"The cat sat.\" --model tiny-ernie。"))
        }
        if text != nil && ids != nil { throw OptionError(PromptSpec.textOrIds) }
        if comparePrecision != nil && compare == nil {
            throw OptionError(Learner.text("--compare-precision applies to the --compare model; give --compare too",
                                           "--compare-precision 作用于 --compare 的模型；请同时给出 --compare"))
        }
        if ids != nil && (bos != nil || chat) {
            throw OptionError(Learner.text("--ids are scored exactly as given; --bos/--no-bos and --chat apply to TEXT only",
                                           "--ids 按给出的原样打分；--bos/--no-bos 和 --chat 只作用于 TEXT"))
        }
        if api != nil && (compare != nil || precision != .asStored || comparePrecision != nil) {
            throw OptionError(Learner.text(
                "--api scores with the server's model; --compare and --precision set local weights. "
                    + "HINT: leave them out, or run without --api.",
                "--api 用服务器上的模型打分；--compare 和 --precision 设置的是本地权重。HINT：去掉它们，或不用 --api。"))
        }
        if let ids { _ = try PromptSpec.checkedIds(ids) }
    }

    /// The ledger(s), scored by whichever kind of model --model names.
    /// - Throws: `OptionError` for options a word-level model does not take; what loading and scoring throw.
    public func run() throws -> ProbResult {
        let givenIds = try ids.map(PromptSpec.checkedIds)
        if let words = try ModelLoader.wordModel(model) { return try run(words, ids: givenIds) }
        if let api {
            // Over a server only the tokenizer is read here (RemoteModel.swift); the ledger is the server's echo.
            let server = try RemoteModel(model: model, api: api)
            let (tokenIds, convention) = try ProbReport.tokens(ids: givenIds, text: text, tokenizer: server.tokenizer,
                                                               bos: bos, chat: chat, name: model)
            let result = try server.score(tokenIds)
            let header = [convention, RemoteNotice.line(.prob, server.api)] + result.notes
            let ledger = OutputGroup([.text(OutputText(header.joined(separator: "\n"), .dim)),
                                      .ledger(Ledger(result.score))])
            return ProbResult(first: result.score, second: nil, header: header, title: server.api.url,
                              precisions: (.asStored, nil), ledgers: .group(ledger))
        }
        let scored = try ProbReport.Scored(model: model, precision: precision, compare: compare,
                                           comparePrecision: comparePrecision ?? precision, ids: givenIds,
                                           text: text, bos: bos, chat: chat)
        let header = [scored.convention, ProbReport.precisionLine(scored.main, scored.other)]
        let ledgers = ([scored.first] + (scored.second.map { [$0] } ?? [])).map { Output.ledger(Ledger($0)) }
        return ProbResult(first: scored.first, second: scored.second, header: header, title: names,
                          precisions: (scored.main.model.weights.precision, scored.other?.model.weights.precision),
                          ledgers: .group(OutputGroup(header.map { .text(OutputText($0, .dim)) } + ledgers)))
    }

    /// The ledger of a word-level neural LM (Models/rnn-stories-en, …): the sentence from <s> to </s>.
    private func run(_ main: WordLanguageModel, ids givenIds: [Int]?) throws -> ProbResult {
        if chat || precision != .asStored || comparePrecision != nil || bos == false || api != nil {
            throw OptionError(Learner.text(
                "--chat, --precision, --no-bos and --api apply to ERNIE-format models; \(model) is a word-level model, "
                    + "whose sentences always start with <s>. HINT: leave them out.",
                "--chat、--precision、--no-bos 和 --api 只用于 ERNIE 格式的模型；\(model) 是词级模型，句子总以 <s> 开头。HINT：去掉它们。"))
        }
        let other = try compare.map { name in
            guard let w = try ModelLoader.wordModel(name) else {
                throw ModelLoadError(Learner.text(
                    "--compare \(name): not a word-level model like \(model), so the two cannot score the same ids. "
                        + "HINT: compare with nnlm-stories-en, rnn-stories-en or gru-stories-en.",
                    "--compare \(name)：不是像 \(model) 那样的词级模型，两者无法给同一串 id 打分。"
                        + "HINT：与 nnlm-stories-en、rnn-stories-en 或 gru-stories-en 比较。"))
            }
            return w
        }
        let (first, second, convention) = try main.scores(
            text: try text.map { try StandardInputText.resolve($0) }, ids: givenIds, compare: other,
            givenIdsConvention: LoadedModel.givenIdsConvention)
        return ProbResult(first: first, second: second, header: [convention], title: names,
                          precisions: (.asStored, other == nil ? nil : .asStored), ledgers: nil)
    }

    /// --model, and --compare beside it, for the full-screen title.
    private var names: String { ([model] + (compare.map { [$0] } ?? [])).joined(separator: " vs ") }
}

/// The scored ledger(s) of `prob`, with what the table, the full-screen page and the JSON show.
public struct ProbResult {
    public let first: SentenceScore
    /// The --compare model's score of the same ids.
    public let second: SentenceScore?
    /// The lines above the table; the first is the BOS convention.
    public let header: [String]
    /// The models' names (or the server), for the full-screen title.
    public let title: String
    public let precisions: (WeightPrecision, WeightPrecision?)
    /// What --explore shows when it is more than the table (the ledgers themselves).
    let ledgers: Output?

    /// The header, the ledger(s) as a table and the totals.
    public var table: Output { ProbReport.output(first, second, header: header) }

    /// `prob --json` (ProbJSON.swift, a contract).
    public var json: SentenceScoreJSON {
        SentenceScoreJSON(first, compare: second, bos: header[0], precision: precisions.0.rawValue,
                          comparePrecision: precisions.1?.rawValue)
    }

    /// What --explore opens full screen: its title and content.
    public var explored: (title: String, content: Output) {
        (Learner.text("P(sentence) ledger · ", "P(句子) 账本 · ") + title, ledgers ?? table)
    }
}
