// APIOptions — `--api URL --api-top N --api-key KEY`, the one option group of every command that talks to an
// OpenAI-compatible server: generate, prob, beam and sample run over it instead of the local weights
// (Lab/RemoteModel.swift); `check greedy` and `exercise check` compare the lab with its completions.
import ArgumentParser
import Lab
import LabCore

struct APIOptions: ParsableArguments {
    @Option(name: .long, help: "An OpenAI-compatible server: generate/prob/beam/sample run over it instead of the local weights (--model then gives only the tokenizer); check compares with it (docs/SERVING.md).")
    var api: String?

    @Option(name: .customLong("api-top"), parsing: .unconditional,
            help: "With --api: log-probs asked for per step (1…1000, default 20; the server may cap it).")
    var apiTop: Int?

    @Option(name: .customLong("api-key"), help: "With --api: sent as `Authorization: Bearer KEY`.")
    var apiKey: String?

    func validate() throws { try usage { try APISettings.check(api: api, top: apiTop, key: apiKey) } }

    /// The settings, nil without --api.
    var settings: APISettings? { api.map { APISettings(url: $0, top: apiTop ?? 20, key: apiKey) } }

    /// For a command that compares the server's completions (no log-probs per step): --api-top is refused.
    func checkCompletionsOnly(_ command: String) throws {
        if apiTop != nil {
            throw ValidationError(OptionConflict.apiTopUnused(by: command))
        }
    }

    /// The network effect for CellPolicy: a cell that uses --api is asked (notebook) or refused (`lesson run`).
    var cellEffects: [CellEffect] { api.map { [.network($0)] } ?? [] }
}
