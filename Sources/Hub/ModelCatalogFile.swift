// ModelCatalogFile — `Models/catalog.json` in full: the Hub models with their repo ids, revisions, files and
// sizes, and the lab's own shipped models.
//
//   {"format": 1,
//    "models":       [{"name": "ernie-4.5-0.3b", "repo_id": "baidu/ERNIE-4.5-0.3B-PT", "revision": "main",
//                      "summary": "…", "files": [{"path": "model.safetensors", "required": true, "size": null}, …]}],
//    "local_models": [{"name": "tiny-ernie", "path": "Models/tiny-ernie", "summary": "…", "files": […]}]}
//
// The `models` array keeps the shape of ModelFiles' `ModelCatalog` (name, repo_id, summary), so
// `ModelCatalog.load(from:)` reads the same file and ignores the extra keys; `locatorCatalog` gives that
// table for `ModelLocator(catalog:)`. A `size` of null means "not known for the current Hub revision":
// `lmlab download` takes the real sizes and SHA-256 from the Hub's listing, never from here.

import Foundation
import LabCore
import ModelFiles

/// The parsed `Models/catalog.json`.
public struct ModelCatalogFile: Decodable, Equatable, Sendable {
    /// One file a model needs (or may have).
    public struct FileSpec: Decodable, Equatable, Sendable {
        public var path: String
        /// Absent → true.
        public var required: Bool
        /// Bytes, when known; null otherwise.
        public var size: Int64?
        public var note: String?

        enum CodingKeys: String, CodingKey { case path, required, size, note }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decode(String.self, forKey: .path)
            required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
            size = try c.decodeIfPresent(Int64.self, forKey: .size)
            note = try c.decodeIfPresent(String.self, forKey: .note)
        }
    }

    /// A model fetched from the Hugging Face Hub.
    public struct HubModel: Decodable, Equatable, Sendable {
        /// What the learner types: `ernie-4.5-0.3b`.
        public var name: String
        /// `baidu/ERNIE-4.5-0.3B-PT`.
        public var repoId: String
        /// Branch, tag or commit. Absent → "main".
        public var revision: String
        /// The same repository on ModelScope (`lmlab download --source modelscope`), when its id differs there.
        public var modelScopeRepoId: String?
        public var summary: String
        public var dtype: String?
        public var parameters: Int64?
        /// A rough total for messages before the Hub has been asked.
        public var approxDownloadBytes: Int64?
        public var files: [FileSpec]

        enum CodingKeys: String, CodingKey {
            case name, repoId = "repo_id", revision, summary, dtype, parameters
            case approxDownloadBytes = "approx_download_bytes", files, modelScopeRepoId = "modelscope_repo_id"
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            repoId = try c.decode(String.self, forKey: .repoId)
            revision = try c.decodeIfPresent(String.self, forKey: .revision) ?? "main"
            modelScopeRepoId = try c.decodeIfPresent(String.self, forKey: .modelScopeRepoId)
            summary = try c.decode(String.self, forKey: .summary)
            dtype = try c.decodeIfPresent(String.self, forKey: .dtype)
            parameters = try c.decodeIfPresent(Int64.self, forKey: .parameters)
            approxDownloadBytes = try c.decodeIfPresent(Int64.self, forKey: .approxDownloadBytes)
            files = try c.decode([FileSpec].self, forKey: .files)
        }

        /// The files `lmlab download` takes: the required ones must exist at the revision, the others if present.
        public var selection: FileSelection {
            FileSelection(required: files.filter(\.required).map(\.path),
                          optional: files.filter { !$0.required }.map(\.path))
        }
    }

    /// A model the project trains and ships in `Models/<name>/`.
    public struct LocalModel: Decodable, Equatable, Sendable {
        public var name: String
        /// Relative to the project root: `Models/tiny-ernie`.
        public var path: String
        public var summary: String
        public var files: [FileSpec]
    }

    public var models: [HubModel]
    public var localModels: [LocalModel]

    enum CodingKeys: String, CodingKey { case models, localModels = "local_models" }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        models = try c.decode([HubModel].self, forKey: .models)
        localModels = try c.decodeIfPresent([LocalModel].self, forKey: .localModels) ?? []
    }

    /// Reads and checks a catalog file (unique names, ORG/NAME repo ids).
    ///
    /// - Throws: `ConfigError` naming `catalog.json` and the key.
    public static func load(from url: URL) throws -> ModelCatalogFile {
        let catalog = try loadJSONConfig(ModelCatalogFile.self, from: url)
        var seen = Set<String>()
        for name in catalog.models.map(\.name) + catalog.localModels.map(\.name) {
            guard seen.insert(name.lowercased()).inserted else {
                throw ConfigError.invalidValue(file: url.lastPathComponent, key: "name", problem: "\"\(name)\" appears twice",
                                               fix: "give every model its own name")
            }
        }
        for (i, m) in catalog.models.enumerated() where m.repoId.split(separator: "/").count != 2 {
            throw ConfigError.invalidValue(file: url.lastPathComponent, key: "models[\(i)].repo_id",
                                           problem: "\"\(m.repoId)\" is not ORG/NAME", fix: "write it as on the Hub, e.g. baidu/ERNIE-4.5-0.3B-PT")
        }
        return catalog
    }

    /// `<projectRoot>/Models/catalog.json`, when it exists.
    public static func defaultURL(projectRoot: URL?) -> URL? {
        guard let projectRoot else { return nil }
        let url = projectRoot.appendingPathComponent("Models/catalog.json")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The Hub model called `name` (short name or repo id, any case).
    public func hubModel(named name: String) -> HubModel? {
        let key = name.lowercased()
        return models.first { $0.name.lowercased() == key || $0.repoId.lowercased() == key }
    }

    public func localModel(named name: String) -> LocalModel? {
        localModels.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The short-name → repo table `ModelLocator` takes (`ModelLocator(catalog: file.locatorCatalog)`).
    public var locatorCatalog: ModelCatalog {
        ModelCatalog(models: models.map { ModelCatalog.Entry(name: $0.name, repoId: $0.repoId, summary: $0.summary) })
    }
}

extension ModelLocator {
    /// A locator whose short names come from `Models/catalog.json` of the project it finds (falling back to
    /// `ModelCatalog.builtIn` only when the project has no catalog file), so `--model NAME` knows every catalog model.
    ///
    /// - Throws: `ConfigError` when the catalog file exists but is malformed (never silently ignored).
    public static func withProjectCatalog(environment: [String: String] = LabEnvironment.current,
                                          currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                          projectRoot: URL? = nil) throws -> ModelLocator {
        var locator = ModelLocator(environment: environment, currentDirectory: currentDirectory, projectRoot: projectRoot)
        if let url = ModelCatalogFile.defaultURL(projectRoot: locator.projectRoot) {
            locator.catalog = try ModelCatalogFile.load(from: url).locatorCatalog
        }
        return locator
    }
}
