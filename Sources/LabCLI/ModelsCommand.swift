// `lmlab models`: every model of Models/catalog.json, where it was found, its size, dtype, and whether it is ready.
import ArgumentParser
import Hub
import Lab
import TerminalUI

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the lab knows, where they are, and whether they are ready to run.",
        discussion: CommandHelp.models)

    @OptionGroup var output: JSONOutput

    func run() throws {
        TerminalLocale.activate()
        let rows = try ModelInventory.surveyProject()
        if output.json {
            print(try jsonString(rows))
        } else {
            OutputPrinter.print(ModelStatus.output(rows))
        }
    }
}
