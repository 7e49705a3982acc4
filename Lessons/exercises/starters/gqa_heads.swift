// Exercise gqa_heads (lesson 8): grouped-query attention: which K/V head.
//
// With grouped-query attention there are fewer key/value heads than query heads (ERNIE-4.5-0.3B: 16 and 2).
// Return, for every query head h in 0..<heads, the key/value head it reads. Consecutive query heads share one:
// heads / keyValueHeads of them per group (heads is a multiple of keyValueHeads).
//
// Check your work with:   lmlab exercise check gqa_heads
// Stuck?                  lmlab exercise hint gqa_heads
// Leave this running:     lmlab exercise watch gqa_heads
import Foundation

func keyValueHeads(queryHeads heads: Int, keyValueHeads: Int) -> [Int] {
    // TODO: this interleaves the groups; consecutive query heads should share a K/V head.
    return (0..<heads).map { $0 % keyValueHeads }
}
