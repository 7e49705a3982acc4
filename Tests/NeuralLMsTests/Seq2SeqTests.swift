// The number translator: the task's own pairs (hand-checked), and a trained GRU encoder–decoder with Bahdanau
// attention reaching ≥ 95 % exact match on held-out numbers with alignments on the right source word ≥ 90 %.
import Testing
import Foundation
import LabCore
@testable import NeuralLMs

@Test func numberPairsAreCorrectChinese() {
    let cases: [(Int, String, String, [Int])] = [
        (7, "seven", "七", [0]), (10, "ten", "十", [0]), (17, "seventeen", "十七", [0]), (42, "forty two", "四十二", [0, 1]),
        (105, "one hundred five", "一百零五", [0, 1, 2, 2]), (110, "one hundred ten", "一百一十", [0, 1, 2]),
        (200, "two hundred", "两百", [0, 1]), (1010, "one thousand ten", "一千零一十", [0, 1, 2, 2]),
        (2222, "two thousand two hundred twenty two", "两千两百二十二", [0, 1, 2, 3, 4, 5]),
        (3405, "three thousand four hundred five", "三千四百零五", [0, 1, 2, 3, 4, 4]),
        (9000, "nine thousand", "九千", [0, 1]),
    ]
    for (n, en, zh, al) in cases {
        let p = NumberTranslation.pair(n)
        #expect(p.english.joined(separator: " ") == en && p.chinese.joined() == zh && p.alignment == al, "\(n): \(p)")
    }
    let vocabulary = Set(NumberTranslation.chineseTokens)
    #expect((1...9999).allSatisfy { NumberTranslation.pair($0).chinese.allSatisfy(vocabulary.contains) })
}

/// The task's words read back: every number 1 … 9999 in its own form, nothing else (a translation outside it is
/// said to be a guess: w17 REPL walk 7).
@Test func numberWordsReadBackOnlyInTheTasksForm() {
    #expect((1...9999).allSatisfy { NumberTranslation.value(of: NumberTranslation.pair($0).english) == $0 })
    for words in ["twelve thousand", "ten thousand", "zero", "three hundred and five", "forty zero", "two two", ""] {
        #expect(NumberTranslation.value(of: words.split(separator: " ").map(String.init)) == nil, "\(words)")
    }
    #expect(NumberTranslation.value(of: ["forty"]) == 40 && NumberTranslation.value(of: ["forty", "two"]) == 42)
}

@Test func seq2seqTranslatesHeldOutNumbersAndAlignsMonotonically() throws {
    let (train, heldOut) = NumberTranslation.split()
    #expect(Set(train.map(\.value)).isDisjoint(with: heldOut.map(\.value)))
    let model = Seq2Seq.numbers()
    let options = Seq2Seq.defaultTraining.overridden(steps: 400)
    let outcome = try model.train(on: train.map { ($0.english, $0.chinese) }, options: options,
                                  optimizer: model.makeOptimizer(options))
    print("seq2seq: \(outcome.summary)")
    let (exact, aligned) = model.evaluate(heldOut)
    print("held-out (\(heldOut.count) numbers): exact match \(exact), alignment argmax on the expected word \(aligned)")
    let example = model.translate(NumberTranslation.pair(3405).english)
    print("three thousand four hundred five → \(example.output.joined())")
    for (token, row) in zip(example.output + ["</s>"], example.alignment) {
        print("  \(token)\t" + row.map { String(format: "%.2f", $0) }.joined(separator: " "))
    }
    #expect(exact >= 0.95)
    #expect(aligned >= 0.90)
    #expect(example.alignment.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-5 })
}
