// GenerationRemote — `generate --api`: the same decoding over an OpenAI-compatible server, which answers with the
// top log-probabilities of each step (RemoteLanguageModel), this model's tokenizer turning ids into text and back;
// and the summary a beam search prints above its tree.
import Decoding
import Foundation
import LabCore

extension LoadedModel {
    /// The model behind the server at `api`, asked for the `top` log-probabilities of each step; `name` is the model
    /// as the learner named it, for the error.
    /// - Throws: `ModelLoadError` when the folder has no tokenizer (ids cannot become the server's text).
    public func remote(api: String, top: Int, name: String) throws -> RemoteLanguageModel {
        guard let tokenizer else {
            throw ModelLoadError(Learner.text(
                "\(name): --api needs the model's tokenizer files to turn ids into text and back. HINT: point --model at the folder the server's model came from.",
                "\(name)：--api 需要模型的分词器文件，才能把 id 和文本互相转换。HINT：让 --model 指向服务器上那个模型的来源文件夹。"))
        }
        return RemoteLanguageModel(client: try CompletionsClient(api), name: api, vocabulary: model.vocabulary,
                                   tokenizer: tokenizer, endTokens: model.endTokens, top: top)
    }
}

public enum BeamReport {
    /// The settings and the finished sequences, best first: score, new ids and the whole text.
    public static func summary(_ result: BeamSearchResult, settings s: BeamSearchSettings, prompt: [Int],
                               text: ([Int]) -> String) -> String {
        let stopping: String = switch s.earlyStopping { case .true: "是"; case .false: "否"; case .never: "从不" }
        var lines = [Learner.text("beam search: \(s.beams) beams, length penalty \(s.lengthPenalty), early stopping "
                                      + "\(s.earlyStopping.rawValue), \(result.tree.nodes.count - 1) candidates ranked",
                                  "束搜索：\(s.beams) 个束，长度惩罚 \(s.lengthPenalty)，提前停止：\(stopping)，"
                                      + "共比较 \(result.tree.nodes.count - 1) 个候选")]
        lines += ranked(result, prompt: prompt, showIds: true, text: text)
        return lines.joined(separator: "\n")
    }

    /// One line per sequence, best first: "1. score −2.3456  " (the new ids with `showIds`) and the text; a beam
    /// still running (a search cancelled before its end) is marked so.
    public static func ranked(_ result: BeamSearchResult, prompt: [Int], showIds: Bool,
                              text: ([Int]) -> String) -> [String] {
        result.sequences.enumerated().map { i, h -> String in
            let score = Learner.text("score", "得分") + " " + OutputLayout.number(Double(h.score), 4)
            let running = result.tree.nodes[h.node].status == .kept ? Learner.text("  (running)", "（未完成）") : ""
            return "\(i + 1). \(score)  " + (showIds ? "\(h.ids)  " : "")
                + VisibleText.escapingControls(text(prompt + h.ids), keepingNewlines: true) + running  // no ESC shown
        }
    }

    /// The line above the beams a search had when Ctrl-C stopped it after `steps` of at most `limit` steps.
    public static func cancelled(after steps: Int, of limit: Int) -> String {
        steps == 0
            ? Learner.text("beam search cancelled (\(Cancellation.reason)) before its first step: no beams yet.",
                           "束搜索在第一步之前被取消（\(Cancellation.reason)）：还没有束。")
            : Learner.text("beam search cancelled (\(Cancellation.reason)) after step \(steps) of at most \(limit); "
                               + "the beams so far, best first:",
                           "束搜索在第 \(steps) 步之后被取消（\(Cancellation.reason)；最多 \(limit) 步）；目前的束，从好到差：")
    }
}
