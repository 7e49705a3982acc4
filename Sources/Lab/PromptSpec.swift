// PromptSpec — the prompt of generate, sample and beam as the command line gives it: a TEXT (tokenized, after <s>
// with --bos, or as a user turn of the chat template) or --ids used as given; turned into ids here and checked
// against the model's context. ChosenModel pairs it with the model that reads it: the local weights, or a server.
import Decoding
import ERNIE
import Foundation
import LabCore
import Tokenizers

public struct PromptSpec: Sendable, Equatable {
    /// The --model argument, for messages.
    public let model: String
    public let text: String?
    /// --ids as given ("1,18830,93938").
    public let ids: String?
    public let bos: Bool

    public init(model: String, text: String?, ids: String?, bos: Bool) {
        (self.model, self.text, self.ids, self.bos) = (model, text, ids, bos)
    }

    /// - Throws: `OptionError` for neither or both of TEXT and --ids, --bos with --ids, or --ids that do not
    ///   parse.
    public func check() throws {
        if text == nil && ids == nil {
            throw OptionError(Learner.text("give a TEXT to continue, or --ids 1,2,3", "给一段要续写的文本（TEXT），或 --ids 1,2,3"))
        }
        if text != nil && ids != nil { throw OptionError(Self.textOrIds) }
        if ids != nil && bos {
            throw OptionError(Learner.text("--ids are used exactly as given; --bos applies to TEXT only",
                                           "--ids 按给出的原样使用；--bos 只作用于 TEXT"))
        }
        if let ids { _ = try Self.checkedIds(ids) }
    }

    /// "1, 2,3" → [1, 2, 3]; nil unless every part is a non-negative integer.
    public static func parseIds(_ s: String) -> [Int]? {
        let parts = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        return parts.map { $0! }
    }

    /// `parseIds`, or an `OptionError` naming --ids and the form it expects.
    public static func checkedIds(_ s: String) throws -> [Int] {
        guard let ids = parseIds(s) else {
            throw OptionError(Learner.text("--ids \(s): expected comma-separated non-negative integers, like 1,18830,93938",
                                           "--ids \(s)：应当是逗号分隔的非负整数，例如 1,18830,93938"))
        }
        return ids
    }

    /// TEXT and --ids both given (prompt and prob say it alike).
    static var textOrIds: String { Learner.text("give either a TEXT or --ids, not both", "文本（TEXT）和 --ids 只能给一个，不能都给") }

    /// The prompt ids: --ids as given, or TEXT (`-` reads stdin) tokenized (after <s> with --bos; as a user turn of
    /// the chat template with `chat`).
    /// - Throws: `PromptError` when TEXT needs a tokenizer the folder lacks, --bos one it does not define, or the
    ///   prompt comes out empty.
    public func tokens(_ tokenizer: ErnieTokenizer?, chat: Bool = false) throws -> [Int] {
        if let ids { return try Self.checkedIds(ids) }
        guard let tokenizer else {
            throw PromptError(Learner.text(
                "\(model): no tokenizer.model in the model folder, so TEXT cannot be tokenized. "
                    + "HINT: add the tokenizer files to the folder, or pass prompt ids with --ids.",
                "\(model)：模型文件夹里没有 tokenizer.model，无法把 TEXT 切成词元。"
                    + "HINT：把分词器文件放进文件夹，或用 --ids 直接给出提示词的词元 id。"))
        }
        let text = try StandardInputText.resolve(text ?? "")
        // A chat turn starts with the template's own <|begin_of_sentence|>: --bos adds nothing to it.
        guard let result = try tokenizer.ids(of: text, bos: bos && !chat, chat: chat) else {
            throw PromptError(Learner.text("\(model): the tokenizer defines no bos_token. HINT: leave out --bos.",
                                           "\(model)：分词器没有定义 bos_token。HINT：去掉 --bos。"))
        }
        guard !result.isEmpty else {
            throw PromptError(Learner.text("the prompt is empty. HINT: give a non-empty TEXT, or --bos to start from <s>.",
                                           "提示词是空的。HINT：给一段非空的文本（TEXT），或用 --bos 从 <s> 开始。"))
        }
        return result
    }

    /// A runtime error when the prompt and `maxNewTokens` do not fit in `context` tokens (decoding would otherwise
    /// stop with an error only when the context is full); `option` is the length's option as the learner wrote it.
    public func checkContext(promptTokens: Int, maxNewTokens: Int, context: Int,
                             option: String = "--max-new-tokens") throws {
        guard promptTokens + maxNewTokens > context else { return }
        guard promptTokens < context else {      // the prompt alone: the option (maybe never typed) is not the cause
            throw PromptError(Learner.text(
                "the prompt has \(promptTokens) tokens, but \(model)'s context holds \(context) "
                    + "(max_position_embeddings in config.json), new tokens included. HINT: shorten the prompt to at "
                    + "most \(context - 1) tokens.",
                "提示词有 \(promptTokens) 个词元，而 \(model) 的上下文长度只有 \(context)（config.json 里的 "
                    + "max_position_embeddings），新词元也要算在内。HINT：把提示词缩短到不超过 \(context - 1) 个词元。"))
        }
        throw PromptError(Learner.text(
            "\(option) \(maxNewTokens): the prompt's \(promptTokens) tokens and \(maxNewTokens) "
                + "new ones exceed \(model)'s context of \(context) tokens (max_position_embeddings in config.json). "
                + "HINT: use \(option) \(context - promptTokens) or less, or shorten the prompt.",
            "\(option) \(maxNewTokens)：提示词的 \(promptTokens) 个词元加上 \(maxNewTokens) 个新词元，"
                + "超出了 \(model) 的上下文长度 \(context)（config.json 里的 max_position_embeddings）。"
                + "HINT：用不超过 \(context - promptTokens) 的 \(option)，或缩短提示词。"))
    }

    public struct PromptError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}

/// The model a command runs on: the local weights of --model, or the server of --api read through --model's tokenizer.
public struct ChosenModel {
    public let model: any LanguageModel
    public let tokenizer: ErnieTokenizer?
    /// The prompt ids, checked against a local model's context.
    public let prompt: [Int]
    /// Nil for the local weights.
    public let api: APISettings?

    /// The ids as text (the tokenizer's, else the pieces joined).
    public func text(_ ids: [Int]) -> String {
        LoadedModel.text(ids, tokenizer: tokenizer, vocabulary: model.vocabulary)
    }

    /// The pieces of ids, control characters escaped (tree labels, tables).
    public func piece(_ id: Int) -> String { VisibleText.escapingControls(model.vocabulary.piece(id)) }

    /// - Parameters:
    ///   - maxNewTokens: checked with the prompt against a local model's context (the server checks its own).
    ///   - lengthOption: the option that gave it, for the error (`beam` calls it --steps).
    public init(_ spec: PromptSpec, api: APISettings?, precision: WeightPrecision = .asStored, maxNewTokens: Int = 1,
                chat: Bool = false, lengthOption: String = "--max-new-tokens") throws {
        if let api {
            let server = try RemoteModel(model: spec.model, api: api)
            model = try server.languageModel()
            tokenizer = server.tokenizer
            prompt = try spec.tokens(server.tokenizer, chat: chat)
            self.api = api
            return
        }
        let loaded = try ModelLoader.load(spec.model, precision: precision)
        model = loaded.model
        tokenizer = loaded.tokenizer
        prompt = try spec.tokens(loaded.tokenizer, chat: chat)
        try spec.checkContext(promptTokens: prompt.count, maxNewTokens: maxNewTokens,
                              context: loaded.model.config.maxPositionEmbeddings, option: lengthOption)
        self.api = nil
    }
}

extension ChosenModel {
    /// The sampling explorer on this model and prompt (`sample --explore`, `bench explorers`); one model call.
    public func samplingExplorer(settings: SamplingSettings = SamplingSettings(), seed: UInt64 = 0,
                                 topN: Int = 10) throws -> SamplingExplorer {
        try SamplingExplorer(model: ExplorerModel(model), context: prompt, detokenize: text, settings: settings,
                             seed: seed, topN: topN)
    }

    /// The beam explorer on this model and prompt (`beam --explore`, `bench explorers`); no step taken yet.
    public func beamExplorer(settings: BeamSearchSettings) throws -> BeamExplorer {
        try BeamExplorer(model: model, prompt: prompt, settings: settings, piece: piece, detokenize: text)
    }
}
