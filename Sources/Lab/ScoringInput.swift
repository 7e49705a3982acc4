// ScoringInput — the ids `lmlab prob` scores for a text, and the BOS convention in words.
//
// The first token fed to a model is context only: nothing before it predicts it. With <s> first (the
// lm-evaluation-harness convention, shared/ERNIE45.md §8) every token of the text is scored; without it
// (transformers' default) the text's first token is listed without a probability. A chat turn starts with the
// template's own <|begin_of_sentence|>, so --chat means no <s> unless asked for.

import LabCore
import Tokenizers

extension LoadedModel {
    /// `text` as ids to score: <s> first when `bos` (default: on for plain text, off for `chat`), then the text or,
    /// with `chat`, the text as a user turn of the chat template; with the convention used, in words.
    /// - Parameter name: the model as the learner named it, for errors.
    /// - Throws: `ModelLoadError` when the folder has no tokenizer or the tokenizer no bos_token.
    public func scoringIds(_ text: String, bos: Bool?, chat: Bool, name: String) throws -> (ids: [Int], convention: String) {
        try Self.scoringIds(text, tokenizer: tokenizer, bos: bos, chat: chat, name: name)
    }

    /// As `scoringIds(_:bos:chat:name:)` with a tokenizer alone (a model served elsewhere, `prob --api`).
    public static func scoringIds(_ text: String, tokenizer: ErnieTokenizer?, bos: Bool?, chat: Bool,
                                  name: String) throws -> (ids: [Int], convention: String) {
        guard let tokenizer else {
            throw ModelLoadError(Learner.text(
                "\(name): no tokenizer.model in the model folder, so TEXT cannot be tokenized. "
                    + "HINT: add the tokenizer files to the folder, or pass token ids with --ids.",
                "\(name)：模型文件夹里没有 tokenizer.model，无法把 TEXT 切成词元。HINT：把分词器文件放进文件夹，或用 --ids 直接给出词元 id。"))
        }
        let useBos = bos ?? !chat
        guard let ids = try tokenizer.ids(of: text, bos: useBos, chat: chat) else {
            throw ModelLoadError(Learner.text("\(name): the tokenizer defines no bos_token. HINT: use --no-bos.",
                                              "\(name)：分词器没有定义 bos_token。HINT：加 --no-bos。"))
        }
        guard useBos else {
            let piece = ids.first.map(tokenizer.piece) ?? ""
            return (ids, Learner.text("no BOS (transformers' default): the first token \(piece) is context and cannot be scored",
                                      "不加 BOS（transformers 的默认做法）：第一个词元 \(piece) 只作上文，无法打分"))
        }
        let piece = tokenizer.piece(ids[0])
        return (ids, Learner.text(
            "BOS: \(piece) (id \(ids[0])) prepended, so the first token of the text is scored too (lm-evaluation-harness convention)",
            "BOS：在最前面加上 \(piece)（id \(ids[0])），文本的第一个词元也会被打分（lm-evaluation-harness 的约定）"))
    }

    /// The convention of ids given as they are, in words.
    public static func givenIdsConvention(_ ids: [Int]) -> String {
        let first = ids.first.map(String.init) ?? "none"
        return Learner.text("ids as given: the first (\(first)) is context, every later id is scored",
                            "按原样给出的 id：第一个（\(first)）只作上文，之后的每个 id 都计分")
    }
}

extension ErnieTokenizer {
    /// `text` as ids: <s> first when `bos`, then the text, or with `chat` the text as a user turn of the chat template
    /// (what `prob` scores and `generate` continues); nil when `bos` and the tokenizer defines no bos_token (each
    /// command says which of its options to change).
    public func ids(of text: String, bos: Bool, chat: Bool) throws -> [Int]? {
        var ids: [Int] = []
        if bos {
            guard let b = bosId else { return nil }
            ids.append(b)
        }
        return try ids + (chat ? encodeChat([ChatMessage(.user, text)], addGenerationPrompt: true)
                               : encode(text, addBos: false))
    }
}
