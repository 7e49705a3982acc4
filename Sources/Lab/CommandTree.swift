// CommandTree — the lab's commands as ArgumentParser itself describes them (`lmlab --experimental-dump-help`, its
// ToolInfoV0 JSON): names, options with their values and defaults, abstracts and discussions. Completion
// (CommandCompletion) and the Chinese help pages (ChineseHelpPage) read it, so neither drifts from the parser.
import Foundation

public enum CommandTree {
    /// One command of ToolInfoV0.
    public struct Command: Decodable, Sendable {
        public var commandName: String
        public var abstract: String?
        public var discussion: String?
        public var shouldDisplay: Bool?
        /// The subcommand that runs when none is named (`lesson` → list); nil: a group alone shows its help.
        public var defaultSubcommand: String?
        public var subcommands: [Command]?
        public var arguments: [Argument]?

        /// The command the first of `words` name (`bench decode …` → decode), the names it went through and the
        /// words after them; the first word that names no subcommand ends the walk.
        public func descend(_ words: some Collection<String>) -> (command: Command, path: [String],
                                                                  rest: [String]) {
            var node = self
            var path: [String] = []
            var rest = words[...]
            while let w = rest.first, let sub = node.subcommands?.first(where: { $0.commandName == w }) {
                node = sub
                path.append(w)
                rest = rest.dropFirst()
            }
            return (node, path, Array(rest))
        }

        /// The arguments `--help` shows.
        public var visibleArguments: [Argument] { (arguments ?? []).filter { $0.shouldDisplay ?? true } }
    }

    /// One argument of ToolInfoV0: kind is "positional", "option" (takes a value) or "flag".
    public struct Argument: Decodable, Sendable {
        public struct Name: Decodable, Sendable { public var kind: String; public var name: String }
        public var kind: String
        public var shouldDisplay: Bool?
        public var names: [Name]?
        public var valueName: String?
        public var allValues: [String]?
        public var abstract: String?
        public var defaultValue: String?
        public var sectionTitle: String?
        public var isRepeating: Bool?

        /// "--temperature" for a long name, "-n" for a short one.
        public var spellings: [String] {
            (names ?? []).map { $0.kind == "long" ? "--" + $0.name : "-" + $0.name }
        }
    }

    /// The root command of ArgumentParser's dump (`LMLab._dumpHelp()`).
    public static func root(helpDump: String) -> Command {
        struct ToolInfo: Decodable { var command: Command }
        // The dump is generated from the same declarations that parse; a failure here is a programmer error.
        return try! JSONDecoder().decode(ToolInfo.self, from: Data(helpDump.utf8)).command
    }
}
