// FuzzTargets — the five parsers under test, each with its seeds (gathered from the repository at start), its
// structure-aware mutator and the call that runs the parser in-process.
//
//   safetensors  ModelFiles/SafetensorsFile.swift   8-byte length + JSON header + data (mmap'd from a file)
//   tokenizer    Tokenizers/SentencePieceModel.swift protobuf ModelProto, then SentencePieceProcessor and encode/decode
//   config       ModelFiles/ERNIEConfig.swift, GenerationConfig, TokenizerConfig, SpecialTokensMap, AddedTokensFile
//   lesson       Lab/LessonDocument.swift             lesson Markdown with ```lab cells and ```quiz blocks
//   api          Decoding/API/Completion.swift        a /v1/completions answer (both log-prob shapes)
//
// `execute` returns the error messages the parser threw (empty when it accepted the input). A message that
// breaks the parser's own contract is returned with a "CONTRACT: " prefix (the tokenizer must re-read what it
// writes; a decode of an id outside the vocabulary must throw).

import Foundation
import Decoding
import Lab
import LabCore
import ModelFiles
import Tokenizers

struct FuzzTarget {
    let name: String
    let seeds: [[UInt8]]
    /// How many executions `replay` gives one input (targets that rotate through readers need one per reader).
    var replayRuns = 1
    /// Applies one to five mutations (the target chooses how to stack them).
    let mutate: (inout [UInt8], inout SeededRNG, [UInt8]) -> Void
    let execute: ([UInt8]) -> [String]

    static let names = ["safetensors", "tokenizer", "config", "lesson", "api"]

    /// Builds the target `name` from the files under `root`; `workDir` holds the file the safetensors parser maps.
    static func make(_ name: String, root: URL, workDir: URL) throws -> FuzzTarget {
        let corpus = Corpus(root: root)
        switch name {
        case "safetensors": return try safetensors(corpus.safetensorsSeeds(), workDir: workDir)
        case "tokenizer": return tokenizer(try corpus.tokenizerSeeds())
        case "config": return config(try corpus.files(named: Corpus.configNames))
        case "lesson": return lesson(try corpus.lessonSeeds())
        case "api": return api(try corpus.files(under: "Tests/DecodingTests/Fixtures/API", ext: "json"))
        default: throw FuzzError.unknownTarget(name)
        }
    }

    /// A JSON mutator whose key dictionary and donor subtrees come from `seeds` plus `extraKeys`.
    static func jsonMutator(_ seeds: [[UInt8]], extraKeys: [String]) -> JSONMutator {
        let trees = seeds.compactMap(JSONTree.parse)
        var keys = Set(extraKeys)
        for t in trees { t.collectKeys(into: &keys) }
        return JSONMutator(keys: keys.sorted(), donors: trees.isEmpty ? [.raw("0")] : trees)
    }

    /// One to five JSON mutations on the parsed tree (parsed and written once), or format-blind byte changes.
    static func stackJSON(_ bytes: inout [UInt8], rng: inout SeededRNG, donor: [UInt8], mutator: JSONMutator, pretty: Double) {
        let count = rng.int(in: 1...5)
        guard var tree = JSONTree.parse(bytes), rng.chance(0.85) else {
            for _ in 0..<count { ByteMutations.mutate(&bytes, rng: &rng, donor: donor, maxSize: 1 << 20) }
            return
        }
        for _ in 0..<count { mutator.mutate(&tree, rng: &rng) }
        bytes = tree.serialized(pretty: rng.chance(pretty))
    }

    /// Applies `one` one to five times.
    static func stacked(_ one: @escaping (inout [UInt8], inout SeededRNG, [UInt8]) -> Void)
        -> (inout [UInt8], inout SeededRNG, [UInt8]) -> Void {
        { bytes, rng, donor in for _ in 0..<rng.int(in: 1...5) { one(&bytes, &rng, donor) } }
    }

    static func messages(_ body: () throws -> Void) -> [String] {
        do { try body(); return [] } catch { return [String(describing: error)] }
    }

    static func safetensors(_ seeds: [[UInt8]], workDir: URL) throws -> FuzzTarget {
        let headers = seeds.compactMap { SafetensorsParts($0).map { $0.header.serialized(pretty: false) } }
        let mutator = SafetensorsMutator(json: jsonMutator(headers, extraKeys: ["dtype", "shape", "data_offsets", "__metadata__", "format"]))
        let url = workDir.appendingPathComponent("input.safetensors")
        return FuzzTarget(name: "safetensors", seeds: seeds, mutate: stacked { mutator.mutate(&$0, rng: &$1, donor: $2) }, execute: { bytes in
            guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else {
                return ["CONTRACT: cannot write \(url.path)"]
            }
            return messages {
                let file = try SafetensorsFile(url: url)
                for name in file.tensorNames {
                    let t = try file.tensor(name)
                    if t.dtype.isFloatingPoint, t.info.elementCount <= 1 << 20 { _ = try t.floats() }
                }
            }
        })
    }

    static func tokenizer(_ seeds: [[UInt8]]) -> FuzzTarget {
        // ModelProto 1–5, SentencePiece 1–3, TrainerSpec and NormalizerSpec up to 53 (sentencepiece_model.proto).
        let mutator = ProtobufMutator(knownNumbers: Array(1...26) + [30, 31, 32, 33, 34, 35, 36, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 52, 53])
        let texts = ["Hello world", "你好，世界。", "  leading and  double  spaces ", "ﬁ ① Å ｶ", "a\u{0}b\tc\r\nd", "", "▁▁", "🤖🙂"]
        return FuzzTarget(name: "tokenizer", seeds: seeds, mutate: stacked { mutator.mutate(&$0, rng: &$1, donor: $2) }, execute: { bytes in
            var found: [String] = []
            let thrown = messages {
                let model = try SentencePieceModel(serialized: bytes, source: "tokenizer.model")
                // What the reader accepts, the writer must write back so that the reader reads it again the same.
                let once = model.serialized()
                let again = try SentencePieceModel(serialized: once, source: "tokenizer.model (rewritten)").serialized()
                if again != once { found.append("CONTRACT: serialized() of a parsed model does not read back the same") }
                let sp = try SentencePieceProcessor(model: model, file: "tokenizer.model")
                for text in texts {
                    let ids = sp.encode(text)
                    _ = sp.encodeAsPieces(text)
                    _ = try sp.decode(ids)
                }
                if (try? sp.decode([-1])) != nil || (try? sp.decode([Int.max])) != nil {
                    found.append("CONTRACT: decode accepted an id outside the vocabulary")
                }
            }
            return found + thrown
        })
    }

    static func config(_ seeds: [[UInt8]]) -> FuzzTarget {
        let mutator = jsonMutator(seeds, extraKeys: ["hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
                                                     "head_dim", "intermediate_size", "vocab_size", "rope_theta", "rms_norm_eps",
                                                     "max_position_embeddings", "tie_word_embeddings", "eos_token_id", "bos_token_id",
                                                     "pad_token_id", "torch_dtype", "rope_parameters", "added_tokens_decoder",
                                                     "chat_template", "model_max_length", "temperature", "top_p", "top_k", "content"])
        let readers: [(Data) throws -> Void] = [
            { try decodeJSONConfig(ERNIEConfig.self, from: $0, file: "config.json").validate(file: "config.json") },
            { try decodeJSONConfig(GenerationConfig.self, from: $0, file: "generation_config.json").validate(file: "generation_config.json") },
            { try decodeJSONConfig(TokenizerConfig.self, from: $0, file: "tokenizer_config.json").validate(file: "tokenizer_config.json") },
            { _ = try decodeJSONConfig(SpecialTokensMap.self, from: $0, file: "special_tokens_map.json") },
            { try decodeJSONConfig(AddedTokensFile.self, from: $0, file: "added_tokens.json").validate(file: "added_tokens.json") },
        ]
        // Every reader gets every kind of input (a tokenizer_config.json renamed to config.json must fail clearly too),
        // one reader per execution in turn; `replay` runs an input `replayRuns` times, so through all five.
        let turn = Turn()
        return FuzzTarget(name: "config", seeds: seeds, replayRuns: readers.count, mutate: { bytes, rng, donor in
            stackJSON(&bytes, rng: &rng, donor: donor, mutator: mutator, pretty: 0.5)
        }, execute: { bytes in
            turn.next += 1
            return messages { try readers[turn.next % readers.count](Data(bytes)) }
        })
    }

    static func lesson(_ seeds: [[UInt8]]) -> FuzzTarget {
        let mutator = MarkdownMutator()
        return FuzzTarget(name: "lesson", seeds: seeds, mutate: stacked { mutator.mutate(&$0, rng: &$1, donor: $2) }, execute: { bytes in
            messages {
                let doc = try LessonDocument(markdown: String(decoding: bytes, as: UTF8.self), path: "Lessons/en/fuzz.md")
                _ = doc.title
                for q in doc.quizzes { _ = q.isCorrect("a") }
                for c in doc.cells where doc.cell(id: c.id) == nil { throw FuzzError.contract("cell \(c.id) not found by its id") }
            }
        })
    }

    static func api(_ seeds: [[UInt8]]) -> FuzzTarget {
        let mutator = jsonMutator(seeds, extraKeys: ["choices", "text", "finish_reason", "logprobs", "tokens", "token_logprobs",
                                                     "top_logprobs", "text_offset", "content", "token", "logprob", "id", "bytes", "model"])
        return FuzzTarget(name: "api", seeds: seeds, mutate: { bytes, rng, donor in
            stackJSON(&bytes, rng: &rng, donor: donor, mutator: mutator, pretty: 0.3)
        }, execute: { bytes in
            messages { _ = try CompletionResponse.decode(Data(bytes), url: "http://127.0.0.1:8080/v1/completions") }
        })
    }
}

/// The config target's rotation through its readers.
final class Turn { var next = 0 }

enum FuzzError: Error, CustomStringConvertible {
    case unknownTarget(String)
    case noSeeds(target: String, root: String)
    case contract(String)

    var description: String {
        switch self {
        case .unknownTarget(let name):
            return "unknown fuzz target \"\(name)\". HINT: use one of \(FuzzTarget.names.joined(separator: ", ")) or all."
        case .noSeeds(let target, let root):
            return "no seed files for \(target) under \(root). HINT: run from the LMLab checkout or pass --root."
        case .contract(let what): return "CONTRACT: \(what)"
        }
    }
}
