// BPETrainer: a hand-checked merge sequence, the merge rules on a real corpus, and the acceptance test:
// the models our trainer wrote (Fixtures/trainer/*.model) are retrained byte for byte, and our encoder
// gives the `sentencepiece` library's ids for thousands of strings (Fixtures/trainer/*.json, written by
// scripts/check_bpe_trainer.py with sentencepiece 0.2.1, which loaded the same model files).
//
// Regenerate: python3 scripts/check_bpe_trainer.py corpus
//             LMLAB_WRITE_FIXTURES=1 swift test --filter BPETrainerTests
//             python3 scripts/check_bpe_trainer.py ids
import Foundation
import Testing
@testable import Tokenizers

/// Fixtures of the Tokenizers tests, read from the source tree (and written there when regenerating).
enum TrainerFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/trainer")

    static func corpus() throws -> [String] {
        let text = try String(contentsOf: directory.appendingPathComponent("corpus.txt"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// The two committed models and the options that trained them.
    static let models: [(name: String, options: BPETrainer.Options)] = {
        let ernie = BPETrainer.Options.ernieLike(vocabSize: 1500)
        var dummy = BPETrainer.Options(vocabSize: 800)
        dummy.normalization = .dummyPrefix
        dummy.splitDigits = false
        dummy.allowWhitespaceOnlyPieces = false
        return [("ernie_like", ernie), ("dummy_prefix", dummy)]
    }()

    struct LibraryIds: Decodable {
        struct Case: Decodable { let text: String; let ids: [Int] }
        let sentencepiece: String
        let pieces: Int
        let cases: [Case]
    }
}

@Suite struct BPETrainerTests {
    /// "aaabdaaabac" (the minbpe example), by hand: pairs aa×4 → aa; then ab×2 and aa·a×2 tie, and ab has the
    /// smaller ids (a=0, b=1 by frequency) → ab; then aa·ab×2 → aaab; then all pairs occur once, the smallest
    /// ids win: a·c → ac.
    @Test func handCheckedMerges() throws {
        var options = BPETrainer.Options(vocabSize: 3 + 256 + 4 + 4)
        options.userDefinedPieces = []
        let (model, merges) = try BPETrainer(options: options).trainWithMerges(["aaabdaaabac"])
        #expect(merges.map { $0.left + "+" + $0.right } == ["a+a", "a+b", "aa+ab", "a+c"])
        #expect(merges.map(\.count) == [4, 2, 2, 1])
        let learned = model.pieces.dropFirst(3 + 256)
        #expect(learned.map(\.piece) == ["aa", "ab", "aaab", "ac", "a", "b", "c", "d"])
        #expect(learned.map(\.score) == [0, -1, -2, -3, -4, -5, -6, -7])
        #expect(model.pieces[3 + 65].piece == "<0x41>" && model.pieces[3 + 65].type == .byte)
        // The library's BPE replays the merges through the scores.
        let sp = try SentencePieceProcessor(model: model)
        #expect(sp.encodeAsPieces("aaabdaaabac") == ["aaab", "d", "aaab", "ac"])
    }

    /// The incremental trainer (pair counts updated in place, heap, pair → words index) against its naive twin that
    /// recounts everything before every merge: the same merges, counts and model bytes.
    @Test func incrementalCountsEqualNaiveRecount() throws {
        let lines = Array(try TrainerFixtures.corpus().prefix(400))
        for options in TrainerFixtures.models.map(\.options) {
            var o = options
            o.vocabSize = options.vocabSize == 1500 ? 900 : 700
            let fast = try BPETrainer(options: o).trainWithMerges(lines)
            let naive = try BPETrainer(options: o).trainWithMergesNaive(lines)
            let firstDiff = zip(fast.merges, naive.merges).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            print("\(o.normalization): \(fast.merges.count) merges, first difference from the naive recount: \(firstDiff.map(String.init) ?? "none")")
            #expect(fast.merges == naive.merges)
            #expect(fast.model.serialized() == naive.model.serialized())
        }
    }

    @Test func errorsSayWhatToChange() {
        #expect(throws: BPETrainer.TrainingError.vocabularyTooSmall(requested: 100, minimum: 263)) {
            try BPETrainer(options: .init(vocabSize: 100)).train(["abcd"])
        }
        #expect(throws: BPETrainer.TrainingError.vocabularyTooLarge(requested: 300, reachable: 262)) {
            try BPETrainer(options: .init(vocabSize: 300)).train(["ab"])
        }
        var dup = BPETrainer.Options(vocabSize: 300)
        dup.userDefinedPieces = ["<x>", "<x>"]
        #expect(throws: BPETrainer.TrainingError.invalidPiece("<x>", reason: "is defined twice")) {
            try BPETrainer(options: dup).train(["ab"])
        }
    }

    /// Every learned piece of the ERNIE-like model obeys the merge rules.
    @Test func learnedPiecesObeyTheRules() throws {
        let model = try BPETrainer(options: TrainerFixtures.models[0].options).train(try TrainerFixtures.corpus())
        var checked = 0
        for p in model.pieces where p.type == .normal && p.piece.unicodeScalars.count > 1 {
            let s = Array(p.piece.unicodeScalars)
            let allSpace = s.allSatisfy { $0 == "\u{2581}" }
            #expect(allSpace || !s.dropFirst().contains("\u{2581}"), "\"▁\" inside \(p.piece)")
            #expect(!s.contains { $0.properties.generalCategory == .decimalNumber }, "digit in \(p.piece)")
            let han = s.contains { (0x4E00...0x9FFF).contains($0.value) }
            let latin = s.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
            #expect(!(han && latin), "mixed scripts in \(p.piece)")
            #expect(s.count <= 16)
            checked += 1
        }
        #expect(model.pieces.contains { $0.piece == "\u{2581}\u{2581}" }, "whitespace-only pieces are allowed")
        print("learned multi-character pieces checked: \(checked)")
    }

    /// Acceptance: retraining gives the committed files byte for byte, and our encoder equals the library.
    @Test(arguments: TrainerFixtures.models.map(\.name))
    func committedModelRetrainsAndMatchesLibrary(name: String) throws {
        let options = TrainerFixtures.models.first { $0.name == name }!.options
        let corpus = try TrainerFixtures.corpus()
        let model = try BPETrainer(options: options).train(corpus)
        let bytes = model.serialized()
        let url = TrainerFixtures.directory.appendingPathComponent("\(name).model")
        if ProcessInfo.processInfo.environment["LMLAB_WRITE_FIXTURES"] == "1" {
            try Data(bytes).write(to: url)
            print("wrote \(url.path) (\(bytes.count) bytes, \(model.pieces.count) pieces)")
        }
        let committed = try [UInt8](Data(contentsOf: url))
        #expect(bytes == committed, "retrained \(name) differs from the committed model (deterministic training broke?)")

        let fixture = try JSONDecoder().decode(TrainerFixtures.LibraryIds.self,
            from: Data(contentsOf: TrainerFixtures.directory.appendingPathComponent("\(name).json")))
        #expect(fixture.pieces == model.pieces.count)
        let sp = try SentencePieceProcessor(model: try SentencePieceModel(serialized: committed, source: url.path))
        var mismatches = 0
        for c in fixture.cases {
            let ours = sp.encode(c.text)
            if ours != c.ids {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(name): \(c.text.debugDescription): ours \(ours), library \(c.ids)") }
            }
        }
        print("\(name): \(fixture.cases.count) strings, \(mismatches) differ from sentencepiece \(fixture.sentencepiece)")
        #expect(mismatches == 0)
    }

    /// Not a unit test: LMLAB_BENCH=1 swift test --filter BPETrainerTests/benchmark (Tokenizers is built -Ounchecked
    /// even in debug). LMLAB_BENCH_CORPUS=file trains on that file instead, e.g. a fresh 3 MB corpus from
    /// `python3 -c 'import random,sys; sys.path.insert(0,"scripts"); import check_bpe_trainer as c; r=random.Random(1);
    /// print("\n".join(c.corpus_line(r) for _ in range(35000)))' > /tmp/bpe3mb.txt`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LMLAB_BENCH"] == "1"))
    func benchmark() throws {
        var lines: [String] = []
        var bytes = 0
        if let path = ProcessInfo.processInfo.environment["LMLAB_BENCH_CORPUS"] {
            lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            bytes = lines.reduce(0) { $0 + $1.utf8.count }
        } else {
            let base = try TrainerFixtures.corpus()
            var k = 0
            while bytes < 3_000_000 {                        // ~3 MB: the corpus, with each line's words rotated
                let words = base[k % base.count].split(separator: " ")
                let r = (k / base.count) % max(1, words.count)
                let line = (words[r...] + words[..<r]).joined(separator: " ")
                lines.append(line); bytes += line.utf8.count; k += 1
            }
        }
        let start = Date()
        let model = try BPETrainer(options: .ernieLike(vocabSize: 8000)).train(lines)
        print("BPE training: \(bytes) bytes, \(lines.count) lines → \(model.pieces.count) pieces in "
              + String(format: "%.2f", Date().timeIntervalSince(start)) + " s")
    }
}
