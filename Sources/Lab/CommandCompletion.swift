// CommandCompletion — what Tab offers for the word being typed, from the command tree ArgumentParser itself
// describes (`lmlab --experimental-dump-help`, its ToolInfoV0 JSON), so completion never drifts from the parser:
//   lmlab> gen<Tab>                → generate
//   lmlab> generate --te<Tab>      → --temperature          (generate's options only, not every command's)
//   lmlab> bench <Tab>             → beam decode explorers kernels prefill tokenize
//   lmlab> generate --model <Tab>  → the model names of Models/catalog.json and Models/ (any option naming a model:
//                                    --policy, --reference, --gru, --plain, …)
//   lmlab> lessons --lang <Tab>    → en zh                  (an option's listed values, when it lists them)
//   lmlab> exercise check <Tab>    → the exercises of Lessons/exercises/exercises.json
//   lmlab> lesson run <Tab>        → the lessons' numbers and file names
import Foundation
import LabCore
import Hub
import ModelFiles

public struct CommandCompletion: Sendable {
    public typealias Command = CommandTree.Command

    public let root: Command
    /// Model names (Models/catalog.json and Models/), offered where a model is asked for.
    public let models: [String]
    /// Exercise names, offered after `exercise check|hint|reset|watch|plug`.
    public let exercises: [String]
    /// Lesson numbers and file names (3, 03-decoding), offered after `lesson run|export`.
    public let lessons: [String]

    /// Reads the tree from ArgumentParser's dump of the root command (`LMLab._dumpHelp()`).
    public init(helpDump: String, models: [String] = CommandCompletion.projectModelNames()) {
        self.init(root: CommandTree.root(helpDump: helpDump), models: models)
    }

    /// Over the tree alone, for what it tells without the project's names (the notes on a mistyped line).
    public init(treeOnly root: Command) { self.init(root: root, models: [], exercises: [], lessons: []) }

    /// Over a tree already read (`LMLabMain.commandTree`); the exercises and lessons are the project's unless given.
    public init(root: Command, models: [String] = CommandCompletion.projectModelNames(), exercises: [String]? = nil,
                lessons: [String]? = nil) {
        self.root = root
        self.models = models
        self.exercises = exercises ?? ((try? ExerciseCatalog.ofProject())?.entries.map(\.name) ?? [])
        self.lessons = lessons ?? ((try? Course.ofProject())?.lessons.flatMap { l in
            ["\(l.number)", String(l.file.dropLast(l.file.hasSuffix(".md") ? 3 : 0))]
        } ?? [])
    }

    /// The candidates for `word`, the word under the cursor, after the complete `words` before it on the line.
    public func candidates(after words: [String], word: String) -> [String] {
        let first = words.first
        // Walk down the subcommands named so far (`bench decode …`); the first other word ends the walk.
        let (node, path, rest) = root.descend(first == "lmlab" || first == "help" || first == "?" ? words.dropFirst()
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
            if rest.isEmpty, path.first == "exercise", positional.contains(where: { $0.valueName == "name" }) {
                offered += exercises
            }
            if rest.isEmpty, path.first == "lesson", positional.contains(where: { $0.valueName == "file" }) {
                offered += lessons
            }
        }
        return Array(Set(offered.filter { $0.hasPrefix(word) })).sorted()
    }

    /// The candidates for `word` after the text `before` it, split as a command line is (an unclosed quote: as at
    /// the start of a line). The REPL's readline and the notebook's edit line ask this.
    public func candidates(before: String, word: String) -> [String] {
        candidates(after: (try? CommandWords.split(before)) ?? [], word: word)
    }

    /// The options whose value is a model (a name or a folder) other than those called --model: dpo-reward's two,
    /// `rnn vanishing`'s, `seq2seq lengths`'s twin, `train tiny-instruct`'s base, `train tiny-ernie`'s tokenizer.
    static let modelOptions: Set = ["--model", "--compare", "--policy", "--reference", "--rnn", "--gru", "--plain",
                                    "--base", "--tokenizer"]

    /// Whether an argument names a model (its value is offered the model names).
    private func takesModel(_ a: CommandTree.Argument) -> Bool {
        a.spellings.contains(where: Self.modelOptions.contains) || (a.valueName ?? "").contains("model")
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

    /// For `--json` given to a command without it (most take it: a learner tries it everywhere), where its JSON
    /// is, if anywhere: `beam … --tree --format json`. nil when the command takes --json or it was not given.
    func noJSONOption(in words: [String]) -> String? {
        let (node, path, rest) = root.descend(words)
        let taken = Set((node.arguments ?? []).flatMap(\.spellings)), command = path.joined(separator: " ")
        guard !taken.contains("--json"), !path.isEmpty,
              rest.prefix(while: { $0 != "--" }).contains(where: { $0 == "--json" || $0.hasPrefix("--json=") })
        else { return nil }
        let format = (node.arguments ?? []).first { $0.spellings.contains("--format") }
        guard format?.allValues?.contains("json") == true else {
            return Learner.text("Unknown option '--json': \(command) prints no JSON.", "没有 '--json' 这个选项：\(command) 不输出 JSON。")
        }
        let use = (taken.contains("--tree") ? "--tree " : "") + "--format json"
        return Learner.text("Unknown option '--json'. \(command) writes JSON with \(use).",
                            "没有 '--json' 这个选项。\(command) 用 \(use) 输出 JSON。")
    }

    /// The first word of a command line (without `lmlab`) that its command does not take, with the nearest one it
    /// does: an unknown option (`unknownOption`), else a word where a subcommand belongs (`unknownSubcommand`).
    public func firstUnknownWord(in words: [String]) -> String? {
        unknownOption(in: words) ?? unknownSubcommand(in: words)
    }

    /// What a line ArgumentParser refused with `message` is told besides: `firstUnknownWord`'s note, and whether it
    /// is the whole error — a subcommand meant, where the parser says only "2 unexpected arguments" and shows the
    /// wrong usage — or goes before it (an option missed). nil: nothing to add, or the parser named the option.
    public func note(onParserError message: String, in words: [String]) -> (text: String, replaces: Bool)? {
        if let json = noJSONOption(in: words) { return (json, true) }       // the parser guessed '--bos' for beam's
        guard !message.contains("Unknown option") else { return nil }
        if let option = unknownOption(in: words) { return (option, false) }
        return unknownSubcommand(in: words).map { ($0, true) }
    }

    /// For a command with subcommands followed by a word that names none of them, the line meant: the nearest
    /// subcommand for a typo (`lesson lst`, `lesson rnu 9`), else its `run` with the word as run's argument
    /// (`lesson 9`, `lesson Lessons/zh/09-post-training.md`), else the subcommands it has (`layer foo`).
    /// ArgumentParser says only "Unexpected argument".
    public func unknownSubcommand(in words: [String]) -> String? {
        let (node, path, rest) = root.descend(words)
        let names = (node.subcommands ?? []).filter { $0.shouldDisplay ?? true }.map(\.commandName)
        guard !path.isEmpty, !names.isEmpty, let word = rest.first, !word.hasPrefix("-") else { return nil }
        let meant: [String]
        let swapped = names.first { $0.count == word.count && $0.sorted() == word.lowercased().sorted() }   // rnu
        let (shown, command) = (VisibleText.escapingControls(word), path.joined(separator: " "))
        if let near = CommandWords.nearest(to: word, in: names) ?? swapped {
            meant = path + [near] + rest.dropFirst()
        } else if names.contains("run") {
            meant = path + ["run"] + rest
        } else {                                                                    // `layer foo`: what there is
            let (en, zh) = (names.joined(separator: ", "), names.joined(separator: "、"))
            return Learner.text("'\(shown)' is not a subcommand of \(command). It has: \(en).",
                                "'\(shown)' 不是 \(command) 的子命令；可用：\(zh)。")
        }
        let line = VisibleText.escapingControls(meant.map { $0.contains(" ") ? "\"\($0)\"" : $0 }
                                                    .joined(separator: " "))
        return Learner.text("'\(shown)' is not a subcommand of \(command). Did you mean '\(line)'?",
                            "'\(shown)' 不是 \(command) 的子命令。你是说 '\(line)' 吗？")
    }

    /// The model names the project knows: Models/catalog.json's (the lab's and the downloadable ones) and the
    /// folders of Models/ (the word-level, seq2seq and word2vec models the catalog does not list); empty without a
    /// project.
    public static func projectModelNames() -> [String] {
        let root = ProjectPaths.root()
        var names: [String] = []
        if let url = ModelCatalogFile.defaultURL(projectRoot: root),
           let catalog = try? ModelCatalogFile.load(from: url) {
            names = catalog.models.map(\.name) + catalog.localModels.map(\.name)
        }
        let folder = { (url: URL) in (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
        if let models = root?.appendingPathComponent("Models"),
           let entries = try? FileManager.default.contentsOfDirectory(at: models, includingPropertiesForKeys: nil) {
            names += entries.filter(folder).map(\.lastPathComponent).sorted().filter { !names.contains($0) }
        }
        return names
    }
}
