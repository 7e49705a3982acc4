// `lmlab check greedy`: the lab's greedy decoder against an OpenAI-compatible server's temperature-0 completion, token
// by token (Lab/GreedyAPICheck.swift compares; this command parses and prints).
import ArgumentParser
import Foundation
import Lab
import LabCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the lab against an API: greedy decoding token for token.",
        subcommands: [Greedy.self])

    struct Greedy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "greedy",
            abstract: "Local greedy decoding vs an OpenAI-compatible server's temperature-0 completion, token by token.",
            discussion: CommandHelp.checkGreedy)

        @Option(name: .long, help: "The local model (a folder or a name).")
        var model: String
        @OptionGroup var remote: APIOptions
        @Option(name: .long, parsing: .singleValue, help: "A prompt (repeat for several; default: three story prompts).")
        var prompt: [String] = []
        @Option(name: .customLong("max-new-tokens"), parsing: .unconditional, help: "Tokens to compare per prompt (1…4096, default 16).")
        var maxNewTokens = 16
        @Flag(name: .long, help: "Start each prompt with <s>: the BOS id locally, the literal text <s> to the server.")
        var bos = false
        @Flag(name: .customLong("server-adds-bos"), help: "With --bos: the server adds BOS itself, so send the prompt alone.")
        var serverAddsBos = false
        @Option(name: .long, parsing: .unconditional, help: "Seconds to wait for each answer (default 60; at most 3600).")
        var timeout: Double = 60
        @OptionGroup var output: JSONOutput

        func validate() throws {
            guard remote.api != nil else {
                throw ValidationError(OptionConflict.checkGreedyNeedsAPI)
            }
            try remote.checkCompletionsOnly("check greedy")
            if serverAddsBos && !bos { throw ValidationError(OptionConflict.serverAddsBosNeedsBos) }
            try checkRange("--max-new-tokens", maxNewTokens, 1...4096)
            try checkPositive("--timeout", timeout, maximum: 3600)
        }

        /// The comparison the options ask for (validate() requires --api).
        var check: GreedyAPICheck {
            GreedyAPICheck(model: model, api: remote.api ?? "", prompts: prompt, maxNewTokens: maxNewTokens, bos: bos,
                           serverAddsBos: serverAddsBos, timeout: timeout, apiKey: remote.apiKey)
        }

        /// Runs every prompt on both sides; with --json the notes are English whatever the learner's language.
        func compare() throws -> [GreedyAPICheck.Outcome] {
            try Learner.$language.withValue(output.json ? .en : Learner.language) { try check.run() }
        }

        func run() throws {
            let outcomes = try compare()
            print(output.json ? try jsonString(outcomes) : GreedyAPICheck.report(outcomes).joined(separator: "\n"))
            if let failure = check.failure(outcomes) { throw FailureShownAbove(summary: failure) }
        }
    }
}
