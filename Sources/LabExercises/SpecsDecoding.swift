// The checks of lesson 3: softmax with a temperature, top-k, top-p and min-p filtering. The expected values are
// Decoding's own logits processors (Temperature, TopK, TopP, MinP — the ones `sample` and the sampling explorer
// run), applied to log p and turned back into probabilities, exactly as the lab's sampler sees them.
import Decoding
import Foundation
import LabCore

enum DecodingSpecs {
    /// `probs` after `processor` (on log p), renormalised over the survivors: what the sampler draws from
    /// (ProcessorChain's processed distribution, in float32 as the sampler has it).
    static func filtered(_ probs: [Double], _ processor: any LogitsProcessor) -> [Double] {
        ProcessorChain([processor]).distributions(probs.map { Float(log($0)) }, history: []).processed.map(Double.init)
    }

    /// Too many or too few survivors, none at all (0/0 is nan), or the right ones not renormalised: the sentence for
    /// a filter's divergence, with the filter's hints about it. Returning the input unchanged (the starter) filters
    /// nothing: that names no hint in particular.
    static func keptAdvice(_ c: ExerciseCase, _ yours: ExerciseValue, tooMany: ExerciseAdvice, tooFew: ExerciseAdvice,
                           keep: ExerciseAdvice) -> ExerciseAdvice {
        guard let y = yours.numbers, let e = c.expected.numbers, y.count == e.count else { return Learner.text("return one probability per token, in the input's order", "每个词元返回一个概率，顺序与输入相同").advice }
        if y.contains(where: { $0.isNaN }) || y.allSatisfy({ $0 == 0 }) {
            return ExerciseAdvice(Learner.text("you kept no token at all (and 0/0 is nan) — \(keep.text)", "你一个词元也没有保留（而 0/0 是 nan）——\(keep.text)"), hints: keep.hints)
        }
        let extra = zip(y, e).filter { $0 > 0 && $1 == 0 }.count, missing = zip(y, e).filter { $0 == 0 && $1 > 0 }.count
        let unchanged = c.args.first?.numbers == y
        if extra > 0 { return ExerciseAdvice(Learner.text("you kept \(counted(extra, "token")) the lab removes — \(tooMany.text)", "你保留了 \(extra) 个实验室会去掉的词元——\(tooMany.text)"), hints: unchanged ? nil : tooMany.hints) }
        if missing > 0 { return ExerciseAdvice(Learner.text("you removed \(counted(missing, "token")) the lab keeps — \(tooFew.text)", "你去掉了 \(missing) 个实验室会保留的词元——\(tooFew.text)"), hints: tooFew.hints) }
        return ExerciseAdvice(Learner.text("the kept set is right; divide every kept probability by the kept sum so they sum to 1", "保留的集合是对的；把每个保留的概率除以保留概率之和，使它们的和为 1"), hints: [3])
    }

    static func distributions(seed: UInt64, count: Int) -> [[Double]] {
        var r = CaseRandom(seed: seed)
        return (0..<count).map { k in r.distribution(3 + k % 12) }
    }

    static let temperature = ExerciseSpec("temperature", tolerance: 1e-5, reference: "Decoding's Temperature, then softmax",
                                          cases: { _ in
        var r = CaseRandom(seed: 31)
        var cases: [ExerciseCase] = []
        let fixed: [([Double], Double)] = [([1, 2, 3], 1), ([1, 2, 3], 0.5), ([1, 2, 3], 100), ([2, 2, 1], 0.01), ([40, 39], 0.05)]
        let random = (0..<20).map { k in (r.vector(2 + k % 9, -8, 8), [0.2, 0.7, 1, 1.5, 3][k % 5]) }
        for (logits, t) in fixed + random {
            var scores = logits.map(Float.init)
            try Temperature(Float(t)).process(&scores, history: [])
            cases.append(ExerciseCase("softmaxWithTemperature(\(show(logits)), temperature: \(show(t)))",
                                      args: [.numbers(logits), .number(t)], expected: .numbers(softmax(scores.map(Double.init))),
                                      hints: exp(logits.max()! / t) == .infinity ? [2] : nil))   // exp(z/T) overflows
        }
        return cases
    }, advising: { c, yours, _ in
        if yours.numbers?.contains(where: { $0.isNaN }) == true { return Learner.text("at a small temperature z/T is huge: subtract the largest z/T before exp", "温度很小时 z/T 非常大：取 exp 前先减去最大的 z/T").hints(2) }
        if c.args.count == 2, let z = c.args[0].numbers, case .number(let t) = c.args[1],
           Slips.matches(yours, softmax(z.map { $0 * t })) {
            return Learner.text("you multiplied the logits by T: divide them by T (T < 1 sharpens, T > 1 flattens), then take the softmax",
                                "你把 logit 乘以了 T：要除以 T（T < 1 使分布更尖，T > 1 更平），再做 softmax").hints(1)
        }
        return Learner.text("divide every logit by T first (T < 1 sharpens, T > 1 flattens), then take the softmax", "先把每个 logit 除以 T（T < 1 使分布更尖，T > 1 更平），再做 softmax").advice
    })

    static let topK = ExerciseSpec("top_k", tolerance: 1e-6, reference: "Decoding's TopK", cases: { _ in
        var cases: [ExerciseCase] = []
        let fixed: [([Double], Int)] = [([0.5, 0.3, 0.2], 1), ([0.5, 0.3, 0.2], 3), ([0.5, 0.3, 0.2], 10), ([0.3, 0.3, 0.2, 0.2], 3), ([0.1, 0.6, 0.3], 2)]
        let random = distributions(seed: 41, count: 30).enumerated().map { k, p in (p, 1 + k % 6) }
        for (p, k) in fixed + random {
            let sorted = p.sorted(by: >)
            let tieAtThreshold = k < p.count && sorted[k - 1] == sorted[k]
            cases.append(ExerciseCase("topK(\(show(p)), k: \(k))", args: [.numbers(p), .int(k)], expected: .numbers(filtered(p, try TopK(k))),
                                      hints: k > p.count || tieAtThreshold ? [2] : nil))
        }
        return cases
    }, advising: { c, yours, _ in
        keptAdvice(c, yours, tooMany: Learner.text("keep only the k most likely (k larger than the vocabulary keeps all)", "只保留最可能的 k 个（k 大于词表时全部保留）").hints(1, 2),
                   tooFew: topKTooFew(c, yours),
                   keep: Learner.text("the k-th most likely itself stays: keep every token ≥ the threshold", "第 k 个最可能的词元本身也保留：概率 ≥ 阈值的都保留").hints(2))
    })

    /// Why a top-k filter removed a token the lab keeps: k reaches the vocabulary (all stay), fewer than k kept
    /// (off by one), or only a token tied with the k-th removed.
    static func topKTooFew(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice {
        let general = Learner.text("a token tied with the k-th most likely stays too, and k larger than the vocabulary keeps all",
                                   "与第 k 个并列的词元也保留，k 大于词表时全部保留").hints(2)
        guard let p = c.args.first?.numbers, c.args.count > 1, case .number(let kValue) = c.args[1],
              let y = yours.numbers, y.count == p.count, !p.isEmpty else { return general }
        let k = max(1, Int(kValue)), n = p.count, kept = y.filter { $0 > 0 }.count
        if k >= n {
            return Learner.text("k = \(k) is at least the vocabulary (\(n) tokens): every token stays",
                                "k = \(k) 不小于词表大小（\(n) 个词元）：全部保留").hints(2)
        }
        let kth = p.sorted(by: >)[k - 1]
        if zip(p, y).contains(where: { $0 > kth && $1 == 0 }) || kept < k {
            return Learner.text("keep the k = \(k) most likely tokens; you kept \(kept)", "要保留最可能的 k = \(k) 个词元，你保留了 \(kept) 个").hints(1, 2)
        }
        return Learner.text("a token tied with the k-th most likely (\(show(kth))) stays too", "与第 k 个（\(show(kth))）并列的词元也要保留").hints(2)
    }

    static let topP = ExerciseSpec("top_p", tolerance: 1e-6, reference: "Decoding's TopP", cases: { _ in
        var cases: [ExerciseCase] = []
        // By hand, each for one slip: a running sum that lands exactly on p (`>` takes one more; the first case, so
        // only the advice can name its hint), one that passes p inside a token (kept: stopping before it keeps too
        // little), a distribution in no sorted order (sort the ids, not the probabilities).
        let fixed: [([Double], Double, [Int]?)] = [([0.5, 0.3, 0.2], 0.5, nil), ([0.5, 0.3, 0.2], 0.6, [2]),
                                                   ([0.5, 0.3, 0.2], 1, nil), ([0.1, 0.2, 0.7], 0.05, [1])]
        let random = distributions(seed: 7, count: 40).enumerated().map { k, p in
            (p, [0.05, 0.3, 0.5, 0.8, 0.9, 0.95, 1.0][k % 7], nil as [Int]?)
        }
        for (p, top, hints) in fixed + random {
            cases.append(ExerciseCase("topP(\(show(p)), p: \(show(top)))", args: [.numbers(p), .number(top)],
                                      expected: .numbers(filtered(p, try TopP(Float(top)))), hints: hints))
        }
        return cases
    }, advising: { c, yours, _ in
        topPSorted(c, yours) ?? keptAdvice(c, yours, tooMany: Learner.text("stop as soon as the kept sum reaches p", "保留的概率之和一达到 p 就停止").hints(2),
                                           tooFew: Learner.text("the token that crosses p is kept", "越过 p 的那个词元要保留").hints(2),
                                           keep: Learner.text("keep tokens until their sum reaches p, the one that crosses it included", "一直保留到概率之和达到 p，越过 p 的那个也保留").hints(2))
    })

    /// The right probabilities in the wrong places: the learner sorted the probabilities (and wrote them out in
    /// sorted order) where the ids belong sorted.
    static func topPSorted(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard let y = yours.numbers, let e = c.expected.numbers, y.count == e.count,
              Slips.matches(.numbers(y.sorted()), e.sorted()), !Slips.matches(yours, e) else { return nil }
        return Learner.text("these are the right probabilities in the wrong places: out[id] belongs to token id — sort the ids by probability, not the probabilities",
                            "这些概率本身是对的，但位置错了：out[id] 属于词元 id——按概率给编号排序，而不是给概率排序").hints(1)
    }

    static let minP = ExerciseSpec("min_p", tolerance: 1e-6, reference: "Decoding's MinP", cases: { _ in
        var cases: [ExerciseCase] = []
        // [0.5, 0.25, 0.125, 0.125] at 0.5: a token exactly at the threshold (kept: "at least"; `>` would drop it).
        let fixed: [([Double], Double)] = [([0.5, 0.3, 0.2], 0.5), ([0.5, 0.3, 0.2], 0.1), ([0.9, 0.05, 0.05], 0.1),
                                           ([0.25, 0.25, 0.25, 0.25], 0.9), ([0.5, 0.25, 0.125, 0.125], 0.5)]
        let random = distributions(seed: 53, count: 30).enumerated().map { k, p in (p, [0.02, 0.05, 0.1, 0.3, 0.6][k % 5]) }
        for (p, m) in fixed + random {
            let atThreshold = p.contains { $0 == m * p.max()! && $0 < p.max()! }          // kept: only "below" goes
            cases.append(ExerciseCase("minP(\(show(p)), minP: \(show(m)))", args: [.numbers(p), .number(m)],
                                      expected: .numbers(filtered(p, try MinP(Float(m)))), hints: atThreshold ? [2] : nil))
        }
        return cases
    }, advising: { c, yours, _ in
        keptAdvice(c, yours, tooMany: Learner.text("the threshold is minP × the LARGEST probability; drop every token below it", "阈值是 minP × 最大的概率；低于它的词元都去掉").hints(1),
                   tooFew: minPTooFew(c, yours),
                   keep: Learner.text("the most likely token always stays: only tokens strictly below minP × the largest go", "最可能的词元总会保留：只去掉严格低于 minP × 最大概率的").hints(2))
    })

    /// Why a min-p filter removed a token the lab keeps: a token above the threshold (the threshold taken as minP
    /// itself, not minP × the largest probability), or only a token exactly at it (kept: only smaller ones go).
    static func minPTooFew(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice {
        guard let p = c.args.first?.numbers, c.args.count > 1, case .number(let m) = c.args[1], let top = p.max(),
              let y = yours.numbers, y.count == p.count else {
            return Learner.text("keep every token whose probability is at least minP × the largest probability", "概率不低于 minP × 最大概率的词元都要保留").advice
        }
        let threshold = m * top
        let removedAbove = zip(p, y).filter { $0 > threshold * (1 + 1e-9) && $1 == 0 }.map(\.0)
        guard let x = removedAbove.max() else {
            return Learner.text("keep a token whose probability equals the threshold (only strictly smaller ones go)", "概率等于阈值的词元要保留（只去掉严格更小的）").hints(2)
        }
        let t = "\(show(m)) × \(show(top)) = \(show(threshold))"
        return Learner.text("the threshold is minP × the largest probability, here \(t); \(show(x)) is above it and stays",
                            "阈值是 minP × 最大的概率，这里是 \(t)；\(show(x)) 高于它，要保留").hints(1)
    }

    static let all = [temperature, topK, topP, minP]
}
