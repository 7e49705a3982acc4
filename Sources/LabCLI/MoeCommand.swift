// `lmlab moe route`: which experts each token of a text went to in every MoE layer (ERNIE/ExpertRouter.swift), with
// what weight, how many tokens each expert got, and which choices the correction bias changed.
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import TerminalUI

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
        discussion: CommandHelp.moeRoute)

    @Argument(help: "The text (routed after <s>).")
    var text: String

    @Option(name: .long, help: "An ernie4_5_moe model folder or a model name (see `lmlab models`).")
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "Show this layer only (its index, 0-based).")
    var layer: Int?

    @OptionGroup var output: JSONOutput

    @Flag(name: .long, help: "Explore full screen: ↑/↓ layer, ←/→ token, ? keys, q back.")
    var explore = false

    func validate() throws {
        if let layer { try checkRange("--layer", layer, 0...4095) }
        if output.json && explore { throw ValidationError(OptionConflict.jsonOrExplore) }
    }

    func run() throws {
        let report = try ExpertRouteReport.route(text, model: model, layer: layer)
        if explore {
            return try ExplorerLauncher.open(ExpertRouteExplorerPage(explorer: ExpertRouteExplorer(modelName: model, report: report)))
        }
        if output.json { print(try jsonString(report.json)); return }
        print(report.text)
    }
}
