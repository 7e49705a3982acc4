// `lmlab layer rope | rmsnorm | swiglu`: lesson 8's parts of a decoder layer run by the engine's own kernels on
// vectors small enough to read. The arithmetic and the wording are Lab/LayerPieces.swift; this parses and prints.
import ArgumentParser
import Foundation
import Lab

struct LayerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer",
        abstract: "RoPE, RMSNorm and SwiGLU — the engine's kernels on a vector you can read (lesson 8).",
        subcommands: [LayerRoPE.self, LayerRMSNorm.self, LayerSwiGLU.self])
}

struct LayerRoPE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rope",
        abstract: "Rotate q and k to positions m and n with ERNIE's interleaved RoPE and print q·k for each pair.",
        discussion: CommandHelp.layerRoPE)

    @Option(name: .long, parsing: .unconditional, help: "The query head vector (an even number of entries, at most 64).")
    var q = "1,0.5,-0.3,0.8,0.2,-1,0.6,0.4"

    @Option(name: .long, parsing: .unconditional, help: "The key head vector (as many entries as --q).")
    var k = "0.7,-0.2,0.9,0.1,-0.5,0.3,0.4,-0.8"

    @Option(name: .long, help: "Query:key position pairs m:n, separated by commas (at most 16; positions 0…1000000).")
    var positions = "3:1,10:8,100:98,1:3,7:1"

    @Option(name: .long, parsing: .unconditional, help: "RoPE's base θ (1…1e12; ERNIE-4.5 uses 500000).")
    var theta: Double = 500_000

    func validate() throws { try checkRange("--theta", theta, 1...1e12) }

    func run() throws {
        let input = try LayerPieces.ropeInputs(q: q, k: k, positions: positions)
        OutputPrinter.print(LayerPieces.ropeOutput(q: input.q, k: input.k, positions: input.positions, theta: Float(theta)))
    }
}

struct LayerRMSNorm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rmsnorm",
        abstract: "RMSNorm of a vector: x / √(mean(x²) + ε), then the gain.",
        discussion: CommandHelp.layerRMSNorm)

    @Option(name: .long, parsing: .unconditional, help: "The vector x (at most 64 numbers).")
    var x = "3,-1,2,0.5"

    @Option(name: .long, parsing: .unconditional, help: "The gain g, one per entry of x (default: none shown).")
    var gain: String?

    @Option(name: .long, parsing: .unconditional, help: "ε (1e-12…0.1; ERNIE-4.5 uses 1e-5).")
    var epsilon: Double = 1e-5

    func validate() throws { try checkRange("--epsilon", epsilon, 1e-12...0.1) }

    func run() throws {
        OutputPrinter.print(try LayerPieces.rmsNormOutput(x: LayerPieces.vector(x, option: "--x"),
            gain: gain.map { try LayerPieces.vector($0, option: "--gain") }, epsilon: Float(epsilon)))
    }
}

struct LayerSwiGLU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiglu",
        abstract: "SwiGLU's gate: silu(x W_gate) ⊙ x W_up, unit by unit.",
        discussion: CommandHelp.layerSwiGLU)

    @Option(name: .long, parsing: .unconditional, help: "The gate pre-activations z = x W_gate, one per hidden unit (at most 64).")
    var gate = "-4,-1,0,1,4"

    @Option(name: .long, parsing: .unconditional, help: "The up projection u = x W_up, one per hidden unit (default: all 1).")
    var up: String?

    func run() throws {
        OutputPrinter.print(try LayerPieces.swiGLUOutput(gate: LayerPieces.vector(gate, option: "--gate"),
                                                         up: up.map { try LayerPieces.vector($0, option: "--up") }))
    }
}
