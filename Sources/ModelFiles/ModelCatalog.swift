// ModelCatalog — the short names the lab accepts for `--model`, and the Hugging Face repo each one means.
//
// This is the one table of that mapping. `Models/catalog.json` (same shape, see `load(from:)`) can replace the
// built-in copy when it exists, so adding a model is a data change, not a code change.

import Foundation

/// Short model names → Hugging Face repo ids.
public struct ModelCatalog: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        /// What the learner types: `ernie-4.5-0.3b`.
        public var name: String
        /// The Hugging Face repo: `baidu/ERNIE-4.5-0.3B-PT`.
        public var repoId: String
        /// One line for listings.
        public var summary: String

        public init(name: String, repoId: String, summary: String) {
            self.name = name; self.repoId = repoId; self.summary = summary
        }

        enum CodingKeys: String, CodingKey { case name, repoId = "repo_id", summary }
    }

    public var models: [Entry]

    public init(models: [Entry]) { self.models = models }

    /// The models the lab knows without a catalog file.
    public static let builtIn = ModelCatalog(models: [
        Entry(name: "ernie-4.5-0.3b", repoId: "baidu/ERNIE-4.5-0.3B-PT",
              summary: "ERNIE-4.5 0.36B, post-trained for chat (bf16, ~722 MB)"),
        Entry(name: "ernie-4.5-0.3b-base", repoId: "baidu/ERNIE-4.5-0.3B-Base-PT",
              summary: "ERNIE-4.5 0.36B base model, completion only (bf16, ~722 MB)"),
    ])

    /// The repo id for a short name (case-insensitive), or nil.
    public func repoId(for name: String) -> String? {
        models.first { $0.name.lowercased() == name.lowercased() }?.repoId
    }

    /// Reads a catalog file: `{"models": [{"name": …, "repo_id": …, "summary": …}]}`.
    /// - Throws: `ConfigError` naming the file and key.
    public static func load(from url: URL) throws -> ModelCatalog {
        try loadJSONConfig(ModelCatalog.self, from: url)
    }
}
