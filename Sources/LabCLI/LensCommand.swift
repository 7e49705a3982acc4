// `lmlab lens`: the logit lens (ERNIE/LogitLens.swift) as a table — for each position of the text (columns) and each
// layer (rows, embeddings at the top), the token the model would predict next if it stopped after that layer.
import ArgumentParser
import ERNIE
import Lab
import Foundation
import LabCore
import TerminalUI

struct LensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "Logit lens: what each layer would predict next, at each position (final norm and unembedding applied).",
        discussion: CommandHelp.lens)

    @Argument(help: "The text (scored after <s>).")
    var text: String

    @OptionGroup var model: ModelName

    @Option(name: .long, parsing: .unconditional, help: "Show the last N positions (1…1000, default 6).")
    var positions: Int = 6

    @Option(name: .long, parsing: .unconditional, help: "With --json: candidates per cell (1…100, default 3).")
    var top: Int = 3

    @Flag(name: .long, help: "Open the lens full screen: ↑/↓ layer, ←/→ position, the selected cell's top 5 as bars.")
    var explore = false
    @Flag(name: .long, help: "Print JSON: {tokens, pieces, top[layer][position], next_logprob[layer][position]}.")
    var json = false

    func validate() throws {
        try checkRange("--positions", positions, 1...1000)
        try checkRange("--top", top, 1...100)
        if explore && json { throw ValidationError("--explore opens the full-screen lens; it does not combine with --json.") }
    }

    struct JSON: Encodable {
        let tokens: [Int]
        let pieces: [String]
        let top: [[[LogitLens.Candidate]]]
        let next_logprob: [[Float?]]
    }

    /// The lens and a function naming any id (the tokenizer's piece, control characters escaped).
    func lens() throws -> (LogitLens, (Int) -> String) {
        let loaded = try model.load()
        let tokenizer = try loaded.requireTokenizer(model.name)
        let ids = [tokenizer.bosId].compactMap { $0 } + tokenizer.encode(text, addBos: false)
        let lens = try LogitLens.run(loaded.model, tokens: ids, k: explore ? max(top, 5) : top)
        return (lens, { VisibleText.escapingControls(tokenizer.piece($0)) })
    }

    func run() throws {
        let (lens, piece) = try lens()
        let pieces = lens.tokens.map(piece)
        if explore {
            let explorer = LogitLensExplorer(
                modelName: model.name, tokens: pieces,
                top: lens.top.map { $0.map { $0.map { LensPrediction(piece($0.id), exp(Double($0.logProb))) } } },
                nextProbability: lens.nextTokenLogProb.map { $0.map { $0.map { exp(Double($0)) } } })
            return try ExplorerLauncher.open(LogitLensPage(explorer: explorer))
        }
        if json {
            print(try jsonString(JSON(tokens: lens.tokens, pieces: pieces, top: lens.top, next_logprob: lens.nextTokenLogProb)))
            return
        }
        OutputPrinter.print(lens.output(pieces: pieces, piece: piece, positions: positions))
    }
}
