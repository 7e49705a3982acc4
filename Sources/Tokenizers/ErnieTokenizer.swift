// ErnieTokenizer — ERNIE-4.5's tokenizer: added tokens, then SentencePiece BPE; special ids from the files.
//
// What transformers does with ERNIE's files (shared/ERNIE45.md §6), and so what this type does:
//   encode:  split out added/special tokens exactly (AddedTokens.swift), SentencePiece-encode the text between them,
//            prepend BOS only when tokenizer_config.json says add_bos_token (ERNIE: false).
//   decode:  SentencePiece-decode runs of ordinary ids; an added token reads as its text; no leading space is
//            stripped (decode([▁Hello]) == " Hello"). ERNIE's embedding has 103,424 rows but the tokenizer has
//            101,304 ids: an id in the gap (or any unknown id) reads as "<unused:ID>", never a crash.
//   chat:    ERNIE's chat template (ChatTemplate.swift), then encode.
// Every special id (bos, eos, pad, cls, sep, …) is looked up by its text in the folder's files, never assumed.
import Foundation
import LabCore
import ModelFiles

/// ERNIE-4.5's tokenizer (or any folder with the same layout: tokenizer.model + HF json files).
public struct ErnieTokenizer: Tokenizer, Sendable {
    public let sentencePiece: SentencePieceProcessor
    public let addedTokens: AddedTokens
    /// tokenizer_config.json `add_bos_token` (false for ERNIE, and when the file is absent).
    public let addBosToken: Bool
    /// The named special tokens (bos, eos, unk, pad, cls, sep, mask, …) with their ids.
    public let specialIds: [String: Int]
    /// The chat template, or why the folder's template cannot be used.
    public let chatTemplate: Result<ErnieChatTemplate, ErnieChatTemplate.TemplateError>
    /// Where the tokenizer came from (folder or tokenizer.model path), for messages.
    public let source: String

    public var bosId: Int? { specialIds["bos_token"] }
    public var eosId: Int? { specialIds["eos_token"] }
    public var unkId: Int? { specialIds["unk_token"] }
    public var padId: Int? { specialIds["pad_token"] }
    public var clsId: Int? { specialIds["cls_token"] }
    public var sepId: Int? { specialIds["sep_token"] }

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case missingModel(folder: String)
        case conflictingId(file: String, token: String, id: Int, piece: String)
        case unknownSpecialToken(file: String, slot: String, token: String)
        /// Added tokens sit beyond tokenizer.model's pieces with ids between that no token holds: the model file is
        /// truncated or from another tokenizer (Hugging Face gives added tokens the ids right after the pieces).
        case idGap(file: String, token: String, id: Int, model: String, pieces: Int, firstMissing: Int)
        /// An added or special token longer than `TokenLimit.maxBytes`.
        case tokenTooLong(file: String, token: String, id: Int, bytes: Int)

        /// The message, with what the files hold quoted short and any control character in it shown escaped.
        public var description: String { VisibleText.escapingControls(message, keepingNewlines: true) }

        private var message: String {
            func q(_ text: String) -> String { VisibleText.quoted(text) }
            switch self {
            case let .missingModel(folder):
                return "\(folder): no tokenizer.model in this folder. HINT: download the model's tokenizer.model "
                    + "(it comes with the weights: lmlab download), or pass --model PATH/tokenizer.model."
            case let .conflictingId(file, token, id, piece):
                return "\(file): \(q(token)) is given id \(id), but tokenizer.model has \(q(piece)) at \(id). "
                    + "HINT: the json files and tokenizer.model come from different models; use files from one download."
            case let .idGap(file, token, id, model, pieces, firstMissing):
                return "\(file): added token \(q(token)) has id \(id), but \(model) has \(pieces) pieces "
                    + "(ids 0..<\(pieces)) and no token holds ids \(firstMissing)..<\(id). HINT: tokenizer.model is "
                    + "truncated or belongs to another model; download the model's tokenizer files again, together."
            case let .unknownSpecialToken(file, slot, token):
                return "\(file): \(slot) \(q(token)) is neither an added token nor a tokenizer.model piece. "
                    + "HINT: add it to added_tokens.json with its id, or fix the slot."
            case let .tokenTooLong(file, token, id, bytes):
                return "\(file): token \(id) is \(bytes) bytes long, over the limit of \(TokenLimit.maxBytes): "
                    + "\(q(token)). HINT: added and special tokens are short markers such as "
                    + "<|begin_of_sentence|> (21 bytes); this file is damaged or made to slow the tokenizer down: "
                    + "remove the token, or use the model's own tokenizer files."
            }
        }
    }

    /// Loads a model folder: tokenizer.model plus (when present) added_tokens.json, tokenizer_config.json and
    /// special_tokens_map.json.
    /// - Throws: `LoadError`, `SentencePieceError` or ModelFiles' `ConfigError`, each naming the file.
    public init(folder: ModelFolder) throws {
        guard let modelURL = folder.tokenizerModel else { throw LoadError.missingModel(folder: folder.url.path) }
        let sp = try SentencePieceProcessor(contentsOf: modelURL)
        let config = try folder.tokenizerConfig.map(TokenizerConfig.load(from:))
        let specialMap = try folder.specialTokensMap.map(SpecialTokensMap.load(from:))
        let addedFile = try folder.addedTokens.map(AddedTokensFile.load(from:))
        try self.init(sentencePiece: sp, config: config, specialTokensMap: specialMap, addedTokensFile: addedFile,
                      source: folder.url.path)
    }

    /// A bare tokenizer.model: no added tokens; the special tokens are the model's own <unk> <s> </s>.
    public init(modelFile: URL) throws {
        try self.init(sentencePiece: try SentencePieceProcessor(contentsOf: modelFile), config: nil,
                      specialTokensMap: nil, addedTokensFile: nil, source: modelFile.path)
    }

    /// Builds the tokenizer from already-loaded parts (nil: the file is absent).
    public init(sentencePiece sp: SentencePieceProcessor, config: TokenizerConfig?, specialTokensMap: SpecialTokensMap?,
                addedTokensFile: AddedTokensFile?, source: String) throws {
        sentencePiece = sp
        self.source = source
        addBosToken = config?.addBosToken ?? false

        // The id of a token text: an added token's, else the SentencePiece piece's (nil when neither has it).
        func spmId(_ text: String) -> Int? {
            let id = sp.id(for: text)
            return id >= 0 && id < sp.vocabSize && sp.piece(for: id) == text ? id : nil
        }

        var added = AddedTokens()
        var fileOf: [Int: String] = [:]                         // which file gave each added id, for messages
        /// Adds `token` at `id` once it is short enough and does not contradict the piece tokenizer.model has at that
        /// id (a special token found by its piece never does).
        func add(_ token: AddedToken, id: Int, file: String) throws {
            let bytes = token.content.utf8.count
            guard bytes <= TokenLimit.maxBytes else {
                throw LoadError.tokenTooLong(file: file, token: token.content, id: id, bytes: bytes)
            }
            if id < sp.vocabSize, sp.piece(for: id) != token.content {
                throw LoadError.conflictingId(file: file, token: token.content, id: id, piece: sp.piece(for: id))
            }
            added.add(token, id: id)
        }
        for (id, content) in addedTokensFile?.byId ?? [] {
            try add(AddedToken(content, special: false, normalized: false), id: id, file: "added_tokens.json")
            fileOf[id] = fileOf[id] ?? "added_tokens.json"
        }
        for (id, token) in (config?.addedTokensDecoder ?? [:]).sorted(by: { $0.key < $1.key }) {
            try add(token, id: id, file: "tokenizer_config.json")
            fileOf[id] = fileOf[id] ?? "tokenizer_config.json"
        }

        // Ids beyond the pieces must follow them without a gap (13 pieces and added tokens at 3070… is a
        // truncated tokenizer.model, not a tokenizer).
        var next = sp.vocabSize
        for id in fileOf.keys.sorted() where id >= sp.vocabSize {
            guard id == next else {
                throw LoadError.idGap(file: fileOf[id]!, token: added.token(id)!.content, id: id,
                                      model: source.hasSuffix(".model") ? source : "tokenizer.model in \(source)",
                                      pieces: sp.vocabSize, firstMissing: next)
            }
            next += 1
        }

        // Named special tokens: tokenizer_config.json slots override special_tokens_map.json's.
        var named: [String: AddedToken] = [:]
        var additional: [AddedToken] = []
        for map in [specialTokensMap, config?.specialTokens].compactMap({ $0 }) {
            for slot in SpecialTokensMap.standardSlots { if let t = map[slot: slot] { named[slot] = t } }
            for (slot, t) in map.namedTokens { named[slot] = t }
            additional += map.additionalSpecialTokens
        }
        if config == nil && specialTokensMap == nil {           // a bare tokenizer.model: the model's own specials
            for (slot, id) in [("unk_token", sp.unkId), ("bos_token", sp.bosId), ("eos_token", sp.eosId)] where id >= 0 {
                named[slot] = AddedToken(sp.piece(for: id))
            }
        }
        var ids: [String: Int] = [:]
        let file = config != nil ? "tokenizer_config.json" : "special_tokens_map.json"
        for (slot, token) in named.sorted(by: { $0.key < $1.key }) {
            guard let id = added.id(of: token.content) ?? spmId(token.content) else {
                throw LoadError.unknownSpecialToken(file: file, slot: slot, token: token.content)
            }
            ids[slot] = id
            if added.token(id) == nil { try add(token, id: id, file: file) }   // specials always match as one token
        }
        for token in additional where added.id(of: token.content) == nil {
            if let id = spmId(token.content) { try add(token, id: id, file: file) }
        }
        addedTokens = added
        specialIds = ids

        // A folder with another template still tokenizes; only rendering a chat reports the template.
        do {
            chatTemplate = .success(try ErnieChatTemplate(template: config?.chatTemplate,
                                                          clsToken: named["cls_token"]?.content,
                                                          sepToken: named["sep_token"]?.content))
        } catch let error as ErnieChatTemplate.TemplateError {
            chatTemplate = .failure(error)
        }
    }

    // MARK: Vocabulary

    /// len(tokenizer): the SentencePiece pieces plus the added tokens beyond them (ERNIE: 101,304).
    public var count: Int { max(sentencePiece.vocabSize, (addedTokens.maxId ?? -1) + 1) }

    /// The text of an id: an added token's content, a SentencePiece piece, or "<unused:ID>" outside the tokenizer.
    public func piece(_ id: Int) -> String {
        if let t = addedTokens.token(id) { return t.content }
        if id >= 0 && id < sentencePiece.vocabSize { return sentencePiece.piece(for: id) }
        return "<unused:\(id)>"
    }

    public func id(of piece: String) -> Int? {
        if let id = addedTokens.id(of: piece) { return id }
        let id = sentencePiece.id(for: piece)
        return id >= 0 && id < sentencePiece.vocabSize && sentencePiece.piece(for: id) == piece ? id : nil
    }

    /// Whether `id` is a special token (skipped by decode(…, skipSpecialTokens: true)).
    public func isSpecial(_ id: Int) -> Bool {
        if let t = addedTokens.token(id) { return t.special }
        return id >= 0 && id < sentencePiece.vocabSize && sentencePiece.type(of: id) == .control
    }

    // MARK: Encode

    /// The ids of `text`, with BOS first when the folder's add_bos_token says so.
    public func encode(_ text: String) -> [Int] { encode(text, addBos: addBosToken) }

    /// The ids of `text`; `addBos` prepends the BOS id (lm-eval's convention for scoring the first token).
    public func encode(_ text: String, addBos: Bool) -> [Int] {
        var ids: [Int] = []
        if addBos, let bos = bosId { ids.append(bos) }
        for chunk in addedTokens.split(text) {
            switch chunk {
            case .added(let id, _): ids.append(id)
            case .text(let t): sentencePiece.encode(t, into: &ids)
            }
        }
        return ids
    }

    /// The chat prompt for `messages` as ids (the template's text, encoded with added tokens recognised).
    /// - Throws: `ErnieChatTemplate.TemplateError` when the folder's template is not ERNIE's.
    public func encodeChat(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) throws -> [Int] {
        encode(try renderChat(messages, addGenerationPrompt: addGenerationPrompt), addBos: false)
    }

    /// The chat prompt text for `messages`.
    public func renderChat(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) throws -> String {
        try chatTemplate.get().render(messages, addGenerationPrompt: addGenerationPrompt)
    }

    // MARK: Decode

    public func decode(_ ids: [Int]) -> String { decode(ids, skipSpecialTokens: false) }

    /// The text of `ids`: runs of SentencePiece ids decoded as the library does, added tokens as their text,
    /// ids outside the tokenizer as "<unused:ID>".
    public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        var out = ""
        var run: [Int] = []
        func flush() {
            guard !run.isEmpty else { return }
            do {
                out += try sentencePiece.decode(run)
            } catch {
                out += run.map { piece($0) }.joined()      // unreachable: every id in `run` is < vocabSize
            }
            run.removeAll(keepingCapacity: true)
        }
        for id in ids {
            if let t = addedTokens.token(id) {
                flush()
                if !(skipSpecialTokens && t.special) { out += t.content }
            } else if id >= 0 && id < sentencePiece.vocabSize {
                if skipSpecialTokens && sentencePiece.type(of: id) == .control { continue }
                run.append(id)
            } else {
                flush()
                out += "<unused:\(id)>"
            }
        }
        flush()
        return out
    }
}
