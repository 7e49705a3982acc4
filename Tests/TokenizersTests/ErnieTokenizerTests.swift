// ErnieTokenizer on an ERNIE-like folder (Fixtures/ernie: a SentencePiece model trained by the library with ERNIE's
// settings + ERNIE-style json files), compared with transformers' LlamaTokenizerFast on the same folder
// (Fixtures/ernie/transformers.json, scripts/check_ernie_tokenizer.py, transformers 5.24.0 / tokenizers 0.23.3);
// and, when a real ERNIE-4.5 tokenizer is on this machine, the published ids of shared/ERNIE45.md §6–§7.
import Foundation
import ModelFiles
import Testing
@testable import Tokenizers

enum ErnieFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ernie")

    static func tokenizer() throws -> ErnieTokenizer { try ErnieTokenizer(folder: ModelFolder(url: folder)) }

    struct Transformers: Decodable {
        struct Encode: Decodable { let text: String; let ids: [Int] }
        struct Message: Decodable { let role: String; let content: String }
        struct Chat: Decodable { let messages: [Message]; let add_generation_prompt: Bool; let text: String; let ids: [Int] }
        struct Decode: Decodable { let ids: [Int]; let text: String; let skip_special: String }
        let transformers: String
        let len: Int
        let bos_token_id: Int?, eos_token_id: Int?, pad_token_id: Int?, cls_token_id: Int?, sep_token_id: Int?
        let encodes: [Encode]
        let chats: [Chat]
        let decodes: [Decode]
    }

    static func transformers() throws -> Transformers {
        try JSONDecoder().decode(Transformers.self, from: Data(contentsOf: folder.appendingPathComponent("transformers.json")))
    }
}

@Suite struct ErnieTokenizerTests {
    @Test func specialIdsComeFromTheFiles() throws {
        let tok = try ErnieFixture.tokenizer()
        let ref = try ErnieFixture.transformers()
        #expect(tok.bosId == ref.bos_token_id && tok.eosId == ref.eos_token_id && tok.padId == ref.pad_token_id)
        #expect(tok.clsId == ref.cls_token_id && tok.sepId == ref.sep_token_id)
        #expect(tok.count == ref.len, "len(tokenizer)")
        #expect(tok.specialIds["sys_start_token"] == tok.id(of: "<mask:4>"))
        #expect(tok.addBosToken == false)
    }

    @Test func encodeMatchesTransformers() throws {
        let tok = try ErnieFixture.tokenizer()
        let ref = try ErnieFixture.transformers()
        var differ = 0
        for e in ref.encodes where tok.encode(e.text) != e.ids {
            differ += 1
            if differ <= 5 { Issue.record("\(e.text.debugDescription): ours \(tok.encode(e.text)), transformers \(e.ids)") }
        }
        print("ERNIE-like folder: \(ref.encodes.count) texts, \(differ) differ from transformers \(ref.transformers)")
        #expect(differ == 0)
    }

    @Test func chatTemplateMatchesTransformers() throws {
        let tok = try ErnieFixture.tokenizer()
        for c in try ErnieFixture.transformers().chats {
            let messages = c.messages.map { ChatMessage(ChatRole(rawValue: $0.role)!, $0.content) }
            #expect(try tok.renderChat(messages, addGenerationPrompt: c.add_generation_prompt) == c.text)
            #expect(try tok.encodeChat(messages, addGenerationPrompt: c.add_generation_prompt) == c.ids)
        }
    }

    @Test func decodeMatchesTransformers() throws {
        let tok = try ErnieFixture.tokenizer()
        for d in try ErnieFixture.transformers().decodes {
            #expect(tok.decode(d.ids) == d.text, "\(d.ids)")
            #expect(tok.decode(d.ids, skipSpecialTokens: true) == d.skip_special, "\(d.ids)")
        }
    }

    /// Hand-checked: added tokens split exactly, nothing stripped around them, no BOS unless asked.
    @Test func addedTokensAndBos() throws {
        let tok = try ErnieFixture.tokenizer()
        let bos = try #require(tok.bosId)
        #expect(tok.encode("<s> Hello") == [bos] + tok.sentencePiece.encode(" Hello"))
        #expect(tok.pieces("<s> Hello").prefix(2) == ["<s>", "\u{2581}Hello"])
        #expect(tok.encode("Hello").first != bos)
        #expect(tok.encode("Hello", addBos: true) == [bos] + tok.encode("Hello"))
        let loc = try #require(tok.id(of: "<|LOC_BEGIN|>"))
        #expect(loc >= tok.sentencePiece.vocabSize, "an added token beyond the SentencePiece vocabulary")
        #expect(tok.encode("<|LOC_BEGIN|>") == [loc])
        #expect(tok.encode("<|LOC_BEGIN|").contains(loc) == false)
    }

    @Test func idsBeyondTheTokenizerReadAsPlaceholders() throws {
        let tok = try ErnieFixture.tokenizer()
        let hello = tok.encode("Hello")
        #expect(tok.piece(101_500) == "<unused:101500>")
        #expect(tok.decode(hello + [101_500, -1]) == "Hello<unused:101500><unused:-1>")
        #expect(tok.decode([tok.count]) == "<unused:\(tok.count)>")
    }

    @Test func bareModelFileHasNoAddedTokens() throws {
        let tok = try ErnieTokenizer(modelFile: ErnieFixture.folder.appendingPathComponent("tokenizer.model"))
        #expect(tok.bosId == 1 && tok.eosId == 2 && tok.unkId == 0)
        #expect(tok.count == tok.sentencePiece.vocabSize)
        #expect(tok.encode("<|AUDIO_PLACEHOLDER|>").count > 1)
    }

    @Test func inconsistentFilesAreReported() throws {
        let sp = try SentencePieceProcessor(contentsOf: ErnieFixture.folder.appendingPathComponent("tokenizer.model"))
        let added = AddedTokensFile(idsByContent: ["<s>": 5])
        #expect(throws: ErnieTokenizer.LoadError.conflictingId(file: "added_tokens.json", token: "<s>", id: 5,
                                                              piece: sp.piece(for: 5))) {
            try ErnieTokenizer(sentencePiece: sp, config: nil, specialTokensMap: nil, addedTokensFile: added, source: "t")
        }
        #expect(throws: ErnieTokenizer.LoadError.missingModel(folder: "/nonexistent")) {
            try ErnieTokenizer(folder: ModelFolder(url: URL(fileURLWithPath: "/nonexistent")))
        }
    }
}

/// The real ERNIE-4.5 tokenizer, when this machine has it.
enum RealErnie {
    static let folder: URL? = {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["LMLAB_ERNIE_DIR"] { return URL(fileURLWithPath: dir) }
        if let found = try? ModelLocator().locate("ernie-4.5-0.3b"), found.tokenizerModel != nil { return found.url }
        return nil
    }()

    static var available: Bool {
        if folder == nil {
            print("note: real ERNIE-4.5 tokenizer tests skipped: no ernie-4.5-0.3b folder with tokenizer.model was found. "
                  + "Enable them with LMLAB_ERNIE_DIR=/path/to/ERNIE-4.5-0.3B-PT (the folder holding tokenizer.model), "
                  + "or `lmlab download ernie-4.5-0.3b`.")
        }
        return folder != nil
    }
}

@Suite(.enabled(if: RealErnie.available, "set LMLAB_ERNIE_DIR to a folder with ERNIE-4.5's tokenizer.model"))
struct RealErnieTokenizerTests {
    @Test func publishedIds() throws {
        let tok = try ErnieTokenizer(folder: ModelFolder(url: RealErnie.folder!))
        #expect(tok.encode("Hello, world!") == [16276, 93938, 3135, 94018])
        #expect(tok.encode("This is a test") == [1720, 357, 274, 1167])
        #expect(tok.encode("The following string should be properly encoded: Hello.")
                == [700, 1997, 1530, 1189, 390, 10962, 20622, 93963, 30802, 93937])
        #expect(tok.encode("😈") == [253, 172, 165, 149])
        #expect(tok.encode("<s> Hello") == [1, 30802])
        #expect(tok.decode([30802]) == " Hello")
        #expect(tok.count == 101_304)
        #expect(tok.bosId == 1 && tok.eosId == 2 && tok.clsId == 100273 && tok.sepId == 100272)
    }

    @Test func publishedChatIds() throws {
        let tok = try ErnieTokenizer(folder: ModelFolder(url: RealErnie.folder!))
        let chat = [ChatMessage(.system, "You are a helpful chatbot."), ChatMessage(.user, "Hello!")]
        #expect(try tok.encodeChat(chat, addGenerationPrompt: false)
                == [100273, 2520, 524, 274, 20472, 18819, 7074, 93937, 23, 2969, 93963, 30802, 94018, 23])
        let withAnswer = try tok.encodeChat(chat + [ChatMessage(.assistant, "Nice to meet you.")], addGenerationPrompt: false)
        #expect(Array(withAnswer.suffix(8)) == [92267, 93963, 47434, 318, 7472, 536, 93937, 100272])
        #expect(try tok.encodeChat(chat).suffix(3) == [92267, 93963, 93919])
    }
}
