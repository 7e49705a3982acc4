// NGramSmoothing — turning counts into P(w | h): maximum likelihood, add-k, interpolated Kneser–Ney.
//
// Each formula below is the one nltk.lm implements (nltk 3.9, `nltk/lm/models.py`, `nltk/lm/smoothing.py`), so the
// lesson can check our numbers against nltk on the same counts (Tests/ClassicLMsTests, scripts/make_ngram_fixtures.py).
// h is the context (the last n−1 tokens), V the vocabulary size (with <unk>, <s>, </s>).
//
//   MLE          P(w | h) = c(h w) / N(h)                        (0 when h was never followed by anything)
//   add-k        P(w | h) = (c(h w) + k) / (N(h) + k·V)          Laplace k = 1, Lidstone 0 < k < 1
//   Kneser–Ney   interpolated, with absolute discount d (KneserNey.swift)

import LabCore

/// How counts become probabilities; JSON writes its (English) description.
public enum NGramSmoothing: Sendable, Equatable, CustomStringConvertible, Encodable {
    /// Maximum likelihood: relative frequency, no smoothing.
    case mle
    /// Add-k (Lidstone); k = 1 is Laplace.
    case addK(Double)
    /// Interpolated Kneser–Ney with absolute discount d (nltk's default d = 0.1).
    case kneserNey(discount: Double)

    public static let laplace = NGramSmoothing.addK(1)

    public var description: String {
        switch self {
        case .mle: return "MLE"
        case .addK(let k): return k == 1 ? "Laplace (add-1)" : "Lidstone (add-\(k))"
        case .kneserNey(let d): return "interpolated Kneser–Ney (d = \(d))"
        }
    }

    /// The name a report shows, in the learner's language: "interpolated Kneser–Ney (d = 0.75)" or
    /// "插值 Kneser–Ney（d = 0.75）".
    public var learnerName: String {
        switch self {
        case .mle: return "MLE"
        case .addK(let k) where k == 1: return Learner.text("Laplace (add-1)", "拉普拉斯平滑（加 1）")
        case .addK(let k): return Learner.text("Lidstone (add-\(k))", "加 k 平滑（k = \(k)）")
        case .kneserNey(let d): return Learner.text("interpolated Kneser–Ney (d = \(d))", "插值 Kneser–Ney（d = \(d)）")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension NGramSmoothing {
    /// The rule `--smoothing NAME` names (mle, laplace, addk, kn), with add-k's k and Kneser–Ney's discount d.
    /// - Throws: `OptionError` for an unknown name, or a k or d no model could use.
    public init(named name: String, k: Double, discount: Double) throws(OptionError) {
        switch name {
        case "mle": self = .mle
        case "laplace": self = .laplace
        case "addk":
            try OptionCheck.positive("--k", k, maximum: 100,
                                     hint: Learner.text("add-k smoothing uses a small k such as 0.1; --smoothing laplace is k = 1.",
                                                       "加 k 平滑用较小的 k，例如 0.1；--smoothing laplace 就是 k = 1。"))
            self = .addK(k)
        case "kn":
            guard discount > 0 && discount < 1 else {
                throw OptionError(Learner.text("--discount \(discount) must be in (0, 1). HINT: 0.75 is usual.",
                                               "--discount \(discount) 必须在 (0, 1) 之间。HINT：常用 0.75。"))
            }
            self = .kneserNey(discount: discount)
        default:
            throw OptionError(Learner.text("--smoothing '\(name)' is not known. HINT: use mle, laplace, addk or kn.",
                                           "不认识 --smoothing '\(name)'。HINT：用 mle、laplace、addk 或 kn。"))
        }
    }
}

extension NGramCounts {
    /// P(word | context) under `smoothing`. `context` is cut to its last n−1 tokens; a shorter context is used as is
    /// (nltk scores exactly the context it is given).
    public func probability(of word: Int, after context: [Int], smoothing: NGramSmoothing) -> Double {
        let h = context.suffix(order - 1)
        switch smoothing {
        case .mle:
            guard let c = index(of: h) else { return 0 }
            let level = levels[h.count]
            let total = level.contextTotal[c]
            guard total > 0 else { return 0 }
            return Double(followCount(context: c, order: h.count + 1, word: word)) / Double(total)
        case .addK(let k):
            let V = Double(vocabularySize)
            guard let c = index(of: h) else { return k / (k * V) }
            let total = levels[h.count].contextTotal[c]
            return (Double(followCount(context: c, order: h.count + 1, word: word)) + k) / (Double(total) + k * V)
        case .kneserNey(let d):
            return kneserNey(word, h, discount: d)
        }
    }

    /// c(h w) where h is the context with index `c` at order k − 1.
    @inline(__always) func followCount(context c: Int, order k: Int, word: Int) -> Int {
        guard let g = gramIndex(context: c, order: k, word: word) else { return 0 }
        return levels[k - 1].count[g]
    }

    /// Index of the k-gram (h w) given h's index at order k − 1.
    @inline(__always) func gramIndex(context c: Int, order k: Int, word: Int) -> Int? {
        guard word >= 0 && word < vocabularySize else { return nil }
        if k == 1 { return word }
        return levels[k - 1].table.find(UInt64(c) &* UInt64(vocabularySize) &+ UInt64(word))
    }
}
