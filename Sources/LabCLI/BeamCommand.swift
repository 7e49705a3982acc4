// `lmlab beam`: beam search, and with --tree the whole search drawn as a tree (Unicode lines, Graphviz DOT or JSON).
import ArgumentParser
import Decoding
import Foundation
import Lab
import TerminalUI

struct BeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beam",
        abstract: "Beam search; with --tree, draw every candidate the search ranked and what became of it.",
        discussion: CommandHelp.beam)

    @OptionGroup var input: PromptOptions
    @OptionGroup var remote: APIOptions
    @OptionGroup var search: BeamOptions
    @Option(name: [.customLong("max-new-tokens"), .customLong("steps")], parsing: .unconditional,
            help: "At most this many new tokens (default 6; 1…\(GenerateCommand.maxNewTokensLimit), within the model's context); --steps is the same option, as `generate` names it --max-new-tokens.")
    var steps: Int?
    @Flag(name: .long, help: "Open the beam explorer full screen: space steps, a autoplays, +/- beams, l/L length penalty.")
    var explore = false

    @Flag(name: .long, help: "Draw the search tree.")
    var tree = false
    @Option(name: .long, help: "With --tree: text (Unicode lines), dot (Graphviz) or json.")
    var format: BeamTreeFormat?

    func validate() throws {
        if format != nil && !tree { throw ValidationError(OptionConflict.formatWithoutTree) }
        try checkRange("--max-new-tokens", steps, 1...GenerateCommand.maxNewTokensLimit)
        try decodingSettings { try settings().validate() }
    }

    /// The search as `generate --strategy beam` runs it, with this command's defaults (4 beams, 6 new tokens).
    func settings() -> BeamSearchSettings { search.settings(maxNewTokens: steps ?? 6) }

    /// The beam explorer on this command's model, prompt and settings (reads the prompt; no step taken).
    func explorer() throws -> BeamExplorer {
        try ChosenModel(input.spec, api: remote.settings, maxNewTokens: settings().maxNewTokens)
            .beamExplorer(settings: settings())
    }

    func run() throws {
        if explore { return try ExplorerLauncher.open(BeamExplorerPage(explorer: try explorer())) }
        let chosen = try ChosenModel(input.spec, api: remote.settings, maxNewTokens: settings().maxNewTokens)
        let shown = try BeamReport.printout(of: chosen, settings: settings(), tree: tree, format: format)
        if let line = shown.stderr { FileHandleOutput.standardError(line) }
        for line in shown.lines { print(line) }
        if let tree = shown.tree { OutputPrinter.print(tree) }
    }
}

extension BeamTreeFormat: ExpressibleByArgument {}
