// The packed-key counter against a naive twin: Dictionary<[Int], Int> over the same padded windows.
import Foundation
import Testing
@testable import ClassicLMs
import Tokenizers

/// Lessons/data/ of this checkout (tests read the committed corpus; no network).
func dataDirectory() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons/data")
}

/// Every k-gram window of every padded sentence, counted the obvious way.
func naiveCounts(_ sentences: [[Int]], order n: Int, begin: Int, end: Int, endPad: Int) -> [[Int]: Int] {
    var out: [[Int]: Int] = [:]
    for s in sentences {
        let p = Array(repeating: begin, count: n - 1) + s + Array(repeating: end, count: endPad)
        for i in p.indices { for k in 1...n where i + k <= p.count { out[Array(p[i..<(i + k)]), default: 0] += 1 } }
    }
    return out
}

@Test func countsMatchNaiveTwin() throws {
    let corpus = try Corpus(CorpusSpec.named("stories-en"), dataDirectory: dataDirectory())
    let sentences = Array(corpus.train.prefix(3000))
    let vocab = TokenVocabulary.build(from: sentences, minCount: 2)
    let ids = sentences.map { $0.map(vocab.idOrUnknown) }
    for (n, endPad) in [(1, 1), (3, 1), (5, 4)] {
        let counts = NGramCounts(order: n, vocabularySize: vocab.count, beginId: vocab.beginId, endId: vocab.endId,
                                 padding: NGramPadding(endCount: endPad), sentences: ids)
        let naive = naiveCounts(ids, order: n, begin: vocab.beginId, end: vocab.endId, endPad: endPad)
        var mismatches = 0
        for (gram, c) in naive where counts.count(gram) != c { mismatches += 1 }
        for k in 1...n {
            let naiveTypes = naive.keys.filter { $0.count == k }.count
            #expect(counts.typeCount(order: k) == naiveTypes, "n=\(n) k=\(k) types")
            // Continuation count N₁₊(• g) = number of distinct (k+1)-grams ending in g.
            if k < n {
                var cont: [[Int]: Int] = [:]
                for g in naive.keys where g.count == k + 1 { cont[Array(g.dropFirst()), default: 0] += 1 }
                var contMismatch = 0
                for g in naive.keys where g.count == k {
                    let idx = try #require(counts.index(of: g))
                    if counts.levels[k - 1].continuation[idx] != cont[g, default: 0] { contMismatch += 1 }
                }
                #expect(contMismatch == 0, "n=\(n) k=\(k): \(contMismatch) continuation counts differ")
            }
        }
        // An n-gram that never occurred counts 0.
        #expect(counts.count(Array(repeating: vocab.unknownId, count: n)) == naive[Array(repeating: vocab.unknownId, count: n), default: 0])
        print("n=\(n): \(naive.count) distinct grams, \(mismatches) count mismatches against the naive twin")
        #expect(mismatches == 0)
    }
}
