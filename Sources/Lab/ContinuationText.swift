// ContinuationText — the ids behind "score each label (or answer) as a continuation of the prompt" for an
// ERNIE-format model: the prompt as <s> + text or as a chat turn, and each candidate tokenized the way the model
// would write it after that prompt. Scoring is Decoding's (ContinuationScore); `classify` and `dpo-reward` print it.

import Decoding
import LabCore
import Tokenizers

extension LoadedModel {
    /// log P(text | prompt) for each text under this model, in the order given.
    /// - Parameter name: the model as the learner named it, for errors.
    /// - Throws: `ModelLoadError` (no tokenizer, no bos_token, a text with no tokens) or what the model throws.
    public func continuations(_ texts: [String], after prompt: String, chat: Bool,
                              name: String) throws -> [ContinuationScore] {
        let tokenizer = try requireTokenizer(name)
        let context = try Self.promptIds(prompt, chat: chat, tokenizer: tokenizer, name: name)
        let candidates = try texts.map { try Self.continuationIds($0, after: prompt, tokenizer: tokenizer, chat: chat) }
        return try ContinuationScore.score(candidates, after: context, with: model)
    }

    /// The prompt's ids: <s> + text, or the chat template up to the assistant's turn.
    public static func promptIds(_ prompt: String, chat: Bool, tokenizer: ErnieTokenizer, name: String) throws -> [Int] {
        guard let ids = try tokenizer.ids(of: prompt, bos: !chat, chat: chat) else {
            throw ModelLoadError(Learner.text(
                "\(name): the tokenizer defines no bos_token. HINT: use a model whose tokenizer_config.json names bos_token.",
                "\(name)：分词器没有定义 bos_token。HINT：换一个在 tokenizer_config.json 里写明 bos_token 的模型。"))
        }
        return ids
    }

    /// The text's ids as the model would write them after the prompt: the tail of encode(prompt + text) when that
    /// encoding starts with encode(prompt); otherwise (a merge across the boundary, or chat) the text on its own.
    public static func continuationIds(_ text: String, after prompt: String, tokenizer: ErnieTokenizer,
                                       chat: Bool) throws -> [Int] {
        if !chat {
            let alone = tokenizer.encode(prompt, addBos: false)
            let joined = tokenizer.encode(prompt + text, addBos: false)
            if joined.count > alone.count, Array(joined.prefix(alone.count)) == alone { return Array(joined.dropFirst(alone.count)) }
        }
        let ids = tokenizer.encode(text, addBos: false)
        if ids.isEmpty {
            throw ModelLoadError(Learner.text("'\(text)' encodes to no tokens, so there is nothing to score. HINT: give non-empty labels or answers.",
                                              "“\(text)”切分后没有任何词元，无从打分。HINT：给出非空的标签或回答。"))
        }
        return ids
    }
}
