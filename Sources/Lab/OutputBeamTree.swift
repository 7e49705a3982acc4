// OutputBeamTree — a beam search as a tree to draw: the prompt at the root, every ranked candidate a node with its
// token, its step log-prob, its cumulative log-prob and length-normalised score, and what the search did with it
// (Decoding's `BeamNodeStatus`). `from(_:root:piece:)` converts Decoding's `BeamTree` (the search's own record).
// The one drawing of a search: `lmlab beam --tree`, `lmlab generate --strategy beam` and the beam explorer lay it
// out with OutputLayout (box-drawing lines), and `dot` is the one Graphviz writer (`beam --tree --format dot`, the
// explorer's `d` export).

import Decoding
import Foundation
import LabCore

extension BeamNodeStatus {
    /// The mark drawn before the token, in the tree and its legend.
    public var symbol: String {
        switch self {
        case .root: return ""
        case .kept: return "●"
        case .pruned: return "✗"
        case .finished: return "◆"
        case .rejected: return "○"
        }
    }
}

public struct OutputBeamNode: Codable, Sendable, Equatable {
    public var id: Int
    /// nil for the root.
    public var parent: Int?
    /// 0 for the first new token, −1 for the root.
    public var step: Int
    public var token: String
    /// log P(token | parent's sequence).
    public var logProb: Double
    /// Σ log P from the root.
    public var cumulative: Double
    /// cumulative / length^α.
    public var score: Double
    public var state: BeamNodeStatus

    public init(id: Int, parent: Int?, step: Int, token: String, logProb: Double, cumulative: Double, score: Double,
                state: BeamNodeStatus) {
        (self.id, self.parent, self.step, self.token) = (id, parent, step, token)
        (self.logProb, self.cumulative, self.score, self.state) = (logProb, cumulative, score, state)
    }
}

public struct OutputBeamTree: Codable, Sendable, Equatable {
    public var title: String?
    /// Node 0 is the root (the prompt); ids are indices.
    public var nodes: [OutputBeamNode]
    /// Steps taken so far.
    public var step: Int
    /// Nodes whose subtrees are folded (drawn as one line with a count).
    public var folded: [Int]
    /// When false, pruned candidates are not drawn.
    public var showPruned: Bool
    /// The node under the cursor (an explorer's selection), marked "◀".
    public var selected: Int?

    public init(title: String? = nil, nodes: [OutputBeamNode], step: Int, folded: [Int] = [], showPruned: Bool = true,
                selected: Int? = nil) {
        if let problem = Self.structureProblem(nodes) { preconditionFailure(problem) }
        self.title = title
        self.nodes = nodes
        self.step = step
        self.folded = folded
        self.showPruned = showPruned
        self.selected = selected
    }

    enum CodingKeys: String, CodingKey { case title, nodes, step, folded, showPruned, selected }

    /// Nodes that do not form a tree drawn from node 0 are an error of the JSON, not a trap.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let nodes = try c.decode([OutputBeamNode].self, forKey: .nodes)
        if let problem = Self.structureProblem(nodes) {
            throw Swift.DecodingError.dataCorruptedError(forKey: .nodes, in: c, debugDescription:
                problem + " HINT: node 0 is the root (the prompt); number the nodes 0, 1, 2… and give each a parent "
                + "listed before it.")
        }
        self.init(title: try c.decodeIfPresent(String.self, forKey: .title), nodes: nodes,
                  step: try c.decode(Int.self, forKey: .step), folded: try c.decode([Int].self, forKey: .folded),
                  showPruned: try c.decode(Bool.self, forKey: .showPruned),
                  selected: try c.decodeIfPresent(Int.self, forKey: .selected))
    }

    /// What keeps `nodes` from being a tree rooted at node 0 (ids that are not the indices, a parent that does not
    /// come before its child); nil for a tree.
    static func structureProblem(_ nodes: [OutputBeamNode]) -> String? {
        if nodes.isEmpty { return "OutputBeamTree: no nodes." }
        for (i, n) in nodes.enumerated() {
            if n.id != i { return "OutputBeamTree: node \(i) has id \(n.id); ids must be 0, 1, 2…" }
            if let p = n.parent, !(0..<i).contains(p) { return "OutputBeamTree: node \(i) has parent \(p), not an earlier node." }
        }
        return nil
    }

    /// Children of every node, in the order the search ranked them.
    public var children: [[Int]] {
        var out = Array(repeating: [Int](), count: nodes.count)
        for n in nodes.dropFirst() { if let p = n.parent { out[p].append(n.id) } }
        return out
    }

    /// The nodes drawn, in drawing order (depth first, children in rank order), without the root: pruned nodes
    /// are skipped unless `showPruned`, and the descendants of folded nodes are skipped.
    public var visibleOrder: [Int] {
        let children = self.children, folded = Set(self.folded)
        var out: [Int] = []
        func visit(_ id: Int) {
            for c in children[id] where showPruned || nodes[c].state != .pruned {
                out.append(c)
                if !folded.contains(c) { visit(c) }
            }
        }
        visit(0)
        return out
    }

    /// Graphviz DOT (`dot -Tpng`): kept solid, pruned dashed grey, finished bold with a double outline, finished
    /// but not kept dotted. Labels: the token, then "log P / score".
    public var dot: String {
        func quote(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        var out = ["digraph beam {", "  rankdir=LR;", "  node [shape=box, fontname=\"monospace\"];"]
        for n in nodes {
            let style: String
            switch n.state {
            case .root: style = "shape=plaintext"
            case .kept: style = "style=solid"
            case .pruned: style = "style=dashed, color=grey50, fontcolor=grey50"
            case .finished: style = "style=bold, peripheries=2"
            case .rejected: style = "style=dotted"
            }
            let label = n.state == .root ? n.token
                : n.token + "\n" + String(format: "%.3f / %.3f", n.logProb, n.score)
            out.append("  n\(n.id) [label=\(quote(label)), \(style)];")
            if let p = n.parent { out.append("  n\(p) -> n\(n.id);") }
        }
        out.append("}")
        return out.joined(separator: "\n")
    }

    /// The tree Decoding's beam search recorded.
    /// - Parameters:
    ///   - root: the prompt as text (its control characters are shown escaped, as the pieces are).
    ///   - piece: how an id is shown.
    public static func from(_ tree: BeamTree, root: String, step: Int? = nil, piece: (Int) -> String) -> OutputBeamTree {
        let nodes = tree.nodes.map { n in
            OutputBeamNode(id: n.id, parent: n.parent, step: n.step,
                           token: n.token.map(piece) ?? VisibleText.escapingControls(root),     // a stranger's prompt
                           logProb: Double(n.stepLogProb), cumulative: Double(n.cumulativeLogProb),
                           score: Double(n.score), state: n.status)
        }
        return OutputBeamTree(nodes: nodes, step: step ?? ((tree.nodes.map(\.step).max() ?? -1) + 1))
    }
}
