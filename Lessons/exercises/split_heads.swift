// Exercise split_heads (lesson 7): split into heads, merge them back.
//
// Multi-head attention cuts each token's vector of width H·Dh into H heads of width Dh: head h takes columns
// h·Dh ..< (h+1)·Dh. splitHeads turns x [T][H·Dh] into [H][T][Dh]; mergeHeads puts the heads side by side again.
//
// Check your work with:   lmlab exercise check split_heads
// Stuck?                  lmlab exercise hint split_heads
// Leave this running:     lmlab exercise watch split_heads
import Foundation

func splitHeads(_ x: [[Double]], heads: Int) -> [[[Double]]] {
    // TODO: one [T][Dh] matrix per head.
    return [x]
}

func mergeHeads(_ perHead: [[[Double]]]) -> [[Double]] {
    // TODO: row t is the heads' rows t joined in head order.
    return perHead[0]
}
