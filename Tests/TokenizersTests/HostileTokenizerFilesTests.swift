// Tokenizer files from a stranger (hostile-input audit 14): an added token long enough to make matching slow is
// refused at load, naming the file, the id and the limit (F7), and so is a tokenizer.model piece, naming the piece's
// index (a user-defined piece is matched in the text the same way); an error that quotes a token shows it short and
// with its control characters escaped, never 20 kB of it or an ESC sequence for the terminal (F8, F10); a FIFO or a
// device in place of tokenizer.model is named as such at once, not read for ever or called a permission problem (F9).
import Foundation
import LabCore
import ModelFiles
import Testing
@testable import Tokenizers

@Suite struct HostileTokenizerFilesTests {
    let sp: SentencePieceProcessor
    init() throws {
        sp = try SentencePieceProcessor(contentsOf: ErnieFixture.folder.appendingPathComponent("tokenizer.model"))
    }

    /// tokenizer_config.json with one added token, `content`, at `id`.
    func config(_ content: String, id: Int) throws -> TokenizerConfig {
        let object = ["added_tokens_decoder": [String(id): ["content": content, "special": true]]]
        return try decodeJSONConfig(TokenizerConfig.self, from: JSONSerialization.data(withJSONObject: object),
                                    file: "tokenizer_config.json")
    }

    @Test func anAddedTokenOverTheLimitIsRefusedByFileIdAndLimit() throws {
        let n = sp.vocabSize, limit = TokenLimit.maxBytes
        // At the limit: accepted, and matched as one token.
        let longest = String(repeating: "a", count: limit - 1) + "b"
        let ok = try ErnieTokenizer(sentencePiece: sp, config: config(longest, id: n), specialTokensMap: nil,
                                    addedTokensFile: nil, source: "folder")
        #expect(ok.encode("x" + longest).last == n)
        // One byte more: refused, from either file.
        let long = String(repeating: "a", count: limit) + "b"
        let fromConfig = #expect(throws: ErnieTokenizer.LoadError.self) {
            try ErnieTokenizer(sentencePiece: sp, config: config(long, id: n), specialTokensMap: nil,
                               addedTokensFile: nil, source: "folder")
        }
        #expect(fromConfig == .tokenTooLong(file: "tokenizer_config.json", token: long, id: n, bytes: limit + 1))
        let message = fromConfig?.description ?? ""
        print(message)
        #expect(message.hasPrefix("tokenizer_config.json: token \(n) is \(limit + 1) bytes long, over the limit of "
                                  + "\(limit): \"aaa") && message.contains("HINT:"))
        #expect(message.count < 500, "the token is quoted short: \(message.count) characters")
        let fromAddedFile = #expect(throws: ErnieTokenizer.LoadError.self) {
            try ErnieTokenizer(sentencePiece: sp, config: nil, specialTokensMap: nil,
                               addedTokensFile: AddedTokensFile(idsByContent: [long: n]), source: "folder")
        }
        #expect(fromAddedFile == .tokenTooLong(file: "added_tokens.json", token: long, id: n, bytes: limit + 1))
    }

    @Test func aPieceOverTheLimitIsRefusedByFileIndexAndLimit() throws {
        let limit = TokenLimit.maxBytes
        var model = try SentencePieceModel(contentsOf: ErnieFixture.folder.appendingPathComponent("tokenizer.model"))
        let index = model.pieces.count
        // At the limit: accepted, and it encodes a text that follows it to its last byte from every position as the
        // model without it does (the cost — at most `limit` trie steps a byte — is bounded by the load-time limit
        // refused below; the times are printed, not judged: speed is for benchmarks).
        let longest = String(repeating: "a", count: limit - 1) + "b"
        model.pieces.append(.init(piece: longest, score: 0, type: .userDefined))
        let ok = try SentencePieceProcessor(model: model, file: "tokenizer.model")
        #expect(ok.encode("x" + longest).last == index)
        let text = String(repeating: "a", count: 16_384)
        let clock = ContinuousClock()
        var ids: [Int] = []
        let worst = clock.measure { ids = ok.encode(text) }
        let plain = try SentencePieceProcessor(model: SentencePieceModel(contentsOf: ErnieFixture.folder
            .appendingPathComponent("tokenizer.model")))
        let usual = clock.measure { #expect(plain.encode(text) == ids) }
        print("a \(limit)-byte user-defined piece: encoding \(text.utf8.count) bytes of \"a\" took \(worst) "
              + "(without the piece \(usual)); at most \(limit) trie steps a byte")
        // One byte more: refused, whatever the piece's type, naming the file, the index and the limit.
        for type in [SentencePieceModel.PieceType.userDefined, .normal] {
            let long = String(repeating: "a", count: limit) + "b"
            model.pieces[index] = .init(piece: long, score: 0, type: type)
            let error = #expect(throws: SentencePieceError.self) {
                try SentencePieceProcessor(model: model, file: "tokenizer.model")
            }
            #expect(error == .pieceTooLong(file: "tokenizer.model", index: index, piece: long, bytes: limit + 1))
            let message = error?.description ?? ""
            if type == .userDefined { print(message) }
            #expect(message.hasPrefix("tokenizer.model: ModelProto.pieces[\(index)] is \(limit + 1) bytes long, over "
                                      + "the limit of \(limit): \"aaa") && message.contains("HINT:"), "\(message)")
            #expect(message.count < 600, "the piece is quoted short: \(message.count) characters")
        }
    }

    @Test func aTokenQuotedInAnErrorIsShortAndEscaped() throws {
        // A 1,000-character token with a terminal escape (within the length limit), given an id tokenizer.model
        // already holds; a longer one is quoted the same way by the length error.
        let token = "\u{1B}]0;OWNED\u{7}\u{1B}[2J" + String(repeating: "a", count: 1_000)
        let error = #expect(throws: ErnieTokenizer.LoadError.self) {
            try ErnieTokenizer(sentencePiece: sp, config: config(token, id: 5), specialTokensMap: nil,
                               addedTokensFile: nil, source: "folder")
        }
        let message = error?.description ?? ""
        print(message)
        #expect(message.hasPrefix("tokenizer_config.json: \"\\u{1b}]0;OWNED\\u{7}\\u{1b}[2Jaaa"))
        #expect(message.contains("…\" (1014 characters) is given id 5"))
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "no raw control")
        #expect(message.count < 400, "\(message.count) characters")
    }

    @Test func aFifoOrADeviceAsTokenizerModelIsNamedAtOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-tok-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("tokenizer.model")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let error = #expect(throws: SentencePieceError.self) { try SentencePieceModel(contentsOf: fifo) }
        #expect(error == .notRegularFile(file: fifo.path, found: "a FIFO (named pipe)"))
        let device = dir.appendingPathComponent("zero.model")
        try FileManager.default.createSymbolicLink(atPath: device.path, withDestinationPath: "/dev/zero")
        let zero = #expect(throws: SentencePieceError.self) { try SentencePieceModel(contentsOf: device) }
        #expect(zero == .notRegularFile(file: device.path, found: "a character device"))
        print(zero?.description ?? "")
        #expect(zero?.description.contains("permission") == false)
    }
}
