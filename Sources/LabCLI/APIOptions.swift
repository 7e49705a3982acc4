// APIOptions — `--api URL --api-top N --api-key KEY`, the one option group of every command that talks to an
// OpenAI-compatible server: generate, prob, beam and sample run over it instead of the local weights
// (Lab/RemoteModel.swift); `check greedy` and `exercise check` compare the lab with its completions.
import ArgumentParser
import ERNIE
import Lab
import LabCore
import Tokenizers

struct APIOptions: ParsableArguments {
    @Option(name: .long, help: "An OpenAI-compatible server: generate/prob/beam/sample run over it instead of the local weights (--model then gives only the tokenizer); check compares with it (docs/SERVING.md).")
    var api: String?

    @Option(name: .customLong("api-top"), parsing: .unconditional,
            help: "With --api: log-probs asked for per step (1…1000, default 20; the server may cap it).")
    var apiTop: Int?

    @Option(name: .customLong("api-key"), help: "With --api: sent as `Authorization: Bearer KEY`.")
    var apiKey: String?

    func validate() throws {
        if api == nil && (apiTop != nil || apiKey != nil) {
            throw ValidationError("--api-top and --api-key apply to --api. HINT: add --api URL, or leave them out.")
        }
        try checkRange("--api-top", apiTop, 1...1000)
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key is empty. HINT: give a key, or leave the option out.") }
    }

    /// The settings, nil without --api.
    var settings: APISettings? { api.map { APISettings(url: $0, top: apiTop ?? 20, key: apiKey) } }

    /// For a command that compares the server's completions (no log-probs per step): --api-top is refused.
    func checkCompletionsOnly(_ command: String) throws {
        if apiTop != nil {
            throw ValidationError("--api-top sets the log-probs asked for per step; \(command) compares the server's completions. HINT: leave out --api-top.")
        }
    }

    /// The network effect for CellPolicy: a cell that uses --api is asked (notebook) or refused (`lesson run`).
    var cellEffects: [CellEffect] { api.map { [.network($0)] } ?? [] }
}

/// The model a command runs on: the local weights of --model, or the server of --api read through --model's tokenizer.
struct ChosenModel {
    let model: any LanguageModel
    let tokenizer: ErnieTokenizer?
    /// The prompt ids, checked against a local model's context.
    let prompt: [Int]
    /// Nil for the local weights.
    let api: APISettings?

    /// The ids as text (the tokenizer's, else the pieces joined).
    func text(_ ids: [Int]) -> String {
        LoadedModel.text(ids, tokenizer: tokenizer, vocabulary: model.vocabulary)
    }

    /// - Parameter maxNewTokens: checked with the prompt against a local model's context (the server checks its own).
    init(_ input: PromptOptions, _ remote: APIOptions, precision: WeightPrecision = .asStored, maxNewTokens: Int = 1,
         chat: Bool = false) throws {
        if let api = remote.settings {
            let server = try RemoteModel(model: input.model, api: api)
            model = try server.languageModel()
            tokenizer = server.tokenizer
            prompt = try input.prompt(server.tokenizer, chat: chat)
            self.api = api
            return
        }
        let loaded = try ModelLoader.load(input.model, precision: precision)
        model = loaded.model
        tokenizer = loaded.tokenizer
        prompt = try input.prompt(loaded.tokenizer, chat: chat)
        try input.checkContext(promptTokens: prompt.count, maxNewTokens: maxNewTokens, loaded: loaded)
        api = nil
    }
}
