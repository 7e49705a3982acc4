// `lmlab models`: every model of Models/catalog.json, where it was found, its size, dtype, and whether it is ready.
import ArgumentParser
import Foundation
import Hub
import Lab
import LabCore
import ModelFiles
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
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = ProjectPaths.root() ?? ModelLocator.findProjectRoot(from: cwd)
        guard let url = ModelCatalogFile.defaultURL(projectRoot: root) else {
            throw ValidationError(Learner.text(
                "cannot find Models/catalog.json. HINT: run lmlab from the LMLab project folder, or set LMLAB_HOME to it.",
                "找不到 Models/catalog.json。HINT：在 LMLab 项目文件夹里运行 lmlab，或把 LMLAB_HOME 设为该文件夹。"))
        }
        let catalog = try ModelCatalogFile.load(from: url)
        let rows = ModelInventory.survey(catalog, locator: ModelLocator(currentDirectory: cwd, projectRoot: root))
        if json {
            print(try jsonString(rows))
        } else {
            OutputPrinter.print(ModelStatus.output(rows))
        }
    }
}
