// `lmlab models` in a zh lesson: a model's note (not downloaded, incomplete, …) is written in the learner's language.
import Foundation
import LabCore
import ModelFiles
import Testing
@testable import Hub

@Test func aModelThatIsNotDownloadedSaysSoInChinese() throws {
    let catalogURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Models/catalog.json").standardizedFileURL
    let catalog = try ModelCatalogFile.load(from: catalogURL)
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-inventory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let locator = ModelLocator(environment: ["HF_HUB_CACHE": empty.path, "HOME": empty.path], currentDirectory: empty,
                               projectRoot: empty, catalog: catalog.locatorCatalog)
    func note(_ language: LessonLanguage) -> String? {
        Learner.$language.withValue(language) {
            ModelInventory.survey(catalog, locator: locator).first { $0.name == "ernie-4.5-0.3b" }?.note
        }
    }
    print(note(.zh) ?? "nil")
    #expect(note(.zh) == "未下载：`lmlab download ernie-4.5-0.3b`")
    #expect(note(.en) == "not downloaded: `lmlab download ernie-4.5-0.3b`")
    // `models --json` asks for English in a zh lesson too.
    let forScripts = Learner.$language.withValue(.zh) {
        ModelInventory.survey(catalog, locator: locator, language: .en).first { $0.name == "ernie-4.5-0.3b" }?.note
    }
    #expect(forScripts == note(.en))
    // The status in a few words, for the table's column; the note says what to do.
    let states = Learner.$language.withValue(.zh) { ModelInventory.survey(catalog, locator: locator).map(\.state) }
    #expect(states.first == "未下载" && states.last == "尚未自带", "\(states)")
    #expect(ModelInventory.survey(catalog, locator: locator, language: .en).first?.state == "not downloaded")
}
