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

import Foundation
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
            throw DecodingError("beams \(beams): must be 1…\(Self.maxBeams). HINT: 4 is usual; 1 is greedy search.")
        }
        guard maxNewTokens >= 1 else { throw DecodingError("max new tokens \(maxNewTokens): must be ≥ 1") }
        guard (1...beams).contains(numReturnSequences) else {
            throw DecodingError("num-return \(numReturnSequences): must be between 1 and the number of beams (\(beams))")
        }
        guard lengthPenalty.isFinite else { throw DecodingError("length penalty \(lengthPenalty): must be finite") }
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
}

public enum BeamSearch {
    /// Runs beam search from `prompt`.
    /// - Throws: `DecodingError` for bad settings or an empty prompt; the model's errors.
    public static func run<M: LanguageModel>(_ model: M, prompt: [Int], settings: BeamSearchSettings) throws
        -> BeamSearchResult {
        try settings.validate()
        guard !prompt.isEmpty else { throw DecodingError("beam search: empty prompt. HINT: pass at least one id") }
        let ends = settings.endTokens ?? model.endTokens
        let beams = settings.beams, alpha = settings.lengthPenalty
        let keep = try settings.candidatesPerStep(endTokens: ends.count)    // K candidates ranked per step

        var tree = BeamTree()
        var states = [try model.makeState()]
        var rows = [try model.append(prompt, to: &states[0])]        // [beams][V] log-probs of the next token
        var running = [RunningBeam(node: 0, score: 0, history: prompt)]
        var finished: [FinishedHypothesis] = []                                 // best first, at most `beams`
        var canImprove = true                                         // transformers' is_early_stop_heuristic_unsatisfied

        for step in 0..<settings.maxNewTokens {
            let length = step + 1                                     // L of a hypothesis ending at this step
            // 1. Candidates S_b + log P(v | b) of every running beam, flattened b·V + v.
            var candidates: [(beam: Int, token: Int, logProb: Float, total: Float)] = []
            //    Only a beam's own K best tokens can be among the K best overall, so each beam offers those (LabCore's
            //    topK kernel, equal scores by lower id) and B·K candidates are sorted instead of B·V.
            for (b, beam) in running.enumerated() {
                let z = settings.processors.apply(rows[b], history: beam.history)      // [V]
                let best = z.withUnsafeBufferPointer { topK($0.baseAddress!, count: z.count, k: min(keep, z.count)) }
                for v in best where z[v] > -.infinity {
                    candidates.append((b, v, z[v], beam.score + z[v]))
                }
            }
            // 2. The best K (ties: lower beam, then lower id first).
            candidates.sort { $0.total != $1.total ? $0.total > $1.total
                                                   : ($0.beam, $0.token) < ($1.beam, $1.token) }
            let top = candidates.prefix(keep)
            let listFullAtStart = finished.count == beams
            var nextRunning: [RunningBeam] = []
            var nextStates: [M.State] = []
            var nextTokens: [Int] = []
            var allEnd = true
            for (rank, c) in top.enumerated() {
                let parent = running[c.beam]
                let endsHere = ends.contains(c.token) || length == settings.maxNewTokens
                let score = c.total / Float(Double(length) ** Double(alpha))
                var status = BeamNodeStatus.pruned
                if !endsHere {
                    allEnd = false
                    // 3. The best `beams` non-ending candidates run on.
                    if nextRunning.count < beams { status = .kept }
                } else if rank < beams {
                    // 4. An ending candidate among the first `beams` may join the finished list.
                    let closed = (listFullAtStart && settings.earlyStopping == .true) || !canImprove
                    status = closed ? .rejected : .finished
                }
                let node = tree.add(parent: parent.node, step: step, token: c.token, stepLogProb: c.logProb,
                                    cumulative: c.total, score: score, status: status)
                if status == .kept {
                    nextRunning.append(RunningBeam(node: node, score: c.total, history: parent.history + [c.token]))
                    nextStates.append(states[c.beam])                // a copy: the fork of the parent's cache
                    nextTokens.append(c.token)
                } else if status == .finished {
                    finished.append(FinishedHypothesis(node: node, score: score))
                }
            }
            // 4′. Keep the `beams` best finished hypotheses; mark the ones that fall out.
            finished.sort { $0.score > $1.score }
            for f in finished.dropFirst(beams) { tree.setStatus(f.node, .rejected) }
            finished = Array(finished.prefix(beams))
            // 5. Stopping test.
            if canImprove && finished.count == beams, let best = nextRunning.first {
                let hypothetical = settings.earlyStopping == .never && alpha > 0 ? settings.maxNewTokens : length
                let bestPossible = best.score / Float(Double(hypothetical) ** Double(alpha))
                if !(bestPossible > finished.last!.score) { canImprove = false }
            }
            let listClosed = settings.earlyStopping == .true && finished.count == beams
            if allEnd || !canImprove || listClosed || nextRunning.isEmpty { break }
            // 6. One batched model step for all running beams.
            running = nextRunning
            states = nextStates
            rows = try model.appendBatch(nextTokens, to: &states)
        }
        let sequences = finished.prefix(settings.numReturnSequences).map {
            BeamHypothesis(ids: tree.tokens(to: $0.node), score: $0.score, node: $0.node)
        }
        return BeamSearchResult(sequences: sequences, tree: tree)
    }
}

/// A running beam: its tree node, S, and the ids so far (prompt included, for the processors).
private struct RunningBeam { var node: Int; var score: Float; var history: [Int] }
/// A finished hypothesis: its tree node and S / L^α.
private struct FinishedHypothesis { var node: Int; var score: Float }

infix operator ** : MultiplicationPrecedence
@inline(__always) private func ** (a: Double, b: Double) -> Double { pow(a, b) }
