// BeamTree — everything a beam search looked at, so a lesson can draw the search and say why a beam died.
//
// Node 0 is the prompt. Every later node is one candidate continuation the search ranked at a step (the top
// K = max(2, 1 + #end ids) · beams of all beams × vocabulary): its token, its parent, the token's log-prob,
// the cumulative log-prob of the whole hypothesis, its length-normalised score, and what became of it.

/// What the search did with a candidate.
public enum BeamNodeStatus: String, Codable, Sendable {
    /// The prompt.
    case root
    /// Continued as one of the running beams.
    case kept
    /// Ranked, but not among the best `beams` running continuations.
    case pruned
    /// Ended (end token or length limit) and entered the list of finished hypotheses.
    case finished
    /// Ended, but its score was not good enough for the finished list (or the list was closed).
    case rejected
}

public struct BeamNode: Codable, Sendable, Equatable {
    public let id: Int
    /// nil for the root.
    public let parent: Int?
    /// Generation step (0 = first new token); -1 for the root.
    public let step: Int
    /// The token this candidate appends (nil for the root).
    public let token: Int?
    /// log P(token | parent's sequence) after processing.
    public let stepLogProb: Float
    /// Σ of step log-probs from the root.
    public let cumulativeLogProb: Float
    /// cumulativeLogProb / (generated length)^length_penalty.
    public let score: Float
    public var status: BeamNodeStatus
}

/// The whole search: nodes in the order they were created.
public struct BeamTree: Codable, Sendable {
    public private(set) var nodes: [BeamNode]

    init() {
        nodes = [BeamNode(id: 0, parent: nil, step: -1, token: nil, stepLogProb: 0, cumulativeLogProb: 0, score: 0,
                          status: .root)]
    }

    mutating func add(parent: Int, step: Int, token: Int, stepLogProb: Float, cumulative: Float, score: Float,
                      status: BeamNodeStatus) -> Int {
        let id = nodes.count
        nodes.append(BeamNode(id: id, parent: parent, step: step, token: token, stepLogProb: stepLogProb,
                              cumulativeLogProb: cumulative, score: score, status: status))
        return id
    }

    mutating func setStatus(_ id: Int, _ status: BeamNodeStatus) { nodes[id].status = status }

    /// The tokens from the root to `id`.
    public func tokens(to id: Int) -> [Int] {
        var out: [Int] = []
        var at: Int? = id
        while let i = at, let t = nodes[i].token { out.append(t); at = nodes[i].parent }
        return out.reversed()
    }
}
