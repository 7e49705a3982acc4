// GenerateRequest — what `lmlab generate` was asked (a prompt, a strategy and its settings, the weights' precision,
// a chat turn, a server) checked for options that do not go together, then run on whichever model --model names:
// the local ERNIE weights, a server (--api) read through the local tokenizer, or a word-level neural LM.
import Decoding
import ERNIE
import Foundation
import LabCore

public struct GenerateRequest {
    public var prompt: PromptSpec
    public var settings: Generation.Settings
    public var api: APISettings?
    public var precision: WeightPrecision
    /// Whether any of --temperature/--top-k/--top-p/--min-p/--seed was given.
    public var samplingGiven: Bool
    /// Whether any beam search option was given.
    public var beamGiven: Bool

    public init(prompt: PromptSpec, settings: Generation.Settings, api: APISettings?,
                precision: WeightPrecision = .asStored, samplingGiven: Bool = false, beamGiven: Bool = false) {
        (self.prompt, self.settings, self.api) = (prompt, settings, api)
        (self.precision, self.samplingGiven, self.beamGiven) = (precision, samplingGiven, beamGiven)
    }

    /// - Throws: `OptionError` naming the options that do not go together.
    public func check() throws {
        if api != nil && precision != .asStored {
            throw OptionError(Learner.text(
                "--precision sets the local weights; with --api the server decodes. Leave out one of them.",
                "--precision 设置的是本地权重；用 --api 时由服务器解码。去掉其中一个。"))
        }
        if settings.chat && (prompt.ids != nil || prompt.bos) {
            throw OptionError(Learner.text(
                "--chat builds the prompt from TEXT with the chat template; leave out --ids and --bos",
                "--chat 用对话模板从 TEXT 构建提示词；去掉 --ids 和 --bos"))
        }
        if samplingGiven && settings.strategy != .sample {
            throw OptionError(Learner.text(
                "--temperature/--top-k/--top-p/--min-p/--seed apply to --strategy sample only",
                "--temperature/--top-k/--top-p/--min-p/--seed 只用于 --strategy sample"))
        }
        if beamGiven && settings.strategy != .beam {
            throw OptionError(Learner.text(
                "--beams/--num-return/--length-penalty/--early-stopping apply to --strategy beam only",
                "--beams/--num-return/--length-penalty/--early-stopping 只用于 --strategy beam"))
        }
    }

    /// Decodes (Generation.run), greedy and sampling streamed to `emit` after a line saying what a server changes.
    /// - Throws: `OptionError` for options a word-level model does not take; what loading and decoding throw.
    public func run(emit: ((StreamedOutput) -> Void)?)
        throws -> (json: any Encodable, beam: (summary: String, tree: OutputBeamTree)?) {
        if let words = try ModelLoader.wordModel(prompt.model) {
            if api != nil || settings.chat || precision != .asStored {
                throw OptionError(Learner.text(
                    "--api, --chat and --precision apply to ERNIE-format models; \(prompt.model) is a word-level "
                        + "model. HINT: leave them out.",
                    "--api、--chat 和 --precision 只用于 ERNIE 格式的模型；\(prompt.model) 是词级模型。HINT：去掉它们。"))
            }
            // <s> and TEXT's words, until </s>; or --ids checked against the vocabulary.
            let promptIds = try prompt.ids.map(PromptSpec.checkedIds).map(words.checkedIds)
                ?? words.promptIds(try StandardInputText.resolve(prompt.text ?? ""))
            return try Generation.run(words.model, tokenizer: nil, promptIds: promptIds, settings: settings,
                                      spell: words.text, emit: emit)
        }
        let chosen = try ChosenModel(prompt, api: api, precision: precision, maxNewTokens: settings.maxNewTokens,
                                     chat: settings.chat)
        if let api {
            let strategy = settings.strategy
            let kind: RemoteNotice.Kind = strategy == .greedy ? .greedy : strategy == .beam ? .beam : .sample
            emit?(.block(.text(OutputText(RemoteNotice.line(kind, api)))))
        }
        return try Generation.run(chosen.model, tokenizer: chosen.tokenizer, promptIds: chosen.prompt,
                                  settings: settings, emit: emit)
    }
}
