// Gradcheck — compares the gradients `backward()` computes with central finite differences.
//
// For an op f and a fixed random projection w (seeded), the scalar L(x) = Σ w ⊙ f(x) has gradient ∂L/∂x = Jᵀw,
// which `backward(seed: w)` computes analytically. Numerically, element by element:
//
//   ∂L/∂xᵢ ≈ (L(x + h·eᵢ) − L(x − h·eᵢ)) / ((xᵢ + h) − (xᵢ − h))      error O(h²) plus rounding
//
// Tensors hold Float32, so f itself is evaluated in Float32; everything else is Double: the perturbation (the actual
// distance between the two Float32 inputs is the denominator), the projection Σ w·f and the quotient. The Float32
// rounding of f (~6·10⁻⁸ relative) divided by 2h makes h ≈ 10⁻² the right step: expect errors ~10⁻⁴ relative,
// against ~1 for a wrong derivative. Keep inputs away from kinks (ReLU at 0) by more than h.

import LabCore

/// The outcome of `gradcheck`.
public struct GradcheckReport: CustomStringConvertible {
    /// max |analytic − numeric| over all checked elements.
    public var maxAbsError: Double
    /// For each input, max |analytic − numeric| / max |numeric| (the error relative to that input's largest
    /// gradient entry; 1 if the numeric gradient is all zero but the analytic one is not); the maximum over inputs.
    public var maxRelError: Double
    /// How many elements were perturbed.
    public var checkedElements: Int

    public var description: String {
        "\(checkedElements) elements, max abs error \(maxAbsError), max rel error \(maxRelError)"
    }
}

/// Checks the gradient of `f` with respect to every input by central differences.
/// - Parameters:
///   - inputs: leaves with `requiresGrad`, read by `f`; their values are perturbed in place and restored.
///   - step: the finite-difference step h.
///   - seed: seeds the projection w.
///   - f: builds the graph from `inputs` and returns its output (any shape).
public func gradcheck(_ inputs: [Variable], step: Double = 1e-2, seed: UInt64 = 7, _ f: () -> Variable) -> GradcheckReport {
    precondition(inputs.allSatisfy { $0.requiresGrad }, "gradcheck: every input must be a parameter (requiresGrad)")
    let y = f()
    var rng = SeededRNG(seed: seed)
    let w = Tensor.randn(y.shape, rng: &rng)
    func projected(_ out: Tensor) -> Double {
        var s = 0.0
        for i in out.data.indices { s += Double(w.data[i]) * Double(out.data[i]) }
        return s
    }

    zeroGrad(inputs)
    y.backward(seed: w)
    let analytic = inputs.map { $0.grad ?? Tensor.zeros($0.shape) }

    var report = GradcheckReport(maxAbsError: 0, maxRelError: 0, checkedElements: 0)
    for (k, x) in inputs.enumerated() {
        var maxErr = 0.0, maxNumeric = 0.0
        for i in 0..<x.value.count {
            let original = x.value.data[i]
            let up = Float(Double(original) + step), down = Float(Double(original) - step)
            x.value.data[i] = up
            let lUp = projected(f().value)
            x.value.data[i] = down
            let lDown = projected(f().value)
            x.value.data[i] = original
            let numeric = (lUp - lDown) / (Double(up) - Double(down))
            maxErr = max(maxErr, abs(numeric - Double(analytic[k].data[i])))
            maxNumeric = max(maxNumeric, abs(numeric))
            report.checkedElements += 1
        }
        report.maxAbsError = max(report.maxAbsError, maxErr)
        report.maxRelError = max(report.maxRelError, maxNumeric > 0 ? maxErr / maxNumeric : (maxErr > 0 ? 1 : 0))
    }
    zeroGrad(inputs)
    return report
}
