// `lmlab sample`: sampling with temperature / top-k / top-p / min-p, and with --show-dist the next-token
// distribution before and after the processors, side by side — the text form of the sampling explorer.
import ArgumentParser
import Decoding
import Foundation
import Lab
import LabCore
import TerminalUI

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample a continuation; with --show-dist, show the next-token distribution raw vs processed.",
        discussion: CommandHelp.sample)

    @OptionGroup var input: PromptOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var remote: APIOptions
    @OptionGroup var length: NewTokens
    @Flag(name: .long, help: "Open the sampling explorer full screen: ←/→ temperature, ↑/↓ top-p, k/K top-k, m/M min-p, Enter samples, g greedy, r draws many.")
    var explore = false

    @Flag(name: .customLong("show-dist"), help: "Show the next-token distribution raw vs processed instead of generating.")
    var showDist = false
    @Option(name: .long, parsing: .unconditional, help: "With --show-dist: how many of the most likely tokens to list (default 10; 1…1000).")
    var top: Int?
    @OptionGroup var output: JSONOutput

    func validate() throws {
        if !showDist && !explore && top != nil { throw ValidationError(OptionConflict.topWithoutList) }
        if explore && (showDist || output.json || length.maxNewTokens != nil) {
            throw ValidationError(OptionConflict.exploreWithPrintedOptions)
        }
        if showDist && length.maxNewTokens != nil {
            throw ValidationError(OptionConflict.showDistGenerates)
        }
        try checkRange("--top", top, 1...1000)
    }

    /// One step of the explorer: both distributions, the top tokens, and the seeded draw (Lab/SampleStep.swift).
    func step() throws -> (json: SampleStep, vocabularySize: Int) {
        let chosen = try ChosenModel(input.spec, api: remote.settings)
        return try SampleStep.run(chosen.model, prompt: chosen.prompt, processors: try sampling.processors(),
                                  seed: sampling.seed ?? 0, top: top ?? 10, remoteTop: chosen.api?.top)
    }

    /// The sampling explorer on this command's model, prompt and processor settings (one model call).
    func explorer() throws -> SamplingExplorer {
        try ChosenModel(input.spec, api: remote.settings)
            .samplingExplorer(settings: sampling.settings, seed: sampling.seed ?? 0, topN: top ?? 10)
    }

    func run() throws {
        if explore { return try ExplorerLauncher.open(SamplingExplorerPage(explorer: try explorer())) }
        guard showDist else {
            // `generate --strategy sample`: the same checks, the same Sampler, the same streaming.
            let settings = Generation.Settings(strategy: .sample, maxNewTokens: length.count,
                                               processors: try sampling.processors(), seed: sampling.seed ?? 0)
            let request = GenerateRequest(prompt: input.spec, settings: settings, api: remote.settings)
            let (value, _) = try request.run(emit: output.json ? nil : OutputPrinter.stream)
            if output.json { print(try jsonString(value, compact: true)) }
            return
        }
        let (s, vocabularySize) = try step()
        if output.json { print(try jsonString(s, compact: true)); return }
        OutputPrinter.print(s.output(vocabularySize: vocabularySize))
    }
}
