// The two checks that converse with the learner's program (the others are case lists, LabExercises/Specs*.swift):
// the bigram counter reads a corpus line by line, the greedy decoder asks the lab's model for log-probabilities.
// Each compares with the lab's own implementation and reports the FIRST divergence with what was expected.
import Decoding
import ERNIE
import ClassicLMs
import Foundation
import Lab
import LabCore
import LabExercises
import Tokenizers

public enum ExerciseChecks {
    /// bigram_counter: the learner's counts against NGramCounts (order 2, one <s> and one </s>) on a corpus.
    public static func bigrams(_ build: ExerciseBuild, corpus: CorpusSpec, dataDirectory: URL) throws -> ExerciseVerdict {
        let sentences = try Corpus(corpus, dataDirectory: dataDirectory).train
        let vocabulary = Dictionary(uniqueKeysWithValues: Array(Set(sentences.joined())).sorted().enumerated().map { ($1, $0 + 2) })
        let counts = NGramCounts(order: 2, vocabularySize: vocabulary.count + 2, beginId: 0, endId: 1,
                                 sentences: sentences.map { $0.map { vocabulary[$0]! } })
        func id(_ w: String) -> Int? { w == "<s>" ? 0 : w == "</s>" ? 1 : vocabulary[w] }

        let session = try ExerciseSession(build, seconds: 20)
        defer { session.finish() }
        for s in sentences { session.send(s.joined(separator: " ")) }
        session.send("END")
        var seen = 0
        var done = false
        while let line = session.readLine() {
            if line == "DONE" { done = true; break }
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 4, f[0] == "RESULT", let n = Int(f[3]) else { continue }
            seen += 1
            guard let a = id(f[1]), let b = id(f[2]) else {
                return ExerciseVerdict(passed: false, summary: "\(seen) bigrams read",
                    firstDivergence: "you counted (\(f[1]), \(f[2])) \(n)×, but '\(f[1]) \(f[2])' is not a pair of the corpus's tokens — did you pad with exactly \"<s>\" and \"</s>\"?")
            }
            let expected = counts.count([a, b])
            if expected != n {
                return ExerciseVerdict(passed: false, summary: "\(seen) bigrams read",
                    firstDivergence: "c(\(f[1]) \(f[2])): yours \(n), expected \(expected)"
                        + (expected == 0 ? " — this pair never occurs" : n < expected ? " — some occurrences were missed (the padding? every sentence?)" : " — counted too often"))
            }
        }
        if !done { return ExerciseVerdict(passed: false, summary: "\(seen) bigrams read", firstDivergence: session.endReason()) }
        let types = counts.typeCount(order: 2)
        if seen != types {
            return ExerciseVerdict(passed: false, summary: "\(seen) of \(types) bigram types",
                firstDivergence: seen == 0 ? "you returned no counts at all (the starter's TODO is still there?)"
                    : "you returned \(seen) distinct bigrams, the corpus has \(types): some pairs are missing (the <s>/</s> padding?)")
        }
        return ExerciseVerdict(passed: true, summary: "all \(types) bigram types of \(corpus.name) (\(sentences.count) sentences) equal", firstDivergence: nil)
    }

    /// greedy_decoder: the learner's tokens against the lab's greedy decoder on `model`, prompt by prompt; the model
    /// answers the learner's questions over the pipe. Also returns the learner's tokens (for --api).
    public static func greedy(_ build: ExerciseBuild, model: ErnieModel, tokenizer: ErnieTokenizer?, prompts: [[Int]],
                       maxNewTokens: Int) throws -> (ExerciseVerdict, [[Int]]) {
        let end = model.endTokens.min() ?? 2
        let session = try ExerciseSession(build, seconds: 60)
        defer { session.finish() }
        var all: [[Int]] = []
        var tokens = 0
        func piece(_ id: Int) -> String { tokenizer.map { "'\($0.piece(id))'" } ?? "" }
        for (k, prompt) in prompts.enumerated() {
            let expected = try Sampler(processors: ProcessorChain([]), choice: .greedy)
                .generate(model, prompt: prompt, maxNewTokens: maxNewTokens, endTokens: [end]) { _ in }
            session.send("TASK \(maxNewTokens) \(end) " + prompt.map(String.init).joined(separator: ","))
            var result: [Int]?
            while let line = session.readLine() {
                if line.hasPrefix("QUERY ") {
                    let ids = line.dropFirst(6).split(separator: ",").compactMap { Int($0) }
                    guard !ids.isEmpty, ids.allSatisfy({ $0 >= 0 && $0 < model.vocabulary.count }) else {
                        return (ExerciseVerdict(passed: false, summary: "prompt \(k + 1)", firstDivergence: "nextLogProbs was called with ids outside the vocabulary (0..<\(model.vocabulary.count)): \(ids.prefix(12))"), all)
                    }
                    var state = try model.makeState()
                    let logProbs = try model.append(ids, to: &state)
                    session.send(logProbs.map { String(format: "%.9g", $0) }.joined(separator: " "))
                } else if line.hasPrefix("RESULT") {
                    result = line.dropFirst(6).split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    break
                }
            }
            guard let yours = result else {
                return (ExerciseVerdict(passed: false, summary: "prompt \(k + 1) of \(prompts.count)", firstDivergence: session.endReason()), all)
            }
            all.append(yours)
            if let i = (0..<max(yours.count, expected.count)).first(where: { $0 >= yours.count || $0 >= expected.count || yours[$0] != expected[$0] }) {
                var state = try model.makeState()
                let lp = try model.append(prompt + expected.prefix(i), to: &state)
                let text: String
                if i >= yours.count {
                    text = "you stopped after \(yours.count) token(s); the reference continues with \(expected[i]) \(piece(expected[i])) (log P \(String(format: "%.3f", lp[expected[i]])))"
                        + (yours.isEmpty ? " — the starter returns nothing yet" : "")
                } else if i >= expected.count {
                    text = "the reference stopped after \(expected.count) token(s) (end token \(end) or the limit \(maxNewTokens)); you went on with \(yours[i]) \(piece(yours[i]))"
                } else {
                    text = "token \(i + 1): yours \(yours[i]) \(piece(yours[i])) (log P \(String(format: "%.3f", lp[yours[i]]))), expected \(expected[i]) \(piece(expected[i])) (log P \(String(format: "%.3f", lp[expected[i]]))) — greedy takes the largest log-probability"
                }
                return (ExerciseVerdict(passed: false, summary: "prompt \(k + 1) of \(prompts.count), \(i) token(s) agreed",
                                        firstDivergence: "prompt \(k + 1) \(prompt): \(text)"), all)
            }
            tokens += expected.count
        }
        session.send("DONE")
        return (ExerciseVerdict(passed: true, summary: "\(prompts.count)/\(prompts.count) prompts, \(tokens) tokens identical to the lab's greedy decoder", firstDivergence: nil), all)
    }
}
