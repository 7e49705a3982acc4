// AttentionExplorer — the state behind the attention heatmap page (lessons 6–8): one layer and one head at a time.
//
//   A = softmax(Q Kᵀ / √d_h + M)   [T, T]; row i says how much query token i takes from each key token j
// (M = −∞ above the diagonal for a causal model, drawn "·"). The learner walks layers (↑/↓) and heads (←/→) and
// sees which heads look at the previous token, the first token, or a matching word. Weights come from a provider
// closure — a recorder of the model's forward pass — so this works for the tiny transformer, ERNIE or a lesson's
// hand-built attention alike; each (layer, head) is asked for once and cached.

import LabCore

public final class AttentionExplorer {
    public let layers: Int
    public let heads: Int
    /// Token labels of the rows (queries) and columns (keys).
    public let tokens: [String]
    public private(set) var layer = 0
    public private(set) var head = 0
    /// Calls of the provider so far (each (layer, head) once).
    public private(set) var provided = 0

    private let weights: (_ layer: Int, _ head: Int) throws -> [[Double]]
    private var cache: [Int: [[Double]]] = [:]

    /// - Parameter weights: the [T][T] attention weights of a layer and head (NaN where masked).
    public init(layers: Int, heads: Int, tokens: [String],
                weights: @escaping (_ layer: Int, _ head: Int) throws -> [[Double]]) {
        precondition(layers > 0 && heads > 0, "AttentionExplorer: at least one layer and one head")
        self.layers = layers
        self.heads = heads
        self.tokens = tokens
        self.weights = weights
    }

    public func move(layer delta: Int) { layer = min(layers - 1, max(0, layer + delta)) }
    public func move(head delta: Int) { head = min(heads - 1, max(0, head + delta)) }

    /// The current layer and head as a heatmap over [0, 1].
    public func heatmap() throws -> Heatmap {
        let key = layer * heads + head
        let w: [[Double]]
        if let cached = cache[key] { w = cached } else {
            w = try weights(layer, head)
            provided += 1
            cache[key] = w
        }
        // Numbered from 0, as the attention command's --layer and --head and its heatmap title are.
        return Heatmap(title: Learner.text("attention · layer \(layer) (0…\(layers - 1)) · head \(head) (0…\(heads - 1)) · rows attend to columns",
                                           "注意力 · 第 \(layer) 层（0…\(layers - 1)）· 第 \(head) 头（0…\(heads - 1)）· 行关注列"),
                       rowLabels: tokens, columnLabels: tokens, values: w, minimum: 0, maximum: 1)
    }
}
