// Broken model folders through the real `lmlab` binary (issue #17): each is built in a temp folder from the shipped
// tiny ERNIE with one defect, and each run must end with exit status 1 (no signal), in bounded time, with a message
// on stderr that names the file and the key, tensor or layer, and a HINT. The cases are the issue's: NaN weights,
// weights whose activations overflow, rope_theta 1e-300, a truncated tokenizer.model, a tokenizer larger than the
// embedding, config.json syntax errors, a fraction or a quoted id, a huge head count, and `--model` pointing at the
// lab's NNLM folder; a path to config.json is accepted as its folder.
import Foundation
import LabTestSupport
import ModelFiles
import Testing

/// Runs `lmlab args` in `directory`, killing it (and failing) after 30 s.
private func run(_ lmlab: String, _ args: [String], in directory: URL = projectRoot) throws -> LabRun {
    try LabRun.run([lmlab] + args, directory: directory.path, deadline: 30)
}

/// A copy of the shipped tiny ERNIE in a fresh temp folder (removed by the caller).
private func tinyErnieCopy(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-broken-\(tag)-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: shippedTinyErnie, toPath: dir.path)
    return dir
}

/// Overwrites elements of one f32 tensor of `folder`/model.safetensors in place.
private func patch(_ folder: URL, tensor: String, elements: Range<Int>, with value: Float) throws {
    let url = folder.appendingPathComponent("model.safetensors")
    let info = try SafetensorsFile(url: url).info(tensor)
    #expect(info.dtype == .f32)
    var data = try Data(contentsOf: url)
    let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let start = 8 + headerLength + info.dataOffsets.lowerBound
    for i in elements {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { data.replaceSubrange((start + 4 * i)..<(start + 4 * i + 4), with: $0) }
    }
    try data.write(to: url)
}

/// Rewrites `folder`/config.json with `old` replaced by `new` (the text must contain `old`).
private func editConfig(_ folder: URL, _ old: String, _ new: String) throws {
    let url = folder.appendingPathComponent("config.json")
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.contains(old), "config.json has \(old)")
    try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
}

@Suite(.serialized) struct BrokenModelFolderTests {
    /// Runs `prob` on a broken copy and checks: exit 1 by exit (not a signal), every `needles` on stderr, a HINT.
    func expectFailure(_ tag: String, _ needles: [String], command: [String] = ["prob", "the cat sat"],
                       breaking: (URL) throws -> Void) throws {
        guard let lmlab = builtLmlab() else { print("SKIPPED \(tag): no built lmlab next to the tests."); return }
        let folder = try tinyErnieCopy(tag)
        defer { try? FileManager.default.removeItem(at: folder) }
        try breaking(folder)
        let result = try run(lmlab, command + ["--model", folder.path])
        print("[\(tag)] \(result.ending): \(result.stderr)")
        #expect(result.ending == .exit(1), "\(tag): \(result.ending)")
        for needle in needles + ["HINT"] { #expect(result.stderr.contains(needle), "\(tag): \(needle)") }
        #expect(!result.stdout.contains("nan"), "\(tag): no nan printed")
    }

    @Test func nanWeightsAreRefusedAtLoad() throws {
        try expectFailure("nan", ["model.safetensors", "model.layers.2.mlp.up_proj.weight", "NaN", "[0, 3]"]) {
            try patch($0, tensor: "model.layers.2.mlp.up_proj.weight", elements: 3..<4, with: .nan)
        }
        try expectFailure("inf", ["model.embed_tokens.weight", "+∞"], command: ["generate", "the", "--max-new-tokens", "3"]) {
            try patch($0, tensor: "model.embed_tokens.weight", elements: 100..<101, with: .infinity)
        }
    }

    @Test func overflowingActivationsNameTheLayer() throws {
        for command in [["prob", "the cat sat"], ["generate", "the", "--max-new-tokens", "3"]] {
            try expectFailure("overflow-\(command[0])", ["decoder layer 2", "model.layers.2"], command: command) {
                try patch($0, tensor: "model.layers.2.post_attention_layernorm.weight", elements: 0..<192, with: 3e38)
            }
        }
    }

    @Test func implausibleAndMalformedConfigValues() throws {
        try expectFailure("theta", ["config.json", "rope_theta", "1e-300"]) {
            try editConfig($0, "\"rope_theta\" : 500000,", "\"rope_theta\" : 1e-300,")    // both copies, so they agree
        }
        try expectFailure("eps", ["config.json", "rms_norm_eps"]) { try editConfig($0, "1e-05", "-1e-05") }
        try expectFailure("syntax", ["config.json", "JSON syntax error at line 8, column 3"]) {
            try editConfig($0, "\"eos_token_id\" : 2,", "\"eos_token_id\" : 2")
        }
        try expectFailure("fraction", ["config.json", "\"hidden_size\"", "192.5", "whole number"]) {
            try editConfig($0, "\"hidden_size\" : 192", "\"hidden_size\" : 192.5")
        }
        try expectFailure("quoted-eos", ["config.json", "\"eos_token_id\"", "a token id (a whole number) or an array",
                                         "the string \"2\"", "remove the quotes"]) {
            try editConfig($0, "\"eos_token_id\" : 2", "\"eos_token_id\" : \"2\"")
        }
        try expectFailure("heads", ["config.json", "num_attention_heads", "4611686018427387904", "1024"]) {
            try editConfig($0, "\"num_attention_heads\" : 4", "\"num_attention_heads\" : 4611686018427387904")
        }
    }

    @Test func implausibleTokenizersAreRefused() throws {
        // The 100-byte tokenizer.model (it ends exactly after the 13th piece).
        try expectFailure("truncated", ["tokenizer.model", "13 pieces", "truncated"]) { folder in
            let url = folder.appendingPathComponent("tokenizer.model")
            try Data(contentsOf: url).prefix(100).write(to: url)
        }
        // One more added token than the embedding has rows (3072).
        try expectFailure("bigger", ["tokenizer has 3073 ids", "vocab_size", "3072"]) { folder in
            let url = folder.appendingPathComponent("tokenizer_config.json")
            let text = try String(contentsOf: url, encoding: .utf8)
            let extra = "\"added_tokens_decoder\": {\n    \"3072\": {\"content\": \"<extra>\", \"special\": true},"
            #expect(text.contains("\"added_tokens_decoder\": {"))
            try text.replacingOccurrences(of: "\"added_tokens_decoder\": {", with: extra)
                .write(to: url, atomically: true, encoding: .utf8)
        }
    }

    @Test func modelPathsSayWhatTheyAre() throws {
        guard let lmlab = builtLmlab() else { print("SKIPPED modelPathsSayWhatTheyAre: no built lmlab."); return }
        // prob reads the lab's word-level models (Lab/WordLanguageModels.swift); an ERNIE-only command says what it is.
        let scored = try run(lmlab, ["prob", "the cat", "--model", "Models/nnlm-stories-en"])
        #expect(scored.ending == .exit(0) && scored.stdout.contains("NNLM (n = 5), words of stories-en"),
                "\(scored.stderr)")
        let nnlm = try run(lmlab, ["inspect", "Models/nnlm-stories-en"])
        print(nnlm.stderr)
        #expect(nnlm.ending == .exit(1))
        #expect(nnlm.stderr.contains("Models/nnlm-stories-en holds an NNLM") && nnlm.stderr.contains("lmlab nnlm prob")
                && !nnlm.stderr.contains("not found"))

        let config = try run(lmlab, ["prob", "the cat", "--model", shippedTinyErnie + "/config.json"])
        #expect(config.ending == .exit(0), "\(config.stderr)")
        #expect(config.stdout.contains("perplexity"))

        let weights = try run(lmlab, ["prob", "the cat", "--model", shippedTinyErnie + "/model.safetensors"])
        #expect(weights.ending == .exit(1) && weights.stderr.contains("is a file") && weights.stderr.contains("--model \(shippedTinyErnie)"),
                "\(weights.stderr)")
    }
}
