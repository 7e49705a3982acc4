// NeuralCheckpoint — a trained (or half-trained) neural model in one safetensors file, so training can stop on
// Ctrl-C and `--resume` later, and a lesson can load a model trained earlier.
//
// Layout (ModelFiles/SafetensorsWriter.swift, f32):
//   <parameter name>              every parameter by its name (`embedding.weight`, `gru.weight_ih`, …)
//   optimizer.m.<name>            AdamW first moment m of that parameter (when an AdamW state was saved)
//   optimizer.v.<name>            AdamW second moment v
//   __metadata__: kind ("nnlm", "rnn", "gru", "seq2seq"), config (JSON of the model's config), vocabulary (JSON
//                 array of tokens; `target_vocabulary` too for seq2seq), step (optimizer steps taken).
// Loading is strict: every parameter the model has must be present with its shape, and nothing else may be.

import Foundation
import LabCore
import Autograd
import ModelFiles

/// Errors reading a checkpoint; each names the file and the fix.
public enum NeuralCheckpointError: Error, CustomStringConvertible {
    case missingMetadata(file: String, key: String)
    case wrongKind(file: String, found: String, expected: String)
    case missingTensor(file: String, name: String)
    case wrongShape(file: String, name: String, found: [Int], expected: [Int])
    case unusedTensor(file: String, name: String)
    case badSize(file: String, reason: String)

    public var description: String {
        switch self {
        case .missingMetadata(let f, let k):
            return Learner.text("\(f): metadata key '\(k)' is missing. HINT: this file was not written by `lmlab train`; train again to make one.",
                                "\(f)：缺少元数据键 '\(k)'。HINT：这个文件不是 `lmlab train` 写的；重新训练一个。")
        case .wrongKind(let f, let found, let expected):
            return Learner.text("\(f) holds a '\(found)' model, not '\(expected)'. HINT: pass the checkpoint of the model you are loading.",
                                "\(f) 存的是 '\(found)' 模型，不是 '\(expected)'。HINT：给出你要加载的那个模型的检查点。")
        case .missingTensor(let f, let n):
            return Learner.text("\(f): tensor '\(n)' is missing. HINT: the checkpoint is from another model configuration; train again.",
                                "\(f)：缺少张量 '\(n)'。HINT：这个检查点来自另一种模型配置；重新训练。")
        case .wrongShape(let f, let n, let found, let expected):
            return Learner.text("\(f): tensor '\(n)' has shape \(found), the model needs \(expected). HINT: use the same --hidden/--embedding sizes as the run that wrote it.",
                                "\(f)：张量 '\(n)' 的形状是 \(found)，模型需要 \(expected)。HINT：用与写出它的那次训练相同的 --hidden/--embedding 大小。")
        case .unusedTensor(let f, let n):
            return Learner.text("\(f): tensor '\(n)' belongs to no parameter of this model. HINT: the checkpoint is from another configuration.",
                                "\(f)：张量 '\(n)' 不属于这个模型的任何参数。HINT：这个检查点来自另一种配置。")
        case .badSize(let f, let reason):
            return "\(f): metadata \"config\": \(reason)"
        }
    }
}

/// Parameters + optimizer state + metadata of a neural model.
public struct NeuralCheckpoint {
    public var kind: String
    public var metadata: [String: String]
    public var tensors: [String: Tensor]
    public var step: Int

    public init(kind: String, metadata: [String: String], parameters: [(String, Variable)], optimizer: AdamW?) {
        self.kind = kind
        self.metadata = metadata
        var t: [String: Tensor] = [:]
        for (name, p) in parameters { t[name] = p.value }
        if let optimizer {
            let state = optimizer.state
            for (k, (name, p)) in parameters.enumerated() {
                t["optimizer.m.\(name)"] = Tensor(shape: p.shape, data: state.m[k])
                t["optimizer.v.\(name)"] = Tensor(shape: p.shape, data: state.v[k])
            }
            step = state.step
        } else {
            step = 0
        }
        tensors = t
    }

    /// Writes the checkpoint (parent folders are created).
    public func write(to url: URL) throws {
        var w = SafetensorsWriter(metadata: metadata.merging(["kind": kind, "step": "\(step)"]) { $1 })
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) { try w.add(name, tensor: tensor) }
        try createFolder(url.deletingLastPathComponent(), for: Learner.text("the checkpoint", "检查点"))
        try w.write(to: url)
    }

    /// Reads a checkpoint written by `write(to:)` and checks it holds a model of `kind`.
    public init(contentsOf url: URL, kind expected: String) throws {
        let file = try SafetensorsFile(url: url)
        guard let kind = file.metadata["kind"] else { throw NeuralCheckpointError.missingMetadata(file: url.path, key: "kind") }
        guard kind == expected else { throw NeuralCheckpointError.wrongKind(file: url.path, found: kind, expected: expected) }
        self.kind = kind
        metadata = file.metadata
        step = Int(file.metadata["step"] ?? "0") ?? 0
        var t: [String: Tensor] = [:]
        for name in file.tensorNames { t[name] = try file.tensor(name).toTensor() }
        tensors = t
        self.url = url.path
    }

    var url = "checkpoint"

    /// A metadata value, or an error naming the key.
    public func require(_ key: String) throws -> String {
        guard let v = metadata[key] else { throw NeuralCheckpointError.missingMetadata(file: url, key: key) }
        return v
    }

    /// Copies the stored values into `parameters` (strict: shapes must match; no tensor may be left over) and, when
    /// given, restores the optimizer's moments and step.
    public func load(into parameters: [(String, Variable)], optimizer: AdamW? = nil) throws {
        var used: Set<String> = []
        for (name, p) in parameters {
            guard let t = tensors[name] else { throw NeuralCheckpointError.missingTensor(file: url, name: name) }
            guard t.shape == p.shape else {
                throw NeuralCheckpointError.wrongShape(file: url, name: name, found: t.shape, expected: p.shape)
            }
            p.value = t
            used.insert(name)
        }
        for name in tensors.keys where !used.contains(name) && !name.hasPrefix("optimizer.") {
            throw NeuralCheckpointError.unusedTensor(file: url, name: name)
        }
        if let optimizer, tensors.keys.contains(where: { $0.hasPrefix("optimizer.m.") }) {
            var m: [[Float]] = [], v: [[Float]] = []
            for (name, _) in parameters {
                guard let tm = tensors["optimizer.m.\(name)"], let tv = tensors["optimizer.v.\(name)"] else {
                    throw NeuralCheckpointError.missingTensor(file: url, name: "optimizer.m/v.\(name)")
                }
                m.append(tm.data)
                v.append(tv.data)
            }
            optimizer.restore(step: step, m: m, v: v)
        }
    }
}

/// JSON of a Codable config, for checkpoint metadata.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    return String(decoding: try enc.encode(value), as: UTF8.self)
}

/// Decodes checkpoint metadata written by `jsonText`.
func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(text.utf8))
}
