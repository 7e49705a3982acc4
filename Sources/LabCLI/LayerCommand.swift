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

    func parsedPositions() throws -> [(Int, Int)] {
        let pairs = positions.split(separator: ",").map { $0.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) } }
        guard !pairs.isEmpty, pairs.count <= 16,
              pairs.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.map { (0...1_000_000).contains($0) } ?? false } }) else {
            throw ValidationError("--positions \"\(positions)\": give up to 16 pairs m:n of positions 0…1000000. HINT: e.g. --positions \"3:1,10:8,1:3\"")
        }
        return pairs.map { ($0[0]!, $0[1]!) }
    }

    func validate() throws {
        _ = try parsedPositions()
        try checkRange("--theta", theta, 1...1e12)
        let qv = try usage { try LayerPieces.vector(q, option: "--q") }
        let kv = try usage { try LayerPieces.vector(k, option: "--k") }
        guard qv.count == kv.count, qv.count % 2 == 0 else {
            throw ValidationError("--q has \(qv.count) numbers and --k \(kv.count): RoPE turns pairs, so give both the same even length. HINT: e.g. --q \"1,0,0,1\" --k \"0,1,1,0\"")
        }
    }

    func run() throws {
        OutputPrinter.print(LayerPieces.ropeOutput(q: try LayerPieces.vector(q, option: "--q"), k: try LayerPieces.vector(k, option: "--k"),
                                                   positions: try parsedPositions(), theta: Float(theta)))
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

    func validate() throws {
        try checkRange("--epsilon", epsilon, 1e-12...0.1)
        let v = try usage { try LayerPieces.vector(x, option: "--x") }
        if let gain, try usage({ try LayerPieces.vector(gain, option: "--gain") }).count != v.count {
            throw ValidationError("--gain needs one number per entry of --x (\(v.count)). HINT: e.g. --x \"3,-1\" --gain \"1,2\"")
        }
    }

    func run() throws {
        OutputPrinter.print(try LayerPieces.rmsNormOutput(x: try LayerPieces.vector(x, option: "--x"),
                                                          gain: try gain.map { try LayerPieces.vector($0, option: "--gain") },
                                                          epsilon: Float(epsilon)))
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

    func validate() throws {
        let g = try usage { try LayerPieces.vector(gate, option: "--gate") }
        if let up, try usage({ try LayerPieces.vector(up, option: "--up") }).count != g.count {
            throw ValidationError("--up needs one number per --gate value (\(g.count)). HINT: e.g. --gate \"-2,2\" --up \"1,1\"")
        }
    }

    func run() throws {
        OutputPrinter.print(try LayerPieces.swiGLUOutput(gate: try LayerPieces.vector(gate, option: "--gate"),
                                                         up: try up.map { try LayerPieces.vector($0, option: "--up") }))
    }
}

/// A vector option that does not parse is a usage error (exit 64), with LayerPieces' message.
private func usage(_ parse: () throws -> [Float]) throws -> [Float] {
    do { return try parse() } catch let e as LayerPieces.InputError { throw ValidationError(e.description) }
}
