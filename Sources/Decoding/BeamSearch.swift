// BeamSearch — keep the `beams` best partial sequences at every step, with transformers' semantics
// (GenerationMixin._beam_search, transformers 5.24), and record the whole search tree.
// Background: Graves (2012) https://arxiv.org/abs/1211.3711 §3; Wu et al. (2016, GNMT) for the length penalty,
// https://arxiv.org/abs/1609.08144 §7.
//
// Scores. A hypothesis y₁…y_L (new tokens) has cumulative log-prob S = Σ log P(y_t | prompt, y_<t), and a finished
// hypothesis is ranked by S / L^α (α = length_penalty; α > 0 favours longer, α < 0 shorter sequences, α = 0 is
// plain S). L counts the end token.
//
// Each step, for the running beams (one at the first step, `beams` afterwards):
//   1. every beam b and token v gives a candidate with S_b + log P(v | beam b);
//   2. the best K = max(2, 1 + #end ids) · beams candidates over all beams × V are ranked (enough that `beams`
//      of them do not end);
//   3. a candidate "ends" if its token is an end id or the length limit is reached; the best `beams`
//      candidates that do not end become the next running beams (all in one `appendBatch` call);
//   4. an ending candidate among the first `beams` of the K joins the finished list with score S / L^α, which
//      keeps only the `beams` best; the list is closed when it is full and early_stopping is true, or when
//      the stopping test below has fired;
//   5. the search stops when all K candidates end, when early_stopping is true and the finished list is full, or
//      when the finished list is full and the best running beam cannot beat its worst member by the estimate
//        best possible = S_best running / L_hyp^α,
//      with L_hyp = the current length, except early_stopping "never" with α > 0, where L_hyp = max_new_tokens.
// The result is the finished list, best first; its first `numReturnSequences` entries are returned.

import LabCore

/// When beam search may stop before max_new_tokens (transformers' `early_stopping`).
public enum EarlyStopping: String, Sendable, Codable {
    /// Stop as soon as `beams` hypotheses have finished.
    case `true`
    /// Stop when the best running beam, at its current length, cannot beat the worst finished hypothesis.
    case `false`
    /// As `false`, but with α > 0 assume the running beam could grow to max_new_tokens (canonical beam search).
    case never
}

public struct BeamSearchSettings: Sendable {
    public var beams: Int
    public var maxNewTokens: Int
    public var lengthPenalty: Float
    public var earlyStopping: EarlyStopping
    public var numReturnSequences: Int
    /// nil: the model's `endTokens`.
    public var endTokens: Set<Int>?
    /// Applied to each beam's log-probs before ranking (none by default, as in transformers' beam search).
    public var processors: ProcessorChain

    public init(beams: Int, maxNewTokens: Int, lengthPenalty: Float = 1, earlyStopping: EarlyStopping = .false,
                numReturnSequences: Int = 1, endTokens: Set<Int>? = nil, processors: ProcessorChain = ProcessorChain([])) {
        self.beams = beams
        self.maxNewTokens = maxNewTokens
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
        self.numReturnSequences = numReturnSequences
        self.endTokens = endTokens
        self.processors = processors
    }

    /// The most beams a search keeps. Every beam holds its own KV cache and each step ranks K·beams candidates;
    /// beyond a few dozen beams the search only grows memory (the explorer offers up to 16).
    public static let maxBeams = 64

    /// - Throws: `DecodingError` naming the setting and the fix.
    public func validate() throws {
        guard (1...Self.maxBeams).contains(beams) else {
            throw DecodingError(Learner.text("beams \(beams): must be 1…\(Self.maxBeams). HINT: 4 is usual; 1 is greedy search.",
                                             "束数 \(beams)：必须在 1…\(Self.maxBeams) 之间。HINT：常用 4；1 就是贪心搜索。"))
        }
        guard maxNewTokens >= 1 else {
            throw DecodingError(Learner.text("max new tokens \(maxNewTokens): must be ≥ 1", "最多新词元数 \(maxNewTokens)：必须 ≥ 1。"))
        }
        guard (1...beams).contains(numReturnSequences) else {
            throw DecodingError(Learner.text(
                "num-return \(numReturnSequences): must be between 1 and the number of beams (\(beams))",
                "num-return \(numReturnSequences)：必须在 1 和束数（\(beams)）之间。HINT：把 --num-return 设为不大于 --beams 的值。"))
        }
        guard lengthPenalty.isFinite else {
            throw DecodingError(Learner.text("length penalty \(lengthPenalty): must be finite", "长度惩罚 \(lengthPenalty)：必须是有限数。"))
        }
    }

    /// K = max(2, 1 + #end ids) · beams: the candidates ranked per step (enough that `beams` of them do not end).
    /// - Throws: `DecodingError` when the product does not fit in an Int.
    func candidatesPerStep(endTokens: Int) throws -> Int {
        let (k, overflow) = max(2, 1 + endTokens).multipliedReportingOverflow(by: beams)
        guard !overflow else {
            throw DecodingError("beams \(beams) × \(max(2, 1 + endTokens)) candidates per step does not fit in an Int")
        }
        return k
    }
}

/// One returned hypothesis.
public struct BeamHypothesis: Sendable, Equatable {
    /// The new ids (the end token included when it ended on one).
    public let ids: [Int]
    /// S / L^α, transformers' `sequences_scores`.
    public let score: Float
    /// Its node in the tree.
    public let node: Int
}

public struct BeamSearchResult: Sendable {
    /// Best first.
    public let sequences: [BeamHypothesis]
    public let tree: BeamTree
    /// The steps taken when Ctrl-C stopped the search (`BeamSearch.run` keeping what it has); nil when it finished.
    public var cancelledAfter: Int? = nil
}

public enum BeamSearch {
    /// Runs beam search from `prompt`: `BeamStepper` stepped until it is done (the steps are numbered above).
    /// - Parameter keepingWhatItHas: Ctrl-C returns what the search has instead of throwing: every finished
    ///   hypothesis and running beam (BeamStepper's `unfinished`), best first, with `cancelledAfter` set; the caller
    ///   shows them and then says the run was cancelled.
    /// - Throws: `DecodingError` for bad settings or an empty prompt; the model's errors; `CancellationRequested` at
    ///   Ctrl-C, between two steps (unless `keepingWhatItHas`).
    public static func run<M: LanguageModel>(_ model: M, prompt: [Int], settings: BeamSearchSettings,
                                             keepingWhatItHas: Bool = false) throws -> BeamSearchResult {
        let stepper = try BeamStepper(model, prompt: prompt, settings: settings)
        do { while try stepper.step() {} } catch is CancellationRequested where keepingWhatItHas {
            return BeamSearchResult(sequences: (stepper.finished + stepper.unfinished).sorted { $0.score > $1.score },
                                    tree: stepper.tree, cancelledAfter: stepper.steps)
        }
        return BeamSearchResult(sequences: Array(stepper.finished.prefix(settings.numReturnSequences)),
                                tree: stepper.tree)
    }
}
