// Strict loading: a checkpoint folder that does not match its config.json fails with a message that names
// the file, the tensor and (for a shape mismatch) both shapes. Each test rewrites the gqa-tied fixture with
// exactly one defect.

import Foundation
import Testing
import LabCore
import ModelFiles
@testable import ERNIE

/// Copies a fixture (gqa-tied unless named) into a fresh temporary folder, passing every tensor through `edit` first.
private func mutatedFolder(_ tag: String, fixture: String = "gqa-tied",
                           edit: (inout SafetensorsWriter, SafetensorsTensor) throws -> Void) throws -> URL {
    let source = Fixtures.folder(fixture)
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("ernie-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"),
                                     to: folder.appendingPathComponent("config.json"))
    let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
    var writer = SafetensorsWriter(metadata: ["format": "pt"])
    for name in file.tensorNames { try edit(&writer, try file.tensor(name)) }
    try writer.write(to: folder.appendingPathComponent("model.safetensors"))
    return folder
}

/// Adds `t` unchanged.
private func copy(_ w: inout SafetensorsWriter, _ t: SafetensorsTensor) throws {
    try w.add(t.name, dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes))
}

/// Loads `folder` and returns the ErnieError it throws (nil if it loads).
private func loadError(_ folder: URL) -> ErnieError? {
    defer { try? FileManager.default.removeItem(at: folder) }
    do { _ = try ErnieModel(folder: folder); return nil } catch let e as ErnieError { return e } catch {
        Issue.record("unexpected error type: \(error)"); return nil
    }
}

@Suite("ERNIE strict loading")
struct ErnieLoadingTests {
    @Test("a missing tensor is named, with the shape it should have")
    func missing() throws {
        let k = "model.layers.1.self_attn.k_proj.weight"
        let folder = try mutatedFolder("missing") { w, t in if t.name != k { try copy(&w, t) } }
        let error = try #require(loadError(folder))
        print(error.description)
        guard case .missingTensor(let file, let tensor, let shape) = error else {
            Issue.record("expected missingTensor, got \(error)"); return
        }
        #expect(file.hasSuffix("model.safetensors"))
        #expect(tensor == k)
        #expect(shape == [48, 64])                 // Hkv·Dh = 2·24, D = 64
        #expect(error.description.contains(k) && error.description.contains("HINT"))
    }

    @Test("a wrong shape names the tensor and both shapes")
    func wrongShape() throws {
        let up = "model.layers.2.mlp.up_proj.weight"
        let folder = try mutatedFolder("shape") { w, t in
            if t.name == up {                      // stored transposed: [D, F] instead of [F, D]
                try w.add(t.name, dtype: t.dtype, shape: [t.shape[1], t.shape[0]], bytes: Array(t.bytes))
            } else { try copy(&w, t) }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        #expect(error == .shapeMismatch(file: folder.appendingPathComponent("model.safetensors").path,
                                        tensor: up, expected: [128, 64], found: [64, 128]))
        #expect(error.description.contains("[128, 64]") && error.description.contains("[64, 128]"))
    }

    @Test("an extra tensor the architecture does not use is refused")
    func extra() throws {
        let extra = "model.layers.3.input_layernorm.weight"   // a fourth layer in a 3-layer config
        let folder = try mutatedFolder("extra") { w, t in
            try copy(&w, t)
            if t.name == "model.norm.weight" { try w.add(extra, dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes)) }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        #expect(error == .unexpectedTensor(file: folder.appendingPathComponent("model.safetensors").path,
                                           tensor: extra, shape: [64]))
    }

    @Test("tied model: a stored lm_head equal to the embedding is accepted, a different one is refused")
    func tiedCopy() throws {
        let same = try mutatedFolder("tied-same") { w, t in
            try copy(&w, t)
            if t.name == "model.embed_tokens.weight" {
                try w.add("lm_head.weight", dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes))
            }
        }
        #expect(loadError(same) == nil)

        let different = try mutatedFolder("tied-diff") { w, t in
            try copy(&w, t)
            if t.name == "model.embed_tokens.weight" {
                var bytes = Array(t.bytes)
                bytes[5] ^= 0x40                                   // one flipped bit
                try w.add("lm_head.weight", dtype: t.dtype, shape: t.shape, bytes: bytes)
            }
        }
        let error = try #require(loadError(different))
        print(error.description)
        guard case .unexpectedTensor(_, "lm_head.weight", _) = error else {
            Issue.record("expected unexpectedTensor(lm_head.weight), got \(error)"); return
        }
    }

    @Test("an integer tensor where weights belong is refused by name and dtype")
    func integerDType() throws {
        let norm = "model.norm.weight"
        let folder = try mutatedFolder("dtype") { w, t in
            if t.name == norm { try w.add(norm, int32s: [Int32](repeating: 1, count: 64), shape: [64]) }
            else { try copy(&w, t) }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        #expect(error == .unsupportedDType(file: folder.appendingPathComponent("model.safetensors").path,
                                           tensor: norm, dtype: "I32"))
    }

    @Test("a token id outside the embedding is an error, not a crash")
    func badToken() throws {
        let model = try Fixtures.model("gqa-tied")
        var cache = model.makeCache()
        #expect(throws: ErnieError.tokenOutOfRange(id: 512, vocabularySize: 512)) {
            _ = try model.append([3, 512], to: &cache)
        }
        #expect(cache.count == 0)
    }

    @Test("an f16 copy of the checkpoint runs and stays close to the f32 reference")
    func float16() throws {
        let folder = try mutatedFolder("f16") { w, t in
            try w.add(t.name, floats: try t.floats(), shape: t.shape, as: .f16)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try ErnieModel(folder: folder), expected = try Fixtures.expected("gqa-tied")
        #expect(model.weights.embedding.storage == .f16)
        var cache = model.makeCache()
        let rows = try model.scoreAll(expected.input_ids, from: &cache)
        // f16 weights are rounded (11-bit mantissa): not exact, but top choices agree almost everywhere.
        let agree = zip(rows, expected.logprobs).filter { argmaxIndex($0) == argmaxIndex($1) }.count
        print("[gqa-tied as f16] argmax agrees at \(agree)/\(rows.count) positions, max abs diff "
              + "\(maxAbsDiff(rows, expected.logprobs))")
        #expect(agree >= rows.count - 2)
    }
}

/// `t` with element `index` replaced by `value` (in the tensor's own dtype).
private func copy(_ w: inout SafetensorsWriter, _ t: SafetensorsTensor, setting index: Int, to value: Float) throws {
    var floats = try t.floats()
    floats[index] = value
    try w.add(t.name, floats: floats, shape: t.shape, as: t.dtype)
}

/// A vocabulary of `count` numbered ids (a tokenizer stand-in).
private struct Numbered: Vocabulary {
    let count: Int
    func piece(_ id: Int) -> String { "<\(id)>" }
}

/// Issue #17 "finite or say so": NaN or ±∞ in the weights fails at load naming the tensor and the element; a
/// forward pass whose logits are not finite stops naming the first layer whose output was not; a tokenizer with
/// more ids than the embedding has rows is refused.
@Suite("ERNIE: finite or say so")
struct ErnieFiniteTests {
    @Test("NaN, +∞ and −∞ in f32 and bf16 weights are refused at load, naming the tensor and the element",
          arguments: [("gqa-tied", "model.layers.1.mlp.up_proj.weight", 5 * 64 + 7, Float.nan, "NaN"),
                      ("gqa-tied", "model.norm.weight", 63, Float.infinity, "+∞"),
                      ("gqa-tied-bf16", "model.embed_tokens.weight", 511 * 64 + 63, -Float.infinity, "−∞"),
                      ("gqa-tied-bf16", "model.layers.0.self_attn.q_proj.weight", 0, Float.nan, "NaN")])
    func nonFiniteWeight(fixture: String, tensor: String, index: Int, value: Float, text: String) throws {
        let folder = try mutatedFolder("nonfinite", fixture: fixture) { w, t in
            if t.name == tensor { try copy(&w, t, setting: index, to: value) } else { try copy(&w, t) }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        guard case .nonFiniteWeight(let file, let name, let at, let found) = error else {
            Issue.record("expected nonFiniteWeight, got \(error)"); return
        }
        #expect(file.hasSuffix("model.safetensors") && name == tensor && found == text)
        let cols = tensor == "model.norm.weight" ? nil : 64 as Int?
        #expect(at == (cols.map { [index / $0, index % $0] } ?? [index]))
        #expect(error.description.contains(tensor) && error.description.contains("HINT"))
    }

    @Test("weights too large for float32 stop the forward pass, naming the first layer whose output overflowed")
    func overflowingLayer() throws {
        // A finite but huge gain before layer 1's MLP: the load scan passes it (3e38 < Float.greatestFiniteMagnitude),
        // and every normalised element above 1.14 in size becomes ±∞ there.
        let gain = "model.layers.1.post_attention_layernorm.weight"
        let folder = try mutatedFolder("overflow") { w, t in
            if t.name == gain { try w.add(t.name, floats: [Float](repeating: 3e38, count: 64), shape: [64], as: .f32) }
            else { try copy(&w, t) }
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try ErnieModel(folder: folder, name: "overflowing")
        var cache = model.makeCache()
        let error = #expect(throws: ErnieError.self) { _ = try model.scoreAll([1, 17, 42], from: &cache) }
        print(error?.description ?? "")
        guard case .nonFiniteActivations("overflowing", 1, _) = error else {
            Issue.record("expected nonFiniteActivations at layer 1, got \(String(describing: error))"); return
        }
        #expect(error!.description.contains("model.layers.1") && error!.description.contains("HINT"))

        // One decode step (the matrix–vector path) stops the same way.
        var fresh = model.makeCache()
        #expect(throws: ErnieError.nonFiniteActivations(model: "overflowing", layer: 1, position: 0)) {
            _ = try model.append([5], to: &fresh)
        }
    }

    @Test("logits that overflow after every layer was finite are blamed on the final norm or the output projection")
    func overflowingHead() throws {
        let folder = try mutatedFolder("head", fixture: "mqa-untied") { w, t in
            if t.name == "model.norm.weight" { try w.add(t.name, floats: [Float](repeating: 3e38, count: 48), shape: [48], as: .f32) }
            else { try copy(&w, t) }
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try ErnieModel(folder: folder, name: "head")
        var cache = model.makeCache()
        #expect(throws: ErnieError.nonFiniteActivations(model: "head", layer: nil, position: 2)) {
            _ = try model.logits([1, 2, 3], cache: &cache, allPositions: false)
        }
    }

    @Test("finite logits pass: the shipped fixtures still run")
    func finitePasses() throws {
        for name in Fixtures.names {
            let model = try Fixtures.model(name)
            var cache = model.makeCache()
            let rows = try model.scoreAll([1, 5, 9, 13], from: &cache)
            #expect(rows.allSatisfy { $0.allSatisfy(\.isFinite) }, "\(name)")
        }
    }

    @Test("a tokenizer with more ids than the embedding has rows is refused")
    func vocabularyMismatch() throws {
        let folder = Fixtures.folder("gqa-tied")               // vocab_size 512
        #expect(throws: ErnieError.vocabularyMismatch(tokenizer: "big", tokenizerCount: 513, vocabSize: 512)) {
            _ = try ErnieModel(folder: folder, name: "big", vocabulary: Numbered(count: 513))
        }
        _ = try ErnieModel(folder: folder, vocabulary: Numbered(count: 500))     // fewer ids (ERNIE's case) load
    }

    // MoE checkpoints (moe-dense-first: layer 0 dense, layers 1–2 MoE, E 8, Fe 16, D 32, one shared expert).

    @Test("MoE: a missing expert tensor is named, with its shape and the moe_* keys to check")
    func missingExpert() throws {
        let k = "model.layers.2.mlp.experts.5.up_proj.weight"
        let folder = try mutatedFolder("moe-missing", fixture: "moe-dense-first") { w, t in
            if t.name != k { try copy(&w, t) }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        guard case .missingTensor(_, let tensor, let shape) = error else {
            Issue.record("expected missingTensor, got \(error)"); return
        }
        #expect(tensor == k && shape == [16, 32])
        #expect(error.description.contains("moe_num_experts") && error.description.contains("HINT"))
    }

    @Test("MoE: a misshapen expert, router or correction bias names the tensor and both shapes",
          arguments: [("model.layers.1.mlp.experts.0.down_proj.weight", [32, 16]),
                      ("model.layers.1.mlp.gate.weight", [8, 32]),
                      ("model.layers.2.mlp.moe_statics.e_score_correction_bias", [1, 8]),
                      ("model.layers.2.mlp.shared_experts.gate_proj.weight", [16, 32])])
    func misshapenExpert(name: String, shape: [Int]) throws {
        let folder = try mutatedFolder("moe-shape", fixture: "moe-dense-first") { w, t in
            if t.name == name {                    // stored reversed (the bias as [8, 1])
                try w.add(t.name, dtype: t.dtype, shape: t.shape.reversed(), bytes: Array(t.bytes))
            } else { try copy(&w, t) }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        #expect(error == .shapeMismatch(file: folder.appendingPathComponent("model.safetensors").path,
                                        tensor: name, expected: shape, found: shape.reversed()))
        #expect(error.description.contains("moe_intermediate_size"))
    }

    @Test("MoE: an expert beyond moe_num_experts is refused; multi-token-prediction tensors are skipped")
    func extraExpertAndMTP() throws {
        let extra = "model.layers.1.mlp.experts.8.gate_proj.weight"
        let folder = try mutatedFolder("moe-extra", fixture: "moe-dense-first") { w, t in
            try copy(&w, t)
            if t.name == "model.layers.1.mlp.experts.7.gate_proj.weight" {
                try w.add(extra, dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes))
            }
        }
        let error = try #require(loadError(folder))
        print(error.description)
        guard case .unexpectedTensor(_, let tensor, _) = error else {
            Issue.record("expected unexpectedTensor, got \(error)"); return
        }
        #expect(tensor == extra)

        let mtp = try mutatedFolder("moe-mtp", fixture: "moe-dense-first") { w, t in
            try copy(&w, t)
            if t.name == "model.norm.weight" { try w.add("model.mtp_emb_norm.0.weight", dtype: t.dtype, shape: t.shape,
                                                         bytes: Array(t.bytes)) }
        }
        #expect(loadError(mtp) == nil)             // transformers ignores "mtp" tensors too
    }

    @Test("a precision whose copy would not fit the machine's memory is refused with the numbers, before loading")
    func notEnoughMemory() throws {
        let folder = Fixtures.folder("gqa-tied")
        let config = try ModelFolder(url: folder).loadConfig()
        let int8 = config.convertedWeightBytes(.int8), int4 = config.convertedWeightBytes(.int4)
        #expect(int4 < int8 && int8 < config.convertedWeightBytes(.f32))
        // A budget between the int4 and the int8 copies: int8 is refused, int4 and the mapped file load.
        try ErnieModel.$memoryBudget.withValue(UInt64(int4 + (int8 - int4) / 2)) {
            do {
                _ = try ErnieModel(folder: folder, precision: .int8)
                Issue.record("int8 loaded within a budget smaller than its weights")
            } catch let e as ErnieError {
                let text = e.description
                print(text)
                #expect(e == .notEnoughMemory(file: folder.appendingPathComponent("config.json").path, precision: "int8",
                                              needed: int8, available: int4 + (int8 - int4) / 2, smallest: int4))
                #expect(text.contains("config.json") && text.contains("int8") && text.contains("HINT: use --precision int4"))
            }
            // f32 of this f32 file is a copy too (every precision but as-stored is), so it is refused as well.
            #expect(throws: ErnieError.self) { _ = try ErnieModel(folder: folder, precision: .f32) }
            _ = try ErnieModel(folder: folder, precision: .int4)
            _ = try ErnieModel(folder: folder)
        }
    }
}
