// BeamStepper — beam search one step at a time, so an explorer can show the tree growing between key presses.
//
// The one implementation of the search described in BeamSearch.swift (transformers' semantics, numbered steps 1–6
// there), cut at the end of each step: `step()` ranks the candidates of the running beams, updates the tree and the
// finished list, and (unless the search is over) makes the one batched model call for the next step.
// `BeamSearch.run` steps it to the end; the beam explorer steps it between key presses. A step starts with
// `Cancellation.check()`: Ctrl-C stops any loop that steps it before its next step, and the stepper is left as it
// was, whole: its finished hypotheses and its running beams (`unfinished`) are what the search had.

import Foundation
import LabCore

/// A beam search that can be advanced step by step, whatever the model type.
public protocol BeamStepping: AnyObject {
    var settings: BeamSearchSettings { get }
    /// The tree so far (node 0 is the prompt).
    var tree: BeamTree { get }
    /// Steps taken.
    var steps: Int { get }
    /// True when the search has stopped (no step is left).
    var isDone: Bool { get }
    /// The finished hypotheses so far, best first (at most `beams`).
    var finished: [BeamHypothesis] { get }
    /// The beams still running, best first, each scored as if it ended after the steps taken; empty before the first
    /// step and once the search is done.
    var unfinished: [BeamHypothesis] { get }
    /// One step; false when the search was already done.
    /// - Throws: the model's errors; `CancellationRequested` at Ctrl-C, before the step.
    @discardableResult func step() throws -> Bool
}

public final class BeamStepper<M: LanguageModel>: BeamStepping {
    public let settings: BeamSearchSettings
    public private(set) var tree = BeamTree()
    public private(set) var steps = 0
    public private(set) var isDone = false

    private let model: M
    private let ends: Set<Int>
    private let keep: Int
    private var states: [M.State]
    private var rows: [[Float]]                      // [beams][V] log-probs of each running beam's next token
    private var running: [(node: Int, score: Float, history: [Int])]
    private var finishedList: [(node: Int, score: Float)] = []
    private var canImprove = true

    /// Reads the prompt (one model call).
    /// - Throws: `DecodingError` for bad settings or an empty prompt; the model's errors.
    public init(_ model: M, prompt: [Int], settings: BeamSearchSettings) throws {
        try settings.validate()
        guard !prompt.isEmpty else { throw DecodingError("beam search: empty prompt. HINT: pass at least one id") }
        self.model = model
        self.settings = settings
        ends = settings.endTokens ?? model.endTokens
        keep = try settings.candidatesPerStep(endTokens: ends.count)
        var s = try model.makeState()
        rows = [try model.append(prompt, to: &s)]
        states = [s]
        running = [(0, 0, prompt)]
    }

    public var finished: [BeamHypothesis] {
        finishedList.map { BeamHypothesis(ids: tree.tokens(to: $0.node), score: $0.score, node: $0.node) }
    }

    public var unfinished: [BeamHypothesis] {
        guard steps > 0, !isDone else { return [] }
        return running.map { BeamHypothesis(ids: tree.tokens(to: $0.node), score: tree.nodes[$0.node].score,
                                            node: $0.node) }
            .sorted { $0.score > $1.score }
    }

    @discardableResult
    public func step() throws -> Bool {
        guard !isDone else { return false }
        try Cancellation.check()
        let beams = settings.beams, alpha = settings.lengthPenalty
        let step = steps
        let length = step + 1
        // 1. Each running beam offers its K best tokens (processed), with S_b + log P(v | b).
        var candidates: [(beam: Int, token: Int, logProb: Float, total: Float)] = []
        for (b, beam) in running.enumerated() {
            let z = settings.processors.apply(rows[b], history: beam.history)
            let best = z.withUnsafeBufferPointer { topK($0.baseAddress!, count: z.count, k: min(keep, z.count)) }
            for v in best where z[v] > -.infinity { candidates.append((b, v, z[v], beam.score + z[v])) }
        }
        // 2. The best K (ties: lower beam, then lower id).
        candidates.sort { $0.total != $1.total ? $0.total > $1.total : ($0.beam, $0.token) < ($1.beam, $1.token) }
        let listFullAtStart = finishedList.count == beams
        var nextRunning: [(node: Int, score: Float, history: [Int])] = []
        var nextStates: [M.State] = []
        var nextTokens: [Int] = []
        var allEnd = true
        for (rank, c) in candidates.prefix(keep).enumerated() {
            let parent = running[c.beam]
            let endsHere = ends.contains(c.token) || length == settings.maxNewTokens
            let score = c.total / Float(pow(Double(length), Double(alpha)))
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
                nextRunning.append((node, c.total, parent.history + [c.token]))
                nextStates.append(states[c.beam])
                nextTokens.append(c.token)
            } else if status == .finished {
                finishedList.append((node, score))
            }
        }
        // 4′. Keep the `beams` best finished hypotheses.
        finishedList.sort { $0.score > $1.score }
        for f in finishedList.dropFirst(beams) { tree.setStatus(f.node, .rejected) }
        finishedList = Array(finishedList.prefix(beams))
        // 5. Stopping test.
        if canImprove && finishedList.count == beams, let best = nextRunning.first {
            let hypothetical = settings.earlyStopping == .never && alpha > 0 ? settings.maxNewTokens : length
            let bestPossible = best.score / Float(pow(Double(hypothetical), Double(alpha)))
            if !(bestPossible > finishedList.last!.score) { canImprove = false }
        }
        steps += 1
        let listClosed = settings.earlyStopping == .true && finishedList.count == beams
        if allEnd || !canImprove || listClosed || nextRunning.isEmpty || steps == settings.maxNewTokens {
            isDone = true
            return true
        }
        // 6. One batched model call for the running beams.
        running = nextRunning
        states = nextStates
        rows = try model.appendBatch(nextTokens, to: &states)
        return true
    }
}
