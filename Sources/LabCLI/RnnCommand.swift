// `lmlab rnn vanishing`: lesson 6's measurement — ‖∂L/∂h_{T−1−k}‖ against the lag k for the trained Elman RNN and GRU
// language models on the same held-out sequences (NeuralLMs/VanishingGradients.swift), as a table with log-scale bars.
import ArgumentParser
import Foundation
import Lab
import LabCore
import NeuralLMs

struct RnnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn",
        abstract: "Look inside the recurrent language models (Elman RNN and GRU).",
        subcommands: [Vanishing.self, Parallel.self])

    struct Parallel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parallel",
            abstract: "Sequential vs parallel: time per token of the RNN's recurrence against one self-attention.",
            discussion: CommandHelp.rnnParallel)
        @Option(name: .long, parsing: .unconditional, help: "Sequence length T (1…4096).")
        var tokens = 256
        @Option(name: .long, parsing: .unconditional, help: "Runs of each, the fastest counted (1…100).")
        var repeats = 5
        @Option(name: .long, help: "Elman RNN or GRU model file or folder (default Models/gru-stories-en).")
        var model: String?
        @OptionGroup var output: JSONOutput

        func validate() throws {
            try checkRange("--tokens", tokens, 1...4096)
            try checkRange("--repeats", repeats, 1...100)
        }

        func run() throws {
            let rnn = try TrainedNeuralModels.recurrent(model)
            let timing = SequentialVsParallelTiming.measure(rnn, tokens: tokens, repeats: repeats)
            try output.show(SequenceReports.sequentialVsParallel(timing, model: rnn.name), json: timing)
        }
    }

    struct Vanishing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vanishing",
            abstract: "How fast the gradient fades through time: ‖∂loss/∂h_{t−k}‖ against k, RNN vs GRU.",
            discussion: CommandHelp.rnnVanishing)
        @Option(name: .customLong("max-lag"), parsing: .unconditional, help: "Largest k (1…200).")
        var maxLag = 20
        @Option(name: .long, parsing: .unconditional, help: "Held-out sequences to average over (1…1000).")
        var sequences = 8
        @Option(name: .long, help: "Elman RNN model file or folder (default Models/rnn-stories-en).")
        var rnn: String?
        @Option(name: .long, help: "GRU model file or folder (default Models/gru-stories-en).")
        var gru: String?
        @OptionGroup var output: JSONOutput

        func validate() throws {
            try checkRange("--max-lag", maxLag, 1...200)
            try checkRange("--sequences", sequences, 1...1000)
        }

        func run() throws {
            let curves = try usage {
                try GradientNormCurve.measure(rnn: rnn, gru: gru, maxLag: maxLag, sequences: sequences)
            }
            if output.json { print(try jsonString(curves)); return }
            OutputPrinter.print(GradientNormCurve.output(curves, maxLag: maxLag, sequences: sequences))
        }
    }
}
