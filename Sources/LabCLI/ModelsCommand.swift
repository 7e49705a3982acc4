// `lmlab models`: every model of Models/catalog.json, where it was found, its size, dtype, and whether it is ready.
import ArgumentParser
import Hub
import Lab
import LabCore
import TerminalUI

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the lab knows, where they are, and whether they are ready to run.",
        discussion: CommandHelp.models)

    @OptionGroup var output: JSONOutput

    func run() throws {
        TerminalLocale.activate()
        // --json is English whatever the learner's language: scripts read it.
        let rows = try ModelInventory.surveyProject(language: output.json ? .en : Learner.language)
        if output.json {
            print(try jsonString(rows))
        } else {
            OutputPrinter.print(ModelStatus.output(rows))
        }
    }
}
