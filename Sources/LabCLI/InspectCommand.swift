// `lmlab inspect`: a model opened up (lesson 8) — its architecture from config.json and its parameters counted from
// the checkpoint's own tensor shapes, grouped by part, with what grouped-query attention saves in the KV cache.
// The counting and the wording are Lab's (ModelAnatomy.swift, ModelAnatomyOutput.swift); this command parses and prints.
import ArgumentParser
import Foundation
import Lab
import LabCore
import ModelFiles

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Open a model up: architecture, parameters by part, bytes, and the KV cache GQA saves.",
        discussion: CommandHelp.inspect)

    @Argument(help: "A model folder or a model name (see `lmlab models`).")
    var model: String

    @OptionGroup var output: JSONOutput

    func run() throws {
        let r = try report()
        try output.show(r.output, json: r)
    }

    /// Reads the config and the checkpoint header and counts (Lab/ModelAnatomy.swift).
    func report() throws -> ModelAnatomy { try ModelAnatomy.inspect(model) }
}
