// A reference solution of rms_norm. The lab's own: LabCore's rmsNormNaive
// (Sources/LabCore/Kernels/RMSNorm.swift), used by ERNIE's DecoderLayer.
import Foundation

func rmsNorm(_ x: [Double], gain: [Double], epsilon: Double) -> [Double] {
    let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
    let inverseRMS = 1 / (meanSquare + epsilon).squareRoot()
    return zip(x, gain).map { $0 * inverseRMS * $1 }
}
