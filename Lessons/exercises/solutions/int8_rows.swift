// A reference solution of int8_rows. The lab's own: ERNIE's
// quantizeRowInt8Naive (Sources/ERNIE/WeightQuantization.swift).
// int8_rows 的参考答案。实验室自己的实现：ERNIE 的
// quantizeRowInt8Naive（Sources/ERNIE/WeightQuantization.swift）。
import Foundation

func quantizeRow(_ w: [Double]) -> (scale: Double, q: [Int]) {
    let m = w.reduce(0) { max($0, abs($1)) }
    let scale = m / 127
    guard scale > 0 else { return (0, w.map { _ in 0 }) }
    return (scale, w.map { Int(max(-127, min(127, ($0 / scale).rounded(.toNearestOrEven)))) })
}
