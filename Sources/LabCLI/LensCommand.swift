// `lmlab lens`: the logit lens (ERNIE/LogitLens.swift) as a table — for each position of the text (columns) and each
// layer (rows, embeddings at the top), the token the model would predict next if it stopped after that layer.
import ArgumentParser
import Lab
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
    @OptionGroup var output: JSONOutput

    func validate() throws {
        try checkRange("--positions", positions, 1...1000)
        try checkRange("--top", top, 1...100)
        if explore && output.json { throw ValidationError(OptionConflict.exploreWithJSON(("lens", "透镜"))) }
    }

    /// The lens over <s> and TEXT (at least 5 candidates per cell for the explorer's bars).
    func lens() throws -> LensReading { try LensReading(model: model.name, text: text, k: explore ? max(top, 5) : top) }

    func run() throws {
        let reading = try lens()
        if explore {
            return try ExplorerLauncher.open(LogitLensPage(explorer: reading.explorer(modelName: model.name)))
        }
        if output.json { return print(try jsonString(reading.json)) }
        OutputPrinter.print(reading.output(positions: positions))
    }
}
