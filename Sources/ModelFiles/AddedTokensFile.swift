// AddedTokensFile — `added_tokens.json`: literal tokens appended after the SentencePiece vocabulary, content → id.
//
// ERNIE-4.5 lists 1,009 of them (shared/ERNIE45.md §6): 100295 <|IMAGE_PLACEHOLDER|>, 100296 <|AUDIO_PLACEHOLDER|>,
// 100297…101297 <|LOC_0|>…<|LOC_1000|>, …, 101303 <|IMAGE_SEP|>; with the 100,295 spm pieces that makes
// len(tokenizer) = 101,304. The file carries no flags; transformers treats these tokens as non-normalized literals.

import Foundation
import LabCore

/// The typed contents of `added_tokens.json`.
public struct AddedTokensFile: Codable, Equatable, Sendable {
    /// Token content → id, exactly as in the file.
    public var idsByContent: [String: Int]

    public init(idsByContent: [String: Int]) { self.idsByContent = idsByContent }

    /// The tokens ordered by id (the order the tokenizer appends them).
    public var byId: [(id: Int, content: String)] {
        idsByContent.map { (id: $0.value, content: $0.key) }
            .sorted { $0.id != $1.id ? $0.id < $1.id : $0.content < $1.content }
    }

    /// Reads and validates `added_tokens.json`.
    /// - Throws: `ConfigError` naming the file and the offending token.
    public static func load(from url: URL) throws -> AddedTokensFile {
        let file = try loadJSONConfig(AddedTokensFile.self, from: url)
        try file.validate(file: url.lastPathComponent)
        return file
    }

    /// Ids must be ≥ 0 and distinct (two contents on one id would make decode ambiguous).
    /// - Throws: `ConfigError.invalidValue`.
    public func validate(file: String = "added_tokens.json") throws {
        var owner: [Int: String] = [:]
        for (id, content) in byId {
            guard id >= 0 else {
                throw ConfigError.invalidValue(file: file, key: content, problem: "id \(id) is negative",
                                               fix: "use the token's index in the vocabulary")
            }
            if let other = owner[id] {
                throw ConfigError.invalidValue(file: file, key: content,
                                               problem: "id \(id) is also used by \(VisibleText.quoted(other))",
                                               fix: "give each added token its own id")
            }
            owner[id] = content
        }
    }

    public init(from decoder: Decoder) throws {
        idsByContent = try decoder.singleValueContainer().decode([String: Int].self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(idsByContent)
    }
}
