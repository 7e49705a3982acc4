// SGD — stochastic gradient descent with optional momentum and L2 weight decay, step for step as torch.optim.SGD
// (dampening 0, no Nesterov):
//
//   g ← ∇θ + λθ                                  (λ = weightDecay)
//   b ← g on the first step, then b ← μb + g     (μ = momentum; b is the velocity)
//   θ ← θ − η·b                                  (η = learningRate; b = g when μ = 0)

import LabCore

public final class SGD: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    /// Velocity per parameter, created on its first step.
    private var velocity: [[Float]?]

    public init(_ parameters: [Variable], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        precondition(learningRate >= 0 && momentum >= 0 && weightDecay >= 0,
                     "SGD: learningRate, momentum and weightDecay must be ≥ 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.velocity = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            var g = grad.data
            if weightDecay != 0 { for i in g.indices { g[i] += weightDecay * p.value.data[i] } }
            if momentum != 0 {
                if var b = velocity[k] {
                    velocity[k] = nil   // keep b uniquely referenced: updated in place
                    for i in b.indices { b[i] = momentum * b[i] + g[i] }
                    velocity[k] = b
                } else {
                    velocity[k] = g
                }
                g = velocity[k]!
            }
            p.value.data.withUnsafeMutableBufferPointer { theta in
                for i in 0..<theta.count { theta[i] -= learningRate * g[i] }
            }
        }
    }
}
