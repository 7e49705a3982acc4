// Word2VecModel — word2vec's settings and its two tables of vectors (Mikolov et al., 2013,
// https://arxiv.org/abs/1301.3781 and https://arxiv.org/abs/1310.4546).
//
// Every word w has an input vector v_w (the C tool's syn0, gensim's `wv`: the embedding people use) and an
// output vector u_w (syn1neg), both D floats. Training (Word2VecTraining.swift) moves them so that u_c · v_w is
// high for words seen together and low for random pairs; queries (Word2VecQueries.swift) read the v_w.
//
// Shapes: V = vocabulary size, D = dimension, P = D rounded up to 16 (row stride, zero padding; Word2VecKernels).
// Saved as one safetensors file: "input" [V, D] and "output" [V, D] (F32), "counts" [V] (I64), and in the
// metadata "words" (a JSON array, id order) and "config" (this file's Word2VecConfig as JSON).
import Foundation
import LabCore
import ModelFiles

/// Errors of word2vec settings and files; each names the setting or file and the fix.
public enum Word2VecError: Error, CustomStringConvertible, Equatable {
    case invalidSetting(name: String, value: String, hint: String)
    case badFile(path: String, reason: String)
    case unknownWord(String)

    public var description: String {
        switch self {
        case .invalidSetting(let name, let value, let hint):
            return Learner.text("word2vec setting \(name) = \(value) is not allowed. HINT: \(hint)",
                                "word2vec 设置 \(name) = \(value) 不可用。HINT：\(hint)")
        case .badFile(let path, let reason):
            return Learner.text(
                "cannot use word2vec file \(path): \(reason). HINT: write it again with `lmlab embed train --save \(path)`.",
                "用不了 word2vec 文件 \(path)：\(reason)。HINT：用 `lmlab embed train --save \(path)` 重新写一份。")
        case .unknownWord(let w):
            return Learner.text(
                "'\(w)' is not in the word2vec vocabulary. HINT: words seen fewer than --min-count times are "
                    + "dropped; English words are lowercased.",
                "'\(w)' 不在 word2vec 的词表里。HINT：出现次数少于 --min-count 的词会被丢掉；英文词都转成了小写。")
        }
    }
}

/// The settings of a word2vec run, named as in gensim's `Word2Vec(...)` where one exists.
public struct Word2VecConfig: Sendable, Codable, Equatable {
    public enum Architecture: String, Sendable, Codable, CaseIterable {
        /// Skip-gram: each context word's input vector predicts the centre word (gensim `sg=1`).
        case skipGram = "skipgram"
        /// Continuous bag of words: the mean of the context's input vectors predicts the centre word (`sg=0`,
        /// `cbow_mean=1`).
        case cbow
    }
    public var architecture: Architecture = .skipGram
    /// D, the length of every vector (`vector_size`).
    public var dimension = 100
    /// Largest distance between centre and context word; each centre draws its own window 1…window (`window`).
    public var window = 5
    /// Negative samples per positive pair (`negative`).
    public var negative = 5
    /// Passes over the text (`epochs`).
    public var epochs = 5
    /// Words seen fewer times are dropped (`min_count`).
    public var minCount = 5
    /// Subsampling threshold s (`sample`; 0 = off). See `Word2VecVocabulary.keepProbability`.
    public var sample = 1e-3
    /// Learning rate at the start (`alpha`), falling linearly to `minAlpha` (`min_alpha`) at the end of the run.
    public var alpha = 0.025
    public var minAlpha = 0.0001
    /// Worker threads (`workers`).
    public var threads = 2
    /// Seed of the initial vectors and of every random draw (`seed`).
    public var seed: UInt64 = 1
    /// Words per chunk: the unit of work a thread takes, and of progress reports and Ctrl-C checks
    /// (gensim's `batch_words`).
    public var chunkWords = 10_000

    public init() {}

    /// Checks every setting; the error names the first bad one.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ en: String, _ zh: String) -> Word2VecError {
            .invalidSetting(name: name, value: "\(value)", hint: Learner.text(en, zh))
        }
        guard (1...4096).contains(dimension) else {
            throw bad("dimension", dimension, "use 1…4096 (100 is usual).", "用 1…4096（常用 100）。")
        }
        guard window >= 1 else { throw bad("window", window, "use ≥ 1 (5 is usual).", "用 ≥ 1 的值（常用 5）。") }
        guard (1...64).contains(negative) else {
            throw bad("negative", negative, "use 1…64 (5–15 is usual).", "用 1…64（常用 5–15）。")
        }
        guard epochs >= 1 else { throw bad("epochs", epochs, "use ≥ 1.", "用 ≥ 1 的值。") }
        guard minCount >= 1 else { throw bad("minCount", minCount, "use ≥ 1.", "用 ≥ 1 的值。") }
        guard sample >= 0 && sample < 1 else {
            throw bad("sample", sample, "use 0 (off) or a small threshold such as 1e-3.", "用 0（关闭）或一个小阈值，例如 1e-3。")
        }
        guard alpha > 0 else {
            throw bad("alpha", alpha, "use a positive learning rate (0.025 is usual).", "用正的学习率（常用 0.025）。")
        }
        guard minAlpha >= 0 && minAlpha <= alpha else {
            throw bad("minAlpha", minAlpha, "use 0 ≤ minAlpha ≤ alpha.", "取 0 ≤ minAlpha ≤ alpha。")
        }
        guard (1...256).contains(threads) else { throw bad("threads", threads, "use 1…256.", "用 1…256。") }
        guard chunkWords >= 1 else {
            throw bad("chunkWords", chunkWords, "use ≥ 1 (10000 is usual).", "用 ≥ 1 的值（常用 10000）。")
        }
    }
}

extension Word2VecConfig {
    /// The settings of `lmlab embed`'s options, checked: each error names the option and the fix. `validate()` checks
    /// D, negatives, threads, sample and min-alpha; this also bounds what it leaves open (window, epochs, alpha).
    /// - Throws: `OptionError` naming the first option no run could use.
    public init(architecture: String, dimension: Int, window: Int, negative: Int, epochs: Int, minCount: Int,
                sample: Double, alpha: Double, minAlpha: Double, threads: Int, seed: UInt64) throws(OptionError) {
        guard let a = Architecture(rawValue: architecture) else {
            throw OptionError(Learner.text("--arch '\(architecture)' is not known. HINT: use skipgram or cbow.",
                                           "不认识 --arch '\(architecture)'。HINT：用 skipgram 或 cbow。"))
        }
        try OptionCheck.range("--window", window, 1...1000)
        try OptionCheck.range("--epochs", epochs, 1...10_000)
        guard minCount >= 1 else {
            throw OptionError(Learner.text("--min-count \(minCount): must be at least 1. HINT: 5 is usual.",
                                           "--min-count \(minCount)：至少要是 1。HINT：常用 5。"))
        }
        try OptionCheck.positive("--alpha", alpha, maximum: 1, hint: Learner.text("0.025 is usual.", "常用 0.025。"))
        self.init()
        (self.architecture, self.dimension, self.window, self.negative) = (a, dimension, window, negative)
        (self.epochs, self.minCount, self.sample) = (epochs, minCount, sample)
        (self.alpha, self.minAlpha, self.threads, self.seed) = (alpha, minAlpha, threads, seed)
        do { try validate() } catch { throw OptionError("\(error)") }
    }
}

/// The vocabulary and both vector tables of a word2vec model.
///
/// A class because training threads share it: they update the same rows without locks ("Hogwild", as the C tool
/// and gensim do; Recht et al., 2011, https://arxiv.org/abs/1106.5730). Rows touched by two threads at once may
/// lose an update — rare, and harmless to SGD — so a run with 2 threads is not bit-reproducible; 1 thread is.
public final class Word2VecModel: @unchecked Sendable {
    public let vocabulary: Word2VecVocabulary
    public let config: Word2VecConfig
    /// D.
    public var dimension: Int { config.dimension }
    /// P: the row stride, D rounded up to 16.
    public let padded: Int
    /// v (syn0): input vectors [V, P], the embeddings.
    let input: UnsafeMutablePointer<Float>
    /// u (syn1neg): output vectors [V, P].
    let output: UnsafeMutablePointer<Float>

    /// A new model: input vectors uniform in [−0.5, 0.5) / D (the C tool's and gensim's start), output vectors 0.
    public init(vocabulary: Word2VecVocabulary, config: Word2VecConfig) {
        self.vocabulary = vocabulary
        self.config = config
        padded = paddedWidth(config.dimension)
        let n = vocabulary.count * padded
        input = .allocate(capacity: n)
        input.initialize(repeating: 0, count: n)
        output = .allocate(capacity: n)
        output.initialize(repeating: 0, count: n)
        var rng = SeededRNG(seed: config.seed)
        let d = Float(config.dimension)
        for w in 0..<vocabulary.count {
            for i in 0..<config.dimension { input[w * padded + i] = (Float(rng.nextDouble()) - 0.5) / d }
        }
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// The input vector (embedding) of word `id` [D].
    public func inputVector(_ id: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: input + id * padded, count: dimension))
    }

    /// The output vector of word `id` [D].
    public func outputVector(_ id: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: output + id * padded, count: dimension))
    }

    /// Overwrites the input and output vectors of word `id` (tests and loading).
    public func setVectors(_ id: Int, input v: [Float], output u: [Float]) {
        precondition(v.count == dimension && u.count == dimension)
        for i in 0..<dimension { input[id * padded + i] = v[i]; output[id * padded + i] = u[i] }
    }

    /// The embedding of `word`, or nil if it is not in the vocabulary.
    public func vector(of word: String) -> [Float]? { vocabulary.id(of: word).map(inputVector) }

    // MARK: - Files

    /// Writes the model as safetensors (see the file comment).
    public func save(to url: URL) throws {
        let v = vocabulary.count
        var inputRows: [Float] = [], outputRows: [Float] = []
        inputRows.reserveCapacity(v * dimension)
        outputRows.reserveCapacity(v * dimension)
        for w in 0..<v { inputRows += inputVector(w); outputRows += outputVector(w) }
        let words = String(decoding: try JSONEncoder().encode(vocabulary.words), as: UTF8.self)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys          // the same vectors, the same file, byte for byte
        let config = String(decoding: try encoder.encode(self.config), as: UTF8.self)
        var writer = SafetensorsWriter(metadata: ["format": "lmlab-word2vec", "words": words, "config": config])
        try writer.add("input", floats: inputRows, shape: [v, dimension], as: .f32)
        try writer.add("output", floats: outputRows, shape: [v, dimension], as: .f32)
        try writer.add("counts", int64s: vocabulary.counts.map(Int64.init), shape: [v])
        try writer.write(to: url)
    }

    /// Reads a model written by `save(to:)`.
    public static func load(from url: URL) throws -> Word2VecModel {
        let file = try SafetensorsFile(url: url)
        func bad(_ reason: String) -> Word2VecError { .badFile(path: url.path, reason: reason) }
        guard let wordsText = file.metadata["words"], let configText = file.metadata["config"] else {
            throw bad("the metadata has no \"words\" or \"config\" (not an lmlab word2vec file)")
        }
        let words = try JSONDecoder().decode([String].self, from: Data(wordsText.utf8))
        let config = try JSONDecoder().decode(Word2VecConfig.self, from: Data(configText.utf8))
        let counts = try file.tensor("counts").int64s().map(Int.init)
        let inputRows = try file.tensor("input").floats()
        let outputRows = try file.tensor("output").floats()
        let (v, d) = (words.count, config.dimension)
        guard v > 0, counts.count == v, inputRows.count == v * d, outputRows.count == v * d else {
            throw bad("\(v) words, \(counts.count) counts, \(inputRows.count) input and \(outputRows.count) output "
                      + "floats do not fit D = \(d)")
        }
        let model = Word2VecModel(vocabulary: Word2VecVocabulary(words: words, counts: counts, sample: config.sample),
                                  config: config)
        for w in 0..<v {
            model.setVectors(w, input: Array(inputRows[w * d ..< (w + 1) * d]),
                             output: Array(outputRows[w * d ..< (w + 1) * d]))
        }
        return model
    }
}
