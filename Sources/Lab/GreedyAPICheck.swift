// `lmlab check greedy`: the lab's greedy decoder against an OpenAI-compatible server's temperature-0 completion, token
// by token — "does my decoder match the API?" (the assignment), and the way a model served elsewhere (llama.cpp,
// vLLM, FastDeploy, `lmlab serve`) is checked against the lab's engine on the same weights.
//
// Identity is judged on token ids whenever the server gives them (vLLM's and `lmlab serve`'s
// return_tokens_as_token_ids, which the request asks for; llama-server's `id`). Without ids a server token is its
// text alone, and "" is how llama-cpp-python shows a lone byte of a Chinese character, an unused id and a control
// token alike: `TokenMatch` takes, among the local tokens with that rendering, the one whose log-prob is the
// server's. The whole completion text is compared as well, so a run of "" tokens cannot hide a difference.
// At the first divergence both sides' top-5 are shown with the local margin between the two best tokens: a margin
// of a few thousandths of a nat is a near-tie that float rounding on either side can flip, not a bug.
import Decoding
import Foundation
import LabCore
import Tokenizers

/// `lmlab check greedy`: each prompt decoded greedily by the lab and by the server, compared token by token.
public struct GreedyAPICheck: Sendable {
    public var model: String
    /// The server root, e.g. http://127.0.0.1:8080.
    public var api: String
    public var prompts: [String]
    public var maxNewTokens: Int
    /// Start each prompt with <s>: the BOS id locally, the literal text <s> to the server…
    public var bos: Bool
    /// …unless the server adds BOS itself.
    public var serverAddsBos: Bool
    /// Seconds to wait for each answer.
    public var timeout: Double
    /// Sent as `Authorization: Bearer KEY` (--api-key).
    public var apiKey: String?

    /// The three story prompts checked when none is given.
    public static let defaultPrompts = ["One day, Luna went to the", "The dog says", "Beijing is the capital of"]

    public init(model: String, api: String, prompts: [String], maxNewTokens: Int, bos: Bool, serverAddsBos: Bool, timeout: Double,
                apiKey: String? = nil) {
        (self.model, self.api, self.prompts, self.maxNewTokens) = (model, api, prompts.isEmpty ? Self.defaultPrompts : prompts, maxNewTokens)
        (self.bos, self.serverAddsBos, self.timeout, self.apiKey) = (bos, serverAddsBos, timeout, apiKey)
    }

    public struct Candidate: Codable, Equatable, Sendable { public let text: String; public let logprob: Double }

    public struct Outcome: Codable, Equatable, Sendable {
        public let prompt: String
        public let identical: Bool
        public let compared: Int
        /// Step (0-based) of the first divergence.
        public let step: Int?
        public let local: String?
        public let remote: String?
        public let localTop: [Candidate]?
        public let remoteTop: [Candidate]?
        /// log P(best) − log P(second best), locally, at the divergence.
        public let margin: Double?
        public let note: String
    }

    /// The verdict when some prompt decodes differently on the server: how many, and where to look.
    public func failure(_ outcomes: [Outcome]) -> String? {
        let differing = outcomes.filter { !$0.identical }.count
        guard differing > 0 else { return nil }
        return Learner.text(
            "\(differing) of \(outcomes.count) prompts decode differently on \(api) than on \(model). "
                + "HINT: the lines above show where each diverges; check that the server runs the same weights.",
            "\(outcomes.count) 个提示词中有 \(differing) 个在 \(api) 上的解码与 \(model) 不同。"
                + "HINT：上面各行显示了每个提示词从哪里开始不同；检查服务器运行的是否是同一份权重。")
    }

    /// The outcomes as the learner reads them: one line per prompt, where and why it diverges, and the count.
    public static func report(_ outcomes: [Outcome]) -> [String] {
        var out: [String] = []
        for o in outcomes {
            let at = o.step.map { $0 + 1 } ?? 0
            out.append("\"\(o.prompt)\": " + (o.identical ? Learner.text("identical, \(o.compared) tokens", "一致，\(o.compared) 个词元")
                                                         : Learner.text("diverges at token \(at) of \(o.compared)",
                                                                        "在第 \(at) 个词元处分叉（共 \(o.compared) 个）")))
            if !o.identical {
                out.append("  " + Learner.text("local", "本地") + " \(o.local ?? "—")   api \(o.remote ?? "—")")
                if let t = o.localTop { out.append("  " + Learner.text("local top-5: ", "本地前 5：") + t.map { "\(quoted($0.text)) \(String(format: "%.3f", $0.logprob))" }.joined(separator: ", ")) }
                if let t = o.remoteTop { out.append("  " + Learner.text("api top-5:   ", "api 前 5：  ") + t.map { "\(quoted($0.text)) \(String(format: "%.3f", $0.logprob))" }.joined(separator: ", ")) }
                out.append("  " + o.note)
            }
        }
        let same = outcomes.filter(\.identical).count
        out.append(Learner.text("\(same)/\(outcomes.count) prompts identical", "\(same)/\(outcomes.count) 个提示词一致"))
        return out
    }

    static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\n", with: "\\n") + "\"" }

    /// Runs every prompt on both sides.
    public func run() throws -> [Outcome] {
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let client = try APISettings(url: api, key: apiKey, timeout: timeout).client()
        let m = loaded.model
        // Tokens are compared as bytes: a byte piece <0xNN> is that byte (servers send it as the raw byte or as
        // "<0xNN>"), any other piece is its UTF-8 with ▁ read as a space.
        func bytes(_ id: Int) -> [UInt8] { TokenText.bytes(ofPiece: tokenizer.piece(id)) }
        let match = TokenMatch(count: max(tokenizer.count, m.config.vocabSize), piece: tokenizer.piece, isSpecial: tokenizer.isSpecial)
        func text(_ id: Int) -> String { TokenText.display(bytes(id)) }
        /// A server token as text: the local text of its id when it came with one ("token_id:N").
        func remoteText(_ t: TokenLogprob) -> String {
            t.id.map(text) ?? TokenText.display(TokenText.bytes(ofPiece: t.text, piece: false))
        }
        var outcomes: [Outcome] = []
        for p in prompts {
            try Cancellation.check()
            let bosId = tokenizer.bosId ?? 1
            let ids = (bos ? [bosId] : []) + tokenizer.encode(p, addBos: false)
            let sent = bos && !serverAddsBos ? tokenizer.piece(bosId) + p : p
            // Local greedy, keeping each step's distribution for the report.
            var state = try m.makeState()
            var logProbs = try m.append(ids, to: &state)
            var local: [Int] = []
            var steps: [[Float]] = []
            for _ in 0..<maxNewTokens {
                let best = LabCore.argmax(logProbs)
                local.append(best)
                steps.append(logProbs)
                if m.endTokens.contains(best) { break }
                logProbs = try m.append([best], to: &state)
            }
            let response = try client.complete(CompletionRequest(prompt: sent, maxTokens: maxNewTokens, temperature: 0, logprobs: 5,
                                                                         repeatPenalty: 1, tokenIds: true))
            guard let choice = response.choices.first else {
                throw CompletionsError.malformedJSON(
                    url: api, detail: Learner.text("no choices in the answer", "回答里没有 choices"), snippet: "")
            }
            func localTop(_ k: Int) -> [Candidate] {
                let row = steps[k]
                return row.indices.sorted { row[$0] > row[$1] }.prefix(5).map { Candidate(text: text($0), logprob: Double(row[$0])) }
            }
            let generated = local.filter { !m.endTokens.contains($0) }
            let localTexts = generated.map(text)
            guard let remote = choice.logprobs, !remote.isEmpty else {
                // No per-token log-probs: compare the texts.
                let mine = String(decoding: generated.flatMap(bytes), as: UTF8.self)
                let same = mine == choice.text
                let common = zip(mine, choice.text).prefix { $0 == $1 }.count
                outcomes.append(Outcome(prompt: p, identical: same, compared: localTexts.count, step: nil,
                                        local: same ? nil : String(mine.dropFirst(common).prefix(30)),
                                        remote: same ? nil : String(choice.text.dropFirst(common).prefix(30)),
                                        localTop: nil, remoteTop: nil, margin: nil,
                                        note: Learner.text("the server sent no per-token log-probs; compared the texts", "服务器没有给出逐词元的对数概率；比较的是文本")
                                            + (same ? "" : Learner.text(" (they differ after \(common) characters)", "（第 \(common) 个字符之后不同）"))))
                continue
            }
            var divergence: Int?
            let n = max(localTexts.count, remote.count)
            for k in 0..<n {
                guard k < localTexts.count, k < remote.count else { divergence = k; break }
                if match.resolve(remote[k], localLogProbs: steps[k]) != local[k] { divergence = k; break }
            }
            guard let k = divergence else {
                // Token for token the same; the whole texts must agree too (byte pieces read as "" one by one).
                // Servers leave special tokens and unused ids out of the text (some write them), and may drop
                // bytes that are not whole characters.
                let mineBytes = generated.flatMap(bytes)
                let shownBytes = generated.filter { !tokenizer.isSpecial($0) && $0 < tokenizer.count }.flatMap(bytes)
                let mine = String(decoding: mineBytes, as: UTF8.self)
                let theirs = choice.text
                let sameText = [mineBytes, shownBytes].contains {
                    String(decoding: $0, as: UTF8.self) == theirs || TokenText.ignoringInvalid($0) == theirs
                }
                outcomes.append(Outcome(prompt: p, identical: sameText, compared: localTexts.count, step: nil,
                                        local: sameText ? nil : Self.quoted(mine), remote: sameText ? nil : Self.quoted(theirs),
                                        localTop: nil, remoteTop: nil, margin: nil,
                                        note: sameText ? Learner.text("identical", "一致")
                                                       : Learner.text("every token text agrees but the completion texts differ",
                                                                      "每个词元的文本都一致，但续写的全文不同")))
                continue
            }
            let lt = k < steps.count ? localTop(k) : nil
            let rt = k < remote.count ? remote[k].top?.prefix(5).map { Candidate(text: $0.id.map(text) ?? TokenText.display(TokenText.bytes(ofPiece: $0.text, piece: false)), logprob: $0.logprob) } : nil
            let margin = lt.flatMap { $0.count >= 2 ? $0[0].logprob - $0[1].logprob : nil }
            var note: String
            if k >= localTexts.count {
                note = Learner.text("the lab stopped (end token or the limit) where the server went on",
                                    "实验室在这里停了（结束词元或长度上限），服务器却继续写")
            } else if k >= remote.count {
                note = Learner.text("the server stopped where the lab went on (its end-of-text handling or max_tokens)",
                                    "服务器在这里停了，实验室却继续写（看服务器对文本结尾的处理或 max_tokens）")
            } else if let margin, margin < 0.01 {
                note = String(format: Learner.text("near-tie: the lab's two best tokens differ by %.4f nats, which rounding on either side can flip",
                                                   "几乎打平：实验室的前两个词元只差 %.4f 奈特，任何一边的舍入都可能让它们换位"), margin)
            } else {
                note = Learner.text("a real divergence: check that the server runs the same weights, tokenizer and BOS convention (--bos)",
                                    "真正的分叉：检查服务器用的是否是同样的权重、分词器和 BOS 约定（--bos）")
            }
            outcomes.append(Outcome(prompt: p, identical: false, compared: max(localTexts.count, remote.count), step: k,
                                    local: k < localTexts.count ? Self.quoted(localTexts[k]) : nil,
                                    remote: k < remote.count ? Self.quoted(remoteText(remote[k])) : nil,
                                    localTop: lt, remoteTop: rt.map(Array.init), margin: margin, note: note))
        }
        return outcomes
    }
}
