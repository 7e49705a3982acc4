// Word2VecQueries — what a learner asks of trained word vectors: nearest neighbours by cosine, analogies
// a : b :: c : ? (Mikolov, Yih & Zweig, 2013, "Linguistic Regularities in Continuous Space Word Representations",
// https://aclanthology.org/N13-1090/), and the accuracy on a questions-words file (format of the C tool's
// questions-words.txt, which gensim's `evaluate_word_analogies` reads too).
//
// All queries use unit vectors v̂ = v / ‖v‖, so a dot product is a cosine.
//   neighbours of w:  argmax over x ≠ w of cos(v̂_x, v̂_w)
//   analogy (3CosAdd): argmax over x ∉ {a, b, c} of cos(v̂_x, v̂_b − v̂_a + v̂_c)
// (gensim's `most_similar(positive=[b, c], negative=[a])` ranks the same way.)
import Foundation
import LabCore

/// The unit-length input vectors of a model, ready for cosine queries.
public struct Word2VecEmbeddings: Sendable {
    public let words: [String]
    /// D.
    public let dimension: Int
    /// v̂ [V, D], rows of length 1 (a zero vector stays 0).
    public let unit: [Float]
    private let index: [String: Int]

    public init(_ model: Word2VecModel) {
        var rows: [[Float]] = []
        for w in 0..<model.vocabulary.count { rows.append(model.inputVector(w)) }
        self.init(words: model.vocabulary.words, vectors: rows)
    }

    /// Embeddings from raw vectors (normalised here).
    public init(words: [String], vectors: [[Float]]) {
        precondition(words.count == vectors.count && !words.isEmpty)
        self.words = words
        dimension = vectors[0].count
        var unit = [Float]()
        unit.reserveCapacity(words.count * dimension)
        for v in vectors {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            unit += v.map { norm > 0 ? $0 / norm : 0 }
        }
        self.unit = unit
        var index: [String: Int] = [:]
        for (i, w) in words.enumerated() { index[w] = i }
        self.index = index
    }

    public func id(of word: String) -> Int? { index[word] }

    /// v̂ of word `id` [D].
    public func unitVector(_ id: Int) -> ArraySlice<Float> { unit[id * dimension ..< (id + 1) * dimension] }

    /// cos(v̂_x, q) for every word x [V].
    public func similarities(to query: [Float]) -> [Float] {
        precondition(query.count == dimension)
        var out = [Float](repeating: 0, count: words.count)
        unit.withUnsafeBufferPointer { u in
            query.withUnsafeBufferPointer { q in
                for x in 0..<words.count { out[x] = dot(u.baseAddress! + x * dimension, q.baseAddress!, count: dimension) }
            }
        }
        return out
    }

    /// The `k` words most similar to `query`, excluding `excluded` ids, best first (ties: lower id first).
    public func nearest(to query: [Float], k: Int, excluding excluded: Set<Int> = []) -> [(word: String, cosine: Float)] {
        let sims = similarities(to: query)
        let order = (0..<words.count).filter { !excluded.contains($0) }
            .sorted { sims[$0] != sims[$1] ? sims[$0] > sims[$1] : $0 < $1 }
        return order.prefix(k).map { (words[$0], sims[$0]) }
    }

    /// The `k` nearest neighbours of `word` by cosine.
    public func neighbors(of word: String, k: Int = 10) throws -> [(word: String, cosine: Float)] {
        guard let w = index[word] else { throw Word2VecError.unknownWord(word) }
        return nearest(to: Array(unitVector(w)), k: k, excluding: [w])
    }

    /// a : b :: c : ? by 3CosAdd, the three inputs excluded: the `k` best answers.
    public func analogy(_ a: String, _ b: String, _ c: String, k: Int = 5) throws -> [(word: String, cosine: Float)] {
        let ids = try [a, b, c].map { w -> Int in
            guard let i = index[w] else { throw Word2VecError.unknownWord(w) }
            return i
        }
        let (va, vb, vc) = (unitVector(ids[0]), unitVector(ids[1]), unitVector(ids[2]))
        var q = [Float](repeating: 0, count: dimension)
        for i in 0..<dimension {
            q[i] = vb[vb.startIndex + i] - va[va.startIndex + i] + vc[vc.startIndex + i]
        }
        let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { q = q.map { $0 / norm } }
        return nearest(to: q, k: k, excluding: Set(ids))
    }

    /// Accuracy on analogy questions (see `AnalogyQuestions`); questions with a word outside the vocabulary are
    /// skipped and counted, as gensim does.
    public func evaluate(_ questions: AnalogyQuestions) -> AnalogyReport {
        var sections: [AnalogyReport.Section] = []
        for s in questions.sections {
            var row = AnalogyReport.Section(name: s.name, correct: 0, asked: 0, skipped: 0, mistakes: [])
            for q in s.questions {
                guard [q.a, q.b, q.c, q.d].allSatisfy({ index[$0] != nil }),
                      let best = try? analogy(q.a, q.b, q.c, k: 1).first else {
                    row.skipped += 1
                    continue
                }
                row.asked += 1
                if best.word == q.d { row.correct += 1 } else if row.mistakes.count < 5 {
                    row.mistakes.append("\(q.a) : \(q.b) :: \(q.c) : \(best.word) (expected \(q.d))")
                }
            }
            sections.append(row)
        }
        return AnalogyReport(sections: sections)
    }
}

/// A questions-words file: ": section" lines, then "a b c d" per line (a : b :: c : d), compared lowercased.
public struct AnalogyQuestions: Sendable, Equatable {
    public struct Question: Sendable, Equatable { public var a, b, c, d: String }
    public struct Section: Sendable, Equatable { public var name: String; public var questions: [Question] }
    public var sections: [Section]

    /// Parses the file's text; `path` only names the file in errors.
    public init(text: String, path: String) throws {
        sections = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix(":") {
                sections.append(Section(name: line.dropFirst().trimmingCharacters(in: .whitespaces), questions: []))
                continue
            }
            let w = line.lowercased().split(separator: " ").map(String.init)
            guard w.count == 4, !sections.isEmpty else {
                throw Word2VecError.badFile(path: path, reason: "line \(n + 1) is not \"a b c d\" after a \": section\" line")
            }
            sections[sections.count - 1].questions.append(Question(a: w[0], b: w[1], c: w[2], d: w[3]))
        }
    }

    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw Word2VecError.badFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(text: text, path: url.path)
    }
}

/// Analogy accuracy by section.
public struct AnalogyReport: Sendable, Codable, Equatable {
    public struct Section: Sendable, Codable, Equatable {
        public var name: String
        public var correct: Int
        /// Questions with every word in the vocabulary.
        public var asked: Int
        public var skipped: Int
        /// Up to five wrong answers, for the learner to look at.
        public var mistakes: [String]
        public var accuracy: Double { AnalogyReport.accuracy([self]) }
    }
    public var sections: [Section]

    public var correct: Int { sections.reduce(0) { $0 + $1.correct } }
    public var asked: Int { sections.reduce(0) { $0 + $1.asked } }
    public var accuracy: Double { Self.accuracy(sections) }

    /// Accuracy over the named sections only.
    public func accuracy(of names: [String]) -> Double { Self.accuracy(sections.filter { names.contains($0.name) }) }

    /// Correct over asked across `sections` (0 when none was asked).
    static func accuracy(_ sections: [Section]) -> Double {
        let asked = sections.reduce(0) { $0 + $1.asked }
        return asked > 0 ? Double(sections.reduce(0) { $0 + $1.correct }) / Double(asked) : 0
    }
}
