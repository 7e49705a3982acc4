// CommandCompletion — what Tab offers for the word being typed, from the command tree ArgumentParser itself
// describes (`lmlab --experimental-dump-help`, its ToolInfoV0 JSON), so completion never drifts from the parser:
//   lmlab> gen<Tab>                → generate
//   lmlab> generate --te<Tab>      → --temperature          (generate's options only, not every command's)
//   lmlab> bench <Tab>             → beam decode explorers kernels prefill tokenize
//   lmlab> generate --model <Tab>  → the model names of Models/catalog.json
//   lmlab> lessons --lang <Tab>    → en zh                  (an option's listed values, when it lists them)
import Foundation
import LabCore
import Hub
import ModelFiles

public struct CommandCompletion: Sendable {
    public typealias Command = CommandTree.Command

    public let root: Command
    /// Model names (Models/catalog.json), offered where a model is asked for.
    public let models: [String]

    /// Reads the tree from ArgumentParser's dump of the root command (`LMLab._dumpHelp()`).
    public init(helpDump: String, models: [String] = CommandCompletion.catalogModelNames()) {
        self.init(root: CommandTree.root(helpDump: helpDump), models: models)
    }

    /// Over a tree already read (`LMLabMain.commandTree`).
    public init(root: Command, models: [String] = CommandCompletion.catalogModelNames()) {
        self.root = root
        self.models = models
    }

    /// The candidates for `word`, the word under the cursor, after the complete `words` before it on the line.
    public func candidates(after words: [String], word: String) -> [String] {
        let first = words.first
        // Walk down the subcommands named so far (`bench decode …`); the first other word ends the walk.
        let (node, _, rest) = root.descend(first == "lmlab" || first == "help" || first == "?" ? words.dropFirst()
                                                                                                : words[...])
        let arguments = node.visibleArguments
        var offered: [String]
        if let previous = words.last, previous.hasPrefix("-"),
           let option = arguments.first(where: { $0.kind == "option" && $0.spellings.contains(previous) }) {
            // The value of an option: its listed values, model names, or nothing to guess.
            offered = option.allValues ?? (takesModel(option) ? models : [])
        } else if word.hasPrefix("-") {
            offered = arguments.filter { $0.kind != "positional" }.flatMap(\.spellings)
        } else if let subs = node.subcommands, !subs.isEmpty, rest.isEmpty {
            offered = subs.filter { $0.shouldDisplay ?? true }.map(\.commandName)
            if words.isEmpty { offered += ["help", "exit", "quit"] }
        } else {
            let positional = arguments.filter { $0.kind == "positional" }
            offered = positional.contains(where: takesModel) ? models : []
            offered += positional.compactMap(\.allValues).joined()
        }
        return Array(Set(offered.filter { $0.hasPrefix(word) })).sorted()
    }

    /// Whether an argument names a model (its value is offered the model names).
    private func takesModel(_ a: CommandTree.Argument) -> Bool {
        a.spellings.contains("--model") || a.spellings.contains("--compare") || (a.valueName ?? "").contains("model")
    }

    /// Every command name, long option and model name, for the notebook's edit line (one list, no context).
    public var allWords: [String] {
        var words = Set(["help", "exit", "quit"] + models)
        func visit(_ c: Command) {
            for s in c.subcommands ?? [] { words.insert(s.commandName); visit(s) }
            for a in c.arguments ?? [] where a.kind != "positional" {
                words.formUnion(a.spellings.filter { $0.hasPrefix("--") })
            }
        }
        visit(root)
        return words.sorted()
    }

    /// The first `--option` of a command line (without `lmlab`) that its command does not take, with the nearest
    /// one it does take: "Unknown option '--modle'. Did you mean '--model'?". ArgumentParser names a missing required
    /// option before an unknown one, so `prob x --modle m` alone says only that --model is missing. nil: none.
    public func unknownOption(in words: [String]) -> String? {
        let (node, _, rest) = root.descend(words)
        let taken = Set((node.arguments ?? []).flatMap(\.spellings) + ["--help", "-h"])
        for word in rest.prefix(while: { $0 != "--" }) where word.hasPrefix("--") && word.count > 2 {
            let option = VisibleText.escapingControls(String(word.split(separator: "=", maxSplits: 1)[0]))
            guard !taken.contains(option) else { continue }
            let near = CommandWords.nearest(to: option, in: taken.filter { $0.hasPrefix("--") }.sorted())
            return Learner.text("Unknown option '\(option)'.", "没有 '\(option)' 这个选项。")
                + (near.map { Learner.text(" Did you mean '\($0)'?", "你是说 '\($0)' 吗？") } ?? "")
        }
        return nil
    }

    /// The model names of Models/catalog.json (the lab's and the downloadable ones); empty without a catalog.
    public static func catalogModelNames() -> [String] {
        let root = ProjectPaths.root()
        guard let url = ModelCatalogFile.defaultURL(projectRoot: root),
              let catalog = try? ModelCatalogFile.load(from: url) else { return [] }
        return catalog.models.map(\.name) + catalog.localModels.map(\.name)
    }
}
