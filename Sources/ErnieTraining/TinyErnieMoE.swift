// TinyErnieMoE — what the tiny ERNIE needs to be a mixture of experts (model_type "ernie4_5_moe", the layout of
// baidu/ERNIE-4.5-21B-A3B-PT): the checkpoint names of an MoE layer's block, the correction bias kept beside the
// trained parameters, and the balancing step that moves it after each optimizer step.
//
// Which layers are MoE is config.json's rule (ERNIEMoEConfig.isMoELayer); ERNIE keeps layer 0 dense
// (moe_layer_start_index 1), and so does the shipped tiny MoE.

import Autograd
import Foundation
import LabCore
import ModelFiles

extension TinyErnie {
    /// Trainable scalars one token uses: all of them, less the (E − k) experts it skips in each MoE layer.
    public var activeParameterCount: Int {
        guard let moe = config.moe else { return parameterCount }
        let skipped = (moe.numExperts - moe.topK) * 3 * moe.intermediateSize * config.hiddenSize
        return parameterCount - skipped * correctionBiases.count
    }

    /// The routed block of layer i, nil for a dense layer.
    func moeBlock(layer i: Int) -> MixtureOfExpertsBlock? {
        guard let moe = config.moe, moe.isMoELayer(i), let bias = correctionBiases[i] else { return nil }
        let p = "model.layers.\(i).mlp."
        return MixtureOfExpertsBlock(
            router: parameters[p + "gate.weight"]!, correctionBias: bias,
            experts: (0..<moe.numExperts).map { SwiGLUParameters(prefix: p + "experts.\($0).", in: parameters) },
            shared: moe.numSharedExperts > 0 ? SwiGLUParameters(prefix: p + "shared_experts.", in: parameters) : nil,
            topK: moe.topK, normMin: Float(moe.normMin))
    }

    /// One balancing step of every MoE layer's correction bias from the loads of the last forward pass
    /// (`balancedCorrectionBias`).
    public func balanceExperts(loads: [Int: [Int]], rate: Float) {
        for (i, load) in loads {
            guard let bias = correctionBiases[i] else { continue }
            correctionBiases[i] = balancedCorrectionBias(bias, load: load, rate: rate)
        }
    }
}

extension SwiGLUParameters {
    /// The SwiGLU whose weights are `prefix`{gate,up,down}_proj.weight in `parameters`.
    init(prefix: String, in parameters: [String: Variable]) {
        self.init(gate: parameters[prefix + "gate_proj.weight"]!, up: parameters[prefix + "up_proj.weight"]!,
                  down: parameters[prefix + "down_proj.weight"]!)
    }
}
