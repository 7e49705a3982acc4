// `lmlab attention steps|heads|map`: scaled dot-product attention made visible (lesson 7) — every intermediate of a
// tiny example (NeuralLMs/AttentionSteps.swift), multi-head split/merge with grouped-query sharing, and the real
// attention weights of a model's layer and head as a heatmap (ERNIE/ErnieRecorder.swift).
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import NeuralLMs
import TerminalUI

struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Attention step by step: Q, K, V, scores, mask, softmax, output; heads and GQA; a model's attention map.",
        discussion: CommandHelp.attention,
        subcommands: [Steps.self, Heads.self, MapCommand.self])

    struct Steps: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "steps", abstract: "One attention head on a tiny example, every intermediate printed.")
        @Option(name: .long, parsing: .unconditional, help: "Tokens T (1…8, default 3).") var tokens = 3
        @Option(name: .long, parsing: .unconditional, help: "Width D of Q, K, V (1…16, default 4).") var dim = 4
        @Option(name: .long, parsing: .unconditional, help: "Seed of the example's numbers.") var seed: UInt64 = 1
        @Flag(name: .customLong("no-causal"), help: "Let every token see every token (an encoder).") var noCausal = false

        func validate() throws {
            // Small enough that every matrix stays readable on one screen.
            try checkRange("--tokens", tokens, 1...8)
            try checkRange("--dim", dim, 1...16)
        }

        func run() throws {
            OutputPrinter.print(AttentionStepsReport.steps(tokens: tokens, dim: dim, seed: seed, causal: !noCausal))
        }
    }

    struct Heads: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "heads", abstract: "Multi-head attention: split, attend, merge; which K/V head each query head reads (GQA).")
        @Option(name: .long, parsing: .unconditional, help: "Query heads H (1…8, default 4).") var heads = 4
        @Option(name: .customLong("kv-heads"), parsing: .unconditional, help: "Key/value heads (H = MHA, 1 = MQA, between = GQA; divides H; default 2).") var kvHeads = 2
        @Option(name: .long, parsing: .unconditional, help: "Tokens T (1…6, default 3).") var tokens = 3
        @Option(name: .customLong("head-dim"), parsing: .unconditional, help: "Size of one head (1…4, default 2).") var headDim = 2
        @Option(name: .long, parsing: .unconditional, help: "Seed of the example's numbers.") var seed: UInt64 = 1

        func validate() throws {
            // Small enough that every matrix stays readable on one screen.
            try checkRange("--heads", heads, 1...8)
            try checkRange("--kv-heads", kvHeads, 1...heads)
            guard heads % kvHeads == 0 else {
                throw ValidationError(OptionConflict.headsNotGrouped(heads: heads, kvHeads: kvHeads))
            }
            try checkRange("--tokens", tokens, 1...6)
            try checkRange("--head-dim", headDim, 1...4)
        }

        func run() throws {
            OutputPrinter.print(AttentionStepsReport.heads(heads: heads, keyValueHeads: kvHeads, tokens: tokens, headDim: headDim, seed: seed))
        }
    }

    struct MapCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map",
            abstract: "A model's attention weights for one layer and head, as a heatmap (--explore: every layer and head).",
            discussion: CommandHelp.attentionMap)
        @Argument(help: "The text (after <s>).") var text: String
        @OptionGroup var model: ModelName
        @Option(name: .long, parsing: .unconditional, help: "Layer (0-based, below the model's layer count; default 0).") var layer = 0
        @Option(name: .long, parsing: .unconditional, help: "Query head (0-based, below the model's head count; default 0).") var head = 0
        @Flag(name: .long, help: "Open the heatmap full screen: ↑/↓ layer, ←/→ head.") var explore = false
        @OptionGroup var output: JSONOutput

        func validate() throws {
            if explore && output.json { throw ValidationError(OptionConflict.exploreWithJSON(("heatmap", "热力图"))) }
        }

        /// One forward pass with the recorder on: every layer's attention, and the token pieces.
        func recorded() throws -> (recorder: ErnieRecorder, pieces: [String], layers: Int, heads: Int) {
            try AttentionMap.record(model: model.name, text: text, layer: layer, head: head)
        }

        func run() throws {
            let (recorder, pieces, layers, heads) = try recorded()
            if explore {
                let explorer = AttentionExplorer(layers: layers, heads: heads, tokens: pieces) { l, h in
                    AttentionMap.weights(recorder, layer: l, head: h, count: pieces.count)
                }
                explorer.move(layer: layer)
                explorer.move(head: head)
                return try ExplorerLauncher.open(AttentionExplorerPage(explorer: explorer))
            }
            let w = AttentionMap.weights(recorder, layer: layer, head: head, count: pieces.count)
            if output.json { print(try jsonString(w.map { $0.map { $0.isNaN ? 0 : $0 } })); return }
            OutputPrinter.print(AttentionMap.output(w, pieces: pieces, layer: layer, head: head))
        }
    }
}
