// Corpus — the named text collections of the classic lessons (Lessons/data/, see its README.md).
//
// A corpus is a train file and, optionally, a held-out file: one sentence per line, blank lines between stories.
// English is split into lowercased words (WordTokenizer); Chinese into characters (CharTokenizer, spaces dropped),
// or into words with the generator's lexicon (ChineseLexicon, for word vectors: corpus stories-zh-words).
// The vocabulary is built from the training sentences only, so held-out text can contain <unk>.
import Foundation
import LabCore
import Tokenizers

/// Errors while loading a corpus; each message names the file and the fix.
public enum CorpusError: Error, CustomStringConvertible {
    case unknownName(String, known: [String])
    case unreadable(path: String, reason: String)
    case noHeldOut(String)

    public var description: String {
        switch self {
        case .unknownName(let n, let known):
            return Learner.text(
                "corpus '\(n)' is not known. HINT: use one of \(known.joined(separator: ", ")) (Lessons/data/README.md).",
                "没有叫 '\(n)' 的语料。HINT：用 \(known.joined(separator: "、")) 之一（见 Lessons/data/README.md）。")
        case .unreadable(let path, let reason):
            return Learner.text(
                "cannot read corpus file \(path): \(reason). HINT: run `python3 scripts/make_corpus.py` from the project root, or set LMLAB_HOME.",
                "读不了语料文件 \(path)：\(reason)。HINT：在项目根目录运行 `python3 scripts/make_corpus.py`，或设置 LMLAB_HOME。")
        case .noHeldOut(let n):
            return Learner.text(
                "corpus '\(n)' has no held-out split. HINT: use stories-en or stories-zh for perplexity and sparsity.",
                "语料 '\(n)' 没有留出集。HINT：算困惑度和稀疏度请用 stories-en 或 stories-zh。")
        }
    }
}

/// How a corpus is cut into tokens.
public enum CorpusTokenization: String, Sendable, Codable {
    /// Lowercased words and punctuation (WordTokenizer).
    case words
    /// One token per character, whitespace dropped (CharTokenizer).
    case characters
    /// Chinese words from the corpus's lexicon file, longest match first (ChineseLexicon).
    case lexiconWords = "lexicon-words"

    /// The tokens of `line`; `.lexiconWords` needs the corpus's lexicon (without one it falls back to characters,
    /// which is what a lexicon without a single matching word would give).
    public func split(_ line: String, lexicon: ChineseLexicon? = nil) -> [String] {
        switch self {
        case .words: return WordTokenizer.split(line, lowercase: true)
        case .characters: return line.filter { !$0.isWhitespace }.map(String.init)
        case .lexiconWords: return lexicon?.split(line) ?? line.filter { !$0.isWhitespace }.map(String.init)
        }
    }
}

/// A named corpus of Lessons/data/.
public struct CorpusSpec: Sendable, Equatable {
    public var name: String
    public var language: String
    public var trainFile: String
    public var heldOutFile: String?
    public var tokenization: CorpusTokenization
    /// The word list `.lexiconWords` cuts with, in the same folder.
    public var lexiconFile: String? = nil

    public static let all: [CorpusSpec] = [
        CorpusSpec(name: "stories-en", language: "en", trainFile: "stories.en.train.txt",
                   heldOutFile: "stories.en.heldout.txt", tokenization: .words),
        CorpusSpec(name: "stories-zh", language: "zh", trainFile: "stories.zh.train.txt",
                   heldOutFile: "stories.zh.heldout.txt", tokenization: .characters),
        CorpusSpec(name: "stories-zh-words", language: "zh", trainFile: "stories.zh.train.txt",
                   heldOutFile: "stories.zh.heldout.txt", tokenization: .lexiconWords, lexiconFile: "stories.zh.lexicon.txt"),
        CorpusSpec(name: "luna-en", language: "en", trainFile: "luna.en.txt", heldOutFile: nil, tokenization: .words),
        CorpusSpec(name: "luna-zh", language: "zh", trainFile: "luna.zh.txt", heldOutFile: nil, tokenization: .characters),
    ]

    public static func named(_ name: String) throws -> CorpusSpec {
        guard let s = all.first(where: { $0.name == name }) else {
            throw CorpusError.unknownName(name, known: all.map(\.name))
        }
        return s
    }
}

/// A loaded corpus: sentences as token strings.
public struct Corpus: Sendable {
    public var spec: CorpusSpec
    public var train: [[String]]
    public var heldOut: [[String]]
    /// Bytes of the train file.
    public var trainBytes: Int
    /// The word list of a `.lexiconWords` corpus.
    public var lexicon: ChineseLexicon?

    /// Reads `spec`'s files from `dataDirectory` (the project's Lessons/data).
    public init(_ spec: CorpusSpec, dataDirectory: URL) throws {
        self.spec = spec
        lexicon = try spec.lexiconFile.map { try ChineseLexicon(contentsOf: dataDirectory.appendingPathComponent($0)) }
        let (train, bytes) = try Self.read(dataDirectory.appendingPathComponent(spec.trainFile), spec.tokenization, lexicon)
        self.train = train
        self.trainBytes = bytes
        if let h = spec.heldOutFile {
            heldOut = try Self.read(dataDirectory.appendingPathComponent(h), spec.tokenization, lexicon).0
        } else {
            heldOut = []
        }
    }

    /// The tokens of a line of text, cut as this corpus's sentences were (prompts, queries).
    public func split(_ line: String) -> [String] {
        spec.tokenization.split(line, lexicon: lexicon)
    }

    /// Sentences of a file (non-empty lines), tokenized.
    static func read(_ url: URL, _ tokenization: CorpusTokenization, _ lexicon: ChineseLexicon?) throws -> ([[String]], Int) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CorpusError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        return (lines.map { tokenization.split(String($0), lexicon: lexicon) }.filter { !$0.isEmpty }, data.count)
    }

    /// The vocabulary of the training sentences (tokens seen fewer than `minCount` times read as <unk>).
    public func vocabulary(minCount: Int = 1) -> TokenVocabulary {
        TokenVocabulary.build(from: train, minCount: minCount)
    }

    /// Both splits as ids over `vocabulary` (tokens it lacks read as <unk>).
    public func ids(_ vocabulary: TokenVocabulary) -> (train: [[Int]], heldOut: [[Int]]) {
        (train.map { $0.map(vocabulary.idOrUnknown) }, heldOut.map { $0.map(vocabulary.idOrUnknown) })
    }

    /// The largest minimum count that still keeps `n` distinct training tokens: the n-th highest count (0 when the
    /// training text has fewer than n distinct tokens). What a --min-count may be at most.
    public func largestMinCount(keeping n: Int) -> Int {
        let counts = Dictionary(train.joined().map { ($0, 1) }, uniquingKeysWith: +).values.sorted(by: >)
        return counts.count >= n ? counts[n - 1] : 0
    }
}
