// `lmlab generate`: continue a text with a model — greedy, seeded sampling, or beam search with its tree.
//
//   $ lmlab generate "Once upon a time" --model ernie-4.5-0.3b --strategy sample --temperature 0.8 --top-p 0.9 --seed 7
//   processors: temperature 0.8 → top-p 0.9   (seed 7)
//   Once upon a time, there was …
//
// Greedy and sampling stream each token as it is chosen. --json prints {"ids": [new ids], "text": "…"} for
// greedy/sample and {"sequences": [{"ids", "score"}], "tree": {"nodes": […]}} for beam (docs/DECODING.md).
import ArgumentParser
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a text with a model: greedy, seeded sampling, or beam search (with its search tree).",
        discussion: CommandHelp.generate)

    @OptionGroup var input: PromptOptions

    @Option(name: .long, help: "greedy, beam or sample.")
    var strategy: GenerationStrategy = .greedy

    @OptionGroup var weights: PrecisionChoice

    @OptionGroup var turn: ChatTurn

    @OptionGroup var remote: APIOptions

    @OptionGroup var length: NewTokens
    var maxNewTokens: Int { length.count }

    @OptionGroup(title: "Beam search") var search: BeamOptions
    @OptionGroup(title: "Sampling") var sampling: SamplingOptions

    @OptionGroup var output: JSONOutput

    func validate() throws {
        try usage { try request().check() }
        if strategy == .beam { try decodingSettings { try beamSettings.validate() } }
    }

    /// The largest --max-new-tokens: ERNIE-4.5's context (max_position_embeddings 131072); a model with a shorter
    /// context is checked against its own when it is loaded (PromptSpec.checkContext).
    static let maxNewTokensLimit = 131_072

    var beamSettings: BeamSearchSettings { search.settings(maxNewTokens: maxNewTokens) }

    func request() throws -> GenerateRequest {
        let settings = Generation.Settings(strategy: strategy, maxNewTokens: maxNewTokens,
                                           processors: try sampling.processors(), seed: sampling.seed ?? 0,
                                           beam: beamSettings, chat: turn.chat)
        return GenerateRequest(prompt: input.spec, settings: settings, api: remote.settings, precision: weights.precision,
                               samplingGiven: sampling.isSet, beamGiven: search.isSet)
    }

    func run() throws {
        let (value, beam) = try request().run(emit: output.json ? nil : OutputPrinter.stream)
        if output.json { return print(try jsonString(value, compact: true)) }
        if let beam {
            print(beam.summary)
            OutputPrinter.print(.beamTree(beam.tree))
        }
    }
}

extension GenerationStrategy: ExpressibleByArgument {}
