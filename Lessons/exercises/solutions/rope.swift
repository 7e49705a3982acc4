// A reference solution of rope. The lab's own: LabCore's
// ropeInterleavedNaive (Sources/LabCore/Kernels/RoPE.swift), used by
// ERNIE's DecoderLayer.
import Foundation

func rope(_ x: [Double], position: Int, theta: Double) -> [Double] {
    var out = x
    for i in 0..<(x.count / 2) {
        let angle = Double(position) * pow(theta, -Double(2 * i) / Double(x.count))
        let (c, s) = (cos(angle), sin(angle))
        out[2 * i] = x[2 * i] * c - x[2 * i + 1] * s
        out[2 * i + 1] = x[2 * i + 1] * c + x[2 * i] * s
    }
    return out
}
