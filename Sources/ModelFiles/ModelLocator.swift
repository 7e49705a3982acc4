// ModelLocator — turns the learner's `--model` argument into a model folder on disk.
//
// Places, in order (DESIGN.md "Models"); the first directory that holds a config.json wins:
//   1. the argument as a path (absolute, relative to the current directory, or ~/…);
//   2. Models/<name> under $LMLAB_MODELS_DIR (its direct children), the project root and the current directory,
//      where <name> is the argument and, for a catalog name or repo id, the repo's own name (ERNIE-4.5-0.3B-PT);
//   3. the Hugging Face cache, for a catalog name (`ernie-4.5-0.3b` → `baidu/ERNIE-4.5-0.3B-PT`) or a repo id:
//        $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub;
//        models--ORG--NAME/refs/main holds a commit hash → models--ORG--NAME/snapshots/<hash>/.
// When nothing is found the error lists every place looked at, why each failed, and how to get the model.
// The environment is a parameter, so tests point HF_HOME at a temp dir without touching the process.

import Foundation
import LabCore

/// Where one search step looked and what it found there.
public struct ModelSearchStep: Equatable, Sendable {
    /// "path", "Models/ ($LMLAB_MODELS_DIR)", "Hugging Face cache", …
    public var place: String
    public var path: String
    /// Why it did not match ("does not exist", "no config.json", "refs/main missing", …).
    public var outcome: String
}

/// Why `--model` could not be resolved, or the folder it names is unusable.
public enum ModelLocatorError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Nothing matched; `steps` lists every place looked at.
    case notFound(argument: String, repoId: String?, steps: [ModelSearchStep], knownNames: [String])
    /// The folder exists but lacks required files.
    case incompleteFolder(folder: String, missing: [String])
    /// The path is a file, not a model folder; `folder` is its folder when that is a model folder.
    case notAFolder(path: String, folder: String?)
    /// The folder holds none of a model's pieces (`--model /etc`): not a download to finish.
    case notAModelFolder(folder: String)
    /// The path is one of the lab's own models of another kind (an NNLM folder, word2vec vectors, …).
    case otherKind(path: String, kind: LabModelKind)

    public var description: String {
        switch self {
        case .notFound(let argument, let repoId, let steps, let knownNames):
            var lines = [Learner.text("model \"\(argument)\" not found. Looked in:", "没有找到模型 \"\(argument)\"。找过这些地方：")]
            for (i, s) in steps.enumerated() {
                lines.append("  \(i + 1). \(s.place)\(Learner.text(": ", "："))\(s.path) — \(s.outcome)")
            }
            lines.append(Learner.text("HINT: get the model with one of:", "HINT：用下面任一方式获取模型："))
            if let repoId {
                let shortName = argument.contains("/") ? repoId : argument
                lines.append("  lmlab download \(shortName)")
                lines.append("  lmlab download \(shortName) --source modelscope   "
                             + Learner.text("(ModelScope, when huggingface.co is out of reach)", "（魔搭 ModelScope，连不上 huggingface.co 时）"))
                lines.append("  HF_ENDPOINT=https://<mirror> lmlab download \(shortName)   "
                             + Learner.text("(a Hugging Face mirror)", "（Hugging Face 镜像）"))
                lines.append("  huggingface-cli download \(repoId)")
            } else {
                lines.append("  lmlab download NAME   " + Learner.text("(known names: ", "（已知名字：")
                             + knownNames.joined(separator: Learner.text(", ", "、")) + Learner.text(")", "）"))
                lines.append("  huggingface-cli download ORG/NAME")
            }
            lines.append(Learner.text("  or pass --model PATH to a folder holding config.json, model.safetensors and tokenizer.model.",
                                      "  或用 --model PATH 指向一个含 config.json、model.safetensors 和 tokenizer.model 的文件夹。"))
            return lines.joined(separator: "\n")
        case .notAFolder(let path, let folder):
            return Learner.text(
                "\(path) is a file, but --model takes a model folder (config.json, model.safetensors, "
                    + "tokenizer.model) or a model name. HINT: "
                    + (folder.map { "pass the folder that holds it: --model \($0)" } ?? "pass the folder of an ERNIE-format model."),
                "\(path) 是一个文件，而 --model 要的是模型文件夹（含 config.json、model.safetensors、tokenizer.model）"
                    + "或模型名字。HINT："
                    + (folder.map { "改用装着它的文件夹：--model \($0)" } ?? "给出一个 ERNIE 格式模型的文件夹。"))
        case .otherKind(let path, let kind):
            let command = "`\(kind.command.replacingOccurrences(of: "PATH", with: path))`"
            return Learner.text(
                "\(path) holds \(kind.described), not an ERNIE-format model: this command needs a model folder "
                    + "with config.json, model.safetensors and tokenizer.model (or a model name such as tiny-ernie). "
                    + "HINT: read it with \(command).",
                "\(path) 里是\(kind.described)，不是 ERNIE 格式的模型：这条命令要一个含 config.json、model.safetensors "
                    + "和 tokenizer.model 的模型文件夹（或 tiny-ernie 这样的模型名字）。HINT：用 \(command) 读它。")
        case .notAModelFolder(let folder):
            return Learner.text(
                "\(folder) is not a model folder: it holds none of config.json, model.safetensors and tokenizer.model. "
                    + "HINT: pass a model's folder or a model name (`lmlab models` lists them).",
                "\(folder) 不是模型文件夹：config.json、model.safetensors、tokenizer.model 一个都没有。"
                    + "HINT：给出模型的文件夹或模型名字（`lmlab models` 列出所有模型）。")
        case .incompleteFolder(let folder, let missing):
            return Learner.text(
                "\(folder): model folder is incomplete, missing \(missing.joined(separator: "; ")). "
                    + "HINT: finish the download (`lmlab download NAME` resumes), or copy the missing files there.",
                "\(folder)：模型文件夹不完整，缺少 \(missing.joined(separator: "；"))。"
                    + "HINT：把下载做完（`lmlab download 名字` 会接着下载），或把缺的文件复制进去。")
        }
    }
}

/// Resolves `--model` arguments. All inputs are explicit so the search is reproducible in tests.
public struct ModelLocator: Sendable {
    public var environment: [String: String]
    public var currentDirectory: URL
    /// The project checkout (holding Models/), if known.
    public var projectRoot: URL?
    public var homeDirectory: URL
    public var catalog: ModelCatalog

    public init(environment: [String: String] = LabEnvironment.current,
                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                projectRoot: URL? = nil,
                homeDirectory: URL? = nil,
                catalog: ModelCatalog = .builtIn,
                executable: String = CommandLine.arguments.first ?? "") {
        self.environment = environment
        self.currentDirectory = currentDirectory
        // Found as the lessons are (ProjectRoot: $LMLAB_HOME, the current folder, the executable's): the shipped
        // models are found wherever the lessons are.
        self.projectRoot = projectRoot
            ?? ProjectRoot.find(environment: environment, currentDirectory: currentDirectory.path, executable: executable)
        self.homeDirectory = homeDirectory ?? URL(fileURLWithPath: UserHome.path(environment: environment))
        self.catalog = catalog
    }

    /// The Hugging Face hub cache directory, following huggingface_hub's precedence, and how it was chosen.
    public var hubCache: (url: URL, source: String) {
        Self.hubCache(environment: environment, home: homeDirectory.path)
    }

    /// `$HF_HUB_CACHE` › `$HUGGINGFACE_HUB_CACHE` (its old name) › `$HF_HOME/hub` › `$XDG_CACHE_HOME/huggingface/hub`
    /// › `~/.cache/huggingface/hub` (huggingface_hub's constants.py), a leading `~` meaning `home` (UserHome), and
    /// which of them it was. Where `lmlab download` writes (Hub's HubCache) and where `--model NAME` looks.
    public static func hubCache(environment: [String: String], home: String) -> (url: URL, source: String) {
        for key in ["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"] {
            if let value = environment[key], !value.isEmpty { return (folder(value, home: home), "$" + key) }
        }
        let hf = hfHome(environment: environment, home: home)
        return (hf.url.appendingPathComponent("hub", isDirectory: true), hf.source + "/hub")
    }

    /// Hugging Face's own folder: `$HF_HOME` › `$XDG_CACHE_HOME/huggingface` › `~/.cache/huggingface`, a leading `~`
    /// meaning `home`, and which it was. The hub cache is its `hub` (unless set apart) and the token its `token`.
    public static func hfHome(environment: [String: String], home: String) -> (url: URL, source: String) {
        if let value = environment["HF_HOME"], !value.isEmpty { return (folder(value, home: home), "$HF_HOME") }
        if let value = environment["XDG_CACHE_HOME"], !value.isEmpty {
            return (folder(value, home: home).appendingPathComponent("huggingface", isDirectory: true),
                    "$XDG_CACHE_HOME/huggingface")
        }
        return (folder("~/.cache/huggingface", home: home), "~/.cache/huggingface")
    }

    private static func folder(_ path: String, home: String) -> URL {
        URL(fileURLWithPath: UserHome.expandingTilde(path, home: home), isDirectory: true)
    }

    /// The repo id an argument means: a catalog name's repo, or the argument itself when it looks like ORG/NAME.
    public func repoId(for argument: String) -> String? {
        if let id = catalog.repoId(for: argument) { return id }
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !argument.hasPrefix("."), !argument.hasPrefix("~") {
            return argument
        }
        return nil
    }

    /// The cache folder of a repo: `models--ORG--NAME`.
    public func hubRepoFolder(_ repoId: String) -> URL {
        hubCache.url.appendingPathComponent("models--" + repoId.replacingOccurrences(of: "/", with: "--"))
    }

    /// Finds the model folder for `argument`. A path to a folder's config.json stands for the folder.
    /// - Throws: `ModelLocatorError.notFound` listing every place looked at and how to get the model;
    ///   `.otherKind` when a place that matches holds one of the lab's other models (an NNLM folder, …).
    public func locate(_ argument: String) throws -> ModelFolder {
        var steps: [ModelSearchStep] = []
        let fm = FileManager.default
        func isDirectory(_ url: URL) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
        }
        /// A candidate matches when it is a directory with a config.json; otherwise record why not. A lab model
        /// of another kind is an error at once: the learner named it, and "not found" would be false.
        func check(_ place: String, _ url: URL) throws -> ModelFolder? {
            let outcome: String
            if !isDirectory(url) {
                outcome = fm.fileExists(atPath: url.path) ? Learner.text("is a file, not a folder", "是文件，不是文件夹")
                    : Learner.text("does not exist", "不存在")
            } else if !fm.fileExists(atPath: url.appendingPathComponent("config.json").path) {
                if let kind = LabModelKind.of(folder: url) { throw ModelLocatorError.otherKind(path: url.path, kind: kind) }
                outcome = Learner.text("folder exists but has no config.json", "文件夹存在，但没有 config.json")
            } else {
                return ModelFolder(url: url)
            }
            steps.append(ModelSearchStep(place: place, path: url.path, outcome: outcome))
            return nil
        }

        // 1. An explicit path.
        let given = UserHome.expandingTilde(argument, home: homeDirectory.path)
        let expanded = given.hasPrefix("/") ? URL(fileURLWithPath: given)
            : currentDirectory.appendingPathComponent(given)
        // A file given as a path (not a bare name that happens to match a file here) is answered at once.
        let path = expanded.standardizedFileURL
        let looksLikePath = argument.contains("/") || ["json", "safetensors", "model"].contains(path.pathExtension)
        if looksLikePath, fm.fileExists(atPath: path.path), !isDirectory(path) {
            let parent = path.deletingLastPathComponent()
            let parentIsModel = fm.fileExists(atPath: parent.appendingPathComponent("config.json").path)
            if path.lastPathComponent == "config.json" { return ModelFolder(url: parent) }
            if let kind = LabModelKind.of(file: path) { throw ModelLocatorError.otherKind(path: path.path, kind: kind) }
            throw ModelLocatorError.notAFolder(path: path.path, folder: parentIsModel ? parent.path : nil)
        }
        if let f = try check(Learner.text("as a path", "当作路径"), path) { return f }

        // 2. Models/<name>.
        let repoId = repoId(for: argument)
        var names = [argument]
        if let repoId, let last = repoId.split(separator: "/").last, String(last) != argument { names.append(String(last)) }
        if !argument.contains("/") || repoId != nil {
            var roots: [(String, URL)] = []
            if let dir = environment["LMLAB_MODELS_DIR"], !dir.isEmpty {
                roots.append(("$LMLAB_MODELS_DIR", URL(fileURLWithPath: dir)))
            }
            if let projectRoot { roots.append((Learner.text("project Models/", "项目的 Models/"), projectRoot.appendingPathComponent("Models"))) }
            roots.append((Learner.text("current directory Models/", "当前目录的 Models/"), currentDirectory.appendingPathComponent("Models")))
            var seen = Set<String>()
            for (label, root) in roots {
                for name in names {
                    let candidate = root.appendingPathComponent(name).standardizedFileURL
                    guard seen.insert(candidate.path).inserted else { continue }
                    if let f = try check(label, candidate) { return f }
                }
            }
        }

        // 3. The Hugging Face cache.
        if let repoId {
            let (cache, source) = hubCache
            let repoFolder = hubRepoFolder(repoId)
            let place = Learner.text("Hugging Face cache (\(source))", "Hugging Face 缓存（\(source)）")
            let ref = repoFolder.appendingPathComponent("refs/main")
            if !isDirectory(repoFolder) {
                steps.append(ModelSearchStep(place: place, path: repoFolder.path,
                                             outcome: isDirectory(cache) ? Learner.text("not downloaded", "未下载")
                                                 : Learner.text("cache does not exist", "缓存不存在")))
            } else if let hash = (try? String(contentsOf: ref, encoding: .utf8))?
                        .trimmingCharacters(in: .whitespacesAndNewlines), !hash.isEmpty {
                guard !hash.contains("/"), hash != "..", hash != "." else {
                    steps.append(ModelSearchStep(place: place, path: ref.path, outcome: Learner.text("refs/main holds \"\(hash)\", not a commit hash",
                                                                                           "refs/main 里是 \"\(hash)\"，不是提交哈希")))
                    throw ModelLocatorError.notFound(argument: argument, repoId: repoId, steps: steps,
                                                     knownNames: catalog.models.map(\.name))
                }
                if let f = try check(place, repoFolder.appendingPathComponent("snapshots/\(hash)")) { return f }
            } else {
                steps.append(ModelSearchStep(place: place, path: ref.path,
                                             outcome: Learner.text("refs/main is missing or empty (download interrupted?)",
                                                                   "refs/main 不存在或为空（下载中断了？）")))
            }
        } else {
            steps.append(ModelSearchStep(place: Learner.text("Hugging Face cache", "Hugging Face 缓存"), path: hubCache.url.path,
                                         outcome: Learner.text("skipped: \"\(argument)\" is not a known name or an ORG/NAME repo id",
                                                               "跳过：\"\(argument)\" 既不是已知的名字，也不是 ORG/NAME 形式的仓库 id")))
        }
        throw ModelLocatorError.notFound(argument: argument, repoId: repoId, steps: steps,
                                         knownNames: catalog.models.map(\.name))
    }
}
