// RemoteModel — the lab's commands and explorers over a bigger model elsewhere (`--api URL`): a local tokenizer
// folder in front of an OpenAI-compatible server (`lmlab serve`, vLLM, FastDeploy, llama.cpp; docs/SERVING.md),
// and the words that say on screen what such a run cannot know.
//
// Only the tokenizer is read locally (tokenizer.model and its json files; config.json when present, for the
// embedding's row count, which may exceed the tokenizer's pieces): a 21B or 300B model needs no weights here.
// What is exact and what is approximate over the server's top-N log-probs:
//   greedy            exact: the argmax is always among the top N;
//   sampling          the distribution is renormalised over the top N; the rest is one "other" mass never drawn;
//   beam search       beams expand only over the top N of each step;
//   prob              exact where the server echoes aligned prompt log-probs (`lmlab serve`, vLLM); an error
//                     where it echoes none (llama.cpp's server).

import Decoding
import Foundation
import LabCore
import ModelFiles
import Tokenizers

/// `--api URL --api-top N --api-key KEY`.
public struct APISettings: Sendable, Equatable {
    public var url: String
    /// Log-probs asked for per step.
    public var top: Int
    public var key: String?
    /// Seconds to wait for one answer.
    public var timeout: Double

    public init(url: String, top: Int = 20, key: String? = nil, timeout: Double = 60) {
        self.url = url; self.top = top; self.key = key; self.timeout = timeout
    }

    /// The options as given: --api-top and --api-key only with --api, a top in 1…1000, a key that is not empty.
    /// - Throws: `OptionError` naming the option (a top out of range among them).
    public static func check(api: String?, top: Int?, key: String?) throws {
        if api == nil && (top != nil || key != nil) {
            throw OptionError(Learner.text("--api-top and --api-key apply to --api. HINT: add --api URL, or leave them out.",
                                           "--api-top 和 --api-key 只配合 --api 使用。HINT：加上 --api URL，或去掉它们。"))
        }
        try OptionCheck.range("--api-top", top, 1...1000)
        try checkKey(key)
    }

    /// A bearer key (--api-key of a client or of `lmlab serve`) must not be empty.
    public static func checkKey(_ key: String?) throws {
        if let key, key.isEmpty {
            throw OptionError(Learner.text("--api-key is empty. HINT: give a key, or leave the option out.",
                                           "--api-key 是空的。HINT：给出一个密钥，或去掉这个选项。"))
        }
    }

    /// - Throws: `CompletionsError.badURL` for a URL that cannot be parsed.
    public func client() throws -> CompletionsClient {
        var client = try CompletionsClient(url, timeout: timeout)
        client.apiKey = key
        return client
    }
}

extension RemoteLanguageModel {
    /// A server that speaks `tokenizer`'s ids. Context ids go as they are when the server takes them, else as text
    /// without a leading BOS (servers put their own); a server token's text maps back to the piece it spells, else
    /// to `otherwise(text)`.
    public convenience init(client: CompletionsClient, name: String, vocabulary: any Vocabulary, tokenizer: ErnieTokenizer,
                            endTokens: Set<Int>, top: Int, otherwise: @escaping (String) -> Int? = { _ in nil }) {
        self.init(client: client, name: name, vocabulary: vocabulary, startToken: tokenizer.bosId, endTokens: endTokens, top: top,
                  detokenize: { ids in tokenizer.decode(ids.first == tokenizer.bosId ? Array(ids.dropFirst()) : ids, skipSpecialTokens: false) },
                  idOfText: { text in tokenizer.id(of: text.replacingOccurrences(of: " ", with: "▁")) ?? otherwise(text) })
    }
}

/// The vocabulary of a remote model: the tokenizer's pieces, and "<unused:ID>" up to the embedding's rows.
struct RemoteVocabulary: Vocabulary {
    let tokenizer: ErnieTokenizer
    let count: Int
    func piece(_ id: Int) -> String { tokenizer.piece(id) }
}

/// A model folder's tokenizer (and config.json when present), for decoding over a server.
public struct RemoteModel: Sendable {
    public let tokenizer: ErnieTokenizer
    /// Token ids the server may name: the embedding's rows (config.json's vocab_size), else the tokenizer's count.
    public let vocabularySize: Int
    /// End-of-sequence ids: config.json's eos_token_id, else the tokenizer's eos.
    public let endTokens: Set<Int>
    public let api: APISettings

    /// Reads the tokenizer of `model` (a folder path or a model name) without its weights.
    /// - Throws: `ModelLoadError`/`ModelLocatorError` naming the folder and the fix; `ConfigError` for a bad config.json.
    public init(model: String, api: APISettings) throws {
        tokenizer = try ModelLoader.tokenizer(model)
        // A tokenizer.model file alone has no config beside it.
        let resolved = SessionModels.shared.resolve(model)
        let givenFile = FileManager.default.fileExists(atPath: UserHome.expandingTilde(resolved))
            && (resolved as NSString).pathExtension == "model"
        let config = try givenFile ? nil : ModelLoader.folder(resolved).config.map { try ERNIEConfig.load(from: $0) }
        vocabularySize = max(tokenizer.count, config?.vocabSize ?? 0)
        endTokens = Set(config?.eosTokenIds ?? [tokenizer.eosId].compactMap { $0 })
        self.api = api
    }

    /// The server as a `LanguageModel` over its top-N log-probs; a server token that is no piece of the tokenizer
    /// is matched by its text (`TokenMatch`).
    public func languageModel() throws -> RemoteLanguageModel {
        let match = tokenMatch()
        return RemoteLanguageModel(
            client: try api.client(), name: api.url, vocabulary: RemoteVocabulary(tokenizer: tokenizer, count: vocabularySize),
            tokenizer: tokenizer, endTokens: endTokens, top: api.top, otherwise: { match.candidates($0).first })
    }

    /// Every text a server may show for each id.
    public func tokenMatch() -> TokenMatch {
        TokenMatch(count: vocabularySize, piece: tokenizer.piece, isSpecial: tokenizer.isSpecial)
    }

    /// P(ids) token by token from the server's echoed prompt log-probs (`lmlab prob --api`).
    public func score(_ ids: [Int]) throws -> RemotePromptScore.Result {
        try RemotePromptScore.score(ids, text: tokenizer.decode(ids, skipSpecialTokens: false), client: try api.client(),
                                    model: api.url, match: tokenMatch(), piece: tokenizer.piece)
    }

    /// The ids of `text` as text to show.
    public func text(_ ids: [Int]) -> String { tokenizer.decode(ids, skipSpecialTokens: false) }
}

/// What a run over a server can and cannot know, in the learner's language, one line each.
public enum RemoteNotice {
    public enum Kind: Sendable { case greedy, sample, beam, distribution, prob }

    public static func line(_ kind: Kind, _ api: APISettings) -> String {
        let n = api.top, url = api.url
        switch kind {
        case .greedy:
            return Learner.text("over \(url): greedy is exact (the argmax is always among the server's top \(n)); one request per token",
                                "经由 \(url)：贪心解码是精确的（最大者总在服务器给出的前 \(n) 个之中）；每个词元一次请求")
        case .sample:
            return Learner.text("over \(url): APPROXIMATE — sampling from the server's top \(n) only, renormalised; the rest of the "
                                    + "distribution is never drawn; one request per token",
                                "经由 \(url)：近似——只在服务器给出的前 \(n) 个词元中按重新归一化的概率采样，其余概率永远抽不到；每个词元一次请求")
        case .beam:
            return Learner.text("over \(url): APPROXIMATE — beams expand only over the server's top \(n) tokens of each step; "
                                    + "one request per beam and step",
                                "经由 \(url)：近似——每一步只在服务器给出的前 \(n) 个词元上扩展束；每个束每一步一次请求")
        case .distribution:
            return Learner.text("over \(url): APPROXIMATE — only the server's top \(n) are known; their P are the server's, the "
                                    + "rest is one \"other\" mass, and the processed distribution is renormalised over the \(n)",
                                "经由 \(url)：近似——只知道服务器给出的前 \(n) 个；它们的 P 来自服务器，其余合为一个“其他”，"
                                    + "处理后的分布在这 \(n) 个上重新归一化")
        case .prob:
            return Learner.text("over \(url): the server's own log-probs of the prompt (echo), exact where it echoes them aligned",
                                "经由 \(url)：服务器回显的提示词对数概率（echo），在回显对齐时是精确的")
        }
    }

    /// The probability outside the known top N: 1 − Σ exp(log P) over the finite entries of `logProbs` [V].
    public static func otherMass(_ logProbs: [Float]) -> Double {
        max(0, 1 - logProbs.reduce(0.0) { $1.isFinite ? $0 + Foundation.exp(Double($1)) : $0 })
    }
}
