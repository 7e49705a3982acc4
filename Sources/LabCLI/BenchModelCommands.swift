// `lmlab bench decode`, `bench prefill` and `bench beam`: the ERNIE-4.5 engine on a whole model (LabBench's
// ModelBenchmark and BeamBenchmark measure; these parse, set the engine's switches for the run, and print).
import ArgumentParser
import Decoding
import ERNIE
import Foundation
import Lab
import LabBench
import LabCore
import ModelFiles

struct BenchModelOptions: ParsableArguments {
    @Option(name: .long, help: "An ERNIE-4.5 model folder (config.json + safetensors).")
    var model: String?

    @Flag(name: .customLong("random-0.3b"),
          help: "Use seeded random bf16 weights of the exact ERNIE-4.5-0.3B shape (written once to $TMPDIR).")
    var random03B = false

    @Flag(name: .customLong("random-moe"),
          help: "Use seeded random bf16 weights of a 1.7 GB mixture of experts shaped like ERNIE-4.5-21B-A3B, scaled down.")
    var randomMoE = false

    @Option(name: .long, parsing: .unconditional, help: "Seed for the random checkpoint and the prompt's token ids.")
    var seed: UInt64 = 0

    @OptionGroup var weights: PrecisionChoice

    @OptionGroup var output: JSONOutput

    @OptionGroup var engine: EngineFlags

    func validate() throws { _ = try setup() }

    var randomShape: ERNIEConfig { ModelBenchSetup.randomShape(moe: randomMoE) }

    func setup() throws -> ModelBenchSetup {
        try ModelBenchSetup(model: model, random03B: random03B, randomMoE: randomMoE, seed: seed, precision: weights.precision)
    }

    /// Progress lines go to stderr, and only when the output is not JSON.
    func log(_ line: String) { if !output.json { FileHandleOutput.standardError(line) } }

    /// Runs `measure` with the engine switches of the flags (restored afterwards, so a REPL keeps its own), then
    /// prints its report.
    func run<R: Encodable>(_ command: String, _ measure: () throws -> R, text: (R) -> String) throws {
        Bench.warnIfDebug(command)
        let report = try EngineOptions.withOptions(engine.applied(to: .current), measure)
        print(output.json ? try jsonString(report) : text(report))
    }
}

struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "ERNIE-4.5 single-token decode speed: tokens/s, ms/token, weight GB/s (use a release build).",
        discussion: CommandHelp.benchDecode)

    @OptionGroup var options: BenchModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Single-token decode steps (1…4096).")
    var tokens: Int = 64

    @Option(name: .customLong("prompt-tokens"), parsing: .unconditional, help: "Length of the prompt prefilled before decoding (1…4096).")
    var promptTokens: Int = 8

    func validate() throws {
        try checkRange("--tokens", tokens, 1...4096)
        try checkRange("--prompt-tokens", promptTokens, 1...4096)
    }

    func run() throws {
        try options.run("decode", {
            try ModelBenchmark.decode(try options.setup(), tokens: tokens, promptTokens: promptTokens, log: options.log)
        }, text: \.text)
    }
}

struct BenchPrefill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefill",
        abstract: "ERNIE-4.5 prompt processing speed: one call over a T-token prompt (use a release build).",
        discussion: CommandHelp.benchPrefill)

    @OptionGroup var options: BenchModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Prompt length T (1…8192).")
    var tokens: Int = 512

    func validate() throws {
        try checkRange("--tokens", tokens, 1...8192)
    }

    func run() throws {
        try options.run("prefill", {
            try ModelBenchmark.prefill(try options.setup(), tokens: tokens, log: options.log)
        }, text: \.text)
    }
}

struct BenchBeam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beam",
        abstract: "Beam search (B beams, one batched model call per step) vs B sequential greedy runs: tokens/s.",
        discussion: CommandHelp.benchBeam)

    @OptionGroup var options: BenchModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Beams B (2…\(BeamSearchSettings.maxBeams); also the number of greedy runs compared with them).")
    var beams: Int = 4

    @Option(name: .long, parsing: .unconditional, help: "New tokens N per run (beam steps, 2…4096).")
    var tokens: Int = 32

    @Option(name: .customLong("prompt-tokens"), parsing: .unconditional, help: "Length of the prompt every run starts from (1…4096).")
    var promptTokens: Int = 8

    func validate() throws {
        try checkRange("--beams", beams, 2...BeamSearchSettings.maxBeams)
        try checkRange("--tokens", tokens, 2...4096)
        try checkRange("--prompt-tokens", promptTokens, 1...4096)
    }

    func run() throws {
        try options.run("beam", {
            try BeamBenchmark.run(try options.setup(), beams: beams, tokens: tokens, promptTokens: promptTokens,
                                  log: options.log)
        }, text: \.text)
    }
}
