// word2vec's tables against their formulas: the vocabulary (min-count, order), the subsampling keep probabilities
// (gensim's `sample` formula, numbers worked by hand) and the unigram^0.75 negative-sampling table.
import Foundation
import LabCore
import Testing
@testable import ClassicLMs

@Test func word2vecVocabularyKeepsFrequentWordsInOrder() {
    let sentences = [["b", "a", "c", "a"], ["a", "b", "d"], ["c", "b", "a"]]
    let v = Word2VecVocabulary(sentences: sentences, minCount: 2, sample: 0)
    // a: 4, b: 3, c: 2, d: 1 (dropped)
    #expect(v.words == ["a", "b", "c"])
    #expect(v.counts == [4, 3, 2])
    #expect(v.totalCount == 9)
    #expect(v.id(of: "d") == nil)
    // Words below min-count vanish from the text (no <unk>); every sentence keeps its order.
    #expect(v.encode(sentences) == [[1, 0, 2, 0], [0, 1], [2, 1, 0]])
    #expect(v.keepProbability == [1, 1, 1])
}

@Test func word2vecSubsamplingFollowsGensimFormula() {
    // counts 1000, 100, 10 of N = 1110 words, sample s = 0.01: t = s·N = 11.1 and
    // P(keep) = (√(c/t) + 1)·t/c, capped at 1. Worked by hand (to 7 digits):
    //   c = 1000: √(1000/11.1) = 9.4915800,  10.4915800 · 0.0111 = 0.1164565
    //   c = 100:  √(100/11.1)  = 3.0015011,   4.0015011 · 0.111  = 0.4441666
    //   c = 10:   √(10/11.1)   = 0.9491580,   1.9491580 · 1.11   = 2.1635654 → capped at 1
    let v = Word2VecVocabulary(words: ["x", "y", "z"], counts: [1000, 100, 10], sample: 0.01)
    let expected = [0.1164565, 0.4441666, 1.0]
    let diff = zip(v.keepProbability, expected).map { abs($0 - $1) }.max()!
    print("subsampling keep probability vs hand-computed: max abs diff \(diff)")
    #expect(diff < 1e-6)
    // The paper's variant would give 1 − √(t/f) discard; the tools' formula keeps more: check one against the other.
    #expect(v.keepProbability[0] > (11.1 / 1000).squareRoot())
    // The 32-bit thresholds the trainer compares with are the same probabilities.
    for (p, th) in zip(v.keepProbability, v.keepThreshold) {
        #expect(abs(Double(th) / 4_294_967_296 - p) < 1e-9)
    }
    // Drawing as the trainer does keeps each occurrence with that probability (10⁶ draws: 4σ < 0.002).
    var rng = SeededRNG(seed: 5)
    var kept = 0
    let n = 1_000_000
    for _ in 0..<n where (rng.next() >> 32) < v.keepThreshold[1] { kept += 1 }
    let rate = Double(kept) / Double(n)
    print("empirical keep rate \(rate) vs \(v.keepProbability[1]): diff \(abs(rate - v.keepProbability[1]))")
    #expect(abs(rate - v.keepProbability[1]) < 0.002)
    // sample = 0 keeps everything.
    #expect(Word2VecVocabulary.keepProbability(count: 1000, total: 1110, sample: 0) == 1)
}

@Test func word2vecNegativeTableFollowsUnigramPower() {
    let counts = [500, 120, 37, 9, 3, 1]
    let size = 1000
    let table = Word2VecVocabulary.unigramTable(counts: counts, size: size)
    let w = counts.map { pow(Double($0), 0.75) }
    let z = w.reduce(0, +)
    let p = w.map { $0 / z }
    // Naive twin: slot k holds the first word i with F_i ≥ k/size (F = cumulative P_n).
    var cum: [Double] = []
    var acc = 0.0
    for x in p { acc += x; cum.append(acc) }
    let naive = (0..<size).map { k in Int32(cum.firstIndex { $0 >= Double(k) / Double(size) - 1e-15 } ?? counts.count - 1) }
    #expect(table == naive)
    // Each word's share of slots is within one slot of P_n(i) = c_i^0.75 / Σ c^0.75.
    var maxDiff = 0.0
    for i in counts.indices {
        let slots = table.filter { $0 == Int32(i) }.count
        maxDiff = max(maxDiff, abs(Double(slots) - Double(size) * p[i]))
    }
    print("negative table: max |slots − size·P_n| = \(maxDiff) slots of \(size)")
    #expect(maxDiff <= 1)
    // The default size gives the corpus-sized vocabulary a fine table: ≥ 10⁶ slots.
    let v = Word2VecVocabulary(words: ["a", "b"], counts: [3, 1], sample: 0)
    #expect(v.negativeTable.count == 1_000_000)
    let share = Double(v.negativeTable.filter { $0 == 1 }.count) / 1e6
    let expectedShare = 1 / (pow(3, 0.75) + 1)
    print("2-word table share of word 1: \(share) vs \(expectedShare)")
    #expect(abs(share - expectedShare) <= 1e-6)
}
