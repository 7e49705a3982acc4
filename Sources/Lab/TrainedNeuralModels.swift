// TrainedNeuralModels — the lab's trained neural models as the query commands read them (`lmlab nnlm`, `rnn`,
// `seq2seq`): the checkpoint that --model names, else the shipped Models/<name>, or the one trained earlier in this
// session (TrainedModelFolder.checkpointFile).
import ClassicLMs
import Foundation
import LabCore
import ModelFiles
import NeuralLMs

public enum TrainedNeuralModels {
    /// The translator `given` names (default Models/<defaultName>), and the name messages call it by: --model as
    /// given, or the file read.
    public static func seq2seq(_ given: String?, defaultName: String = "seq2seq-numbers",
                               trainCommand: String = "train seq2seq") throws -> (translator: Seq2Seq, name: String) {
        let file = try TrainedModelFolder.checkpointFile(given, defaultName: defaultName, trainCommand: trainCommand)
        return (try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: file, kind: "seq2seq")), given ?? file.path)
    }

    /// The Elman RNN or GRU `given` names (default Models/gru-stories-en), its kind read from the file.
    public static func recurrent(_ given: String?) throws -> RecurrentLM {
        let file = try TrainedModelFolder.checkpointFile(given, defaultName: "gru-stories-en",
                                                         trainCommand: "train gru")
        let kind = LabModelKind.of(file: file)?.tag == "rnn" ? "rnn" : "gru"
        return try RecurrentLM(checkpoint: NeuralCheckpoint(contentsOf: file, kind: kind))
    }

    /// `nnlm prob`: `sentence` under the NNLM `given` names (default Models/nnlm-stories-en), beside the trigram
    /// MLE model of the corpus it was trained on.
    public static func nnlmComparison(_ sentence: String, model given: String?) throws -> NNLMComparison {
        let file = try TrainedModelFolder.checkpointFile(given, defaultName: "nnlm-stories-en",
                                                         trainCommand: "train nnlm")
        let checkpoint = try NeuralCheckpoint(contentsOf: file, kind: "nnlm")
        return try NNLMComparison(sentence, nnlm: try NNLM(checkpoint: checkpoint),
                                  corpus: try Corpus.lesson(checkpoint.metadata["corpus"] ?? "stories-en"))
    }

    /// `seq2seq translate`: English number words (split at spaces and hyphens, any case) translated by `translator`.
    /// - Throws: `OptionError`, before anything is printed, when `alignment` is asked of the twin without attention
    ///   (it has no weights to show) or a word is not a number word.
    public static func translate(_ words: String, with translator: Seq2Seq, name: String,
                                 alignment: Bool) throws(OptionError) -> Translation {
        if alignment && translator.attention == nil {
            throw OptionError(Learner.text(
                "--show-alignment: \(name) is the translator without attention (its decoder reads only the encoder's "
                    + "final states), so it has no attention weights to show. HINT: leave out --show-alignment, or use "
                    + "--model Models/seq2seq-numbers.",
                "--show-alignment：\(name) 是没有注意力的翻译器（解码器只读编码器的最终状态），没有注意力权重可显示。"
                    + "HINT：去掉 --show-alignment，或使用 --model Models/seq2seq-numbers。"))
        }
        let source = words.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        let unknown = source.filter { translator.sourceVocabulary.id(of: $0) == nil }
        guard unknown.isEmpty else {
            let hint = unknown.contains("zero")
                ? Learner.text("the translator learned the numbers 1 … 9999, so zero is not among its words",
                               "翻译器学的是 1 … 9999 这些数，zero 不在它的词里")
                : unknown.contains("and")
                ? Learner.text("leave out \"and\", as in \"three hundred forty two\"", "去掉 \"and\"，写成 \"three hundred forty two\" 这样")
                : Learner.text("write the number in words, e.g. \"three thousand four hundred five\"",
                               "用英文单词写出数字，例如 \"three thousand four hundred five\"")
            throw OptionError(Learner.text("not number words: \(unknown.joined(separator: ", ")). HINT: \(hint).",
                                           "这些不是数字词：\(unknown.joined(separator: "、"))。HINT：\(hint)。"))
        }
        return translator.translate(source)
    }

    /// `seq2seq translate --json`.
    public struct TranslationJSON: Encodable {
        public let source: [String]
        public let output: [String]
        public let alignment: [[Float]]

        public init(_ t: Translation) { (source, output, alignment) = (t.source, t.output, t.alignment) }
    }
}

extension Corpus {
    /// The lesson corpus `name` (`lmlab corpus list`), read from the project's Lessons/data.
    /// - Throws: `OptionError` outside a project; the corpus's own error for an unknown name or a file it cannot read.
    public static func lesson(_ name: String) throws -> Corpus {
        let spec = try CorpusSpec.named(name)
        return try Corpus(spec, dataDirectory: ProjectPaths.requiredRoot().appendingPathComponent("Lessons/data"))
    }

    /// `corpus list --json`: one row per corpus (the keys are a contract).
    public struct ListRow: Encodable {
        public let name, language, train: String
        public let heldout: String?
        public let tokenization: String
    }

    public static var listRows: [ListRow] {
        CorpusSpec.all.map { ListRow(name: $0.name, language: $0.language, train: $0.trainFile, heldout: $0.heldOutFile,
                                     tokenization: $0.tokenization.rawValue) }
    }
}
