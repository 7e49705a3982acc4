// Activations — elementwise nonlinearities with their derivatives written beside them.
//
//   tanh:     y = tanh x                  ∂y/∂x = 1 − y²
//   sigmoid:  y = σ(x) = 1/(1 + e⁻ˣ)       ∂y/∂x = y(1 − y)
//   ReLU:     y = max(0, x)               ∂y/∂x = 1 if x > 0 else 0
//   SiLU:     y = x·σ(x)                  ∂y/∂x = σ(x)·(1 + x(1 − σ(x)))   (SwiGLU's gate; Elfwing et al. 2017,
//                                                                            https://arxiv.org/abs/1702.03118)
//   log σ:    y = ln σ(x) = min(x, 0) − ln(1 + e^(−|x|))   ∂y/∂x = 1 − σ(x)   (word2vec's negative-sampling loss;
//                                                                           stable where ln(sigmoid(x)) gives −∞)
//   exp:      y = eˣ                      ∂y/∂x = y
//   log:      y = ln x                    ∂y/∂x = 1/x

import Foundation
import LabCore

/// An elementwise op: out = f(x), ∂L/∂x = ∂L/∂out ⊙ f′(x, y).
@inline(__always)
private func unary(_ x: Variable, op: String, _ f: (Float) -> Float,
                   derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Variable {
    let xv = x.value
    let y = xv.map(f)
    return makeNode(y, op: op, parents: [x]) { g in
        var dx = g.data
        xv.data.withUnsafeBufferPointer { px in
            y.data.withUnsafeBufferPointer { py in
                dx.withUnsafeMutableBufferPointer { d in
                    for i in 0..<d.count { d[i] *= derivative(px[i], py[i]) }
                }
            }
        }
        x.accumulateGrad(Tensor(shape: xv.shape, data: dx))
    }
}

@inline(__always) func sigmoidScalar(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }

/// y = tanh x. ∂y/∂x = 1 − y².
public func tanh(_ x: Variable) -> Variable {
    unary(x, op: "tanh", { Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
}

/// y = σ(x) = 1/(1 + e⁻ˣ). ∂y/∂x = y(1 − y).
public func sigmoid(_ x: Variable) -> Variable {
    unary(x, op: "sigmoid", sigmoidScalar, derivative: { _, y in y * (1 - y) })
}

/// y = max(0, x). ∂y/∂x = 1 for x > 0, else 0 (PyTorch's choice at 0).
public func relu(_ x: Variable) -> Variable {
    unary(x, op: "relu", { max(0, $0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
}

/// y = x·σ(x). ∂y/∂x = σ(x)·(1 + x(1 − σ(x))).
public func silu(_ x: Variable) -> Variable {
    unary(x, op: "silu", { $0 * sigmoidScalar($0) }, derivative: { x, _ in
        let s = sigmoidScalar(x)
        return s * (1 + x * (1 - s))
    })
}

/// y = ln σ(x), computed as min(x, 0) − ln(1 + e^(−|x|)) so that it stays finite for very negative x.
/// ∂y/∂x = 1 − σ(x).
public func logSigmoid(_ x: Variable) -> Variable {
    unary(x, op: "logSigmoid", { min($0, 0) - Foundation.log1p(Foundation.exp(-abs($0))) },
          derivative: { x, _ in 1 - sigmoidScalar(x) })
}

/// y = eˣ. ∂y/∂x = y.
public func exp(_ x: Variable) -> Variable {
    unary(x, op: "exp", { Foundation.exp($0) }, derivative: { _, y in y })
}

/// y = ln x. ∂y/∂x = 1/x.
public func log(_ x: Variable) -> Variable {
    unary(x, op: "log", { Foundation.log($0) }, derivative: { x, _ in 1 / x })
}
