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
    @Option(name: .long, parsing: .unconditional,
            help: "At most this many new tokens, one per step (default 6; 1…\(GenerateCommand.maxNewTokensLimit), within the model's context).")
    var steps: Int?
    @Option(name: .customLong("max-new-tokens"), parsing: .unconditional,
            help: "The same as --steps, as `generate` names it.")
    var maxNewTokens: Int?
    @Flag(name: .long, help: "Open the beam explorer full screen: space steps, a autoplays, +/- beams, l/L length penalty.")
    var explore = false

    @Flag(name: .long, help: "Draw the search tree.")
    var tree = false
    @Option(name: .long, help: "With --tree: text (Unicode lines), dot (Graphviz) or json.")
    var format: BeamTreeFormat?

    func validate() throws {
        if format != nil && !tree { throw ValidationError(OptionConflict.formatWithoutTree) }
        if steps != nil && maxNewTokens != nil { throw ValidationError(OptionConflict.stepsTwice) }
        try checkRange(lengthOption, steps ?? maxNewTokens, 1...GenerateCommand.maxNewTokensLimit)
        try decodingSettings { try settings().validate() }
    }

    /// The search as `generate --strategy beam` runs it, with this command's defaults (4 beams, 6 new tokens).
    func settings() -> BeamSearchSettings { search.settings(maxNewTokens: steps ?? maxNewTokens ?? 6) }
    /// The length option as the learner wrote it, for the errors about its value.
    var lengthOption: String { maxNewTokens == nil ? "--steps" : "--max-new-tokens" }

    /// The model and the prompt (checked against the model's context); with `explore`, the beam explorer on them.
    func chosen() throws -> ChosenModel {
        try ChosenModel(input.spec, api: remote.settings, maxNewTokens: settings().maxNewTokens,
                        lengthOption: lengthOption)
    }
    func explorer() throws -> BeamExplorer { try chosen().beamExplorer(settings: settings()) }

    func run() throws {
        if explore { return try ExplorerLauncher.open(BeamExplorerPage(explorer: try explorer())) }
        try BeamReport.printout(of: try chosen(), settings: settings(), tree: tree, format: format) { shown in
            if let line = shown.stderr { FileHandleOutput.standardError(line) }
            for line in shown.lines { print(line) }
            if let tree = shown.tree { OutputPrinter.print(tree) }
        }
    }
}

extension BeamTreeFormat: ExpressibleByArgument {}
