// `lmlab beam`: beam search, and with --tree the whole search drawn as a tree (Unicode lines, Graphviz DOT or JSON).
import ArgumentParser
import Decoding
import ERNIE
import Foundation
import Lab
import TerminalUI

struct BeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beam",
        abstract: "Beam search; with --tree, draw every candidate the search ranked and what became of it.",
        discussion: """
        The search is `lmlab generate --strategy beam` (transformers' semantics). With --tree every ranked candidate is \
        a node: ● kept as a running beam, ✗ pruned, ◆ finished, ○ finished but not good enough. Each node shows its \
        token, its step log P and its length-normalised score. --format dot writes Graphviz (`| dot -Tpng`), \
        --format json the tree as data.

        Examples:
          lmlab beam "I love my" --model tiny-ernie --beams 4 --max-new-tokens 6 --tree
          lmlab beam "I love my" --model tiny-ernie --beams 3 --steps 4 --tree --format dot > beam.dot
          lmlab beam --ids 1,883 --model path/to/folder --beams 2 --steps 3 --tree --format json
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, dot, json }

    @Argument(help: "The text to continue (omit with --ids).")
    var text: String?
    @Option(name: .long, help: "A model folder or a model name (see `lmlab models`).")
    var model: String
    @Option(name: .long, help: "Comma-separated prompt ids, used as given (no tokenizer needed).")
    var ids: String?
    @Flag(name: .long, help: "Put the tokenizer's <s> before the text.")
    var bos = false
    @Option(name: .long, parsing: .unconditional, help: "Number of beams (default 4; 1…\(BeamSearchSettings.maxBeams)).")
    var beams: Int?
    @Option(name: [.customLong("max-new-tokens"), .customLong("steps")], parsing: .unconditional,
            help: "At most this many new tokens (default 6; 1…\(GenerateCommand.maxNewTokensLimit), within the model's context); --steps is the same option, as `generate` names it --max-new-tokens.")
    var steps: Int?
    @Option(name: .customLong("length-penalty"), parsing: .unconditional, help: "α in log P / length^α (default 1).")
    var lengthPenalty: Float?
    @Flag(name: .customLong("early-stopping"), help: "Stop as soon as --beams sequences have finished.")
    var earlyStopping = false
    @Option(name: .customLong("num-return"), parsing: .unconditional, help: "How many finished sequences to show (≤ beams).")
    var numReturn: Int?
    @Flag(name: .long, help: "Open the beam explorer full screen: space steps, a autoplays, +/- beams, l/L length penalty.")
    var explore = false

    @Flag(name: .long, help: "Draw the search tree.")
    var tree = false
    @Option(name: .long, help: "With --tree: text (Unicode lines), dot (Graphviz) or json.")
    var format: Format?

    func generateArguments() -> [String] {
        var a: [String] = []
        if let text { a.append(text) }
        a += ["--model", model, "--strategy", "beam", "--max-new-tokens", "\(steps ?? 6)", "--beams", "\(beams ?? 4)"]
        if let ids { a += ["--ids", ids] }
        if bos { a.append("--bos") }
        if let lengthPenalty { a += ["--length-penalty", "\(lengthPenalty)"] }
        if earlyStopping { a.append("--early-stopping") }
        if let numReturn { a += ["--num-return", "\(numReturn)"] }
        return a
    }

    func validate() throws {
        if format != nil && !tree { throw ValidationError("--format chooses how --tree is drawn. HINT: add --tree.") }
        _ = try GenerateCommand.parseSettings(generateArguments())
    }

    /// The beam explorer on this command's model, prompt and settings (reads the prompt; no step taken).
    func explorer() throws -> BeamExplorer {
        let generate = try GenerateCommand.parse(generateArguments())
        let loaded = try ProbCommand.load(model)
        let prompt = try generate.prompt(loaded.tokenizer)
        try generate.checkContext(promptTokens: prompt.count, loaded: loaded)
        let vocabulary = loaded.model.vocabulary
        return try BeamExplorer(model: loaded.model, prompt: prompt, settings: generate.beamSettings(endTokens: nil),
                                piece: { ProbCommand.visiblePiece(vocabulary.piece($0)) },
                                detokenize: { ids in loaded.tokenizer.map { $0.decode(ids, skipSpecialTokens: false) } ?? ids.map(vocabulary.piece).joined() })
    }

    func run() throws {
        if explore { return try ExplorerLauncher.open(BeamExplorerPage(explorer: try explorer())) }
        let generate = try GenerateCommand.parse(generateArguments())
        let loaded = try ProbCommand.load(model)
        let prompt = try generate.prompt(loaded.tokenizer)
        try generate.checkContext(promptTokens: prompt.count, loaded: loaded)
        let result = try BeamSearch.run(loaded.model, prompt: prompt, settings: generate.beamSettings(endTokens: nil))
        let vocabulary = loaded.model.vocabulary
        let piece = { (id: Int) in ProbCommand.visiblePiece(vocabulary.piece(id)) }
        func decoded(_ ids: [Int]) -> String {
            loaded.tokenizer.map { $0.decode(ids, skipSpecialTokens: false) } ?? ids.map(vocabulary.piece).joined()
        }
        switch (tree, format ?? .text) {
        case (true, .json):
            print(try GenerateCommand.encode(GenerateCommand.BeamJSON(
                sequences: result.sequences.map { .init(ids: $0.ids, score: $0.score) }, tree: result.tree)))
        case (true, .dot):
            print(Self.dot(result.tree, root: decoded(prompt), piece: piece))
        default:
            for (i, h) in result.sequences.enumerated() {
                print(String(format: "%d. score %.4f  ", i + 1, h.score) + decoded(prompt + h.ids))
            }
            if tree { print(Self.drawTree(result.tree, root: decoded(prompt), piece: piece)) }
        }
    }

    static func symbol(_ s: BeamNodeStatus) -> String {
        switch s {
        case .root: return ""
        case .kept: return "●"
        case .pruned: return "✗"
        case .finished: return "◆"
        case .rejected: return "○"
        }
    }

    /// The tree with box-drawing lines, children in the order the search ranked them.
    static func drawTree(_ tree: BeamTree, root: String, piece: (Int) -> String) -> String {
        var children = [Int: [Int]]()
        for n in tree.nodes.dropFirst() { children[n.parent ?? 0, default: []].append(n.id) }
        var lines = ["\"\(root)\""]
        func visit(_ id: Int, prefix: String) {
            let kids = children[id] ?? []
            for (i, c) in kids.enumerated() {
                let last = i == kids.count - 1
                let n = tree.nodes[c]
                lines.append(prefix + (last ? "└─ " : "├─ ") + symbol(n.status) + " " + piece(n.token!)
                             + String(format: "  log P %.3f  score %.3f", n.stepLogProb, n.score) + "  " + n.status.rawValue)
                visit(c, prefix: prefix + (last ? "   " : "│  "))
            }
        }
        visit(0, prefix: "")
        lines.append("● kept  ✗ pruned  ◆ finished  ○ finished, not kept")
        return lines.joined(separator: "\n")
    }

    /// Graphviz: kept solid, pruned dashed grey, finished bold double outline, rejected dotted.
    static func dot(_ tree: BeamTree, root: String, piece: (Int) -> String) -> String {
        func quote(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        var out = ["digraph beam {", "  rankdir=LR;", "  node [shape=box, fontname=\"monospace\"];",
                   "  n0 [label=\(quote(root)), shape=plaintext];"]
        for n in tree.nodes.dropFirst() {
            let style: String
            switch n.status {
            case .kept: style = "style=solid"
            case .pruned: style = "style=dashed, color=grey50, fontcolor=grey50"
            case .finished: style = "style=bold, peripheries=2"
            case .rejected: style = "style=dotted"
            case .root: style = ""
            }
            let label = piece(n.token!) + String(format: "\n%.3f / %.3f", n.stepLogProb, n.score)
            out.append("  n\(n.id) [label=\(quote(label)), \(style)];")
            out.append("  n\(n.parent ?? 0) -> n\(n.id);")
        }
        out.append("}")
        return out.joined(separator: "\n")
    }
}
