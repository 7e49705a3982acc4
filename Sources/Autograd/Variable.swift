// Variable and tape — the node type of the computation graph and reverse-mode backpropagation over it.
//
// Every differentiable op in this target is a small free function that computes its forward value and registers,
// right beside it, a closure that turns ∂L/∂out into ∂L/∂input for each input (the chain rule, one op at a time).
// A node keeps its parents, never its children, so the graph lives exactly as long as its outputs: drop the loss and
// the whole graph is freed. `backward()` recovers the tape — a topological order of the nodes the output depends
// on — and walks it in reverse, as micrograd does (https://github.com/karpathy/micrograd), but each node holds a
// Tensor instead of one number.
//
// Worked example (the gradient of L = Σ (a ⊙ b) is b for a and a for b):
//
//     let a = Variable.parameter(Tensor(shape: [2], data: [1, 2]))
//     let b = Variable.parameter(Tensor(shape: [2], data: [3, 4]))
//     let loss = sum(a * b)          // 11
//     loss.backward()
//     a.grad                          // [3, 4]
//     b.grad                          // [1, 2]
//
// Lesson 6 reads the gradients that reach intermediate nodes (vanishing gradients through time), so interior nodes
// keep their `grad` after `backward()` until the graph is released.

import LabCore

/// A node of the computation graph: a tensor value, the gradient ∂L/∂value accumulated by `backward()`, and the
/// closure that passes the gradient on to the node's inputs.
public final class Variable {
    /// The forward value. Optimizers update it in place for parameters.
    public var value: Tensor
    /// ∂L/∂value with the shape of `value`, or nil while no gradient has reached this node (after `zeroGrad()` too).
    public var grad: Tensor?
    /// Whether gradients flow to (and through) this node. Leaves that are parameters say yes; inputs and constants no.
    public let requiresGrad: Bool
    /// The op that produced this node ("matmul", "tanh", …), or "leaf"; shown by `description`.
    public let op: String
    /// The inputs of the op that produced this node; empty for leaves and for outputs of ops that need no gradient.
    private(set) var parents: [Variable]
    /// Given ∂L/∂self, adds ∂L/∂parent into each parent that requires a gradient. Nil for leaves.
    private(set) var backwardFn: ((Tensor) -> Void)?

    /// A leaf of the graph.
    /// - Parameters:
    ///   - value: the tensor.
    ///   - requiresGrad: true for trainable parameters and for inputs whose gradient you want to read.
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.op = "leaf"
        self.parents = []
        self.backwardFn = nil
    }

    /// An interior node; ops create these through `makeNode`.
    init(value: Tensor, op: String, parents: [Variable], backward: @escaping (Tensor) -> Void) {
        self.value = value
        self.requiresGrad = true
        self.op = op
        self.parents = parents
        self.backwardFn = backward
    }

    /// A trainable leaf (`requiresGrad == true`).
    public static func parameter(_ value: Tensor) -> Variable { Variable(value, requiresGrad: true) }

    /// A leaf that never receives a gradient (inputs, masks, targets).
    public static func constant(_ value: Tensor) -> Variable { Variable(value, requiresGrad: false) }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// True for nodes without a backward step: leaves, and outputs of ops whose inputs need no gradient.
    public var isLeaf: Bool { backwardFn == nil }

    /// Frees the graph behind this node without recursion. Left to ARC, dropping the last node of a long chain (an
    /// RNN unrolled over a long text) releases parent after parent in nested calls and overflows the stack at a
    /// depth of ~50 000 on the main thread, far less on a background thread. Here every node whose last owner is
    /// this teardown hands its parents to a work list before it goes.
    deinit {
        guard !parents.isEmpty else { return }
        var pending = parents
        parents = []
        backwardFn = nil                          // the closure holds the parents too
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }   // still used elsewhere: not ours to free
            pending.append(contentsOf: node.parents)
            node.parents = []
            node.backwardFn = nil
        }                                         // `node` is released here with nothing left to recurse into
    }
}

extension Variable: CustomStringConvertible {
    public var description: String { "Variable(\(op), \(value))" }
}

/// Creates the output node of an op. When no input requires a gradient the output is a plain constant and the
/// backward closure is dropped, so evaluating a model on constants builds no graph at all.
/// - Parameters:
///   - value: the forward result.
///   - op: a short name for the op.
///   - parents: the op's inputs.
///   - backward: given ∂L/∂out, adds ∂L/∂input into each input that `requiresGrad`.
public func makeNode(_ value: Tensor, op: String, parents: [Variable], backward: @escaping (Tensor) -> Void) -> Variable {
    guard parents.contains(where: { $0.requiresGrad }) else { return Variable(value) }
    return Variable(value: value, op: op, parents: parents, backward: backward)
}

extension Variable {
    /// Adds `g` into `grad` (gradients from several uses of one node sum up).
    /// The first contribution is stored without a copy.
    func accumulateGrad(_ g: Tensor) {
        precondition(g.shape == value.shape, "Autograd: gradient \(g.shape) for a value of shape \(value.shape) (op \(op))")
        guard grad != nil else { grad = g; return }
        g.data.withUnsafeBufferPointer { src in
            grad!.data.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] += src[i] }
            }
        }
    }

    /// Runs `body` on the gradient buffer (zero-filled first if no gradient arrived yet), so a backward step can
    /// accumulate straight into it: `gemm(…, accumulate: true)`, scatter-adds, broadcast reductions.
    public func withGradBuffer<R>(_ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        if grad == nil { grad = Tensor.zeros(value.shape) }
        return grad!.data.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Like `withGradBuffer`, but skips the zero-fill: when no gradient has arrived yet the buffer is fresh,
    /// uninitialised memory and `overwrite` is true, so `body` must store every element (e.g. `gemm(…, accumulate:
    /// false)`); otherwise it adds into the gradient so far.
    public func withGradBuffer<R>(overwriting body: (_ buffer: UnsafeMutableBufferPointer<Float>, _ overwrite: Bool) -> R) -> R {
        if grad == nil {
            let n = value.count
            grad = Tensor(shape: value.shape, data: [Float](unsafeUninitializedCapacity: n) { _, c in c = n })
            return grad!.data.withUnsafeMutableBufferPointer { body($0, true) }
        }
        return grad!.data.withUnsafeMutableBufferPointer { body($0, false) }
    }

    /// Backpropagates from this node: ∂self/∂self is `seed` (default 1, which needs a one-element value), and every
    /// node this one depends on gets ∂(Σ seed ⊙ self)/∂node added to its `grad`.
    ///
    /// Leaves accumulate across calls (call `zeroGrad` between steps, as in PyTorch); interior gradients are reset
    /// at the start of each call, so calling `backward` twice on one graph adds the leaf gradients twice, as expected.
    /// - Parameter seed: the gradient of the final scalar with respect to this node, shaped like `value`.
    public func backward(seed: Tensor? = nil) {
        let start = seed ?? {
            precondition(value.count == 1, "Autograd.backward: value of shape \(shape) is not a scalar; pass seed: (∂L/∂value)")
            return Tensor(repeating: 1, shape: value.shape)
        }()
        precondition(start.shape == value.shape, "Autograd.backward: seed \(start.shape) for a value of shape \(shape)")
        guard requiresGrad else { return }
        let tape = topologicalOrder()
        for node in tape { node.grad = nil }
        accumulateGrad(start)
        for node in tape.reversed() {
            if let g = node.grad, let step = node.backwardFn { step(g) }
        }
    }

    /// The interior nodes this node depends on, each after all of its inputs (depth-first post-order, iterative so
    /// that long unrolled graphs cannot overflow the stack).
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        guard backwardFn != nil else { return order }
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack: [(node: Variable, nextParent: Int)] = [(self, 0)]
        while let top = stack.last {
            if top.nextParent < top.node.parents.count {
                stack[stack.count - 1].nextParent += 1
                let p = top.node.parents[top.nextParent]
                if p.backwardFn != nil, visited.insert(ObjectIdentifier(p)).inserted {
                    stack.append((p, 0))
                }
            } else {
                stack.removeLast()
                order.append(top.node)
            }
        }
        return order
    }

    /// Forgets the gradient (`grad = nil`), as `Tensor.grad = None` in PyTorch.
    public func zeroGrad() { grad = nil }
}

/// Forgets the gradients of all `variables` (call before each training step's `backward`).
public func zeroGrad(_ variables: [Variable]) {
    for v in variables { v.zeroGrad() }
}
