// CheckpointSet — the four files of a tiny-ERNIE checkpoint (config.json, model.safetensors, optimizer.safetensors,
// trainer.json) replaced as one, so a crash or a kill while saving leaves the previous checkpoint or the new one,
// never weights of one step with the optimizer moments of another.
//
//   save    1. the files go into <checkpoint>.next/, then manifest.json last (the step, every file's size)
//           2. rename <checkpoint> → <checkpoint>.prev      3. rename <checkpoint>.next → <checkpoint>
//           4. remove <checkpoint>.prev
//   crash   during 1: <checkpoint> is still the old set (the next save removes the half-written .next)
//           between 2 and 3: only <checkpoint>.next exists, complete — it is read from there, and the next save
//           moves it into place; after 3: the new set (the next save removes the leftover .prev)
//   load    manifest.json must be there and every file it lists must have its size; anything else is an
//           incomplete set, reported as such — never loaded as a mix.
//
// rename(2) of a folder is atomic but cannot swap two folders portably, hence the short window between 2 and 3 that
// the reader covers. Sizes catch a missing or cut-short file; the step in trainer.json must match the manifest's.

import Foundation
import LabCore

/// manifest.json of a checkpoint, written after every other file of the set.
struct CheckpointManifest: Codable, Equatable {
    var format = "lmlab-tiny-ernie-checkpoint"
    var step: Int
    /// Every other file of the set → its size in bytes.
    var files: [String: Int]
}

enum CheckpointSet {
    static let manifestName = "manifest.json"
    /// The files a resumable checkpoint must hold.
    static let required = ["config.json", "model.safetensors", "optimizer.safetensors", "trainer.json"]

    static func next(_ folder: URL) -> URL { URL(fileURLWithPath: folder.path + ".next") }
    static func previous(_ folder: URL) -> URL { URL(fileURLWithPath: folder.path + ".prev") }

    /// Saves a set at `folder`: `write` fills an empty folder, then the manifest is added and the folder swapped in.
    ///
    /// - Throws: what `write` throws; `FileSystemProblem` naming the folder when it cannot be created or renamed.
    static func save(to folder: URL, step: Int, _ write: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let next = next(folder), previous = previous(folder)
        // A save interrupted between its two renames left the complete new set in .next: put it in place first.
        if !fm.fileExists(atPath: folder.path), (try? manifest(of: next)) != nil { try move(next, to: folder) }
        for stale in [next, previous] where fm.fileExists(atPath: stale.path) {
            do { try fm.removeItem(at: stale) } catch {
                let reason = fileSystemReason(error)
                throw FileSystemProblem(path: stale.path,
                                        found: Learner.text("cannot remove this leftover of an earlier save (\(reason))", "删不掉上次保存留下的这个文件（\(reason)）"),
                                        hint: Learner.text("remove it yourself, then start the run again.", "自己删掉它，再重新开始训练。"))
            }
        }

        try createFolder(next, for: Learner.text("the checkpoint", "检查点"))
        try write(next)
        var files: [String: Int] = [:]
        for name in try fm.contentsOfDirectory(atPath: next.path) where name != manifestName {
            files[name] = try size(next.appendingPathComponent(name))
        }
        // Every file's bytes on disk before the manifest names them, the manifest before the swap, the swap before
        // the old set goes: a power cut at any point leaves one complete set.
        for name in files.keys.sorted() { try syncToDisk(next.appendingPathComponent(name).path, purpose: Learner.text("the checkpoint", "检查点")) }
        try TinyErnieTokenizer.writeJSON(CheckpointManifest(step: step, files: files), to: next.appendingPathComponent(manifestName))
        try syncToDisk(next.appendingPathComponent(manifestName).path, purpose: Learner.text("the checkpoint's manifest", "检查点清单"))
        try syncToDisk(next.path, purpose: Learner.text("the checkpoint folder", "检查点文件夹"))

        if fm.fileExists(atPath: folder.path) { try move(folder, to: previous) }
        try move(next, to: folder)
        try syncToDisk(folder.deletingLastPathComponent().path, purpose: Learner.text("the renamed checkpoint", "改名后的检查点"))
        try? fm.removeItem(at: previous)
    }

    /// The folder holding the complete set saved at `folder` (itself, or its .next after a save interrupted between
    /// the renames) and its manifest.
    ///
    /// - Throws: `TinyErnieError.noCheckpoint` when nothing was saved there; `.badCheckpoint` for an incomplete set.
    static func verified(_ folder: URL) throws -> (folder: URL, manifest: CheckpointManifest) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            if let m = try? manifest(of: next(folder)) { return (next(folder), m) }
            throw TinyErnieError.noCheckpoint(folder: folder.path)
        }
        guard isDirectory.boolValue else {
            throw TinyErnieError.badCheckpoint(file: folder.path, reason: Learner.text("is a file, not a checkpoint folder.", "是文件，不是检查点文件夹。"))
        }
        let m = try manifest(of: folder)
        for name in required where m.files[name] == nil {
            throw TinyErnieError.badCheckpoint(file: folder.appendingPathComponent(manifestName).path,
                                               reason: Learner.text("does not list \(name), which every checkpoint has.",
                                                                    "没有列出 \(name)，而每个检查点都有它。"))
        }
        return (folder, m)
    }

    /// Reads `folder`'s manifest and checks every file it lists is there with its size.
    private static func manifest(of folder: URL) throws -> CheckpointManifest {
        let url = folder.appendingPathComponent(manifestName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            throw TinyErnieError.badCheckpoint(file: url.path, reason: Learner.text(
                "is missing, so the checkpoint is incomplete "
                    + "(it holds \(files.isEmpty ? "no files" : files.sorted().joined(separator: ", "))): its save was interrupted, "
                    + "or an lmlab older than checkpoint manifests wrote it.",
                "不存在，所以检查点不完整（里面\(files.isEmpty ? "没有文件" : "有 " + files.sorted().joined(separator: "、"))）："
                    + "保存时被中断了，或是由还没有检查点清单的旧版 lmlab 写的。"))
        }
        let m: CheckpointManifest
        do { m = try JSONDecoder().decode(CheckpointManifest.self, from: data) } catch {
            throw TinyErnieError.badCheckpoint(file: url.path, reason: Learner.text("cannot be read as a checkpoint manifest (\(error)).",
                                                                                        "读不成检查点清单（\(error)）。"))
        }
        for (name, bytes) in m.files.sorted(by: { $0.key < $1.key }) {
            let file = folder.appendingPathComponent(name)
            guard let found = try? size(file) else {
                throw TinyErnieError.badCheckpoint(file: file.path, reason: Learner.text(
                    "is missing, though manifest.json lists it: the checkpoint is incomplete.", "不存在，但 manifest.json 列出了它：检查点不完整。"))
            }
            guard found == bytes else {
                throw TinyErnieError.badCheckpoint(file: file.path, reason: Learner.text(
                    "has \(found) bytes, manifest.json says \(bytes): the file was cut short or replaced.",
                    "有 \(found) 字节，manifest.json 说是 \(bytes)：文件被截断或被替换了。"))
            }
        }
        return m
    }

    private static func size(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    private static func move(_ from: URL, to: URL) throws {
        guard rename(from.path, to.path) == 0 else {
            let reason = String(cString: strerror(errno))
            let folder = from.deletingLastPathComponent().path
            throw FileSystemProblem(path: from.path, found: Learner.text(
                "cannot rename it to \(to.lastPathComponent) (\(reason)) while saving the checkpoint",
                "保存检查点时无法把它改名为 \(to.lastPathComponent)（\(reason)）"),
                                    hint: Learner.text("check that \(folder) is writable, then save again.", "确认 \(folder) 可写，然后再保存一次。"))
        }
    }
}
