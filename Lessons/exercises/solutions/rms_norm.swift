// A reference solution of rms_norm. The lab's own: LabCore's rmsNormNaive
// (Sources/LabCore/Kernels/RMSNorm.swift), used by ERNIE's DecoderLayer.
// rms_norm 的参考答案。实验室自己的实现：LabCore 的 rmsNormNaive
// （Sources/LabCore/Kernels/RMSNorm.swift），ERNIE 的 DecoderLayer 所用。
import Foundation

func rmsNorm(_ x: [Double], gain: [Double], epsilon: Double) -> [Double] {
    let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
    let inverseRMS = 1 / (meanSquare + epsilon).squareRoot()
    return zip(x, gain).map { $0 * inverseRMS * $1 }
}
