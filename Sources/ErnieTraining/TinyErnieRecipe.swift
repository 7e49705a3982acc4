// TinyErnieRecipe — how the shipped tiny ERNIE is made, as data: the model shape, the corpus files, the tokenizer
// size and the training settings that `lmlab train tiny-ernie` and `lmlab train tiny-instruct` use by default. The
// model cards (Models/tiny-ernie*/README.md) quote these numbers; change them here and the cards' commands change.

import Foundation
import ModelFiles
import Tokenizers

public enum TinyErnieRecipe {
    /// The tiny ERNIE's shape: hidden D, layers, query/KV heads (GQA), head dim, FFN width F, vocabulary V.
    public struct Shape: Codable, Equatable, Sendable {
        public var hidden = 192
        public var layers = 4
        public var heads = 4
        public var kvHeads = 2
        public var headDim = 48
        public var ffn = 512
        public var vocab = 3072
        public init() {}

        public init(hidden: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int, ffn: Int, vocab: Int) {
            (self.hidden, self.layers, self.heads, self.kvHeads) = (hidden, layers, heads, kvHeads)
            (self.headDim, self.ffn, self.vocab) = (headDim, ffn, vocab)
        }

        /// Bytes training this shape on `batch` sequences of `sequenceLength` tokens holds at its peak
        /// (`TinyErnie.trainingBytes`), known before the tokenizer is trained; nil when it does not fit in an Int.
        public func trainingBytes(batch: Int, sequenceLength: Int) -> Int? {
            TinyErnie.trainingBytes(TinyErnieRecipe.config(self, vocabSize: vocab), batch: batch, sequenceLength: sequenceLength)
        }
    }

    /// The tiny ERNIE MoE's routed blocks: E experts of width Fe, k chosen per token, S shared, layer 0 dense.
    /// Fe = 170 makes the active parameters equal to the dense tiny ERNIE's: a token runs k + S = 3 experts, and
    /// 3 · 3·D·170 + E·D (router) = 295,296 ≈ 3·D·512 = 294,912, the dense FFN of the same layer (+0.13 %).
    public struct MoEShape: Codable, Equatable, Sendable {
        public var experts = 8
        public var topK = 2
        public var shared = 1
        public var expertFFN = 170
        public var firstMoELayer = 1
        public init() {}

        public init(experts: Int, topK: Int, shared: Int, expertFFN: Int) {
            (self.experts, self.topK, self.shared, self.expertFFN) = (experts, topK, shared, expertFFN)
        }

        /// The config.json MoE keys for a model of `layers` layers.
        public func config(layers: Int) -> ERNIEMoEConfig {
            ERNIEMoEConfig(numExperts: experts, topK: topK, intermediateSize: expertFFN, numSharedExperts: shared,
                           layerStartIndex: firstMoELayer, layerEndIndex: layers - 1, layerInterval: 1, normMin: 1e-12)
        }
    }

    /// γ of the tiny MoE's correction-bias balancing (DeepSeek-V3's value, arXiv:2412.19437 §2.1.2).
    public static let biasUpdateRate: Float = 0.001

    /// The ernie4_5_moe config.json of `shape` with `moe`'s routed blocks (architectures Ernie4_5_MoeForCausalLM).
    public static func config(_ shape: Shape, moe: MoEShape, tokenizer: ErnieTokenizer) -> ERNIEConfig {
        var c = config(shape, tokenizer: tokenizer)
        c.modelType = "ernie4_5_moe"
        c.architectures = ["Ernie4_5_MoeForCausalLM"]
        c.moe = moe.config(layers: shape.layers)
        return c
    }

    /// max_position_embeddings of the tiny ERNIE: the longest training sequence and context.
    public static let contextLength = 4096

    /// The ERNIE-4.5 config.json of `shape` with the tokenizer's size and special ids.
    public static func config(_ shape: Shape, tokenizer: ErnieTokenizer) -> ERNIEConfig {
        var c = config(shape, vocabSize: tokenizer.count)
        c.bosTokenId = tokenizer.bosId ?? 1
        c.eosTokenIds = [tokenizer.eosId ?? 2]
        c.padTokenId = tokenizer.padId ?? 0
        return c
    }

    /// The config of `shape` over `vocabSize` tokens (ERNIE's own constants: θ = 500000, ε = 1e-5, tied, no bias,
    /// silu; special ids 1, 2, 0 until a tokenizer names its own).
    public static func config(_ shape: Shape, vocabSize: Int) -> ERNIEConfig {
        ERNIEConfig(hiddenSize: shape.hidden, numHiddenLayers: shape.layers, numAttentionHeads: shape.heads,
                    numKeyValueHeads: shape.kvHeads, headDim: shape.headDim, intermediateSize: shape.ffn,
                    vocabSize: vocabSize, maxPositionEmbeddings: contextLength, ropeTheta: 500000,
                    rmsNormEps: 1e-5, tieWordEmbeddings: true, useBias: false, dtype: "float32")
    }

    /// The bilingual story corpus (Lessons/data, written by scripts/make_corpus.py): train and held-out files.
    /// The stories, each language's pet stories right after its older ones (scripts/make_corpus.py): the course's
    /// first example needs a model that met cute pets and animals that can or cannot fly.
    public static let trainFiles = ["Lessons/data/stories.en.train.txt", "Lessons/data/stories.en.pets.train.txt",
                                    "Lessons/data/stories.zh.train.txt", "Lessons/data/stories.zh.pets.train.txt"]
    public static let heldoutFiles = ["Lessons/data/stories.en.heldout.txt", "Lessons/data/stories.en.pets.heldout.txt",
                                      "Lessons/data/stories.zh.heldout.txt", "Lessons/data/stories.zh.pets.heldout.txt"]
    /// Question/answer pairs for SFT (scripts/make_instruct_data.py).
    public static let instructTrain = "Models/tiny-ernie-instruct/data/train.jsonl"
    public static let instructHeldout = "Models/tiny-ernie-instruct/data/heldout.jsonl"

    /// Every story of `files` (relative to `root`), in file order.
    public static func stories(_ files: [String], root: URL) throws -> [String] {
        try files.flatMap { try TokenStream.stories(of: root.appendingPathComponent($0)) }
    }

    /// Trains the tokenizer on the training stories' lines and writes the tokenizer files into `folder`;
    /// returns the tokenizer loaded back from the folder (what the engine will use).
    public static func makeTokenizer(root: URL, folder: URL, vocabSize: Int) throws -> ErnieTokenizer {
        let lines = try stories(trainFiles, root: root).flatMap { $0.components(separatedBy: "\n") }
        let model = try TinyErnieTokenizer.train(lines: lines, vocabSize: vocabSize)
        try TinyErnieTokenizer.write(model, to: folder)
        return try ErnieTokenizer(folder: ModelFolder(url: folder))
    }

    /// Perplexity of a unigram model (token frequencies of `train`, add-one smoothed over `vocabSize`) on the
    /// counted targets of `batches` — the baseline the model card compares the tiny ERNIE with.
    public static func unigramPerplexity(train: [Int], vocabSize: Int, on batches: [TrainingBatch]) -> Double {
        var counts = [Double](repeating: 1, count: vocabSize)
        for t in train { counts[t] += 1 }
        let total = counts.reduce(0, +)
        var nll = 0.0, n = 0
        for b in batches { for t in b.targets where t != TrainingBatch.ignore { nll -= Foundation.log(counts[t] / total); n += 1 } }
        return Foundation.exp(nll / Double(max(1, n)))
    }
}
