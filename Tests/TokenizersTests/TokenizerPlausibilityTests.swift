// Implausible tokenizers are errors (issue #17): a tokenizer.model cut exactly at a piece boundary parses cleanly,
// and used to load as a 13-piece model that the added tokens of tokenizer_config.json then stretched to the
// embedding's size ("13 pieces + 3059 added tokens"). Now the file is refused as truncated, naming it, and added
// tokens that leave ids without a token between the pieces and themselves are refused, naming the json file.
import Foundation
import ModelFiles
import Testing
@testable import Tokenizers

/// The byte offsets where each top-level `pieces` record of a ModelProto ends (field 1, wire type 2).
private func pieceEnds(_ bytes: [UInt8]) -> [Int] {
    var ends: [Int] = [], i = 0
    func varint() -> Int {
        var value = 0, shift = 0
        while true { let b = bytes[i]; i += 1; value |= Int(b & 0x7F) << shift; shift += 7; if b < 0x80 { return value } }
    }
    while i < bytes.count {
        let key = varint()
        guard key == 0x0A else { break }                 // pieces come first; stop at trainer_spec
        i += varint()
        ends.append(i)
    }
    return ends
}

private func scratch(_ tag: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-tok-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct TokenizerPlausibilityTests {
    static let shippedTinyErnie = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Models/tiny-ernie")

    @Test func aFileCutAtAPieceBoundaryIsTruncatedNotSmall() throws {
        let dir = try scratch("cut")
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try [UInt8](Data(contentsOf: ErnieFixture.folder.appendingPathComponent("tokenizer.model")))
        let ends = pieceEnds(full)
        #expect(ends.count > 1000, "the fixture has its pieces first")
        for count in [1, 13, ends.count] {
            let file = dir.appendingPathComponent("cut\(count).model")
            try Data(full.prefix(ends[count - 1])).write(to: file)
            let error = #expect(throws: SentencePieceError.self) { try SentencePieceModel(contentsOf: file) }
            #expect(error == .truncated(file: file.path, bytes: ends[count - 1], pieces: count,
                                        missing: "ModelProto.trainer_spec"))
            if count == 13 { print(error!.description) }
        }
        let empty = dir.appendingPathComponent("empty.model")
        try Data().write(to: empty)
        #expect(throws: SentencePieceError.truncated(file: empty.path, bytes: 0, pieces: 0, missing: "ModelProto.pieces")) {
            try SentencePieceModel(contentsOf: empty)
        }
        // Cut inside a piece: the wire reader reports it.
        let inside = dir.appendingPathComponent("inside.model")
        try Data(full.prefix(ends[12] + 3)).write(to: inside)
        #expect(throws: ProtobufError.self) { try SentencePieceModel(contentsOf: inside) }
        // The whole file still loads.
        #expect(try SentencePieceModel(contentsOf: ErnieFixture.folder.appendingPathComponent("tokenizer.model")).pieces.count
                == ends.count)
    }

    /// The issue's case: the shipped tiny ERNIE's tokenizer.model cut to 100 bytes, beside its json files.
    @Test func theTinyErniesTokenizerCutTo100BytesIsRefusedByName() throws {
        let dir = try scratch("tiny")
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["tokenizer_config.json", "special_tokens_map.json", "config.json"] {
            try FileManager.default.copyItem(at: Self.shippedTinyErnie.appendingPathComponent(name),
                                             to: dir.appendingPathComponent(name))
        }
        let full = try Data(contentsOf: Self.shippedTinyErnie.appendingPathComponent("tokenizer.model"))
        #expect(pieceEnds([UInt8](full)).contains(100), "100 bytes end exactly after a piece")
        try full.prefix(100).write(to: dir.appendingPathComponent("tokenizer.model"))
        let error = #expect(throws: SentencePieceError.self) { try ErnieTokenizer(folder: ModelFolder(url: dir)) }
        let message = error?.description ?? ""
        print(message)
        #expect(message.contains(dir.appendingPathComponent("tokenizer.model").path) && message.contains("13 pieces")
                && message.contains("truncated") && message.contains("HINT"))
    }

    @Test func addedTokensMustFollowThePiecesWithoutAGap() throws {
        let sp = try SentencePieceProcessor(contentsOf: ErnieFixture.folder.appendingPathComponent("tokenizer.model"))
        let n = sp.vocabSize
        func config(_ ids: [Int]) throws -> TokenizerConfig {
            let entries = ids.map { "\"\($0)\": {\"content\": \"<extra_\($0)>\", \"special\": true}" }
            return try decodeJSONConfig(TokenizerConfig.self, from: Data("{\"added_tokens_decoder\": {\(entries.joined(separator: ", "))}}".utf8),
                                        file: "tokenizer_config.json")
        }
        // Right after the pieces: fine, and len(tokenizer) grows by them.
        let ok = try ErnieTokenizer(sentencePiece: sp, config: config([n, n + 1]), specialTokensMap: nil,
                                    addedTokensFile: nil, source: "folder")
        #expect(ok.count == n + 2)

        // A gap before the first added id, or between two of them.
        for (ids, bad, missing) in [([n + 5], n + 5, n), ([n, n + 1, n + 3], n + 3, n + 2)] {
            let error = #expect(throws: ErnieTokenizer.LoadError.self) {
                try ErnieTokenizer(sentencePiece: sp, config: config(ids), specialTokensMap: nil, addedTokensFile: nil,
                                   source: "folder")
            }
            #expect(error == .idGap(file: "tokenizer_config.json", token: "<extra_\(bad)>", id: bad,
                                    model: "tokenizer.model in folder", pieces: n, firstMissing: missing))
            print(error?.description ?? "")
        }
        // added_tokens.json is held to the same rule and named.
        let error = #expect(throws: ErnieTokenizer.LoadError.self) {
            try ErnieTokenizer(sentencePiece: sp, config: nil, specialTokensMap: nil,
                               addedTokensFile: AddedTokensFile(idsByContent: ["<far>": n + 100]), source: "x/tokenizer.model")
        }
        #expect(error == .idGap(file: "added_tokens.json", token: "<far>", id: n + 100, model: "x/tokenizer.model",
                                pieces: n, firstMissing: n))
    }
}
