// LabModelKind — the lab's own non-ERNIE model files, told apart by their safetensors metadata, so `--model` given
// one of them says what it is and which command reads it instead of "not found" or "missing config.json".
//
//   Models/nnlm-stories-en/model.safetensors       {"kind": "nnlm", …}      NeuralLMs' NeuralCheckpoint
//   Models/rnn-stories-en, gru-stories-en           {"kind": "rnn"|"gru"}
//   Models/seq2seq-numbers                          {"kind": "seq2seq"}
//   Models/word2vec-stories-en/vectors.safetensors  {"format": "lmlab-word2vec"}   ClassicLMs' Word2VecModel

import Foundation
import LabCore

/// A model of the lab that is not in the ERNIE (Hugging Face) layout, and the command that reads it.
public struct LabModelKind: Equatable, Sendable {
    /// The metadata value: "nnlm", "rnn", "gru", "seq2seq", "lmlab-word2vec".
    public let tag: String
    /// What it is, for messages: "an NNLM (neural n-gram LM)"; `chinese` the same in Chinese.
    public let summary: String
    public let chinese: String
    /// The command that reads it, with the path in place: "lmlab nnlm prob \"…\" --model PATH".
    public let command: String

    /// `summary` in the learner's language.
    public var described: String { Learner.text(summary, chinese) }

    static let known: [LabModelKind] = [
        LabModelKind(tag: "nnlm", summary: "an NNLM (Bengio's neural n-gram LM) model",
                     chinese: "一个 NNLM（Bengio 的神经 n 元语言模型）", command: "lmlab nnlm prob \"…\" --model PATH"),
        LabModelKind(tag: "rnn", summary: "an Elman RNN LM model", chinese: "一个 Elman RNN 语言模型",
                     command: "lmlab rnn vanishing --rnn PATH"),
        LabModelKind(tag: "gru", summary: "a GRU LM model", chinese: "一个 GRU 语言模型", command: "lmlab rnn vanishing --gru PATH"),
        LabModelKind(tag: "seq2seq", summary: "a seq2seq (GRU encoder–decoder) model",
                     chinese: "一个 seq2seq（GRU 编码器–解码器）模型", command: "lmlab seq2seq translate \"…\" --model PATH"),
        LabModelKind(tag: "lmlab-word2vec", summary: "word2vec vectors", chinese: "word2vec 词向量",
                     command: "lmlab embed neighbors WORD --model PATH"),
    ]

    /// The kind of a safetensors file written by the lab's NeuralLMs or ClassicLMs; nil for anything else
    /// (including files that cannot be read: the caller's own loading reports those).
    public static func of(file url: URL) -> LabModelKind? {
        guard url.pathExtension == "safetensors", let file = try? SafetensorsFile(url: url) else { return nil }
        let tag = file.metadata["kind"] ?? file.metadata["format"]
        return known.first { $0.tag == tag }
    }

    /// The kind of the first lab model file directly inside `folder`, if any.
    public static func of(folder: URL) -> LabModelKind? {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.sorted { $0.lastPathComponent < $1.lastPathComponent }.lazy.compactMap { of(file: $0) }.first
    }
}
