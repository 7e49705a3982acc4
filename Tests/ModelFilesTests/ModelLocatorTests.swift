// Model discovery against fake layouts in a temp dir: explicit paths, Models/<name>, and a Hugging Face cache
// (models--ORG--NAME/refs/main → snapshots/<hash>/, with blob symlinks), with the environment passed in.

import Foundation
import LabCore
import Testing
@testable import ModelFiles

@Suite("model discovery")
struct ModelLocatorTests {
    static let hash = "bf9499229d96e16442fd63992195b7369c7b2657"

    /// Builds a complete model folder at `folder` (real files).
    static func makeModel(at folder: URL, dir: ScratchDirectory) throws {
        let rel = String(folder.path.dropFirst(dir.url.path.count + 1))
        dir.write(ERNIEConfigTests.v5, to: rel + "/config.json")
        var w = SafetensorsWriter(metadata: ["format": "pt"])
        try w.add("model.norm.weight", floats: [1, 1], shape: [2], as: .bf16)
        try w.write(to: folder.appendingPathComponent("model.safetensors"))
        dir.write([0x0A, 0x01], to: rel + "/tokenizer.model")
        dir.write(TokenizerConfigTests.remoteEra, to: rel + "/tokenizer_config.json")
    }

    /// A Hugging Face cache entry: blobs/ with the content, snapshots/<hash>/ with symlinks, refs/main.
    static func makeHubEntry(hub: URL, repoId: String, dir: ScratchDirectory, withWeights: Bool = true) throws {
        let fm = FileManager.default
        let repo = hub.appendingPathComponent("models--" + repoId.replacingOccurrences(of: "/", with: "--"))
        let staging = repo.appendingPathComponent("staging")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        try makeModel(at: staging, dir: dir)
        let blobs = repo.appendingPathComponent("blobs")
        let snapshot = repo.appendingPathComponent("snapshots/\(hash)")
        try fm.createDirectory(at: blobs, withIntermediateDirectories: true)
        try fm.createDirectory(at: snapshot, withIntermediateDirectories: true)
        for (i, name) in try fm.contentsOfDirectory(atPath: staging.path).sorted().enumerated() {
            if name == "model.safetensors" && !withWeights { continue }
            let blob = blobs.appendingPathComponent("blob\(i)")
            try fm.moveItem(at: staging.appendingPathComponent(name), to: blob)
            try fm.createSymbolicLink(atPath: snapshot.appendingPathComponent(name).path,
                                      withDestinationPath: "../../blobs/blob\(i)")
        }
        try fm.removeItem(at: staging)
        try fm.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try (hash + "\n").write(to: repo.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
    }

    func locator(_ dir: ScratchDirectory, env: [String: String]) -> ModelLocator {
        let cwd = dir.url.appendingPathComponent("work")
        try? FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        return ModelLocator(environment: env, currentDirectory: cwd, projectRoot: nil,
                            homeDirectory: dir.url.appendingPathComponent("home"), executable: "")
    }

    @Test("short name → repo id → HF cache snapshot via HF_HOME; the folder lists its files and opens")
    func hubCacheViaHFHome() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let hfHome = dir.url.appendingPathComponent("hf")
        try Self.makeHubEntry(hub: hfHome.appendingPathComponent("hub"), repoId: "baidu/ERNIE-4.5-0.3B-PT", dir: dir)
        let loc = locator(dir, env: ["HF_HOME": hfHome.path])
        #expect(loc.hubCache.source == "$HF_HOME/hub")

        let folder = try loc.locate("ernie-4.5-0.3b")
        #expect(folder.url.path.hasSuffix("models--baidu--ERNIE-4.5-0.3B-PT/snapshots/\(Self.hash)"))
        #expect(folder.isComplete)
        #expect(folder.tokenizerJSON == nil && folder.tokenizerConfig != nil)
        #expect(folder.missingOptional == ["special_tokens_map.json", "added_tokens.json", "generation_config.json"])
        #expect(try folder.loadConfig() == .ernie45_0_3B)
        let weights = try folder.openWeights()                      // through the blob symlink
        #expect(weights.tensorNames == ["model.norm.weight"])
        print(folder.inventory)

        // The repo id itself works too; the base model is not in the cache.
        #expect(try loc.locate("baidu/ERNIE-4.5-0.3B-PT").url.path == folder.url.path)
        #expect(throws: ModelLocatorError.self) { try loc.locate("ernie-4.5-0.3b-base") }
    }

    @Test("HF_HUB_CACHE wins over HF_HOME; default is ~/.cache/huggingface/hub")
    func cachePrecedence() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let hub = dir.url.appendingPathComponent("elsewhere")
        try Self.makeHubEntry(hub: hub, repoId: "baidu/ERNIE-4.5-0.3B-Base-PT", dir: dir)
        let loc = locator(dir, env: ["HF_HUB_CACHE": hub.path, "HF_HOME": dir.url.appendingPathComponent("hf").path])
        #expect(loc.hubCache.url.path == hub.path)
        #expect(try loc.locate("ERNIE-4.5-0.3B-base").url.path.contains("elsewhere/models--baidu--ERNIE-4.5-0.3B-Base-PT"))

        let home = locator(dir, env: [:])
        #expect(home.hubCache.url.path == dir.url.appendingPathComponent("home/.cache/huggingface/hub").path)
        #expect(home.hubCache.source == "~/.cache/huggingface/hub")
        // A ~ in the variables means the home, as for `lmlab download` (Hub's HubCache reads this same precedence).
        let tilde = locator(dir, env: ["HF_HOME": "~/hf"])
        #expect(tilde.hubCache.url.path == dir.url.appendingPathComponent("home/hf/hub").path)
        #expect(try tilde.locate("~/../elsewhere/models--baidu--ERNIE-4.5-0.3B-Base-PT/snapshots/\(Self.hash)")
            .url.path.hasSuffix("elsewhere/models--baidu--ERNIE-4.5-0.3B-Base-PT/snapshots/\(Self.hash)"))
    }

    @Test("explicit path and Models/<name> (LMLAB_MODELS_DIR, project root, current dir) come before the cache")
    func pathAndModelsDir() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let fm = FileManager.default
        let explicit = dir.url.appendingPathComponent("my-model")
        try fm.createDirectory(at: explicit, withIntermediateDirectories: true)
        try Self.makeModel(at: explicit, dir: dir)
        let loc = locator(dir, env: [:])
        #expect(try loc.locate(explicit.path).url.path == explicit.standardizedFileURL.path)
        #expect(try loc.locate("../my-model").url.path == explicit.standardizedFileURL.path)

        // Models/ERNIE-4.5-0.3B-PT under the override dir, found by the short name via the repo's own name.
        let models = dir.url.appendingPathComponent("models-override")
        let inModels = models.appendingPathComponent("ERNIE-4.5-0.3B-PT")
        try fm.createDirectory(at: inModels, withIntermediateDirectories: true)
        try Self.makeModel(at: inModels, dir: dir)
        let hub = dir.url.appendingPathComponent("hub")
        try Self.makeHubEntry(hub: hub, repoId: "baidu/ERNIE-4.5-0.3B-PT", dir: dir)
        let withOverride = locator(dir, env: ["LMLAB_MODELS_DIR": models.path, "HF_HUB_CACHE": hub.path])
        #expect(try withOverride.locate("ernie-4.5-0.3b").url.path == inModels.standardizedFileURL.path)

        // Models/tiny under the current directory, by its own name (not in the catalog).
        let tiny = dir.url.appendingPathComponent("work/Models/tiny")
        try fm.createDirectory(at: tiny, withIntermediateDirectories: true)
        try Self.makeModel(at: tiny, dir: dir)
        #expect(try loc.locate("tiny").url.path == tiny.standardizedFileURL.path)
    }

    @Test("not found: the error lists every place looked and how to download")
    func notFoundMessage() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let hf = dir.url.appendingPathComponent("hf")
        let half = dir.url.appendingPathComponent("work/Models/ernie-4.5-0.3b")
        try FileManager.default.createDirectory(at: half, withIntermediateDirectories: true)   // no config.json
        let loc = locator(dir, env: ["HF_HOME": hf.path, "LMLAB_MODELS_DIR": dir.url.appendingPathComponent("m").path])
        let error = #expect(throws: ModelLocatorError.self) { try loc.locate("ernie-4.5-0.3b") }
        guard case .notFound(_, let repoId, let steps, _) = error else { Issue.record("wrong error"); return }
        #expect(repoId == "baidu/ERNIE-4.5-0.3B-PT")
        let message = String(describing: error!)
        print(message)
        #expect(steps.count == 6)        // path, $LMLAB_MODELS_DIR ×2 names, cwd Models/ ×2 names, HF cache
        #expect(steps.contains { $0.path == half.path && $0.outcome.contains("no config.json") })
        #expect(message.contains(hf.appendingPathComponent("hub/models--baidu--ERNIE-4.5-0.3B-PT").path))
        #expect(message.contains("lmlab download ernie-4.5-0.3b"))
        #expect(message.contains("huggingface-cli download baidu/ERNIE-4.5-0.3B-PT"))
        #expect(message.contains("--model PATH"))

        // An unknown name: the cache is skipped with a reason and the known names are listed.
        let unknown = #expect(throws: ModelLocatorError.self) { try loc.locate("gpt-9") }
        let text = String(describing: unknown!)
        #expect(text.contains("not a known name") && text.contains("ernie-4.5-0.3b-base"))

        // A Chinese learner reads every place and outcome in Chinese (the paths as they are).
        let chinese = Learner.$language.withValue(.zh) { () -> String in
            do { _ = try loc.locate("ernie-4.5-0.3b"); return "" } catch { return "\(error)" }
        }
        print(chinese)
        for words in ["文件夹存在，但没有 config.json", "当前目录的 Models/：", "当作路径：", "Hugging Face 缓存（"] {
            #expect(chinese.contains(words), "\(words)")
        }
        for english in ["does not exist", "folder exists", "current directory", "as a path", "cache (", "not downloaded"] {
            #expect(!chinese.contains(english), "\(english) left in \(chinese)")
        }
    }

    @Test("an interrupted download: refs/main missing, or a snapshot whose weight blob never arrived")
    func incompleteCache() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let hub = dir.url.appendingPathComponent("hub")
        try Self.makeHubEntry(hub: hub, repoId: "baidu/ERNIE-4.5-0.3B-PT", dir: dir, withWeights: false)
        let loc = locator(dir, env: ["HF_HUB_CACHE": hub.path])
        let folder = try loc.locate("ernie-4.5-0.3b")
        #expect(!folder.isComplete && folder.weights == .none)
        let error = #expect(throws: ModelLocatorError.self) { try folder.requireComplete() }
        #expect(String(describing: error!).contains(folder.url.path))
        #expect(String(describing: error!).contains("model.safetensors"))

        // A dangling symlink (blob deleted) also counts as missing.
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("config.json").resolvingSymlinksInPath())
        #expect(throws: ModelLocatorError.self) { try loc.locate("ernie-4.5-0.3b") }

        try FileManager.default.removeItem(at: hub.appendingPathComponent("models--baidu--ERNIE-4.5-0.3B-PT/refs/main"))
        let noRef = #expect(throws: ModelLocatorError.self) { try loc.locate("ernie-4.5-0.3b") }
        #expect(String(describing: noRef!).contains("refs/main is missing"))
    }

    @Test("the catalog maps short names case-insensitively and reads a catalog.json")
    func catalog() throws {
        #expect(ModelCatalog.builtIn.repoId(for: "ERNIE-4.5-0.3B") == "baidu/ERNIE-4.5-0.3B-PT")
        #expect(ModelCatalog.builtIn.repoId(for: "ernie-4.5-0.3b-base") == "baidu/ERNIE-4.5-0.3B-Base-PT")
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = dir.write(#"{"models": [{"name": "tiny", "repo_id": "lmlab/tiny", "summary": "toy"}]}"#,
                            to: "catalog.json")
        let c = try ModelCatalog.load(from: url)
        #expect(c.repoId(for: "tiny") == "lmlab/tiny")
        #expect(throws: ConfigError.missingKey(file: "catalog.json", key: "models[0].repo_id")) {
            try ModelCatalog.load(from: dir.write(#"{"models": [{"name": "x", "summary": ""}]}"#, to: "catalog.json"))
        }
    }

    @Test("a path to config.json means its folder; another file or the lab's other models say what they are")
    func filesAndOtherKinds() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let model = dir.url.appendingPathComponent("work/m")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Self.makeModel(at: model, dir: dir)
        let loc = locator(dir, env: [:])
        #expect(try loc.locate("m/config.json").url.standardizedFileURL.path == model.standardizedFileURL.path)

        let weights = model.appendingPathComponent("model.safetensors").path
        #expect(throws: ModelLocatorError.notAFolder(path: weights, folder: model.path)) { try loc.locate(weights) }

        // An NNLM folder as the lab writes it (metadata kind "nnlm"), by path and by its Models/ name.
        let nnlm = dir.url.appendingPathComponent("work/Models/nnlm-x")
        try FileManager.default.createDirectory(at: nnlm, withIntermediateDirectories: true)
        var w = SafetensorsWriter(metadata: ["kind": "nnlm", "step": "0"])
        try w.add("embedding.weight", floats: [0, 1], shape: [1, 2], as: .f32)
        try w.write(to: nnlm.appendingPathComponent("model.safetensors"))
        let kind = try #require(LabModelKind.of(folder: nnlm))
        #expect(kind.tag == "nnlm")
        for argument in ["Models/nnlm-x", "nnlm-x"] {
            let error = #expect(throws: ModelLocatorError.self) { try loc.locate(argument) }
            #expect(error == .otherKind(path: nnlm.standardizedFileURL.path, kind: kind), "\(argument)")
            let message = String(describing: error!)
            print(message)
            #expect(message.contains("lmlab nnlm prob") && message.contains("HINT") && !message.contains("not found"))
        }
        // A safetensors file of another program is not mistaken for one of the lab's.
        var other = SafetensorsWriter(metadata: ["format": "pt"])
        try other.add("x", floats: [0], shape: [1], as: .f32)
        let plain = dir.url.appendingPathComponent("work/plain.safetensors")
        try other.write(to: plain)
        #expect(LabModelKind.of(file: plain) == nil)
        #expect(throws: ModelLocatorError.notAFolder(path: plain.path, folder: nil)) { try loc.locate(plain.path) }
    }

    @Test("a folder with no piece of a model is no model folder, not a download to finish; both languages")
    func aFolderWithoutAnyModelFileIsNotCalledIncomplete() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let empty = dir.url.appendingPathComponent("etc-like")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: empty.appendingPathComponent("passwd"))
        #expect(throws: ModelLocatorError.notAModelFolder(folder: empty.path)) { try ModelFolder(url: empty).loadConfig() }
        #expect(throws: ModelLocatorError.notAModelFolder(folder: empty.path)) { try ModelFolder(url: empty).requireComplete() }
        let half = dir.url.appendingPathComponent("half")          // a download that stopped after config.json
        try FileManager.default.createDirectory(at: half, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: half.appendingPathComponent("config.json"))
        #expect(throws: ModelLocatorError.self) { try ModelFolder(url: half).requireComplete() }
        if case .incompleteFolder = try #require(#expect(throws: ModelLocatorError.self) {
            try ModelFolder(url: half).requireComplete() }) {} else { Issue.record("half a download is incomplete") }
        let errors: [ModelLocatorError] = [.notAModelFolder(folder: "/etc"), .incompleteFolder(folder: "/m", missing: ["config.json"]),
                                           .notAFolder(path: "/etc/passwd", folder: nil)]
            + LabModelKind.known.map { .otherKind(path: "/m", kind: $0) }
        for error in errors {
            let zh = Learner.$language.withValue(.zh) { error.description }
            print(zh)
            #expect(zh.contains("HINT：") && zh.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF },
                    "\(zh)")
            #expect(!zh.contains(" is ") && !zh.contains(" the "), "English left: \(zh)")
        }
    }
}
