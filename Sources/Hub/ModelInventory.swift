// ModelInventory — what `lmlab models` shows: every catalog model, where it was found, its size on disk, its dtype,
// and whether it is ready to run (which files are missing).
//
// Hub models are looked up with ModelFiles' `ModelLocator` (Models/<name>/, then the Hugging Face cache through
// refs/main → snapshots/<commit>/), so this listing and `--model NAME` always agree. Local models live at their
// catalog path under the project root; a missing folder means the project has not shipped that model yet.

import Foundation
import LabCore
import ModelFiles

/// One row of `lmlab models`.
public struct ModelStatus: Codable, Equatable, Sendable {
    public var name: String
    /// "hub" or "local".
    public var kind: String
    public var repoId: String?
    public var summary: String
    /// "Models/", "Hugging Face cache", "path", or nil when not found.
    public var foundIn: String?
    public var path: String?
    /// Sum of the folder's files (symlinks followed into the blobs), nil when not found.
    public var sizeOnDisk: Int64?
    /// config.json `torch_dtype` (transformers 4.x) or `dtype` (5.x).
    public var dtype: String?
    public var ready: Bool
    /// Required catalog files that are absent.
    public var missing: [String]
    /// What to do, or what is odd ("not yet shipped", "not downloaded: lmlab download …", "partial download …").
    public var note: String?
    /// The status in a few words, for a table column: "ready", "not downloaded", "partial download", "incomplete",
    /// "not yet shipped", "no project" (the note says what to do).
    public var state: String

    enum CodingKeys: String, CodingKey {
        case name, kind, repoId = "repo_id", summary, foundIn = "found_in", path, sizeOnDisk = "size_on_disk"
        case dtype, ready, missing, note, state
    }
}

public enum ModelInventory {
    /// Surveys every model of `catalog`. `locator` carries the environment (HF cache) and the project root; the
    /// notes are written in `language` (`models --json` asks for English, as every --json is).
    public static func survey(_ catalog: ModelCatalogFile, locator: ModelLocator,
                              language: LessonLanguage = Learner.language) -> [ModelStatus] {
        Learner.$language.withValue(language) { survey(catalog, locator: locator) }
    }

    private static func survey(_ catalog: ModelCatalogFile, locator: ModelLocator) -> [ModelStatus] {
        var locator = locator
        locator.catalog = catalog.locatorCatalog
        var rows: [ModelStatus] = []
        for m in catalog.models {
            var row = ModelStatus(name: m.name, kind: "hub", repoId: m.repoId, summary: m.summary, foundIn: nil,
                                  path: nil, sizeOnDisk: nil, dtype: nil, ready: false,
                                  missing: m.files.filter(\.required).map(\.path), note: nil,
                                  state: Learner.text("ready", "可用"))
            let cache = HubCache(root: locator.hubCache.url)
            if let folder = try? locator.locate(m.name) {
                fill(&row, folder: folder.url, files: m.files)
                let path = folder.url.standardizedFileURL.path
                row.foundIn = path.hasPrefix(cache.root.standardizedFileURL.path + "/") ? "Hugging Face cache"
                    : path.contains("/Models/") ? "Models/" : "path"
            }
            let partial = incompleteBytes(cache.repoFolder(m.repoId))
            if !row.ready {   // what it is in a few words, and what to do
                (row.state, row.note) = partial > 0
                    ? (Learner.text("partial download", "下载了一部分"),
                       Learner.text("partial download (\(ByteCount.format(partial)) so far): `lmlab download \(m.name)` resumes it",
                                    "下载了一部分（已有 \(ByteCount.format(partial))）：`lmlab download \(m.name)` 接着下载"))
                    : row.foundIn == nil
                    ? (Learner.text("not downloaded", "未下载"),
                       Learner.text("not downloaded: `lmlab download \(m.name)`", "未下载：`lmlab download \(m.name)`"))
                    : (Learner.text("incomplete", "不完整"),
                       Learner.text("incomplete: `lmlab download \(m.name)` fetches the missing files",
                                    "不完整：`lmlab download \(m.name)` 补齐缺少的文件"))
            }
            rows.append(row)
        }
        for m in catalog.localModels {
            var row = ModelStatus(name: m.name, kind: "local", repoId: nil, summary: m.summary, foundIn: nil,
                                  path: nil, sizeOnDisk: nil, dtype: nil, ready: false,
                                  missing: m.files.filter(\.required).map(\.path), note: nil,
                                  state: Learner.text("ready", "可用"))
            let folder = locator.projectRoot.map { $0.appendingPathComponent(m.path, isDirectory: true) }
            var isDirectory: ObjCBool = false
            if let folder, FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
                fill(&row, folder: folder, files: m.files)
                row.foundIn = "Models/"
                if !row.ready {
                    (row.state, row.note) = (Learner.text("incomplete", "不完整"),
                                             Learner.text("incomplete: the project's \(m.path) lacks files", "不完整：项目的 \(m.path) 缺少文件"))
                }
            } else {
                (row.state, row.note) = locator.projectRoot == nil
                    ? (Learner.text("no project", "找不到项目"),
                       Learner.text("project folder not found (run from the LMLab checkout, or set LMLAB_HOME)",
                                    "找不到项目文件夹（在 LMLab 项目文件夹里运行，或设置 LMLAB_HOME）"))
                    : (Learner.text("not yet shipped", "尚未自带"),
                       Learner.text("not yet shipped (\(m.path) does not exist)", "实验室尚未自带（\(m.path) 不存在）"))
            }
            rows.append(row)
        }
        return rows
    }

    /// Fills path, size, dtype, readiness from a folder that exists.
    static func fill(_ row: inout ModelStatus, folder: URL, files: [ModelCatalogFile.FileSpec]) {
        row.path = folder.path
        row.sizeOnDisk = folderSize(folder)
        row.dtype = dtype(configAt: folder.appendingPathComponent("config.json"))
        // fileExists follows symlinks: a snapshot link whose blob never arrived counts as missing.
        row.missing = files.filter { $0.required && !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.path).path) }
            .map(\.path)
        row.ready = row.missing.isEmpty
    }

    /// `torch_dtype` or `dtype` from a config.json, nil when absent or unreadable.
    public static func dtype(configAt url: URL) -> String? {
        guard let data = try? Data(contentsOf: url),
              let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        return (top["torch_dtype"] as? String) ?? (top["dtype"] as? String)
    }

    /// Bytes of every regular file under `folder`, following symlinks (a snapshot's links count their blobs).
    public static func folderSize(_ folder: URL) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return 0 }
        var total: Int64 = 0
        while let relative = walker.nextObject() as? String {
            let path = folder.appendingPathComponent(relative).path
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path),
                  attrs[.type] as? FileAttributeType == .typeRegular else { continue }
            total += (attrs[.size] as? NSNumber)?.int64Value ?? 0
        }
        return total
    }

    /// Bytes waiting in `blobs/*.incomplete` of a cache repo folder.
    static func incompleteBytes(_ repoFolder: URL) -> Int64 {
        let blobs = repoFolder.appendingPathComponent("blobs")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: blobs.path) else { return 0 }
        return names.filter { $0.hasSuffix(".incomplete") }.reduce(Int64(0)) {
            $0 + Downloader.fileSize(blobs.appendingPathComponent($1))
        }
    }
}
