// A Chinese learner's mistyped option is answered in Chinese: the range checks every library runs (LabCore's
// OptionCheck and its hints), the checks of ClassicLMs, NeuralLMs, ErnieTraining and LabExercises, and the commands'
// own validate() (the options that do not go together). Each message is built under `.en` and under `.zh`: the
// English one is the message as it always was (tests and goldens read it), the Chinese one carries "HINT：" and
// leaves no English prose outside the options, values and commands it quotes.
import ArgumentParser
import ClassicLMs
import Decoding
import ErnieTraining
import Foundation
import Lab
import LabCore
import LabExercises
import LabTestSupport
import NeuralLMs
import Testing
@testable import LabCLI

/// The message of whatever `make` throws, in `language`.
func errorMessage(_ language: LessonLanguage, _ make: () throws -> Void) -> String? {
    Learner.$language.withValue(language) {
        do { try make(); return nil } catch { return "\(error)" }
    }
}

/// `make` throws in both languages; the English message is `english` when given, and the Chinese one is Chinese.
func expectBothLanguages(_ what: String, english: String? = nil, _ make: () throws -> Void,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    guard let en = errorMessage(.en, make), let zh = errorMessage(.zh, make) else {
        Issue.record("\(what): no error was thrown", sourceLocation: sourceLocation)
        return
    }
    if let english { #expect(en == english, "\(what)", sourceLocation: sourceLocation) }
    #expect(!en.contains("HINT："), "\(what): \(en)", sourceLocation: sourceLocation)
    let problem = ChineseWording.problem(zh: zh, en: en)
    #expect(problem == nil, "\(what): \(problem ?? "") in \(zh)", sourceLocation: sourceLocation)
}

@Test func optionCheckSpeaksTheLearnersLanguageWithTheHintsItIsGiven() {
    expectBothLanguages("range", english: "--layers 100 is outside 1…64. HINT: give --layers a value in 1…64 (see --help).") {
        try OptionCheck.range("--layers", 100, 1...64)
    }
    expectBothLanguages("positive", english: "--lr 0 must be a number above 0 and at most 0.1. HINT: give --lr a value in (0, 0.1] (see --help).") {
        try OptionCheck.positive("--lr", 0.0, maximum: 0.1)
    }
    expectBothLanguages("product") {
        try OptionCheck.product([("--batch", 1 << 20), ("--seq", 1 << 20)], limit: 1 << 26,
                                what: Learner.text("floats", "浮点数"))
    }
    expectBothLanguages("--lang", english: "--lang fr: unknown language. HINT: use --lang en or --lang zh.") {
        _ = try LessonLanguage(option: "fr")
    }
    // The Chinese range message, whole: the option and the range verbatim, the hint's own words.
    #expect(errorMessage(.zh) { try OptionCheck.range("--port", 99999, 0...65535) }
            == "--port 99999 超出了 0…65535。HINT：给 --port 一个 0…65535 之间的值（见 --help）。")
}

/// A neural config with a hidden size of 0.
private struct ZeroHidden: NeuralSizedConfig {
    var sizes: [(key: String, option: String, value: Int, range: ClosedRange<Int>)] { [("hiddenSize", "--hidden", 0, 1...4096)] }
}

@Test func libraryOptionChecksSpeakTheLearnersLanguage() {
    // ClassicLMs
    expectBothLanguages("--smoothing") { _ = try NGramSmoothing(named: "kneser", k: 1, discount: 0.75) }
    expectBothLanguages("--k hint") { _ = try NGramSmoothing(named: "addk", k: 500, discount: 0.75) }
    expectBothLanguages("--discount") { _ = try NGramSmoothing(named: "kn", k: 1, discount: 2) }
    let w2v = { (arch: String, minCount: Int, alpha: Double, dimension: Int) in
        _ = try Word2VecConfig(architecture: arch, dimension: dimension, window: 5, negative: 5, epochs: 1,
                               minCount: minCount, sample: 1e-3, alpha: alpha, minAlpha: 0.0001, threads: 1, seed: 1)
    }
    expectBothLanguages("--arch") { try w2v("glove", 5, 0.025, 100) }
    expectBothLanguages("--min-count") { try w2v("cbow", 0, 0.025, 100) }
    expectBothLanguages("--alpha hint") { try w2v("cbow", 5, 3, 100) }
    expectBothLanguages("word2vec dimension") { try w2v("cbow", 5, 0.025, 0) }
    expectBothLanguages("corpus", english: "corpus 'x' is not known. HINT: use one of a, b (Lessons/data/README.md).") {
        throw CorpusError.unknownName("x", known: ["a", "b"])
    }
    expectBothLanguages("corpus held-out") { throw CorpusError.noHeldOut("x") }
    expectBothLanguages("corpus file") { throw CorpusError.unreadable(path: "/d/x.txt", reason: "R") }
    expectBothLanguages("word2vec word") { throw Word2VecError.unknownWord("x") }
    expectBothLanguages("word2vec file") { throw Word2VecError.badFile(path: "/d/v.w2v", reason: "R") }
    // NeuralLMs
    expectBothLanguages("neural size") { try ZeroHidden().validate() }
    for error: NeuralCheckpointError in [
        .missingMetadata(file: "m.safetensors", key: "k"), .wrongKind(file: "m.safetensors", found: "rnn", expected: "gru"),
        .missingTensor(file: "m.safetensors", name: "w"), .wrongShape(file: "m.safetensors", name: "w", found: [1], expected: [2]),
        .unusedTensor(file: "m.safetensors", name: "w"),
    ] {
        expectBothLanguages("\(error)") { throw error }
    }
    // ErnieTraining
    let shape = { (heads: Int, kvHeads: Int, headDim: Int) in
        try TinyErnieRecipe.Shape(hidden: 64, layers: 2, heads: heads, kvHeads: kvHeads, headDim: headDim, ffn: 128, vocab: 256)
            .check(sequenceLength: 64, batch: nil)
    }
    expectBothLanguages("--kv-heads hint") { try shape(4, 8, 16) }
    expectBothLanguages("--heads multiple") { try shape(4, 3, 16) }
    expectBothLanguages("--head-dim odd") { try shape(4, 2, 15) }
    expectBothLanguages("--top-k hint") { try TinyErnieRecipe.MoEShape(experts: 4, topK: 5, shared: 1, expertFFN: 64).check() }
    expectBothLanguages("memory") { try TinyErnieRecipe.checkTrainingMemory(nil, options: "--hidden or --batch") }
    // Decoding: the processors and beam settings a cell's edited options reach (sample --temperature 0, …)
    expectBothLanguages("temperature", english: "temperature 0.0: must be a finite number ≥ 0.0001. HINT: for always "
                        + "picking the most likely token use --strategy greedy; 0.7–1 is usual.") { _ = try Temperature(0) }
    expectBothLanguages("top-p", english: "top-p 2.0: must be between 0 and 1 (1 keeps every token)") { _ = try TopP(2) }
    expectBothLanguages("min-p") { _ = try MinP(3) }
    expectBothLanguages("min-p minTokensToKeep") { _ = try MinP(0.1, minTokensToKeep: 0) }
    expectBothLanguages("top-k") { _ = try TopK(0) }
    expectBothLanguages("repetition penalty") { _ = try RepetitionPenalty(0) }
    expectBothLanguages("beams") { try BeamSearchSettings(beams: 0, maxNewTokens: 4).validate() }
    expectBothLanguages("beam max new tokens") { try BeamSearchSettings(beams: 2, maxNewTokens: 0).validate() }
    expectBothLanguages("num-return") { try BeamSearchSettings(beams: 2, maxNewTokens: 4, numReturnSequences: 5).validate() }
    expectBothLanguages("length penalty") { try BeamSearchSettings(beams: 2, maxNewTokens: 4, lengthPenalty: .nan).validate() }
    // LabExercises
    expectBothLanguages("--parameter") {
        try ExercisePlug(model: "m", prompt: "p", sentence: "s", parameter: -1, seed: 0, maxNewTokens: 8, lang: .en).validate()
    }
}

/// The options a command line combines wrongly, refused by the command's validate() before anything runs.
@Test func commandOptionConflictsSpeakTheLearnersLanguage() {
    let m = ["--model", "tiny-ernie"]
    let lines: [[String]] = [
        ["beam", "Hi", "--format", "dot"] + m,
        ["sample", "Hi", "--top", "3"] + m,
        ["sample", "Hi", "--show-dist", "--max-new-tokens", "3"] + m,
        ["sample", "Hi", "--explore", "--json"] + m,
        ["generate", "Hi", "--strategy", "sample", "--top-p", "0"] + m,
        ["generate", "Hi", "--strategy", "beam", "--early-stopping", "--never-stop-early"] + m,
        ["generate", "Hi", "--beams", "99"] + m,
        ["prob", "Hi", "--explore", "--json"] + m,
        ["lens", "Hi", "--explore", "--json"] + m,
        ["check", "greedy"] + m,
        ["dpo-reward", "Q", "--answers", "a|b", "--policy", "p", "--reference", "r", "--beta", "0"],
        ["serve", "--port", "99999"] + m,
        ["ngram", "generate", "--temperature", "0"],
        ["train", "tiny-ernie", "--bench", "3", "--resume"],
    ]
    for words in lines {
        // As the command line shows it: ArgumentParser's wrapper around validate()'s error taken off.
        expectBothLanguages(words.joined(separator: " ")) {
            do { _ = try LMLab.parseAsRoot(words) } catch { throw OptionError(LMLab.message(for: error)) }
        }
    }
    // Wordings of OptionConflict that no short command line above reaches.
    let every: [() -> String] = [
        { OptionConflict.jsonOrExplore }, { OptionConflict.serverAddsBosNeedsBos }, { OptionConflict.embedTrainWithModel },
        { OptionConflict.apiTopUnused(by: "check greedy") }, { OptionConflict.headsNotGrouped(heads: 4, kvHeads: 3) },
        { OptionConflict.screenSize("80by24") }, { OptionConflict.exploreWithJSON(("heatmap", "热力图")) },
        { OptionConflict.benchWithResume }, { OptionConflict.checkGreedyNeedsAPI }, { OptionConflict.formatWithoutTree },
    ]
    for message in every {
        expectBothLanguages(Learner.$language.withValue(.en) { message() }) { throw OptionError(message()) }
    }
}
