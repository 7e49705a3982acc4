// A reference solution of temperature. The lab's own: Decoding's
// Temperature (Sources/Decoding/Temperature.swift).
// temperature 的参考答案。实验室自己的实现：Decoding 的 Temperature
// （Sources/Decoding/Temperature.swift）。
import Foundation

func softmaxWithTemperature(_ logits: [Double], temperature: Double) -> [Double] {
    let z = logits.map { $0 / temperature }
    let m = z.max() ?? 0
    let e = z.map { exp($0 - m) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
}
