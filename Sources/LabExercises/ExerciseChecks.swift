// The two checks that converse with the learner's program (the others are case lists, LabExercises/Specs*.swift):
// the bigram counter reads a corpus line by line, the greedy decoder asks the lab's model for log-probabilities.
// Each compares with the lab's own implementation and reports the FIRST divergence with what was expected.
import Decoding
import ERNIE
import ClassicLMs
import Foundation
import Lab
import LabCore
import Tokenizers

public enum ExerciseChecks {
    /// bigram_counter: the learner's counts against NGramCounts (order 2, one <s> and one </s>) on a corpus.
    public static func bigrams(_ build: ExerciseBuild, corpus: CorpusSpec, dataDirectory: URL) throws -> ExerciseVerdict {
        let sentences = try Corpus(corpus, dataDirectory: dataDirectory).train
        let vocabulary = Dictionary(uniqueKeysWithValues: Array(Set(sentences.joined())).sorted().enumerated().map { ($1, $0 + 2) })
        let counts = NGramCounts(order: 2, vocabularySize: vocabulary.count + 2, beginId: 0, endId: 1,
                                 sentences: sentences.map { $0.map { vocabulary[$0]! } })
        func id(_ w: String) -> Int? { w == "<s>" ? 0 : w == "</s>" ? 1 : vocabulary[w] }
        func read(_ n: Int) -> String { Learner.text("\(counted(n, "bigram")) read", "读到 \(n) 个二元组") }
        func pair(_ a: String, _ b: String) -> String { "(\"\(a)\", \"\(b)\")" }   // quoted: a token may be a comma

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
                return ExerciseVerdict(passed: false, summary: read(seen), firstDivergence: Learner.text(
                    "you counted \(pair(f[1], f[2])) \(n)×, but it is not a pair of the corpus's tokens — did you pad with exactly \"<s>\" and \"</s>\"?",
                    "你数了 \(pair(f[1], f[2])) \(n) 次，可它不是语料里的词元对——补齐时用的正好是 \"<s>\" 和 \"</s>\" 吗？"),
                    hints: [1])
            }
            let expected = counts.count([a, b])
            if expected != n {
                // A count of 1 where more belong: the count was set, not added to (the dictionary-default hint).
                let once = n == 1 && expected > 1
                return ExerciseVerdict(passed: false, summary: read(seen), firstDivergence:
                    Learner.text("c\(pair(f[1], f[2])): yours \(n), expected \(expected)", "c\(pair(f[1], f[2]))：你的 \(n)，期望 \(expected)")
                        + (expected == 0 ? Learner.text(" — this pair never occurs", "——这个词对从没出现过")
                           : once ? Learner.text(" — you counted it once only: add one each time it occurs (+= 1, not = 1)",
                                                 "——你只数了一次：每出现一次就加一（+= 1，不是 = 1）")
                           : n < expected ? Learner.text(" — some occurrences were missed (the padding? every sentence?)", "——漏数了几次（补齐？每一句都数了吗？）")
                           : Learner.text(" — counted too often", "——数多了")),
                    hints: once ? [3] : nil)
            }
        }
        if !done { return ExerciseVerdict(passed: false, summary: read(seen), firstDivergence: session.endReason()) }
        let types = counts.typeCount(order: 2)
        if seen != types {
            return ExerciseVerdict(passed: false, summary: Learner.text("\(seen) of \(types) bigram types", "\(types) 种二元组中的 \(seen) 种"),
                firstDivergence: seen == 0 ? Learner.text("you returned no counts at all (the starter's TODO is still there?)",
                                                          "你一个计数也没有返回（初始文件的 TODO 还在？）")
                    : Learner.text("you returned \(seen) distinct bigrams, the corpus has \(types): some pairs are missing (the <s>/</s> padding?)",
                                   "你返回了 \(seen) 种不同的二元组，语料里有 \(types) 种：少了一些词对（<s>/</s> 补齐了吗？）"),
                hints: seen == 0 ? nil : [1])
        }
        return ExerciseVerdict(passed: true, summary: Learner.text("all \(types) bigram types of \(corpus.name) (\(sentences.count) sentences) equal",
                                                                   "\(corpus.name)（\(sentences.count) 句）的全部 \(types) 种二元组都一致"), firstDivergence: nil)
    }

    /// Log-probabilities over `vocabulary` ids where two ids (neither `avoiding`, the end token) share the largest
    /// value, 0.4 each, the rest sharing 0.2; nil for a vocabulary too small to hold them.
    static func tieTable(vocabulary: Int, avoiding end: Int) -> [Float]? {
        let pair = (3..<vocabulary).filter { $0 != end }.prefix(2)
        guard pair.count == 2, vocabulary > 3 else { return nil }
        var table = [Float](repeating: log(0.2 / Float(vocabulary - 2)), count: vocabulary)
        for id in pair { table[id] = log(0.4) }
        return table
    }

    /// greedy_decoder: the learner's tokens against the lab's greedy decoder on `model`, prompt by prompt; the model
    /// answers the learner's questions over the pipe. Also returns the learner's tokens (for --api).
    public static func greedy(_ build: ExerciseBuild, model: ErnieModel, tokenizer: ErnieTokenizer?, prompts: [[Int]],
                       maxNewTokens: Int) throws -> (ExerciseVerdict, [[Int]]) {
        let end = model.endTokens.min() ?? 2
        // `table`: the log-probabilities the lab answers every question with instead of the model's (the tie task).
        // `hints`: the exercise's hints about the slip a task exists to catch (the stop, the tie rule).
        var tasks: [(prompt: [Int], end: Int, expected: [Int], maxNew: Int, table: [Float]?, hints: [Int]?)] = try prompts.map { prompt in
            (prompt, end, try Sampler(processors: ProcessorChain([]), choice: .greedy)
                .generate(model, prompt: prompt, maxNewTokens: maxNewTokens, endTokens: [end]) { _ in }, maxNewTokens, nil, nil)
        }
        // One more task on the first prompt whose end token comes early — a token the model writes on the way, as a
        // stop token would — so a decoder that never stops, or stops before appending it, is seen: the model's own
        // end token may not come within the limit. Greedy stops at that token's first occurrence, so the reference
        // is the first run up to it.
        if let first = tasks.first, first.expected.count > 2,
           let i = (1..<(first.expected.count - 1)).first(where: { !first.expected[..<$0].contains(first.expected[$0]) }) {
            tasks.append((first.prompt, first.expected[i], Array(first.expected[...i]), maxNewTokens, nil, [3]))
        }
        // And one where two tokens tie for the largest log-probability at every step: "token for token" means the
        // reference's rule for a tie too, the lower id (LabCore's argmax); a decoder keeping the last maximum differs.
        if let tie = Self.tieTable(vocabulary: model.vocabulary.count, avoiding: end), let prompt = prompts.first {
            let lower = tie.firstIndex(of: tie.max()!)!
            tasks.append((prompt, end, [lower, lower, lower], 3, tie, [2]))
        }
        let session = try ExerciseSession(build, seconds: 60)
        defer { session.finish() }
        var all: [[Int]] = []
        var tokens = 0
        func piece(_ id: Int) -> String { tokenizer.map { "'\($0.piece(id))'" } ?? "" }
        func ofPrompts(_ k: Int) -> String { Learner.text("prompt \(k + 1) of \(tasks.count)", "第 \(k + 1)/\(tasks.count) 个提示词") }
        for (k, (prompt, end, expected, maxNew, table, hints)) in tasks.enumerated() {
            session.send("TASK \(maxNew) \(end) " + prompt.map(String.init).joined(separator: ","))
            var result: [Int]?
            var asked: [[Int]] = []                 // the contexts the learner passed to nextLogProbs, in order
            while let line = session.readLine() {
                if line.hasPrefix("QUERY ") {
                    let ids = line.dropFirst(6).split(separator: ",").compactMap { Int($0) }
                    guard !ids.isEmpty, ids.allSatisfy({ $0 >= 0 && $0 < model.vocabulary.count }) else {
                        return (ExerciseVerdict(passed: false, summary: Learner.text("prompt \(k + 1)", "第 \(k + 1) 个提示词"), firstDivergence: Learner.text(
                            "nextLogProbs was called with ids outside the vocabulary (0..<\(model.vocabulary.count)): \(ids.prefix(12))",
                            "调用 nextLogProbs 时给的 id 超出了词表（0..<\(model.vocabulary.count)）：\(ids.prefix(12))")), all)
                    }
                    asked.append(ids)
                    let logProbs: [Float]
                    if let table { logProbs = table } else {
                        var state = try model.makeState()
                        logProbs = try model.append(ids, to: &state)
                    }
                    session.send(logProbs.map { String(format: "%.9g", $0) }.joined(separator: " "))
                } else if line.hasPrefix("RESULT") {
                    result = line.dropFirst(6).split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    break
                }
            }
            guard let yours = result else {
                return (ExerciseVerdict(passed: false, summary: ofPrompts(k), firstDivergence: session.endReason()), all)
            }
            all.append(yours)
            if let i = (0..<max(yours.count, expected.count)).first(where: { $0 >= yours.count || $0 >= expected.count || yours[$0] != expected[$0] }) {
                if let table, i < yours.count, yours[i] < table.count, table[yours[i]] == table[expected[i]] {
                    let lp = String(format: "%.3f", table[expected[i]])
                    return (ExerciseVerdict(passed: false, summary: ofPrompts(k) + Learner.text(", a tie", "，平局"), firstDivergence: Learner.text(
                        "prompt \(k + 1) (made-up log-probabilities): ids \(expected[i]) and \(yours[i]) tie at log P \(lp); the lab's greedy decoder takes the lower id, \(expected[i]), and you took \(yours[i]) — compare with > so that the first maximum stays",
                        "第 \(k + 1) 个提示词（编造的对数概率）：id \(expected[i]) 和 \(yours[i]) 的 log P 都是 \(lp)，打平了；实验室的贪心解码器取编号小的 \(expected[i])，你取了 \(yours[i])——比较时用 >，留住第一个最大值"),
                        hints: hints), all)
                }
                var state = try model.makeState()
                let lp = try model.append(prompt + expected.prefix(i), to: &state)
                func logP(_ id: Int) -> String { abs(lp[id]) < 0.0005 ? "≈ 0" : String(format: "%.3f", lp[id]) }
                let text: String
                var slip = hints
                if yours == prompt + expected {          // right, but with the prompt in front
                    slip = []
                    text = Learner.text("your answer begins with the prompt's \(prompt.count) ids: return only the new tokens (generated), not prompt + generated",
                                        "你的结果以提示词的 \(prompt.count) 个 id 开头：只返回新生成的词元（generated），不要返回 prompt + generated")
                } else if i >= yours.count {
                    text = Learner.text("you stopped after \(counted(yours.count, "token")); the reference continues with \(expected[i]) \(piece(expected[i])) (log P \(logP(expected[i])))",
                                        "你在 \(yours.count) 个词元后停了；参考答案接着是 \(expected[i]) \(piece(expected[i]))（log P \(logP(expected[i]))）")
                        + (yours.isEmpty ? Learner.text(" — the starter returns nothing yet", "——初始文件还什么都不返回")
                           : expected[i] == end && i == expected.count - 1
                           ? Learner.text(", this task's end token (\(end)): append it, then stop", "，这正是本题的结束词元（\(end)）：先追加它，再停止") : "")
                } else if i >= expected.count {
                    text = Learner.text("the reference stopped after \(counted(expected.count, "token")) (end token \(end) or the limit \(maxNewTokens)); you went on with \(yours[i]) \(piece(yours[i]))",
                                        "参考答案在 \(expected.count) 个词元后停了（结束词元 \(end) 或上限 \(maxNewTokens)）；你却接着写了 \(yours[i]) \(piece(yours[i]))")
                } else if !asked.contains(prompt + yours.prefix(i)) {
                    slip = [1]
                    let context = prompt + yours.prefix(i), last = i < asked.count ? asked[i] : asked.last ?? []
                    text = Learner.text("token \(i + 1): yours \(yours[i]) \(piece(yours[i])), expected \(expected[i]) \(piece(expected[i])) — you never passed nextLogProbs the whole context so far (the prompt and the \(i) token(s) before it, \(context.count) ids); your call \(i + 1) passed \(last.count) id(s), ending \(last.suffix(8)). Pass prompt + generated every time",
                                        "第 \(i + 1) 个词元：你的 \(yours[i]) \(piece(yours[i]))，期望 \(expected[i]) \(piece(expected[i]))——你从没把到此为止的完整上文（提示词加上它前面的 \(i) 个词元，共 \(context.count) 个 id）交给 nextLogProbs；你的第 \(i + 1) 次调用给了 \(last.count) 个 id，结尾是 \(last.suffix(8))。每次都要传 prompt + generated")
                } else {
                    text = Learner.text("token \(i + 1): yours \(yours[i]) \(piece(yours[i])) (log P \(logP(yours[i]))), expected \(expected[i]) \(piece(expected[i])) (log P \(logP(expected[i]))) — greedy takes the largest log-probability",
                                        "第 \(i + 1) 个词元：你的 \(yours[i]) \(piece(yours[i]))（log P \(logP(yours[i]))），期望 \(expected[i]) \(piece(expected[i]))（log P \(logP(expected[i]))）——贪心取对数概率最大的那个")
                }
                return (ExerciseVerdict(passed: false, summary: ofPrompts(k) + Learner.text(", \(counted(i, "token")) agreed", "，\(i) 个词元一致"),
                                        firstDivergence: Learner.text("prompt \(k + 1) \(prompt): ", "第 \(k + 1) 个提示词 \(prompt)：") + text,
                                        hints: slip), all)
            }
            tokens += expected.count
        }
        session.send("DONE")
        return (ExerciseVerdict(passed: true, summary: Learner.text("\(tasks.count)/\(tasks.count) prompts, \(tokens) tokens identical to the lab's greedy decoder",
                                                                    "\(tasks.count)/\(tasks.count) 个提示词，\(tokens) 个词元与实验室的贪心解码器完全一致"), firstDivergence: nil), all)
    }
}
