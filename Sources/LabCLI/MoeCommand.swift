// `lmlab moe route`: which experts each token of a text went to in every MoE layer (ERNIE/ExpertRouter.swift), with
// what weight, how many tokens each expert got, and which choices the correction bias changed (Lab/MoeRoute.swift).
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore

struct MoeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moe",
        abstract: "Mixture-of-experts models (model_type ernie4_5_moe): see the router at work.",
        subcommands: [MoeRouteCommand.self])
}

struct MoeRouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Per MoE layer: the experts each token chose, their weights, the load per expert.",
        discussion: """
        The router scores every expert for every token (softmax p), adds the correction bias b to choose the top k, \
        and mixes the chosen experts with their own p, renormalised. A token marked "bias:" would have gone to other \
        experts without b; the load line counts the tokens each expert received.

        Examples:
          lmlab moe route "The cat sat on the mat." --model PATH/TO/MOE-MODEL
          lmlab moe route "The cat sat on the mat." --model PATH/TO/MOE-MODEL \\
              --layer 1 --json
        """)

    @Argument(help: "The text (routed after <s>).")
    var text: String

    @Option(name: .long, help: "An ernie4_5_moe model folder or a model name (see `lmlab models`).")
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "Show this layer only (its index, 0-based).")
    var layer: Int?

    @Flag(name: .long, help: "Print JSON: {tokens, pieces, layers: [{layer, chosen, weights, unbiased, load}]}.")
    var json = false

    func validate() throws {
        if let layer { try checkRange("--layer", layer, 0...4095) }
    }

    struct LayerJSON: Encodable {
        let layer: Int
        /// [T][k] chosen experts, largest p + b first; weights [T][k]; unbiased [T][k]: the top k of p alone.
        let chosen: [[Int]]
        let weights: [[Float]]
        let unbiased: [[Int]]
        /// Tokens per expert [E].
        let load: [Int]
    }

    struct JSON: Encodable {
        let tokens: [Int]
        let pieces: [String]
        let layers: [LayerJSON]
    }

    /// Routes the text and returns each shown MoE layer's routing with the token pieces.
    func routes() throws -> (pieces: [String], tokens: [Int], layers: [(Int, ExpertRouting)]) {
        try MoeRoute.route(text, model: model, layer: layer)
    }

    func run() throws {
        let (pieces, tokens, layers) = try routes()
        if json {
            print(try jsonString(JSON(tokens: tokens, pieces: pieces, layers: layers.map { i, r in
                let rows = 0..<r.rows
                return LayerJSON(layer: i, chosen: rows.map { Array(r.chosen(row: $0)) },
                                 weights: rows.map { Array(r.weights(row: $0)) },
                                 unbiased: rows.map { r.unbiasedChoice(row: $0) }, load: r.load)
            })))
            return
        }
        print(MoeRoute.render(pieces: pieces, layers: layers))
    }
}
