// A reference solution of rope. The lab's own: LabCore's
// ropeInterleavedNaive (Sources/LabCore/Kernels/RoPE.swift), used by
// ERNIE's DecoderLayer.
// rope 的参考答案。实验室自己的实现：LabCore 的 ropeInterleavedNaive
// （Sources/LabCore/Kernels/RoPE.swift），ERNIE 的 DecoderLayer 所用。
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
