// `lmlab models`: every model of Models/catalog.json, where it was found, its size, dtype, and whether it is ready.
import ArgumentParser
import Foundation
import Hub
import Lab
import ModelFiles
import TerminalUI

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the lab knows, where they are, and whether they are ready to run.",
        discussion: """
        Hub models are looked for in Models/<name>/ and in the Hugging Face cache ($HF_HUB_CACHE, \
        $HF_HOME/hub, ~/.cache/huggingface/hub), exactly as --model NAME looks for them.

        Examples:
          lmlab models
          lmlab models --json
        """)

    @Flag(name: .long, help: "Print JSON: [{name, kind, repo_id, found_in, path, size_on_disk, dtype, ready, missing, note}].")
    var json = false

    func run() throws {
        TerminalLocale.activate()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = ProjectPaths.root() ?? ModelLocator.findProjectRoot(from: cwd)
        guard let url = ModelCatalogFile.defaultURL(projectRoot: root) else {
            throw ValidationError("cannot find Models/catalog.json. HINT: run lmlab from the LMLab project folder, "
                + "or set LMLAB_HOME to it.")
        }
        let catalog = try ModelCatalogFile.load(from: url)
        let rows = ModelInventory.survey(catalog, locator: ModelLocator(currentDirectory: cwd, projectRoot: root))
        if json {
            print(try jsonString(rows))
        } else {
            print(Self.table(rows).joined(separator: "\n"))
        }
    }

    /// Two or three lines per model: name, place, size, dtype, status; then its folder; then what is missing.
    static func table(_ rows: [ModelStatus]) -> [String] {
        let nameWidth = rows.map { DisplayWidth.of($0.name) }.max() ?? 4
        let placeWidth = max(5, rows.map { DisplayWidth.of($0.foundIn ?? "–") }.max() ?? 5)
        var out = ["  " + DisplayWidth.pad("model", toCells: nameWidth) + "  " + DisplayWidth.pad("where", toCells: placeWidth)
                   + "  " + DisplayWidth.pad("size", toCells: 9, alignRight: true) + "  " + DisplayWidth.pad("dtype", toCells: 9)
                   + "  status"]
        for r in rows {
            let size = r.sizeOnDisk.map { ByteCount.format($0) } ?? "–"
            let status = r.ready ? "ready" : (r.note ?? "not ready")
            out.append("  " + DisplayWidth.pad(r.name, toCells: nameWidth) + "  "
                       + DisplayWidth.pad(r.foundIn ?? "–", toCells: placeWidth) + "  "
                       + DisplayWidth.pad(size, toCells: 9, alignRight: true) + "  "
                       + DisplayWidth.pad(r.dtype ?? "–", toCells: 9) + "  " + status)
            let indent = String(repeating: " ", count: nameWidth + 4)
            if let path = r.path { out.append(indent + path) }
            if !r.ready && r.path != nil && !r.missing.isEmpty {
                out.append(indent + "missing: " + r.missing.joined(separator: ", "))
            }
        }
        return out
    }
}
