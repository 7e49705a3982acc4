// The checks of the course's exercises: each runs the learner's program on real inputs and compares it with the
// lab's own implementation, reporting the FIRST divergence with what was expected and why it matters.
import Decoding
import ERNIE
import ClassicLMs
import Foundation
import Lab
import LabCore
import Tokenizers

/// The outcome of one check.
struct ExerciseVerdict: Codable, Equatable {
    var passed: Bool
    /// What was compared and how much of it agreed ("3/3 prompts, 48 tokens").
    var summary: String
    /// The first divergence, explained; nil when passed.
    var firstDivergence: String?
}

enum ExerciseChecks {
    /// bigram_counter: the learner's counts against NGramCounts (order 2, one <s> and one </s>) on a corpus.
    static func bigrams(_ build: ExerciseBuild, corpus: CorpusSpec, dataDirectory: URL) throws -> ExerciseVerdict {
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

    /// top_p: the learner's filter against Decoding's TopP on seeded random distributions (no ties) and edge cases.
    static func topP(_ build: ExerciseBuild, cases: Int = 40, seed: UInt64 = 7) throws -> ExerciseVerdict {
        var rng = SeededRNG(seed: seed)
        var tasks: [(p: Double, probs: [Double])] = []
        for k in 0..<cases {
            let n = 3 + k % 12
            var w = (0..<n).map { _ in -log(max(rng.nextDouble(), 1e-12)) * (1 + Double(k % 3)) }
            w = w.map { pow($0, 2.0) }
            let s = w.reduce(0, +)
            let p = [0.05, 0.3, 0.5, 0.8, 0.9, 0.95, 1.0][k % 7]
            tasks.append((p, w.map { $0 / s }))
        }
        let session = try ExerciseSession(build, seconds: 20)
        defer { session.finish() }
        for (k, task) in tasks.enumerated() {
            session.send("TASK \(task.p) " + task.probs.map { "\($0)" }.joined(separator: " "))
            guard let line = session.readLine() else {
                return ExerciseVerdict(passed: false, summary: "\(k)/\(cases) distributions", firstDivergence: session.endReason())
            }
            let yours = line.split(separator: " ").dropFirst().map { Double(String($0)) ?? .nan }
            // The lab's filter works on scores: log p, then softmax over the survivors.
            var scores = task.probs.map { Float(log($0)) }
            try TopP(Float(task.p)).process(&scores, history: [])
            let kept = scores.map { $0 > -.infinity }
            let mass = zip(task.probs, kept).reduce(0.0) { $0 + ($1.1 ? $1.0 : 0) }
            let expected = zip(task.probs, kept).map { $1 ? $0 / mass : 0 }
            func show(_ v: [Double]) -> String { "[" + v.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]" }
            let header = "distribution \(k + 1), p = \(task.p): \(show(task.probs))"
            guard yours.count == expected.count else {
                return ExerciseVerdict(passed: false, summary: "\(k)/\(cases) distributions",
                    firstDivergence: "\(header)\n  you returned \(yours.count) numbers, expected \(expected.count) (one per token)")
            }
            let yourKept = yours.map { $0 > 0 }
            if yourKept != kept {
                let extra = zip(yourKept, kept).filter { $0 && !$1 }.count, missing = zip(yourKept, kept).filter { !$0 && $1 }.count
                return ExerciseVerdict(passed: false, summary: "\(k)/\(cases) distributions",
                    firstDivergence: "\(header)\n  expected \(show(expected))\n  yours    \(show(yours))\n  "
                        + (extra > 0 ? "you kept \(extra) token(s) too many — stop as soon as the kept mass reaches p" : "you dropped \(missing) token(s) that belong to the nucleus — the token that crosses p is kept"))
            }
            if let i = zip(yours, expected).map({ abs($0 - $1) }).indices.first(where: { abs(yours[$0] - expected[$0]) > 1e-6 }) {
                return ExerciseVerdict(passed: false, summary: "\(k)/\(cases) distributions",
                    firstDivergence: "\(header)\n  expected \(show(expected))\n  yours    \(show(yours))\n  token \(i): \(yours[i]) instead of \(expected[i]) — renormalise the kept probabilities so they sum to 1")
            }
        }
        session.send("DONE")
        return ExerciseVerdict(passed: true, summary: "all \(cases) distributions equal the lab's TopP (kept sets identical, values within 1e-6)", firstDivergence: nil)
    }

    /// greedy_decoder: the learner's tokens against the lab's greedy decoder on `model`, prompt by prompt; the model
    /// answers the learner's questions over the pipe. Also returns the learner's tokens (for --api).
    static func greedy(_ build: ExerciseBuild, model: ErnieModel, tokenizer: ErnieTokenizer?, prompts: [[Int]],
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
