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

    @Flag(name: .long, help: "Print JSON: [{name, kind, repo_id, found_in, path, size_on_disk, dtype, ready, missing, note}].")
    var json = false

    func run() throws {
        TerminalLocale.activate()
        let rows = try ModelInventory.surveyProject()
        if json {
            print(try jsonString(rows))
        } else {
            OutputPrinter.print(ModelStatus.output(rows))
        }
    }
}
