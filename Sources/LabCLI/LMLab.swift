// LMLab — the root command: `lmlab <command> …`. The REPL parses its lines with the same commands.
import ArgumentParser
import LabCore

public struct LMLab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lmlab",
        abstract: "A terminal lab that teaches how large language models work by running them.",
        subcommands: [])
    public init() {}
    public func run() throws {
        print("LMLab")
    }
}
