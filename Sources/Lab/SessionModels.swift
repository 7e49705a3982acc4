// SessionModels — the models a session (the REPL, the notebook, `lmlab lesson run`) has named and loaded.
//
//   lmlab> load base ernie-4.5-0.3b-base          names a model for the rest of the session (and loads it once)
//   lmlab> load instruct tiny-ernie-instruct
//   lmlab> prob "hello, world" --model base --compare instruct
//
// Every `--model` of the ERNIE-format commands resolves through here (ModelLoader.load): a session name first, then
// a folder path or a catalog name as before. Loaded models are kept for the session, keyed by folder and by the
// newest modification time of its weights, config and tokenizer files, so cells that use the same model do not
// reload it and a model retrained (or a file mended) in the meantime is read afresh.
import Foundation
import ModelFiles

public final class SessionModels: @unchecked Sendable {
    public static let shared = SessionModels()

    /// True in a REPL or lesson session (names outlive one command); false for a one-shot `lmlab load`.
    public var interactive = false

    private let lock = NSLock()
    private var names: [String: String] = [:]
    private var loaded: [String: (stamp: Date?, value: LoadedModel)] = [:]

    /// NAME → what it was bound to, sorted by name.
    public var bindings: [(name: String, model: String)] {
        lock.lock(); defer { lock.unlock() }
        return names.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func bind(_ name: String, to model: String) {
        lock.lock(); names[name] = model; lock.unlock()
    }

    /// Every NAME → model binding, to put back with `restore` (a lesson cell that stopped halfway).
    public var snapshot: [String: String] {
        lock.lock(); defer { lock.unlock() }
        return names
    }

    public func restore(_ snapshot: [String: String]) {
        lock.lock(); names = snapshot; lock.unlock()
    }

    @discardableResult
    public func forget(_ name: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return names.removeValue(forKey: name) != nil
    }

    /// What `name` is bound to in this session, if it is.
    public func bound(_ name: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return names[name]
    }

    /// The model a `--model` argument means: a session name's binding, else the argument itself.
    public func resolve(_ argument: String) -> String {
        lock.lock(); defer { lock.unlock() }
        return names[argument] ?? argument
    }

    /// The loaded model of `folder`, loading it (with `load`) only when it is not kept or its weights changed.
    public func model(for folder: ModelFolder, precision: String = "as-stored",
               load: () throws -> LoadedModel) rethrows -> LoadedModel {
        let key = folder.url.standardizedFileURL.path + "#" + precision
        let stamp = Self.weightsStamp(folder)
        lock.lock()
        if let kept = loaded[key], kept.stamp == stamp { lock.unlock(); return kept.value }
        lock.unlock()
        let value = try load()
        lock.lock(); loaded[key] = (stamp, value); lock.unlock()
        return value
    }

    /// Modification time of the newest model file of the folder: weights, config.json and the tokenizer files, so
    /// a mended tokenizer.model or tokenizer_config.json is read afresh too (nil when none can be read).
    public static func weightsStamp(_ folder: ModelFolder) -> Date? {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder.url, includingPropertiesForKeys: [.contentModificationDateKey]))?
            .filter { ["safetensors", "json", "model"].contains($0.pathExtension) } ?? []
        return files.compactMap { try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate }.max()
    }
}
