// `lmlab models` as Output: the table of the models the lab knows, then each found model's folder and what is missing;
// and the survey of the project's catalog it shows.
import Foundation
import Hub
import ModelFiles
import LabCore

extension ModelStatus {
    /// One row per model (name, place, size, dtype, status in a few words); then, under the table, each found
    /// model's folder and what is missing, and what to do for each model that is not ready (full paths and
    /// commands, which a table column would cut).
    public static func output(_ rows: [ModelStatus]) -> Output {
        let table = OutputTable(
            headers: [Learner.text("model", "模型"), Learner.text("where", "位置"), Learner.text("size", "大小"),
                      Learner.text("dtype", "数据类型"), Learner.text("status", "状态")],
            rows: rows.map { r in
                [r.name, r.foundIn ?? "–", r.sizeOnDisk.map { ByteCount.format($0) } ?? "–", r.dtype ?? "–",
                 r.state]
            },
            alignments: [.left, .left, .right, .left, .left])
        var places: [String] = []
        for r in rows {
            guard let path = r.path else { continue }
            places.append("\(r.name): \(path)")
            if !r.ready && !r.missing.isEmpty {
                places.append("  " + Learner.text("missing: ", "缺少：") + r.missing.joined(separator: ", "))
            }
        }
        for r in rows where !r.ready { if let note = r.note { places.append("\(r.name): \(note)") } }
        return .group(OutputGroup([.table(table)] + (places.isEmpty ? [] : [.text(OutputText(places.joined(separator: "\n"), .dim))])))
    }
}

extension ModelInventory {
    /// Every model of the project's Models/catalog.json (LMLAB_HOME, else found above the working directory), where
    /// it was found and whether it is ready, with notes in `language`.
    /// - Throws: `OptionError` when there is no catalog to read; the catalog's own errors.
    public static func surveyProject(language: LessonLanguage = Learner.language) throws -> [ModelStatus] {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let root = ProjectPaths.root()
        guard let url = ModelCatalogFile.defaultURL(projectRoot: root) else {
            throw OptionError(Learner.text("cannot find Models/catalog.json. HINT: ", "找不到 Models/catalog.json。HINT：")
                                  + ProjectPaths.howToFind)
        }
        let locator = ModelLocator(currentDirectory: cwd, projectRoot: root)
        return survey(try ModelCatalogFile.load(from: url), locator: locator, language: language)
    }
}
