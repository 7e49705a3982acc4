// Optimizer — what every optimizer of the lab offers: a list of parameters, `step()` that updates them from their
// gradients, and `zeroGrad()` before the next backward pass. A training step reads:
//
//     optimizer.zeroGrad()
//     let loss = crossEntropy(model(x), targets: y)
//     loss.backward()
//     clipGradNorm(optimizer.parameters, maxNorm: 1)
//     optimizer.step()

import LabCore

public protocol Optimizer: AnyObject {
    /// The trainable leaves this optimizer updates, in a fixed order (its state is kept per position).
    var parameters: [Variable] { get }
    /// Updates every parameter that has a gradient; parameters whose `grad` is nil are left alone (as PyTorch does).
    func step()
}

extension Optimizer {
    /// Forgets all parameter gradients.
    public func zeroGrad() { Autograd.zeroGrad(parameters) }
}
