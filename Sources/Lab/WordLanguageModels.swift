// WordLanguageModels — the lab's word-level neural LMs (Models/nnlm-stories-en, rnn-stories-en, gru-stories-en) as
// models that `prob` and `generate` read through the same `--model` and the same `LanguageModel` as ERNIE:
//
//   lmlab prob "the dog says woof ." --model rnn-stories-en --compare gru-stories-en
//   lmlab generate "once upon a time" --model gru-stories-en --max-new-tokens 20
//
// These models read words, not SentencePiece pieces: text is cut as their training corpus was (the checkpoint's
// "corpus" metadata; stories-en: lowercased words and punctuation), a word outside the vocabulary reads as <unk>,
// and every sentence runs from <s> to </s>, as in training — so prob scores the sentence's end too, as lesson 4's
// n-gram ledger does.

import ClassicLMs
import Decoding
import Foundation
import LabCore
import ModelFiles
import NeuralLMs
import Tokenizers

/// A word-level neural LM with the vocabulary and the word splitting of its training corpus.
public struct WordLanguageModel {
    /// An `NNLM` or a `RecurrentLM` (Elman RNN or GRU).
    public let model: any LanguageModel
    public let tokens: TokenVocabulary
    /// The training corpus's name ("stories-en").
    public let corpus: String
    private let tokenization: CorpusTokenization
    private let lexicon: ChineseLexicon?
    private let dataDirectory: URL

    /// The kinds (LabModelKind tags) this type reads.
    public static let kinds: Set<String> = ["nnlm", "rnn", "gru"]

    /// Loads the checkpoint `file` (kind nnlm, rnn or gru) and its corpus's splitting from `dataDirectory`.
    /// - Throws: the checkpoint's error naming the file, or `ModelLoadError` for a corpus the lab does not know.
    public init(file: URL, dataDirectory: URL) throws {
        let kind = LabModelKind.of(file: file)?.tag ?? ""
        let checkpoint = try NeuralCheckpoint(contentsOf: file, kind: kind)
        if kind == "nnlm" {
            let nnlm = try NNLM(checkpoint: checkpoint)
            (model, tokens) = (nnlm, nnlm.tokens)
        } else {
            let rnn = try RecurrentLM(checkpoint: checkpoint)
            (model, tokens) = (rnn, rnn.tokens)
        }
        corpus = checkpoint.metadata["corpus"] ?? "stories-en"
        let spec: CorpusSpec
        do { spec = try CorpusSpec.named(corpus) } catch {
            throw ModelLoadError(Learner.text(
                "\(file.path): its metadata names the corpus \"\(corpus)\", which the lab does not know, so text cannot be cut into its words. HINT: use a model trained by `lmlab train nnlm|rnn|gru`.",
                "\(file.path)：元数据里的语料 \"\(corpus)\" 实验室不认识，无法把文本切成它的词。HINT：使用 `lmlab train nnlm|rnn|gru` 训练出的模型。"))
        }
        tokenization = spec.tokenization
        self.dataDirectory = dataDirectory
        lexicon = try spec.lexiconFile.map { try ChineseLexicon(contentsOf: dataDirectory.appendingPathComponent($0)) }
    }

    /// N, the words an NNLM reads (nil for the recurrent models, which read the whole sentence).
    public var contextSize: Int? { (model as? NNLM)?.config.contextSize }

    /// The training corpus (Lessons/data), for the counting models beside this one.
    public func trainingCorpus() throws -> Corpus { try Corpus(CorpusSpec.named(corpus), dataDirectory: dataDirectory) }

    /// The words of `text` as the corpus cuts them, and their ids (<unk> for a word outside the vocabulary).
    public func words(_ text: String) -> (words: [String], ids: [Int]) {
        let words = tokenization.split(text, lexicon: lexicon)
        return (words, words.map(tokens.idOrUnknown))
    }

    /// `text` as a whole sentence, <s> … </s>, with the ledger's header line (naming the words read as <unk>).
    public func sentenceIds(_ text: String) -> (ids: [Int], convention: String) {
        let (words, ids) = words(text)
        let unknown = zip(words, ids).filter { $0.1 == tokens.unknownId }.map(\.0)
        var convention = Learner.text(
            "\(model.name), words of \(corpus): <s> first and </s> last, so every word and the sentence's end are scored (as in training)",
            "\(model.name)，\(corpus) 的词：前加 <s>、后加 </s>，每个词和句子的结尾都计分（与训练时一样）")
        if !unknown.isEmpty {
            convention += "\n" + Learner.text("outside the vocabulary, read as <unk>: ", "不在词表里、按 <unk> 读：")
                + unknown.joined(separator: " ")
        }
        return ([tokens.beginId] + ids + [tokens.endId], convention)
    }

    /// `ids` given on the command line, checked against the vocabulary.
    /// - Throws: `ModelLoadError` naming the first id outside 0..<V.
    public func checkedIds(_ ids: [Int]) throws -> [Int] {
        if let bad = ids.first(where: { $0 >= tokens.count }) {
            throw ModelLoadError(Learner.text(
                "--ids: \(bad) is not a token of \(model.name), whose vocabulary has ids 0…\(tokens.count - 1). HINT: give ids below \(tokens.count), or a TEXT.",
                "--ids：\(bad) 不是 \(model.name) 的词元，它的词表 id 是 0…\(tokens.count - 1)。HINT：给出小于 \(tokens.count) 的 id，或给一段 TEXT。"))
        }
        return ids
    }

    /// The ledgers of `prob`: TEXT as a whole sentence (or `ids` as given) under this model and, beside it, under
    /// `compare`, which must read the same vocabulary; with the header line of the ledger.
    /// - Throws: `ModelLoadError` when the vocabularies differ or an id is out of range.
    public func scores(text: String?, ids: [Int]?, compare: WordLanguageModel?,
                       givenIdsConvention: ([Int]) -> String) throws -> (SentenceScore, SentenceScore?, convention: String) {
        if let compare, compare.tokens != tokens {
            throw ModelLoadError(Learner.text(
                "--compare \(compare.model.name) reads another vocabulary than \(model.name) (\(compare.tokens.count) vs \(tokens.count) words), so the same ids mean different words. HINT: compare models trained on the same corpus.",
                "--compare \(compare.model.name) 的词表与 \(model.name) 不同（\(compare.tokens.count) 对 \(tokens.count) 个词），同一个 id 代表不同的词。HINT：比较在同一语料上训练的模型。"))
        }
        let (sequence, convention) = try ids.map { (try checkedIds($0), givenIdsConvention($0)) } ?? sentenceIds(text ?? "")
        let first = try SentenceScore.score(sequence, with: model, pieces: tokens.piece)
        let second = try compare.map { try SentenceScore.score(sequence, with: $0.model, pieces: tokens.piece) }
        return (first, second, convention)
    }

    /// A prompt to continue: <s> and the words of `text` (the sentence is left open).
    public func promptIds(_ text: String) -> [Int] { [tokens.beginId] + words(text).ids }

    /// Ids as text: the words joined by spaces (characters of a Chinese corpus joined directly), <s> left out.
    public func text(_ ids: [Int]) -> String {
        let pieces = ids.filter { $0 != tokens.beginId }.map(tokens.piece)
        return pieces.joined(separator: tokenization == .words ? " " : "")
    }
}

extension ModelLoader {
    /// The word-level neural LM that `argument` names (a session name, a folder or model.safetensors path, or a name
    /// found under Models/ such as rnn-stories-en), or nil when it names something else — an ERNIE-format model,
    /// which `load` reads, or nothing, which `load` reports.
    /// - Throws: the checkpoint's own error, or `ModelLoadError` outside a project (the corpus files are needed).
    public static func wordModel(_ argument: String, locator given: ModelLocator? = nil) throws -> WordLanguageModel? {
        let resolved = SessionModels.shared.resolve(argument)
        let url = ProjectPaths.fileURL(resolved)
        var file: URL?
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            file = url
        } else {
            do { _ = try folder(resolved, locator: given) } catch ModelLocatorError.otherKind(let path, let kind)
                where WordLanguageModel.kinds.contains(kind.tag) {
                file = URL(fileURLWithPath: path).appendingPathComponent("model.safetensors")
            } catch {
                return nil
            }
        }
        guard let file, let kind = LabModelKind.of(file: file), WordLanguageModel.kinds.contains(kind.tag) else { return nil }
        guard let root = ProjectPaths.root() else {
            throw ModelLoadError(Learner.text(
                "\(argument): a word-level model needs its corpus's files under Lessons/data, and no project folder was found. HINT: ",
                "\(argument)：词级模型需要 Lessons/data 下的语料文件，但找不到项目文件夹。HINT：") + ProjectPaths.howToFind)
        }
        return try WordLanguageModel(file: file, dataDirectory: root.appendingPathComponent("Lessons/data"))
    }
}

extension ModelLoader {
    /// The word-level models `names` name (`nnlm order|window`'s --model and every --compare).
    /// - Throws: `OptionError` for a name that is not one of the lab's word-level models.
    public static func wordModels(_ names: [String]) throws -> [WordLanguageModel] {
        try names.map { name in
            guard let model = try wordModel(name) else {
                throw OptionError(Learner.text(
                    "--model/--compare \(name): not one of the lab's word-level models. HINT: use nnlm-stories-en, "
                        + "rnn-stories-en or gru-stories-en.",
                    "--model/--compare \(name)：不是实验室的词级模型。HINT：用 nnlm-stories-en、rnn-stories-en 或 gru-stories-en。"))
            }
            return model
        }
    }
}
