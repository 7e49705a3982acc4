// TinyErnieTokenizer — the tiny ERNIE's tokenizer: a SentencePiece BPE model learned by the project's own
// BPETrainer on the bilingual story corpus, with ERNIE-4.5's tokenizer settings (no dummy prefix, whitespace kept,
// digits 0–9 always single pieces, byte fallback; shared/ERNIE45.md §6) and ERNIE's special tokens:
//
//   id 0 <unk> · 1 <s> (bos) · 2 </s> (eos) · 3…12 digits · 13…268 <0x00>…<0xFF> · merges · alphabet ·
//   <|begin_of_sentence|> (cls: opens a chat) · <|end_of_sentence|> (sep: closes an assistant turn)
//
// The two chat tokens are CONTROL pieces, as ERNIE keeps them near the end of its vocabulary; tokenizer_config.json
// lists them in added_tokens_decoder so transformers and the lab's ErnieTokenizer match them as one token each in
// text, while the raw SentencePiece library never produces them from plain text. The folder gets ERNIE's chat
// template, so `lmlab generate --chat` renders "<|begin_of_sentence|>User: …\nAssistant: " for the tiny model too.

import Foundation
import LabCore
import ModelFiles
import Tokenizers

public enum TinyErnieTokenizer {
    /// Opens a chat (ERNIE-4.5's cls_token).
    public static let clsToken = "<|begin_of_sentence|>"
    /// Ends an assistant turn (ERNIE-4.5's sep_token).
    public static let sepToken = "<|end_of_sentence|>"

    /// Learns the BPE model from `lines` (one sentence each; blank lines are skipped).
    public static func train(lines: [String], vocabSize: Int) throws -> SentencePieceModel {
        var options = BPETrainer.Options.ernieLike(vocabSize: vocabSize)
        options.trailingPieces = [.init(clsToken, type: .control), .init(sepToken, type: .control)]
        return try BPETrainer(options: options).train(lines.filter { !$0.isEmpty })
    }

    /// Writes tokenizer.model, tokenizer_config.json (with ERNIE's chat template), special_tokens_map.json and
    /// generation_config.json into `folder`.
    public static func write(_ model: SentencePieceModel, to folder: URL) throws {
        try createFolder(folder, for: Learner.text("the model's files", "模型文件"))
        try model.write(to: folder.appendingPathComponent("tokenizer.model"))
        let sp = try SentencePieceProcessor(model: model, file: "tokenizer.model")
        func token(_ s: String) -> AddedToken { AddedToken(s, special: true, normalized: false) }
        var decoder: [Int: AddedToken] = [:]
        for piece in ["<unk>", "<s>", "</s>", clsToken, sepToken] {
            let id = sp.id(for: piece)
            guard id >= 0, sp.piece(for: id) == piece else {
                throw TinyErnieError.badData(file: "tokenizer.model", reason: "piece \(piece) is missing from the trained model")
            }
            decoder[id] = token(piece)
        }
        let specials = SpecialTokensMap(bosToken: token("<s>"), eosToken: token("</s>"), unkToken: token("<unk>"),
                                        sepToken: token(sepToken), padToken: token("<unk>"), clsToken: token(clsToken))
        let config = TokenizerConfig(addBosToken: false, addEosToken: false, addPrefixSpace: false, legacy: true,
                                     specialTokens: specials, addedTokensDecoder: decoder,
                                     chatTemplate: ErnieChatTemplate.known, modelMaxLength: 4096,
                                     tokenizerClass: "LlamaTokenizer")
        let generation = GenerationConfig(doSample: true, temperature: 0.8, topP: 0.8, bosTokenId: sp.bosId,
                                          eosTokenIds: [sp.eosId, sp.id(for: sepToken)], padTokenId: sp.unkId)
        try writeTokenizerConfig(config, to: folder.appendingPathComponent("tokenizer_config.json"))
        try writeJSON(specials, to: folder.appendingPathComponent("special_tokens_map.json"))
        try writeJSON(generation, to: folder.appendingPathComponent("generation_config.json"))
    }

    /// tokenizer_config.json with its special-token slots as plain strings ("bos_token": "<s>"), the form
    /// transformers writes there: transformers 5.24 rejects the object form `TokenizerConfig` encodes (which is
    /// right for special_tokens_map.json) with "Special token unk_token has to be either str or AddedToken".
    static func writeTokenizerConfig(_ config: TokenizerConfig, to url: URL) throws {
        guard var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any] else {
            throw TinyErnieError.badData(file: url.path, reason: "TokenizerConfig did not encode to a JSON object")
        }
        for slot in SpecialTokensMap.standardSlots {
            if let token = (object[slot] as? [String: Any])?["content"] as? String { object[slot] = token }
        }
        var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        try data.write(to: url, options: .atomic)
    }

    static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        try data.write(to: url, options: .atomic)
    }
}
