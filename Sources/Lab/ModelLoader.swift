// ModelLoader — turns a `--model` argument into a loaded ERNIE-format model with its tokenizer.
//
//   "base"  → SessionModels ("load base tiny-ernie" earlier) → "tiny-ernie"
//           → a folder path, or ModelLocator (Models/catalog.json, Models/, the Hugging Face cache)
//           → ErnieModel (weights in the precision asked for) + ErnieTokenizer (nil without tokenizer.model)
// Every command that reads an ERNIE-format model (prob, generate, sample, beam, classify, dpo-reward, lens,
// attention, check, exercises) loads through here, so a session name, a catalog name and a path mean the same
// everywhere, and a model already loaded in this session is reused (SessionModels).

import ERNIE
import Foundation
import Hub
import LabCore
import ModelFiles
import Tokenizers

/// A model with its tokenizer (nil when the folder has no tokenizer.model).
public struct LoadedModel: Sendable {
    public let model: ErnieModel
    public let tokenizer: ErnieTokenizer?

    public init(model: ErnieModel, tokenizer: ErnieTokenizer?) { self.model = model; self.tokenizer = tokenizer }

    /// The tokenizer, for commands that start from text.
    /// - Throws: `ModelLoadError` naming the model and the fix when its folder has no tokenizer.model.
    public func requireTokenizer(_ name: String) throws -> ErnieTokenizer {
        guard let tokenizer else {
            throw ModelLoadError(Learner.text(
                "\(name): no tokenizer.model in the model folder, so text cannot be tokenized. HINT: use the model folder with its tokenizer files.",
                "\(name)：模型文件夹里没有 tokenizer.model，无法把文本切成词元。HINT：使用带分词器文件的模型文件夹。"))
        }
        return tokenizer
    }
}

/// A model that loads but cannot serve what was asked of it (no tokenizer, no bos_token, a session-only command).
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum ModelLoader {
    /// The model folder `argument` names: an existing folder path, or a name for ModelLocator (short names come from
    /// Models/catalog.json; a malformed catalog is an error, never skipped). A path to config.json stands for its
    /// folder; a folder or file of the lab's other models (Models/nnlm-stories-en, …) says which command reads it.
    /// - Throws: `ModelLocatorError` saying where it looked and how to get the model, or `.otherKind`;
    ///   `ModelNameSuggestion` (the same, and the name meant) for a typo of a known name.
    public static func folder(_ argument: String, locator given: ModelLocator? = nil) throws -> ModelFolder {
        let url = ProjectPaths.fileURL(argument)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let folder = ModelFolder(url: url)
            if folder.config == nil, let kind = LabModelKind.of(folder: url) {
                throw ModelLocatorError.otherKind(path: argument, kind: kind)
            }
            return folder
        }
        return try located(argument, locator: given)
    }

    /// The locator's folder for a name (short names from Models/catalog.json; a malformed catalog is an error, never
    /// skipped), with the name meant when `argument` is a typo of a known one.
    private static func located(_ argument: String, locator given: ModelLocator?) throws -> ModelFolder {
        do {
            return try (given ?? ModelLocator.withProjectCatalog()).locate(argument)
        } catch let error as ModelLocatorError {
            throw ModelNameSuggestion.suggesting(error) ?? error
        }
    }

    /// Resolves `argument` (a session name, a folder path or a name for ModelLocator) and loads weights and tokenizer.
    /// A model already loaded in this session (in the same precision) is reused. A converted model is named with its
    /// precision (`tiny-ernie [int8]`), so a ledger comparing a model with itself in two precisions says which
    /// column is which.
    /// - Throws: `ModelLocatorError` saying where it looked and how to get the model, or a loading error.
    public static func load(_ argument: String, precision: WeightPrecision = .asStored,
                            locator given: ModelLocator? = nil) throws -> LoadedModel {
        let resolved = SessionModels.shared.resolve(argument)
        let folder = try Self.folder(resolved, locator: given)
        return try SessionModels.shared.model(for: folder, precision: precision.rawValue) {
            let tokenizer = folder.tokenizerModel == nil ? nil : try ErnieTokenizer(folder: folder)
            let name = precision == .asStored ? resolved : "\(resolved) [\(precision.rawValue)]"
            let model = try ErnieModel(folder: folder, name: name, vocabulary: tokenizer, precision: precision)
            return LoadedModel(model: model, tokenizer: tokenizer)
        }
    }

    /// The tokenizer `argument` names, without loading weights: a tokenizer.model file, a model folder, a session
    /// name or a name for ModelLocator (`lmlab tokenize`).
    /// - Throws: `ModelLoadError` naming the path and the fix (not a SentencePiece file, no such path, tokenizer.json
    ///   without tokenizer.model), `ModelLocatorError`, or the tokenizer's own error.
    public static func tokenizer(_ argument: String, locator given: ModelLocator? = nil) throws -> ErnieTokenizer {
        let argument = SessionModels.shared.resolve(argument)
        let url = ProjectPaths.fileURL(argument)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue {
                guard url.pathExtension == "model" else {
                    throw ModelLoadError(Learner.text(
                        "--model \(argument): \(url.lastPathComponent) is not a SentencePiece model. HINT: pass the model folder, or its tokenizer.model file.",
                        "--model \(argument)：\(url.lastPathComponent) 不是 SentencePiece 模型文件。HINT：给出模型文件夹，或其中的 tokenizer.model。"))
                }
                return try ErnieTokenizer(modelFile: url)
            }
            return try tokenizer(in: ModelFolder(url: url))
        }
        if argument.contains("/") {
            throw ModelLoadError(Learner.text(
                "--model \(argument): no such file or folder. HINT: check the path, or give a model name such as ernie-4.5-0.3b.",
                "--model \(argument)：没有这个文件或文件夹。HINT：检查路径，或给出模型名，例如 ernie-4.5-0.3b。"))
        }
        return try tokenizer(in: located(argument, locator: given))
    }

    private static func tokenizer(in folder: ModelFolder) throws -> ErnieTokenizer {
        if folder.tokenizerModel == nil && folder.tokenizerJSON != nil {
            throw ModelLoadError(Learner.text(
                "\(folder.url.path): has tokenizer.json but no tokenizer.model; LMLab reads the SentencePiece file. HINT: download tokenizer.model too (it is in the same model repository).",
                "\(folder.url.path)：有 tokenizer.json 但没有 tokenizer.model，而 LMLab 读取的是 SentencePiece 文件。HINT：把 tokenizer.model 也下载下来（它在同一个模型仓库里）。"))
        }
        return try ErnieTokenizer(folder: folder)
    }
}
